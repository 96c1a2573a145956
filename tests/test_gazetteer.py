"""The gazetteer's countries: states, their capitals / seats of power, and how lookups tell them apart."""

import tomllib

import pytest

from bot.extract.gazetteer import DEFAULT_GAZETTEER, load_gazetteer
from bot.store import name_key


@pytest.fixture(scope="module")
def g():
    return load_gazetteer()


@pytest.fixture(scope="module")
def entries():
    return tomllib.loads(DEFAULT_GAZETTEER.read_text(encoding="utf-8"))["countries"]


def test_capitals_still_resolve_to_their_country(g):
    assert g.country("Moscow") == "Russia"
    assert g.country("Kremlin") == "Russia"
    assert g.country("Seoul") == "South Korea"
    assert g.country("Washington") == "United States"
    assert g.country("Élysée") == g.country("Elysee") == "France"


def test_capital_is_not_a_state(g):
    for city in ("Moscow", "Kremlin", "Seoul", "Beijing", "New Delhi", "Kyiv", "Mexico City"):
        assert g.is_capital(city), city
        assert not g.is_state(city), city


def test_state_names_are_states(g):
    for state in ("Russia", "ROK", "Republic of Korea", "Korea", "South Korea", "U.S.", "DPRK", "Britain",
                  "the Netherlands", "Singapore", "Vatican City"):
        assert g.is_state(state), state
        assert not g.is_capital(state), state


def test_unknown_text_is_neither(g):
    assert g.country("Geneva") is None
    assert not g.is_state("Geneva") and not g.is_capital("Geneva")
    assert not g.is_state("") and not g.is_capital("")


def test_every_country_resolves_by_its_name(g, entries):
    assert len(entries) > 190
    for c in entries:
        assert g.country(c["name"]) == c["name"], c["name"]
        assert g.is_state(c["name"]), c["name"]


def test_every_capital_resolves_to_its_country(g, entries):
    for c in entries:
        for capital in c.get("capitals", []):
            assert g.country(capital) == c["name"], capital
            assert g.is_capital(capital), capital


def test_no_key_is_both_a_capital_and_an_alias(g, entries):
    alias_keys = {name_key(a) for c in entries for a in [c["name"], *c.get("aliases", [])]}
    capital_keys = {name_key(a) for c in entries for a in c.get("capitals", [])}
    assert capital_keys, "the gazetteer lists capitals"
    assert not alias_keys & capital_keys
    assert g.capitals == {k.removeprefix("the ") for k in capital_keys}  # looked up without "the"
    assert not g.capitals & set(g.adjectives)


def test_a_surname_is_the_last_word_as_written_not_half_a_hyphenated_given_name(g):
    # "Kim Jong-un": "un" is half of a given name, and would make "the UN representative" a leader
    assert g.person("UN") is None
    assert g.person("Xi") == "Xi Jinping"  # a family name first, where the country writes it so
