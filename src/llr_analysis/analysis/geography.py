"""Which LSOAs make up a place or locality, for either LSOA vintage.

Places and localities are sets of LSOAs (2021 by default). For sources still on LSOA 2011,
``vintage=2011`` answers from the 2011 table: the three places' outer boundaries did not
change between 2011 and 2021, so a place is the same area in both vintages; localities below
district (MSOA, ward) are defined on 2021 geography only.
"""

from __future__ import annotations

import pandas as pd

from llr_analysis.errors import ParameterError
from llr_analysis.paths import ProjectPaths
from llr_analysis.places import get_locality_level, get_place, load_places
from llr_analysis.process import read_table


def lsoa_table(vintage: int = 2021, paths: ProjectPaths | None = None) -> pd.DataFrame:
    if vintage == 2021:
        return read_table("geography/lsoa21", paths)
    if vintage == 2011:
        return read_table("geography/lsoa11", paths)
    raise ParameterError(f"unknown LSOA vintage {vintage!r}; expected 2021 or 2011")


def lsoas(
    place: str | None = None,
    level: str | None = None,
    locality: str | None = None,
    vintage: int = 2021,
    paths: ProjectPaths | None = None,
) -> list[str]:
    """LSOA codes in a place (``None`` = all of LLR), optionally within one locality.

    ``level`` is a locality level from places.yml (district, msoa, ward, lsoa) and
    ``locality`` its code, e.g. ``lsoas("leicestershire", "district", "E07000130")``.
    """
    t = lsoa_table(vintage, paths)
    code_col = "lsoa21_code" if vintage == 2021 else "lsoa11_code"
    if place is not None:
        t = t[t["place_id"] == get_place(place).id]
    if locality is not None:
        if level is None:
            raise ParameterError("a locality needs its level (district, msoa, ward, lsoa)")
        lv = get_locality_level(level)
        col = (
            lv.code_column
            if vintage == 2021
            else {"district": "lad_code", "msoa": "msoa11_code", "lsoa": "lsoa11_code"}.get(level)
        )
        if col is None:
            raise ParameterError(f"locality level {level!r} is not defined on LSOA 2011 geography")
        t = t[t[col] == locality]
        if t.empty:
            raise ParameterError(f"no LSOAs found for {level} {locality!r}" + (f" in {place}" if place else ""))
    return sorted(t[code_col])


def localities(place: str, level: str, paths: ProjectPaths | None = None) -> pd.DataFrame:
    """The localities of ``level`` in ``place``: code, name and number of LSOAs (2021)."""
    lv = get_locality_level(level)
    t = lsoa_table(2021, paths)
    t = t[t["place_id"] == get_place(place).id]
    out = (
        t.groupby([lv.code_column, lv.name_column])
        .size()
        .rename("n_lsoas")
        .reset_index()
        .rename(columns={lv.code_column: "locality_code", lv.name_column: "locality_name"})
    )
    return out.sort_values("locality_name").reset_index(drop=True)


def assign_localities(
    df: pd.DataFrame, level: str, lsoa_col: str = "lsoa_code", paths: ProjectPaths | None = None
) -> pd.DataFrame:
    """Add ``place_id``, ``locality_code`` and ``locality_name`` columns to a table of LSOA 2021 rows."""
    lv = get_locality_level(level)
    geo = lsoa_table(2021, paths)[["lsoa21_code", "place_id", "place_name", lv.code_column, lv.name_column]]
    geo = geo.rename(
        columns={"lsoa21_code": lsoa_col, lv.code_column: "locality_code", lv.name_column: "locality_name"}
    )
    return df.merge(geo, on=lsoa_col, how="inner")


def place_names() -> dict[str, str]:
    return {p.id: p.name for p in load_places().places.values()}
