"""Training the classifiers on the corpus (``make train`` runs these steps).

``python -m bot.learn data build/train`` writes the labelled sentences of the train and dev
splits as spaCy corpora; ``spacy train config/classifier.cfg`` trains on them;
``python -m bot.learn install build/model/model-best`` puts the result where the extractor
loads it, with the SHA-256 of corpus/train.jsonl in its meta (a test checks they agree).

Each sentence of an article that has a meeting word (split as the extractor splits it, the
title as one more: the classifier is asked only about such sentences) is labelled by the gold meetings whose evidence it carries: UPCOMING when any of them is
ahead, else CANCELLED, else PAST, else NONE. Kind and certainty are labelled only when
the upcoming meetings of the sentence agree on them; otherwise they are left missing,
so the classifier is never taught a guess.
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

from bot.corpus import file_hash, read_jsonl
from bot.extract.classifier import CERTAINTY_LABELS, KIND_LABELS, MODEL_DIR, STATUS_LABELS, normalise
from bot.evaluate import same_summit_name
from bot.extract.gatherings import LABEL as GATHERING, MODEL_DIR as GATHERING_MODEL_DIR, gathering_names, marked
from bot.extract.mentions import split_sentences
from bot.extract.patterns import CANDIDATE

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
MODELS = {"sentences": MODEL_DIR, "gatherings": GATHERING_MODEL_DIR}


def _spans(text: str, evidence: list[str]) -> list[tuple[int, int]]:
    out = []
    for sentence in evidence:
        at = text.find(sentence)
        if at >= 0:
            out.append((at, at + len(sentence)))
    return out


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    shorter = min(a[1] - a[0], b[1] - b[0])
    return shorter > 0 and min(a[1], b[1]) - max(a[0], b[0]) >= 0.5 * shorter


def _sentences_with_meetings(row: dict):
    """(sentence, the gold meetings whose evidence it carries) for each sentence of an annotated article and its
    title; nothing for an older gold file, whose meetings carry no evidence (which sentence says what is unknown)."""
    meetings = row.get("meetings") or []
    if any(not m.get("evidence") for m in meetings):
        return
    text, title = row["text"], row.get("title") or ""
    pieces = [(off, off + len(s), s, text) for off, s in split_sentences(text)]
    if title.strip():
        pieces.append((0, len(title), title, title))
    for start, end, sentence, source in pieces:
        yield sentence, [m for m in meetings
                         if any(_overlaps((start, end), span) for span in _spans(source, m["evidence"]))]


def labelled_sentences(row: dict) -> list[tuple[str, dict[str, float]]]:
    """(sentence, cats) for every sentence of an annotated article; [] when its meetings carry no evidence."""
    out = []
    for sentence, found in _sentences_with_meetings(row):
        tenses = {m["tense"] for m in found}
        if not found and not CANDIDATE.search(sentence.lower()):
            continue  # no meeting word: the classifier is never asked about such a sentence
        status = ("UPCOMING" if "upcoming" in tenses else "CANCELLED" if "cancelled" in tenses
                  else "PAST" if "past" in tenses else "NONE")
        cats = {label: float(label == status) for label in STATUS_LABELS}
        ahead = [m for m in found if m["tense"] == "upcoming"]
        for labels, prefix, field in ((KIND_LABELS, "KIND_", "kind"), (CERTAINTY_LABELS, "CERT_", "certainty")):
            values = {m[field] for m in ahead}
            if len(values) == 1:
                value = f"{prefix}{values.pop()}"
                cats.update({label: float(label == value) for label in labels})
        out.append((normalise(sentence), cats))
    return out


def labelled_gatherings(row: dict) -> list[tuple[str, dict[str, float]]]:
    """(marked sentence, cats) for every gathering name the grammar finds in an annotated article: GATHERING
    when a gold meeting of that name (in any status) has the sentence among its evidence."""
    out = []
    for sentence, found in _sentences_with_meetings(row):
        for start, end, name in gathering_names(sentence):
            hit = any(m.get("name") and same_summit_name(name, m["name"]) for m in found)
            out.append((marked(sentence, start, end), {GATHERING: float(hit)}))
    return out


def per_article(label):
    """An article labeller (labelled_sentences, labelled_gatherings) as a labeller of a list of articles."""
    return lambda rows: [example for row in rows for example in label(row)]


def write_docbin(examples: list[tuple[str, dict[str, float]]], path: Path) -> int:
    """Labelled examples (text, cats) as a spaCy DocBin; returns how many."""
    import spacy
    from spacy.tokens import DocBin

    nlp = spacy.blank("en")
    bin_ = DocBin(store_user_data=False)
    for text, cats in examples:
        doc = nlp.make_doc(text)
        doc.cats = cats
        bin_.add(doc)
    path.parent.mkdir(parents=True, exist_ok=True)
    bin_.to_disk(path)
    return len(examples)


def data(out_dir: str) -> None:
    """corpus/{train,dev}.jsonl -> OUT_DIR/{train,dev}.spacy (the test split is never used here)."""
    out = Path(out_dir)
    for split in ("train", "dev"):
        rows = read_jsonl(CORPUS / f"{split}.jsonl")
        n = write_docbin(per_article(labelled_sentences)(rows), out / f"{split}.spacy")
        print(f"{split}: {len(rows)} articles, {n} sentences -> {out / f'{split}.spacy'}")
        n = write_docbin(per_article(labelled_gatherings)(rows), out / f"gathering-{split}.spacy")
        print(f"{split}: {n} gathering names -> {out / f'gathering-{split}.spacy'}")


def install(trained: str, which: str = "sentences") -> None:
    """Copy a trained pipeline to where the extractor loads it, its meta naming the corpus it saw."""
    src = Path(trained)
    target = MODELS[which]
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(src, target)
    meta_path = target / "meta.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    meta["name"], meta["version"] = f"summitbot_{which}", "1.0.0"
    meta["corpus_sha256"] = file_hash(CORPUS / "train.jsonl")
    meta_path.write_text(json.dumps(meta, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    print(f"installed {src} -> {target} (corpus {meta['corpus_sha256'][:12]})")


USAGE = "usage: python -m bot.learn data OUT_DIR | python -m bot.learn install TRAINED_MODEL_DIR [sentences|gatherings]"

if __name__ == "__main__":
    command, args = sys.argv[1:2], sys.argv[2:]
    if command == ["data"] and len(args) == 1:
        data(args[0])
    elif command == ["install"] and len(args) in (1, 2) and args[1:2] in ([], *([k] for k in MODELS)):
        install(*args)
    else:
        sys.exit(USAGE)
