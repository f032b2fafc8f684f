"""A locality's population figures: people (the most recent count) and the shares by age, beside its
place, the ICS and England; its age profile."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from llr_analysis.analysis.locality.figure import estimate_share, figure_row
from llr_analysis.analysis.locality.load import IOD_EDITION, LocalityData, shared
from llr_analysis.analysis.locality.localities import Locality, area_sets

#: The year of the single-year-of-age estimates (the latest for small areas here).
POPULATION_YEAR = 2020
#: The most recent count and its source: the population topic's totals (``TOTALS_PERIOD`` and
#: ``TOTALS_SOURCE`` of the population analysis; a test keeps them the same).
TOTALS_PERIOD = "mid-2022"
TOTALS_SOURCE = "ONS mid-2022 small-area estimates (based on Census 2021), as published with IoD2025"


def mid2022(iod_population: pd.DataFrame) -> pd.Series:
    """The mid-2022 population of each LSOA 2021 (IoD2025 denominators), by ``lsoa_code``."""
    return iod_population[iod_population["edition"] == IOD_EDITION].set_index("lsoa_code")["population"]


def latest_total(iod_population: pd.DataFrame, lsoa21_codes: list[str]) -> float:
    """The mid-2022 population of a set of LSOAs 2021 (IoD2025 denominators); NaN when any is missing
    (never a partial total)."""
    return total_of(mid2022(iod_population), lsoa21_codes)


def total_of(population: pd.Series, lsoa21_codes: list[str]) -> float:
    """The sum of ``population`` (by LSOA) over a set of LSOAs; NaN when any is missing."""
    vals = population.reindex(pd.Index(lsoa21_codes))
    return float(vals.sum()) if len(vals) and vals.notna().all() else float("nan")


def population_by_age(data: LocalityData, loc: Locality, year: int = POPULATION_YEAR) -> pd.DataFrame:
    """Population by single year of age of the locality, its place, the ICS and England (columns)."""
    t = shared(data, ("population", year), lambda: data.population[data.population["year"] == year])
    sets = area_sets(data.lsoa21, loc)

    def by_age(key: str) -> pd.Series:
        return t[t["lsoa21_code"].isin(sets[key] or [])].groupby("age")["population"].sum()

    cols = {
        "here": by_age("here"),
        # the same for every locality of the place (of the ICS): worked out once
        "place": shared(data, ("by_age", year, loc.place_id), lambda: by_age("place")),
        "llr": shared(data, ("by_age", year, "llr"), lambda: by_age("llr")),
    }
    eng = data.england_population
    cols["england"] = shared(
        data, ("by_age", year, "england"), lambda: eng[eng["year"] == year].groupby("age")["population"].sum()
    )
    return pd.DataFrame(cols).fillna(0.0)


def population_figures(data: LocalityData, loc: Locality, year: int = POPULATION_YEAR) -> list[dict[str, Any]]:
    """People, and the shares aged 0-15 and 65+ (not tested: estimates), beside place, ICS and England."""
    if not loc.is_area:
        return []
    by_age = population_by_age(data, loc, year)
    period = f"mid-{year}"
    src = "sape_lsoa11_mid2020; lsoa11_lsoa21_lookup"
    sets = area_sets(data.lsoa21, loc)

    population = shared(data, "mid2022", lambda: mid2022(data.iod_population))

    def total(key: str) -> float:
        return total_of(population, sets[key] or [])

    # the total is the most recent count (mid-2022, the deprivation pages' denominators): one
    # population per area on every page; the age shares below need single years of age (mid-2020)
    rows = [
        figure_row(
            "population",
            "People",
            "people",
            TOTALS_PERIOD,
            {"value": total("here"), "tested": False},
            total("place"),
            total("llr"),
            np.nan,
            "no_judgement",
            TOTALS_SOURCE + " (England's figure is not among the sources this site reads)",
            "iod2025_file7_llr",
        )
    ]
    for label, lo, hi in (("Aged 0-15", 0, 15), ("Aged 65 and over", 65, None)):
        ages = by_age.loc[lo:hi] if hi is not None else by_age.loc[lo:]
        share = {k: 100 * ages[k].sum() / by_age[k].sum() for k in by_age}
        rows.append(
            figure_row(
                "population",
                f"{label} (% of people)",
                "%",
                period,
                estimate_share(ages["here"].sum(), by_age["here"].sum()),
                share["place"],
                share["llr"],
                share["england"],
                "no_judgement",
                "share of the mid-year estimate (an estimate, not a sample: no interval, not tested)",
                src,
            )
        )
    return rows


def age_profile(data: LocalityData, loc: Locality, year: int = POPULATION_YEAR) -> pd.DataFrame:
    """% of people in each 5-year age band (90+ last): the locality, its place and England (long)."""
    by_age = population_by_age(data, loc, year)
    band = np.minimum(by_age.index.to_numpy() // 5 * 5, 90)
    banded = by_age.groupby(band).sum()
    shares = banded / banded.sum() * 100
    names = {"here": loc.name, "place": loc.place_name, "england": "England"}
    out = shares[list(names)].rename(columns=names).reset_index(names="band_start")
    out["age_band"] = [f"{b}-{b + 4}" if b < 90 else "90+" for b in out["band_start"]]
    return out.melt(id_vars=["band_start", "age_band"], var_name="area", value_name="percent")
