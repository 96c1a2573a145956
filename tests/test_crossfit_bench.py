"""bench/crossfit_train.py on a few dev articles, the spaCy trainings replaced by the committed classifiers: each
half is extracted and scored, and the half models' directory is gone at the end unless --keep names one."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import pytest

import bench.crossfit_train as crossfit
import bot.extract as extract
import bot.extract.gatherings as gatherings
from bot.corpus import read_jsonl
from bot.extract.classifier import MODEL_DIR
from bot.extract.gatherings import MODEL_DIR as GATHERING_MODEL_DIR

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def small(monkeypatch, tmp_path):
    """Twelve dev articles, half with an upcoming meeting, in an order that gives each half (even and odd rows)
    both kinds; the loaders the script replaces are put back after the test; temporary directories go under
    tmp_path."""
    if not (MODEL_DIR / "meta.json").exists() or not (GATHERING_MODEL_DIR / "meta.json").exists():
        pytest.skip("no committed classifiers")
    for module, name in ((extract, "load_classifier"), (gatherings, "load_gathering_classifier"),
                         (extract, "load_meeting_model"), (extract, "load_article_model")):
        monkeypatch.setattr(module, name, getattr(module, name))
    rows = read_jsonl(ROOT / "corpus" / "dev.jsonl")
    ahead = [r for r in rows if any(m["tense"] == "upcoming" for m in r.get("meetings") or [])][:6]
    quiet = [r for r in rows if not any(m["tense"] == "upcoming" for m in r.get("meetings") or [])][:6]
    halves = ([r for pair in zip(ahead[:3], quiet[:3]) for r in pair],
              [r for pair in zip(ahead[3:], quiet[3:]) for r in pair])
    monkeypatch.setattr(crossfit, "read_jsonl", lambda path: [r for pair in zip(*halves) for r in pair])
    trained = []

    def train_half(rows, dev, out):
        out.mkdir(parents=True)
        trained.append(out)
        return {"sentences": MODEL_DIR, "gatherings": GATHERING_MODEL_DIR}

    monkeypatch.setattr(crossfit, "train_half", train_half)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    return trained


def test_the_halves_are_scored_and_their_models_removed(small, tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(sys, "argv", ["crossfit_train.py"])
    crossfit.main()
    out = capsys.readouterr().out
    assert "train (12 articles), cross-fitted: P " in out and "train region rows" in out
    assert len(small) == 2 and not any(d.exists() for d in small)
    assert list((tmp_path / "tmp").iterdir()) == []


def test_keep_keeps_the_half_models(small, tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(sys, "argv", ["crossfit_train.py", "--keep", str(tmp_path / "kept")])
    crossfit.main()
    assert f"half models in {tmp_path / 'kept'}" in capsys.readouterr().out
    assert sorted(p.name for p in (tmp_path / "kept").iterdir()) == ["half0", "half1"]
