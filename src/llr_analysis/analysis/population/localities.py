"""Population by locality level (the tabs of the population page) and the population of each source.

* :func:`tab_levels`: the locality levels of the page (a tab each);
* :func:`lsoa11_locality_names`: the locality (of a 2021-based level) each published LSOA 2011 lies in;
* :func:`reconciliation`: the place's population in each source the site uses (mid-year LSOA
  estimates, the IoD2025 population denominators, Census 2021), with period and use.
"""

from __future__ import annotations

import pandas as pd

from llr_analysis.errors import ParameterError
from llr_analysis.places import get_locality_level, get_place, place_locality_levels
from llr_analysis.process import read_table
from llr_analysis.process.population import YEARS


def tab_levels(place: str, locality_level: str = "all") -> list[str]:
    """The ids of the page's locality tabs: every level of the place (``all``) or the one named."""
    levels = [lv.id for lv in place_locality_levels(place)]
    if str(locality_level).strip().lower() == "all":
        return levels
    lv = get_locality_level(locality_level).id
    if lv == "lsoa":
        return [lv]
    if lv not in levels:
        raise ParameterError(f"{get_place(place).name} has no {lv!r} tab; its locality levels are {levels}")
    return [lv]


def first_area_level(levels: list[str]) -> str:
    """The first area level of the tabs (the page's main breakdown: wards, or Leicestershire's districts)."""
    areas = [lv for lv in levels if get_locality_level(lv).is_area]
    if not areas:
        raise ParameterError("the population page needs at least one area locality level")
    return areas[0]


def lsoa11_locality_names(place: str, level: str, paths=None) -> pd.DataFrame:
    """``lsoa11_code``, ``locality_name``: the locality of ``level`` (built on LSOA 2021) that each of the
    place's published LSOAs (2011) lies in; an LSOA split across two localities names both ("A / B")."""
    lv = get_locality_level(level)
    look = read_table("geography/lsoa11_lsoa21", paths)[["lsoa11_code", "lsoa21_code"]]
    geo = read_table("geography/lsoa21", paths)
    geo = geo[geo["place_id"] == get_place(place).id][["lsoa21_code", lv.name_column]]
    m = look.merge(geo, on="lsoa21_code").drop_duplicates(["lsoa11_code", lv.name_column])
    out = m.groupby("lsoa11_code")[lv.name_column].agg(lambda s: " / ".join(sorted(s)))
    return out.rename("locality_name").reset_index()


#: The sources of a place's population, in the order of the reconciliation table.
RECONCILIATION_SOURCES = [
    (
        "estimates",
        "ONS mid-year population estimates for small areas (based on the 2011 Census)",
        f"mid-{YEARS[-1]}",
        f"sape_lsoa11_mid{YEARS[-1]}",
        "Where single years of age are needed: age structure (shares aged 0-15, 65+, 85+, dependency ratio), "
        "localities' ages and the change from mid-2019, here and in the profiles",
    ),
    (
        "iod_denominators",
        "Population figures published with the English Indices of Deprivation 2025 (ONS mid-2022 estimates)",
        "mid-2022",
        "iod2025_file7_llr",
        "Totals (how many people live here) on every page: the overview, place summaries, this page's opening "
        "sentence, locality profiles; and the deprivation pages' shares and weights",
    ),
    (
        "census",
        "Census 2021 (usual residents on census day, 21 March 2021)",
        "Census 2021",
        "census2021_ts009_lad_totals",
        "This page: the census comparison and the split by sex",
    ),
]


def reconciliation(place: str, paths=None) -> pd.DataFrame:
    """The place's population in each source used on the site: ``source``, ``source_key``, ``period``,
    ``population`` (whole people), ``use`` and ``source_id``, in :data:`RECONCILIATION_SOURCES` order.

    The mid-year estimate is the sum of the place's published LSOA (2011) estimates, the IoD2025
    figure the sum of its LSOAs' (2021) population denominators, the census the sum of its districts'
    usual residents.
    """
    p = get_place(place)
    t = read_table("population/lsoa11_age", paths)
    estimates = t[(t["year"] == YEARS[-1]) & t["lad_code"].isin(p.district_codes)]["population"].sum()
    den = read_table("deprivation/iod_population", paths)
    geo = read_table("geography/lsoa21", paths)
    codes = geo.loc[geo["place_id"] == p.id, "lsoa21_code"]
    den_population = den[(den["edition"] == "IoD2025") & den["lsoa_code"].isin(codes)]["population"]
    lads = read_table("population/lad_totals", paths)
    census_rows = lads[(lads["period"] == "Census 2021") & lads["area_code"].isin(p.district_codes)]
    values = {
        "estimates": float(estimates),
        "iod_denominators": float(den_population.sum())
        if len(den_population) == len(codes) and not den_population.isna().any()
        else float("nan"),
        "census": float(census_rows["persons"].sum()) if len(census_rows) == len(p.district_codes) else float("nan"),
    }
    source_ids = {"census": "; ".join(sorted(set(census_rows["source_id"].astype(str)))) or None}
    rows = [
        {
            "source": label,
            "source_key": key,
            "period": period,
            "population": values[key],
            "use": use,
            "source_id": source_ids.get(key) or source_id,
        }
        for key, label, period, source_id, use in RECONCILIATION_SOURCES
    ]
    out = pd.DataFrame(rows)
    out["population"] = out["population"].round().astype("Int64")
    return out
