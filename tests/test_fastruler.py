"""summitbot's pipeline annotates exactly like the stock one: the compiled attribute ruler finds the
stock AttributeRuler's matches, and numpy's BLAS changes no tag, parse, lemma or entity."""

import pytest

from bot.extract import load_stock_nlp
from bot.extract.fastruler import compile_ruler, memo_lemmatizer

ODD = [
    "I ain't gonna do it, y'all.  \n\n Don't cha know? Lemme see, gotta go. C'mon, let's meet.",
    "There is a summit; there are talks. There's hope, there're doubts.",
    "\t \n",
    "",
    "Y' all  ai n't   gon na   got ta",
    "THE PRESIDENT WILL MEET THE PRIME MINISTER ON TUESDAY IN BERLIN.",
]


@pytest.fixture(scope="module")
def texts(corpus_texts) -> list[str]:
    return ODD + corpus_texts


def test_compiled_ruler_finds_the_matchers_matches(nlp, texts):
    ruler = nlp.get_pipe("attribute_ruler")
    fast = compile_ruler(ruler)
    assert fast is not None
    docs = list(nlp.pipe(texts, disable=["attribute_ruler", "lemmatizer", "ner"]))
    for doc in docs:
        assert fast.match(doc) == ruler.match(doc), doc.text[:80]
    for doc in docs[:5]:  # again from its cache
        assert fast.match(doc) == ruler.match(doc)


def test_extractor_parses_like_the_stock_pipeline(nlp, texts):
    from bot.extract import Extractor

    sentences = [s for text in texts for s in text.split(". ") if s.strip()]
    ours = Extractor(nlp=nlp)._parse(sentences, batch_size=16)
    stock = list(load_stock_nlp().pipe(sentences, batch_size=16))
    assert len(ours) == len(stock)
    for a, b in zip(ours, stock):
        assert [(t.tag_, t.pos_, t.morph.to_json(), t.lemma_, t.dep_, t.head.i, t.ent_type_, t.ent_iob_)
                for t in a] == [(t.tag_, t.pos_, t.morph.to_json(), t.lemma_, t.dep_, t.head.i, t.ent_type_,
                                 t.ent_iob_) for t in b]


def test_the_pipeline_multiplies_with_numpy_and_the_stock_one_with_blis(nlp):
    ner = nlp.get_pipe("ner").model
    assert all(not getattr(node.ops, "use_blis", False) for node in ner.walk())
    stock = load_stock_nlp().get_pipe("ner").model
    assert any(getattr(node.ops, "use_blis", False) for node in stock.walk())


def test_patterns_with_other_operators_keep_the_stock_ruler(nlp):
    from spacy.lang.en import English

    blank = English()
    ruler = blank.add_pipe("attribute_ruler")
    ruler.add([[{"LOWER": "a"}, {"IS_PUNCT": True, "OP": "?"}]], {"LEMMA": "x"})
    assert compile_ruler(ruler) is None


def test_remembered_lemmas_are_the_lemmatizers(nlp, texts):
    lemmatizer = nlp.get_pipe("lemmatizer")
    memo = memo_lemmatizer(lemmatizer)
    texts = texts[:30] * 2  # the second time every lemma comes from memory
    docs = list(nlp.pipe(texts, disable=["lemmatizer"]))
    expected = [[t.lemma_ for t in lemmatizer(doc.copy())] for doc in docs]
    assert [[t.lemma_ for t in memo(doc)] for doc in docs] == expected


def test_a_lookup_lemmatizer_keeps_the_stock_component():
    from spacy.lang.en import English

    blank = English()
    lookup = blank.add_pipe("lemmatizer", config={"mode": "lookup"})
    assert memo_lemmatizer(lookup) is None
