"""Which mentions tell of the same meeting."""

from __future__ import annotations

from bot.extract.context import Mention
from bot.extract.gazetteer import Gazetteer
from bot.extract.patterns import TIERS
from bot.names import name_key, summit_name_words
from bot.temporal import Resolved


def tier(name: str) -> set[str]:
    """Who meets at a body's meeting, when not its leaders: 'G20 sherpa meeting', 'NATO ministerial'."""
    return summit_name_words(name) & TIERS


def compatible(group: list[Mention], m: Mention, g: Gazetteer) -> bool:
    """Whether a mention tells of the same meeting as a group of earlier mentions."""
    g0 = group[0]
    if (m.kind == "phone_call") != (g0.kind == "phone_call"):
        return False
    if m.kind == "visit" and (m.leg is not None or any(x.leg is not None for x in group)) and not (
            {name_key(p) for p in m.locations} & {name_key(p) for x in group for p in x.locations}):
        return False  # another leg of the tour
    if (m.tense == "past") != (g0.tense == "past") and m.tense != "unknown" and g0.tense != "unknown":
        return False
    if not all(overlap(x.dates, m.dates) for x in group) and not same_summit_days(group, m):
        return False
    if m.kind == "visit" and g0.kind == "visit" and m.locations and any(x.locations for x in group) \
            and m.dates is not None and g0.dates is not None and m.dates != g0.dates \
            and not {state_key(g, p) for p in m.locations} & {state_key(g, p) for x in group for p in x.locations}:
        return False  # Peru from Nov. 13 to 17, then Brazil from Nov. 17 to 21: two visits
    if (m.kind == "multilateral") != (g0.kind == "multilateral") and (
            m.at_gathering or any(x.at_gathering for x in group)):
        return False  # a meeting on the sidelines of a summit is not the summit
    gnames = {x.name for x in group if x.name}
    if bool(m.name) != bool(gnames) and (m.kind == "multilateral" or g0.kind == "multilateral"):
        return False
    if m.name and gnames:
        if m.name in gnames or any((summit_name_words(m.name) <= summit_name_words(n)
                                    or summit_name_words(n) <= summit_name_words(m.name))
                                   and tier(m.name) == tier(n) for n in gnames):
            return True  # "the G20 summit" again, but not "a G20 sherpa video conference"
        same_day = m.dates is not None and all(x.dates is not None and x.dates == m.dates for x in group)
        return same_day and any(summit_name_words(m.name) & summit_name_words(n) for n in gnames)
    gpeople = {name_key(p) for x in group for p in x.participants}
    mpeople = {name_key(p) for p in m.participants}
    if m.occasion and g0.occasion and m.occasion != g0.occasion and m.dates is not None and g0.dates is not None:
        return False
    if len(mpeople) >= 2 and len(gpeople) >= 2:
        return mpeople <= gpeople or gpeople <= mpeople
    if m.name is None and not gnames and mpeople and mpeople == gpeople and m.kind == g0.kind:
        return True
    if m.name is None and not gnames and len(mpeople) == 1 and mpeople <= gpeople and m.kind == g0.kind \
            and m.dates is not None and all(x.dates is not None for x in group):
        return True  # "Tuesday's call ... at Macron's initiative" is the Macron-Putin call
    if m.name is None and not gnames and len(gpeople) == 1 and gpeople <= mpeople and m.kind == g0.kind \
            and all(x.order == m.order for x in group):
        return True  # "Putin will meet with his Turkish counterpart, Recep Tayyip Erdogan": one meeting, read twice
    if m.kind == "visit" and len(mpeople) == 1 and mpeople <= gpeople and not m.locations \
            and g0.kind == "bilateral" and m.dates is not None and m.tense == g0.tense:
        return True  # "to meet Biden ahead of the inauguration ... the visit would happen before Christmas"
    return False


def state_key(g: Gazetteer, place: str) -> str:
    """The state a place is in, for comparing places: "Lima" is in "Peru", "Vientiane" in "Laos"."""
    return name_key(g.country(place) or place)


def same_summit_days(group: list[Mention], m: Mention) -> bool:
    """'The G7 summit opens on Sunday' and 'the G7 summit will end on June 17': days of one summit."""
    if m.kind != "multilateral" or not m.name or m.dates is None or m.tense != "upcoming" \
            or not (m.ends or any(x.ends for x in group)):
        return False
    words = summit_name_words(m.name)
    return all(x.kind == "multilateral" and x.name and x.tense == "upcoming" and summit_name_words(x.name) == words
               and (x.dates is None or abs((x.dates.start - m.dates.start).days) <= 14) for x in group)


def overlap(a: Resolved | None, b: Resolved | None) -> bool:
    if a is None or b is None:
        return True
    return a.start <= b.end and b.start <= a.end
