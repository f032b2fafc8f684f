"""The life expectancy page's paragraph on the place's own gap to England (each place its own, never
another place's). Split from :mod:`llr_analysis.report.life_expectancy`, which re-exports it."""

from __future__ import annotations

from llr_analysis.analysis.life_expectancy.places import LE_SERIES, SERIES_SHORT, place_gap
from llr_analysis.places import get_place


def _gap_words(gap: float) -> str:
    """'2.2 years below England' / '0.4 years above England' / 'the same as England' (1 dp)."""
    r = round(float(gap), 1)
    if r == 0:
        return "the same as England"
    return f"{abs(r):.1f} years {'below' if r < 0 else 'above'} England"


def _gap_direction(gap: float) -> str:
    r = round(float(gap), 1)
    return "the same as England" if r == 0 else f"{abs(r):.1f} years {'below' if r < 0 else 'above'}"


def place_gap_text(place: str, paths=None) -> str:
    """The place's own gap to England at birth, in its newest series (or why it has none there).

    From :func:`llr_analysis.analysis.life_expectancy.place_gap`: the latest period, and how the gap
    moved since the first period of the same series (gaps are never compared across series).
    """
    p = get_place(place)
    g = place_gap(place, paths)
    newest = LE_SERIES[-1]
    head = f"**{p.name}'s gap to England.** "
    usable = [s for s in reversed(LE_SERIES) if {"Male", "Female"} <= set(g.get(s, {}))]
    if not usable:
        return head + f"No life expectancy at birth is published for {p.name} as a whole in these sources."
    series = usable[0]
    m, f = g[series]["Male"], g[series]["Female"]
    text = head
    if series != newest:
        text += (
            f"{SERIES_SHORT[newest]} has no figure for {p.name} as a whole (it is published for districts and "
            f"unitary authorities, not counties), so its own latest figure is older ({SERIES_SHORT[series]}). "
        )
    text += (
        f"In {m['latest']['period']}, life expectancy at birth in {p.name} was "
        f"{m['latest']['value']:.1f} years for males and {f['latest']['value']:.1f} years for females, against "
        f"{m['latest']['england_value']:.1f} and {f['latest']['england_value']:.1f} years in England: "
        f"{_gap_words(m['latest']['gap'])} for males and {_gap_words(f['latest']['gap'])} for females "
        f"({SERIES_SHORT[series]})."
    )
    if m["first"]["period"] != m["latest"]["period"]:
        text += (
            f" In {m['first']['period']}, the first period of that series, it was "
            f"{_gap_direction(m['first']['gap'])} for males and {_gap_direction(f['first']['gap'])} for females."
        )
    if series != newest:
        text += " Its districts' own latest figures are in the summary above and the gap chart below."
    return text
