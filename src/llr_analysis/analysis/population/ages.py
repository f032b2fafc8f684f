"""Population by single year of age of a place, the ICS, England and the place's localities, and the
age-structure tables built from it. Pure functions of :class:`~.load.PopulationData`.

* :func:`place_by_age` / :func:`england_by_age` / :func:`locality_by_age`: counts by single year of age;
* :func:`structure_table`: age structure of the place, the ICS, England and each locality;
* :func:`age_profile`: % in each five-year band of the place, the ICS and England;
* :func:`tidy_structure`: :func:`structure_table` as a tidy download.
"""

from __future__ import annotations

from typing import cast

import numpy as np
import pandas as pd

from llr_analysis.analysis.population.load import PopulationData
from llr_analysis.analysis.population.measures import band_counts, check_year, structure
from llr_analysis.places import get_locality_level, get_place, load_places
from llr_analysis.process.population import TOP_AGE


def _by_age(df: pd.DataFrame) -> pd.Series:
    return df.groupby("age")["population"].sum().reindex(range(TOP_AGE + 1), fill_value=0)


def place_by_age(data: PopulationData, year: int, place: str | None = None) -> pd.Series:
    """Population by single year of age of a place (``None`` = the ICS): the published LSOA (2011) estimates summed."""
    year = check_year(year)
    t = data.lsoa11_age
    t = t[t["year"] == year]
    if place is not None:
        t = t[t["lad_code"].isin(get_place(place).district_codes)]
    return _by_age(t)


def england_by_age(data: PopulationData, year: int) -> pd.Series:
    """England's population by single year of age (all LSOA estimates summed)."""
    year = check_year(year)
    t = data.england_age
    return _by_age(t[t["year"] == year])


def locality_by_age(data: PopulationData, year: int, place: str, level: str) -> pd.DataFrame:
    """Long table (locality_code, locality_name, age, population) for the localities of ``level`` in ``place``.

    Built from the LSOA (2021) estimates (LSOA 2011 mapped as described in
    :mod:`llr_analysis.process.population`), so populations may hold fractions of a person.
    """
    year = check_year(year)
    lv = get_locality_level(level)
    t = data.lsoa21_age
    t = t[t["year"] == year]
    geo = data.localities.lsoa21
    geo = geo[geo["place_id"] == get_place(place).id][["lsoa21_code", lv.code_column, lv.name_column]]
    df = t.merge(geo, on="lsoa21_code", how="inner").rename(
        columns={lv.code_column: "locality_code", lv.name_column: "locality_name"}
    )
    # as_index=False: the sum is a DataFrame (pandas-stubs type it as a Series)
    sums = cast(pd.DataFrame, df.groupby(["locality_code", "locality_name", "age"], as_index=False)["population"].sum())
    return sums.sort_values(["locality_name", "age"]).reset_index(drop=True)


def structure_table(data: PopulationData, year: int, place: str, level: str) -> pd.DataFrame:
    """Age structure of the place, the ICS and England, then of each locality (by name).

    Columns: area_code, area_name, area_type (locality | place | ICB | England), population,
    share (locality: % of the place; place: % of the ICS), pct_0_15, pct_16_64, pct_65_plus,
    pct_85_plus, count_65_plus, count_85_plus, oadr (65+ per 1,000 aged 16-64).
    """
    cfg = load_places()
    p = get_place(place)
    loc = locality_by_age(data, year, place, level)
    rows = []
    for (code, name), g in loc.groupby(["locality_code", "locality_name"], sort=False):
        rows.append(
            {
                "area_code": code,
                "area_name": name,
                "area_type": "locality",
                **structure(g.set_index("age")["population"]),
            }
        )
    place_age = place_by_age(data, year, place)
    llr_age = place_by_age(data, year, None)
    rows.append({"area_code": p.code, "area_name": p.name, "area_type": "place", **structure(place_age)})
    rows.append({"area_code": cfg.llr_code, "area_name": cfg.llr_short_name, "area_type": "ICB", **structure(llr_age)})
    rows.append(
        {
            "area_code": cfg.england_code,
            "area_name": "England",
            "area_type": "England",
            **structure(england_by_age(data, year)),
        }
    )
    out = pd.DataFrame(rows[-3:] + rows[:-3])  # place, ICS, England, then localities by name
    out.insert(4, "share", np.nan)
    is_loc = out["area_type"] == "locality"
    out.loc[is_loc, "share"] = 100 * out.loc[is_loc, "population"] / float(place_age.sum())
    out.loc[out["area_type"] == "place", "share"] = 100 * float(place_age.sum()) / float(llr_age.sum())
    out.loc[out["area_type"] == "ICB", "share"] = 100.0
    return out


def age_profile(data: PopulationData, year: int, place: str) -> pd.DataFrame:
    """Percentage of each area's population in each five-year band: the place, the ICS and England.

    Columns: area_code, area_name, band, band_order (0 = youngest), count, denominator, percent.
    """
    cfg = load_places()
    p = get_place(place)
    parts = []
    for code, name, by_age in (
        (p.code, p.name, place_by_age(data, year, place)),
        (cfg.llr_code, cfg.llr_short_name, place_by_age(data, year, None)),
        (cfg.england_code, "England", england_by_age(data, year)),
    ):
        b = band_counts(by_age)
        parts.append(
            pd.DataFrame(
                {
                    "area_code": code,
                    "area_name": name,
                    "band": b.index,
                    "band_order": range(len(b)),
                    "count": b.to_numpy(float),
                    "denominator": float(by_age.sum()),
                    "percent": 100 * b.to_numpy(float) / float(by_age.sum()),
                }
            )
        )
    return pd.concat(parts, ignore_index=True)


#: Indicators of :func:`structure_table` in the tidy download: (label, value column, count column, denominator).
STRUCTURE_INDICATORS = [
    ("Population (all ages)", "population", "population", None),
    ("% aged 0-15", "pct_0_15", "count_0_15", "population"),
    ("% aged 16-64", "pct_16_64", "count_16_64", "population"),
    ("% aged 65+", "pct_65_plus", "count_65_plus", "population"),
    ("% aged 85+", "pct_85_plus", "count_85_plus", "population"),
    ("Old-age dependency ratio (65+ per 1,000 aged 16-64)", "oadr", "count_65_plus", "count_16_64"),
]


def tidy_structure(st: pd.DataFrame, period: str, source_id: str) -> pd.DataFrame:
    """:func:`structure_table` as one row per area and indicator (indicator, area_code, area_name,
    period, value, count, denominator, area_type, source_id)."""
    parts = []
    for label, value, count, denom in STRUCTURE_INDICATORS:
        parts.append(
            pd.DataFrame(
                {
                    "indicator": label,
                    "area_code": st["area_code"],
                    "area_name": st["area_name"],
                    "period": period,
                    "value": st[value],
                    "count": st[count],
                    "denominator": st[denom] if denom else np.nan,
                    "area_type": st["area_type"],
                    "source_id": source_id,
                }
            )
        )
    return pd.concat(parts, ignore_index=True)
