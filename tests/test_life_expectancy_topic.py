"""The life-expectancy topic: readers of the publishers' layouts, the processed tables, the analysis
functions and the pages.

Synthetic files are small copies of the official layouts (values made up); real-data tests read
the raw-data mirror through the ``processed_project`` fixture and check the processed values
against the raw files read independently (openpyxl / csv) or against numbers in the files.
"""

from __future__ import annotations

import csv
import re

import numpy as np
import openpyxl
import pandas as pd
import pytest

from llr_analysis.analysis.life_expectancy import places as le
from llr_analysis.analysis.life_expectancy import small_areas
from llr_analysis.analysis.life_expectancy.load import LifeExpectancyData, load
from llr_analysis.analysis.life_expectancy.localities import gp_practice_le
from llr_analysis.errors import DataValidationError, ParameterError
from llr_analysis.fetch.sources import raw_path
from llr_analysis.process import read_table
from llr_analysis.process.life_expectancy import (
    parse_period,
    read_fingertips_le,
    read_gp_practice_if_present,
    read_ons_la,
)
from llr_analysis.process.life_expectancy_local import read_msoa_workbook
from llr_analysis.report.life_expectancy import text as le_text
from llr_analysis.report.page import DOWNLOAD_COLUMNS, chart_specs
from llr_analysis.stats import compare_by_ci_overlap

# ------------------------------------------------------------------------------ synthetic layouts

ONS_SHEETS = ["LE at birth - Males", "LE at birth - Females", "LE at age 65 - Males", "LE at age 65 - Females"]


def ons_la_workbook(path, blaby_2016_18="..", sheets=ONS_SHEETS):
    """The ONS 'LE at birth and at 65 by local areas' layout: title, blank, header on row 3, names in B/C/D."""
    rows = [
        ["Life Expectancy at birth for males, United Kingdom, 2015-2017 to 2016-2018"] + [None] * 5,
        [None] * 6,
        ["Area Codes", "Area Names", None, None, "2015-2017", "2016-2018"],
        [None] * 6,
        ["E92000001", "ENGLAND", None, None, 79.551053, 79.626661],
        ["E12000004", "EAST MIDLANDS", None, None, 79.365075, 79.41624],
        ["E10000018", None, "Leicestershire", None, 80.797146, 80.713522],
        ["E07000129", None, None, "Blaby", 81.071862, blaby_2016_18],
        [None] * 6,
        ["Figures exclude deaths of non-residents", None, None, None, None, None],
    ]
    with pd.ExcelWriter(path) as w:
        pd.DataFrame([["Contents"]]).to_excel(w, sheet_name="Contents", header=False, index=False)
        for s in sheets:
            pd.DataFrame(rows).to_excel(w, sheet_name=s, header=False, index=False)
    return path


def test_parse_period_reads_every_publishers_form():
    assert parse_period("2001-2003", "f", "c") == (2001, 2003)
    assert parse_period("2015 - 17", "f", "c") == (2015, 2017)
    assert parse_period("2009-11", "f", "c") == (2009, 2011)
    assert parse_period("2011-01-01/P3Y", "f", "c") == (2011, 2013)
    assert parse_period("1999-01", "f", "c") == (1999, 2001)
    with pytest.raises(DataValidationError, match="period 'Q1 2020'"):
        parse_period("Q1 2020", "f", "c")


def test_ons_la_reader_by_layout_suppressed_is_missing_not_zero(tmp_path):
    df = read_ons_la(ons_la_workbook(tmp_path / "le.xlsx"))
    assert len(df) == 4 * 4 * 2  # 4 sheets x 4 coded rows x 2 periods
    birth_m = df[(df.age == "birth") & (df.sex == "Male")].set_index(["area_code", "period"])
    assert birth_m.loc[("E07000129", "2015-17"), "value"] == 81.071862
    assert np.isnan(birth_m.loc[("E07000129", "2016-18"), "value"])  # '..' -> missing
    # names from column B, C or D; capitals of countries and regions tidied
    assert birth_m.loc[("E07000129", "2015-17"), "area_name"] == "Blaby"
    assert birth_m.loc[("E10000018", "2015-17"), "area_name"] == "Leicestershire"
    assert birth_m.loc[("E92000001", "2016-18"), "area_name"] == "England"
    assert birth_m.loc[("E12000004", "2016-18"), "area_name"] == "East Midlands"
    assert set(df.series) == {"ons_la_2019"} and df.lower_95.isna().all()
    assert set(df[df.age == "65"].sex) == {"Male", "Female"}


def test_ons_la_reader_names_a_missing_sheet(tmp_path):
    f = ons_la_workbook(tmp_path / "le.xlsx", sheets=ONS_SHEETS[:3])
    with pytest.raises(DataValidationError, match="sheet 'LE at age 65 - Females' is missing"):
        read_ons_la(f)


def test_ons_la_reader_rejects_text_in_a_value_cell(tmp_path):
    f = ons_la_workbook(tmp_path / "le.xlsx", blaby_2016_18="eighty")
    with pytest.raises(
        DataValidationError,
        match=r"column '2016-2018': area E07000129: 1 values are not numbers in the publisher's format; "
        r"e.g. value 'eighty' is text",
    ):
        read_ons_la(f)


TRAFFORD_HEADER = [
    "area_code",
    "area_name",
    "area_type",
    "period",
    "indicator",
    "measure",
    "unit",
    "value",
    "compared_to_England",
    "inequality",
]


def test_fingertips_extract_reader(tmp_path):
    f = tmp_path / "life_expectancy.csv"
    with open(f, "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(TRAFFORD_HEADER)
        w.writerow(
            [
                "E92000001",
                "England",
                "Country",
                "2023 - 25",
                "Life expectancy at birth",
                "Life expectancy",
                "Years",
                "79.7",
                "Not compared",
                "Male",
            ]
        )
        w.writerow(
            [
                "E06000016",
                "Leicester",
                "UA",
                "2023 - 25",
                "Life expectancy at birth",
                "Life expectancy",
                "Years",
                "77.5",
                "Worse",
                "Male",
            ]
        )
        w.writerow(
            [
                "E06000053",
                "Isles of Scilly",
                "UA",
                "2023 - 25",
                "Life expectancy at birth",
                "Life expectancy",
                "Years",
                "NA",
                "Not compared",
                "Female",
            ]
        )
    df = read_fingertips_le(f).set_index("area_code")
    assert df.loc["E06000016", "period"] == "2023-25" and df.loc["E06000016", "period_end"] == 2025
    assert df.loc["E06000016", "value"] == 77.5 and df.loc["E06000016", "ohid_comparison"] == "Worse"
    assert np.isnan(df.loc["E06000053", "value"]) and df.loc["E06000053", "sex"] == "Female"
    assert set(df["series"]) == {"fingertips_90366"}


def test_fingertips_extract_reader_rejects_another_indicator(tmp_path):
    f = tmp_path / "x.csv"
    pd.DataFrame(
        [
            [
                "E06000016",
                "Leicester",
                "UA",
                "2023 - 25",
                "Healthy life expectancy at birth",
                "m",
                "Years",
                "57.8",
                "Worse",
                "Male",
            ]
        ],
        columns=TRAFFORD_HEADER,
    ).to_csv(f, index=False)
    with pytest.raises(DataValidationError, match="column 'indicator'.*Life expectancy at birth"):
        read_fingertips_le(f)


def _sheet(rows: list[list]) -> pd.DataFrame:
    width = max(len(r) for r in rows)
    return pd.DataFrame([list(r) + [None] * (width - len(r)) for r in rows])


def msoa_workbook(path, le_male=79.1, shift_limits=False):
    """The ONS 2009-13 small-area reference table layout (HLE version), two MSOAs and one UTLA."""
    head = [
        "MSOA Codes",
        "MSOA Names",
        "Region",
        "HLE (years)",
        None,
        "Lower 95 % confidence interval",
        "Upper 95 % confidence interval",
        "LE (Years)",
        "Lower 95 % confidence interval",
        "Upper 95 % confidence interval",
        "Proportion1 of life spent in 'Good' health (%)",
    ]
    if shift_limits:
        head[5], head[6] = "Proportion", "Lower 95 % confidence interval"
    top = [["Office for National Statistics"] + [None] * 10, [None] * 11, ["England, 2009 to 2013"] + [None] * 10]
    with pd.ExcelWriter(path) as w:
        for sex, le_ in (("males", le_male), ("females", 83.0)):
            msoa = top + [
                head,
                ["E02002858", "Leicester 032", "East Midlands", 68.7, "*", 67.3, 70.1, le_, 77.5, 80.8, 86.8],
                ["E02002866", "Rutland 004", "East Midlands", 67.9, "*", 66.1, 69.7, 79.5, 77.2, 81.7, 85.4],
                [None] * 11,
                ["Notes"] + [None] * 10,
            ]
            _sheet(msoa).to_excel(w, sheet_name=f"MSOA_{sex}", header=False, index=False)
            utla = top + [
                ["UTLA Codes", "UTLA Name"] + head[3:],
                ["E06000016", "Leicester", 59.1, "**", 58.9, 59.4, 76.6, 76.3, 76.9, 77.2],
            ]
            _sheet(utla).to_excel(w, sheet_name=f"UTLA_{sex}", header=False, index=False)
        region = top + [
            ["Regions"] + head[3:10],
            ["Males"] + [None] * 7,
            ["East Midlands", 63.0, "**", 62.96, 63.08, 78.99, 78.91, 79.06],
            [None] * 8,
            ["England", 63.49, None, 63.47, 63.51, 79.13, 79.11, 79.16],
            [None] * 8,
            ["Females"] + [None] * 7,
            ["East Midlands", 64.2, "**", 64.18, 64.29, 82.84, 82.77, 82.91],
            ["England", 64.77, None, 64.75, 64.79, 82.97, 82.95, 82.99],
        ]
        _sheet(region).to_excel(w, sheet_name="Region", header=False, index=False)
    return path


def test_msoa_workbook_reader_finds_limits_after_each_measure_and_england_row(tmp_path):
    msoa, areas = read_msoa_workbook(msoa_workbook(tmp_path / "hle.xlsx"), "HLE")
    m = msoa.set_index(["code", "sex"])
    assert m.loc[("E02002858", "Male"), "le"] == 79.1
    assert m.loc[("E02002858", "Male"), "le_lower_95"] == 77.5 and m.loc[("E02002858", "Male"), "le_upper_95"] == 80.8
    assert m.loc[("E02002858", "Male"), "hle_lower_95"] == 67.3
    assert m.loc[("E02002866", "Female"), "hle"] == 67.9
    a = areas.set_index(["code", "sex"])
    # England has no code in the Region sheet; each sex's England row comes from its own section
    assert a.loc[("E92000001", "Male"), "le"] == 79.13 and a.loc[("E92000001", "Female"), "le"] == 82.97
    assert a.loc[("E92000001", "Female"), "hle_upper_95"] == 64.79
    assert a.loc[("E06000016", "Male"), "le"] == 76.6


def test_msoa_workbook_reader_rejects_limits_not_after_their_measure(tmp_path):
    with pytest.raises(DataValidationError, match="the 95% limits do not follow 'HLE \\(years\\)'"):
        read_msoa_workbook(msoa_workbook(tmp_path / "hle.xlsx", shift_limits=True), "HLE")


HEEC_HEADER = ["Practice.Code", "Year", "IMD_quintile", "ICB.NAME", "Life_Expectancy_Female", "Life_Expectancy_Male"]


def test_gp_practice_file_is_read_or_recognised_as_the_other_dataset(tmp_path):
    f = tmp_path / "life_expectancy.csv"
    pd.DataFrame(
        [
            ["C82001", 2020, 1, "Leicester, Leicestershire and Rutland", 84.8597, 81.1018],
            ["C82002", 2020, 1, "Leicester, Leicestershire and Rutland", 85.7661, "NA"],
        ],
        columns=HEEC_HEADER,
    ).to_csv(f, index=False)
    gp = read_gp_practice_if_present(f).set_index(["practice_code", "sex"])
    assert gp.loc[("C82001", "Male"), "value"] == 81.1018
    assert np.isnan(gp.loc[("C82002", "Male"), "value"])
    # the Fingertips 90366 extract, which the registry currently writes to the same file name
    pd.DataFrame(
        [
            [
                "E06000016",
                "Leicester",
                "UA",
                "2023 - 25",
                "Life expectancy at birth",
                "Life expectancy",
                "Years",
                "77.5",
                "Worse",
                "Male",
            ]
        ],
        columns=TRAFFORD_HEADER,
    ).to_csv(f, index=False)
    assert read_gp_practice_if_present(f).empty
    # anything else is an error naming the missing column
    pd.DataFrame([[1, 2]], columns=["a", "b"]).to_csv(f, index=False)
    with pytest.raises(DataValidationError, match="Practice.Code"):
        read_gp_practice_if_present(f)


def test_parameters():
    assert le.check_sex("female") == "Female" and le.check_sex("Males") == "Male"
    with pytest.raises(ParameterError, match="'Persons' is not available"):
        le.check_sex("Persons")
    assert le.check_measure("at 65") == "65" and le.check_measure("birth") == "birth"
    with pytest.raises(ParameterError, match="unknown measure"):
        le.check_measure("75")


def test_gap_is_taken_within_a_series():
    df = pd.DataFrame(
        {
            "area_code": ["E92000001", "E06000016", "E92000001", "E06000016"],
            "series": ["ons_la_2019", "ons_la_2019", "fingertips_90366", "fingertips_90366"],
            "period": ["2016-18"] * 4,
            "sex": ["Male"] * 4,
            "value": [79.626661, 77.153622, 79.6, 77.3],
        }
    )
    g = le.gap_to_england(df).set_index("series")["gap"]
    assert g["ons_la_2019"] == pytest.approx(77.153622 - 79.626661)
    assert g["fingertips_90366"] == pytest.approx(77.3 - 79.6)


# ------------------------------------------------------------------------------ real data (mirror)


@pytest.fixture(scope="module")
def data(processed_project) -> LifeExpectancyData:
    """The life expectancy tables of the mirror's project, loaded once."""
    return load(processed_project)


def _ons_cell(path, sheet, code, period):
    ws = openpyxl.load_workbook(path, read_only=True, data_only=True)[sheet]
    rows = list(ws.iter_rows(values_only=True))
    header = next(r for r in rows if r[0] == "Area Codes")
    return next(r for r in rows if r[0] == code)[header.index(period)]


def test_processed_le_matches_the_raw_files(processed_project):
    paths = processed_project
    t = read_table("life_expectancy/le_la", paths)
    f = raw_path("le_ons_la_2001_2018", paths)
    row = t[
        (t.series == "ons_la_2019")
        & (t.area_code == "E06000016")
        & (t.sex == "Male")
        & (t.age == "birth")
        & (t.period == "2016-18")
    ]
    assert row["value"].item() == _ons_cell(f, "LE at birth - Males", "E06000016", "2016-2018")
    assert row["value"].item() == pytest.approx(77.153622, abs=1e-6)
    r65 = t[
        (t.series == "ons_la_2019")
        & (t.area_code == "E10000018")
        & (t.sex == "Female")
        & (t.age == "65")
        & (t.period == "2001-03")
    ]
    assert r65["value"].item() == pytest.approx(_ons_cell(f, "LE at age 65 - Females", "E10000018", "2001-2003"))
    # Fingertips 90366: the raw CSV's values, and no Leicestershire county row
    ft = t[t.series == "fingertips_90366"].set_index(["area_code", "sex", "period"])["value"]
    assert ft[("E06000016", "Male", "2023-25")] == 77.5 and ft[("E92000001", "Male", "2023-25")] == 79.7
    assert ft[("E06000016", "Female", "2023-25")] == 81.7 and ft[("E92000001", "Female", "2023-25")] == 83.5
    assert not (t[t.series == "fingertips_90366"].area_code == "E10000018").any()
    assert (t[t.series == "fingertips_90366"].age == "birth").all()
    # ONS: 16 periods x 2 ages x 2 sexes for each of the 9 LLR districts, the county and England
    llr = t[
        (t.series == "ons_la_2019")
        & t.area_code.isin(["E06000016", "E06000017", "E10000018", "E07000129", "E07000135", "E92000001"])
    ]
    assert llr.groupby("area_code").size().eq(64).all()


def test_hle_real_values_and_benchmark_by_ci_overlap(data):
    h = le.hle_series(data.hle, "leicester")
    new = h[(h.series == "ons_els_2026") & (h.period == "2022-24")].set_index(["area_code", "sex"])
    m = new.loc[("E06000016", "Male")]
    assert (m["value"], m["lower_95"], m["upper_95"], m["england_value"]) == (57.8, 54.7, 60.8, 60.9)
    assert m["comparison"] == "worse"  # upper limit 60.8 is below England's 60.9
    f = new.loc[("E06000016", "Female")]
    assert (f["value"], f["lower_95"], f["upper_95"], f["england_value"]) == (57.9, 54.3, 61.6, 61.3)
    assert f["comparison"] == "similar"  # interval contains 61.3
    assert compare_by_ci_overlap(57.8, 54.7, 60.8, 60.9) == m["comparison"]
    # the earlier-method series keeps OHID's own judgement
    old = h[(h.series == "fingertips_90362_2020") & (h.area_code == "E06000016") & (h.period == "2016-18")]
    assert old.set_index("sex").loc["Male", "value"] == 58.7 and set(old["comparison"]) == {"worse"}
    # OHID's current Fingertips HLE is the same ONS release as the ELS figures
    agree = le.hle_fingertips_agreement(data.hle, "leicester")
    assert agree["n"] == 32 and agree["max_abs_difference"] == 0


def test_years_not_in_good_health(data):
    ph = le.poor_health_years(data.hle, data.le_la, "leicester").set_index(["area_code", "sex", "period"])
    r = ph.loc[("E06000016", "Male", "2022-24")]
    assert r["le"] == 77.0 and r["hle"] == 57.8 and r["le_series"] == "fingertips_90366"
    assert r["poor_health_years"] == pytest.approx(19.2)
    assert ph.loc[("E06000016", "Male", "2013-15"), "le_series"] == "ons_la_2019"
    # Leicestershire: no county LE after 2016-18, so no years in poor health after it
    county = le.poor_health_years(data.hle, data.le_la, "leicestershire")
    assert county[county.area_code == "E10000018"]["period_end"].max() == 2018


def test_msoa_table_and_2009_13_comparators(processed_project):
    m = read_table("life_expectancy/msoa11", processed_project)
    assert len(m) == 250 and m.msoa11_code.nunique() == 125
    assert m.groupby("place_id").msoa11_code.nunique().to_dict() == {
        "leicester": 37,
        "leicestershire": 83,
        "rutland": 5,
    }
    r = m.set_index(["msoa11_code", "sex"]).loc[("E02002858", "Male")]
    assert (r["le"], r["le_lower_95"], r["le_upper_95"]) == pytest.approx((79.14365, 77.48369, 80.8036))
    assert r["hle"] == pytest.approx(68.7336) and r["msoa11_name"] == "Leicester 032"
    a = read_table("life_expectancy/areas_2009_13", processed_project).set_index(["area_code", "sex"])
    # England's 2009-13 values are the 'England' rows of the workbook's Region sheet
    assert a.loc[("E92000001", "Male"), "le"] == pytest.approx(79.13487)
    assert a.loc[("E92000001", "Female"), "le"] == pytest.approx(82.97178)
    assert a.loc[("E92000001", "Male"), "dfle"] == pytest.approx(64.0722)
    assert a.loc[("E06000016", "Male"), "le"] == pytest.approx(76.6261)
    b = read_table("life_expectancy/msoa11_boundaries", processed_project)
    assert len(b) == 125 and set(b.msoa11_code) == set(m.msoa11_code)


def test_msoa_comparisons_leicester_male(data):
    m = small_areas.msoa_le(data, "leicester", "Male").set_index("msoa11_code")
    assert len(m) == 37 and m["place_le"].iloc[0] == pytest.approx(76.6261)
    # Leicester City South: 68.7 (65.8 to 71.7) lies wholly below Leicester (76.6) and England (79.1)
    low = m.loc["E02006850"]
    assert low["le_upper_95"] < 76.6261 and low["vs_place"] == "worse" and low["vs_england"] == "worse"
    # Leicester 032: 79.1 (77.5 to 80.8) contains England's 79.13 and lies above Leicester's 76.6
    assert m.loc["E02002858", "vs_england"] == "similar" and m.loc["E02002858", "vs_place"] == "better"
    c = small_areas.msoa_counts(m.reset_index()).set_index("comparison")
    assert c.loc["worse", "vs_england"] == 20 and c.loc["better", "vs_england"] == 2
    assert c.loc["worse", "vs_place"] == 10 and c.loc["better", "vs_place"] == 8
    assert c["vs_place"].sum() == 37


def test_msoa_imd_score_is_population_weighted_from_the_raw_files(processed_project, data):
    paths = processed_project
    f7 = pd.read_csv(raw_path("iod2019_file7", paths), dtype=str)
    f7 = f7.rename(columns=lambda c: c.strip())
    lk = pd.read_csv(raw_path("lsoa11_msoa11_lookup", paths), dtype=str)
    lsoas = lk.loc[lk["MSOA11CD"] == "E02002858", "LSOA11CD"]
    rows = f7[f7["LSOA code (2011)"].isin(lsoas)]
    score = rows["Index of Multiple Deprivation (IMD) Score"].astype(float)
    pop = rows["Total population: mid 2015 (excluding prisoners)"].astype(float)
    expected = float((score * pop).sum() / pop.sum())
    got = (
        small_areas.msoa_imd2019(data.iod_lsoa, data.iod_population, data.lsoa11)
        .set_index("msoa11_code")
        .loc["E02002858", "imd_score"]
    )
    assert len(rows) >= 4 and got == pytest.approx(expected, rel=1e-12)


def test_imd_gradient(data):
    fit = small_areas.imd_gradient(small_areas.msoa_le(data, "leicestershire", "Male"))
    assert fit["n"] == 83 and fit["slope"] < 0 and fit["upper_95"] < 0 < fit["r2"] < 1
    small = small_areas.imd_gradient(small_areas.msoa_le(data, "rutland", "Male"))
    assert small["n"] == 5 and np.isnan(small["slope"])


def test_series_break_shows_both_values(data):
    b = le.series_break(data.le_la, "leicester", "birth").set_index(["area_code", "sex", "period"])
    r = b.loc[("E06000016", "Male", "2016-18")]
    assert r["fingertips_90366"] == 77.3 and r["ons_la_2019"] == pytest.approx(77.153622, abs=1e-6)
    assert r["difference"] == pytest.approx(0.146378, abs=1e-6)
    assert sorted(b.index.get_level_values("period").unique()) == ["2015-17", "2016-18"]
    assert le.series_break(data.le_la, "leicester", "65").empty  # no Fingertips LE at 65 here


def test_narratives_are_computed_from_the_data(data):
    text = le_text.place_gap_text(data, "leicester")
    assert text.startswith("**Leicester's gap to England.**")
    assert (
        "In 2023-25, life expectancy at birth in Leicester was 77.5 years for males and 81.7 years for "
        "females, against 79.7 and 83.5 years in England: 2.2 years below England for males and 1.8 years "
        "below England for females"
    ) in text
    # 2015-17 Fingertips: Leicester 77.1 / 81.8, England 79.5 / 83.1 -> gaps 2.4 and 1.3
    assert "In 2015-17, the first period of that series, it was 2.4 years below for males and 1.3 years below" in text
    # Each place its own gap (issue 20 item 3): never Leicester's paragraph on another place's page.
    shire = le_text.place_gap_text(data, "leicestershire")
    assert shire.startswith("**Leicestershire's gap to England.**") and "Leicester " not in shire
    assert "has no figure for Leicestershire as a whole" in shire and "In 2016-18" in shire
    rutland = le_text.place_gap_text(data, "rutland")
    assert rutland.startswith("**Rutland's gap to England.**") and "Leicester" not in rutland
    assert "In 2023-25, life expectancy at birth in Rutland was" in rutland
    county = le_text.place_summary_text(data, "leicestershire", "birth")
    assert "Leicestershire's latest published life expectancy at birth is for 2016-18" in county
    assert "males from 80.1 years in North West Leicestershire to 81.6 in Harborough (England 79.7)" in county
    assert "Rutland" not in county
    rut = le_text.sii_text(data, "rutland")
    assert rut.startswith("The slope index of inequality is not published for Rutland")
    hle = le_text.hle_text(data, "leicester")
    assert "57.8 years for males (95% CI 54.7 to 60.8)" in hle and "worse than England for males" in hle


def test_gp_practice_table_follows_the_fetched_file(processed_project, data):
    gp = read_table("life_expectancy/gp_practice", processed_project)
    f = raw_path("le_gp_practice_heec", processed_project)
    with open(f, encoding="utf-8-sig") as fh:
        header = next(csv.reader(fh))
    if "Practice.Code" in header:
        llr = gp_practice_le(data.gp_practice)
        assert llr[llr.year == 2010].practice_code.nunique() == 131
    else:  # the registry's file-name clash: the file is the Fingertips 90366 extract
        assert "inequality" in header and gp.empty


# ------------------------------------------------------------------------------ notebook and pages


def test_notebook_is_a_thin_parameterised_topic_notebook():
    from pathlib import Path

    import nbformat

    nb = nbformat.read(Path(__file__).resolve().parents[1] / "notebooks" / "life_expectancy.ipynb", as_version=4)
    assert {k: nb.metadata["llr"][k] for k in ("title", "per_place", "order")} == {
        "title": "Life expectancy",
        "per_place": True,
        "order": 3,
    }
    params = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(params) == 1
    for name in ("place", "sex", "measure"):
        assert re.search(rf"^{name} = ", params[0].source, re.MULTILINE)
    assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code")


def test_life_expectancy_pages(built_site):
    site, _ = built_site
    for place in ("leicester", "leicestershire", "rutland"):
        assert (site / "life_expectancy" / f"{place}.html").exists()
    html = (site / "life_expectancy" / "leicester.html").read_text()
    assert "<title>Life expectancy: Leicester" in html
    assert "2.2 years below England for males and 1.8 years below England for females" in html
    assert 'href="leicester-data/le-trend.csv"' in html and 'href="leicester-data/msoa-le-maps.csv"' in html
    spec = chart_specs(html, site / "life_expectancy")["chart-msoa-le-maps"]  # map shapes: assets/geo-*.js
    data = [spec.get("data")] + [panel.get("data") for panel in spec["hconcat"]]
    names = {d["name"] for d in data if d}
    assert len(names) == 1 and len(spec["datasets"]) == 1  # the two maps share one TopoJSON
    topology = spec["datasets"][names.pop()]
    assert len(topology["objects"]["areas"]["geometries"]) == 37
    county = (site / "life_expectancy" / "leicestershire.html").read_text()
    assert "no row for Leicestershire county" in county
    trend = pd.read_csv(site / "life_expectancy" / "leicestershire-data" / "le-trend.csv")
    assert list(trend.columns[:11]) == DOWNLOAD_COLUMNS
    assert not ((trend.area_code == "E10000018") & (trend.series == "fingertips_90366")).any()
    rutland = (site / "life_expectancy" / "rutland.html").read_text()
    assert "too few for a reliable line" in rutland
