"""Charts, sentences and page sections for the deprivation pages.

The numbers come from :mod:`llr_analysis.analysis.deprivation`; everything here turns them into what a
page shows (Altair charts, narrative sentences, display tables, sections written through
:class:`llr_analysis.report.page.Page`).
"""

from __future__ import annotations


def ordinal(n: int) -> str:
    """1 -> "1st", 2 -> "2nd", 11 -> "11th", 23 -> "23rd"."""
    n = int(n)
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def rank_phrase(rank, n_areas: int, ties: int = 0) -> str:
    """e.g. "32nd most deprived of 317" ("joint 193rd ..." when the rank is shared)."""
    joint = "joint " if ties > 1 else ""
    return f"{joint}{ordinal(rank)} most deprived of {int(n_areas)}"
