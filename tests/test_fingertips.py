"""`llr fetch-fingertips` brings every indicator of issue 16 (item 8): breast screening at GP practice,
PCN, sub-ICB and ICB level (94063, or 91339 when 94063 has no data, told apart by the indicator name),
bowel and cervical at GP level (92600, 93725, 93726), upper-tier local authority coverage (22001,
91720, 93560, 93561) and life expectancy at birth with its confidence limits (90366) for the county,
the unitary authorities and the districts.

Every test reads recorded responses in the official all_data CSV layout (tests/data/fingertips, and
tests/data/fingertips_alternatives for 91339; constructed, fictional numbers: see the README there),
through a local folder as `llr fetch-fingertips --base-url DIR` does; no test touches the network.
"""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest

from llr_analysis import settings
from llr_analysis.errors import DataValidationError, FetchError
from llr_analysis.fetch import fingertips
from llr_analysis.paths import ProjectPaths
from llr_analysis.process import fingertips as reader

DATA = Path(__file__).parent / "data"
RECORDED = DATA / "fingertips"
ALTERNATIVES = DATA / "fingertips_alternatives"  # 91339 (the indicator 94063 appears to replace)
BREAST_GP = ("94063", "91339")


def quiet(*_):
    return None


def project(tmp_path: Path) -> ProjectPaths:
    (tmp_path / "data").mkdir(parents=True)
    return ProjectPaths(tmp_path)


def recorded_row(path: Path, area_code: str, **match) -> dict[str, str]:
    """One row of a recorded response, as text, by area code (and other columns)."""
    with open(path, newline="", encoding="utf-8-sig") as f:
        rows = [
            r
            for r in csv.DictReader(f)
            if r["Area Code"] == area_code and all(r[k] == v for k, v in match.items()) and not r["Category Type"]
        ]
    assert len(rows) == 1, (path.name, area_code, match, len(rows))
    return rows[0]


def folder_without_94063(tmp_path: Path) -> Path:
    """The recorded responses as they would be if 94063 had no data: 91339 in its place."""
    folder = tmp_path / "responses"
    folder.mkdir()
    for p in RECORDED.glob("*.csv"):
        if not p.name.startswith("all_data_i94063_"):
            shutil.copyfile(p, folder / p.name)
    for p in ALTERNATIVES.glob("*.csv"):
        shutil.copyfile(p, folder / p.name)
    return folder


# ------------------------------------------------------------------------------ what is requested


def test_planned_requests_are_the_indicators_of_issue_16():
    reqs = fingertips.planned_requests()
    got = {(r.indicator_id, r.child_area_type_id, r.parent_area_type_id) for r in reqs}
    assert got == {
        # upper-tier local authorities (area type 502), parent England
        (22001, 502, 15),
        (91720, 502, 15),
        (93560, 502, 15),
        (93561, 502, 15),
        # breast at GP practice, PCN, sub-ICB and ICB
        (94063, 7, 66),
        (94063, 204, 66),
        (94063, 66, 15),
        (94063, 221, 15),
        # bowel and cervical at GP practice
        (92600, 7, 66),
        (93725, 7, 66),
        (93726, 7, 66),
        # life expectancy at birth: counties and unitaries, districts and unitaries
        (90366, 502, 15),
        (90366, 501, 15),
    }
    breast = [r for r in reqs if r.indicator_id == 94063]
    assert {r.level for r in breast} == {"gp_practice", "pcn", "sub_icb", "icb"}
    assert all(r.alternatives == (91339,) for r in breast)
    assert all(set(r.name_contains) == {"breast", "screen", "coverage"} for r in breast)
    le = [r for r in reqs if r.indicator_id == 90366]
    assert all(r.raw_folder == "life_expectancy/fingertips" for r in le)
    assert all(r.raw_folder is None for r in reqs if r.indicator_id != 90366)  # screening: fingertips.raw_folder
    # every planned request has a recorded response, and nothing else is recorded
    assert {r.filename for r in reqs} == {p.name for p in RECORDED.glob("*.csv")}


def test_91339_is_not_configured_as_cervical_any_more():
    """91339 is the breast indicator 94063 appears to replace (issue 16); cervical is 93725 / 93726."""
    ind = fingertips.configured_indicators(settings.cancer_screening())
    assert ind[91339]["programme"] == "breast" and ind[91339]["alternative_of"] == 94063
    assert {i: ind[i]["programme"] for i in (93725, 93726, 92600)} == {
        93725: "cervical",
        93726: "cervical",
        92600: "bowel",
    }
    assert ind[90366]["topic"] == "life_expectancy" and "programme" not in ind[90366]


# ------------------------------------------------------------------------------ fetch


def test_fetch_saves_each_topic_in_its_folder_and_says_which_breast_indicator(tmp_path):
    paths = project(tmp_path)
    lines: list[str] = []
    results = fingertips.fetch_fingertips(paths, base_url=RECORDED.as_uri(), log=lines.append)
    assert len(results) == 13 and {r.status for r in results} == {"new"}
    lock = json.loads(paths.lock_file.read_text())["datasets"]
    for r in results:
        folder = "life_expectancy" if r.request.indicator_id == 90366 else "cancer_screening"
        saved = paths.raw / folder / "fingertips" / r.request.filename
        assert r.path == saved and saved.read_bytes() == (RECORDED / r.request.filename).read_bytes()
        entry = lock[f"fingertips/{r.request.filename}"]
        assert entry["file"] == f"data/raw/{folder}/fingertips/{r.request.filename}"
        assert entry["sha256"] == r.sha256
    breast = [r for r in results if r.request.indicator_id == 94063]
    assert len(breast) == 4
    assert all(r.note == "indicator 94063 used (configured: 94063; alternatives [91339])" for r in breast)
    assert lock["fingertips/all_data_i94063_c7_p66.csv"]["note"] == breast[0].note
    assert "note" not in lock["fingertips/all_data_i92600_c7_p66.csv"]
    assert "fingertips all_data_i94063_c7_p66.csv: 7 rows (new); indicator 94063 used" in "\n".join(lines)
    # 90366: 2 sexes x (England + 9 LLR districts and unitaries) in the district file
    assert {r.request.filename: r.rows for r in results}["all_data_i90366_c501_p15.csv"] == 20


def test_91339_is_used_when_94063_has_no_data(tmp_path):
    paths = project(tmp_path / "p")
    responses = folder_without_94063(tmp_path)
    lines: list[str] = []
    results = fingertips.fetch_fingertips(paths, base_url=str(responses), log=lines.append)
    breast = sorted((r for r in results if r.request.alternatives == () and r.note), key=lambda r: r.request.level)
    assert [(r.request.indicator_id, r.request.level) for r in breast] == [
        (91339, "gp_practice"),
        (91339, "icb"),
        (91339, "pcn"),
        (91339, "sub_icb"),
    ]
    gp = next(r for r in breast if r.request.level == "gp_practice")
    assert gp.note.startswith("indicator 91339 used (configured: 94063; alternatives [94063]); passed over: 94063: ")
    assert "all_data_i94063_c7_p66.csv" in gp.note and "is not in" in gp.note
    assert (paths.raw / "cancer_screening" / "fingertips" / "all_data_i91339_c7_p66.csv").exists()
    assert not list((paths.raw / "cancer_screening" / "fingertips").glob("all_data_i94063_*"))
    lock = json.loads(paths.lock_file.read_text())["datasets"]
    assert lock["fingertips/all_data_i91339_c7_p66.csv"]["note"] == gp.note
    assert any(
        line.startswith("fingertips all_data_i91339_c7_p66.csv: 7 rows (new); indicator 91339 used") for line in lines
    )

    # Processing reads 91339 as breast screening, women aged 50 to 70, values as recorded.
    ft = reader.read_fetched(paths.raw / "cancer_screening" / "fingertips", settings.cancer_screening())
    br = ft[ft["programme"] == "breast"]
    assert set(br["indicator_id"]) == {22001, 91339}
    gp_rows = br[br["area_level"] == "gp_practice"].set_index("area_code")
    raw = recorded_row(ALTERNATIVES / "all_data_i91339_c7_p66.csv", "C82010")
    assert gp_rows.loc["C82010", "age_group"] == "50-70"
    assert gp_rows.loc["C82010", "value"] == float(raw["Value"]) == 78.4
    assert gp_rows.loc["C82010", "lower_95"] == float(raw["Lower CI 95.0 limit"])
    assert gp_rows.loc["C82010", "upper_95"] == float(raw["Upper CI 95.0 limit"])


def test_94063_replaces_a_saved_91339_when_it_has_data(tmp_path):
    paths = project(tmp_path / "p")
    fingertips.fetch_fingertips(paths, base_url=str(folder_without_94063(tmp_path)), log=quiet)
    saved = paths.raw / "cancer_screening" / "fingertips"
    assert len(list(saved.glob("all_data_i91339_*"))) == 4
    lines: list[str] = []
    results = fingertips.fetch_fingertips(paths, base_url=str(RECORDED), log=lines.append)
    assert {r.request.indicator_id for r in results if r.note} == {94063}
    assert not list(saved.glob("all_data_i91339_*")) and len(list(saved.glob("all_data_i94063_*"))) == 4
    lock = json.loads(paths.lock_file.read_text())["datasets"]
    assert not [k for k in lock if "i91339" in k]
    assert "fingertips all_data_i91339_c7_p66.csv: removed (replaced by indicator 94063)" in lines


def test_an_alternative_with_another_indicators_name_is_passed_over(tmp_path):
    """94063 answering with a non-breast indicator is refused; 91339 is then used."""
    responses = folder_without_94063(tmp_path)
    text = (RECORDED / "all_data_i94063_c7_p66.csv").read_text()
    (responses / "all_data_i94063_c7_p66.csv").write_text(
        text.replace("screened for breast cancer in last 36 months", "with a record of something else")
    )
    req = next(r for r in fingertips.planned_requests() if r.indicator_id == 94063 and r.level == "gp_practice")
    used, body, note = fingertips.get_usable(str(responses), req)
    assert used.indicator_id == 91339 and body == (ALTERNATIVES / "all_data_i91339_c7_p66.csv").read_bytes()
    assert (
        "94063: " + (responses / "all_data_i94063_c7_p66.csv").resolve().as_uri() + ": column 'Indicator Name', "
        "line 2: indicator 94063 is 'Females, 53-70, with a record of something else (3 year coverage, %)', "
        "which does not mention 'breast' and 'screen'"
    ) in note


def test_no_usable_breast_indicator_stops_the_fetch_and_saves_nothing(tmp_path):
    paths = project(tmp_path / "p")
    responses = tmp_path / "responses"
    responses.mkdir()
    for p in RECORDED.glob("*.csv"):
        shutil.copyfile(p, responses / p.name)
    header = (RECORDED / "all_data_i94063_c66_p15.csv").read_text().splitlines()[0]
    (responses / "all_data_i94063_c66_p15.csv").write_text(header + "\n")  # no data rows
    with pytest.raises(FetchError) as exc:
        fingertips.fetch_fingertips(paths, base_url=str(responses), log=quiet)
    msg = str(exc.value)
    assert msg.startswith("no usable Fingertips response for sub_icb (area type 66) among indicators [94063, 91339]: ")
    assert "94063: " in msg and "no data rows for area type 66" in msg
    assert "91339: Fingertips response all_data_i91339_c66_p15.csv (indicator 91339, area type 66) is not in" in msg
    assert msg.endswith("- nothing was saved")
    assert not list((paths.raw / "cancer_screening" / "fingertips").glob("*.csv"))
    assert not paths.lock_file.exists() or "fingertips/" not in paths.lock_file.read_text()


# ------------------------------------------------------------------------------ processing


def test_recorded_breast_rows_pass_through_processing_unchanged_at_every_level():
    ft = reader.read_fetched(RECORDED, settings.cancer_screening())
    br = ft[ft["indicator_id"] == 94063]
    assert br.groupby("area_level").size().to_dict() == {
        "england": 1,
        "gp_practice": 6,
        "pcn": 2,
        "sub_icb": 3,
        "icb": 2,
    }
    assert set(br["programme"]) == {"breast"} and set(br["age_group"]) == {"53-70"}
    for level, file, code in (
        ("gp_practice", "all_data_i94063_c7_p66.csv", "C82010"),
        ("pcn", "all_data_i94063_c204_p66.csv", "U67590"),
        ("sub_icb", "all_data_i94063_c66_p15.csv", "E38000051"),
        ("icb", "all_data_i94063_c221_p15.csv", "E54000015"),
    ):
        raw = recorded_row(RECORDED / file, code)
        got = br[(br["area_level"] == level) & (br["area_code"] == code)].iloc[0]
        assert got["file"] == file and got["area_name"] == raw["Area Name"] and got["period"] == "2024"
        for col, src in (
            ("value", "Value"),
            ("lower_95", "Lower CI 95.0 limit"),
            ("upper_95", "Upper CI 95.0 limit"),
            ("lower_99_8", "Lower CI 99.8 limit"),
            ("upper_99_8", "Upper CI 99.8 limit"),
            ("count", "Count"),
            ("denominator", "Denominator"),
        ):
            assert got[col] == float(raw[src]), (file, col)
    icb = br[br["area_code"] == "E54000015"].iloc[0]
    assert (icb["count"], icb["denominator"], icb["value"]) == (138000, 195000, 70.769231)
    assert (icb["lower_95"], icb["upper_95"]) == (70.566953, 70.970691)
    # England comes from the practice file (the screening analysis's comparator for practices)
    assert br.loc[br["area_code"] == "E92000001", "file"].tolist() == ["all_data_i94063_c7_p66.csv"]
    # cervical and bowel at GP level: 93725 is 25-49, 93726 is 50-64
    gp = ft[ft["area_level"] == "gp_practice"]
    assert gp.groupby("indicator_id")["age_group"].agg(set).to_dict() == {
        92600: {"60-74"},
        93725: {"25-49"},
        93726: {"50-64"},
        94063: {"53-70"},
    }
    # life expectancy is read by its own step, not as screening
    assert 90366 not in set(ft["indicator_id"])


def test_life_expectancy_90366_with_confidence_limits_for_county_unitaries_and_districts():
    le = reader.read_other_topic(RECORDED, settings.cancer_screening(), "life_expectancy")
    assert list(le.columns) == reader.OTHER_COLUMNS
    assert set(le["indicator_id"]) == {90366} and set(le["sex"]) == {"Male", "Female"}
    utla = le[le["area_level"] == "utla"]
    assert set(utla["area_code"]) == {"E06000016", "E10000018", "E06000017", "E06000018"}  # the region row is dropped
    ltla = le[le["area_level"] == "ltla"]
    assert set(ltla["area_code"]) == {"E06000016", "E06000017", *(f"E07000{n}" for n in range(129, 136))}
    for level, file, code, sex in (
        ("utla", "all_data_i90366_c502_p15.csv", "E10000018", "Male"),
        ("ltla", "all_data_i90366_c501_p15.csv", "E07000133", "Female"),
        ("england", "all_data_i90366_c501_p15.csv", "E92000001", "Female"),
    ):
        raw = recorded_row(RECORDED / file, code, Sex=sex)
        got = le[(le["area_level"] == level) & (le["area_code"] == code) & (le["sex"] == sex)]
        assert len(got) == 1
        got = got.iloc[0]
        assert (got["period"], got["period_sort"]) == ("2021 - 23", 20210000)
        assert [got[c] for c in ("value", "lower_95", "upper_95", "lower_99_8", "upper_99_8")] == [
            float(raw[c])
            for c in (
                "Value",
                "Lower CI 95.0 limit",
                "Upper CI 95.0 limit",
                "Lower CI 99.8 limit",
                "Upper CI 99.8 limit",
            )
        ]
    melton = le[(le["area_code"] == "E07000133") & (le["sex"] == "Female")].iloc[0]
    assert (melton["area_name"], melton["value"], melton["lower_95"], melton["upper_95"]) == (
        "Melton",
        83.3,
        82.3,
        84.3,
    )


def test_a_wrong_indicator_name_is_refused_naming_file_column_and_row(tmp_path):
    text = (RECORDED / "all_data_i94063_c204_p66.csv").read_text()
    lines = text.splitlines(keepends=True)
    lines[3] = lines[3].replace("screened for breast cancer", "screened for bowel cancer")  # the 2nd PCN
    (tmp_path / "all_data_i94063_c204_p66.csv").write_text("".join(lines))
    with pytest.raises(DataValidationError) as exc:
        reader.read_fetched(tmp_path, settings.cancer_screening())
    err = exc.value
    assert (Path(err.file).name, err.column, err.line, err.area) == (
        "all_data_i94063_c204_p66.csv",
        "Indicator Name",
        4,
        "U00001",
    )
    assert str(err).startswith(
        "all_data_i94063_c204_p66.csv: column 'Indicator Name': line 4: area U00001: indicator 94063 is "
        "'Females, 53-70, screened for bowel cancer in last 36 months (3 year coverage, %)', which does not "
        "mention 'breast': fix its ID in config/cancer_screening.yml"
    )


def test_an_implausible_life_expectancy_is_refused(tmp_path):
    folder = tmp_path / "le"
    folder.mkdir()
    text = (RECORDED / "all_data_i90366_c502_p15.csv").read_text()
    (folder / "all_data_i90366_c502_p15.csv").write_text(text.replace(",80.1,79.8,80.4,", ",180.1,179.8,180.4,"))
    with pytest.raises(DataValidationError, match=r"life expectancy at birth \(years\)") as exc:
        reader.read_other_topic(folder, settings.cancer_screening(), "life_expectancy")
    assert exc.value.column == "Value" and exc.value.area == "E10000018"  # the publisher's column name


def test_both_breast_indicators_saved_reads_94063_only(tmp_path):
    for p in [*RECORDED.glob("all_data_i94063_*"), *ALTERNATIVES.glob("*.csv")]:
        shutil.copyfile(p, tmp_path / p.name)
    ft = reader.read_fetched(tmp_path, settings.cancer_screening())
    assert set(ft["indicator_id"]) == {94063}


def test_the_life_expectancy_step_makes_its_table_from_the_fetched_files(tmp_path):
    from llr_analysis import process

    paths = project(tmp_path)
    process.run(paths, ["life_expectancy_fingertips_le"], log=quiet)
    empty = process.read_table("life_expectancy/fingertips_le", paths)
    assert empty.empty and list(empty.columns) == reader.OTHER_COLUMNS  # nothing fetched: no rows, not an error
    fingertips.fetch_fingertips(paths, base_url=str(RECORDED), log=quiet)
    process.run(paths, ["life_expectancy_fingertips_le"], log=quiet)
    le = process.read_table("life_expectancy/fingertips_le", paths)
    leic = le[(le["area_code"] == "E06000016") & (le["area_level"] == "utla") & (le["sex"] == "Male")].iloc[0]
    assert (leic["value"], leic["lower_95"], leic["upper_95"]) == (76.4, 76.0, 76.8)
    assert len(le) == 2 * (1 + 4 + 9)


def test_screening_processing_places_the_breast_practices(processed_project, tmp_path):
    """End to end on the mirror's project: fetch (recorded) -> process -> the screening analysis."""
    from llr_analysis import process
    from llr_analysis.analysis.cancer_screening.areas import area_table
    from llr_analysis.analysis.cancer_screening.load import load
    from llr_analysis.analysis.cancer_screening.periods import availability, resolve_period
    from llr_analysis.analysis.cancer_screening.practices import practice_rows

    root = tmp_path / "proj"
    shutil.copytree(processed_project.raw, root / "data" / "raw")
    shutil.copyfile(processed_project.lock_file, root / "data" / "sources.lock.json")
    # the loader also reads the shared locality tables (geography/lsoa21), processed once for the session
    shutil.copytree(processed_project.processed / "geography", root / "data" / "processed" / "geography")
    paths = ProjectPaths(root)
    fingertips.fetch_fingertips(paths, base_url=str(RECORDED), log=quiet)
    process.run(paths, ["cancer_screening", "life_expectancy_fingertips_le"], log=quiet)
    data = load(paths)
    avail = availability(data.practice_coverage, data.area_coverage)
    assert resolve_period(avail, "breast", level="gp_practice") == "2024"
    rows = practice_rows(data.practice_coverage, data.practices, "breast", "2024", "53-70")
    t = area_table(rows, "rutland", "breast", "2024", "53-70", data.pcns, data.area_coverage).set_index("level")
    # C82010 (800 of 1,000) and C82649 (410 of 500), both Rutland Health PCN
    assert (t.loc["place", "count"], t.loc["place", "denominator"]) == (1210, 1500)
    assert t.loc["england", "value"] == pytest.approx(72.0)  # the England row of the practice file
    ac = data.area_coverage
    pcn = ac[(ac["area_level"] == "pcn") & (ac["area_code"] == "U67590")].iloc[0]
    assert (pcn["value"], pcn["lower_95"], pcn["upper_95"]) == (80.666667, 78.590854, 82.585807)
    assert set(ac.loc[ac["area_level"] == "icb", "area_code"]) == {"E54000015", "E54000050"}
    le = process.read_table("life_expectancy/fingertips_le", paths)
    assert set(le.loc[le["area_code"] == "E06000017", "value"]) == {81.6, 84.9}  # Rutland, men and women


# ------------------------------------------------------------------ responses cut off (issue 25 item 1)


@pytest.mark.parametrize(
    "cut, line, problem",
    [
        ("mid-row", 4, "the last line is incomplete: it has no line end, with"),
        ("ragged", 3, "the row has 15 fields where the header has 27"),
    ],
)
def test_a_cut_off_or_ragged_response_is_refused_and_the_good_copy_stays(tmp_path, cut, line, problem):
    """A response cut off mid-row (no length promised) or with a short row: an error naming the response
    and its line; the copy already in data/raw and the lock are unchanged, and no alternative ID is tried."""
    paths = project(tmp_path / "p")
    reqs = [r for r in fingertips.planned_requests() if r.filename == "all_data_i22001_c502_p15.csv"]
    fingertips.fetch_fingertips(paths, base_url=str(RECORDED), requests=reqs, log=quiet)
    saved = paths.raw / "cancer_screening" / "fingertips" / "all_data_i22001_c502_p15.csv"
    good, lock = saved.read_bytes(), paths.lock_file.read_bytes()
    responses = tmp_path / "responses"
    responses.mkdir()
    text = (RECORDED / "all_data_i22001_c502_p15.csv").read_text()
    rows = text.splitlines(keepends=True)
    if cut == "mid-row":
        bad = "".join(rows[:3]) + rows[3][: len(rows[3]) // 2]  # line 4 cut in the middle
    else:
        bad = rows[0] + rows[1] + ",".join(rows[2].split(",")[:15]) + "\n" + "".join(rows[3:])
    (responses / "all_data_i22001_c502_p15.csv").write_text(bad)
    with pytest.raises(FetchError) as exc:
        fingertips.fetch_fingertips(paths, base_url=str(responses), requests=reqs, log=quiet)
    msg = str(exc.value)
    assert msg.startswith("Fingertips response file://") and "all_data_i22001_c502_p15.csv" in msg
    assert f": line {line}: {problem}" in msg and msg.endswith("nothing was saved over data/raw")
    assert saved.read_bytes() == good and paths.lock_file.read_bytes() == lock


def test_a_cut_off_response_is_not_passed_over_for_an_alternative(tmp_path):
    paths = project(tmp_path / "p")
    responses = tmp_path / "responses"
    shutil.copytree(RECORDED, responses)
    shutil.copytree(DATA / "fingertips_alternatives", responses, dirs_exist_ok=True)
    f = responses / "all_data_i94063_c7_p66.csv"
    f.write_bytes(f.read_bytes()[:-40])
    reqs = [r for r in fingertips.planned_requests() if r.filename == "all_data_i94063_c7_p66.csv"]
    with pytest.raises(fingertips.IncompleteResponse, match="all_data_i94063_c7_p66.csv: line 8: the last line"):
        fingertips.fetch_fingertips(paths, base_url=str(responses), requests=reqs, log=quiet)
