"""The finder: scans a text with every rule, keeps the longest non-overlapping matches, composes them left
to right; and the public entry points find_dates, resolve and when_json."""

from __future__ import annotations

import functools
import logging
import re
from dataclasses import replace
from datetime import date, datetime

from . import clock, counted, holidays, named_dates, numeric, relative, spans, years
from .compose import _apply_prefix, _APPROX, _compose, _in_context, _POSSESSIVE, _PREFIX, _PREFIX_KIND
from .lexicon import _FLAGS, _low, _MON, _NORMALISE, _WD
from .locales import Locale, _NO_LOCALE
from .rules import _Cx, _run, _Val, rule_table
from .values import Found, Resolved, Unresolvable

log = logging.getLogger(__name__)

# Every rule; where two match the same stretch of text, the earlier one wins.
_RULES = rule_table(numeric, named_dates, years, holidays, relative, spans, counted, clock)

# A date right after a past-tense verb is that verb's, and looks back whatever the sentence's tense ("announced
# Wednesday by ...", "disclosed in May that ...", "Rescued on Nov. 25"); not after a verb that plans or moves
# ("scheduled Friday", "expected in May", "postponed Friday"), a passive still to come ("will be held Friday")
# or a participle used as an adjective or a present state ("the announced Friday meeting", "is closed Monday", "so
# excited Friday").  Towards "ahead of" a date looks ahead.
_IRREGULAR_PAST = frozenset("said told met held made took came went began left won lost saw spoke wrote gave sent"
                            " flew fell rose struck led brought sought fought found became broke chose paid kept spent"
                            " sold heard shot stood".split())
_OWN_VERB = re.compile(
    r"(?:(?:(?<![-\w'])(?P<aux>be|being|to|the|a|an|its|their|his|her|this|that|am|are|is|so|very|really|too|quite"
    r"|pretty|super|get|gets|getting|feel|feels|feeling)|(?P<aux2>'(?:m|re|s)))\s+(?:\w+ly\s+)?)?(?<![-\w'])"
    rf"(?P<v>[a-z]{{3,}}ed|{'|'.join(sorted(_IRREGULAR_PAST))})\s+(?:on\s+|in\s+)?$"
    r"|(?P<ahead>\bahead\s+of\s+)$", _FLAGS)
# Verbs that plan or move a date, and words in -ed that are no past tense ("need", "indeed", "hundred").
_NOT_PAST_VERB = re.compile(r"(?:expect|schedul|plann|slat|postpon|delay|defer|mov|resched|push|extend|intend|propos"
                            r"|target|aim|bill|book|pencil|arrang|fix|limit|timed|hundred|embed)|\w*(?<![rt])eed$",
                            _FLAGS)


def _own_tense(norm: str, start: int) -> str | None:
    """The direction the words just before a date give it on their own: its past-tense verb's, or ahead."""
    words = norm[max(0, start - 40):start].lower().split()
    last = words[-2] if len(words) > 1 and words[-1] in ("on", "in", "of") else words[-1] if words else ""
    if not (last.endswith("ed") or last in _IRREGULAR_PAST or last == "ahead"):
        return None  # the common case, without the regex
    m = _OWN_VERB.search(norm, max(0, start - 40), start)
    if m is None:
        return None
    if m["ahead"]:
        return "future"
    return None if m["aux"] or m["aux2"] or _NOT_PAST_VERB.match(m["v"]) else "past"


_FILLER = re.compile(r"(?:[\s,.;:!?()\"'\[\]-]|\b(?:on|in|at|during|over|around|about|approximately|roughly|sometime"
                     r"|some\s+time|circa|for|of|the|to|morning|afternoon|evening|night)\b)*", _FLAGS)


# Cheap whole-text probes: a rule's (slower) regex runs only if the text has what it needs.  Substring
# tests on the lower-cased text come first: they are C-speed and rule most sentences out.
_WORDS = ("day", "week", "month", "year", "quarter", "morning", "afternoon", "evening", "night", "tomorrow",
          "spring", "summer", "autumn", "fall", "winter", "christmas", "thanksgiving", "easter", "noon", "midnight", "hour",
          "fortnight", "now", "half", "tmr", "2mor", "tomorow", "tommor", "tonite", "2nite",
          "decade", "centur")
_ORD_STEMS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth",
              "eleventh", "twelfth", "teenth", "tieth", "twenty", "thirty")
_MONTH_RX = re.compile(_MON, _FLAGS)
_WD_RX = re.compile(_WD, _FLAGS)
_DIGIT_ORD = re.compile(r"\d(?:st|nd|rd|th)\b", re.I)
_DECADE_RX = re.compile(r"\d0'?s\b")


_MONTH_STEMS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


def _features(norm: str, lenient: bool) -> dict[str, bool]:
    low = norm.lower()
    has = low.__contains__  # any(map(has, ...)) runs the substring tests at C speed
    digit = any(map(has, "0123456789"))
    month = any(map(has, _MONTH_STEMS)) and bool(_MONTH_RX.search(norm))
    words = any(map(has, _WORDS))
    return {
        "digit": digit, "month": month, "words": words, "lenient": lenient, "always": True,
        "any": digit or month or words or lenient,
        "weekday": "day" in low and bool(_WD_RX.search(norm)),
        "ordinal": (digit and (bool(_DIGIT_ORD.search(norm)) or " month" in low))
                   or any(map(has, _ORD_STEMS)),
        "decade": digit and bool(_DECADE_RX.search(norm)),
    }


def _as_date(ref: date | datetime) -> date:
    if isinstance(ref, datetime):
        return ref.date()  # the reference's own local date, not UTC
    if isinstance(ref, date):
        return ref
    raise TypeError(f"ref must be a date or datetime, not {type(ref).__name__}")


@functools.lru_cache(maxsize=1024)
def _matches(norm: str, lenient: bool) -> tuple[tuple[int, re.Match], ...]:
    """Every rule's regex matches in a normalised text, as (rule index, match). They depend on the
    text alone, while a sentence is resolved several times (one tense, then another, another anchor):
    the regexes run once."""
    out = []
    feats = _features(norm, lenient)
    has = norm.lower().__contains__
    for idx, need, cues, finditer in _GATES:
        if feats[need] and (not cues or any(map(has, cues))):
            for m in finditer(norm):
                if m.end() > m.start():
                    out.append((idx, m))
    return tuple(out)


# The rule table as _matches reads it on its hot path: (index, feature needed, cue words, the regex's finditer).
_GATES = tuple((idx, rule.need, rule.cues, rule.regex.finditer) for idx, rule in enumerate(_RULES))


def _resolved(v: _Val, text: str) -> Resolved:
    return Resolved(v.start, v.end, v.grain, text, v.time, v.unit, v.mod, v.zone, v.vague, v.pod, v.value)


def _scan(text: str, ref: date | datetime, tense: str | None, anchor: date | None, lenient: bool,
          locale: Locale = _NO_LOCALE, vague: bool = False, own_tense: bool = False) -> list[Found]:
    """Candidates from every rule, longest non-overlapping ones, composed left to right."""
    if tense not in (None, "past", "future"):
        raise ValueError(f"tense must be 'past', 'future' or None, not {tense!r}")
    ref_d = _as_date(ref)
    norm = text.translate(_NORMALISE)
    start_anchor = (anchor, anchor) if anchor else (ref_d, ref_d)
    cx = _Cx(ref_d, tense, start_anchor, lenient, norm, locale, own_tense or lenient)

    # 1. candidates from every rule; 2. the longest non-overlapping ones win.
    cands = [(m.start() - m.end(), m.start(), idx, m) for idx, m in _matches(norm, lenient)
             if (v := _run(_RULES[idx], m, cx)) is not None and (vague or lenient or not v.vague)]
    cands.sort(key=lambda c: c[:3])
    taken = bytearray(len(norm))
    atoms = []
    for _, start, idx, m in cands:
        if not any(taken[start:m.end()]):
            taken[start:m.end()] = b"\x01" * (m.end() - start)
            atoms.append((start, m.end(), _RULES[idx], m))
    atoms.sort(key=lambda a: a[0])

    # 3. compose left to right, re-resolving each atom against the latest anchor.
    out: list[Found] = []
    cur = start_anchor
    prev_end, i = 0, 0
    here: _Val | None = None    # the last date found in this text (the outside anchor aside)
    dated: _Val | None = None   # the last one with its year written out
    while i < len(atoms):
        start, end, rule, m = atoms[i]
        j = i + 1
        pm = _PREFIX.search(norm, max(prev_end, start - 30), start)
        if pm and _POSSESSIVE.match(norm, end):
            pm = None  # "before next week's summit": the date only says which summit; 'before' is about it
        kind, implied = _PREFIX_KIND.get(_low(pm["p"]), ("keep", None)) if pm else (None, None)
        # "since X" always looks back; a verb right before a date gives it that verb's direction (unless the
        # caller gave each date its own verb's tense); other modifiers only suggest one when the sentence gave none.
        own = None if pm or cx.strict else _own_tense(norm, start)
        acx = cx.at(cur, "past" if kind == "since" else own or tense or implied)
        v = _run(rule, m, acx)
        if v is None:
            i = j
            continue
        try:
            v = _in_context(v, acx, here, dated, norm[prev_end:start])
            v, end, j = _compose(v, rule, start, end, j, atoms, norm, acx)
            if pm:
                v = _apply_prefix(kind, v, ref_d)
                start = pm.start()
            elif v.mod is None and _APPROX.search(norm, max(prev_end, start - 24), start):
                v = replace(v, mod="approx")  # "around Oct. 30": the span stays, the value says approx
        except (ValueError, OverflowError) as exc:
            log.debug("could not compose %r: %s", norm[start:end], exc)
        out.append(Found(start, end, _resolved(v, text[start:end]),
                         tuple(Found(s, e, _resolved(p, text[s:e])) for s, e, p in v.parts) if v.parts else ()))
        if v.vague:  # no date: not an anchor for what follows
            prev_end, i = end, j
            continue
        cur, prev_end, i = (v.start, v.end), end, j
        if not v.is_time:
            here = v
            dated = v if v.dated else dated
    return out


def find_dates(text: str, ref: date | datetime, tense: str | None = None, anchor: date | None = None, *,
               locale: Locale | None = None, vague: bool = False, own_tense: bool = False) -> list[Found]:
    """Every time expression in text, left to right, non-overlapping, longest match first.

    ``tense`` is the sentence's: a yearless date it would put most of a year away while the other
    occurrence is weeks away is the near one (the near-date rule; "said it was extended to Nov. 16" on
    Oct. 30).  With ``own_tense`` the tense is every date's own (its verb's, read from a parse) and binds,
    as it does in ``resolve``, whose phrase is one time expression.

    Vague references ("now", "currently", "recently", "soon") are left out unless ``vague``; then they
    come marked (``Resolved.vague``) and are no date.  ``locale`` (see ``locale_for``) decides the order of
    a/b/yyyy dates, the fiscal year and "local time"."""
    return _scan(text, ref, tense, anchor, False, locale or _NO_LOCALE, vague, own_tense)


def resolve(phrase: str, ref: date | datetime, tense: str | None = None,
            anchor: date | None = None, *, locale: Locale | None = None) -> Resolved:
    """Resolve one whole time phrase (leading "on", "in", "as early as" etc. allowed)."""
    found = _scan(phrase, ref, tense, anchor, True, locale or _NO_LOCALE, True)
    if not found:
        raise Unresolvable(f"no time expression in {phrase!r}")
    if len(found) > 1:
        raise Unresolvable(f"several time expressions in {phrase!r}: "
                           + ", ".join(repr(f.value.text) for f in found))
    f = found[0]
    norm = phrase.translate(_NORMALISE)
    if not (_FILLER.fullmatch(norm, 0, f.start_char) and _FILLER.fullmatch(norm, f.end_char)):
        raise Unresolvable(f"{phrase!r} has words around the time expression {f.value.text!r}")
    v = f.value  # built field by field: dataclasses.replace is slow on a hot path
    return Resolved(v.start, v.end, v.grain, phrase.strip(), v.time, v.unit, v.mod, v.zone, v.vague, v.part_of_day,
                    v.timex_value)


def when_json(phrase: str, ref: date | datetime, tense: str | None = None, *, timex: bool = False,
              locale: Locale | None = None) -> dict:
    """One JSON-ready line for ``summitbot when``: the resolution or an error; never raises."""
    try:
        return resolve(phrase, ref, tense, locale=locale).to_json(timex=timex)
    except Unresolvable as exc:
        return {"text": phrase, "error": str(exc)}
    except Exception as exc:  # the CLI must keep going line by line; a bug is logged, not fatal
        log.exception("when_json failed on %r", phrase)
        return {"text": phrase, "error": f"internal error: {exc}"}
