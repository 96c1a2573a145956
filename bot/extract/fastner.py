"""The entity recognizer's greedy decoding, vectorised over a batch with numpy.

spaCy's EntityRecognizer labels a sentence one token at a time: at each step it scores the 74
BILUO actions (Begin/In/Last/Unit of each of the 18 labels, and Out) for every sentence of
the batch, keeps the valid ones and takes the best. The network work is done up front in
bulk (the token-to-vector layers and the "lower" layer, precomputed per token); each step only
sums three precomputed feature rows, takes a maxout and a 64-by-74 product. Those steps run in
compiled code, but the compiled validity checks take and release the GIL for every action of
every token (measured with perf: about 40% of the recognizer's time goes to the GIL, more than
to arithmetic).

`compile_ner` builds the same decoder with numpy: the same layers, the same features, the same
validity rules (those of BiluoPushDown for a document with no preset entities), the same
tie-breaking (the first best valid action), so the entities are the same (tests compare them
with the stock component's on real articles). The products are made by numpy's BLAS instead of
blis, as for the other layers (bot.extract.use_numpy_gemm). Anything this module does not know
(a beam, other features, other actions, preset entities in a document) makes it return None or
hand the batch to the stock component.
"""

from __future__ import annotations

import numpy

# BiluoPushDown's move codes (spacy/pipeline/_parser_internals/ner.pyx), by the letter of their names
BEGIN, IN, LAST, UNIT, OUT = 1, 2, 3, 4, 5
_MOVES = {"B": BEGIN, "I": IN, "L": LAST, "U": UNIT, "O": OUT}


class GreedyNER:
    """A drop-in for the pipeline's EntityRecognizer in `pipe`, for documents without preset entities."""

    def __init__(self, ner, moves: numpy.ndarray, labels: numpy.ndarray, label_ids: list[int]):
        self.ner = ner
        model = ner.model
        self.tok2vec, lower, upper = model.layers
        self.lower = lower
        self.n_feats, self.n_hidden, self.n_pieces = lower.get_dim("nF"), lower.get_dim("nO"), lower.get_dim("nP")
        self.bias = lower.get_param("b").reshape(-1)
        self.upper_W = upper.get_param("W")
        self.upper_b = upper.get_param("b")
        self.moves = moves  # move code of each action, in the model's class order
        self.labels = labels  # label index (0: none) of each action
        self.label_ids = label_ids  # label index -> the string store's id
        unseen = sorted(model.attrs.get("unseen_classes") or ())
        self.unseen = numpy.array(unseen, dtype=numpy.intp)
        self.is_begin, self.is_in = moves == BEGIN, moves == IN
        self.is_last, self.is_unit, self.is_out = moves == LAST, moves == UNIT, moves == OUT
        self.has_label = labels != 0

    def valid(self, open_label, buffer, next_start, space) -> numpy.ndarray:
        """Which actions BiluoPushDown allows (states x actions), for states with no preset entities.

        open_label: the open entity's label index, -1 if none; buffer: the words left, the first one
        included; next_start: the second word starts a sentence; space: the first word is whitespace."""
        opened = (open_label >= 0)[:, None]
        two_left = (buffer >= 2)[:, None]
        next_start, space = next_start[:, None], space[:, None]
        same_label = self.labels[None, :] == open_label[:, None]
        return (
            self.is_begin & ~opened & two_left & self.has_label & ~next_start & ~space
            | self.is_in & opened & two_left & self.has_label & same_label & ~next_start
            | self.is_last & opened & self.has_label & same_label
            | self.is_unit & ~opened & self.has_label & ~space
            | self.is_out & ~opened
        )

    def pipe(self, docs, batch_size: int = 64):
        from spacy.util import minibatch

        for batch in minibatch(docs, size=batch_size):
            batch = list(batch)
            if any(_has_preset_entities(doc) for doc in batch):
                yield from self.ner.pipe(batch, batch_size=batch_size)  # the stock rules for presets
                continue
            self.annotate(batch)
            yield from batch

    def annotate(self, docs: list) -> None:
        from spacy.attrs import IS_SPACE, SENT_START
        from spacy.tokens import Span

        lengths = numpy.array([len(doc) for doc in docs], dtype=numpy.intp)
        if not lengths.any():
            for doc in docs:
                doc.set_ents([], default="outside")
            return
        tokvecs = self.tok2vec.predict(docs)
        cached, _ = self.lower(tokvecs, is_train=False)  # (tokens + 1, features, hidden, pieces); row 0 pads
        cached = cached.reshape(cached.shape[0], self.n_feats, self.n_hidden * self.n_pieces)
        offsets = numpy.concatenate([[0], numpy.cumsum(lengths)[:-1]])
        # Per token of the batch: is it a space, does the token after it start a sentence
        attrs = [doc.to_array([IS_SPACE, SENT_START]).reshape(-1, 2) for doc in docs if len(doc)]
        table = numpy.concatenate(attrs) if attrs else numpy.zeros((0, 2), dtype=numpy.uint64)
        is_space = table[:, 0].astype(bool)
        starts = table[:, 1].astype(numpy.int64) == 1
        next_starts = numpy.append(starts[1:], False)
        next_starts[(offsets + lengths - 1)[lengths > 0]] = False  # past a doc's last token: the empty token
        live = numpy.flatnonzero(lengths > 0)
        b0 = numpy.zeros(len(docs), dtype=numpy.intp)
        ent_start = numpy.full(len(docs), -1, dtype=numpy.intp)
        ent_label = numpy.zeros(len(docs), dtype=numpy.intp)
        found: list[list[tuple[int, int, int]]] = [[] for _ in docs]
        feat0, feat1, feat2 = cached[:, 0], cached[:, 1], cached[:, 2]
        while live.size:
            token = offsets[live] + b0[live]  # the first word of each buffer, in the batch's numbering
            start = ent_start[live]
            is_open = start >= 0
            # Features: the buffer's first word, the open entity's first word, the word before the buffer
            rows1 = numpy.where(is_open, offsets[live] + start + 1, 0)
            rows2 = numpy.where(is_open, token, 0)
            hidden = feat0[token + 1] + feat1[rows1]
            hidden += feat2[rows2]
            hidden += self.bias
            hidden = hidden.reshape(-1, self.n_hidden, self.n_pieces).max(axis=2)
            scores = hidden @ self.upper_W.T
            scores += self.upper_b
            if self.unseen.size:
                scores[:, self.unseen] = scores.min()
            open_label = numpy.where(is_open, ent_label[live], -1)
            valid = self.valid(open_label, lengths[live] - b0[live], next_starts[token], is_space[token])
            guess = numpy.where(valid, scores, -numpy.inf).argmax(axis=1)
            move, label = self.moves[guess], self.labels[guess]
            begins = move == BEGIN
            ent_start[live[begins]] = b0[live[begins]]
            ent_label[live[begins]] = label[begins]
            for k in numpy.flatnonzero((move == LAST) | (move == UNIT)):
                state = live[k]
                first = b0[state] if move[k] == UNIT else ent_start[state]
                found[state].append((int(first), int(b0[state]) + 1, int(label[k])))
                ent_start[state] = -1
            b0[live] += 1
            live = live[b0[live] < lengths[live]]
        for doc, ents in zip(docs, found):
            doc.set_ents([Span(doc, s, e, label=self.label_ids[lab]) for s, e, lab in ents], default="outside")


def _has_preset_entities(doc) -> bool:
    from spacy.attrs import ENT_IOB

    return bool(len(doc) and doc.to_array(ENT_IOB).any())


def compile_ner(ner) -> GreedyNER | None:
    """The numpy decoder for this EntityRecognizer, or None when it is not a greedy BILUO
    recognizer of the shape this module reproduces."""
    try:
        from spacy.pipeline import EntityRecognizer
        from spacy.pipeline._parser_internals.ner import BiluoPushDown
    except ImportError:  # pragma: no cover - spaCy is a dependency
        return None
    if type(ner) is not EntityRecognizer or not isinstance(ner.moves, BiluoPushDown):
        return None
    if ner.cfg.get("beam_width", 1) != 1 or ner.postprocesses or ner.cfg.get("incorrect_spans_key"):
        return None
    model = ner.model
    if not model.attrs.get("has_upper") or len(model.layers) != 3:
        return None
    lower = model.layers[1]
    if lower.name != "precomputable_affine" or lower.get_dim("nF") != 3:
        return None
    names = [ner.moves.get_class_name(i) for i in range(ner.moves.n_moves)]
    if len(names) != model.layers[2].get_param("W").shape[0]:
        return None
    strings = ner.vocab.strings
    label_ids = [0]
    index: dict[str, int] = {"": 0}
    moves, labels = [], []
    for name in names:
        code, _, label = name.partition("-")
        if code not in _MOVES:
            return None
        if label not in index:
            index[label] = len(label_ids)
            label_ids.append(strings.add(label))
        moves.append(_MOVES[code])
        labels.append(index[label])
    return GreedyNER(ner, numpy.array(moves), numpy.array(labels), label_ids)
