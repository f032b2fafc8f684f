"""Cancer screening: place rule, coverage statistics, the Fingertips client (recorded responses in
tests/data/fingertips, constructed in the official layout; no test touches the network), the
processing step on the real mirror, and the built pages."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from llr_analysis import settings
from llr_analysis.analysis.cancer_screening import coverage as screening
from llr_analysis.analysis.cancer_screening import local_authority, periods, practices, programmes
from llr_analysis.analysis.cancer_screening.areas import area_table, no_pcn_rows
from llr_analysis.analysis.cancer_screening.load import load
from llr_analysis.errors import DataValidationError, FetchError
from llr_analysis.fetch import fingertips
from llr_analysis.paths import ProjectPaths
from llr_analysis.process import fingertips as fingertips_reader
from llr_analysis.process import gp_practices as place_rule
from llr_analysis.report.page import DOWNLOAD_COLUMNS

RECORDED = Path(__file__).parent / "data" / "fingertips"
Z = 1.959963984540054


def wilson_by_hand(x, n):
    """Wilson score interval written out (Newcombe & Altman 2000), independent of llr_analysis.stats."""
    c, h, d = 2 * x + Z * Z, Z * np.sqrt(Z * Z + 4 * x * (1 - x / n)), 2 * (n + Z * Z)
    return 100 * x / n, 100 * (c - h) / d, 100 * (c + h) / d


# ------------------------------------------------------------------------------ place rule


@pytest.mark.parametrize(
    "ccg, pcn, postcode, place, basis_part",
    [
        ("04C", "U05642", "LE4 0QR", "leicester", "CCG 04C"),
        ("04V", "U42007", "LE67 5HX", "leicestershire", "CCG 04V"),
        ("03W", "U67590", "LE15 6NT", "rutland", "PCN U67590 is listed"),
        ("03W", "U50165", "LE16 9BX", "leicestershire", "PCN U50165 is not listed"),
        (
            "03W",
            "U12169",
            "LE15 1AA",
            "leicestershire",
            "PCN U12169 is not listed",
        ),  # the PCN decides, not the postcode
        ("03W", None, "LE15 9EG", "rutland", "approximate"),
        ("03W", None, "LE8 0LN", "leicestershire", "approximate"),
        ("16C", "U89141", "TS18 1HU", None, "not in this ICS"),
    ],
)
def test_assign_place(ccg, pcn, postcode, place, basis_part):
    got, basis = place_rule.assign_place(ccg, pcn, postcode)
    assert got == place
    assert basis_part in basis


def test_assign_place_a_sub_icb_over_two_places_without_overrides_is_not_placed():
    """Derby and Derbyshire's one sub-ICB location (15M) covers both places: with nothing listed for it the
    rule places no practice, and says so (pages list these practices)."""
    rule = {"sub_icbs": {"15M": None}, "pcns": {}, "postcode_districts": {}, "rest": {}}
    assert place_rule.assign_place("15M", "U12345", "DE1 2AB", rule) == (
        None,
        "not placed: CCG 15M covers more than one place and PCN U12345 is not listed",
    )
    assert place_rule.assign_place("15M", None, "DE1 2AB", rule)[0] is None
    assert place_rule.assign_place("04C", "U05642", None, rule) == (None, "not in this ICS")
    one = {"sub_icbs": {"15M": "derby"}}
    assert place_rule.assign_place("15M", None, None, one) == ("derby", "CCG 15M")


def test_postcode_district():
    assert place_rule.postcode_district("LE15 6NT") == "LE15"
    assert place_rule.postcode_district("le156nt") == "LE15"
    assert place_rule.postcode_district(None) is None


# ------------------------------------------------------------------------------ statistics


def test_coverage_sums_counts_and_leaves_out_suppressed_rows():
    c = screening.coverage([50, 30, np.nan], [100, 50, 8])
    v, lo, hi = wilson_by_hand(80, 150)
    assert c["count"] == 80 and c["denominator"] == 150
    assert c["included"] == 2 and c["excluded"] == 1
    assert c["value"] == pytest.approx(53.3333333, abs=1e-6) == pytest.approx(v)
    assert c["lower_95"] == pytest.approx(45.366249, abs=1e-5) == pytest.approx(lo)
    assert c["upper_95"] == pytest.approx(61.133949, abs=1e-5) == pytest.approx(hi)


def test_coverage_of_nothing_is_missing_not_zero():
    c = screening.coverage([np.nan], [np.nan])
    assert np.isnan(c["value"]) and c["included"] == 0 and c["excluded"] == 1


def test_screens_needed_matches_the_phe_definition():
    # Leicester City CCG, 25-49, Dec 2017: 42,595 of 71,127 screened; 80% needs 56,901.6 -> 14,307 more.
    assert screening.screens_needed(42595, 71127, 80) == 14307
    assert screening.screens_needed(90, 100, 80) == 0
    assert screening.screens_needed(80, 100, 80) == 0
    assert np.isnan(screening.screens_needed(np.nan, 100, 80))


def test_gap_to_standard_and_band():
    g = screening.gap_to_standard(600, 1000, "bowel")  # 60% = bowel achievable
    assert g["gap_acceptable_pp"] == 0 and g["gap_achievable_pp"] == 0 and g["screens_to_achievable"] == 0
    g = screening.gap_to_standard(700, 1000, "cervical")  # 70% vs 75 / 80
    assert g["gap_acceptable_pp"] == pytest.approx(5.0) and g["gap_achievable_pp"] == pytest.approx(10.0)
    assert g["screens_to_acceptable"] == 50 and g["screens_to_achievable"] == 100
    assert screening.standard_band(79.9, "breast") == "meets acceptable only"
    assert screening.standard_band(80.0, "breast") == "meets achievable"
    assert screening.standard_band(54.9, "bowel") == "below acceptable"


def test_standards_are_configured_with_a_source():
    for prog, (acc, ach) in {"breast": (70, 80), "cervical": (75, 80), "bowel": (55, 60)}.items():
        s = programmes.standard(prog)
        assert (s["acceptable"], s["achievable"]) == (acc, ach)
        assert "National Audit Office" in s["source"] or "NAO" in s["source"]


def test_funnel_positions_and_limits():
    pts = pd.DataFrame({"numerator": [500, 900, 650, np.nan], "denominator": [1000, 1000, 1000, 40]})
    got, limits = screening.funnel(pts, 65.0)
    # 95% limits at n=1000 around 65%: 65 +/- 1.96*sqrt(.65*.35/1000)*100 = 62.04..67.96; 99.8%: 60.34..69.66
    assert list(got["funnel_position"]) == ["below 99.8%", "above 99.8%", "within 95%", "not compared"]
    row = limits.iloc[(limits["denominator"] - 1000).abs().argmin()]
    half = 1.959964 * np.sqrt(0.65 * 0.35 / row["denominator"]) * 100
    assert row["lower_95"] == pytest.approx(65 - half, abs=1e-4)
    assert row["upper_95"] == pytest.approx(65 + half, abs=1e-4)


def test_deprivation_association_is_spearman():
    r = screening.deprivation_association(pd.Series([80, 75, 70, 65, 60, 55]), pd.Series([5, 10, 20, 30, 40, 50]))
    assert r["rho"] == pytest.approx(-1.0) and r["n"] == 6
    assert np.isnan(screening.deprivation_association(pd.Series([1, 2]), pd.Series([2, 1]))["rho"])


# ------------------------------------------------------------------------------ Fingertips client


def test_request_urls_follow_the_api():
    req = fingertips.Request(22001, 502, 15, "utla")
    assert fingertips.request_url("https://fingertips.phe.org.uk/api", req) == (
        "https://fingertips.phe.org.uk/api/all_data/csv/by_indicator_id?indicator_ids=22001"
        "&child_area_type_id=502&parent_area_type_id=15"
    )
    assert req.filename == "all_data_i22001_c502_p15.csv"
    assert fingertips.request_url(str(RECORDED), req) == (RECORDED / req.filename).resolve().as_uri()


def test_check_response_rejects_error_pages():
    with pytest.raises(FetchError, match="HTML or JSON"):
        fingertips.check_response(b"<!DOCTYPE html><html>Service unavailable</html>", "x")
    with pytest.raises(FetchError, match="empty"):
        fingertips.check_response(b"", "x")
    with pytest.raises(FetchError, match="missing columns"):
        fingertips.check_response(b"Indicator ID,Value\n1,2\n", "x")


def _project(tmp_path) -> ProjectPaths:
    (tmp_path / "data").mkdir()
    return ProjectPaths(tmp_path)


def test_fetch_names_a_missing_response(tmp_path):
    paths = _project(tmp_path)
    with pytest.raises(FetchError, match="all_data_i1_c7_p66.csv"):
        fingertips.fetch_fingertips(
            paths, base_url=str(tmp_path), requests=[fingertips.Request(1, 7, 66, "gp_practice")], log=lambda *_: None
        )


def test_read_fetched_tidies_all_programmes():
    cfg = settings.cancer_screening()
    ft = fingertips_reader.read_fetched(RECORDED, cfg)
    # region rows and deprivation breakdown rows are left out
    assert not ft["area_code"].str.startswith("E12").any()
    assert set(ft["programme"]) == {"breast", "cervical", "bowel"}
    assert set(ft["age_group"]) == {"53-70", "25-49", "50-64", "60-74"}
    leic = ft[(ft["indicator_id"] == 22001) & (ft["area_code"] == "E06000016") & (ft["period"] == "2024")].iloc[0]
    assert (leic["count"], leic["denominator"]) == (25000, 41000)
    assert leic["value"] == pytest.approx(100 * 25000 / 41000, abs=1e-5)
    supp = ft[(ft["indicator_id"] == 92600) & (ft["area_code"] == "C82649")].iloc[0]
    assert np.isnan(supp["count"]) and np.isnan(supp["value"]) and "suppressed" in supp["value_note"]
    # one England row per indicator and period
    eng = ft[ft["area_code"] == "E92000001"]
    assert not eng.duplicated(subset=["indicator_id", "period"]).any()


def test_an_indicator_id_that_is_another_indicator_stops_processing(tmp_path):
    src = (RECORDED / "all_data_i92600_c7_p66.csv").read_text()
    (tmp_path / "all_data_i92600_c7_p66.csv").write_text(
        src.replace("screened for bowel cancer in last 30 months", "with a record of something else")
    )
    with pytest.raises(DataValidationError, match="fix its ID in config/cancer_screening.yml"):
        fingertips_reader.read_fetched(tmp_path, settings.cancer_screening())


def test_a_fetch_makes_the_next_process_rerun_screening(tmp_path):
    """The screening step hashes the Fingertips folder, so new extracts change its cache key."""
    from llr_analysis import process

    paths = _project(tmp_path)
    process.ordered_steps(["cancer_screening"])
    st = process.STEPS["cancer_screening"]
    before = process.step_hash(st, paths, {})
    fingertips.fetch_fingertips(paths, base_url=str(RECORDED), log=lambda *_: None)
    assert process.step_hash(st, paths, {}) != before


# ------------------------------------------------------------------------------ the 2017 workbook

HEADER_2017 = (
    '"","Copy..Data.after.Suppression..from.the.forNHSD.file..columns.B.to.AA..drop.in.column.B","Region",'
    '"CCG","AT","Organisation","Organisation.Code","Eligible25to49",'
    '"No..of.women.screened.in.previous.42.months","X3.5.year.coverage..","Col10","Col11",'
    '"Suppression.required","Screens.needed.to.meet.80.","Rank.within.CCG","Rank.of..7569.practices",'
    '"Col16","CCG.1","Col18","Eligible50to64","No..of.women.screened.in.previous.66.months",'
    '"X5.5.year.coverage..","Col22","Col23","Suppression.required.1","Screens.needed.to.meet.80..1",'
    '"Rank.within.CCG.1","Rank.of..7569.practices.1","Col28","x","X3.5Yes","X5.5Yes"'
)


def _row_2017(n, code, ccg, e1, s1, sup1, e2, s2, sup2):
    return (
        f'"{n}",NA,"NHS  England Midlands And East (Central Midlands)","{ccg}",0,"PRACTICE {n}","{code}",'
        f'"{e1}","{s1}",0,0,0,"{sup1}","n/a","1","1",NA,"{ccg}",NA,"{e2}","{s2}",0,0,0,"{sup2}","n/a","1","1",'
        "NA,NA,NA,NA"
    )


def _small_workbook(tmp_path, rows):
    import copy

    f = tmp_path / "phe_cervical_coverage_gp_dec2017__bbc.csv"
    f.write_text("\n".join([HEADER_2017, *rows]) + "\n")
    cfg = copy.deepcopy(settings.cancer_screening())
    cfg["expected"]["england_practices_2017"] = len(rows)
    return f, cfg


def test_workbook_suppression_markers_are_missing_never_zero(tmp_path):
    from llr_analysis.process.cancer_screening import read_cervical_2017

    f, cfg = _small_workbook(
        tmp_path,
        [
            _row_2017(1, "C82001", "NHS East Leicestershire And Rutland CCG", "1447", "1115", "..", "954", "750", ".."),
            _row_2017(
                2,
                "C82002",
                "NHS Leicester City CCG",
                "<under 6>",
                "<under 6>",
                "Suppress numerator & denominator",
                "8",
                "<under 6>",
                "Suppress numerator only",
            ),
            _row_2017(
                3,
                "C82003",
                "NHS Leicester City CCG",
                "<Suppressed>",
                "<Suppressed>",
                "Suppress numerator & denominator",
                "40",
                "30",
                "..",
            ),
        ],
    )
    out = read_cervical_2017(f, cfg).set_index(["practice_code", "age_group"])
    assert out.loc[("C82001", "25-49"), ["numerator", "denominator"]].tolist() == [1115, 1447]
    assert out.loc[("C82001", "25-49"), "ccg_code"] == "03W"
    for key in [("C82002", "25-49"), ("C82002", "50-64"), ("C82003", "25-49")]:
        assert out.loc[key, "suppressed"] and np.isnan(out.loc[key, "numerator"])
    assert out.loc[("C82002", "50-64"), "denominator"] == 8  # numerator-only suppression keeps the 8
    assert not out.loc[("C82003", "50-64"), "suppressed"]


def test_workbook_bad_value_names_file_column_and_row(tmp_path):
    from llr_analysis.process.cancer_screening import read_cervical_2017

    f, cfg = _small_workbook(
        tmp_path,
        [
            _row_2017(1, "C82001", "NHS Leicester City CCG", "1447", "1115", "..", "954", "750", ".."),
            _row_2017(2, "C82002", "NHS Leicester City CCG", "1200", "many", "..", "954", "750", ".."),
        ],
    )
    with pytest.raises(
        DataValidationError,
        match=r"phe_cervical_coverage_gp_dec2017__bbc.csv: column "
        r"'No..of.women.screened.in.previous.42.months': line 3: area C82002: "
        r"1 values are not numbers in the publisher's format; e.g. value "
        r"'many' is text",
    ):
        read_cervical_2017(f, cfg)


def test_workbook_screened_above_eligible_is_an_error(tmp_path):
    from llr_analysis.process.cancer_screening import read_cervical_2017

    f, cfg = _small_workbook(
        tmp_path,
        [
            _row_2017(1, "C82001", "NHS Leicester City CCG", "100", "120", "..", "954", "750", ".."),
        ],
    )
    with pytest.raises(
        DataValidationError, match=r"line 2: area C82001: 1 rows have numerator greater than denominator"
    ):
        read_cervical_2017(f, cfg)


# ------------------------------------------------------------------------------ on the mirror


def _raw_counts(mirror: Path, ccg_prefix: str | None = None) -> dict:
    """Sums straight from the raw workbook with the csv module (independent of the processing)."""
    out = {"25-49": [0, 0, 0], "50-64": [0, 0, 0]}
    cols = {
        "25-49": ("No..of.women.screened.in.previous.42.months", "Eligible25to49"),
        "50-64": ("No..of.women.screened.in.previous.66.months", "Eligible50to64"),
    }
    with open(mirror / "cancer_screening" / "phe_cervical_coverage_gp_dec2017__bbc.csv", newline="") as f:
        for row in csv.DictReader(f):
            if ccg_prefix and not row["CCG"].startswith(ccg_prefix):
                continue
            for age, (n, d) in cols.items():
                if row[n].isdigit() and row[d].isdigit():
                    out[age][0] += int(row[n])
                    out[age][1] += int(row[d])
                else:
                    out[age][2] += 1
    return out


@pytest.fixture(scope="module")
def screening_project(processed_project):
    """The session's processed project (fetched from the mirror; no Fingertips extracts)."""
    return processed_project


def test_every_llr_practice_in_2017_is_placed(screening_project, mirror):
    data = load(screening_project)
    pc = data.practice_coverage
    llr = pc[pc["in_llr"] & (pc["source_id"] == "cervical_coverage_gp_2017_12")]
    assert llr["practice_code"].nunique() == 141
    per_place = llr[llr["age_group"] == "25-49"].groupby("place_id")["practice_code"].nunique().to_dict()
    assert per_place == {"leicester": 59, "leicestershire": 78, "rutland": 4}
    rutland = set(llr.loc[llr["place_id"] == "rutland", "practice_code"])
    assert rutland == {"C82010", "C82044", "C82077", "C82649"}
    # Every practice without a PCN, closed, or placed by postcode is on the page's list.
    lk = data.practices.set_index("practice_code")
    codes = set(llr["practice_code"])
    flagged = {c for c in codes if pd.isna(lk.loc[c, "pcn_code"]) or lk.loc[c, "status"] != "active"}
    listed = set(practices.unmapped_practices(data.practice_coverage, data.practices)["practice_code"])
    assert flagged and flagged <= listed
    assert {"C82015", "C82023", "Y00280", "C82036", "C82108", "Y02725", "C82657", "C82663"} <= listed


def test_leicester_cervical_2017_matches_the_raw_file(screening_project, mirror):
    raw = _raw_counts(mirror, "NHS Leicester City")
    eng = _raw_counts(mirror)
    data = load(screening_project)
    rows = practices.practice_rows(data.practice_coverage, data.practices, "cervical", "2017-12-31", "25-49")
    t = area_table(rows, "leicester", "cervical", "2017-12-31", "25-49", data.pcns, data.area_coverage)
    place = t[t["level"] == "place"].iloc[0]
    assert (place["count"], place["denominator"]) == (raw["25-49"][0], raw["25-49"][1]) == (42595, 71127)
    assert place["excluded"] == raw["25-49"][2] == 2
    v, lo, hi = wilson_by_hand(42595, 71127)
    assert place["value"] == pytest.approx(v) and place["lower_95"] == pytest.approx(lo)
    assert place["upper_95"] == pytest.approx(hi)
    england = t[t["level"] == "england"].iloc[0]
    assert (england["count"], england["denominator"]) == tuple(eng["25-49"][:2])
    assert england["excluded"] == eng["25-49"][2] == 402
    assert round(england["value"], 1) == 68.6
    assert place["comparison"] == "worse"
    assert place["screens_to_achievable"] == 14307
    llr = t[t["level"] == "llr"].iloc[0]
    assert round(llr["value"], 1) == 69.0 and llr["practices_all"] == 141
    assert (llr["practices"], llr["practices_missing"]) == (136, 5)  # 5 with suppressed counts left out


def test_rutland_pcn_is_the_place(screening_project):
    data = load(screening_project)
    rows = practices.practice_rows(data.practice_coverage, data.practices, "cervical", "2017-12-31", "50-64")
    t = area_table(rows, "rutland", "cervical", "2017-12-31", "50-64", data.pcns, data.area_coverage)
    assert list(t["level"]) == ["place", "pcn", "llr", "england"]
    place, pcn = t.iloc[0], t.iloc[1]
    assert pcn["area_name"] == "Rutland Health PCN"
    assert (place["count"], place["denominator"]) == (pcn["count"], pcn["denominator"]) == (2928, 3691)


def test_health_index_composite(screening_project):
    hi = local_authority.health_index_summary(load(screening_project).health_index)
    leic = hi[(hi["area_code"] == "E06000016") & (hi["year"] == 2018)].iloc[0]
    assert round(leic["value"], 2) == 62.39 and leic["rank"] == 136 and leic["areas"] == 149
    rut = hi[(hi["area_code"] == "E06000017") & (hi["year"] == 2015)].iloc[0]
    assert round(rut["value"], 2) == 76.71 and rut["rank"] == 1


def test_offline_build_has_only_cervical_2017(screening_project):
    data = load(screening_project)
    avail = periods.availability(data.practice_coverage, data.area_coverage)
    assert set(avail["programme"]) == {"cervical"}
    assert set(avail["period"]) == {"2017-12-31"} and set(avail["age_group"]) == {"25-49", "50-64"}
    assert periods.resolve_period(avail, "breast") is None


def test_processing_with_recorded_fingertips_extracts(screening_project, tmp_path):
    """The Fingertips path end to end: fetch (recorded) -> process -> analysis, for all programmes."""
    from llr_analysis import process

    root = tmp_path / "proj"
    shutil.copytree(screening_project.raw, root / "data" / "raw")
    shutil.copyfile(
        screening_project.lock_file, root / "data" / "sources.lock.json"
    )  # processing checks raw files against it
    # the loader also reads the shared locality tables (geography/lsoa21), processed once for the session
    shutil.copytree(screening_project.processed / "geography", root / "data" / "processed" / "geography")
    paths = ProjectPaths(root)
    fingertips.fetch_fingertips(paths, base_url=str(RECORDED), log=lambda *_: None)
    process.run(paths, ["cancer_screening"], log=lambda *_: None)
    data = load(paths)
    avail = periods.availability(data.practice_coverage, data.area_coverage)
    assert set(avail["programme"]) == {"cervical", "breast", "bowel"}
    assert periods.resolve_period(avail, "breast") == "2024"  # the latest of 2023, 2024
    assert periods.resolve_period(avail, "cervical", level="gp_practice") == "2024"
    assert periods.resolve_period(avail, "cervical", "2017-12-31", level="gp_practice") == "2017-12-31"

    pc = data.practice_coverage
    ft = pc[(pc["source_id"] == "fingertips") & (pc["programme"] == "bowel")].set_index("practice_code")
    assert ft.loc["C82005", "place_id"] == "leicester"
    assert ft.loc["C82009", "place_id"] == "leicestershire"
    assert ft.loc["C82010", "place_id"] == "rutland" and ft.loc["C82649", "place_id"] == "rutland"
    assert not ft.loc["A81001", "in_llr"]
    assert ft.loc["C82649", "suppressed"] and np.isnan(ft.loc["C82649", "numerator"])

    rows = practices.practice_rows(data.practice_coverage, data.practices, "bowel", "2024", "60-74")
    t = area_table(rows, "rutland", "bowel", "2024", "60-74", data.pcns, data.area_coverage).set_index("level")
    v, lo, _ = wilson_by_hand(720, 960)  # C82010 only; C82649 suppressed and left out
    assert (t.loc["place", "count"], t.loc["place", "denominator"]) == (720, 960)
    assert t.loc["place", "included"] == 1 and t.loc["place", "excluded"] == 1
    assert t.loc["place", "value"] == pytest.approx(v) and t.loc["place", "lower_95"] == pytest.approx(lo)
    assert t.loc["england", "value"] == pytest.approx(100 * 9_000_000 / 13_500_000)
    assert t.loc["place", "comparison"] == "better"
    la = local_authority.local_authority_rows(data.area_coverage, "breast", "2024").set_index("area_code")
    assert la.loc["E06000016", "comparison"] == "worse"  # 61.0% vs England 73.2%
    assert la.loc["E06000017", "comparison"] == "better"
    assert la.loc["E06000016", "value"] == pytest.approx(100 * 25000 / 41000, abs=1e-5)


# ------------------------------------------------------------------------------ the pages


def test_screening_pages(built_site):
    site, _ = built_site
    for place in ("leicester", "leicestershire", "rutland"):
        assert (site / "cancer_screening" / f"{place}.html").exists()
    html = (site / "cancer_screening" / "leicester.html").read_text()
    assert "In Leicester, 59.9% (95% CI 59.5–60.2%) were screened adequately within the previous 3.5 years" in html
    assert "about 14,307 more people screened" in html
    # Breast and bowel have no data offline: the page says so in plain words, and how to fetch them in a
    # folded note for analysts (no build command in the stakeholder text).
    assert html.count("no figures on this site yet") >= 2
    assert "callout-note" in html and "For analysts" in html and "llr fetch-fingertips" in html
    main_text = html.split("For analysts")[0]
    assert "llr fetch-fingertips" not in main_text.split("no figures on this site yet")[0]
    # Closed practices are listed, not dropped.
    assert "RUSHEY MEAD 1 CARETAKING" in html and "ST MATTHEWS MEDICAL CENTRE" in html
    cov = pd.read_csv(site / "cancer_screening" / "leicester-data" / "cervical-coverage.csv")
    assert list(cov.columns[:11]) == DOWNLOAD_COLUMNS
    row = cov[(cov["area_code"] == "E06000016") & (cov["age_group"] == "25-49")].iloc[0]
    assert (row["count"], row["denominator"]) == (42595, 71127) and row["comparison"] == "worse"
    rut = (site / "cancer_screening" / "rutland.html").read_text()
    assert "Rutland Health PCN" in rut


# ------------------------------------------------------------------------------ one rounding, PCNs apart and sorted


def _rows():
    """Three Rutland practices (two in PCN U1, one with no PCN) and one practice elsewhere in England."""
    return pd.DataFrame(
        {
            "practice_code": ["P1", "P2", "P3", "E1"],
            "practice_name": ["ONE", "TWO", "THREE", "ELSEWHERE"],
            "numerator": [3749.0, 3750.0, 7501.0, 7000.0],
            "denominator": [5000.0, 5000.0, 10000.0, 10000.0],
            "place_id": ["rutland", "rutland", "rutland", None],
            "pcn_code": ["U1", "U1", None, None],
            "pcn_name": ["ZED PCN", "ZED PCN", None, None],
            "status": ["active"] * 4,
            "source_id": ["test"] * 4,
        }
    )


def _membership(*extra):
    """The PCN membership table of :func:`_rows` (as ``localities.pcns.pcns`` gives it)."""
    rows = [("U1", "Zed PCN", "rutland", "Rutland"), *extra]
    return pd.DataFrame(rows, columns=["locality_code", "locality_name", "place_id", "places"])


def test_a_pcn_and_a_place_shown_as_75_0_get_the_same_band():
    t = area_table(_rows(), "rutland", "cervical", "2017-12-31", "25-49", membership=_membership()).set_index("level")
    pcn, place = t.loc["pcn"], t.loc["place"]
    assert pcn["value"] == pytest.approx(74.99) and place["value"] == pytest.approx(75.0)
    assert f"{pcn['value']:.1f}" == f"{place['value']:.1f}" == "75.0"
    # the cervical acceptable standard is 75%: both shown as 75.0, both meet it, with no gap and no screens
    assert pcn["standard_band"] == place["standard_band"] == "meets acceptable only"
    assert pcn["gap_acceptable_pp"] == place["gap_acceptable_pp"] == 0
    assert pcn["screens_to_acceptable"] == place["screens_to_acceptable"] == 0
    assert pcn["gap_achievable_pp"] == place["gap_achievable_pp"] == pytest.approx(5.0)
    assert screening.standard_band(74.95, "cervical") == "meets acceptable only"  # shown as 75.0 (f"{74.95:.1f}")
    assert screening.standard_band(74.94, "cervical") == "below acceptable"
    assert screening.gap_to_standard(7494, 10000, "cervical")["screens_to_acceptable"] == 6


def test_practices_with_no_pcn_are_apart_and_pcns_are_sorted():
    from llr_analysis.report.cancer_screening import localities as loc

    rows = _rows()
    rows = pd.concat(
        [rows, rows.iloc[[0]].assign(practice_code="P4", pcn_code="A1", pcn_name="ALPHA PCN", numerator=1000.0)]
    )
    membership = _membership(("A1", "Alpha PCN", "rutland", "Rutland")).sort_values("locality_name")
    t = area_table(rows, "rutland", "cervical", "2017-12-31", "25-49", membership=membership)
    assert list(t["level"]) == ["place", "pcn", "pcn", "no_pcn", "llr", "england"]
    assert list(t.loc[t["level"] == "pcn", "area_name"]) == ["Alpha PCN", "Zed PCN"]  # alphabetical
    ranked = loc.pcn_ranking(t)
    assert list(ranked["area_name"]) == ["Alpha PCN", "Zed PCN"]  # lowest coverage first: 20.0% then 75.0%
    assert "no_pcn" not in set(ranked["level"]) and "no_pcn" not in set(no_pcn_rows(t)["level"])
    t2 = t.assign(value=t["value"].where(t["area_name"] != "Alpha PCN", 90.0))
    assert list(loc.pcn_ranking(t2)["area_name"]) == ["Zed PCN", "Alpha PCN"]
    pts, _ = screening.funnel(rows[rows["place_id"] == "rutland"].assign(status="closed"), 70.0)
    text = loc.no_pcn_text({"25-49": pts}, "Rutland", "cervical")
    assert text.startswith("**Practice with no PCN on record.** 1 practice in Rutland has no primary care network")
    assert "Three (P3, closed): 75.0% (women aged 25 to 49)" in text
    assert loc.no_pcn_text({"25-49": pts[pts["pcn_code"].notna()]}, "Rutland", "cervical") == ""


def test_funnel_axis_ticks_do_not_crowd():
    from llr_analysis.report.cancer_screening.charts import log_ticks

    assert log_ticks(80, 5000) == [100, 500, 1000, 5000]
    assert log_ticks(150, 40000) == [500, 1000, 5000, 10000]
    assert all(len(log_ticks(lo, lo * 500)) <= 5 for lo in (3, 40, 700, 9000))
    assert log_ticks(1100, 1900) == [1100, 1900]


def test_area_tabs_say_screening_is_by_practice():
    from llr_analysis.places import get_locality_level
    from llr_analysis.report.cancer_screening import localities as loc

    text = loc.area_tab_text(get_locality_level("ward"), "rutland")
    assert text.startswith("**No screening figures by wards.** Screening coverage is published by GP practice")
    assert "registered with each practice" in text and "Rutland's wards" in text


def _epcn_workbook(path: Path, rows: list[tuple]) -> Path:
    head = [
        "Partner Organisation Code",
        "Partner Name",
        "PCN Code",
        "PCN Name",
        "Practice to PCN Relationship Start Date",
        "Practice to PCN Relationship End Date",
    ]
    pd.DataFrame(rows, columns=head).to_excel(path, sheet_name="PCN Core Partner Details", index=False)
    return path


def test_a_practice_listed_under_two_pcns_at_once_is_an_error_naming_file_line_and_practice(tmp_path):
    """Issue 20 item 9 / bad-input: a practice with two current PCN relationships would be counted in
    two PCNs (or silently in the later one); processing stops naming the file, the lines and the practice."""
    f = _epcn_workbook(
        tmp_path / "epcn.xlsx",
        [
            ("C82001", "A Surgery", "U12345", "FIRST PCN", "20190701", None),
            ("C82002", "B Surgery", "U12345", "FIRST PCN", "20190701", None),
            ("C82001", "A Surgery", "U54321", "SECOND PCN", "20200401", None),
        ],
    )
    with pytest.raises(DataValidationError) as err:
        place_rule.read_epcn(f)
    msg = str(err.value)
    assert msg.startswith("epcn.xlsx: column 'Partner Organisation Code': line 4: area C82001:")
    assert (
        "listed under 2 PCNs at once" in msg
        and "U12345 FIRST PCN (line 2)" in msg
        and "U54321 SECOND PCN (line 4)" in msg
    )


def test_a_practice_that_moved_pcn_or_is_listed_twice_the_same_is_accepted(tmp_path):
    f = _epcn_workbook(
        tmp_path / "epcn.xlsx",
        [
            ("C82001", "A Surgery", "U12345", "FIRST PCN", "20190701", "20200331"),  # ended: history
            ("C82001", "A Surgery", "U54321", "SECOND PCN", "20200401", None),
            ("C82002", "B Surgery", "U12345", "FIRST PCN", "20190701", None),
            ("C82002", "B Surgery", "U12345", "FIRST PCN", "20190701", None),  # the same twice
        ],
    )
    out = place_rule.read_epcn(f)
    assert len(out) == 4 and set(out.loc[out["end_date"].isna(), "pcn_code"]) == {"U54321", "U12345"}


def test_closed_practices_and_other_places_pcns_are_apart_and_counts_say_what_was_used():
    """Issue 20 item 5 and issue 25 item 5: a closed practice is never counted in its last PCN; a
    practice in a PCN listed under another place is shown apart; every row says how many practices'
    counts were used and how many were left out (suppressed), and the two add up."""
    from llr_analysis.report.cancer_screening.localities import apart_text

    rows = _rows()
    extra = rows.iloc[[0, 0, 0]].assign(
        practice_code=["P5", "P6", "P7"],
        pcn_code=["U1", "U1", "U9"],
        pcn_name=["ZED PCN", "ZED PCN", "NINE PCN"],
        status=["closed", "active", "active"],
        numerator=[100.0, np.nan, 10.0],  # P6: counts suppressed
        denominator=[100.0, np.nan, 20.0],
    )
    rows = pd.concat([rows, extra], ignore_index=True)
    membership = _membership(("U9", "Nine PCN", "leicestershire", "Leicestershire, Rutland"))
    t = area_table(rows, "rutland", "cervical", "2017-12-31", "25-49", membership=membership)
    t = t.set_index(["level", "area_code"])
    zed = t.loc[("pcn", "U1")]
    assert (zed["practices"], zed["practices_missing"], zed["practices_all"]) == (2, 1, 3)  # P1, P2 used; P6 blank
    assert zed["count"] == 3749.0 + 3750.0  # never the closed P5's 100
    closed = t.loc[("closed", "")]
    assert (closed["practices_all"], closed["count"]) == (1, 100.0)
    assert ("pcn", "U9") not in t.index and t.loc[("pcn_elsewhere", "U9"), "practices_all"] == 1
    place = t.loc[("place", "E06000017")]
    assert (place["practices"], place["practices_missing"], place["practices_all"]) == (5, 1, 6)
    text = apart_text(t.reset_index(), "Rutland")
    assert text.startswith("**Practices not counted in any of Rutland's 1 PCN.**")
    assert "Practices closed since (counted in no PCN) (1 practice)" in text and "listed under Leicestershire" in text


# ------------------------------------------------------------------------------ a page section from small frames


def _small_data():
    """Six Leicester practices in two PCNs (one with suppressed counts) and two practices elsewhere in
    England, cervical 25-49 only: a :class:`CancerScreeningData` built in the test, no files read."""
    from llr_analysis.analysis.cancer_screening.load import CancerScreeningData
    from llr_analysis.analysis.localities.load import LocalitiesData

    codes = ["P1", "P2", "P3", "P4", "P5", "P6", "E1", "E2"]
    num = [700.0, 720.0, 650.0, 600.0, 550.0, np.nan, 7000.0, 7500.0]
    den = [1000.0, 1000.0, 1000.0, 1000.0, 1000.0, np.nan, 10000.0, 10000.0]
    coverage = pd.DataFrame(
        {
            "practice_code": codes,
            "practice_name": [f"PRACTICE {c}" for c in codes],
            "programme": "cervical",
            "age_group": "25-49",
            "period": "2017-12-31",
            "period_label": "31 December 2017",
            "period_sort": 20171231,
            "source_id": "test",
            "numerator": num,
            "denominator": den,
            "place_id": ["leicester"] * 6 + [None, None],
            "in_llr": [True] * 6 + [False, False],
            "place_basis": "sub-ICB location",
        }
    )
    practices = pd.DataFrame(
        {
            "practice_code": codes[:6],
            "practice_name": [f"PRACTICE {c}" for c in codes[:6]],
            "pcn_code": ["U1", "U1", "U1", "U2", "U2", "U2"],
            "pcn_name": ["ALPHA PCN"] * 3 + ["BETA PCN"] * 3,
            "pcn_basis": "ePCN",
            "status": "active",
            "close_date": None,
            "imd_score": [10.0, 5.0, 20.0, 30.0, 40.0, 50.0],
            "imd_decile": [8, 9, 6, 4, 2, 1],
            "current_ccg_code": "04C",
            "postcode": "LE1 1AA",
        }
    )
    empty_area = pd.DataFrame(
        columns=[
            "programme",
            "age_group",
            "period",
            "period_sort",
            "source_id",
            "area_level",
            "area_code",
            "indicator_id",
        ]
    )
    return CancerScreeningData(
        practice_coverage=coverage,
        area_coverage=empty_area,
        health_index=pd.DataFrame(),
        localities=LocalitiesData(lsoa21=pd.DataFrame(), practices=practices),
    )


def test_a_programme_section_from_small_frames():
    """The figures computed once (analysis) and drawn (report): the sums, intervals and names reach the page."""
    from llr_analysis.analysis.cancer_screening.programme import programme_figures
    from llr_analysis.report.cancer_screening.programme import render_programme
    from recording_page import RecordingPage

    data = _small_data()
    figures = programme_figures(data, "leicester", "cervical")
    assert figures.practice is not None and figures.practice.ages == ["25-49"]
    t = figures.practice.table.set_index(["level", "area_code"])
    place = t.loc[("place", "E06000016")]
    assert (place["count"], place["denominator"], place["practices"], place["practices_missing"]) == (3220, 5000, 5, 1)
    v, lo, hi = wilson_by_hand(3220, 5000)
    assert place["value"] == pytest.approx(v) and place["lower_95"] == pytest.approx(lo)
    assert place["upper_95"] == pytest.approx(hi)
    assert t.loc[("pcn", "U1"), "count"] == 2070 and t.loc[("pcn", "U2"), "count"] == 1150
    england = t.loc[("england", "E92000001")]
    assert (england["count"], england["denominator"]) == (3220 + 14500, 25000)
    assert place["comparison"] == "worse"  # 64.4% (63.1-65.7) against England 70.9%
    assert figures.practice.by_age["25-49"].assoc["n"] == 5  # P6 suppressed: left out
    page = RecordingPage()
    out = render_programme(page, data, "leicester", "cervical")
    assert out is not None and out.practice is not None
    names = [n for k, n, _ in page.outputs if k in ("chart", "table")]
    assert names == [
        "cervical-coverage",
        "cervical-coverage-table",
        "cervical-gap-to-standard",
        "cervical-funnel",
        "cervical-deprivation",
        "cervical-practices",
    ]
    text = page.texts("markdown")[0]
    assert "In Leicester, 64.4% (95% CI 63.1–65.7%)" in text and "England (70.9%)" in text
    assert "1 practice had suppressed counts and is left out." in text
    practices = page.named("cervical-practices")["frame"]
    assert list(practices["Code"]) == ["P1", "P2", "P3", "P4", "P5", "P6"]
    assert pd.isna(practices.set_index("Code").loc["P6", "Coverage (%)"])  # suppressed: missing, never zero
