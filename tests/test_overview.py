"""Overview headlines: every topic with data contributes, values are computed, comparisons labelled."""

from __future__ import annotations

import pandas as pd
import pytest

from llr_analysis.analysis import overview
from llr_analysis.report import overview as overview_report


def test_headline_values(processed_project):
    df, missing = overview.collect_headlines(processed_project)
    assert missing == []
    assert set(df["topic"]) == {"population", "deprivation", "life_expectancy", "cancer_screening"}
    assert set(df["area_id"]) >= {"leicester", "leicestershire", "rutland", "llr"}
    assert df["comparison"].isin(list(overview.COMPARISON_TEXT)).all()

    scr = df[(df.topic == "cancer_screening") & df.indicator.str.contains("25 to 49")].set_index("area_id")
    # Leicester practices, Dec 2017: 42,595 of 71,127 eligible women aged 25-49 screened (PHE file)
    assert scr.loc["leicester", "value"] == pytest.approx(100 * 42595 / 71127)
    assert scr.loc["leicester", "comparison"] == "worse" and scr.loc["rutland", "comparison"] == "better"
    assert scr.loc["llr", "value"] == pytest.approx(69.0016, abs=1e-3)

    le = df[(df.topic == "life_expectancy") & (df.indicator == "Life expectancy at birth, males")].set_index("area_id")
    assert le.loc["leicester", ["period", "value", "england_value"]].tolist() == ["2023-25", 77.5, 79.7]
    assert le.loc["leicester", "comparison"] == "worse"
    # no county row after 2016-18: the ONS 2019 edition is used, labelled, and not compared
    assert le.loc["leicestershire", "period"] == "2016-18"
    assert le.loc["leicestershire", "comparison"] == "not compared"
    assert "ONS" in le.loc["leicestershire", "note"]


def test_headline_table_escapes_and_labels(processed_project):
    row = pd.DataFrame(
        [
            {
                "topic_title": "Deprivation",
                "indicator": "<b>x</b>",
                "period": "2025",
                "value": 12.3456,
                "lower_95": float("nan"),
                "upper_95": float("nan"),
                "unit": "score",
                "england_value": float("nan"),
                "comparison": "worse",
                "note": "n",
                "href": "d/l.ipynb",
            }
        ]
    )
    html = overview_report.headline_table_html(row, caption="Headlines <Leicester>")
    assert "&lt;b&gt;x&lt;/b&gt;" in html and "<caption>Headlines &lt;Leicester&gt;</caption>" in html
    assert 'href="d/l.html"' in html
    assert "Worse than England" in html  # the comparison is in words, not only colour
    assert "12.3" in html
