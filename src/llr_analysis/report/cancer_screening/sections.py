"""Page sections of the cancer screening pages about what data they have: which programmes and periods
the build holds, the ONS Health Index composite (all programmes, 2015 to 2018), the practices that
closed, have no PCN or were placed approximately, and the practice place rule."""

from __future__ import annotations

import pandas as pd

from llr_analysis.analysis.cancer_screening.load import CancerScreeningData
from llr_analysis.analysis.cancer_screening.local_authority import health_index_summary
from llr_analysis.analysis.cancer_screening.periods import availability
from llr_analysis.analysis.cancer_screening.practices import unmapped_practices
from llr_analysis.analysis.cancer_screening.programmes import programme_order
from llr_analysis.places import get_place, load_places
from llr_analysis.report.cancer_screening.charts import health_index_chart
from llr_analysis.report.cancer_screening.text import (
    FETCH_FINGERTIPS_NOTE,
    availability_sentence,
    health_index_sentence,
    place_rule_text,
    unplaced_text,
)
from llr_analysis.report.page import Page, tidy_download

HEALTH_INDEX_SOURCE = "health_index_utla_2015..2018"
HEALTH_INDEX_INDICATOR = "Cancer screening composite (%), ONS Health Index (beta)"


def render_unmapped(page: Page, data: CancerScreeningData, place: str) -> pd.DataFrame:
    """The practices of the place that closed, have no PCN on record or were placed approximately."""
    the_place = get_place(place)
    um = unmapped_practices(data.practice_coverage, data.practices)
    um = um[um["place_id"] == the_place.id]
    if um.empty:
        page.markdown(
            f"Every practice in {the_place.name} in the coverage data is open, has a PCN on record and "
            "was placed by its CCG and PCN."
        )
        return um
    shown = um[
        [
            "practice_code",
            "practice_name",
            "period_label",
            "status",
            "close_date",
            "pcn_name",
            "pcn_basis",
            "place_basis",
        ]
    ].copy()
    shown["pcn_name"] = shown["pcn_name"].fillna("none")
    shown = shown.rename(
        columns={
            "practice_code": "Code",
            "practice_name": "Practice",
            "period_label": "Data period",
            "status": "ODS status (Dec 2022)",
            "close_date": "Closed",
            "pcn_name": "PCN",
            "pcn_basis": "How the PCN was found",
            "place_basis": "How the place was decided",
        }
    )
    page.table(
        shown,
        "practices-not-fully-mapped",
        caption=(
            f"Practices in {the_place.name}'s coverage data that have closed, have no PCN on record, or "
            f"were placed by premises postcode (all are included in the place and {load_places().llr_short_name} figures)"
        ),
        download=tidy_download(
            um.rename(columns={"period": "period_code"}).rename(
                columns={"practice_code": "area_code", "practice_name": "area_name", "period_label": "period"}
            ),
            indicator="Practice mapping (no value)",
            source_id="ods_epraccur_2022_12",
        ),
    )
    return um


def availability_section(page: Page, data: CancerScreeningData) -> None:
    """What screening data the page holds (and, for analysts, how to fetch what is missing)."""
    avail = availability(data.practice_coverage, data.area_coverage)
    page.markdown(availability_sentence(avail))
    if avail["programme"].nunique() < len(programme_order()):
        page.note(FETCH_FINGERTIPS_NOTE, title="For analysts", collapse=True)


def health_index_section(page: Page, data: CancerScreeningData, place: str) -> None:
    """The ONS Health Index cancer screening composite: a sentence, a chart of the places and a table."""
    the_place = get_place(place)
    hi = health_index_summary(data.health_index)
    page.markdown(health_index_sentence(hi, the_place.code, the_place.name))
    download = tidy_download(
        hi.rename(columns={"year": "period"}), indicator=HEALTH_INDEX_INDICATOR, source_id=HEALTH_INDEX_SOURCE
    )
    page.chart(
        health_index_chart(hi),
        "health-index-screening",
        title=f"Cancer screening composite (ONS Health Index), {load_places().llr_name}, 2015 to 2018",
        description=(
            "Lines show each place's cancer screening composite by year; the dashed black line is the median "
            "of England's upper-tier local authorities. No confidence intervals are available."
        ),
        data=download,
    )
    table = hi.pivot_table(index="area_name", columns="year", values="value").reset_index()
    table = table.rename(columns={"area_name": "Area"})
    table.columns = [str(c) for c in table.columns]
    page.table(
        table,
        "health-index-table",
        caption="Cancer screening composite (%), ONS Health Index (beta), by year",
        download=download,
    )


def place_rule_section(page: Page, data: CancerScreeningData) -> None:
    """The practice place rule in words, and the open practices it cannot place (when any)."""
    page.markdown(place_rule_text())
    unplaced = unplaced_text(data.unplaced)
    if unplaced:
        page.markdown(unplaced)
