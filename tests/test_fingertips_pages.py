"""What the pages show of the figures `llr fetch-fingertips` brings (issue 16, item 8): life expectancy
at birth with 95% confidence intervals (90366) on the life expectancy page, and breast screening coverage
Fingertips publishes for PCNs, sub-ICB locations and the ICB (94063) on the screening page.

Values are read from the recorded responses (tests/data/fingertips: constructed, fictional numbers in the
official CSV layout) and must reach the tables the sections write, with the comparison with England
computed from them. With no Fingertips data the sections write nothing new.

The fast tests put the processed tables in a bare project the way the processing steps make them
(``life_expectancy_fingertips_le`` is run itself; ``cancer_screening/area_coverage`` is the step's
``read_fetched`` minus the practice rows, since the rest of that step needs the raw-data mirror); the
last tests (mirror, slow) run the real steps on the mirror's project.
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pandas as pd
import pytest

from life_expectancy_data import small_data
from llr_analysis import process, settings
from llr_analysis.analysis.cancer_screening.fingertips import place_nhs_table
from llr_analysis.analysis.cancer_screening.load import CancerScreeningData
from llr_analysis.analysis.cancer_screening.load import load as load_screening
from llr_analysis.analysis.life_expectancy import fingertips as le_ft
from llr_analysis.analysis.life_expectancy.headlines import headlines as le_headlines
from llr_analysis.analysis.life_expectancy.load import LifeExpectancyData, load, load_fingertips
from llr_analysis.analysis.localities.load import LocalitiesData
from llr_analysis.fetch import fingertips
from llr_analysis.paths import ProjectPaths
from llr_analysis.process import fingertips as reader
from llr_analysis.report.cancer_screening import fingertips as scr_ft
from llr_analysis.report.cancer_screening.programme import render_programme
from llr_analysis.report.life_expectancy import fingertips as le_ft_report
from llr_analysis.report.life_expectancy import sections as le_report
from llr_analysis.report.life_expectancy import text as le_text
from llr_analysis.stats import compare_by_ci_overlap
from recording_page import RecordingPage

RECORDED = Path(__file__).parent / "data" / "fingertips"
LE_UTLA = RECORDED / "all_data_i90366_c502_p15.csv"
LE_LTLA = RECORDED / "all_data_i90366_c501_p15.csv"
BREAST_PCN = RECORDED / "all_data_i94063_c204_p66.csv"
BREAST_ICB = RECORDED / "all_data_i94063_c221_p15.csv"
BREAST_SUB_ICB = RECORDED / "all_data_i94063_c66_p15.csv"
SUMMARY = "(the extract's summary, as before)"


def quiet(*_):
    return None


def recorded(path: Path, code: str, **match) -> dict[str, str]:
    """One row of a recorded response (no category breakdown), as text."""
    with open(path, newline="", encoding="utf-8-sig") as f:
        rows = [
            r
            for r in csv.DictReader(f)
            if r["Area Code"] == code and not r["Category Type"] and all(r[k] == v for k, v in match.items())
        ]
    assert len(rows) == 1, (path.name, code, match)
    return rows[0]


def ci_comparison(row: dict[str, str], england: dict[str, str]) -> str:
    """The comparison with England computed from the recorded values (OHID CI overlap, higher is better)."""
    return compare_by_ci_overlap(
        float(row["Value"]),
        float(row["Lower CI 95.0 limit"]),
        float(row["Upper CI 95.0 limit"]),
        float(england["Value"]),
        polarity="higher_is_better",
    )


def bare_project(tmp_path: Path) -> ProjectPaths:
    (tmp_path / "data").mkdir(parents=True, exist_ok=True)
    return ProjectPaths(tmp_path)


def write_table(paths: ProjectPaths, table: str, df: pd.DataFrame) -> None:
    p = process.table_path(paths, table)
    p.parent.mkdir(parents=True, exist_ok=True)
    df.to_parquet(p)


@pytest.fixture
def fetched(tmp_path) -> ProjectPaths:
    """A bare project after `llr fetch-fingertips` (recorded responses) and processing of the Fingertips tables."""
    paths = bare_project(tmp_path / "fetched")
    fingertips.fetch_fingertips(paths, base_url=str(RECORDED), log=quiet)
    process.run(paths, ["life_expectancy_fingertips_le"], log=quiet)
    ft = reader.read_fetched(paths.raw / "cancer_screening" / "fingertips", settings.cancer_screening())
    write_table(paths, "cancer_screening/area_coverage", ft[ft["area_level"] != "gp_practice"].reset_index(drop=True))
    return paths


@pytest.fixture
def offline(tmp_path) -> ProjectPaths:
    """A bare project as offline builds have it: the Fingertips tables made, but empty."""
    paths = bare_project(tmp_path / "offline")
    process.run(paths, ["life_expectancy_fingertips_le"], log=quiet)
    write_table(
        paths, "cancer_screening/area_coverage", reader.read_fetched(paths.raw / "none", settings.cancer_screening())
    )
    return paths


@pytest.fixture
def extract_summary(monkeypatch):
    """The extract's summary sentence stands in for the real one (which needs the mirror's tables)."""
    monkeypatch.setattr(le_text, "place_summary_text", lambda data, place, measure="birth": SUMMARY)


def le_data(paths: ProjectPaths, **frames: pd.DataFrame) -> LifeExpectancyData:
    """The project's Fingertips API table as the loader reads it (empty when not made), with ``frames``;
    every other table empty (no extract: the bare projects have none)."""
    return small_data(fingertips_le=load_fingertips(paths), **frames)


def nhs_areas(paths: ProjectPaths, place: str, programme: str) -> pd.DataFrame:
    """Fingertips' NHS-area figures serving ``place``, from the project's processed area table."""
    return place_nhs_table(process.read_table("cancer_screening/area_coverage", paths), programme, place)


def row_of(frame: pd.DataFrame, **match) -> pd.Series:
    hit = frame
    for k, v in match.items():
        hit = hit[hit[k] == v]
    assert len(hit) == 1, match
    return hit.iloc[0]


# ------------------------------------------------------------------------------ life expectancy (90366)


def test_county_and_districts_with_ci_and_comparison_from_the_recorded_rows(fetched, extract_summary):
    page = RecordingPage()
    t = le_ft_report.summary_section(page, le_data(fetched), "leicestershire", "birth")
    assert [k for k, _, _ in page.outputs] == ["markdown", "table", "note"]
    table = page.named("le-latest-with-ci")
    frame = table["frame"]
    # 7 districts + the county + England, each for males and females
    assert len(frame) == 18 and frame["Area"].iloc[0] == "Leicestershire" and frame["Area"].iloc[-1] == "England"
    for path, code, name, sex in (
        (LE_UTLA, "E10000018", "Leicestershire", "Male"),
        (LE_UTLA, "E10000018", "Leicestershire", "Female"),
        (LE_LTLA, "E07000133", "Melton", "Female"),
        (LE_LTLA, "E07000132", "Hinckley and Bosworth", "Male"),
    ):
        raw, eng = recorded(path, code, Sex=sex), recorded(path, "E92000001", Sex=sex)
        shown = row_of(frame, Area=name, Sex=sex)
        ci = f"{float(raw['Value']):.1f} ({float(raw['Lower CI 95.0 limit']):.1f} to {float(raw['Upper CI 95.0 limit']):.1f})"
        assert shown["Life expectancy, years (95% CI)"] == ci
        assert shown["England"] == float(eng["Value"])
        assert shown["Compared with England"] == ci_comparison(raw, eng)
        dl = row_of(table["download"], area_code=code, sex=sex)
        assert (dl["value"], dl["lower_95"], dl["upper_95"]) == tuple(
            float(raw[c]) for c in ("Value", "Lower CI 95.0 limit", "Upper CI 95.0 limit")
        )
        assert dl["period"] == "2021-23" and dl["comparison"] == ci_comparison(raw, eng)
    # the recorded values, by hand: county males 80.1 (79.8 to 80.4) against England 79.0 -> better;
    # Melton females 83.3 (82.3 to 84.3) against 82.9 -> similar
    assert row_of(frame, Area="Leicestershire", Sex="Male")["Compared with England"] == "better"
    assert row_of(frame, Area="Melton", Sex="Female")["Life expectancy, years (95% CI)"] == "83.3 (82.3 to 84.3)"
    assert row_of(frame, Area="Melton", Sex="Female")["Compared with England"] == "similar"
    assert row_of(frame, Area="England", Sex="Male")["Compared with England"] == "–"
    assert "OHID Fingertips, indicator 90366" in table["caption"] and "2021-23" in table["caption"]
    text = page.texts("markdown")[0]
    assert (
        "In 2021-23, life expectancy at birth in Leicestershire was 80.1 years for males (95% CI 79.8 to 80.4)" in text
    )
    assert "against 79.0 and 82.9 years in England: better than England for males" in text
    assert "Source: OHID Fingertips, indicator 90366" in text
    assert "Across its 7 districts" in text
    note = next(o for k, _, o in page.outputs if k == "note")
    assert note["title"] == "For analysts" and note["collapse"] and "CI-overlap" in note["text"]
    assert len(t) == 18 and SUMMARY not in text


def test_a_unitary_authority_has_its_own_row_and_no_districts(fetched, extract_summary):
    page = RecordingPage()
    le_ft_report.summary_section(page, le_data(fetched), "leicester", "birth")
    frame = page.named("le-latest-with-ci")["frame"]
    assert list(frame["Area"]) == ["Leicester", "Leicester", "England", "England"]
    raw, eng = recorded(LE_UTLA, "E06000016", Sex="Male"), recorded(LE_UTLA, "E92000001", Sex="Male")
    shown = row_of(frame, Area="Leicester", Sex="Male")
    assert shown["Life expectancy, years (95% CI)"] == "76.4 (76.0 to 76.8)"
    assert shown["Compared with England"] == ci_comparison(raw, eng) == "worse"  # 76.8 < 79.0


def test_the_headline_uses_the_figure_with_its_interval(fetched):
    data = le_data(fetched)
    h = le_ft.headline(data.fingertips_le, data.le_la, "leicestershire", "Male")
    raw = recorded(LE_UTLA, "E10000018", Sex="Male")
    assert h["period"] == "2021-23"
    assert (
        (h["value"], h["lower_95"], h["upper_95"])
        == (80.1, 79.8, 80.4)
        == tuple(float(raw[c]) for c in ("Value", "Lower CI 95.0 limit", "Upper CI 95.0 limit"))
    )
    assert (h["england_value"], h["comparison"]) == (79.0, "better")
    assert "90366" in h["note"] and "confidence intervals" in h["note"]


def test_the_county_caveat_names_the_new_source(fetched):
    trend = pd.DataFrame({"role": ["place", "district", "England"]})
    before = le_report.caveat_notes("leicestershire", "birth", trend)
    after = le_ft_report.caveat_notes(le_data(fetched), "leicestershire", "birth", trend)
    assert len(after) == len(before) == 2
    assert "come from OHID's Fingertips API with confidence intervals (2021-23)" in after[0]
    assert after[1] == before[1]


def test_older_api_figures_do_not_replace_a_newer_extract(fetched, extract_summary):
    le_la = pd.DataFrame(
        {
            "area_code": ["E06000016"],
            "age": ["birth"],
            "value": [77.5],
            "period": ["2023-25"],
            "period_start": [2023],
        }
    )
    data = le_data(fetched, le_la=le_la)
    page = RecordingPage()
    assert le_ft_report.summary_section(page, data, "leicester", "birth") is None
    assert page.texts("markdown") == [SUMMARY]
    note = page.outputs[1][2]
    assert note["title"] == "For analysts" and "fetched for 2021-23" in note["text"] and "(2023-25)" in note["text"]
    assert le_ft.headline(data.fingertips_le, le_la, "leicester", "Male") is None
    # the county has no row in the extract: its 2021-23 figure is still used
    county = le_ft.headline(data.fingertips_le, le_la, "leicestershire", "Male")
    assert county is not None and county["value"] == 80.1


@pytest.mark.parametrize("state", ["offline", "never processed"])
def test_without_fingertips_the_life_expectancy_page_is_unchanged(state, offline, tmp_path, extract_summary):
    paths = offline if state == "offline" else bare_project(tmp_path / "bare")
    data = le_data(paths)
    assert data.fingertips_le.empty
    trend = pd.DataFrame({"role": ["place", "district", "England"]})
    for place in ("leicester", "leicestershire", "rutland"):
        page = RecordingPage()
        assert le_ft_report.summary_section(page, data, place, "birth") is None
        assert page.outputs == [("markdown", "", {"text": SUMMARY})]
        assert le_ft_report.caveat_notes(data, place, "birth", trend) == le_report.caveat_notes(place, "birth", trend)
        assert le_ft.headline(data.fingertips_le, data.le_la, place, "Female") is None


# ------------------------------------------------------------------------------ screening: PCN, sub-ICB, ICB


def test_breast_coverage_for_nhs_areas_with_comparisons_from_the_recorded_rows(fetched):
    page = RecordingPage()
    t = scr_ft.render_nhs_areas(page, nhs_areas(fetched, "rutland", "breast"), "rutland", "breast")
    assert [k for k, _, _ in page.outputs] == ["markdown", "table", "note"]
    table = page.named("breast-nhs-areas")
    frame = table["frame"].set_index("Area")
    eng = recorded(BREAST_PCN, "E92000001")
    for path, code, name, kind in (
        (BREAST_PCN, "U67590", "Rutland Health PCN", "PCN"),
        (
            BREAST_SUB_ICB,
            "E38000051",
            "NHS Leicester, Leicestershire and Rutland ICB - 03W (formerly NHS East Leicestershire and Rutland CCG)",
            "Sub-ICB location",
        ),
        (BREAST_ICB, "E54000015", "NHS Leicester, Leicestershire and Rutland Integrated Care Board", "ICB"),
    ):
        raw = recorded(path, code)
        shown = frame.loc[name]
        assert shown["Type"] == kind and shown["Period"] == raw["Time period"] == "2024"
        assert shown["Coverage (%)"] == float(raw["Value"])
        assert shown["95% CI"] == f"{float(raw['Lower CI 95.0 limit']):.1f}–{float(raw['Upper CI 95.0 limit']):.1f}"
        assert shown["vs England"] == ci_comparison(raw, eng)
        dl = row_of(table["download"], area_code=code)
        assert (dl["value"], dl["lower_95"], dl["upper_95"], dl["england_value"]) == (
            float(raw["Value"]),
            float(raw["Lower CI 95.0 limit"]),
            float(raw["Upper CI 95.0 limit"]),
            float(eng["Value"]),
        )
    # by hand: Rutland Health PCN 80.7% (78.6-82.6) against England 72.0% -> better, meets the 80% achievable;
    # the ICB 70.8% (70.6-71.0) -> worse, meets the 70% acceptable only
    assert (frame.loc["Rutland Health PCN", "vs England"], frame.loc["Rutland Health PCN", "Against standard"]) == (
        "better",
        "meets achievable",
    )
    icb = frame.loc["NHS Leicester, Leicestershire and Rutland Integrated Care Board"]
    assert (icb["95% CI"], icb["vs England"], icb["Against standard"]) == (
        "70.6–71.0",
        "worse",
        "meets acceptable only",
    )
    assert list(frame.index)[-1] == "England" and frame.loc["England", "vs England"] == "–"
    # only the areas serving Rutland: not the city PCN, not Leicester's or West Leicestershire's sub-ICB, not
    # another ICB
    assert len(frame) == 4 and set(t["area_code"]) == {"U67590", "E38000051", "E54000015", "E92000001"}
    text = page.texts("markdown")[0]
    assert "70.8% (95% CI 70.6–71.0%)" in text and "significantly lower than (worse than) England (72.0%)" in text
    assert "Rutland Health PCN, had coverage of 80.7%, significantly higher than (better than) England" in text
    assert "2024" in text
    note = next(o for k, _, o in page.outputs if k == "note")
    assert note["title"] == "For analysts" and note["collapse"] and "94063" in note["text"]


def test_each_place_gets_its_own_pcns_and_sub_icb_locations(fetched):
    codes = {}
    for place in ("leicester", "leicestershire"):
        page = RecordingPage()
        t = scr_ft.render_nhs_areas(page, nhs_areas(fetched, place, "breast"), place, "breast")
        codes[place] = set(t["area_code"])
    assert codes["leicester"] == {"U00001", "E38000097", "E54000015", "E92000001"}
    assert codes["leicestershire"] == {"E38000051", "E38000201", "E54000015", "E92000001"}
    raw, eng = recorded(BREAST_PCN, "U00001"), recorded(BREAST_PCN, "E92000001")
    page = RecordingPage()
    scr_ft.render_nhs_areas(page, nhs_areas(fetched, "leicester", "breast"), "leicester", "breast")
    assert (
        page.named("breast-nhs-areas")["frame"].set_index("Area").loc["Constructed City PCN", "vs England"]
        == (ci_comparison(raw, eng))
        == "worse"
    )


def test_programmes_without_nhs_area_figures_write_nothing(fetched):
    for programme in ("bowel", "cervical"):
        page = RecordingPage()
        assert scr_ft.render_nhs_areas(page, nhs_areas(fetched, "rutland", programme), "rutland", programme) is None
        assert page.outputs == []


def test_without_fingertips_the_screening_sections_write_nothing_new(offline, tmp_path):
    for place in ("leicester", "leicestershire", "rutland"):
        page = RecordingPage()
        assert scr_ft.render_nhs_areas(page, nhs_areas(offline, place, "breast"), place, "breast") is None
        assert page.outputs == []


def test_the_missing_practice_figures_note_names_91339_too():
    """Breast with local-authority figures but no GP practice figures: the analysts' note names both IDs."""
    keys = ["programme", "age_group", "period", "period_label", "period_sort", "source_id"]
    area = pd.DataFrame(
        {
            "programme": ["breast"],
            "age_group": ["53-70"],
            "period": ["2024"],
            "period_sort": [20240000],
            "source_id": ["fingertips"],
            "area_level": ["utla"],
            "area_code": ["E06999999"],  # no LLR place: no local authority rows for the page
            "indicator_id": [22001],
        }
    )
    data = CancerScreeningData(
        practice_coverage=pd.DataFrame(columns=keys),
        area_coverage=area,
        health_index=pd.DataFrame(),
        localities=LocalitiesData(lsoa21=pd.DataFrame()),
    )
    page = RecordingPage()
    render_programme(page, data, "leicester", "breast")
    notes = [o for k, _, o in page.outputs if k == "note"]
    assert notes[0]["text"].startswith("Breast screening: no GP practice figures on this site yet")
    assert notes[1]["title"] == "For analysts" and "indicator 94063 or 91339" in notes[1]["text"]


# ------------------------------------------------------------------------------ on the mirror's project (slow)


def test_pages_on_the_mirrors_project_offline_and_after_fetching(processed_project, tmp_path):
    """Offline (the mirror's project as built): nothing new on either page. After fetching the recorded
    responses and running the real steps: the NHS-area table on the Rutland breast section, and
    Leicestershire's county life expectancy with its interval replacing the 2016-18 headline."""
    data = load(processed_project)
    for place in ("leicester", "leicestershire", "rutland"):
        page = RecordingPage()
        le_ft_report.summary_section(page, data, place, "birth")
        assert page.outputs == [("markdown", "", {"text": le_text.place_summary_text(data, place, "birth")})]
        page = RecordingPage()
        render_programme(page, load_screening(processed_project), place, "breast")
        assert not [n for k, n, _ in page.outputs if k == "table" and n == "breast-nhs-areas"]
        assert "no figures on this site yet" in page.texts("note")[0]
    offline_headline = le_headlines(processed_project).set_index(["area_id", "indicator"])
    assert offline_headline.loc[("leicestershire", "Life expectancy at birth, males"), "period"] == "2016-18"

    root = tmp_path / "proj"
    shutil.copytree(processed_project.raw, root / "data" / "raw")
    shutil.copyfile(processed_project.lock_file, root / "data" / "sources.lock.json")
    shutil.copytree(processed_project.processed, root / "data" / "processed")
    paths = ProjectPaths(root)
    fingertips.fetch_fingertips(paths, base_url=str(RECORDED), log=quiet)
    process.run(paths, ["cancer_screening", "life_expectancy_fingertips_le"], log=quiet)

    page = RecordingPage()
    out = render_programme(page, load_screening(paths), "rutland", "breast")
    frame = page.named("breast-nhs-areas")["frame"].set_index("Area")
    assert frame.loc["Rutland Health PCN", "Coverage (%)"] == float(recorded(BREAST_PCN, "U67590")["Value"])
    assert frame.loc["Rutland Health PCN", "vs England"] == "better"
    assert out is not None and set(out.nhs_areas["area_code"]) == {"U67590", "E38000051", "E54000015", "E92000001"}

    h = le_headlines(paths).set_index(["area_id", "indicator"])
    county = h.loc[("leicestershire", "Life expectancy at birth, males")]
    assert (county["period"], county["value"], county["lower_95"], county["upper_95"]) == ("2021-23", 80.1, 79.8, 80.4)
    assert county["comparison"] == "better"
    page = RecordingPage()
    le_ft_report.summary_section(page, load(paths), "leicestershire", "birth")
    assert (
        row_of(page.named("le-latest-with-ci")["frame"], Area="Melton", Sex="Female")["Life expectancy, years (95% CI)"]
        == "83.3 (82.3 to 84.3)"
    )
