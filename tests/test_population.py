"""Population: measures (hand-computed), reading and validation (small constructed files),
LSOA 2011 -> 2021 mapping, and the processed tables against the raw files in the mirror."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from llr_analysis.analysis.population import ages as pop
from llr_analysis.errors import DataValidationError, ParameterError
from llr_analysis.places import load_places
from llr_analysis.process.population import (
    AGE_HEADERS,
    read_census_sex_totals,
    read_single_year_of_age,
    split_weights,
    to_lsoa21,
)

# ----------------------------------------------------------------------------------- measures


def test_age_band_edges():
    assert [pop.age_band(a) for a in (0, 4, 5, 9, 64, 65, 67, 84, 85, 89, 90, 104)] == [
        "0-4",
        "0-4",
        "5-9",
        "5-9",
        "60-64",
        "65-69",
        "65-69",
        "80-84",
        "85-89",
        "85-89",
        "90+",
        "90+",
    ]
    s = pop.age_band(pd.Series([3, 16, 90]))
    assert s.tolist() == ["0-4", "15-19", "90+"]
    with pytest.raises(ValueError, match="negative age"):
        pop.age_band(-1)


def test_band_labels():
    assert len(pop.BAND_LABELS) == 19
    assert pop.BAND_LABELS[0] == "0-4" and pop.BAND_LABELS[-2] == "85-89" and pop.BAND_LABELS[-1] == "90+"


def _ten_each() -> pd.Series:
    # 10 people at every single year of age 0..90 (90 = 90+): 910 people.
    return pd.Series(10, index=range(91))


def test_band_counts_hand_computed():
    b = pop.band_counts(_ten_each())
    assert list(b.index) == pop.BAND_LABELS
    assert (b.iloc[:-1] == 50).all()  # five single years x 10 people
    assert b["90+"] == 10 and b.sum() == 910
    # one person aged 7 and three aged 93 (held at 90 = 90+)
    b2 = pop.band_counts(pd.Series({7: 1, 90: 3}))
    assert b2["5-9"] == 1 and b2["90+"] == 3 and b2["0-4"] == 0


def test_broad_groups_and_ratio_hand_computed():
    s = _ten_each()
    assert pop.count_aged(s, 0, 15) == 160  # 16 years x 10
    assert pop.count_aged(s, 16, 64) == 490  # 49 years x 10
    assert pop.count_aged(s, 65) == 260  # 65..90 = 26 years x 10
    assert pop.count_aged(s, 85) == 60  # 85..90
    assert pop.percent_aged(s, 65) == pytest.approx(100 * 260 / 910)  # 28.571...
    assert pop.percent_aged(s, 85) == pytest.approx(6.593406593)
    assert pop.old_age_dependency_ratio(s) == pytest.approx(1000 * 260 / 490)  # 530.612...
    st = pop.structure(s)
    assert st["population"] == 910 and st["pct_0_15"] + st["pct_16_64"] + st["pct_65_plus"] == pytest.approx(100)
    # nobody of working age: ratio undefined, not zero or infinite
    assert math.isnan(pop.old_age_dependency_ratio(pd.Series({70: 5, 3: 2})))
    assert math.isnan(pop.percent_aged(pd.Series({3: 0}), 65))


def test_old_age_dependency_ratio_small_example():
    # 2 children, 4 aged 16-64, 3 aged 65+: 3 / 4 x 1000 = 750
    s = pd.Series({5: 2, 20: 1, 40: 2, 64: 1, 65: 1, 80: 1, 90: 1})
    assert pop.old_age_dependency_ratio(s) == 750


def test_percent_change():
    assert pop.percent_change(200, 250) == 25.0
    assert pop.percent_change(400, 300) == -25.0
    assert math.isnan(pop.percent_change(0, 5))
    out = pop.percent_change(pd.Series([100.0, 0.0, np.nan]), pd.Series([110.0, 3.0, 4.0]))
    assert out.iloc[0] == pytest.approx(10.0) and out.iloc[1:].isna().all()


def test_parameters():
    assert pop.check_year("mid-2020") == 2020 and pop.check_year(2019) == 2019
    with pytest.raises(ParameterError, match="2021"):
        pop.check_year(2021)
    assert pop.resolve_locality_level("leicestershire") == "district"
    assert pop.resolve_locality_level("leicester") == "msoa"
    assert pop.resolve_locality_level("rutland", "ward") == "ward"
    with pytest.raises(ParameterError):
        pop.resolve_locality_level("rutland", "county")


def test_wide_change_hides_small_bases():
    ch = pd.DataFrame(
        {
            "area_name": ["A", "A", "A"],
            "measure": ["All ages", "Aged 65+", "Aged 85+"],
            "count_start": [1000.0, 200.0, 12.0],
            "count_end": [1010.0, 210.0, 25.0],
            "pct_change": [1.0, 5.0, 108.3],
            "period": "mid-2019 to mid-2020",
        }
    )
    w = pop.wide_change(ch).iloc[0]
    assert w["% change, all ages"] == 1.0 and w["% change, 65+"] == 5.0
    assert pd.isna(w["% change, 85+"]) and w["Aged 85+, mid-2020"] == 25


# ------------------------------------------------------------------------- reading and checks

IDS = {"LSOA Code": "lsoa11_code", "LSOA Name": "lsoa11_name"}


def _sya_file(tmp_path, rows: list[list], header: list[str] | None = None):
    header = header or ["LSOA Code", "LSOA Name", "All Ages"] + AGE_HEADERS
    f = tmp_path / "sape.csv"
    pd.DataFrame(rows, columns=header).to_csv(f, index=False)
    return f


def _row(code: str, counts: dict[int, object], total=None) -> list:
    ages = [counts.get(a, 0) for a in range(91)]
    return [code, f"Somewhere {code[-3:]}", total if total is not None else sum(int(v) for v in ages)] + ages


def test_read_single_year_of_age_ok(tmp_path):
    f = _sya_file(tmp_path, [_row("E01000001", {0: 3, 45: 7, 90: 2}), _row("E01000002", {89: 1})])
    ids, ages = read_single_year_of_age(f, IDS, "All Ages")
    assert list(ids["lsoa11_code"]) == ["E01000001", "E01000002"]
    assert ages.shape == (2, 91) and ages.iloc[0][90] == 2 and ages.iloc[1][89] == 1 and ages.sum().sum() == 13


def test_total_must_equal_sum_of_ages(tmp_path):
    f = _sya_file(tmp_path, [_row("E01000001", {0: 3}), _row("E01000002", {10: 5}, total=6)])
    with pytest.raises(DataValidationError) as e:
        read_single_year_of_age(f, IDS, "All Ages")
    msg = str(e.value)
    assert "sape.csv" in msg and "All Ages" in msg and "E01000002" in msg and "not the sum of ages" in msg


def test_missing_90_plus_column(tmp_path):
    header = ["LSOA Code", "LSOA Name", "All Ages"] + AGE_HEADERS[:-1] + ["90 plus"]
    f = _sya_file(tmp_path, [_row("E01000001", {0: 3})], header=header)
    with pytest.raises(DataValidationError, match=r"90\+"):
        read_single_year_of_age(f, IDS, "All Ages")


@pytest.mark.parametrize(
    "bad, problem", [("<6", "suppressed"), (-2, "negative"), (2.5, "whole numbers"), ("", "missing")]
)
def test_bad_counts_are_errors(tmp_path, bad, problem):
    row = _row("E01000001", {0: 3}, total=3)
    row[3 + 40] = bad  # age 40
    f = _sya_file(tmp_path, [row])
    with pytest.raises(DataValidationError, match=problem) as e:
        read_single_year_of_age(f, IDS, "All Ages")
    assert "40" in str(e.value)


def test_census_persons_must_be_female_plus_male(tmp_path):
    f = tmp_path / "ts009.csv"
    pd.DataFrame(
        {
            "geography code": ["E06000016", "E06000017"],
            "Sex: All persons; Age: Total; measures: Value": [10, 20],
            "Sex: Female; Age: Total; measures: Value": [6, 9],
            "Sex: Male; Age: Total; measures: Value": [4, 10],
        }
    ).to_csv(f, index=False)
    with pytest.raises(DataValidationError, match="female \\+ male") as e:
        read_census_sex_totals(f)
    assert "E06000017" in str(e.value)


# ------------------------------------------------------------------------ 2011 -> 2021 mapping

MAPPING = pd.DataFrame(
    {
        "lsoa11_code": ["E01000001", "E01000002", "E01000002", "E01000003", "E01000004"],
        "lsoa21_code": ["E01000001", "E01100001", "E01100002", "E01100009", "E01100009"],
        "change": ["U", "S", "S", "M", "M"],
    }
)
DENOMINATORS = pd.DataFrame(
    {
        "lsoa21_code": ["E01000001", "E01100001", "E01100002", "E01100009"],
        "population": [1000.0, 300.0, 100.0, 2000.0],
        "children_0_15": [200.0, 100.0, 0.0, 300.0],
        "older_60_plus": [100.0, 50.0, 50.0, 500.0],
    }
)


def test_split_weights_by_age_group():
    w = split_weights(MAPPING, DENOMINATORS).set_index(["lsoa11_code", "lsoa21_code", "age_group"])["weight"]
    # split: 0-15 shares 100:0, 60+ 50:50, 16-59 (300-100-50):(100-0-50) = 150:50
    assert w[("E01000002", "E01100001", "0-15")] == 1.0 and w[("E01000002", "E01100002", "0-15")] == 0.0
    assert w[("E01000002", "E01100001", "60+")] == 0.5
    assert w[("E01000002", "E01100001", "16-59")] == 0.75 and w[("E01000002", "E01100002", "16-59")] == 0.25
    # unchanged and merged areas move whole
    assert w[("E01000001", "E01000001", "16-59")] == 1.0 and w[("E01000003", "E01100009", "60+")] == 1.0


def test_to_lsoa21_keeps_people_and_sums_merges():
    age = pd.DataFrame(
        {
            "year": 2020,
            "lsoa11_code": ["E01000002", "E01000002", "E01000002", "E01000003", "E01000004", "E01000001"],
            "lad_code": "E06000016",
            "age": [10, 30, 70, 30, 30, 30],
            "population": [20, 8, 10, 3, 4, 9],
        }
    )
    out = to_lsoa21(age, split_weights(MAPPING, DENOMINATORS)).set_index(["lsoa21_code", "age"])["population"]
    assert out[("E01100001", 10)] == 20 and out[("E01100002", 10)] == 0
    assert out[("E01100001", 30)] == 6 and out[("E01100002", 30)] == 2
    assert out[("E01100001", 70)] == 5 and out[("E01100002", 70)] == 5
    assert out[("E01100009", 30)] == 7 and out[("E01000001", 30)] == 9
    assert out.sum() == age["population"].sum()


def test_split_without_denominator_is_equal_and_says_so():
    den = DENOMINATORS[DENOMINATORS["lsoa21_code"] != "E01100002"]
    w = split_weights(MAPPING, den)
    part = w[w["lsoa11_code"] == "E01000002"]
    assert (part["weight"] == 0.5).all() and part["weight_basis"].str.startswith("equal").all()


def test_redrawn_lsoas_are_rejected():
    bad = pd.concat(
        [MAPPING, pd.DataFrame({"lsoa11_code": ["E01000005"], "lsoa21_code": ["E01100010"], "change": ["X"]})]
    )
    with pytest.raises(DataValidationError, match="CHGIND"):
        split_weights(bad, DENOMINATORS)


# ----------------------------------------------------------------- processed data (mirror)


def _raw_sape(mirror, year):
    from llr_analysis.fetch.sources import get_dataset

    ds = get_dataset(f"sape_lsoa11_mid{year}")
    return pd.read_csv(mirror / ds.mirror_path, dtype={"LSOA Code": str})


def test_llr_mid2020_total_reproduced_from_the_raw_file(processed_project, mirror):
    from llr_analysis.process import read_table

    cfg = load_places()
    raw = _raw_sape(mirror, 2020)
    expected = int(raw.loc[raw["LA Code (2021 boundaries)"].isin(cfg.all_district_codes), "All Ages"].sum())
    t = read_table("population/lsoa11_age", processed_project)
    assert int(t.loc[t["year"] == 2020, "population"].sum()) == expected
    t21 = read_table("population/lsoa21_age", processed_project)
    assert t21.loc[t21["year"] == 2020, "population"].sum() == pytest.approx(expected, abs=1e-6)
    assert pop.place_by_age(2020, None, processed_project).sum() == expected
    # the same total from the published district file (MYE2)
    from llr_analysis.fetch.sources import get_dataset

    mye = pd.read_csv(mirror / get_dataset("mye2_lad21_mid2020").mirror_path)
    assert int(mye.loc[mye["Code"].isin(cfg.all_district_codes), "All ages"].sum()) == expected


def test_each_year_and_england_match_the_raw_files(processed_project, mirror):
    cfg = load_places()
    for year in pop.YEARS:
        raw = _raw_sape(mirror, year)
        assert pop.england_by_age(year, processed_project).sum() == raw["All Ages"].sum()
        assert pop.england_by_age(year, processed_project)[90] == raw["90+"].sum()
        for place in cfg.places.values():
            la = "LA Code (2021 boundaries)" if year == 2020 else "LA Code (2020 boundaries)"
            rows = raw[raw[la].isin(place.district_codes)]
            got = pop.place_by_age(year, place.id, processed_project)
            assert got.sum() == rows["All Ages"].sum()
            assert got[65:].sum() == rows[[str(a) for a in range(65, 90)] + ["90+"]].to_numpy().sum()


@pytest.mark.parametrize("level", ["district", "msoa", "ward"])
def test_localities_add_up_to_places_and_places_to_llr(processed_project, level):
    cfg = load_places()
    llr = pop.place_by_age(2020, None, processed_project).sum()
    place_sum = 0
    for place in cfg.places:
        st = pop.structure_table(2020, place, level, processed_project)
        loc = st[st["area_type"] == "locality"]
        whole = st.loc[st["area_type"] == "place", "population"].item()
        assert loc["population"].sum() == pytest.approx(whole, abs=1e-6)
        assert loc["count_65_plus"].sum() == pytest.approx(st.loc[st["area_type"] == "place", "count_65_plus"].item())
        assert loc["share"].sum() == pytest.approx(100)
        place_sum += whole
    assert place_sum == llr


def test_change_table_reproduces_raw_counts(processed_project, mirror):
    r19, r20 = _raw_sape(mirror, 2019), _raw_sape(mirror, 2020)
    rut19 = r19[r19["LA Code (2020 boundaries)"] == "E06000017"]
    rut20 = r20[r20["LA Code (2021 boundaries)"] == "E06000017"]
    ch = pop.change_table("rutland", "msoa", paths=processed_project)
    row = ch[(ch["area_type"] == "place") & (ch["measure"] == "Aged 85+")].iloc[0]
    cols85 = [str(a) for a in range(85, 90)] + ["90+"]
    n19, n20 = rut19[cols85].to_numpy().sum(), rut20[cols85].to_numpy().sum()
    assert (row["count_start"], row["count_end"]) == (n19, n20)
    assert row["pct_change"] == pytest.approx(100 * (n20 - n19) / n19)


def test_split_lsoas_keep_their_people_by_age(processed_project):
    from llr_analysis.process import read_table

    w = read_table("population/lsoa11_lsoa21_weights", processed_project)
    assert set(w["change"]) <= {"U", "S", "M"}
    assert (w["weight_basis"].str.startswith("equal")).sum() == 0  # every LLR split part has a mid-2022 population
    t11 = read_table("population/lsoa11_age", processed_project)
    t21 = read_table("population/lsoa21_age", processed_project)
    parent = w.loc[w["change"] == "S", "lsoa11_code"].iloc[0]
    children = w.loc[w["lsoa11_code"] == parent, "lsoa21_code"].unique()
    assert len(children) >= 2
    a = t11[(t11["lsoa11_code"] == parent) & (t11["year"] == 2020)].set_index("age")["population"]
    b = t21[t21["lsoa21_code"].isin(children) & (t21["year"] == 2020)].groupby("age")["population"].sum()
    assert np.allclose(a.sort_index(), b.sort_index())


def test_census_totals_match_the_raw_file(processed_project, mirror):
    from llr_analysis.fetch.sources import get_dataset

    raw = pd.read_csv(mirror / get_dataset("census2021_ts009_lad_totals").mirror_path).set_index("geography code")
    t = pop.district_totals("leicestershire", processed_project)
    census = t[t["period"] == "Census 2021"].set_index("area_code")
    assert census.loc["E07000130", "persons"] == raw.loc["E07000130", "Sex: All persons; Age: Total; measures: Value"]
    lcs = load_places().places["leicestershire"].district_codes
    assert census.loc["E10000018", "female"] == raw.loc[lcs, "Sex: Female; Age: Total; measures: Value"].sum()
    eng = raw[raw.index.str.startswith("E")]
    assert census.loc["E92000001", "persons"] == eng["Sex: All persons; Age: Total; measures: Value"].sum()
    # estimates have no sex split: missing, never zero
    assert t.loc[t["period"] == "mid-2020", "female"].isna().all()


def test_overview_headlines(processed_project, mirror):
    h = pop.headlines(processed_project)
    assert set(h["area_id"]) == {"llr", "leicester", "leicestershire", "rutland"} and len(h) == 12
    raw = _raw_sape(mirror, 2020)
    rut = raw[raw["LA Code (2021 boundaries)"] == "E06000017"]
    cols65 = [str(a) for a in range(65, 90)] + ["90+"]
    r = h[(h["area_id"] == "rutland") & (h["indicator"] == "% aged 65 and over")].iloc[0]
    assert r["value"] == pytest.approx(100 * rut[cols65].to_numpy().sum() / rut["All Ages"].sum())
    assert r["england_value"] == pytest.approx(100 * raw[cols65].to_numpy().sum() / raw["All Ages"].sum())
    assert r["href"] == "population/rutland.ipynb" and r["comparison"] == "not tested"
    # the total is the most recent count (mid-2022, IoD2025 denominators), not the mid-2020 estimate
    f7 = pd.read_csv(mirror / "imd_2025/File_7_IoD2025_All_Ranks_Scores_Deciles_Population_Denominators.csv")
    llr_f7 = f7[f7["Local Authority District code (2024)"].isin(load_places().all_district_codes)]
    llr_total = h.loc[(h["area_id"] == "llr") & (h["unit"] == "people")].iloc[0]
    assert llr_total["value"] == llr_f7["Total population: mid 2022"].sum() == 1136660
    assert llr_total["period"] == "mid-2022"
