"""The domain profile and the supplementary indices IDACI / IDAOPI.

* :func:`domain_profile`: the share of LSOAs in the national most deprived decile per domain;
* :func:`weighted_rate` / :func:`supplementary_summary`: IDACI / IDAOPI as the share of children /
  older people who are income deprived (score weighted by the index's own denominator);
* :func:`england_supplementary`: England's IDACI and IDAOPI.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, cast

import numpy as np
import pandas as pd

from llr_analysis.analysis.deprivation.load import DeprivationData
from llr_analysis.analysis.deprivation.lsoas import check_edition, locality_columns
from llr_analysis.process.deprivation import DOMAINS, EDITIONS, INDEX_LABELS
from llr_analysis.stats.weighted import weighted_mean

#: The indices of the domain profile and of the local-authority summaries, in MHCLG's order.
PROFILE_INDICES = ["imd", *DOMAINS, "idaci", "idaopi"]

#: Short index labels for chart axes.
SHORT_LABELS = {
    "imd": "IMD (overall)",
    "income": "Income",
    "employment": "Employment",
    "education": "Education, skills and training",
    "health": "Health and disability",
    "crime": "Crime",
    "barriers": "Barriers to housing and services",
    "living_environment": "Living environment",
    "idaci": "Income: children (IDACI)",
    "idaopi": "Income: older people (IDAOPI)",
}

#: The population denominator of each supplementary index.
SUPPLEMENTARY_WEIGHTS = {"idaci": "children_0_15", "idaopi": "older_60_plus"}


def england_share_decile1(edition: str) -> float:
    """% of England's LSOAs in national decile 1: MHCLG's decile 1 is ranks 1..floor(N/10) (N LSOAs)."""
    n = EDITIONS[check_edition(edition)]["n_lsoas"]
    return 100 * (n // 10) / n


def domain_profile(iod: pd.DataFrame, lsoa_codes: Iterable[str], edition: str) -> pd.DataFrame:
    """Share of a set of LSOAs in the national most deprived decile, for the IMD and each index.

    ``iod``: rows of ``deprivation/iod_lsoa`` (``edition``, ``lsoa_code``, ``index_id``,
    ``decile``). Returns one row per index of :data:`PROFILE_INDICES` that covers all the
    LSOAs (IDACI/IDAOPI only where the file has them): ``index_id``, ``label``, ``lsoas``,
    ``short_label``, ``lsoas_decile1``, ``pct_lsoas_decile1`` and ``england_pct`` (England's share, just under
    10% by MHCLG's decile cut).
    """
    edition = check_edition(edition)
    codes = pd.Index(pd.unique(pd.Series(list(lsoa_codes))))
    rows = iod[(iod["edition"] == edition) & iod["index_id"].isin(PROFILE_INDICES) & iod["lsoa_code"].isin(codes)]
    g = rows.groupby("index_id")
    out = pd.DataFrame({"lsoas": g.size(), "lsoas_decile1": g["decile"].apply(lambda d: int((d == 1).sum()))})
    out = out[out["lsoas"] == len(codes)]
    out["pct_lsoas_decile1"] = 100 * out["lsoas_decile1"] / out["lsoas"]
    out["england_pct"] = england_share_decile1(edition)
    out = out.reindex([i for i in PROFILE_INDICES if i in out.index])
    out.insert(0, "label", [INDEX_LABELS[i] for i in out.index])
    out.insert(1, "short_label", [SHORT_LABELS[i] for i in out.index])
    return out.rename_axis("index_id").reset_index()


def weighted_rate(df: pd.DataFrame, weight_col: str) -> pd.Series:
    """IDACI / IDAOPI for a set of LSOAs as a percentage of its children / older people.

    IDACI's score is the proportion of an LSOA's children aged 0-15 living in income-deprived
    families, IDAOPI's the proportion of its people aged 60 and over who are income deprived
    (IoD2019 Technical report, section 3.2). Weighting each LSOA's score by its own denominator
    (``children_0_15`` / ``older_60_plus``) gives the share for the whole set - MHCLG's
    "average score" of these indices. Also the number of LSOAs and the share of them in
    national decile 1. NaN where any denominator is missing.
    """
    w = df[weight_col] if weight_col in df else pd.Series(np.nan, index=df.index)
    return pd.Series(
        {
            "lsoas": len(df),
            "people": w.sum() if not w.isna().any() else np.nan,
            "pct_income_deprived": 100 * weighted_mean(df["score"], w),
            "pct_lsoas_decile1": 100 * (df["decile"] == 1).mean(),
        }
    )


def supplementary_summary(
    df: pd.DataFrame, edition: str, level: str, weight_col: str, total_name: str | None = None
) -> pd.DataFrame:
    """:func:`weighted_rate` for each locality (most deprived first), plus a total row when ``total_name``."""
    code_col, name_col = locality_columns(check_edition(edition), level)
    out = (  # cast: pandas-stubs lack apply's include_groups (see lsoas.locality_summary)
        cast(Any, df.groupby([code_col, name_col]))
        .apply(weighted_rate, weight_col, include_groups=False)
        .reset_index()
        .rename(columns={code_col: "area_code", name_col: "area_name"})
    )
    out = out.sort_values("pct_income_deprived", ascending=False, na_position="last")
    if total_name is not None:
        total = weighted_rate(df, weight_col)
        out = pd.concat([out, pd.DataFrame([{"area_code": "", "area_name": total_name, **total}])], ignore_index=True)
    out["lsoas"] = out["lsoas"].astype(int)
    out["people"] = out["people"].round().astype("Int64")
    return out.reset_index(drop=True)


def england_supplementary(data: DeprivationData, edition: str) -> dict[str, float]:
    """England's IDACI and IDAOPI as % of children / people aged 60+: every LSOA's score weighted by
    its own denominator (MHCLG's average score), from the edition's LSOA data. NaN for an index whose
    scores or denominators do not cover every LSOA in England (IoD2025 offline: the default places only)."""
    edition = check_edition(edition)
    n = EDITIONS[edition]["n_lsoas"]
    iod = data.iod
    pop = data.population[data.population["edition"] == edition]
    out = {}
    for index_id, weight in SUPPLEMENTARY_WEIGHTS.items():
        s = iod[(iod["edition"] == edition) & (iod["index_id"] == index_id)][["lsoa_code", "score"]]
        e = s.merge(pop[["lsoa_code", weight]], on="lsoa_code", how="left")
        complete = len(e) == n and not e[weight].isna().any() and not e["score"].isna().any()
        out[index_id] = 100 * weighted_mean(e["score"], e[weight]) if complete else float("nan")
    return out
