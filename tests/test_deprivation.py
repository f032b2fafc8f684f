"""Deprivation topic: locality aggregation, valid change between editions, local-authority summary
table and headlines.

Hand-computed examples use small constructed tables. Real-data tests recompute values independently
from the raw mirror files with plain pandas and compare them with the processed tables
(``processed_project``) and with values MHCLG published. The summary-measure formulas themselves
are tested in tests/test_imd_measures.py (hand-computed measures; all 317 IoD2019 district average
scores, the top ten ranks, Manchester and Blackpool); here the tests cover what this topic adds:
the processed all-England table, its upper-tier (2019 county) geography, the domain denominators,
IoD2025 without national population, and the page's own statistics.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from llr_analysis.analysis import overview
from llr_analysis.analysis.deprivation import change as dep_change
from llr_analysis.analysis.deprivation import domains, lsoas
from llr_analysis.analysis.deprivation import headlines as dep_headlines
from llr_analysis.analysis.deprivation import summaries as dep_summaries
from llr_analysis.analysis.deprivation.load import DeprivationData, load
from llr_analysis.analysis.localities.load import LocalitiesData
from llr_analysis.errors import DataValidationError, ParameterError
from llr_analysis.places import load_places
from llr_analysis.process.deprivation_summaries import COUNTIES_2019, upper_tier
from llr_analysis.report.deprivation import text as dep_text
from llr_analysis.stats.benchmark import NOT_TESTED
from llr_analysis.stats.imd_measures import MEASURES

FILE7_2019 = "imd_2019/File_7_-_All_IoD2019_Scores__Ranks__Deciles_and_Population_Denominators_3.csv"
FILE7_2025_LLR = "imd_2025/File_7_IoD2025_All_Ranks_Scores_Deciles_Population_Denominators.csv"
ENGLAND_2025 = "imd_2025/IoD2025_File7_columns_England_LSOA21__rebuilt_from_humaniverse.csv"
LSOA_LOOKUP = "lookups/LSOA11_LSOA21_LAD22_EW_LU.csv"
LAD_LOOKUP = "lookups/LAD23_CTYUA23_EW_LU.csv"

IMD_SCORE = "Index of Multiple Deprivation (IMD) Score"
IMD_RANK = "Index of Multiple Deprivation (IMD) Rank (where 1 is most deprived)"
IMD_DECILE = "Index of Multiple Deprivation (IMD) Decile (where 1 is most deprived 10% of LSOAs)"
LAD19 = "Local Authority District code (2019)"
LAD24 = "Local Authority District code (2024)"
POP19 = "Total population: mid 2015 (excluding prisoners)"
POP22 = "Total population: mid 2022"
LEICS = [f"E07000{c}" for c in range(129, 136)]


# ----------------------------------------------------------------- locality aggregation (hand-computed)


def localities_example() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "lad_code": ["A", "A", "A", "B", "B"],
            "lad_name": ["Alpha", "Alpha", "Alpha", "Beta", "Beta"],
            "score": [40.0, 20.0, 10.0, 30.0, 5.0],
            "decile": [1, 2, 6, 1, 9],
            "population": [1000, 2000, 1000, 500, 1500],
        }
    )


def test_locality_summary_hand_computed():
    out = lsoas.locality_summary(localities_example(), "IoD2025", "district").set_index("area_code")
    # Alpha: (40*1000 + 20*2000 + 10*1000) / 4000 = 90000 / 4000 = 22.5
    # Beta:  (30*500 + 5*1500) / 2000 = 22500 / 2000 = 11.25  -> Alpha first (most deprived)
    assert list(out.index) == ["A", "B"]
    assert out.loc["A", "avg_imd_score"] == pytest.approx(22.5)
    assert out.loc["B", "avg_imd_score"] == pytest.approx(11.25)
    # Alpha: 1 of 3 LSOAs in decile 1, 2 of 3 in deciles 1-2; people: 1000/4000 and 3000/4000
    assert out.loc["A", "pct_lsoas_most_deprived_10"] == pytest.approx(100 / 3)
    assert out.loc["A", "pct_lsoas_most_deprived_20"] == pytest.approx(200 / 3)
    assert out.loc["A", "pct_pop_most_deprived_10"] == pytest.approx(25.0)
    assert out.loc["A", "pct_pop_most_deprived_20"] == pytest.approx(75.0)
    # Beta: 1 of 2 LSOAs, 500 of 2000 people
    assert out.loc["B", "pct_lsoas_most_deprived_10"] == pytest.approx(50.0)
    assert out.loc["B", "pct_pop_most_deprived_10"] == pytest.approx(25.0)
    assert out.loc["A", "population"] == 4000 and out.loc["B", "lsoas"] == 2


def test_missing_population_is_missing_not_zero():
    df = localities_example()
    df.loc[4, "population"] = np.nan
    out = lsoas.locality_summary(df, "IoD2025", "district").set_index("area_code")
    assert pd.isna(out.loc["B", "avg_imd_score"]) and pd.isna(out.loc["B", "population"])
    assert pd.isna(out.loc["B", "pct_pop_most_deprived_10"])
    assert out.loc["B", "pct_lsoas_most_deprived_10"] == pytest.approx(50.0)  # a count of LSOAs still works
    assert out.loc["A", "avg_imd_score"] == pytest.approx(22.5)  # other localities unaffected
    # the decile distribution falls back to LSOAs rather than treating the missing population as 0
    dist = lsoas.decile_distribution(df)
    assert dist["basis"].iloc[0] == "LSOAs"
    assert dist.set_index("decile").loc[1, "percent"] == pytest.approx(40.0)  # 2 of 5 LSOAs


def test_decile_distribution_population_weighted():
    dist = lsoas.decile_distribution(localities_example()).set_index("decile")["percent"]
    # decile 1: 1000 + 500 of 6000 people = 25%; decile 2: 2000/6000; decile 6: 1000/6000; decile 9: 1500/6000
    assert dist.loc[1] == pytest.approx(25.0)
    assert dist.loc[2] == pytest.approx(100 / 3)
    assert dist.loc[9] == pytest.approx(25.0)
    assert dist.loc[10] == 0.0 and dist.sum() == pytest.approx(100.0)


def test_weighted_rate_uses_the_index_denominator():
    df = pd.DataFrame(
        {
            "score": [0.5, 0.1, 0.2],
            "decile": [1, 5, 3],
            "children_0_15": [100, 300, 100],
            "population": [1000, 1000, 8000],
        }
    )
    r = domains.weighted_rate(df, "children_0_15")
    # (0.5*100 + 0.1*300 + 0.2*100) / 500 = (50 + 30 + 20) / 500 = 0.2 -> 20% of children
    assert r["pct_income_deprived"] == pytest.approx(20.0)
    assert r["people"] == 500 and r["pct_lsoas_decile1"] == pytest.approx(100 / 3)
    # weighting by the total population instead would give (500 + 100 + 1600) / 10000 = 22%
    assert domains.weighted_rate(df, "population")["pct_income_deprived"] == pytest.approx(22.0)


def test_domain_profile_counts_decile_one_per_index():
    rows = []
    for i, (imd, crime) in enumerate([(1, 1), (2, 1), (5, 1), (9, 10)]):
        code = f"E0100000{i}"
        rows += [
            {"edition": "IoD2025", "lsoa_code": code, "index_id": "imd", "decile": imd},
            {"edition": "IoD2025", "lsoa_code": code, "index_id": "crime", "decile": crime},
        ]
    rows.append({"edition": "IoD2025", "lsoa_code": "E01000009", "index_id": "imd", "decile": 1})  # not in the set
    out = domains.domain_profile(pd.DataFrame(rows), [f"E0100000{i}" for i in range(4)], "IoD2025").set_index(
        "index_id"
    )
    assert list(out.index) == ["imd", "crime"]  # MHCLG order; absent indices left out
    assert out.loc["imd", "lsoas_decile1"] == 1 and out.loc["imd", "pct_lsoas_decile1"] == pytest.approx(25.0)
    assert out.loc["crime", "lsoas_decile1"] == 3 and out.loc["crime", "pct_lsoas_decile1"] == pytest.approx(75.0)
    # England: decile 1 is ranks 1..floor(33,755 / 10) = 3,375 of 33,755 LSOAs
    assert out["england_pct"].iloc[0] == pytest.approx(100 * 3375 / 33755)


def test_ordinal_and_rank_phrase():
    assert [dep_text.ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22, 101, 111)] == [
        "1st",
        "2nd",
        "3rd",
        "4th",
        "11th",
        "12th",
        "13th",
        "21st",
        "22nd",
        "101st",
        "111th",
    ]
    assert dep_text.rank_phrase(26, 151) == "26th most deprived of 151"
    assert dep_text.rank_phrase(131, 153, ties=23) == "joint 131st most deprived of 153"


# ----------------------------------------------------------------- valid change between editions


def test_decile_movement_keeps_only_unchanged_one_to_one_lsoas():
    lookup = pd.DataFrame(
        [
            # lsoa11,     lsoa21,      change
            ("E01000001", "E01000001", "U"),  # unchanged: 3 -> 1 (two deciles more deprived)
            ("E01000002", "E01000002", "U"),  # unchanged: 5 -> 5
            ("E01000003", "E01000003", "U"),  # unchanged: 2 -> 4 (less deprived)
            ("E01000004", "E01099991", "S"),  # split into two 2021 LSOAs: left out
            ("E01000004", "E01099992", "S"),
            ("E01000005", "E01099993", "M"),  # two 2011 LSOAs merged: left out
            ("E01000006", "E01099993", "M"),
            ("E01000007", "E01099994", "X"),  # redrawn: left out
            ("E01000008", "E01000008", "U"),  # marked U but also on another row: not one-to-one, left out
            ("E01000008", "E01099995", "S"),
        ],
        columns=["lsoa11_code", "lsoa21_code", "change"],
    )
    old = pd.DataFrame(
        {
            "lsoa_code": [f"E0100000{i}" for i in range(1, 9)],
            "rank": [7000, 15000, 4000, 5000, 100, 200, 300, 400],
            "decile": [3, 5, 2, 2, 1, 1, 1, 1],
        }
    )
    new = pd.DataFrame(
        {
            "lsoa_code": [
                "E01000001",
                "E01000002",
                "E01000003",
                "E01099991",
                "E01099992",
                "E01099993",
                "E01099994",
                "E01000008",
                "E01099995",
            ],
            "rank": [10, 16000, 12000, 1, 2, 3, 4, 5, 6],
            "decile": [1, 5, 4, 1, 1, 1, 1, 1, 1],
        }
    )
    m = dep_change.decile_movement(old, new, lookup).set_index("lsoa21_code")
    assert list(m.index) == ["E01000001", "E01000002", "E01000003"]
    assert m["decile_change"].tolist() == [-2, 0, 2]
    assert m["direction"].tolist() == ["more deprived decile", "same decile", "less deprived decile"]
    s = dep_change.movement_summary(m.reset_index())
    assert s.to_dict() == {
        "lsoas_compared": 3,
        "more_deprived_decile": 1,
        "same_decile": 1,
        "less_deprived_decile": 1,
        "decile1_old": 0,
        "decile1_new": 1,
        "decile1_both": 0,
    }
    d = dep_change.movement_distribution(m.reset_index()).set_index("decile_change")
    assert list(d.index) == [-2, -1, 0, 1, 2] and d["lsoas"].tolist() == [1, 0, 1, 0, 1]
    assert d.loc[0, "label"] == "0 (same decile)" and d.loc[-2, "label"] == "-2 (more deprived)"
    assert d["percent"].sum() == pytest.approx(100.0)


# ----------------------------------------------------------------- the loaded tables, as small frames


def small_data(iod: pd.DataFrame | None = None, population: pd.DataFrame | None = None) -> DeprivationData:
    """A DeprivationData of four LSOAs 2021 (three in Rutland, one in Leicester) and their 2011 predecessors."""
    lsoa21 = pd.DataFrame(
        {
            "lsoa21_code": ["E01000001", "E01000002", "E01099993", "E01000009"],
            "lsoa21_name": ["Rutland 001A", "Rutland 001B", "Rutland 002A", "Leicester 001A"],
            "msoa21_label": ["Oakham North", "Oakham North", "Uppingham", "City Centre"],
            "ward_name": ["Oakham N", "Oakham N", "Uppingham", "Castle"],
            "lad_code": ["E06000017", "E06000017", "E06000017", "E06000016"],
            "lad_name": ["Rutland", "Rutland", "Rutland", "Leicester"],
            "place_id": ["rutland", "rutland", "rutland", "leicester"],
        }
    )
    lsoa11 = pd.DataFrame(
        {
            "lsoa11_code": ["E01000001", "E01000002", "E01000003", "E01000004", "E01000009"],
            "lsoa11_name": ["Rutland 001A", "Rutland 001B", "Rutland 002A", "Rutland 002B", "Leicester 001A"],
            "lad_code": ["E06000017"] * 4 + ["E06000016"],
            "place_id": ["rutland"] * 4 + ["leicester"],
        }
    )
    lookup = pd.DataFrame(
        {
            "lsoa11_code": ["E01000001", "E01000002", "E01000003", "E01000004", "E01000009"],
            "lsoa21_code": ["E01000001", "E01000002", "E01099993", "E01099993", "E01000009"],
            "change": ["U", "U", "M", "M", "U"],
        }
    )
    if iod is None:
        rows = [
            ("IoD2019", c, 1000 + i, d)
            for i, (c, d) in enumerate(zip(lsoa11["lsoa11_code"], [3, 1, 1, 2, 5], strict=True))
        ]
        rows += [
            ("IoD2025", c, 2000 + i, d)
            for i, (c, d) in enumerate(zip(lsoa21["lsoa21_code"], [1, 1, 4, 5], strict=True))
        ]
        iod = pd.DataFrame(rows, columns=["edition", "lsoa_code", "rank", "decile"]).assign(
            index_id="imd", lad_code="", score=lambda x: 50.0 - x["decile"]
        )
    if population is None:
        population = pd.DataFrame(
            {
                "edition": "IoD2025",
                "lsoa_code": ["E01000001", "E01000002", "E01099993"],  # none for Leicester's LSOA
                "population": [1000.0, 1500.0, 2000.0],
            }
        )
    return DeprivationData(
        places=load_places(),
        iod=iod,
        population=population,
        summaries=pd.DataFrame(),
        lsoa11=lsoa11,
        lsoa11_lsoa21=lookup,
        localities=LocalitiesData(lsoa21=lsoa21),
    )


def test_lsoa_frame_joins_names_scores_and_population_of_the_edition_geography():
    data = small_data()
    r = lsoas.lsoa_frame(data, "iod2025", "rutland").set_index("lsoa_code")
    assert list(r.index) == ["E01000001", "E01000002", "E01099993"]  # Rutland only, LSOA 2021
    assert r.loc["E01099993", ["lsoa_name", "decile", "population"]].tolist() == ["Rutland 002A", 4, 2000.0]
    everyone = lsoas.lsoa_frame(data, "IoD2025").set_index("lsoa_code")
    assert len(everyone) == 4 and np.isnan(everyone.loc["E01000009", "population"])  # missing, never 0
    s = lsoas.summarise_lsoas(everyone)
    assert np.isnan(s["population"]) and s["pct_lsoas_most_deprived_10"] == pytest.approx(50.0)
    old = lsoas.lsoa_frame(data, "IoD2019", "rutland")
    assert old["lsoa_code"].tolist() == ["E01000001", "E01000002", "E01000003", "E01000004"]  # LSOA 2011
    assert old["population"].isna().all()  # no IoD2019 denominators in these tables
    with pytest.raises(ParameterError, match="unknown IoD edition 'IoD2031'"):
        lsoas.lsoa_frame(data, "IoD2031")


def test_valid_change_of_a_place_from_small_tables():
    moves, n_all = dep_change.valid_change(small_data(), "rutland")
    # Rutland has 3 LSOAs 2021; E01099993 merged two 2011 LSOAs ("M"): left out
    assert n_all == 3 and moves["lsoa21_code"].tolist() == ["E01000001", "E01000002"]
    assert moves["decile_change"].tolist() == [1 - 3, 1 - 1]  # IoD2025 decile - IoD2019 decile
    assert moves["msoa_name"].tolist() == ["Oakham North", "Oakham North"]
    moves, n_all = dep_change.valid_change(small_data())  # all of LLR
    assert n_all == 4 and moves["lsoa21_code"].tolist() == ["E01000001", "E01000002", "E01000009"]


def test_england_supplementary_weights_each_lsoa_by_its_own_denominator():
    n = 32844  # LSOAs in England, IoD2019
    codes = [f"E{i:08d}" for i in range(n)]
    half = np.arange(n) < n // 2
    iod = pd.concat(
        [
            pd.DataFrame({"lsoa_code": codes, "score": np.where(half, 0.3, 0.1), "index_id": "idaci"}),
            pd.DataFrame({"lsoa_code": codes, "score": 0.2, "index_id": "idaopi"}),
        ]
    ).assign(edition="IoD2019", decile=1, rank=1)
    pop = pd.DataFrame(
        {
            "edition": "IoD2019",
            "lsoa_code": codes,
            "children_0_15": np.where(half, 100.0, 300.0),
            "older_60_plus": [np.nan] + [50.0] * (n - 1),
        }
    )
    eng = domains.england_supplementary(small_data(iod, pop), "IoD2019")
    # (0.3 * 100 + 0.1 * 300) / (100 + 300) = 0.15 per pair of LSOAs -> 15% (unweighted mean: 20%)
    assert eng["idaci"] == pytest.approx(15.0)
    assert np.isnan(eng["idaopi"])  # one LSOA without its denominator: no England figure, not a partial one
    assert np.isnan(domains.england_supplementary(small_data(iod.iloc[1:], pop), "IoD2019")["idaci"])


# ----------------------------------------------------------------- upper-tier geography (constructed)


def lad_utla_2023() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "lad_code": ["E06000016", "E07000129", "E06000060"],
            "lad_name": ["Leicester", "Blaby", "Buckinghamshire"],
            "utla_code": ["E06000016", "E10000018", "E06000060"],
            "utla_name": ["Leicester", "Leicestershire", "Buckinghamshire"],
        }
    )


def test_upper_tier_2019_uses_the_2019_county_of_abolished_districts():
    lads = pd.DataFrame(
        {"lad_code": ["E06000016", "E07000129", "E07000004"], "lad_name": ["Leicester", "Blaby", "Aylesbury Vale"]}
    )
    out = upper_tier(lads, lad_utla_2023(), "IoD2019", "lookup.csv").set_index("lad_code")
    assert out.loc["E07000129", "utla_code"] == "E10000018"
    assert out.loc["E06000016", "utla_code"] == "E06000016"
    assert tuple(out.loc["E07000004", ["utla_code", "utla_name"]]) == ("E10000002", "Buckinghamshire")


def test_upper_tier_rejects_unknown_and_stale_districts():
    unknown = pd.DataFrame({"lad_code": ["E07000999"], "lad_name": ["Nowhere"]})
    with pytest.raises(DataValidationError, match=r"lookup.csv: column 'LAD23CD': 1 IoD2019 districts have no"):
        upper_tier(unknown, lad_utla_2023(), "IoD2019", "lookup.csv")
    # an abolished 2019 district is never a 2025 district
    aylesbury = pd.DataFrame({"lad_code": ["E07000004"], "lad_name": ["Aylesbury Vale"]})
    with pytest.raises(DataValidationError, match="IoD2025 districts have no county"):
        upper_tier(aylesbury, lad_utla_2023(), "IoD2025", "lookup.csv")
    # a district listed as abolished must not still be in the 2023 lookup
    stale = lad_utla_2023()
    stale.loc[len(stale)] = ["E07000004", "Aylesbury Vale", "E10000002", "Buckinghamshire"]
    with pytest.raises(DataValidationError, match="listed as abolished since 2019 is still in the 2023 lookup"):
        upper_tier(aylesbury, stale, "IoD2019", "lookup.csv")


# ----------------------------------------------------------------- real data: the processed summary table


@pytest.fixture(scope="module")
def data(processed_project):
    return load(processed_project, maps=False)


@pytest.fixture(scope="module")
def summaries(data):
    return data.summaries


@pytest.fixture(scope="module")
def raw2019(mirror):
    return pd.read_csv(mirror / FILE7_2019)


def test_la_summaries_cover_every_english_authority(summaries):
    imd = summaries[summaries["index_id"] == "imd"]
    counts = imd.groupby(["edition", "area_level"]).size().to_dict()
    assert counts == {
        ("IoD2019", "district"): 317,
        ("IoD2019", "upper_tier"): 151,
        ("IoD2025", "district"): 296,
        ("IoD2025", "upper_tier"): 153,
    }
    assert imd.groupby(["edition", "area_level"])["n_lsoas"].sum().to_dict() == {
        ("IoD2019", "district"): 32844,
        ("IoD2019", "upper_tier"): 32844,
        ("IoD2025", "district"): 33755,
        ("IoD2025", "upper_tier"): 33755,
    }
    # IMD, seven domains, IDACI, IDAOPI for every area in IoD2019
    i19 = summaries[(summaries["edition"] == "IoD2019") & (summaries["area_level"] == "district")]
    assert i19.groupby("index_id").size().to_dict() == {i: 317 for i in domains.PROFILE_INDICES}


def test_iod2019_district_table_matches_an_independent_computation_from_the_raw_file(summaries, raw2019):
    raw = raw2019
    g = raw.assign(w=raw[IMD_SCORE] * raw[POP19]).groupby(LAD19)
    avg = g["w"].sum() / g[POP19].sum()
    prop = raw.assign(d1=raw[IMD_DECILE] == 1).groupby(LAD19)["d1"].mean()
    rank = avg.rank(method="min", ascending=False).astype(int)
    t = summaries[
        (summaries["edition"] == "IoD2019") & (summaries["area_level"] == "district") & (summaries["index_id"] == "imd")
    ].set_index("area_code")
    assert t["average_score"].to_numpy() == pytest.approx(avg.reindex(t.index).to_numpy(), rel=1e-12)
    assert t["prop_lsoas_most_deprived_10"].to_numpy() == pytest.approx(prop.reindex(t.index).to_numpy())
    assert (t["rank_average_score"].astype(int) == rank.reindex(t.index)).all()
    # Leicester, IoD2019 File 10: average score 30.877 (published), 32nd most deprived of 317 districts;
    # 39 of its 192 LSOAs in the most deprived 10%
    assert round(t.loc["E06000016", "average_score"], 3) == 30.877
    assert t.loc["E06000016", "rank_average_score"] == 32 and t.loc["E06000016", "n_areas"] == 317
    assert t.loc["E06000016", "prop_lsoas_most_deprived_10"] == pytest.approx(39 / 192)


def test_leicester_rank_agrees_with_the_published_file10_scores(summaries):
    # Rank of Leicester's published average score (30.877) among the 317 published scores of File 10,
    # transcribed in tests/test_imd_measures.py.
    from test_imd_measures import PUBLISHED_AVERAGE_SCORE

    published = pd.Series(PUBLISHED_AVERAGE_SCORE)
    published_rank = int((published > published["E06000016"]).sum()) + 1
    t = summaries[
        (summaries["edition"] == "IoD2019") & (summaries["area_level"] == "district") & (summaries["index_id"] == "imd")
    ].set_index("area_code")
    assert published_rank == 32 == t.loc["E06000016", "rank_average_score"]


# IoD2019 File 10 (official workbook), ten Greater Manchester districts, "Rank of average score" and
# "Proportion of LSOAs in most deprived 10% nationally" per domain: read from the MHCLG workbook by
# traffordDataLab/analysis@718ba1cf9138a086820d6f1e011696b843ef005d IoD2019/report/data/pre-processing/
# local_authority_district.R into IoD2019/report/data/IoD_local_authority.csv (2019 rows).
GM = [
    "E08000001",
    "E08000002",
    "E08000003",
    "E08000004",
    "E08000005",
    "E08000006",
    "E08000007",
    "E08000008",
    "E08000009",
    "E08000010",
]
GM_RANK_AVERAGE_SCORE = {
    "imd": [34, 95, 6, 19, 15, 18, 130, 28, 191, 75],
    "income": [29, 83, 8, 21, 15, 24, 135, 37, 166, 77],
    "employment": [36, 57, 39, 32, 16, 30, 100, 37, 155, 50],
    "education": [90, 164, 67, 23, 43, 44, 183, 61, 275, 86],
    "health": [50, 84, 5, 40, 21, 12, 78, 19, 147, 46],
    "crime": [13, 50, 1, 5, 2, 16, 65, 12, 138, 59],
    "barriers": [285, 277, 63, 307, 231, 218, 290, 270, 289, 300],
    "living_environment": [80, 124, 42, 61, 149, 94, 141, 93, 131, 248],
    "idaci": [52, 119, 7, 35, 34, 28, 160, 44, 214, 110],
    "idaopi": [49, 109, 5, 52, 40, 30, 136, 60, 134, 83],
}
GM_PROP_IDACI = [0.1751, 0.0917, 0.3617, 0.1631, 0.1866, 0.28, 0.0737, 0.1064, 0.0362, 0.1]


def test_domain_denominators_reproduce_published_file10_ranks(summaries, raw2019):
    t = summaries[(summaries["edition"] == "IoD2019") & (summaries["area_level"] == "district")]
    t = t.set_index(["index_id", "area_code"])
    for index_id, published in GM_RANK_AVERAGE_SCORE.items():
        got = t.loc[index_id].loc[GM, "rank_average_score"].astype(int).to_numpy()
        diff = np.abs(got - np.array(published))
        if index_id in ("employment", "idaopi"):
            # File 7 carries these rates to 3 dp only (e.g. 0.123), so a district can land one place away
            assert diff.max() <= 1 and (diff == 0).sum() >= 8, (index_id, got)
        else:
            assert diff.max() == 0, (index_id, got)
    assert t.loc["idaci"].loc[GM, "prop_lsoas_most_deprived_10"].round(4).tolist() == GM_PROP_IDACI
    assert (t.loc["idaci"]["denominator"] == "children_0_15").all()
    # With the total population as IDACI's weight, Manchester would be 9th, not the published 7th.
    idaci = next(
        c for c in raw2019.columns if c.startswith("Income Deprivation Affecting Children Index (IDACI) Score")
    )
    g = raw2019.assign(w=raw2019[idaci] * raw2019[POP19]).groupby(LAD19)
    wrong = (g["w"].sum() / g[POP19].sum()).rank(method="min", ascending=False)
    assert wrong["E08000003"] == 9 and t.loc[("idaci", "E08000003"), "rank_average_score"] == 7


def test_iod2019_upper_tier_uses_the_2019_counties(summaries, raw2019, mirror):
    ut = summaries[
        (summaries["edition"] == "IoD2019")
        & (summaries["area_level"] == "upper_tier")
        & (summaries["index_id"] == "imd")
    ].set_index("area_code")
    # the five two-tier counties abolished since 2019 are there, with all their 2019 districts' LSOAs
    for code, (name, districts) in COUNTIES_2019.items():
        assert ut.loc[code, "area_name"] == name
        assert ut.loc[code, "n_lsoas"] == raw2019[LAD19].isin(districts).sum()
    assert not ut.index.isin(
        ["E06000060", "E06000061", "E06000062", "E06000063", "E06000064", "E06000065", "E06000066"]
    ).any()
    # Leicestershire (the 7 districts) recomputed from the raw file; rank among the 151 recomputed with the
    # raw ONS lookup for the surviving districts and the 2019 counties for the abolished ones.
    lk = pd.read_csv(mirror / LAD_LOOKUP).set_index("LAD23CD")["CTYUA23CD"]
    former = {d: c for c, (_, ds) in COUNTIES_2019.items() for d in ds}
    utla = raw2019[LAD19].map(lambda c: former.get(c, lk.get(c)))
    g = raw2019.assign(u=utla, w=raw2019[IMD_SCORE] * raw2019[POP19]).groupby("u")
    avg = g["w"].sum() / g[POP19].sum()
    assert len(avg) == 151
    assert ut.loc["E10000018", "average_score"] == pytest.approx(avg["E10000018"], rel=1e-12)
    rank = avg.rank(method="min", ascending=False).astype(int)
    for code in ("E06000016", "E10000018", "E06000017"):
        assert ut.loc[code, "rank_average_score"] == rank[code], code
    assert ut.loc[["E06000016", "E10000018", "E06000017"], "rank_average_score"].tolist() == [26, 136, 149]


def test_iod2025_ranks_only_what_needs_no_population(summaries, mirror):
    t = summaries[(summaries["edition"] == "IoD2025") & (summaries["index_id"] == "imd")]
    d = t[t["area_level"] == "district"].set_index("area_code")
    # population-weighted measures: values for the 9 LLR districts (File 7 denominators), no national ranks
    assert d["average_score"].notna().sum() == 9
    for m in ("average_score", "average_rank", "extent", "local_concentration"):
        assert d[f"rank_{m}"].isna().all(), m
    raw = pd.read_csv(mirror / FILE7_2025_LLR, encoding="utf-8-sig")
    leic = raw[raw[LAD24] == "E06000016"]
    assert d.loc["E06000016", "average_score"] == pytest.approx(np.average(leic[IMD_SCORE], weights=leic[POP22]))
    assert round(d.loc["E06000016", "average_score"], 3) == 34.449
    # proportion in the most deprived 10%: ranked among all 296 districts, recomputed from the England file
    eng = pd.read_csv(mirror / ENGLAND_2025, encoding="utf-8-sig")
    prop = eng.assign(d1=eng[IMD_DECILE] == 1).groupby(LAD24)["d1"].mean()
    rank = prop.rank(method="min", ascending=False).astype(int)
    assert (d["rank_prop_lsoas_most_deprived_10"].astype(int) == rank.reindex(d.index)).all()
    assert d.loc["E06000016", "prop_lsoas_most_deprived_10"] == pytest.approx(40 / 200)
    assert d.loc["E06000016", "rank_prop_lsoas_most_deprived_10"] == 38
    # IDACI / IDAOPI: LLR LSOAs only offline, so LLR areas only and no ranks at all
    ida = summaries[(summaries["edition"] == "IoD2025") & (summaries["index_id"] == "idaci")]
    assert sorted(ida.loc[ida["area_level"] == "upper_tier", "area_code"]) == ["E06000016", "E06000017", "E10000018"]
    assert ida[[f"rank_{m}" for m in MEASURES]].isna().all().all()
    assert not dep_summaries.national_ranks_available(summaries, "IoD2025")["average_score"]
    assert all(dep_summaries.national_ranks_available(summaries, "IoD2019").values())


def test_valid_change_matches_the_raw_files(data, mirror, raw2019):
    moves, n_all = dep_change.valid_change(data, "leicestershire")
    lk = pd.read_csv(mirror / LSOA_LOOKUP)
    u = lk[(lk["CHGIND"] == "U") & lk["LAD22CD"].isin(LEICS)]
    eng = pd.read_csv(mirror / ENGLAND_2025, encoding="utf-8-sig")
    m = u.merge(raw2019[["LSOA code (2011)", IMD_DECILE]], left_on="LSOA11CD", right_on="LSOA code (2011)").merge(
        eng[["LSOA code (2021)", IMD_DECILE]],
        left_on="LSOA21CD",
        right_on="LSOA code (2021)",
        suffixes=("_2019", "_2025"),
    )
    change = m[f"{IMD_DECILE}_2025"] - m[f"{IMD_DECILE}_2019"]
    s = dep_change.movement_summary(moves)
    assert n_all == 408 and s["lsoas_compared"] == len(u) == 384
    assert (
        (s["more_deprived_decile"], s["same_decile"], s["less_deprived_decile"])
        == ((change < 0).sum(), (change == 0).sum(), (change > 0).sum())
        == (135, 178, 71)
    )
    assert (s["decile1_old"], s["decile1_new"], s["decile1_both"]) == (4, 3, 3)


# ----------------------------------------------------------------- headlines


def test_headlines(processed_project, mirror):
    h = dep_headlines.headlines(processed_project)
    assert set(h["area_id"]) == {"leicester", "leicestershire", "rutland", "llr"}
    assert list(h.columns) == overview.HEADLINE_COLUMNS
    assert (h["topic"] == "deprivation").all()
    share = "LSOAs in England's most deprived 10% (IMD)"
    # issue 20 item 2: none of these has sampling error (a count of areas, shares of population
    # estimates, index scores and ranks): no interval and no better/similar/worse verdict anywhere
    assert (h["comparison"] == NOT_TESTED).all()
    assert h["lower_95"].isna().all() and h["upper_95"].isna().all()
    h = h.set_index(["area_id", "indicator"])
    assert h.loc[("rutland", share), "value"] == 0  # 0 of 26: none, said in words, never "similar"
    assert h.loc[("leicester", share), "value"] == pytest.approx(20.0)  # 40 of 200: twice England's 10%
    raw = pd.read_csv(mirror / FILE7_2025_LLR, encoding="utf-8-sig")
    eng = pd.read_csv(mirror / ENGLAND_2025, encoding="utf-8-sig")
    leics = raw[raw[LAD24].isin(LEICS)]
    assert h.loc[("leicestershire", share), "value"] == pytest.approx(100 * (leics[IMD_DECILE] == 1).mean())
    assert h.loc[("leicestershire", share), "value"] == pytest.approx(100 * 3 / 408)
    assert h.loc[("llr", share), "value"] == pytest.approx(100 * (raw[IMD_DECILE] == 1).sum() / len(raw))
    assert h.loc[("leicestershire", share), "england_value"] == pytest.approx(100 * (eng[IMD_DECILE] == 1).mean())
    score = "Average IMD score (population-weighted)"
    assert h.loc[("llr", score), "value"] == pytest.approx(np.average(raw[IMD_SCORE], weights=raw[POP22]))
    assert h.loc[("leicester", score), "unit"] == "score"
    assert np.isnan(h.loc[("leicester", score), "england_value"])  # no England-wide 2025 population
    rank = "National rank: average IMD score"
    assert h.loc[("leicester", rank), "value"] == 26 and h.loc[("leicester", rank), "period"] == "IoD2019"
    assert "151 counties and unitary authorities" in h.loc[("leicester", rank), "note"]
    prop_rank = "National rank: share of LSOAs in England's most deprived 10% (IMD)"
    assert h.loc[("leicestershire", prop_rank), "value"] == 121
    assert h.loc[("leicestershire", prop_rank), "period"] == "IoD2025"
    assert "(shared by" in h.loc[("rutland", prop_rank), "note"]  # Rutland has none: tied
    assert ("llr", rank) not in h.index
    assert h.loc[("rutland", share), "href"] == "deprivation/rutland.ipynb"
    assert h.loc[("llr", share), "href"] == "deprivation/leicester.ipynb"


# ----------------------------------------------------------------- the built page


def test_page_prints_the_llr_authority_ranks(built_site):
    site, _ = built_site
    html = (site / "deprivation" / "leicester.html").read_text()
    assert "IMD summary measures: national ranks of every LLR authority, IoD2019" in html
    assert "need population figures for every small area in England, which this site has for the 634 LSOAs" in html
    assert (
        "in the full IoD2025 File 7, which <code>llr fetch</code>" in html
        or "full IoD2025 File 7, which `llr fetch`" in html
    )
    ranks = pd.read_csv(site / "deprivation" / "leicester-data" / "llr-authority-ranks-iod2019.csv")
    row = ranks[
        (ranks["area_code"] == "E06000016")
        & (ranks["area_level"] == "district")
        & (ranks["measure"] == "average_score")
    ].iloc[0]
    assert row["national_rank"] == 32 and round(row["value"], 3) == 30.877 and row["n_areas"] == 317
    moves = pd.read_csv(site / "deprivation" / "leicestershire-data" / "decile-movement-summary.csv")
    assert moves.set_index("indicator").loc["Moved to a more deprived national decile", "value"] == 135
