"""Area localities (district, ward, MSOA): sets of LSOAs, and their outlines. Pure functions.

Places and localities are sets of LSOAs (2021 by default). For sources still on LSOA 2011,
:func:`lsoas` answers from the 2011 table (:func:`.load.load_lsoa11`): the places' outer boundaries
did not change between 2011 and 2021, so a place is the same area in both vintages; localities below
district (MSOA, ward) are defined on 2021 geography only.
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd

from llr_analysis.analysis.localities.load import LocalitiesData
from llr_analysis.errors import ParameterError
from llr_analysis.places import get_locality_level, get_place

#: LSOA 2011 lookup columns of the levels defined on LSOA 2011 geography.
_LSOA11_COLUMNS = {"district": "lad_code", "msoa": "msoa11_code", "lsoa": "lsoa11_code"}


def lsoas(
    table: pd.DataFrame,
    place: str | None = None,
    level: str | None = None,
    locality: str | None = None,
) -> list[str]:
    """LSOA codes of ``table`` (the LSOA 2021 or 2011 lookup) in a place (``None``: every place),
    optionally within one locality.

    ``level`` is a locality level from places.yml (district, msoa, ward, lsoa) and ``locality`` its
    code, e.g. ``lsoas(data.lsoa21, place_id, "district", district_code)``.
    """
    vintage21 = "lsoa21_code" in table.columns
    code_col = "lsoa21_code" if vintage21 else "lsoa11_code"
    t = table
    if place is not None:
        t = t[t["place_id"] == get_place(place).id]
    if locality is not None:
        if level is None:
            raise ParameterError("a locality needs its level (district, msoa, ward, lsoa)")
        lv = get_locality_level(level)
        col = lv.code_column if vintage21 else _LSOA11_COLUMNS.get(level)
        if col is None:
            raise ParameterError(f"locality level {level!r} is not defined on LSOA 2011 geography")
        t = t[t[col] == locality]
        if t.empty:
            raise ParameterError(f"no LSOAs found for {level} {locality!r}" + (f" in {place}" if place else ""))
    return sorted(t[code_col])


def localities(lsoa21: pd.DataFrame, place: str, level: str) -> pd.DataFrame:
    """The localities of ``level`` in ``place``: ``locality_code``, ``locality_name``, ``n_lsoas`` (LSOA 2021)."""
    lv = get_locality_level(level)
    t = lsoa21[lsoa21["place_id"] == get_place(place).id]
    out = (
        t.groupby([lv.code_column, lv.name_column])
        .size()
        .rename("n_lsoas")
        .reset_index()
        .rename(columns={lv.code_column: "locality_code", lv.name_column: "locality_name"})
    )
    return out.sort_values("locality_name").reset_index(drop=True)


def area_localities_all(lsoa21: pd.DataFrame, level: str) -> pd.DataFrame:
    """Every locality of an area level in the ICS with its place: code, name, place_id."""
    lv = get_locality_level(level)
    out = lsoa21[[lv.code_column, lv.name_column, "place_id"]].drop_duplicates(lv.code_column)
    return out.rename(columns={lv.code_column: "locality_code", lv.name_column: "locality_name"})


def outlines(data: LocalitiesData, place: str | None, level: str) -> gpd.GeoDataFrame:
    """Outlines of the area localities of ``level`` in ``place`` (None: the whole ICS), WGS84.

    Columns ``locality_code``, ``locality_name``, ``place_id``, ``geometry``. Ward outlines are unions
    of their best-fit LSOAs (see :func:`llr_analysis.process.geography.ward_outlines`).
    """
    g, code_col = data.boundary(level)
    names = area_localities_all(data.lsoa21, level)
    g = g.rename(columns={code_col: "locality_code"})
    g = g[["locality_code", "geometry"]].merge(names, on="locality_code", how="inner")
    if place is not None:
        g = g[g["place_id"] == get_place(place).id]
    return gpd.GeoDataFrame(g, geometry="geometry", crs=4326).reset_index(drop=True)
