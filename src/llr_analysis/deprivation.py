"""Deprivation analysis for a place and its localities (the notebook's logic).

Reads the processed IoD tables (see :mod:`llr_analysis.process.deprivation`). Edition
``IoD2025`` is on LSOA 2021; ``IoD2019`` is on LSOA 2011, for which localities are districts
and 2011 MSOAs only.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .errors import ParameterError
from .places import get_locality_level, get_place, load_places
from .process import read_table
from .process.deprivation import EDITIONS, INDEX_LABELS

__all__ = ["EDITIONS", "INDEX_LABELS", "check_edition", "lsoa_frame", "locality_summary",
           "decile_distribution"]


def check_edition(edition: str) -> str:
    for e in EDITIONS:
        if str(edition).strip().lower() == e.lower():
            return e
    raise ParameterError(f"unknown IoD edition {edition!r}; expected one of {list(EDITIONS)}")


def lsoa_frame(edition: str, place: str | None = None, index_id: str = "imd", paths=None) -> pd.DataFrame:
    """One row per LLR LSOA of the edition's geography: names, locality codes, score, rank, decile, population."""
    edition = check_edition(edition)
    iod = read_table("deprivation/iod_lsoa", paths)
    iod = iod[(iod["edition"] == edition) & (iod["index_id"] == index_id)]
    pop = read_table("deprivation/iod_population", paths)
    pop = pop[pop["edition"] == edition][["lsoa_code", "population"] if "population" in pop else ["lsoa_code"]]
    if EDITIONS[edition]["lsoa_vintage"] == 2021:
        geo = read_table("geography/lsoa21", paths).rename(columns={"lsoa21_code": "lsoa_code",
                                                                    "lsoa21_name": "lsoa_name"})
    else:
        geo = read_table("geography/lsoa11", paths).rename(columns={"lsoa11_code": "lsoa_code",
                                                                    "lsoa11_name": "lsoa_name"})
    df = geo.merge(iod.drop(columns=["lad_code"]), on="lsoa_code", how="left").merge(pop, on="lsoa_code", how="left")
    if place is not None:
        df = df[df["place_id"] == get_place(place).id]
    return df.reset_index(drop=True)


def _locality_columns(edition: str, level: str) -> tuple[str, str]:
    lv = get_locality_level(level)
    if EDITIONS[edition]["lsoa_vintage"] == 2021:
        return lv.code_column, lv.name_column
    mapping = {"district": ("lad_code", "lad_name"), "msoa": ("msoa11_code", "msoa11_name"),
               "lsoa": ("lsoa_code", "lsoa_name")}
    if level not in mapping:
        raise ParameterError(f"{edition} is on LSOA 2011 geography: locality level {level!r} is not available "
                             f"(use one of {sorted(mapping)})")
    return mapping[level]


def weighted_mean(values: pd.Series, weights: pd.Series) -> float:
    """Population-weighted mean; NaN if any weight is missing (missing is never zero)."""
    if weights.isna().any() or weights.sum() == 0:
        return float("nan")
    return float(np.average(values, weights=weights))


def summarise_lsoas(g: pd.DataFrame) -> pd.Series:
    """LSOAs, population, population-weighted IMD score, and % of LSOAs and of population in the
    national most deprived 10% and 20% (deciles 1 and 1-2) for a set of LSOAs."""
    pop = g["population"] if "population" in g else pd.Series(np.nan, index=g.index)
    has_pop = not pop.isna().any()
    in10, in20 = g["decile"] <= 1, g["decile"] <= 2
    return pd.Series({
        "lsoas": len(g),
        "population": pop.sum() if has_pop else np.nan,
        "avg_imd_score": weighted_mean(g["score"], pop),
        "pct_lsoas_most_deprived_10": 100 * in10.mean(),
        "pct_lsoas_most_deprived_20": 100 * in20.mean(),
        "pct_pop_most_deprived_10": 100 * pop[in10].sum() / pop.sum() if has_pop else np.nan,
        "pct_pop_most_deprived_20": 100 * pop[in20].sum() / pop.sum() if has_pop else np.nan,
    })


def locality_summary(df: pd.DataFrame, edition: str, level: str) -> pd.DataFrame:
    """:func:`summarise_lsoas` for each locality of ``level``, most deprived first."""
    code_col, name_col = _locality_columns(check_edition(edition), level)
    out = (df.groupby([code_col, name_col]).apply(summarise_lsoas, include_groups=False).reset_index()
           .rename(columns={code_col: "area_code", name_col: "area_name"}))
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
