"""Small wording helpers shared by the report modules.

:func:`at_extreme` names *every* area at the lowest or highest value as shown (a tie is judged at the
precision the sentence prints, so two districts both shown as 83.8 years are both named).
"""

from __future__ import annotations

import re
from datetime import date
from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:
    from llr_analysis.places import LocalityLevel


def join_names(names: list[str]) -> str:
    """'A', 'A and B', 'A, B and C'."""
    names = [str(n) for n in names]
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def at_extreme(df: pd.DataFrame, value: str, name: str, lowest: bool, decimals: int = 1) -> tuple[float, str]:
    """The lowest (or highest) value of ``df[value]`` and every name at it, as shown to ``decimals``.

    >>> d = pd.DataFrame({"v": [83.8, 83.84, 85.0], "n": ["South Town", "North Town", "X"]})
    >>> at_extreme(d, "v", "n", lowest=True)
    (83.8, 'North Town and South Town')
    """
    d = df.dropna(subset=[value])
    shown = d[value].round(decimals)
    best = shown.min() if lowest else shown.max()
    hits = sorted(set(d.loc[shown == best, name].astype(str)))
    return float(best), join_names(hits)


def plural(level: LocalityLevel) -> str:
    """The level's plural in a sentence: "wards", "districts", "MSOAs"."""
    return level.plural if level.plural[:2].isupper() else level.plural.lower()


#: A figure whose period ended more than this many years before the build is marked as older data.
OLDER_AFTER_YEARS = 3


def period_end_year(period) -> int | None:
    """The last calendar year a period label covers: '2023-25' -> 2025, 'mid-2020' -> 2020,
    '31 December 2017' -> 2017, '2015 to 2018' -> 2018, 'IoD2025' -> 2025; None without a year."""
    text = str(period)
    years = [int(y) for y in re.findall(r"(?<!\d)(\d{4})(?!\d)", text)]
    years += [int(a[:2] + b) for a, b in re.findall(r"(?<!\d)(\d{4})-(\d{2})(?!\d)", text)]
    return max(years) if years else None


def is_older_data(period, today: date | None = None) -> bool:
    """True when the period ended more than :data:`OLDER_AFTER_YEARS` years before ``today``."""
    end = period_end_year(period)
    return end is not None and end < (today or date.today()).year - OLDER_AFTER_YEARS
