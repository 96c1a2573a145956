"""How names are compared: one key per spelling of a person's or a summit's name (a leaf: it imports nothing of bot)."""

from __future__ import annotations

import unicodedata
from functools import lru_cache


@lru_cache(maxsize=65536)
def name_key(name: str) -> str:
    """Lower-case, hyphens as spaces, no diacritics or punctuation: 'Lee Jae-myung' -> 'lee jae myung'."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.lower().replace("-", " ")
    text = "".join(c if c.isalnum() or c.isspace() else " " for c in text)
    return " ".join(text.split())


SUMMIT_NAME_FILLER = {"the", "summit", "meeting", "leaders", "of", "annual", "and", "s"}


def summit_name_words(name: str | None) -> set[str]:
    """The words that tell summit names apart: 'APEC Leaders' Meeting' -> {'apec'}."""
    return {w for w in name_key(name or "").split() if w not in SUMMIT_NAME_FILLER}


def summit_key(name: str | None) -> str | None:
    """The summit-telling words of a name, sorted: two names are one summit when their keys are equal."""
    words = summit_name_words(name)
    return " ".join(sorted(words)) if words else None


# Arabic names name a father after "bin"/"ibn"/"bint": "Mohammed bin Salman" is no Salman.
PATRONYMIC = frozenset({"bin", "ibn", "bint"})


def fathers_names(words: list[str]) -> set[str]:
    """The words of a name (as name_key gives them) that name a father: ['mohammed', 'bin', 'salman'] -> {'salman'}."""
    return {b for a, b in zip(words, words[1:]) if a in PATRONYMIC}
