"""Life expectancy at birth with 95% confidence intervals from the OHID Fingertips API (indicator 90366).

``llr fetch-fingertips`` (online only) brings indicator 90366 for the counties and unitary authorities
(``area_level`` ``utla``) and for the districts and unitary authorities (``ltla``), with OHID's 95%
confidence limits; processing makes them into ``life_expectancy/fingertips_le``
(:mod:`llr_analysis.process.fingertips`). The table is empty, or absent, when nothing was fetched (the
loader, :func:`.load.load_fingertips`, then gives an empty frame): every function here then returns an
empty frame and the page keeps its other sources. Pure functions: ``ft`` is that table as loaded
(``LifeExpectancyData.fingertips_le``), ``le_la`` the extract / ONS 2019 edition table.

When present, these figures are preferred to the Trafford Data Lab extract of the same indicator (no
intervals, no county row) for the latest period: each area is compared with England's value for the same
period and sex by CI overlap (:func:`llr_analysis.stats.compare_by_ci_overlap`, higher is better), the
OHID method.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from llr_analysis.places import get_place, load_places
from llr_analysis.stats import compare_by_ci_overlap

INDICATOR_ID = 90366
#: The source as the pages name it.
SOURCE = "OHID Fingertips, indicator 90366 (life expectancy at birth, ONS three-year figures)"
SOURCE_SHORT = "OHID Fingertips, indicator 90366"
SOURCE_ID = "fingertips"  # as the processed table (and the screening downloads) name it
POLARITY = "higher_is_better"
COLUMNS = [
    "area_code",
    "area_name",
    "role",
    "area_level",
    "sex",
    "period",
    "period_sort",
    "value",
    "lower_95",
    "upper_95",
    "england_value",
    "england_lower_95",
    "england_upper_95",
    "gap",
    "comparison",
]


def period_label(period: object) -> str:
    """Fingertips' '2021 - 23' as the site writes periods: '2021-23'."""
    return re.sub(r"\s*-\s*", "-", str(period).strip())


def fingertips_le(ft: pd.DataFrame) -> pd.DataFrame:
    """The 90366 rows of the processed table (life expectancy at birth) with a value, periods as the site
    writes them."""
    df = ft[(ft["indicator_id"] == INDICATOR_ID) & ft["value"].notna()].copy()
    df["period"] = df["period"].map(period_label)
    return df.reset_index(drop=True)


def with_england(df: pd.DataFrame, england: pd.DataFrame) -> pd.DataFrame:
    """Add England's value and limits for the same period and sex, the gap (area minus England, years)
    and the comparison with England by CI overlap (95% limits; higher is better)."""
    eng = england[["period", "sex", "value", "lower_95", "upper_95"]].drop_duplicates(["period", "sex"])
    eng = eng.rename(columns={"value": "england_value", "lower_95": "england_lower_95", "upper_95": "england_upper_95"})
    out = df.merge(eng, on=["period", "sex"], how="left")
    out["gap"] = out["value"] - out["england_value"]
    out["comparison"] = compare_by_ci_overlap(
        out["value"], out["lower_95"], out["upper_95"], out["england_value"], polarity=POLARITY
    )
    return out


def place_table(ft: pd.DataFrame, place: str) -> pd.DataFrame:
    """The latest 90366 figures for the place (county or unitary authority), its districts and England.

    The period is the latest in which the place itself has a value (its districts and England are shown
    for that period). One row per area and sex, columns :data:`COLUMNS`; names from ``places.yml``.
    Empty when the table has no row for the place.
    """
    p, cfg = get_place(place), load_places()
    df = fingertips_le(ft)
    own = df[(df["area_level"] == "utla") & (df["area_code"] == p.code)] if len(df) else df
    if own.empty:
        return pd.DataFrame(columns=COLUMNS)
    latest = own.sort_values("period_sort")["period"].iloc[-1]
    df = df[df["period"] == latest]
    districts = {c: n for c, n in p.districts.items() if c != p.code}
    parts = [
        own[own["period"] == latest].assign(area_name=p.name, role="place"),
        df[(df["area_level"] == "ltla") & df["area_code"].isin(districts)].assign(
            area_name=lambda d: d["area_code"].map(districts), role="district"
        ),
    ]
    england = df[df["area_code"] == cfg.england_code].drop_duplicates(["period", "sex"])
    rows = with_england(pd.concat(parts, ignore_index=True), england)
    eng = with_england(england.assign(area_name="England", role="England"), england)
    eng["comparison"], eng["gap"] = "comparator", np.nan
    out = pd.concat([rows, eng], ignore_index=True)
    out["_role"] = out["role"].map({"place": 0, "district": 1, "England": 2})
    out["_sex"] = out["sex"].map({"Male": 0, "Female": 1})
    out = out.sort_values(["_role", "area_name", "_sex"]).reset_index(drop=True)
    return out[COLUMNS]


def extract_latest(le_la: pd.DataFrame, place: str) -> str | None:
    """The latest period of life expectancy at birth for the place in the extract / ONS 2019 edition
    (``life_expectancy/le_la``), or None when it has none."""
    la = le_la
    la = la[(la["area_code"] == get_place(place).code) & (la["age"] == "birth") & la["value"].notna()]
    return None if la.empty else str(la.sort_values("period_start")["period"].iloc[-1])


def preferred_table(ft: pd.DataFrame, le_la: pd.DataFrame, place: str) -> pd.DataFrame:
    """:func:`place_table` when its period is at least as recent as the place's latest period in the
    extract (the usual case: the extract is a copy of the same indicator), else an empty frame, so that
    older figures never replace newer ones because they have intervals."""
    t = place_table(ft, place)
    if t.empty:
        return t
    other = extract_latest(le_la, place)
    if other is not None and int(t["period"].iloc[0][:4]) < int(other[:4]):
        return pd.DataFrame(columns=COLUMNS)
    return t


def headline(ft: pd.DataFrame, le_la: pd.DataFrame, place: str, sex: str) -> dict | None:
    """The place's latest 90366 figure for one sex in the overview's headline layout (when preferred,
    :func:`preferred_table`), or None."""
    t = preferred_table(ft, le_la, place)
    rows = t[(t["role"] == "place") & (t["sex"] == sex)]
    if rows.empty:
        return None
    r = rows.iloc[0]
    return {
        "period": r["period"],
        "value": r["value"],
        "lower_95": r["lower_95"],
        "upper_95": r["upper_95"],
        "england_value": r["england_value"],
        "comparison": r["comparison"],
        "note": f"{SOURCE}; compared with England by 95% confidence intervals",
    }
