"""Population measures on a Series of counts indexed by single year of age (90 = 90 and over).

* :func:`age_band` / :func:`band_counts` - five-year age bands 0-4 ... 85-89 and 90+;
* :func:`count_aged` / :func:`percent_aged` - people in an age range, and their share of all ages;
* :func:`old_age_dependency_ratio` - people aged 65+ per 1,000 aged 16-64;
* :func:`percent_change` - change between two counts;
* :func:`structure` - all of them for one area; :func:`check_year` - the estimate year parameter.

Shares of a population estimate are descriptive, not samples, so no confidence intervals
are given (as in ONS and OHID population profiles).
"""

from __future__ import annotations

from typing import Any, overload

import numpy as np
import pandas as pd

from llr_analysis.errors import ParameterError
from llr_analysis.process.population import TOP_AGE, YEARS

BAND_WIDTH = 5
#: Five-year age bands, youngest first; the last is open (90 and over).
BAND_LABELS = [f"{lo}-{lo + BAND_WIDTH - 1}" for lo in range(0, TOP_AGE, BAND_WIDTH)] + [f"{TOP_AGE}+"]
#: Broad age groups: label -> (youngest, oldest) with ``None`` for "and over".
BROAD_GROUPS: dict[str, tuple[int, int | None]] = {
    "0-15": (0, 15),
    "16-64": (16, 64),
    "65+": (65, None),
    "85+": (85, None),
}


def check_year(year: object) -> int:
    """The estimate year as an int (2019 or 2020: the mid-year LSOA estimates available)."""
    try:
        y: int | None = int(str(year).strip().lower().removeprefix("mid-"))
    except ValueError:
        y = None
    if y is None or y not in YEARS:
        raise ParameterError(f"unknown year {year!r}; LSOA population estimates are available for {list(YEARS)}")
    return y


@overload
def age_band(age: pd.Series, width: int = ..., top: int = ...) -> pd.Series: ...
@overload
def age_band(age: int, width: int = ..., top: int = ...) -> str: ...
def age_band(age: int | pd.Series, width: int = BAND_WIDTH, top: int = TOP_AGE) -> str | pd.Series:
    """The band label of a single year of age: ``age_band(67) == "65-69"``, ``age_band(93) == "90+"``.

    Bands are ``width`` years wide from 0; ages at or above ``top`` fall in the open band
    ``"<top>+"``. Accepts an int or a Series of ints (negative ages are an error).
    """
    if isinstance(age, pd.Series):
        if (age < 0).any():
            raise ValueError(f"negative age: {int(age[age < 0].iloc[0])}")
        lo = (age.clip(upper=top) // width) * width
        return pd.Series(
            np.where(age >= top, f"{top}+", lo.astype(str) + "-" + (lo + width - 1).astype(str)), index=age.index
        )
    years = int(age)
    if years < 0:
        raise ValueError(f"negative age: {years}")
    if years >= top:
        return f"{top}+"
    low = years // width * width
    return f"{low}-{low + width - 1}"


def band_counts(pop_by_age: pd.Series) -> pd.Series:
    """Sum counts by single year of age (the index) into the five-year :data:`BAND_LABELS`, in order."""
    bands = age_band(pd.Series(pop_by_age.index.astype(int), index=pop_by_age.index))
    return pop_by_age.groupby(bands).sum().reindex(BAND_LABELS, fill_value=0)


def count_aged(pop_by_age: pd.Series, youngest: int, oldest: int | None = None) -> float:
    """People aged ``youngest`` to ``oldest`` inclusive (``None`` = and over)."""
    ages = pop_by_age.index.astype(int)
    mask = (ages >= youngest) & ((ages <= oldest) if oldest is not None else True)
    return float(pop_by_age[mask].sum())


def percent_aged(pop_by_age: pd.Series, youngest: int, oldest: int | None = None) -> float:
    """Percentage of all ages who are aged ``youngest`` to ``oldest`` (NaN for an empty population)."""
    total = float(pop_by_age.sum())
    return 100 * count_aged(pop_by_age, youngest, oldest) / total if total > 0 else float("nan")


def old_age_dependency_ratio(pop_by_age: pd.Series) -> float:
    """People aged 65 and over per 1,000 people aged 16 to 64.

    The fixed-age form of the old-age dependency ratio (OADR). ONS's headline OADR counts
    people of State Pension age and over per 1,000 aged 16 to State Pension age (ONS,
    "Living longer and old-age dependency - what does the future hold?", 24 June 2019);
    State Pension age moved from 65 to 66 in 2018-2020, so a fixed age of 65 keeps years and
    places comparable. NaN when nobody is aged 16-64.
    """
    working = count_aged(pop_by_age, 16, 64)
    return 1000 * count_aged(pop_by_age, 65) / working if working > 0 else float("nan")


@overload
def percent_change(before: float, after: float) -> float: ...
@overload
def percent_change(before: pd.Series, after: pd.Series) -> pd.Series: ...
def percent_change(before: Any, after: Any) -> float | pd.Series:
    """Percentage change from ``before`` to ``after``: 100 x (after - before) / before.

    Works on numbers or aligned Series; NaN where ``before`` is zero or missing.
    """
    if np.ndim(before) == 0 and np.ndim(after) == 0:
        bf, af = float(before), float(after)
        return 100 * (af - bf) / bf if bf != 0 and not np.isnan(bf) else float("nan")
    b = pd.to_numeric(pd.Series(before), errors="coerce").astype(float)
    a = pd.to_numeric(pd.Series(after), errors="coerce").astype(float)
    return (100 * (a - b) / b.where(b != 0)).astype(float)


def structure(pop_by_age: pd.Series) -> pd.Series:
    """Population, the broad age-group counts and shares, and the old-age dependency ratio."""
    out = {"population": float(pop_by_age.sum())}
    for label, (lo, hi) in BROAD_GROUPS.items():
        key = label.replace("-", "_").replace("+", "_plus")
        out[f"count_{key}"] = count_aged(pop_by_age, lo, hi)
        out[f"pct_{key}"] = percent_aged(pop_by_age, lo, hi)
    out["oadr"] = old_age_dependency_ratio(pop_by_age)
    return pd.Series(out)
