"""Generated sentences name every area at a tie (issue 20 item 8)."""

from __future__ import annotations

import pandas as pd
import pytest

from llr_analysis.report.words import at_extreme, join_names


def test_every_area_at_a_tie_is_named_as_shown():
    d = pd.DataFrame(
        {"v": [83.8, 83.84, 85.4, None], "n": ["Oadby and Wigston", "North West Leicestershire", "H", "Z"]}
    )
    assert at_extreme(d, "v", "n", lowest=True) == (83.8, "North West Leicestershire and Oadby and Wigston")
    assert at_extreme(d, "v", "n", lowest=False) == (85.4, "H")
    # 83.86 is shown as 83.9: not a tie at one decimal place
    assert at_extreme(d.assign(v=[83.8, 83.86, 85.4, None]), "v", "n", lowest=True) == (83.8, "Oadby and Wigston")
    assert join_names(["A", "B", "C"]) == "A, B and C" and join_names(["A"]) == "A"


def test_the_county_summary_names_both_districts_at_the_female_minimum(processed_project):
    from llr_analysis.analysis.life_expectancy.load import load
    from llr_analysis.report.life_expectancy import text as le_text

    text = le_text.place_summary_text(load(processed_project), "leicestershire", "birth")
    assert "females from 83.8 years in North West Leicestershire and Oadby and Wigston to 85.4 in Harborough" in text


@pytest.mark.parametrize("lowest", [True, False])
def test_at_extreme_ignores_missing_values(lowest):
    d = pd.DataFrame({"v": [None, 1.0], "n": ["gap", "one"]})
    assert at_extreme(d, "v", "n", lowest=lowest) == (1.0, "one")
