"""The published small areas (LSOA 2011) of the estimates: the older people map's frame, the locality
(of a 2021-based level) each lies in, and how they map to LSOA 2021. Pure functions."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd

from llr_analysis.analysis.population.load import PopulationData
from llr_analysis.analysis.population.measures import check_year
from llr_analysis.places import get_locality_level, get_place


def lsoa11_map_frame(data: PopulationData, year: int, place: str) -> gpd.GeoDataFrame:
    """LSOA (2011) polygons of the place with population, people aged 65+ and their percentage."""
    year = check_year(year)
    t = data.lsoa11_age
    t = t[(t["year"] == year) & t["lad_code"].isin(get_place(place).district_codes)]
    g = t.groupby("lsoa11_code")
    df = pd.DataFrame(
        {
            "population": g["population"].sum(),
            "aged_65_plus": t[t["age"] >= 65].groupby("lsoa11_code")["population"].sum(),
        }
    ).fillna(0)
    df["pct_65_plus"] = 100 * df["aged_65_plus"] / df["population"]
    df = df.reset_index()
    geo = data.lsoa11[["lsoa11_code", "lsoa11_name", "lad_name"]]
    shapes = data.lsoa11_boundaries
    return shapes.merge(geo, on="lsoa11_code").merge(df, on="lsoa11_code").reset_index(drop=True)


def lsoa11_locality_names(data: PopulationData, place: str, level: str) -> pd.DataFrame:
    """``lsoa11_code``, ``locality_name``: the locality of ``level`` (built on LSOA 2021) that each of the
    place's published LSOAs (2011) lies in; an LSOA split across two localities names both ("A / B")."""
    lv = get_locality_level(level)
    look = data.lsoa11_lsoa21[["lsoa11_code", "lsoa21_code"]]
    geo = data.localities.lsoa21
    geo = geo[geo["place_id"] == get_place(place).id][["lsoa21_code", lv.name_column]]
    m = look.merge(geo, on="lsoa21_code").drop_duplicates(["lsoa11_code", lv.name_column])
    out = m.groupby("lsoa11_code")[lv.name_column].agg(lambda s: " / ".join(sorted(s)))
    return out.rename("locality_name").reset_index()


def mapping_summary(data: PopulationData, place: str) -> dict[str, int]:
    """How the place's LSOAs (2011) map to 2021: counts of unchanged, split and merged LSOAs."""
    m = data.weights
    geo11 = data.lsoa11
    m = m[m["lsoa11_code"].isin(geo11.loc[geo11["place_id"] == get_place(place).id, "lsoa11_code"])]
    m = m.drop_duplicates(["lsoa11_code", "lsoa21_code"])
    split, merged = m[m["change"] == "S"], m[m["change"] == "M"]
    return {
        "lsoa11": m["lsoa11_code"].nunique(),
        "lsoa21": m["lsoa21_code"].nunique(),
        "unchanged": int((m["change"] == "U").sum()),
        "split_from": split["lsoa11_code"].nunique(),
        "split_into": split["lsoa21_code"].nunique(),
        "merged_from": merged["lsoa11_code"].nunique(),
        "merged_into": merged["lsoa21_code"].nunique(),
        "equal_shares": int(m["weight_basis"].str.startswith("equal").sum()),
    }
