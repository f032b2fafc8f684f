"""The deprivation page's locality tabs: a table and an outlined map per area level, and the PCN tab.

Numbers from :mod:`llr_analysis.analysis.deprivation`; the tabs from
:func:`llr_analysis.report.localities.locality_tabs`.
"""

from __future__ import annotations

import pandas as pd

from llr_analysis.analysis.deprivation.localities import PCN_SOURCE, pcn_deprivation
from llr_analysis.analysis.deprivation.lsoas import locality_summary
from llr_analysis.analysis.deprivation.place import PlaceDeprivation
from llr_analysis.places import LocalityLevel
from llr_analysis.report import localities as loc_report
from llr_analysis.report.deprivation.maps import locality_map, map_frame
from llr_analysis.report.deprivation.text import noun
from llr_analysis.report.page import Page, tidy_download


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


def pcn_tab(page: Page, d: PlaceDeprivation) -> None:
    """Registered-population-weighted IMD 2019 by PCN and practice (third-party), practices apart."""
    name = d.the_place.name
    r = pcn_deprivation(d.data.localities.practice_table(), d.place)
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
            page.markdown(loc_report.ward_basis_text(d.data.localities, d.place))
        locality_table(page, d, level)
        locality_map(page, d, level, geo)

    loc_report.locality_tabs(page, d.place, section, levels=list(d.levels))
