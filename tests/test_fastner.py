"""The numpy decoder of the entity recognizer finds the stock recognizer's entities, token for token."""

import pytest

from bot.extract.fastner import GreedyNER, compile_ner

ODD = [
    "",
    "\t \n",
    "Paris",
    "Lima  \n\n  Quito",  # whitespace tokens may not start an entity
    "Xi Jinping.\nJoe Biden met him in San Francisco on Nov. 15, 2023.  Then they left.",
    "THE PRESIDENT WILL MEET THE PRIME MINISTER ON TUESDAY IN BERLIN.",
    "New York New York New York. Kim Jong Un. Kim Jong Un!",
]


@pytest.fixture(scope="module")
def articles(corpus_texts) -> list[str]:
    return ODD + corpus_texts


def _before_ner(nlp, texts):
    return list(nlp.pipe(texts, disable=["ner"]))


def _entities(docs):
    return [[(t.ent_iob_, t.ent_type_) for t in doc] for doc in docs]


def test_the_numpy_decoder_finds_the_stock_entities(nlp, articles):
    ner = nlp.get_pipe("ner")
    fast = compile_ner(ner)
    assert isinstance(fast, GreedyNER)
    texts = articles  # whole articles: entities never cross the parser's sentence boundaries
    expected = _entities(ner.pipe(_before_ner(nlp, texts), batch_size=16))
    got = _entities(fast.pipe(_before_ner(nlp, texts), batch_size=16))
    assert sum(len(doc) for doc in expected) > 10000
    assert any(any(iob == "B" for iob, _ in doc) for doc in got)
    for text, a, b in zip(texts, got, expected):
        assert a == b, text[:80]


def test_batches_of_any_size_give_the_same_entities(nlp, articles):
    fast = compile_ner(nlp.get_pipe("ner"))
    texts = articles[:40]
    one = _entities(fast.pipe(_before_ner(nlp, texts), batch_size=1))
    many = _entities(fast.pipe(_before_ner(nlp, texts), batch_size=64))
    assert one == many


def test_preset_entities_are_left_to_the_stock_recognizer(nlp):
    from spacy.tokens import Span

    ner = nlp.get_pipe("ner")
    fast = compile_ner(ner)
    text = "Emmanuel Macron will host the summit in Paris next week."
    stock_doc, fast_doc = _before_ner(nlp, [text, text])
    for doc in (stock_doc, fast_doc):
        doc.set_ents([Span(doc, 7, 8, label="FAC")])  # "Paris" preset as a building
    (stock_doc,) = ner.pipe([stock_doc])
    (fast_doc,) = fast.pipe([fast_doc])
    assert _entities([fast_doc]) == _entities([stock_doc])
    assert fast_doc[7].ent_type_ == "FAC"


def test_a_beam_recognizer_keeps_the_stock_component():
    from spacy.lang.en import English

    blank = English()
    beam = blank.add_pipe("beam_ner")
    assert compile_ner(beam) is None
    assert compile_ner(blank.add_pipe("sentencizer")) is None


def test_the_decoders_rules_are_the_transition_systems(nlp, articles):
    """Walk random valid action sequences through documents with whitespace and several sentences,
    and compare, at every word, which actions the decoder allows with what spaCy's BILUO system allows."""
    import random

    import numpy
    from spacy.pipeline._parser_internals.stateclass import StateClass

    ner = nlp.get_pipe("ner")
    fast = compile_ner(ner)
    names = [ner.moves.get_class_name(i) for i in range(ner.moves.n_moves)]
    rng = random.Random(7)
    texts = articles[2:27]
    steps = 0
    for doc in _before_ner(nlp, texts):
        state = StateClass(doc)
        open_label = -1
        while not state.is_final():
            b0 = state.B(0)
            next_start = b0 + 1 < len(doc) and doc[b0 + 1].is_sent_start is True
            ours = fast.valid(numpy.array([open_label]), numpy.array([state.buffer_length()]),
                              numpy.array([next_start]), numpy.array([doc[b0].is_space]))[0]
            theirs = [bool(ner.moves.is_valid(state, name)) for name in names]
            assert ours.tolist() == theirs, (doc.text[:60], b0, open_label)
            choices = [k for k, ok in enumerate(theirs) if ok]
            entity_moves = [k for k in choices if names[k] != "O"]
            k = rng.choice(entity_moves if entity_moves and rng.random() < 0.6 else choices)
            ner.moves.apply_transition(state, names[k])
            if names[k].startswith("B-"):
                open_label = int(fast.labels[k])
            elif names[k][0] in "LU":
                open_label = -1
            steps += 1
    assert steps > 1000
