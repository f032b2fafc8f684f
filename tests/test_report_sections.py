"""Sentences of the overview and cancer screening pages (report/overview/, report/figures.py, report/cancer_screening/text.py)."""

from __future__ import annotations

import pandas as pd

from llr_analysis.report import figures, words
from llr_analysis.report.cancer_screening import text as scr_text
from llr_analysis.report.overview import tables


def test_missing_sentence():
    assert tables.missing_sentence([]) == ""
    assert tables.missing_sentence([("Cancer screening", "no data in this build")]) == (
        "**Not in this build:** Cancer screening: no data in this build."
    )


def test_availability_sentence_names_what_is_there_and_what_is_missing():
    avail = pd.DataFrame(
        {
            "programme": ["cervical", "cervical"],
            "level": ["gp_practice", "gp_practice"],
            "period_sort": [2017.9, 2017.9],
            "period_label": ["31 December 2017", "31 December 2017"],
            "age_group": ["25-49", "50-64"],
        }
    )
    text = scr_text.availability_sentence(avail)
    assert text.startswith(
        "**Data on this page.** cervical screening: GP practice counts for 31 December 2017 (older data) "
        "(ages 25-49 and 50-64)."
    )
    assert "**No figures here yet for breast screening or bowel screening**" in text
    assert "llr " not in text  # no build command in stakeholder text (it is in the analysts' note)
    assert "this build" not in text.lower()


def test_health_index_sentence():
    hi = pd.DataFrame(
        {
            "series": ["place", "place", "median"],
            "area_code": ["E06000017", "E06000017", ""],
            "year": [2015, 2018, 2018],
            "value": [80.04, 82.26, 79.0],
            "rank": [20, 12, None],
            "rank_text": ["20th of 150 (1 = highest)", "12th of 149 (1 = highest)", ""],
        }
    )
    assert scr_text.health_index_sentence(hi, "E06000017", "Rutland") == (
        "In 2018 Rutland's composite was 82.3% (12th of 149 upper-tier authorities, 1 = highest), against a median "
        "of 79.0% across England's upper-tier authorities; in 2015 it was 80.0% (rank 20)."
    )


def test_health_index_sentence_for_a_place_without_a_row_says_so():
    hi = pd.DataFrame(
        {
            "series": ["place", "median"],
            "area_code": ["E06000052", ""],
            "year": [2018, 2018],
            "value": [82.26, 79.0],
            "rank": [12, None],
            "rank_text": ["12th of 149 (1 = highest)", ""],
        }
    )
    assert scr_text.health_index_sentence(hi, "E06000053", "Isles of Scilly") == (
        "The ONS Health Index has no cancer screening composite for Isles of Scilly: its inputs have no row for "
        "the area (see the known gaps on the Methods page)."
    )


def test_health_index_gaps_name_the_places_and_years_without_a_row():
    from llr_analysis.process.cancer_screening import health_index_gaps

    hi = pd.DataFrame(
        {
            "year": [2015, 2016, 2017, 2018, 2015, 2016, 2015, 2016, 2017, 2018],
            "area_code": ["E06000052"] * 4 + ["E06000053"] * 2 + ["E06000001"] * 4,
        }
    )
    gaps = health_index_gaps(hi, ["E06000052", "E06000053", "E06000099"])
    assert gaps[["area_code", "reason"]].to_dict("records") == [
        {
            "area_code": "E06000053",
            "reason": "the ONS Health Index (beta) inputs have no row for this area in 2017 to 2018 (they hold 2 "
            "upper-tier authorities of England, on the boundaries of their time)",
        },
        {
            "area_code": "E06000099",
            "reason": "the ONS Health Index (beta) inputs have no row for this area in 2015 to 2018 (they hold 2 "
            "upper-tier authorities of England, on the boundaries of their time)",
        },
    ]


def test_old_figures_are_marked_as_older_data():
    from datetime import date

    today = date(2026, 11, 27)
    assert [
        words.period_end_year(p)
        for p in ("2023-25", "mid-2020", "31 December 2017", "2015 to 2018", "IoD2025", "latest")
    ] == [2025, 2020, 2017, 2018, 2025, None]
    assert words.is_older_data("2016-18", today) and words.is_older_data("mid-2020", today)
    assert not words.is_older_data("2023-25", today) and not words.is_older_data("IoD2025", today)
    assert not words.is_older_data("2023", today)  # three years back is not yet "older"
    assert figures.period_cell("31 December 2017", today) == (
        '31 December 2017 <span class="older-data">older data</span>'
    )
    assert figures.period_cell("<b>2025</b>", today) == "&lt;b&gt;2025&lt;/b&gt;"
