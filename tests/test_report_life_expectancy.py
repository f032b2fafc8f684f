"""The life expectancy page's sentences and sections (report/life_expectancy/) and the small numbers
behind them (analysis/life_expectancy/): hand-made inputs (small frames, or a LifeExpectancyData built
from them) with hand-written expected values, and the real pages' sections written through a recording
page from the mirror's project loaded once (``processed_project``, slow)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from life_expectancy_data import le_rows, small_data
from llr_analysis.analysis.life_expectancy import places as le
from llr_analysis.analysis.life_expectancy import small_areas
from llr_analysis.analysis.life_expectancy.load import LifeExpectancyData, load
from llr_analysis.report.life_expectancy import fingertips as le_ft_report
from llr_analysis.report.life_expectancy import sections as le_report
from llr_analysis.report.life_expectancy import text as le_text
from recording_page import RecordingPage


def roles(*r):
    return pd.DataFrame({"role": list(r)})


# ------------------------------------------------------------------------------ hand-made inputs


def test_le_download_keeps_known_columns_and_copies_the_comparison():
    df = pd.DataFrame(
        {
            "area_code": ["E06000016"],
            "area_name": ["Leicester"],
            "period": ["2021-23"],
            "sex": ["Male"],
            "gap": [-2.5],
            "ohid_comparison": ["Worse"],
            "series": ["fingertips_90366"],
            "role": ["place"],  # not a download column: dropped
        }
    )
    out = le_report.le_download(df, "Gap (years)", value="gap", comparison="ohid_comparison")
    assert out.loc[0, "indicator"] == "Gap (years)"
    assert out.loc[0, "value"] == -2.5 and out.loc[0, "comparison"] == "Worse"
    assert "role" not in out.columns and "ohid_comparison" not in out.columns
    assert list(out.columns[-2:]) == ["sex", "series"]  # extras after the standard columns, in keep order


def test_caveat_notes_by_place_and_measure():
    leicester = le_report.caveat_notes("leicester", "birth", roles("place", "England"))
    assert len(leicester) == 1 and leicester[0].startswith("No life expectancy for LLR as a whole is published")
    county = le_report.caveat_notes("leicestershire", "65", roles("place", "district", "England"))
    assert len(county) == 3
    assert county[0].startswith("Life expectancy at age 65 is available here from the ONS 2019 edition only")
    assert "no row for Leicestershire county, so from 2017-19" in county[1]


def test_caveats_section_writes_each_note():
    page = RecordingPage()
    data = small_data(le_la=le_rows(("E07000129", "Blaby", "fingertips_90366", "2021-23", 81.4)))
    le_ft_report.caveats_section(page, data, "leicestershire", "birth")
    assert len(page.texts("note")) == 2
    page = RecordingPage()
    data = small_data(le_la=le_rows(("E06000016", "Leicester", "fingertips_90366", "2021-23", 76.5)))
    le_ft_report.caveats_section(page, data, "leicester", "birth")
    assert len(page.texts("note")) == 1  # no districts: only the note on LLR as a whole


def test_hle_agreement_text():
    assert le_text.hle_agreement_text({"n": 0, "max_abs_difference": np.nan, "areas": []}, "rutland") == ""
    same = {"n": 12, "max_abs_difference": 0.0, "areas": ["E06000017", "E92000001"]}
    assert le_text.hle_agreement_text(same, "rutland") == (
        "OHID's Fingertips publishes the same ONS release (indicator 90362): for Rutland and England, its 12 "
        "values are identical to the ONS figures used here."
    )
    differ = {"n": 4, "max_abs_difference": 0.26, "areas": ["E92000001"]}
    assert le_text.hle_agreement_text(differ, "rutland").endswith(
        "for England, its 4 values differ from the ONS figures used here by at most 0.3 years."
    )


def test_districts_without_sii():
    sii = pd.DataFrame(
        {
            "area_name": ["Blaby", "Blaby", "Melton", "Melton", "England"],
            "role": ["district", "district", "district", "district", "England"],
            "value": [3.0, np.nan, np.nan, np.nan, 9.0],
        }
    )
    assert le.districts_without_sii(sii) == ["Melton"]  # Blaby has a value in one period


def test_hle_series_overlap():
    hle = pd.DataFrame(
        {
            "series": ["ons_els_2026"] * 3 + ["fingertips_90362_2020"] * 2,
            "area_code": ["A"] * 5,
            "sex": ["Male"] * 5,
            "period": ["2014-16", "2015-17", "2016-18", "2015-17", "2016-18"],
            "value": [60.0, 61.0, 62.0, 62.5, 61.2],
        }
    )
    o = le.hle_series_overlap(hle)
    assert (o["new_first"], o["new_last"], o["old_first"], o["old_last"]) == (
        "2014-16",
        "2016-18",
        "2015-17",
        "2016-18",
    )
    assert o["max_abs_difference"] == pytest.approx(1.5)


def test_latest_poor_health_uses_the_places_latest_period():
    ph = pd.DataFrame(
        {
            "area_code": ["E06000017", "E06000017", "E92000001", "E92000001", "E92000001"],
            "period_start": [2017, 2020, 2017, 2020, 2021],
            "poor_health_years": [1.0, 2.0, 3.0, 4.0, 5.0],
        }
    )
    assert le.latest_poor_health(ph, "rutland")["poor_health_years"].tolist() == [2.0, 4.0]


# ------------------------------------------------------------------------------ real data


@pytest.fixture(scope="module")
def data(processed_project) -> LifeExpectancyData:
    """The life expectancy tables of the mirror's project, loaded once."""
    return load(processed_project)


def write_page(data, place, sex="Male", measure="birth"):
    page = RecordingPage()
    le_ft_report.caveats_section(page, data, place, measure)
    le_report.trend_section(page, data, place, measure)
    le_report.gap_section(page, data, place, measure)
    le_report.series_break_section(page, data, place, measure)
    le_report.hle_section(page, data, place, measure)
    le_report.poor_health_section(page, data, place)
    le_report.sii_section(page, data, place, measure)
    msoa = small_areas.msoa_le(data, place, sex)
    fit = small_areas.imd_gradient(msoa)
    le_report.msoa_section(page, data, msoa, fit, place, sex)
    le_report.imd_scatter_section(page, msoa, fit, place, sex)
    le_report.gp_section(page, data)
    return page


def write_localities(data, place, sex="Male"):
    from llr_analysis.report.life_expectancy import localities as le_loc

    page = RecordingPage()
    msoa = small_areas.msoa_le(data, place, sex)
    fit = small_areas.imd_gradient(msoa)

    def msoa_tab():
        le_report.msoa_section(page, data, msoa, fit, place, sex)

    tabs = le_loc.locality_section(page, data, place, sex, msoa_tab)
    return page, tabs


def test_leicestershire_sections(data):
    page = write_page(data, "leicestershire")
    names = [n for _, n, _ in page.outputs if n]
    assert names == [
        "le-trend",
        "le-gap-to-england",
        "llr-latest",
        "series-overlap",
        "hle-trend",
        "years-in-poor-health",
        "years-in-poor-health-table",
        "sii-trend",
        "msoa-le-maps",
        "msoa-comparison-counts",
        "msoa-lowest",
        "msoa-le-vs-imd",
        "gp-practice-le",
    ]
    assert page.named("le-trend")["title"].startswith("Life expectancy at birth by sex, Leicestershire, its districts")
    assert "differ by up to 0.17 years" in page.texts("markdown")[0]
    hle = page.named("hle-trend")["description"]
    assert "(2011-13 to 2022-24)" in hle and "(2009-11 to 2016-18), which differ by up to 1.1 years" in hle
    assert page.named("msoa-le-maps")["description"].startswith("Two maps of the 83 MSOAs.")
    assert page.texts("markdown")[-1].startswith("Across all 130 practices of the LLR ICB in 2020, the median")
    assert "in quintile 5 (most deprived)" in page.texts("markdown")[-1]
    assert "Healthy life expectancy is published for upper-tier authorities only" in " ".join(page.texts("note"))
    lowest = page.named("msoa-lowest")
    assert len(lowest["frame"]) == 10 and lowest["frame"]["Life expectancy"].is_monotonic_increasing
    assert (lowest["download"]["comparison"] == lowest["frame"]["vs England"].to_numpy()).all()


def test_rutland_sections(data):
    page = write_page(data, "rutland")
    assert "differ by up to 0.18 years" in page.texts("markdown")[0]
    assert "which differ by up to 3.1 years" in page.named("hle-trend")["description"]
    assert page.named("msoa-le-maps")["description"].startswith("Two maps of the 5 MSOAs.")
    assert page.named("msoa-le-vs-imd")["description"].endswith("No line is drawn: there are too few MSOAs.")
    assert len(page.named("msoa-lowest")["frame"]) == 5


def test_a_place_the_sources_give_no_figure_says_so_instead_of_charts(data):
    """As for the Isles of Scilly (ONS calculates none: too few deaths): every life expectancy and healthy life
    expectancy value of the place blank or absent. The sections say so in plain words and draw no chart of
    England alone."""
    import dataclasses

    from llr_analysis.places import get_place
    from llr_analysis.report.life_expectancy import text as le_text

    code = get_place("rutland").code
    le_la = data.le_la.copy()
    le_la.loc[le_la["area_code"] == code, ["value", "lower_95", "upper_95"]] = float("nan")
    blank = dataclasses.replace(data, le_la=le_la, hle=data.hle[data.hle["area_code"] != code])
    page = RecordingPage()
    for section in (le_report.trend_section, le_report.gap_section, le_report.hle_section):
        section(page, blank, "rutland", "birth")
    le_report.poor_health_section(page, blank, "rutland")
    assert [n for _, n, _ in page.outputs if n] == []
    assert page.texts("markdown") == [
        le_text.no_figure_text(what, "Rutland")
        for what in (
            "life expectancy at birth",
            "gap to England in life expectancy at birth",
            "healthy life expectancy",
            "figure for the years lived in and not in good health",
        )
    ]
    assert le_text.place_summary_text(blank, "rutland").startswith(
        "**In summary.** The sources used give no life expectancy at birth for Rutland, so none is shown here"
    )


def test_a_place_without_the_latest_hle_release_shows_the_earlier_figures(data):
    """As for Barnsley and Sheffield (no rows in ONS's February 2026 file): the text says so and points to the
    chart of OHID's earlier figures; the years-in-poor-health section (which needs that release) says none."""
    import dataclasses

    from llr_analysis.places import get_place
    from llr_analysis.report.life_expectancy import text as le_text

    code = get_place("rutland").code
    hle = data.hle[~((data.hle["area_code"] == code) & (data.hle["series"] == "ons_els_2026"))]
    older = dataclasses.replace(data, hle=hle)
    ft = data.hle[(data.hle["series"] == "fingertips_90362") & (data.hle["period"] == "2022-24")]
    v = ft.set_index(["area_code", "sex"])["value"]
    eng = "E92000001"
    assert le_text.hle_text(older, "rutland") == (
        "ONS's February 2026 release of healthy life expectancy has no figure for Rutland (see the note on missing "
        "figures). OHID's Fingertips indicator 90362, which republishes the ONS figures, gives 2022-24: "
        f"{v[(code, 'Male')]:.1f} years for males and {v[(code, 'Female')]:.1f} for females, against "
        f"{v[(eng, 'Male')]:.1f} and {v[(eng, 'Female')]:.1f} in England; its extract has no confidence intervals, "
        "so no comparison with England is made. The chart below shows the figures OHID published earlier, to 2016-18."
    )
    page = RecordingPage()
    le_report.hle_section(page, older, "rutland", "birth")
    le_report.poor_health_section(page, older, "rutland")
    assert [n for _, n, _ in page.outputs if n] == ["hle-trend"]
    assert page.texts("markdown")[-1] == le_text.no_figure_text(
        "figure for the years lived in and not in good health", "Rutland"
    )


def test_trend_chart_highlights_the_place_against_grey_districts(data):
    from llr_analysis.report import colours
    from llr_analysis.report.life_expectancy.charts import DISTRICT_GREY, DISTRICTS_LABEL, line_chart

    trend = le.le_series(data.le_la, "leicestershire", "birth")
    spec = line_chart(trend, "value", "Years", "Leicestershire", le.LE_SERIES).to_dict()
    colour = spec["spec"]["layer"][0]["encoding"]["color"]
    assert colour["field"] == "shown_as"
    assert colour["scale"]["domain"] == ["Leicestershire", DISTRICTS_LABEL, "England"]
    # the place's own colour on every page (report/colours.py), England black
    assert colour["scale"]["range"] == [colours.place_colour("leicestershire"), DISTRICT_GREY, colours.ENGLAND]
    page = RecordingPage()
    le_report.trend_section(page, data, "leicestershire", "birth")
    assert "each of its districts a thin grey line" in page.named("le-trend")["description"]


def test_rutland_localities_name_every_ward(data):
    page, tabs = write_localities(data, "rutland")
    assert tabs == ["Wards", "MSOAs", "Primary care networks"] == page.tabs()
    wards = page.named("le-wards")
    assert len(wards["frame"]) == 15 and wards["frame"]["Ward"].is_monotonic_increasing
    assert {"Barleythorpe", "Braunston & Martinsthorpe", "Cottesmore"} <= set(wards["frame"]["Ward"])
    download = wards["download"]
    assert download["area_name"].nunique() == 15 and set(download["sex"]) == {"Male", "Female"}
    assert download["indicator"].iloc[0].startswith("Life expectancy at birth of an MSOA (2011) holding residents")
    assert (download.groupby(["area_code", "sex"])["share_of_ward_residents"].sum().round(6) == 1).all()
    b = wards["frame"].set_index("Ward").loc["Barleythorpe"]
    assert b["MSOA holding most of them (share)"] == "Oakham West, Langham & Whissendine (100%)"
    assert b["Males: life expectancy of those MSOAs"] == "80.2"
    text = " ".join(page.texts("markdown"))
    assert (
        "**No life expectancy is published for wards.**" in text and "these are MSOA figures, not ward figures" in text
    )
    assert "14 of the 15 wards lie within a single MSOA" in text
    assert "Rutland has 15 electoral wards (May 2024 boundaries)" in text
    pcn = page.named("le-pcns")["frame"]
    assert (
        list(pcn["PCN"]) == ["Rutland Health PCN"]
        and pcn["Practices used"].tolist() == [4]
        and pcn["Practices without a figure"].tolist() == [0]
    )
    assert pcn["Males: median of practices"].tolist() == [82.5]
    assert "**GP-practice life expectancy, 2020 (older data).**" in text
    assert "Every practice of Rutland in the file is open and belongs to a PCN." in text


def test_leicester_and_leicestershire_localities(data):
    page, tabs = write_localities(data, "leicester")
    assert tabs == ["Wards", "MSOAs", "Primary care networks"]
    wards = page.named("le-wards")["frame"].set_index("Ward")
    assert len(wards) == 21
    assert wards.loc["Abbey", "MSOA holding most of them (share)"] == "Stocking Farm & Mowmacre (58%)"
    assert wards.loc["Abbey", "Males: life expectancy of those MSOAs"] == "75.4 to 81.7"
    pcn = page.named("le-pcns")["frame"]
    assert len(pcn) == 10 and pcn["Practices used"].sum() == 54
    assert pcn["Males: median of practices"].is_monotonic_increasing  # lowest first, as the text says
    assert pcn["PCN"].iloc[0] == "Leicester City & University PCN"
    assert len(page.named("le-pcn-practices")["frame"]) == 54

    page, tabs = write_localities(data, "leicestershire")
    assert tabs == ["Districts", "Wards", "MSOAs", "Primary care networks"]
    d = page.named("le-districts")["frame"]
    assert len(d) == 14 and set(d["District"]) >= {"Blaby", "Melton", "Oadby and Wigston"}
    blaby = d[(d["District"] == "Blaby") & (d["Sex"] == "Male")].iloc[0]
    assert blaby["Life expectancy, 2023-25"] == 81.4 and blaby["OHID's comparison with England"] == "better"
    assert len(page.named("le-wards")["frame"]) == 138
    assert len(page.named("le-pcns")["frame"]) == 15


def test_practices_apart_never_join_a_pcn():
    from llr_analysis.analysis.life_expectancy.localities import pcn_le

    practices = pd.DataFrame(
        {
            "practice_code": ["A", "B", "C", "D"],
            "pcn_code": ["U1", "U1", "U2", None],
            "pcn_name": ["One PCN", "One PCN", "Two PCN", None],
            "group": ["pcn", "pcn", "pcn", "apart"],
            "Male": [76.0, 80.0, 75.0, 60.0],
            "Female": [81.0, 83.0, 80.0, 70.0],
        }
    )
    out = pcn_le(practices)
    assert list(out["pcn_name"]) == ["Two PCN", "One PCN"]  # lowest median for males first
    assert out.set_index("pcn_name").loc["One PCN", "male_median"] == 78.0
    assert out["practices"].sum() == 3 and 60.0 not in set(out["male_low"])


def test_district_range_and_the_note_on_an_older_headline():
    from llr_analysis.analysis.life_expectancy.periods import district_range, note_older_periods

    ft = "fingertips_90366"
    le_la = le_rows(
        ("E07000129", "Blaby", ft, "2023-25", 81.44),  # shown as 81.4: a tie with Charnwood at 1 dp
        ("E07000130", "Charnwood", ft, "2023-25", 81.4),
        ("E07000131", "Harborough", ft, "2023-25", 82.0),
        ("E06000016", "Leicester", ft, "2023-25", 77.5),  # not a district of Leicestershire
        ("E07000131", "Harborough", ft, "2022-24", 79.0),  # another period
    )
    r = district_range(le_la, "leicestershire", "Male", "2023-25")
    assert r == {
        "n": 3,
        "low": 81.4,
        "low_names": "Blaby and Charnwood",
        "high": 82.0,
        "high_names": "Harborough",
        "period": "2023-25",
    }
    assert district_range(le_la, "leicestershire", "Female", "2023-25") is None
    assert district_range(le_la, "rutland", "Male", "2023-25") is None  # a unitary authority: no districts
    h = pd.DataFrame(
        {
            "indicator": ["Life expectancy at birth, males"] * 2 + ["Healthy life expectancy at birth, males"],
            "area_id": ["leicester", "leicestershire", "leicestershire"],
            "area_name": ["Leicester", "Leicestershire", "Leicestershire"],
            "period": ["2023-25", "2016-18", "2022-24"],
            "note": ["extract", "ONS 2019 edition", "ONS"],
        }
    )
    notes = note_older_periods(h, le_la)["note"].tolist()
    assert notes == [
        "extract",
        "ONS 2019 edition; no figure for Leicestershire as a whole after 2016-18; in 2023-25 its 3 districts "
        "ranged from 81.4 (Blaby and Charnwood) to 82.0 years (Harborough)",
        "ONS",  # healthy life expectancy is not a life expectancy headline
    ]
