"""The deprivation page's locality tabs: a table and an outlined map per area level, and the PCN tab.

Numbers from :mod:`llr_analysis.analysis.deprivation` and
:mod:`llr_analysis.analysis.deprivation_localities`; the tabs from
:func:`llr_analysis.report.localities.locality_tabs`.
"""

from __future__ import annotations

import pandas as pd

from llr_analysis.analysis.deprivation import EDITIONS, PlaceDeprivation, locality_summary
from llr_analysis.analysis.deprivation_localities import PCN_SOURCE, lsoa_map_frame, pcn_deprivation
from llr_analysis.analysis.localities import areas
from llr_analysis.analysis.localities import load as localities_load
from llr_analysis.paths import project_paths
from llr_analysis.places import LocalityLevel
from llr_analysis.report import charts
from llr_analysis.report import localities as loc_report
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


def noun(level: LocalityLevel, edition: str = "IoD2025") -> str:
    """The level in a sentence: "district", "ward", "MSOA (2021)" ("MSOA (2011)" on IoD2019's geography)."""
    if level.id == "ward":
        return "ward"
    if level.id == "msoa" and EDITIONS[edition]["lsoa_vintage"] == 2011:
        return "MSOA (2011)"
    return level.label if level.label[:2].isupper() else level.label.lower()


def map_frame(d: PlaceDeprivation):
    """The page's LSOA map data (one frame, so every map of the page shares one dataset)."""
    return lsoa_map_frame(d.lsoas, d.edition)


def map_tooltip(geo) -> list:
    return [t for t in MAP_TOOLTIP if t[0] in geo.columns]


def locality_table(page: Page, d: PlaceDeprivation, level: LocalityLevel) -> pd.DataFrame:
    """Deprivation of every locality of ``level`` (population-weighted score, shares in the most deprived
    10% and 20%), most deprived first; its download is ``localities-<level>.csv``."""
    table = locality_summary(d.lsoas, d.edition, level.id)
    label = "MSOA (2011)" if noun(level, d.edition) == "MSOA (2011)" else level.label
    shown = table.rename(
        columns={
            "area_name": label,
            "area_code": "Code",
            "lsoas": "LSOAs",
            "population": f"Population ({d.pop_year})",
            "avg_imd_score": "Average IMD score (population-weighted)",
            "pct_lsoas_most_deprived_10": "% LSOAs in most deprived 10%",
            "pct_lsoas_most_deprived_20": "% LSOAs in most deprived 20%",
            "pct_pop_most_deprived_10": "% population in most deprived 10%",
            "pct_pop_most_deprived_20": "% population in most deprived 20%",
        }
    )
    first = [label, "Code"]
    page.table(
        shown[first + [c for c in shown.columns if c not in first]],
        f"localities-{level.id}",
        caption=f"Deprivation by {noun(level, d.edition)}, {d.the_place.name}, {d.edition} (national deciles), most deprived first",
        download=tidy_download(
            table.rename(columns={"avg_imd_score": "value"}),
            indicator="Average IMD score (population-weighted)",
            period=d.edition,
            source_id=d.source_id,
            locality_level=level.id,
        ),
    )
    return table


def locality_map(page: Page, d: PlaceDeprivation, level: LocalityLevel, geo) -> None:
    """The LSOA decile map with the level's outlines (named on the map when there are few)."""
    if EDITIONS[d.edition]["lsoa_vintage"] != 2021 and level.id != "district":
        return  # 2021 outlines over 2011 LSOAs would not match
    loc_data = localities_load.load(project_paths(), practices=False, outline_levels=[level.id])
    shapes = areas.outlines(loc_data, d.place, level.id)
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


def decile_map_download(geo, d: PlaceDeprivation) -> pd.DataFrame:
    """The CSV behind a decile map: one row per LSOA with its IMD score, rank and decile."""
    return tidy_download(
        geo.drop(columns="geometry").rename(
            columns={"lsoa_code": "area_code", "lsoa_name": "area_name", "score": "value"}
        ),
        indicator="IMD score (rank and decile national)",
        period=d.edition,
        source_id=d.source_id,
    )


def pcn_tab(page: Page, d: PlaceDeprivation) -> None:
    """Registered-population-weighted IMD 2019 by PCN and practice (third-party), practices apart."""
    name = d.the_place.name
    r = pcn_deprivation(d.place)
    page.markdown(loc_report.pcn_basis_text())
    page.note(
        "These PCN and practice figures are not official statistics: they are a third-party calculation "
        "(Richard Blackwell, published openly) that weights the IMD 2019 score of the small areas where each "
        "practice's patients live by the number of its registered patients there (January 2023). They use the "
        "2019 edition of the IMD, not the " + d.edition + " edition of the other tabs, so they cannot be set "
        "against the ward, MSOA or district figures. Deciles are national: 1 = the most deprived 10% of "
        "practices or PCNs in England.",
        kind="warning",
        title="Third-party figures, IMD 2019",
    )
    if r.pcns.empty:
        page.markdown(f"No primary care network has most of its practices in {name}.")
        return
    page.table(
        r.pcns[["locality_name", "locality_code", "n_practices", "places", "imd_score", "imd_decile"]]
        .assign(imd_decile=r.pcns["imd_decile"].astype("Int64"))
        .rename(
            columns={
                "locality_name": "Primary care network",
                "locality_code": "Code",
                "n_practices": "Open practices",
                "places": "Practices in",
                "imd_score": "IMD 2019 score (registered-population-weighted)",
                "imd_decile": "National decile of PCNs",
            }
        ),
        "pcn-deprivation",
        caption=(
            f"Deprivation of the patients of {name}'s primary care networks: registered-population-weighted "
            "IMD 2019 score (third-party calculation), most deprived first"
        ),
        download=tidy_download(
            r.pcns.rename(
                columns={
                    "locality_code": "area_code",
                    "locality_name": "area_name",
                    "imd_score": "value",
                    "imd_decile": "national_decile",
                }
            ),
            indicator="IMD 2019 score weighted by registered patients (third-party derivation)",
            period="IMD 2019; registrations January 2023",
            source_id=PCN_SOURCE,
        ),
    )
    practice_download = r.practices.rename(
        columns={
            "practice_code": "area_code",
            "practice_name": "area_name",
            "imd_score": "value",
            "imd_decile": "national_decile",
            "pcn_display": "pcn",
        }
    )[["area_code", "area_name", "pcn", "pcn_code", "value", "national_decile", "place_id"]]
    page.table(
        r.practices[["practice_name", "practice_code", "pcn_display", "imd_score", "imd_decile"]]
        .assign(imd_decile=r.practices["imd_decile"].astype("Int64"))
        .rename(
            columns={
                "practice_name": "Practice",
                "practice_code": "Code",
                "pcn_display": "Primary care network",
                "imd_score": "IMD 2019 score (registered-population-weighted)",
                "imd_decile": "National decile of practices",
            }
        ),
        "practice-deprivation",
        caption=f"Deprivation of the patients of each open practice of {name}'s primary care networks, IMD 2019 "
        "(third-party calculation)",
        download=tidy_download(
            practice_download,
            indicator="IMD 2019 score weighted by registered patients (third-party derivation)",
            period="IMD 2019; registrations January 2023",
            source_id=PCN_SOURCE,
        ),
    )
    practices_apart(page, d, r.apart)


def practices_apart(page: Page, d: PlaceDeprivation, apart: pd.DataFrame) -> None:
    """The place's practices that closed or belong to no PCN: listed apart, never as a PCN."""
    name = d.the_place.name
    if apart.empty:
        page.markdown(f"Every GP practice listed in {name} is open and belongs to a primary care network.")
        return
    n_closed = int((~apart["status"].eq("active")).sum())
    n_open = len(apart) - n_closed
    page.table(
        apart[["practice_name", "practice_code", "reason", "former_pcn", "imd_score"]].rename(
            columns={
                "practice_name": "Practice",
                "practice_code": "Code",
                "reason": "Status",
                "former_pcn": "Primary care network it belonged to",
                "imd_score": "IMD 2019 score (registered-population-weighted)",
            }
        ),
        "practices-apart",
        caption=(
            f"Practices in {name} shown apart from the networks: {n_closed} closed and {n_open} open in no primary "
            "care network (not counted in any network's figures; – = no figure)"
        ),
        download=tidy_download(
            apart.rename(columns={"practice_code": "area_code", "practice_name": "area_name", "imd_score": "value"})[
                ["area_code", "area_name", "reason", "former_pcn", "value", "imd_decile", "status", "close_date"]
            ],
            indicator="IMD 2019 score weighted by registered patients (third-party derivation)",
            period="IMD 2019; registrations January 2023",
            source_id=PCN_SOURCE,
        ),
    )


def localities_section(page: Page, d: PlaceDeprivation) -> None:
    """One tab per locality level of the place: each area level's table and outlined map, and the PCN tab."""
    geo = map_frame(d)

    def section(level: LocalityLevel) -> None:
        if not level.is_area:
            pcn_tab(page, d)
            return
        if level.id == "ward":
            page.markdown(
                loc_report.ward_basis_text(
                    localities_load.load(project_paths(), practices=False, outline_levels=["ward"]), d.place
                )
            )
        locality_table(page, d, level)
        locality_map(page, d, level, geo)

    loc_report.locality_tabs(page, d.place, section, levels=list(d.levels))
