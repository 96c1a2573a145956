"""Who is who in one article (bot/extract/people.py): the forms a name takes, and the person they stand for."""

import pytest

from bot.extract.gazetteer import load_gazetteer
from bot.extract.people import PeopleIndex


@pytest.fixture
def index():
    return PeopleIndex(load_gazetteer())


@pytest.mark.parametrize("raw, canonical", [
    ("Dr. S. Jaishankar", "S. Jaishankar"),  # a form of address is not part of the name
    ("Datuk Seri Anwar Ibrahim", "Anwar Ibrahim"),
    ("Tan Sri Muhyiddin Yassin", "Muhyiddin Yassin"),
    ("Sri Mulyani Indrawati", "Sri Mulyani Indrawati"),  # a given name that looks like one stays
    ("Tony Tan Keng Yam", "Tony Tan Keng Yam"),
    ("Macron Says", "Emmanuel Macron"),  # a title-case headline's verb after the name
    ("Binyamin Netanyahu", "Benjamin Netanyahu"),  # a known leader's given name spelt another way
    ("Hon. Mia Mottley", "Mia Mottley"),  # Commonwealth forms of address
    ("The Rt Hon Jacinda Ardern", "Jacinda Ardern"),
    ("Mia Mottley's Visit", "Mia Mottley"),  # a possessive: the entity ran on past the name
    ("Gen. Asim Munir", "Asim Munir"),  # an abbreviated title with its period
    ("Gen Nakatani", "Gen Nakatani"),  # without one, a given name
])
def test_name_forms(index, raw, canonical):
    assert index.add(raw) == canonical


def test_an_abbreviated_title_before_a_surname_is_the_person_the_article_named(index):
    assert index.add("Keir Starmer") == "Keir Starmer"
    assert index.add("PM Starmer") == "Keir Starmer"
    assert index.add("Kamala Harris") == "Kamala Harris"
    assert index.add("VP Harris") == "Kamala Harris"


def test_a_form_of_address_alone_is_nobody(index):
    assert index.add("Dr") is None
    assert index.add("Dr.") is None
    assert index.add("Hon") is None


def test_a_nickname_after_a_name_already_seen_is_that_person(index):
    assert index.add("Pushpa Kamal Dahal") == "Pushpa Kamal Dahal"
    assert index.add("Pushpa Kamal Dahal Prachanda") == "Pushpa Kamal Dahal"
    assert index.add("George H.W. Bush") == "George H.W. Bush"  # initials are no name to extend


def test_a_different_given_name_with_a_leaders_surname_is_someone_else(index):
    assert index.add("Hunter Biden") == "Hunter Biden"
    assert index.add("Jill Biden") == "Jill Biden"


def test_name_forms_switched_off_keeps_the_raw_forms():
    index = PeopleIndex(load_gazetteer(), hygiene=False)
    assert index.add("Datuk Seri Anwar Ibrahim") == "Datuk Seri Anwar Ibrahim"
    assert index.add("Binyamin Netanyahu") == "Binyamin Netanyahu"


def test_a_surname_is_first_the_person_of_that_name_the_article_named(index):
    """'Sharif' after 'Nawaz Sharif' is Nawaz, though the gazetteer's Sharif is another one: the article's own
    people come before the gazetteer's for a short form."""
    assert index.add("Akie Abe") == "Akie Abe"
    assert index.resolve("Abe") == "Akie Abe"
    assert index.add("Abe") == "Akie Abe"


def test_a_surname_nobody_in_the_article_has_is_the_gazetteers(index):
    assert index.resolve("Abe") == "Shinzo Abe"


def test_a_quoted_nickname_is_the_person_it_is_given_with(index):
    from bot.extract.people import scan_nicknames

    scan_nicknames('Prime Minister Pushpa Kamal Dahal "Prachanda" will visit India. President Joko "Jokowi" '
                   'Widodo will attend.', index)
    assert index.add("Prachanda") == "Pushpa Kamal Dahal"
    assert index.add('Joko "Jokowi" Widodo') == index.add("Jokowi") == "Joko Widodo"


def test_a_title_and_one_name_is_the_person_the_article_knows_by_it(index):
    index.add("Wang Yi", official=True, title="foreign minister")
    assert index.add("Councilor Wang") == "Wang Yi"
    assert index.add("Queen Camilla") == "Queen Camilla"  # a royal's title and given name are the name


def test_a_fathers_name_after_bin_is_not_a_surname(index):
    index.add("Tamim bin Hamad Al Thani")
    index.add("Faisal bin Farhan")
    assert index.resolve("Farhan") is None
    assert index.resolve("Tamim") == "Tamim bin Hamad Al Thani"
