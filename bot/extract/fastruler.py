"""Faster exact equivalents of the model's two rule-based components.

The attribute ruler: en_core_web_sm maps tags to coarse parts of speech and fixes lemmas with
an AttributeRuler: 179 one- and two-token patterns that the Matcher tries at every token. On
the short sentences the extractor parses that matching costs as much as the dependency
parser. This module indexes the same patterns by the first token's lowercase form or tag,
checks only the few that can apply, and hands the matches, in the ruler's own order, to the
ruler's own set_annotations, so the annotations are the same token for token (tests compare
them). Patterns that use anything else than the operators below make `compile_ruler` return
None and the caller keeps the stock component.

The lemmatizer: its rule mode is a function of a token's form, part of speech and
morphology, but it caches only the inflected forms and rebuilds each token's morphology
dictionary. `MemoLemmatizer` remembers every answer by those three keys and asks the
lemmatizer itself on a miss.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Callable

import numpy

_ATTRS = ("LOWER", "TAG", "DEP", "IS_SPACE")  # what the model's patterns test


class _Unsupported(Exception):
    pass


def _predicate(attr: str, value) -> Callable[[dict], bool]:
    if attr not in _ATTRS:
        raise _Unsupported(attr)
    if isinstance(value, (str, bool)):
        return lambda t: t[attr] == value
    if isinstance(value, dict) and len(value) == 1:
        (op, arg), = value.items()
        if op == "IN":
            allowed = frozenset(arg)
            return lambda t: t[attr] in allowed
        if op == "NOT_IN":
            banned = frozenset(arg)
            return lambda t: t[attr] not in banned
        if op == "REGEX":
            rx = re.compile(arg)
            return lambda t: rx.search(str(t[attr])) is not None
    raise _Unsupported(f"{attr}: {value!r}")


def _token_test(spec: dict) -> Callable[[dict], bool]:
    if not spec or "OP" in spec:
        raise _Unsupported("operator")
    tests = [_predicate(attr, value) for attr, value in spec.items()]
    return lambda t: all(test(t) for test in tests)


def _index_keys(spec: dict) -> tuple[str, list] | None:
    """The values a first token's lowercase form or tag must take, when spec fixes them."""
    for attr in ("LOWER", "TAG"):
        value = spec.get(attr)
        if isinstance(value, str):
            return attr, [value]
        if isinstance(value, dict) and set(value) == {"IN"}:
            return attr, list(value["IN"])
    return None


class CompiledAttributeRuler:
    """Callable pipeline component: the same matches as the ruler's Matcher, found by lookups.

    Whether a token passes a pattern's token test depends only on its (lowercase form, tag,
    dependency, is-space), so the tests run once per distinct combination: the one-token
    matches and the longer patterns that may start there are cached by it.
    """

    def __init__(self, ruler):
        from spacy.attrs import DEP, IS_SPACE, LOWER, TAG

        self.ruler = ruler
        self._strings = ruler.vocab.strings
        self._columns = [LOWER, TAG, DEP, IS_SPACE]
        # Each pattern is filed under the values its first token's lowercase form or tag must
        # take, when the pattern says; the rest are tried on every new kind of token.
        self._by_lower: dict[str, list] = defaultdict(list)
        self._by_tag: dict[str, list] = defaultdict(list)
        self._anywhere: list = []
        for number in range(len(ruler.attrs)):
            key = str(number)
            _, patterns = ruler.matcher.get(key)
            for pattern in patterns:
                entry = (number, self._strings[key], [_token_test(spec) for spec in pattern])
                where = _index_keys(pattern[0])
                if where is None:
                    self._anywhere.append(entry)
                else:
                    index = self._by_lower if where[0] == "LOWER" else self._by_tag
                    for value in where[1]:
                        index[value].append(entry)
        self._starts: dict[tuple, list] = {}  # token row -> patterns whose first token test it passes
        self._views: dict[tuple, dict] = {}

    def _view(self, row: tuple) -> dict:
        view = self._views.get(row)
        if view is None:
            s = self._strings
            view = {"LOWER": s[row[0]], "TAG": s[row[1]], "DEP": s[row[2]], "IS_SPACE": bool(row[3])}
            if len(self._views) < 200_000:
                self._views[row] = view
        return view

    def match(self, doc) -> list[tuple[int, int, int, int]]:
        rows = [tuple(r) for r in doc.to_array(self._columns).tolist()]
        found = set()
        for i, row in enumerate(rows):
            starts = self._starts.get(row)
            if starts is None:
                view = self._view(row)
                candidates = self._by_lower.get(view["LOWER"], []) + self._by_tag.get(view["TAG"], []) + self._anywhere
                starts = [p for p in candidates if p[2][0](view)]
                if len(self._starts) < 200_000:
                    self._starts[row] = starts
            for number, match_id, tests in starts:
                end = i + len(tests)
                if end <= len(rows) and all(tests[k](self._view(rows[i + k])) for k in range(1, len(tests))):
                    found.add((number, match_id, i, end))
        return sorted(found)

    def __call__(self, doc):
        self.ruler.set_annotations(doc, self.match(doc))
        return doc

    def pipe(self, docs, batch_size: int = 128):
        for doc in docs:
            yield self(doc)


def compile_ruler(ruler) -> CompiledAttributeRuler | None:
    """The fast equivalent of an AttributeRuler, or None when its patterns use other operators."""
    try:
        return CompiledAttributeRuler(ruler)
    except _Unsupported:
        return None


class MemoLemmatizer:
    """Callable pipeline component: the rule lemmatizer's lemmas, remembered per (form, part of
    speech, morphology), the three things its rules read."""

    def __init__(self, lemmatizer):
        from spacy.attrs import LEMMA, MORPH, ORTH, POS

        self.lemmatizer = lemmatizer
        self._strings = lemmatizer.vocab.strings
        self._columns, self._lemma = [ORTH, POS, MORPH, LEMMA], [LEMMA]
        self._memo: dict[tuple[int, int, int], int] = {}
        self._started = False

    def __call__(self, doc):
        lemmatizer = self.lemmatizer
        if not self._started:
            self._started = True
            return lemmatizer(doc)  # the stock call on the first doc: it validates the lookup tables
        rows = doc.to_array(self._columns).tolist()
        lemmas = [row[3] for row in rows]
        overwrite = lemmatizer.overwrite
        for i, (orth, pos, morph, lemma) in enumerate(rows):
            if lemma == 0 or overwrite:
                key = (orth, pos, morph)
                found = self._memo.get(key)
                if found is None:
                    found = self._strings.add(lemmatizer.lemmatize(doc[i])[0])
                    if len(self._memo) < 200_000:
                        self._memo[key] = found
                lemmas[i] = found
        doc.from_array(self._lemma, numpy.asarray(lemmas, dtype="uint64").reshape(-1, 1))
        return doc

    def pipe(self, docs, batch_size: int = 128):
        for doc in docs:
            yield self(doc)


def memo_lemmatizer(lemmatizer) -> MemoLemmatizer | None:
    """The remembering equivalent of a rule-mode Lemmatizer, or None for another mode."""
    if getattr(lemmatizer, "mode", None) != "rule" or not hasattr(lemmatizer, "lemmatize"):
        return None
    return MemoLemmatizer(lemmatizer)
