"""Population: measures (hand-computed), reading and validation (small constructed files),
LSOA 2011 -> 2021 mapping, and the processed tables against the raw files in the mirror."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pandas as pd
import pytest

from llr_analysis.analysis.population import ages, measures
from llr_analysis.analysis.population import change as pop_change
from llr_analysis.analysis.population import localities as pop_loc
from llr_analysis.analysis.population import totals as pop_totals
from llr_analysis.analysis.population.headlines import headlines
from llr_analysis.analysis.population.load import PopulationData, load
from llr_analysis.errors import DataValidationError, ParameterError
from llr_analysis.places import load_places
from llr_analysis.process.boundary_changes import (
    REDRAWN_BASIS,
    best_fit_gaps,
    moved_lsoas,
    redrawn_gaps,
    split_weights,
    to_lsoa21,
)
from llr_analysis.process.population import (
    AGE_HEADERS,
    SAPE,
    YEARS,
    read_census_sex_totals,
    read_single_year_of_age,
)

# ----------------------------------------------------------------------------------- measures


def test_age_band_edges():
    assert [measures.age_band(a) for a in (0, 4, 5, 9, 64, 65, 67, 84, 85, 89, 90, 104)] == [
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
    s = measures.age_band(pd.Series([3, 16, 90]))
    assert s.tolist() == ["0-4", "15-19", "90+"]
    with pytest.raises(ValueError, match="negative age"):
        measures.age_band(-1)


def test_band_labels():
    assert len(measures.BAND_LABELS) == 19
    assert (
        measures.BAND_LABELS[0] == "0-4" and measures.BAND_LABELS[-2] == "85-89" and measures.BAND_LABELS[-1] == "90+"
    )


def _ten_each() -> pd.Series:
    # 10 people at every single year of age 0..90 (90 = 90+): 910 people.
    return pd.Series(10, index=range(91))


def test_band_counts_hand_computed():
    b = measures.band_counts(_ten_each())
    assert list(b.index) == measures.BAND_LABELS
    assert (b.iloc[:-1] == 50).all()  # five single years x 10 people
    assert b["90+"] == 10 and b.sum() == 910
    # one person aged 7 and three aged 93 (held at 90 = 90+)
    b2 = measures.band_counts(pd.Series({7: 1, 90: 3}))
    assert b2["5-9"] == 1 and b2["90+"] == 3 and b2["0-4"] == 0


def test_broad_groups_and_ratio_hand_computed():
    s = _ten_each()
    assert measures.count_aged(s, 0, 15) == 160  # 16 years x 10
    assert measures.count_aged(s, 16, 64) == 490  # 49 years x 10
    assert measures.count_aged(s, 65) == 260  # 65..90 = 26 years x 10
    assert measures.count_aged(s, 85) == 60  # 85..90
    assert measures.percent_aged(s, 65) == pytest.approx(100 * 260 / 910)  # 28.571...
    assert measures.percent_aged(s, 85) == pytest.approx(6.593406593)
    assert measures.old_age_dependency_ratio(s) == pytest.approx(1000 * 260 / 490)  # 530.612...
    st = measures.structure(s)
    assert st["population"] == 910 and st["pct_0_15"] + st["pct_16_64"] + st["pct_65_plus"] == pytest.approx(100)
    # nobody of working age: ratio undefined, not zero or infinite
    assert math.isnan(measures.old_age_dependency_ratio(pd.Series({70: 5, 3: 2})))
    assert math.isnan(measures.percent_aged(pd.Series({3: 0}), 65))


def test_old_age_dependency_ratio_small_example():
    # 2 children, 4 aged 16-64, 3 aged 65+: 3 / 4 x 1000 = 750
    s = pd.Series({5: 2, 20: 1, 40: 2, 64: 1, 65: 1, 80: 1, 90: 1})
    assert measures.old_age_dependency_ratio(s) == 750


def test_percent_change():
    assert measures.percent_change(200, 250) == 25.0
    assert measures.percent_change(400, 300) == -25.0
    assert math.isnan(measures.percent_change(0, 5))
    out = measures.percent_change(pd.Series([100.0, 0.0, np.nan]), pd.Series([110.0, 3.0, 4.0]))
    assert out.iloc[0] == pytest.approx(10.0) and out.iloc[1:].isna().all()


def test_parameters():
    assert measures.check_year("mid-2020") == 2020 and measures.check_year(2019) == 2019
    with pytest.raises(ParameterError, match="2021"):
        measures.check_year(2021)
    assert pop_loc.resolve_locality_level("leicestershire") == "district"
    assert pop_loc.resolve_locality_level("leicester") == "msoa"
    assert pop_loc.resolve_locality_level("rutland", "ward") == "ward"
    with pytest.raises(ParameterError):
        pop_loc.resolve_locality_level("rutland", "county")


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
    w = pop_change.wide_change(ch).iloc[0]
    assert w["% change, all ages"] == 1.0 and w["% change, 65+"] == 5.0
    assert pd.isna(w["% change, 85+"]) and w["Aged 85+, mid-2020"] == 25


# ------------------------------------------------------------- tables from small frames (pure)

RUTLAND = "E06000017"


def _tiny_data() -> PopulationData:
    """Rutland as two LSOAs (unchanged 2011 -> 2021), one ward each, and a small England."""
    import geopandas as gpd

    from llr_analysis.analysis.localities.load import LocalitiesData

    ages_2011 = pd.DataFrame(
        [
            # year, lsoa, age, people: A = 100 (60 aged 10, 40 aged 70) and B = 200 (150 aged 30, 50 aged 90+)
            (2020, "E01000001", 10, 60),
            (2020, "E01000001", 70, 40),
            (2020, "E01000002", 30, 150),
            (2020, "E01000002", 90, 50),
            (2019, "E01000001", 10, 50),
            (2019, "E01000001", 70, 30),
            (2019, "E01000002", 30, 150),
            (2019, "E01000002", 90, 45),
        ],
        columns=["year", "lsoa11_code", "age", "population"],
    ).assign(lad_code=RUTLAND)
    england = pd.DataFrame(
        [(y, a, n) for y in (2019, 2020) for a, n in ((10, 1000), (30, 2000), (70, 700), (90, 300))],
        columns=["year", "age", "population"],
    )
    lsoa21 = pd.DataFrame(
        {
            "lsoa21_code": ["E01000001", "E01000002"],
            "ward_code": ["E05000001", "E05000002"],
            "ward_name": ["Alpha", "Beta"],
            "place_id": "rutland",
        }
    )
    lad_totals = pd.DataFrame(
        {
            "area_code": [RUTLAND] * 3,
            "area_name": "Rutland",
            "period": ["mid-2019", "mid-2020", "Census 2021"],
            "source_id": ["sape_lsoa11_mid2019", "sape_lsoa11_mid2020", "census2021_ts009_lad_totals"],
            "persons": [275, 300, 320],
            "female": pd.array([None, None, 160], dtype="Int64"),
            "male": pd.array([None, None, 160], dtype="Int64"),
        }
    )
    iod = pd.DataFrame(
        {
            "lsoa_code": ["E01000001", "E01000002", "E01000001"],
            "population": [310.0, 220.0, 999.0],
            "edition": ["IoD2025", "IoD2025", "IoD2019"],
        }
    )
    empty = pd.DataFrame()
    return PopulationData(
        lsoa11_age=ages_2011,
        lsoa21_age=ages_2011.rename(columns={"lsoa11_code": "lsoa21_code"}).drop(columns="lad_code"),
        england_age=england,
        lad_totals=lad_totals,
        weights=empty,
        iod_population=iod,
        lsoa11=empty,
        lsoa11_lsoa21=empty,
        lsoa11_boundaries=gpd.GeoDataFrame(),
        localities=LocalitiesData(lsoa21=lsoa21),
    )


def test_structure_table_from_small_frames():
    st = ages.structure_table(_tiny_data(), 2020, "rutland", "ward").set_index("area_name")
    assert list(st.index) == ["Rutland", load_places().llr_short_name, "England", "Alpha", "Beta"]
    rut = st.loc["Rutland"]
    assert rut["population"] == 300 and rut["count_65_plus"] == 90 and rut["pct_65_plus"] == pytest.approx(30.0)
    assert rut["oadr"] == pytest.approx(600.0)  # 90 aged 65+ per 150 aged 16-64, x 1000
    assert rut["share"] == 100.0  # the whole of this tiny LLR
    assert st.loc["Alpha", "share"] == pytest.approx(100 / 3) and st.loc["Beta", "pct_65_plus"] == 25.0
    assert st.loc["England", "population"] == 4000 and st.loc["England", "pct_85_plus"] == 7.5


def test_change_table_from_small_frames():
    ch = pop_change.change_table(_tiny_data(), "rutland", "ward")
    place = ch[ch["area_type"] == "place"].set_index("measure")
    assert place.loc["All ages", ["count_start", "count_end", "change"]].tolist() == [275, 300, 25]
    assert place.loc["All ages", "pct_change"] == pytest.approx(100 * 25 / 275)
    assert place.loc["Aged 65+", "pct_change"] == pytest.approx(20.0)  # 75 -> 90
    assert place.loc["Aged 85+", "pct_change"] == pytest.approx(100 * 5 / 45)
    assert (ch["period"] == "mid-2019 to mid-2020").all()


def test_latest_totals_are_never_partial():
    iod = _tiny_data().iod_population
    assert pop_totals.latest_totals(iod, ["E01000001", "E01000002"]) == 530  # IoD2025 only
    assert math.isnan(pop_totals.latest_totals(iod, ["E01000001", "E01000003"]))  # one LSOA missing
    assert math.isnan(pop_totals.latest_totals(iod, []))
    gap = iod.assign(population=[310.0, np.nan, 999.0])
    assert math.isnan(pop_totals.latest_totals(gap, ["E01000001", "E01000002"]))  # suppressed: missing, not 0


def test_reconciliation_from_small_frames():
    data = _tiny_data()
    t = pop_totals.reconciliation(data, "rutland")
    assert t["source_key"].tolist() == ["estimates", "iod_denominators", "census"]
    assert t["population"].tolist() == [300, 530, 320]
    assert t["source_id"].iloc[2] == "census2021_ts009_lad_totals"
    partial = pop_totals.reconciliation(
        dataclasses.replace(data, iod_population=data.iod_population.iloc[[0, 2]]), "rutland"
    )
    assert pd.isna(partial["population"].iloc[1]) and partial["population"].iloc[0] == 300


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


def test_redrawn_lsoas_are_shared_by_the_2021_areas_populations_and_recorded():
    """CHGIND X: E01000005 overlaps E01100001 and E01100010; shared like a split, weight_basis says so, and the
    district of each 2021 area it reaches gets a known gap."""
    redrawn = pd.DataFrame(
        {"lsoa11_code": ["E01000005", "E01000005"], "lsoa21_code": ["E01100001", "E01100010"], "change": ["X", "X"]}
    )
    den = pd.concat(
        [
            DENOMINATORS,
            pd.DataFrame(
                {"lsoa21_code": ["E01100010"], "population": [900.0], "children_0_15": [300.0], "older_60_plus": [0.0]}
            ),
        ]
    )
    w = split_weights(pd.concat([MAPPING, redrawn], ignore_index=True), den)
    x = w[w["lsoa11_code"] == "E01000005"].set_index(["lsoa21_code", "age_group"])
    # 0-15: 100 (E01100001) to 300 (E01100010); 60+: 50 to 0; 16-59: 150 to 600
    assert x.loc[("E01100001", "0-15"), "weight"] == 0.25 and x.loc[("E01100010", "0-15"), "weight"] == 0.75
    assert x.loc[("E01100001", "60+"), "weight"] == 1.0 and x.loc[("E01100010", "60+"), "weight"] == 0.0
    assert x.loc[("E01100001", "16-59"), "weight"] == 0.2
    assert (x["weight_basis"] == REDRAWN_BASIS).all()
    assert w.groupby(["lsoa11_code", "age_group"])["weight"].sum().eq(1.0).all()
    lad21 = pd.Series({"E01100001": "E07000129", "E01100010": "E07000130", "E01000001": "E07000129"})
    gaps = redrawn_gaps(w, lad21)
    assert list(gaps["area_code"]) == ["E07000129", "E07000130"]
    assert gaps["reason"].str.startswith("one of its small areas (LSOA 2021) was redrawn").all()


def _sape_with_older_codes(path, rows):
    cols = ["LSOA Code", "LA Code (2018 boundaries)", "LA Code (2021 boundaries)"]
    pd.DataFrame(rows, columns=cols).to_csv(path, index=False)


def test_a_district_redrawn_through_an_lsoa_is_checked_on_its_total_and_recorded(tmp_path):
    """E01000003 moved from E07000130 to E07000129 (both current codes): those two districts are best fits;
    E01000009's old code is retired (a merger, whole LSOAs), so not a redrawn boundary."""
    f = tmp_path / "sape.csv"
    _sape_with_older_codes(
        f,
        [
            ["E01000001", "E07000129", "E07000129"],
            ["E01000003", "E07000130", "E07000129"],
            ["E01000004", "E07000130", "E07000130"],
            ["E01000009", "E07000036", "E07000130"],
        ],
    )
    current = {"E07000129", "E07000130"}
    moved = moved_lsoas(f, SAPE[2020], current)
    assert moved.to_dict("records") == [{"lsoa11_code": "E01000003", "older": "E07000130", "newer": "E07000129"}]
    ages = pd.DataFrame({"lsoa11_code": ["E01000001", "E01000003", "E01000004"], "population": [500, 40, 300]})
    idx = pd.MultiIndex.from_tuples([("E07000129", 0), ("E07000130", 0)], names=["lad_code", "age"])
    sums = pd.Series([540, 300], index=idx)
    published = pd.Series([510, 330], index=idx)  # the boundary cuts E01000003: 30 of its 40 people are in E07000130
    gaps = best_fit_gaps(sums, published, moved, ages, f)
    assert list(gaps["area_code"]) == ["E07000129", "E07000130"]
    assert "30 people (5.9%) more than ONS's estimate" in gaps["reason"][0]
    assert "30 people (9.1%) fewer" in gaps["reason"][1]
    with pytest.raises(DataValidationError, match="by \\+50, more than the 5 people of the LSOAs") as e:
        best_fit_gaps(sums, pd.Series([490, 350], index=idx), moved, ages.assign(population=[500, 5, 300]), f)
    assert e.value.area == "E07000129"


# ----------------------------------------------------------------- processed data (mirror)


@pytest.fixture(scope="module")
def pop_data(processed_project) -> PopulationData:
    """The population tables of the processed mirror data, loaded once (the notebook's edge)."""
    return load(processed_project)


def _raw_sape(mirror, year):
    from llr_analysis.fetch.sources import get_dataset

    ds = get_dataset(f"sape_lsoa11_mid{year}")
    return pd.read_csv(mirror / ds.mirror_path, dtype={"LSOA Code": str})


def test_llr_mid2020_total_reproduced_from_the_raw_file(processed_project, mirror, pop_data):
    from llr_analysis.process import read_table

    cfg = load_places()
    raw = _raw_sape(mirror, 2020)
    expected = int(raw.loc[raw["LA Code (2021 boundaries)"].isin(cfg.all_district_codes), "All Ages"].sum())
    t = read_table("population/lsoa11_age", processed_project)
    assert int(t.loc[t["year"] == 2020, "population"].sum()) == expected
    t21 = read_table("population/lsoa21_age", processed_project)
    assert t21.loc[t21["year"] == 2020, "population"].sum() == pytest.approx(expected, abs=1e-6)
    assert ages.place_by_age(pop_data, 2020, None).sum() == expected
    # the same total from the published district file (MYE2)
    from llr_analysis.fetch.sources import get_dataset

    mye = pd.read_csv(mirror / get_dataset("mye2_lad21_mid2020").mirror_path)
    assert int(mye.loc[mye["Code"].isin(cfg.all_district_codes), "All ages"].sum()) == expected


def test_each_year_and_england_match_the_raw_files(mirror, pop_data):
    cfg = load_places()
    for year in YEARS:
        raw = _raw_sape(mirror, year)
        assert ages.england_by_age(pop_data, year).sum() == raw["All Ages"].sum()
        assert ages.england_by_age(pop_data, year)[90] == raw["90+"].sum()
        for place in cfg.places.values():
            la = "LA Code (2021 boundaries)" if year == 2020 else "LA Code (2020 boundaries)"
            rows = raw[raw[la].isin(place.district_codes)]
            got = ages.place_by_age(pop_data, year, place.id)
            assert got.sum() == rows["All Ages"].sum()
            assert got[65:].sum() == rows[[str(a) for a in range(65, 90)] + ["90+"]].to_numpy().sum()


@pytest.mark.parametrize("level", ["district", "msoa", "ward"])
def test_localities_add_up_to_places_and_places_to_llr(level, pop_data):
    cfg = load_places()
    llr = ages.place_by_age(pop_data, 2020, None).sum()
    place_sum = 0
    for place in cfg.places:
        st = ages.structure_table(pop_data, 2020, place, level)
        loc = st[st["area_type"] == "locality"]
        whole = st.loc[st["area_type"] == "place", "population"].item()
        assert loc["population"].sum() == pytest.approx(whole, abs=1e-6)
        assert loc["count_65_plus"].sum() == pytest.approx(st.loc[st["area_type"] == "place", "count_65_plus"].item())
        assert loc["share"].sum() == pytest.approx(100)
        place_sum += whole
    assert place_sum == llr


def test_change_table_reproduces_raw_counts(mirror, pop_data):
    r19, r20 = _raw_sape(mirror, 2019), _raw_sape(mirror, 2020)
    rut19 = r19[r19["LA Code (2020 boundaries)"] == "E06000017"]
    rut20 = r20[r20["LA Code (2021 boundaries)"] == "E06000017"]
    ch = pop_change.change_table(pop_data, "rutland", "msoa")
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


def test_census_totals_match_the_raw_file(mirror, pop_data):
    from llr_analysis.fetch.sources import get_dataset

    raw = pd.read_csv(mirror / get_dataset("census2021_ts009_lad_totals").mirror_path).set_index("geography code")
    t = pop_totals.district_totals(pop_data, "leicestershire")
    census = t[t["period"] == "Census 2021"].set_index("area_code")
    assert census.loc["E07000130", "persons"] == raw.loc["E07000130", "Sex: All persons; Age: Total; measures: Value"]
    lcs = load_places().places["leicestershire"].district_codes
    assert census.loc["E10000018", "female"] == raw.loc[lcs, "Sex: Female; Age: Total; measures: Value"].sum()
    eng = raw[raw.index.str.startswith("E")]
    assert census.loc["E92000001", "persons"] == eng["Sex: All persons; Age: Total; measures: Value"].sum()
    # estimates have no sex split: missing, never zero
    assert t.loc[t["period"] == "mid-2020", "female"].isna().all()


def test_overview_headlines(processed_project, mirror):
    h = headlines(processed_project)
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
