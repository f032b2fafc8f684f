"""GP practices' coverage: every practice in England for one programme, period and age group (the
ICS's practices with their place, PCN and deprivation), England's figure, and the ICS's practices a page lists
because they closed, have no PCN or were placed approximately."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from llr_analysis.analysis.cancer_screening.coverage import coverage
from llr_analysis.analysis.cancer_screening.programmes import ENGLAND_CODE
from llr_analysis.stats import wilson_ci


def practice_rows(
    practice_coverage: pd.DataFrame, practices: pd.DataFrame, programme: str, period: str, age_group: str
) -> pd.DataFrame:
    """Every practice in England for one programme, period and age group, with the ICS's practices'
    place, PCN and deprivation attached (from ``practices``) and each one's coverage with its Wilson CI."""
    pc = practice_coverage
    pc = pc[(pc["programme"] == programme) & (pc["period"] == period) & (pc["age_group"] == age_group)].copy()
    lk = practices[
        ["practice_code", "pcn_code", "pcn_name", "pcn_basis", "status", "close_date", "imd_score", "imd_decile"]
    ]
    pc = pc.merge(lk, on="practice_code", how="left")
    num, den = pc["numerator"], pc["denominator"]
    ok = num.notna() & den.notna() & (den > 0)
    pc["value"] = np.where(ok, 100 * num / den.where(den > 0), np.nan)
    _, lo, hi = wilson_ci(num.where(ok), den.where(ok))
    pc["lower_95"], pc["upper_95"] = np.asarray(lo, dtype=float), np.asarray(hi, dtype=float)
    return pc.reset_index(drop=True)


def england_row(
    rows: pd.DataFrame, area_coverage: pd.DataFrame | None, programme: str, period: str, age_group: str
) -> dict[str, Any]:
    """England's coverage: the sum over every practice in England (counts published), Wilson CI.

    For Fingertips practice data, Fingertips' own England row (in ``area_coverage``) is used when it has
    counts.
    """
    if area_coverage is not None and len(rows) and (rows["source_id"] == "fingertips").all():
        ac = area_coverage
        e = ac[
            (ac["area_code"] == ENGLAND_CODE)
            & (ac["programme"] == programme)
            & (ac["period"] == period)
            & (ac["age_group"] == age_group)
            & (ac["file"].isin(rows["file"].dropna().unique()) if "file" in rows else True)
        ]
        if len(e) and e.iloc[0][["count", "denominator"]].notna().all():
            return coverage([e.iloc[0]["count"]], [e.iloc[0]["denominator"]]) | {"source": "Fingertips England row"}
    return coverage(rows["numerator"], rows["denominator"]) | {"source": "sum of all practices in England"}


def unmapped_practices(practice_coverage: pd.DataFrame, practices: pd.DataFrame) -> pd.DataFrame:
    """The ICS's practices in the coverage data with no PCN, or placed approximately, or closed since:
    the list the page shows so that no practice is dropped silently."""
    pc = practice_coverage[practice_coverage["in_llr"]]
    df = pc.drop_duplicates(subset=["practice_code", "source_id", "period"]).merge(
        practices[["practice_code", "pcn_code", "pcn_name", "pcn_basis", "status", "close_date", "postcode"]],
        on="practice_code",
        how="left",
    )
    flag = df["pcn_code"].isna() | df["place_basis"].str.contains("approximate", na=False) | df["status"].ne("active")
    return df[flag].sort_values(["place_id", "practice_code"]).reset_index(drop=True)
