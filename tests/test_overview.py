"""Overview headlines: every topic with data contributes, values are computed, comparisons labelled."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from llr_analysis.analysis import overview
from llr_analysis.analysis.overview import key_messages as figures
from llr_analysis.analysis.overview.load import OverviewData, load, screening_standards
from llr_analysis.places import load_places
from llr_analysis.report.overview import key_messages as words
from llr_analysis.report.overview import tables


def test_headline_values(processed_project):
    data = load(processed_project)
    df, missing = data.headlines, data.missing
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
    assert (
        "no figure for Leicestershire as a whole after 2016-18; in 2023-25 its 7 districts ranged from 80.1"
        in (le.loc["leicestershire", "note"])
    )
    # one total per area on every page: the mid-2022 estimates the deprivation pages use
    pop = df[df.indicator == "Population (all ages)"].set_index("area_id")
    assert pop.loc["leicester", ["period", "value"]].tolist() == ["mid-2022", 372495]
    assert pop["comparison"].eq(overview.NOT_TESTED).all() and pop["england_value"].isna().all()


def test_headline_table_escapes_and_labels():
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
    html = tables.headline_table_html(row, caption="Headlines <Leicester>")
    assert "&lt;b&gt;x&lt;/b&gt;" in html and "<caption>Headlines &lt;Leicester&gt;</caption>" in html
    assert 'href="d/l.html"' in html
    assert "Worse than England" in html  # the comparison is in words, not only colour
    assert "12.3" in html


# ------------------------------------------------------------------------------ key messages (issue 16, item 1)

TODAY = date(2026, 11, 27)  # the periods that are "older data" depend on the day the site is built


def test_overview_key_messages_from_the_processed_data(processed_project):
    sentences = words.key_message_sentences(figures.key_messages(load(processed_project)), TODAY)
    assert 3 <= len(sentences) <= 5
    assert sentences[0] == (
        "Leicester is the most deprived of the three places: 20.0% of its neighbourhoods are among the 10% most "
        "deprived in England (English Indices of Deprivation 2025), twice England's 10% (Leicestershire 0.7%, "
        "Rutland none; LLR as a whole 6.8%)."
    )
    assert sentences[1] == (
        "Life expectancy at birth is lowest in Leicester: 77.5 years for men, 2.2 years below England's 79.7, "
        "and 81.7 years for women, 1.8 years below England's 83.5 (2023-25), statistically worse than England. "
        "It is highest in Rutland: 82.9 years for men, 3.2 years above England's 79.7, and 85.4 years for "
        "women, 1.9 years above England's 83.5 (2023-25), statistically better than England. "
        # issue 20 item 4: like with like; the place without the latest period is named with its districts
        "Leicestershire is not in this comparison: it has no figure for 2023-25, its latest is for 2016-18; in "
        "2023-25 its 7 districts ranged from 80.1 (North West Leicestershire) to 81.6 years (Harborough) for men "
        "and from 83.8 (North West Leicestershire and Oadby and Wigston) to 85.4 years (Harborough) for women."
    )
    assert sentences[2] == (
        "Cervical screening (31 December 2017, older data): 69.0% of women aged 25 to 49 across LLR were "
        "screened, below the 75% minimum standard but statistically better than England (68.6%); 78.1% of "
        "women aged 50 to 64 across LLR were screened, meeting the 75% minimum standard and statistically "
        "better than England (76.3%). Below the minimum standard: women aged 25 to 49 in Leicester (59.9%) "
        "and Leicestershire (74.8%)."
    )
    # issue 20 item 6: the total is the most recent count (mid-2022), the share by age the latest with
    # single years of age (mid-2020), each with its period
    assert sentences[3].startswith("Leicester, Leicestershire and Rutland had 1,136,660 residents (mid-2022")
    assert "18.1% of its people were aged 65 and over, against 18.5% in England (mid-2020" in sentences[3]


def test_place_key_messages_from_the_processed_data(processed_project):
    data = load(processed_project)

    def said(place):
        return words.key_message_sentences(figures.key_messages(data, place), TODAY)

    leicester = said("leicester")
    assert leicester[:3] == [
        "20.0% of Leicester's neighbourhoods are among the 10% most deprived in England (English Indices of "
        "Deprivation 2025), twice England's 10%; across Leicester, Leicestershire and Rutland it is 6.8%.",
        "Life expectancy at birth in Leicester is 77.5 years for men, 2.2 years below England's 79.7, and 81.7 "
        "years for women, 1.8 years below England's 83.5 (2023-25): statistically worse than England.",
        "Cervical screening (31 December 2017, older data): 59.9% of women aged 25 to 49 in Leicester were "
        "screened, below the 75% minimum standard and statistically worse than England (68.6%); 75.0% of women "
        "aged 50 to 64 in Leicester were screened, meeting the 75% minimum standard but statistically worse "
        "than England (76.3%).",
    ]
    rutland = said("rutland")
    assert rutland[0].startswith(
        "None of Rutland's 26 neighbourhoods are among the 10% most deprived in England (English Indices of "
        "Deprivation 2025), where a tenth of all neighbourhoods are by definition"
    )
    # Leicestershire's latest published county life expectancy is 2016-18: older data, not tested
    leics = said("leicestershire")
    assert leics[1] == (
        "Life expectancy at birth in Leicestershire is 80.7 years for men, 1.1 years above England's 79.6, and "
        "84.2 years for women, 1.0 years above England's 83.2 (2016-18, older data): not tested statistically "
        "against England."
    )
    for sentences in (leicester, rutland, leics):
        assert 3 <= len(sentences) <= 5
        text = " ".join(sentences)
        assert not any(word in text.lower() for word in ("mirror", "this build", "llr fetch", "llr build"))


def _headline(topic, indicator, area_id, area_name, period, value, england, comparison, unit="%"):
    return {
        "topic": topic,
        "indicator": indicator,
        "area_id": area_id,
        "area_name": area_name,
        "period": period,
        "value": value,
        "lower_95": float("nan"),
        "upper_95": float("nan"),
        "unit": unit,
        "england_value": england,
        "comparison": comparison,
        "note": "",
        "href": "",
    }


def _data(headlines: pd.DataFrame, district_life_expectancy: pd.DataFrame | None = None) -> OverviewData:
    """Overview data built from small frames (no files read but the configuration)."""
    return OverviewData(
        headlines=headlines,
        missing=[],
        topics=[],
        places=load_places(),
        district_life_expectancy=pd.DataFrame(
            columns=["series", "age", "sex", "period", "area_code", "area_name", "value"]
        )
        if district_life_expectancy is None
        else district_life_expectancy,
        screening_standards=screening_standards(),
    )


def test_key_message_rules_on_a_small_table():
    """The standard is compared at the one decimal shown; old periods say so; no England figure, no claim."""
    h = pd.DataFrame(
        [
            _headline(
                "cancer_screening",
                "Bowel screening coverage, people aged 60 to 74",
                "rutland",
                "Rutland",
                "2024",
                54.96,
                70.0,
                "worse",
            ),
            _headline(
                "cancer_screening",
                "Bowel screening coverage, people aged 60 to 74",
                "leicester",
                "Leicester",
                "2024",
                54.94,
                70.0,
                "worse",
            ),
            _headline(
                "life_expectancy",
                "Life expectancy at birth, males",
                "rutland",
                "Rutland",
                "2015-17",
                80.0,
                79.5,
                "not compared",
                "years",
            ),
            _headline(
                "life_expectancy",
                "Life expectancy at birth, females",
                "rutland",
                "Rutland",
                "2015-17",
                83.0,
                83.1,
                "similar",
                "years",
            ),
        ]
    )
    data = _data(h)
    msgs = figures.key_messages(data, "rutland")
    assert [m["kind"] for m in msgs] == ["life_expectancy", "screening"]
    assert [r["band"] for r in figures.screening_figures(h, data.screening_standards).to_dict("records")] == [
        "acceptable",
        "below",
    ]
    assert words.key_message_sentences(msgs, TODAY) == [
        "Life expectancy at birth in Rutland is 80.0 years for men, 0.5 years above England's 79.5, and 83.0 "
        "years for women, 0.1 years below England's 83.1 (2015-17, older data): not tested against England for men; "
        "statistically similar to England for women.",
        "Bowel screening (2024): 55.0% of people aged 60 to 74 in Rutland were screened, meeting the 55% minimum "
        "standard but statistically worse than England (70.0%).",
    ]
    leic = words.key_message_sentences(figures.key_messages(data, "leicester"), TODAY)
    assert leic == [
        "Bowel screening (2024): 54.9% of people aged 60 to 74 in Leicester were screened, below the 55% minimum "
        "standard and statistically worse than England (70.0%)."
    ]
    assert figures.key_messages(_data(h.iloc[0:0]), "leicester") == []


def test_key_messages_open_the_pages_before_the_headline_tables():
    import json
    from pathlib import Path

    for name, call in (
        ("overview", "sections.key_messages_section(page, data)"),
        ("summary", "sections.key_messages_section(page, data, the_place.id)"),
    ):
        nb = json.loads((Path(__file__).parents[1] / "notebooks" / f"{name}.ipynb").read_text())
        sources = ["".join(c["source"]) for c in nb["cells"]]
        first_output = next(i for i, s in enumerate(sources) if s.startswith("sections.") or s.startswith("page."))
        assert sources[first_output] == call
        assert sources[first_output - 1] == "## Key messages"


def test_place_topic_links_end_with_its_locality_profiles():
    from llr_analysis.report.overview.links import topic_links_list
    from llr_analysis.topics import Topic

    text = topic_links_list([Topic("deprivation", "Deprivation")], load_places(), "rutland")
    assert '<a href="../deprivation/rutland.html">Deprivation in Rutland</a>' in text
    assert text.endswith(
        '<li><a href="../localities/rutland.html">Localities of Rutland</a>: a profile of each of its wards and '
        "primary care networks</li></ul>"
    )


# ------------------------------------------------------------------------------ pure functions on small frames


def test_a_place_without_the_latest_life_expectancy_is_named_with_its_districts_range():
    cfg = load_places()
    leics = cfg.places["leicestershire"]
    codes = [c for c in leics.district_codes if c != leics.code][:3]
    h = pd.DataFrame(
        [
            _headline(
                "life_expectancy", f"Life expectancy at birth, {sex}", pid, name, period, v, 80.0, "similar", "years"
            )
            for pid, name, period, v in (
                ("leicester", "Leicester", "2023-25", 77.5),
                ("rutland", "Rutland", "2023-25", 82.9),
                ("leicestershire", "Leicestershire", "2016-18", 80.7),
            )
            for sex in ("males", "females")
        ]
    )
    le = pd.DataFrame(
        {
            "series": "fingertips_90366",
            "age": "birth",
            "sex": "Male",
            "period": "2023-25",
            "area_code": codes,
            "area_name": ["District A", "District B", "District C"],
            "value": [80.14, 81.6, 80.1],
        }
    )
    msg = figures.key_messages(_data(h, le))[0]
    assert msg["kind"] == "life_expectancy_places"
    assert [x["area_name"] for x in msg["lacking"]] == ["Leicestershire"]
    ranges = msg["lacking"][0]["districts"]
    # ties at the value shown (1 dp) are all named; no female rows in the table: no range for women
    assert ranges["males"] == {
        "n": 3,
        "low": 80.1,
        "low_names": "District A and District C",
        "high": 81.6,
        "high_names": "District B",
        "period": "2023-25",
    }
    assert ranges["females"] is None


def test_page_headlines_select_topics_and_an_area_with_titles():
    from llr_analysis.analysis.overview.selection import page_headlines
    from llr_analysis.topics import Topic

    h = pd.DataFrame(
        [
            _headline("deprivation", "Score", "rutland", "Rutland", "IoD2025", 10.0, None, "not tested", "score"),
            _headline("deprivation", "Score", "leicester", "Leicester", "IoD2025", 30.0, None, "not tested", "score"),
            _headline("toy", "Toy", "rutland", "Rutland", "2024", 1.0, None, "not tested", "score"),
        ]
    )
    data = OverviewData(
        headlines=h,
        missing=[],
        topics=[Topic("deprivation", "Deprivation")],
        places=load_places(),
        district_life_expectancy=pd.DataFrame(),
        screening_standards=pd.DataFrame(),
    )
    rutland = page_headlines(data, area_id="rutland")
    assert rutland[["topic", "topic_title"]].values.tolist() == [["deprivation", "Deprivation"], ["toy", "toy"]]
    assert page_headlines(data, topics="deprivation")["area_id"].tolist() == ["rutland", "leicester"]


HEADLINES_MODULE = """
import pandas as pd
from llr_analysis.analysis.overview import HEADLINE_COLUMNS


def headlines(paths):
    row = dict.fromkeys(HEADLINE_COLUMNS)
    row.update(topic="toyh", indicator="Toy figure", area_id="rutland", area_name="Rutland", value=7.3)
    return pd.DataFrame([row])
"""


def test_collect_headlines_calls_each_topic_packages_headlines_module(tmp_path, monkeypatch):
    """The overview's contract: ``llr_analysis.analysis.<topic id>.headlines.headlines(paths)``; a topic
    without that module is listed as missing, not left out."""
    import sys

    import llr_analysis.analysis as analysis_pkg
    from llr_analysis.analysis.overview.load import collect_headlines
    from llr_analysis.paths import ProjectPaths
    from llr_analysis.topics import Topic

    (tmp_path / "toyh").mkdir()
    (tmp_path / "toyh" / "__init__.py").write_text('"""A toy topic."""\n')
    (tmp_path / "toyh" / "headlines.py").write_text(HEADLINES_MODULE)
    monkeypatch.setattr(analysis_pkg, "__path__", [*analysis_pkg.__path__, str(tmp_path)])
    try:
        df, missing = collect_headlines(
            ProjectPaths(tmp_path), [Topic("toyh", "Toy topic"), Topic("nothing_here", "Nothing here")]
        )
    finally:
        for name in ("llr_analysis.analysis.toyh", "llr_analysis.analysis.toyh.headlines"):
            sys.modules.pop(name, None)
    assert list(df.columns) == overview.HEADLINE_COLUMNS
    assert df[["topic", "area_id", "value"]].values.tolist() == [["toyh", "rutland", 7.3]]
    assert missing == [("Nothing here", "this topic is not part of the build yet")]
