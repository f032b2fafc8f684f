"""An edition's LSOA table and the statistics of a set of LSOAs (a place, the ICS, each locality).

* :func:`lsoa_frame`: one row per LSOA with names, locality codes, score, rank, decile and population;
* :func:`summarise_lsoas` / :func:`locality_summary`: population-weighted IMD score and the shares of
  LSOAs and of people in the national most deprived 10% and 20%, for any set of LSOAs / each locality;
* :func:`decile_distribution`: the place's population across national deciles.
"""

from __future__ import annotations

from typing import Any, cast

import numpy as np
import pandas as pd

from llr_analysis.analysis.deprivation.load import DeprivationData
from llr_analysis.errors import ParameterError
from llr_analysis.places import get_locality_level, get_place
from llr_analysis.process.deprivation import EDITIONS
from llr_analysis.stats.weighted import weighted_mean

#: Sources registry ids of each edition's LSOA data (for the CSV downloads).
SOURCE_IDS = {"IoD2025": "iod2025_file7_llr; iod2025_england", "IoD2019": "iod2019_file7"}

#: Readable names of the population denominators.
DENOMINATOR_LABELS = {
    "population": "total population",
    "working_age": "working-age population",
    "children_0_15": "children aged 0-15",
    "older_60_plus": "people aged 60 and over",
}


def check_edition(edition: str) -> str:
    for e in EDITIONS:
        if str(edition).strip().lower() == e.lower():
            return e
    raise ParameterError(f"unknown IoD edition {edition!r}; expected one of {list(EDITIONS)}")


def lsoa_frame(data: DeprivationData, edition: str, place: str | None = None, index_id: str = "imd") -> pd.DataFrame:
    """One row per ICS LSOA of the edition's geography: names, locality codes, score, rank, decile and the
    population denominators (``population``, ``children_0_15``, ``older_60_plus``, ``working_age``)."""
    edition = check_edition(edition)
    iod = data.iod[(data.iod["edition"] == edition) & (data.iod["index_id"] == index_id)]
    pop = data.population
    pop = pop[pop["edition"] == edition][["lsoa_code", *[c for c in DENOMINATOR_LABELS if c in pop]]]
    if EDITIONS[edition]["lsoa_vintage"] == 2021:
        geo = data.lsoa21.rename(columns={"lsoa21_code": "lsoa_code", "lsoa21_name": "lsoa_name"})
    else:
        geo = data.lsoa11.rename(columns={"lsoa11_code": "lsoa_code", "lsoa11_name": "lsoa_name"})
    df = geo.merge(iod.drop(columns=["lad_code"]), on="lsoa_code", how="left").merge(pop, on="lsoa_code", how="left")
    if place is not None:
        df = df[df["place_id"] == get_place(place).id]
    return df.reset_index(drop=True)


def locality_columns(edition: str, level: str) -> tuple[str, str]:
    """The code and name columns of :func:`lsoa_frame` for a locality level on the edition's geography."""
    lv = get_locality_level(level)
    if EDITIONS[edition]["lsoa_vintage"] == 2021:
        # lsoa_frame names the LSOA columns lsoa_code / lsoa_name in both vintages
        renamed = {"lsoa21_code": "lsoa_code", "lsoa21_name": "lsoa_name"}
        return renamed.get(lv.code_column, lv.code_column), renamed.get(lv.name_column, lv.name_column)
    mapping = {
        "district": ("lad_code", "lad_name"),
        "msoa": ("msoa11_code", "msoa11_name"),
        "lsoa": ("lsoa_code", "lsoa_name"),
    }
    if level not in mapping:
        raise ParameterError(
            f"{edition} is on LSOA 2011 geography: locality level {level!r} is not available "
            f"(use one of {sorted(mapping)})"
        )
    return mapping[level]


def summarise_lsoas(g: pd.DataFrame) -> pd.Series:
    """LSOAs, population, population-weighted IMD score, and % of LSOAs and of population in the
    national most deprived 10% and 20% (deciles 1 and 1-2) for a set of LSOAs.

    The average score is MHCLG's "average score" summary measure (IoD2019 Research report,
    Appendix A): the mean of the LSOA scores weighted by their population denominators.
    """
    pop = g["population"] if "population" in g else pd.Series(np.nan, index=g.index)
    has_pop = not pop.isna().any()
    in10, in20 = g["decile"] <= 1, g["decile"] <= 2
    return pd.Series(
        {
            "lsoas": len(g),
            "population": pop.sum() if has_pop else np.nan,
            "avg_imd_score": weighted_mean(g["score"], pop),
            "pct_lsoas_most_deprived_10": 100 * in10.mean(),
            "pct_lsoas_most_deprived_20": 100 * in20.mean(),
            "pct_pop_most_deprived_10": 100 * pop[in10].sum() / pop.sum() if has_pop else np.nan,
            "pct_pop_most_deprived_20": 100 * pop[in20].sum() / pop.sum() if has_pop else np.nan,
        }
    )


def locality_summary(df: pd.DataFrame, edition: str, level: str) -> pd.DataFrame:
    """:func:`summarise_lsoas` for each locality of ``level``, most deprived first."""
    code_col, name_col = locality_columns(check_edition(edition), level)
    # cast: pandas-stubs lack apply's include_groups (pandas >= 2.2 has it; 2.x needs it to leave the keys out)
    out = cast(Any, df.groupby([code_col, name_col])).apply(summarise_lsoas, include_groups=False)
    out = out.reset_index().rename(columns={code_col: "area_code", name_col: "area_name"})
    out["lsoas"] = out["lsoas"].astype(int)
    out["population"] = out["population"].round().astype("Int64")
    return out.sort_values("avg_imd_score", ascending=False, na_position="last").reset_index(drop=True)


def decile_distribution(df: pd.DataFrame) -> pd.DataFrame:
    """Share of the population (or of LSOAs, where population is missing) in each national decile."""
    weight = "population" if "population" in df and not df["population"].isna().any() else None
    g = df.groupby("decile")
    counts = g["population"].sum() if weight else g.size()
    out = (counts / counts.sum() * 100).reindex(range(1, 11), fill_value=0.0).rename("percent").reset_index()
    out["basis"] = "population" if weight else "LSOAs"
    return out


def england_population_values(data: DeprivationData, edition: str) -> tuple[float, float]:
    """England's population-weighted IMD score and % of people in decile 1; NaN when the edition's
    population denominators do not cover all of England (IoD2025 offline)."""
    iod = data.iod[(data.iod["edition"] == edition) & (data.iod["index_id"] == "imd")]
    pop = data.population
    pop = pop[pop["edition"] == edition][["lsoa_code", "population"]]
    e = iod.merge(pop, on="lsoa_code", how="left")
    if e["population"].isna().any():
        return float("nan"), float("nan")
    return (
        weighted_mean(e["score"], e["population"]),
        100 * e.loc[e["decile"] == 1, "population"].sum() / e["population"].sum(),
    )
