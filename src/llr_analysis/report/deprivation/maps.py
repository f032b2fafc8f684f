"""The deprivation page's LSOA decile maps: the place's map, and each area level's map with its outlines."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd

from llr_analysis.analysis.deprivation.localities import lsoa_map_frame
from llr_analysis.analysis.deprivation.place import PlaceDeprivation
from llr_analysis.analysis.localities import areas
from llr_analysis.places import LocalityLevel
from llr_analysis.process.deprivation import EDITIONS
from llr_analysis.report import charts
from llr_analysis.report.page import Page, tidy_download
from llr_analysis.report.words import plural

#: Tooltip fields of the LSOA decile maps (the locality names each LSOA belongs to are in every map's data).
MAP_TOOLTIP = [
    ("lsoa_name", "LSOA"),
    ("lsoa_code", "LSOA code"),
    ("ward_name", "Ward (2024)"),
    ("msoa_name", "MSOA"),
    ("district_name", "District"),
    ("score", "IMD score"),
    ("rank", "National rank (1 = most deprived)"),
    ("decile", "National decile"),
]


def map_frame(d: PlaceDeprivation) -> gpd.GeoDataFrame:
    """The page's LSOA map data (one frame, so every map of the page shares one dataset)."""
    return lsoa_map_frame(d.data.lsoa_shapes(EDITIONS[d.edition]["lsoa_vintage"]), d.lsoas, d.edition)


def map_tooltip(geo: pd.DataFrame) -> list[tuple[str, str]]:
    return [t for t in MAP_TOOLTIP if t[0] in geo.columns]


def decile_map_download(geo: pd.DataFrame, d: PlaceDeprivation) -> pd.DataFrame:
    """The CSV behind a decile map: one row per LSOA with its IMD score, rank and decile."""
    return tidy_download(
        geo.drop(columns="geometry").rename(
            columns={"lsoa_code": "area_code", "lsoa_name": "area_name", "score": "value"}
        ),
        indicator="IMD score (rank and decile national)",
        period=d.edition,
        source_id=d.source_id,
    )


def decile_map(page: Page, d: PlaceDeprivation) -> None:
    """Map of the place's LSOAs coloured by national IMD decile (tooltips name each LSOA's ward, MSOA, district)."""
    geo = map_frame(d)
    chart = charts.decile_map(geo, "decile", legend_title="IMD decile (1 = most deprived)", tooltip=map_tooltip(geo))
    name = d.the_place.name
    page.chart(
        chart,
        "imd-decile-map",
        title=f"Index of Multiple Deprivation by LSOA, {name}, {d.edition}",
        description=(
            f"Map of the {len(geo)} LSOAs in {name}, each coloured by its national IMD decile, "
            "from decile 1 (most deprived 10% in England, dark red) to decile 10 (least deprived, dark blue). "
            f"{int((geo['decile'] == 1).sum())} LSOAs are in decile 1 and {int((geo['decile'] == 10).sum())} "
            "in decile 10."
        ),
        data=decile_map_download(geo, d),
    )


def locality_map(page: Page, d: PlaceDeprivation, level: LocalityLevel, geo: gpd.GeoDataFrame) -> None:
    """The LSOA decile map with the level's outlines (named on the map when there are few)."""
    if EDITIONS[d.edition]["lsoa_vintage"] != 2021 and level.id != "district":
        return  # 2021 outlines over 2011 LSOAs would not match
    shapes = areas.outlines(d.data.localities, d.place, level.id)
    if len(shapes) < 2:
        return
    name = d.the_place.name
    chart = charts.decile_map(
        geo,
        "decile",
        legend_title="IMD decile (1 = most deprived)",
        tooltip=map_tooltip(geo),
        outlines=shapes,
    )
    named = "named on the map and " if len(shapes) <= charts.MAX_MAP_LABELS else ""
    page.chart(
        chart,
        f"imd-decile-map-{level.id}",
        title=f"IMD decile of each LSOA with {plural(level)} outlined, {name}, {d.edition}",
        description=(
            f"Map of the {len(geo)} LSOAs in {name} coloured by national IMD decile (dark red: most deprived 10% "
            f"in England; dark blue: least deprived), with the outlines of its {len(shapes)} "
            f"{plural(level)} drawn over them, {named}given in each small area's tooltip."
        ),
        data=decile_map_download(geo, d),
    )
