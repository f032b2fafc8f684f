"""Tests for llr_analysis.stats.imd_measures (MHCLG local authority summary measures).

Hand-computed examples use a toy "England" of N = 100 LSOAs, so that an LSOA's national
percentile equals its rank (p = ceil(100 * rank / 100) = rank) and the arithmetic is easy
to follow. The reference tests at the bottom recompute IoD2019 File 10 from the offline
mirror of File 7 and compare with published values.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from llr_analysis.stats.imd_measures import (
    MEASURES,
    N_LSOAS_IOD2019,
    average_rank,
    average_score,
    extent,
    extent_weight,
    local_concentration,
    proportion_most_deprived_10,
    rank_areas,
    summary_measures,
)

N = 100  # toy England: percentile == rank
KW = dict(score_col="score", rank_col="rank", population_col="pop", n_lsoas_national=N)


def toy() -> pd.DataFrame:
    """Three areas; rows deliberately not sorted by area or rank."""
    return pd.DataFrame(
        [
            # area, rank, score, pop
            ("A", 30, 20.0, 300),
            ("B", 40, 5.0, 850),
            ("A", 5, 50.0, 100),
            ("C", 60, 8.0, 500),
            ("A", 31, 10.0, 400),
            ("B", 7, 30.0, 100),
            ("A", 11, 40.0, 200),
            ("C", 20, 25.0, 500),
            ("B", 2, 60.0, 50),
        ],
        columns=["area", "rank", "score", "pop"],
    )


# ----------------------------------------------------------------- hand-computed values


def test_average_score_is_population_weighted():
    out = summary_measures(toy(), "area", **KW)
    # A: (50*100 + 40*200 + 20*300 + 10*400) / 1000 = (5000 + 8000 + 6000 + 4000) / 1000 = 23.0
    assert out.loc["A", "average_score"] == pytest.approx(23.0)
    # B: (60*50 + 30*100 + 5*850) / 1000 = (3000 + 3000 + 4250) / 1000 = 10.25
    assert out.loc["B", "average_score"] == pytest.approx(10.25)
    # C: (25*500 + 8*500) / 1000 = 16.5
    assert out.loc["C", "average_score"] == pytest.approx(16.5)
    assert out.loc["A", "population"] == 1000 and out.loc["A", "n_lsoas"] == 4


def test_average_rank_uses_reversed_ranks_higher_is_more_deprived():
    out = summary_measures(toy(), "area", **KW)
    # Reversed rank N + 1 - r = 101 - r. A: ranks 5, 11, 30, 31 -> 96, 90, 71, 70.
    # (96*100 + 90*200 + 71*300 + 70*400) / 1000 = (9600 + 18000 + 21300 + 28000) / 1000 = 76.9
    # (equivalently 101 - mean original rank = 101 - (500 + 2200 + 9000 + 12400)/1000 = 101 - 24.1)
    assert out.loc["A", "average_rank"] == pytest.approx(76.9)
    # B: ranks 2, 7, 40 -> 99, 94, 61: (99*50 + 94*100 + 61*850) / 1000 = (4950 + 9400 + 51850)/1000 = 66.2
    assert out.loc["B", "average_rank"] == pytest.approx(66.2)
    # C: ranks 20, 60 -> 81, 41: (81*500 + 41*500) / 1000 = 61.0
    assert out.loc["C", "average_rank"] == pytest.approx(61.0)


def test_proportion_in_most_deprived_10_percent_threshold():
    out = summary_measures(toy(), "area", **KW)
    # Most deprived 10% of N = 100: rank <= 10.
    # A: ranks 5, 11, 30, 31 -> only 5 -> 1/4 (rank 11 is the 11th percentile: outside)
    assert out.loc["A", "prop_lsoas_most_deprived_10"] == pytest.approx(0.25)
    # B: ranks 2, 7, 40 -> 2/3 (a count of LSOAs, not population-weighted)
    assert out.loc["B", "prop_lsoas_most_deprived_10"] == pytest.approx(2 / 3)
    # C: ranks 20, 60 -> 0
    assert out.loc["C", "prop_lsoas_most_deprived_10"] == 0.0


def test_proportion_threshold_is_national_decile_one_for_iod2019():
    # N = 32,844: N/10 = 3,284.4, so ranks 1..3,284 are the most deprived 10% (decile 1).
    df = pd.DataFrame({"area": ["X", "X"], "rank": [3284, 3285]})
    prop = proportion_most_deprived_10(df, "area", rank_col="rank", n_lsoas_national=N_LSOAS_IOD2019)
    assert prop["X"] == 0.5


def test_extent_weight_sliding_scale():
    # Percentile = rank when N = 100. 1.0 up to the 10th percentile, 0.95 at the 11th,
    # minus (0.95 - 0.05)/19 = 0.047368... per percentile, 0.05 at the 30th, 0 from the 31st.
    w = extent_weight([1, 10, 11, 12, 20, 29, 30, 31, 100], N)
    step = 0.9 / 19
    expected = [1.0, 1.0, 0.95, 0.95 - step, 0.95 - 9 * step, 0.05 + step, 0.05, 0.0, 0.0]
    np.testing.assert_allclose(w, expected)
    assert 0.95 - 9 * step == pytest.approx(0.523684, abs=1e-6)  # 20th percentile


def test_extent_weight_percentile_boundaries_iod2019():
    # p = ceil(100 * rank / 32,844):
    #   3,284 -> ceil(9.9988)  = 10 -> 1.0      3,285 -> ceil(10.0018) = 11 -> 0.95
    #   6,568 -> ceil(19.9976) = 20 -> 0.5237   9,853 -> ceil(29.9994) = 30 -> 0.05
    #   9,854 -> ceil(30.0024) = 31 -> 0
    w = extent_weight([3284, 3285, 6568, 9853, 9854], N_LSOAS_IOD2019)
    np.testing.assert_allclose(w, [1.0, 0.95, 0.95 - 9 * 0.9 / 19, 0.05, 0.0])


def test_extent_hand_computed():
    out = summary_measures(toy(), "area", **KW)
    # A: weights rank 5 -> 1.0, 11 -> 0.95, 30 -> 0.05, 31 -> 0
    #    (1.0*100 + 0.95*200 + 0.05*300 + 0*400) / 1000 = (100 + 190 + 15) / 1000 = 0.305
    assert out.loc["A", "extent"] == pytest.approx(0.305)
    # B: ranks 2, 7 -> 1.0; 40 -> 0: (50 + 100) / 1000 = 0.15
    assert out.loc["B", "extent"] == pytest.approx(0.15)
    # C: rank 20 -> 0.95 - 9*0.9/19 = 0.5236842; 60 -> 0: 0.5236842 * 500 / 1000 = 0.2618421
    assert out.loc["C", "extent"] == pytest.approx((0.95 - 9 * 0.9 / 19) * 0.5)


def test_local_concentration_straddling_lsoa_counts_partially():
    out = summary_measures(toy(), "area", **KW)
    # B: population 1000, 10% = 100. Most deprived first: rank 2 (pop 50) fully -> 50 so far;
    #    rank 7 (pop 100) straddles the 10% point: only 50 of its 100 people count; rank 40: 0.
    #    Reversed ranks 99 and 94: (99*50 + 94*50) / 100 = (4950 + 4700) / 100 = 96.5
    assert out.loc["B", "local_concentration"] == pytest.approx(96.5)
    # A: 10% = 100 = exactly the population of its most deprived LSOA (rank 5 -> 96): 96.0
    assert out.loc["A", "local_concentration"] == pytest.approx(96.0)
    # C: the most deprived LSOA alone (rank 20, pop 500) holds more than 10% (100):
    #    only 100 of its people count -> 101 - 20 = 81
    assert out.loc["C", "local_concentration"] == pytest.approx(81.0)


def test_local_concentration_many_lsoas_before_the_straddle():
    df = pd.DataFrame(
        {
            "area": ["Z"] * 5,
            "rank": [50, 10, 30, 20, 40],
            "pop": [200, 40, 100, 30, 630],
        }
    )
    # Total 1000 -> 10% = 100. Sorted most deprived first: rank 10 (40), 20 (30), 30 (100), ...
    # cumulative before each: 0, 40, 70 -> counted 40, 30, then 30 of rank 30's 100, then 0.
    # (91*40 + 81*30 + 71*30) / 100 = (3640 + 2430 + 2130) / 100 = 82.0
    lc = local_concentration(df, "area", rank_col="rank", population_col="pop", n_lsoas_national=N)
    assert lc["Z"] == pytest.approx(82.0)


def test_helper_functions_match_summary_columns():
    df = toy()
    out = summary_measures(df, "area", **KW)
    pd.testing.assert_series_equal(
        average_score(df, "area", score_col="score", population_col="pop"),
        out["average_score"],
        check_names=False,
        check_index_type=False,
    )
    for fn, col in [(average_rank, "average_rank"), (extent, "extent"), (local_concentration, "local_concentration")]:
        got = fn(df, "area", rank_col="rank", population_col="pop", n_lsoas_national=N)
        pd.testing.assert_series_equal(got, out[col], check_names=False, check_index_type=False)
    got = proportion_most_deprived_10(df, "area", rank_col="rank", n_lsoas_national=N)
    pd.testing.assert_series_equal(got, out["prop_lsoas_most_deprived_10"], check_names=False, check_index_type=False)


# ----------------------------------------------------------------- ranks and direction


def test_rank_direction_one_is_most_deprived_for_every_measure():
    out = summary_measures(toy(), "area", **KW)
    # average_score    A 23.0  B 10.25  C 16.5   -> A 1, C 2, B 3
    # average_rank     A 76.9  B 66.2   C 61.0   -> A 1, B 2, C 3
    # prop 10%         A 0.25  B 0.667  C 0      -> B 1, A 2, C 3
    # extent           A 0.305 B 0.15   C 0.262  -> A 1, C 2, B 3
    # local conc.      A 96.0  B 96.5   C 81.0   -> B 1, A 2, C 3
    expected = {
        "average_score": {"A": 1, "B": 3, "C": 2},
        "average_rank": {"A": 1, "B": 2, "C": 3},
        "prop_lsoas_most_deprived_10": {"A": 2, "B": 1, "C": 3},
        "extent": {"A": 1, "B": 3, "C": 2},
        "local_concentration": {"A": 2, "B": 1, "C": 3},
    }
    for m in MEASURES:
        assert out[f"rank_{m}"].to_dict() == expected[m], m
        assert str(out[f"rank_{m}"].dtype) == "Int64"


def test_rank_ties_share_the_lowest_rank_and_missing_is_not_ranked():
    r = rank_areas(pd.Series([0.0, 0.3, 0.0, 0.1, np.nan], index=list("pqrst")))
    assert r.tolist()[:4] == [3, 1, 3, 2]
    assert r.isna().tolist() == [False, False, False, False, True]


def test_output_shape_and_columns():
    out = summary_measures(toy(), "area", **KW)
    assert out.index.name == "area"
    assert list(out.index) == ["A", "B", "C"]
    assert list(out.columns) == ["n_lsoas", "population", *MEASURES, *[f"rank_{m}" for m in MEASURES]]


def test_input_order_and_index_do_not_matter():
    df = toy()
    shuffled = df.sample(frac=1, random_state=3)
    shuffled.index = [f"row{i}" for i in range(len(shuffled))]
    pd.testing.assert_frame_equal(summary_measures(df, "area", **KW), summary_measures(shuffled, "area", **KW))


# ----------------------------------------------------------------- missing data and validation


def test_missing_population_makes_population_measures_nan_but_not_the_proportion():
    df = toy()
    df.loc[(df["area"] == "B") & (df["rank"] == 40), "pop"] = np.nan
    out = summary_measures(df, "area", **KW)
    assert np.isnan(out.loc["B", "population"])
    for col in ["average_score", "average_rank", "extent", "local_concentration"]:
        assert np.isnan(out.loc["B", col]), col
        assert pd.isna(out[f"rank_{col}"].loc["B"]), col
    # the count-based proportion is still 2 of 3 LSOAs, and B still takes rank 1 on it
    assert out.loc["B", "prop_lsoas_most_deprived_10"] == pytest.approx(2 / 3)
    assert out.loc["B", "rank_prop_lsoas_most_deprived_10"] == 1
    # the other areas are unaffected and ranked among themselves: A 23.0 > C 16.5
    assert out.loc["A", "average_score"] == pytest.approx(23.0)
    assert out["rank_average_score"].loc[["A", "C"]].tolist() == [1, 2]
    # missing population is never treated as zero: a zero would give B a number
    zero = toy()
    zero.loc[(zero["area"] == "B") & (zero["rank"] == 40), "pop"] = 0
    assert not np.isnan(summary_measures(zero, "area", **KW).loc["B", "average_score"])


def test_missing_score_only_blanks_the_average_score():
    df = toy()
    df.loc[(df["area"] == "C") & (df["rank"] == 60), "score"] = np.nan
    out = summary_measures(df, "area", **KW)
    assert np.isnan(out.loc["C", "average_score"])
    assert out.loc["C", "extent"] == pytest.approx((0.95 - 9 * 0.9 / 19) * 0.5)


def test_rows_without_a_group_are_left_out():
    df = toy()
    df.loc[len(df)] = [None, 1, 99.0, 10_000]
    out = summary_measures(df, "area", **KW)
    assert list(out.index) == ["A", "B", "C"]
    assert out.loc["A", "average_score"] == pytest.approx(23.0)


def test_subset_without_national_n_is_rejected():
    # 9 rows cannot be all of England when ranks go up to 60.
    with pytest.raises(ValueError, match="n_lsoas_national"):
        summary_measures(toy(), "area", score_col="score", rank_col="rank", population_col="pop")


@pytest.mark.parametrize("bad", [0, 101, 2.5, np.nan])
def test_bad_ranks_are_rejected(bad):
    df = toy()
    df["rank"] = df["rank"].astype("float64")
    df.loc[0, "rank"] = bad
    with pytest.raises(ValueError, match="rank"):
        summary_measures(df, "area", **KW)


def test_negative_population_and_missing_column_are_rejected():
    df = toy()
    df.loc[0, "pop"] = -1
    with pytest.raises(ValueError, match="negative"):
        summary_measures(df, "area", **KW)
    with pytest.raises(ValueError, match="not in the LSOA table"):
        summary_measures(toy(), "ward", **KW)


# Speed on all-England input is measured by benchmarks/benchmark.py, not asserted in a timed test.


# ----------------------------------------------------------------- reference: IoD2019 File 10

MIRROR = Path(os.environ.get("LLR_MIRROR", Path(__file__).resolve().parents[2] / "shared" / "data" / "raw-mirror"))
FILE7 = MIRROR / "imd_2019" / "File_7_-_All_IoD2019_Scores__Ranks__Deciles_and_Population_Denominators_3.csv"
LAD = "Local Authority District code (2019)"
IMD_KW = dict(
    score_col="Index of Multiple Deprivation (IMD) Score",
    rank_col="Index of Multiple Deprivation (IMD) Rank (where 1 is most deprived)",
    population_col="Total population: mid 2015 (excluding prisoners)",
)
DECILE = "Index of Multiple Deprivation (IMD) Decile (where 1 is most deprived 10% of LSOAs)"


def needs_mirror(test):
    """Mark a test as needing the raw-data mirror and skip it when File 7 is absent."""
    skip = pytest.mark.skipif(
        not FILE7.exists(),
        reason=f"IoD2019 File 7 not found at {FILE7} (set LLR_MIRROR to the raw-data mirror)",
    )
    return pytest.mark.mirror(skip(test))


# IoD2019 File 10 (Local Authority District Summaries, lower-tier), sheet "IMD", column
# "IMD - Average score", all 317 districts (2019 boundaries), 3 dp as published. Transcribed
# from rccreswell/spatialprevalence_dp_share@a342fdacce8ea189e4d444c1a5c9bd9fba507065
# data/processed/covariates/imd.csv, which is that column read from the official File 10
# workbook (data/raw/covariates/File_10_-_IoD2019_Local_Authority_District_Summaries__lower-tier__.xlsx
# in the same repo, via src/R/functions/function_create_imd_ltla.R).
PUBLISHED_AVERAGE_SCORE_TEXT = """
    E06000001=35.037 E06000002=40.46 E06000003=29.792 E06000004=25.79 E06000005=25.657 E06000006=32.325
    E06000007=18.942 E06000008=36.013 E06000009=45.039 E06000010=40.564 E06000011=15.605 E06000012=31.335
    E06000013=22.096 E06000014=11.727 E06000015=26.323 E06000016=30.877 E06000017=8.381 E06000018=34.891
    E06000019=18.89 E06000020=24.988 E06000021=34.504 E06000022=11.745 E06000023=26.363 E06000024=15.825
    E06000025=11.66 E06000026=26.619 E06000027=28.104 E06000030=18.622 E06000031=27.821 E06000032=25.908
    E06000033=22.375 E06000034=20.928 E06000035=23.936 E06000036=10.241 E06000037=9.952 E06000038=19.619
    E06000039=22.965 E06000040=8.376 E06000041=5.846 E06000042=17.98 E06000043=20.761 E06000044=26.899
    E06000045=26.876 E06000046=23.294 E06000047=26.793 E06000049=14.475 E06000050=18.083 E06000051=17.153
    E06000052=23.072 E06000053=12.005 E06000054=13.447 E06000055=18.932 E06000056=12.152 E06000057=22.079
    E06000058=18.173 E06000059=15.735 E07000004=11.183 E07000005=6.952 E07000006=9.481 E07000007=10.742
    E07000008=14.855 E07000009=11.507 E07000010=25.426 E07000011=12.55 E07000012=8.496 E07000026=22.938
    E07000027=31.117 E07000028=21.997 E07000029=25.012 E07000030=16.328 E07000031=12.501 E07000032=17.97
    E07000033=25.047 E07000034=24.926 E07000035=11.895 E07000036=18.818 E07000037=15.642 E07000038=17.399
    E07000039=14.494 E07000040=12.764 E07000041=16.215 E07000042=16.928 E07000043=20.559 E07000044=13.724
    E07000045=15.893 E07000046=23.269 E07000047=18.052 E07000061=22.11 E07000062=34.281 E07000063=15.758
    E07000064=19.768 E07000065=12.311 E07000066=23.243 E07000067=14.723 E07000068=10.007 E07000069=16.842
    E07000070=12.221 E07000071=16.778 E07000072=15.068 E07000073=21.413 E07000074=14.169 E07000075=10.449
    E07000076=30.484 E07000077=9.258 E07000078=14.26 E07000079=11.061 E07000080=18.013 E07000081=21.807
    E07000082=10.797 E07000083=12.142 E07000084=12.823 E07000085=10.284 E07000086=10.192 E07000087=9.019
    E07000088=20.541 E07000089=5.544 E07000090=21.806 E07000091=13.015 E07000092=15.903 E07000093=11.931
    E07000094=9.615 E07000095=17.989 E07000096=13.004 E07000098=13.938 E07000099=11.627 E07000102=9.871
    E07000103=15.41 E07000105=18.546 E07000106=16.798 E07000107=18.812 E07000108=22.161 E07000109=21.414
    E07000110=16.503 E07000111=12.437 E07000112=24.149 E07000113=27.076 E07000114=31.314 E07000115=13.333
    E07000116=11.31 E07000117=37.793 E07000118=16.863 E07000119=15.875 E07000120=34.333 E07000121=24.165
    E07000122=30.723 E07000123=29.531 E07000124=10.594 E07000125=24.062 E07000126=15.33 E07000127=18.645
    E07000128=20.858 E07000129=10.629 E07000130=13.238 E07000131=8.015 E07000132=13.461 E07000133=12.532
    E07000134=14.573 E07000135=12.958 E07000136=22.967 E07000137=29.892 E07000138=26.889 E07000139=11.553
    E07000140=17.896 E07000141=13.499 E07000142=20.355 E07000143=19.614 E07000144=11.817 E07000145=33.097
    E07000146=23.72 E07000147=21.058 E07000148=27.599 E07000149=13.318 E07000150=25.706 E07000151=13.184
    E07000152=13.897 E07000153=19.23 E07000154=23.358 E07000155=7.652 E07000156=21.676 E07000163=12.76
    E07000164=11.987 E07000165=10.897 E07000166=12.135 E07000167=15.665 E07000168=26.28 E07000169=12.73
    E07000170=26.308 E07000171=22.588 E07000172=14.238 E07000173=14.894 E07000174=28.503 E07000175=19.227
    E07000176=7.18 E07000177=14.41 E07000178=16.707 E07000179=8.459 E07000180=8.358 E07000181=8.684
    E07000187=16.6 E07000188=21.306 E07000189=17.347 E07000192=20.426 E07000193=19.028 E07000194=12.566
    E07000195=18.929 E07000196=13.124 E07000197=13.678 E07000198=15.04 E07000199=21.061 E07000200=14.267
    E07000202=25.89 E07000203=13.225 E07000207=7.944 E07000208=8.833 E07000209=9.395 E07000210=9.511
    E07000211=11.276 E07000212=12.012 E07000213=14.943 E07000214=8.066 E07000215=11.896 E07000216=7.494
    E07000217=10.804 E07000218=17.907 E07000219=23.54 E07000220=14.119 E07000221=11.728 E07000222=12.005
    E07000223=17.594 E07000224=18.638 E07000225=14.085 E07000226=18.94 E07000227=9.89 E07000228=7.747
    E07000229=17.012 E07000234=11.697 E07000235=16.066 E07000236=22.524 E07000237=20.414 E07000238=15.766
    E07000239=22.437 E07000240=8.339 E07000241=14.215 E07000242=8.188 E07000243=19.695 E07000244=19.56
    E07000245=16.245 E07000246=19.142 E08000001=30.691 E08000002=23.682 E08000003=40.005 E08000004=33.155
    E08000005=34.415 E08000006=34.21 E08000007=20.826 E08000008=31.374 E08000009=16.088 E08000010=25.713
    E08000011=43.006 E08000012=42.412 E08000013=31.518 E08000014=27.035 E08000015=29.589 E08000016=29.933
    E08000017=30.289 E08000018=29.55 E08000019=27.06 E08000021=29.79 E08000022=22.279 E08000023=31.509
    E08000024=30.586 E08000025=38.067 E08000026=25.613 E08000027=24.103 E08000028=34.884 E08000029=17.37
    E08000030=31.555 E08000031=32.102 E08000032=34.666 E08000033=26.351 E08000034=25.151 E08000035=27.301
    E08000036=27.306 E08000037=28.217 E09000001=14.72 E09000002=32.768 E09000003=16.148 E09000004=16.273
    E09000005=25.558 E09000006=14.163 E09000007=20.131 E09000008=22.477 E09000009=22.71 E09000010=25.781
    E09000011=24.464 E09000012=32.526 E09000013=22.27 E09000014=27.956 E09000015=15.031 E09000016=16.789
    E09000017=18.223 E09000018=21.487 E09000019=27.535 E09000020=21.526 E09000021=11.381 E09000022=25.422
    E09000023=26.661 E09000024=14.649 E09000025=29.577 E09000026=17.203 E09000027=9.425 E09000028=25.811
    E09000029=13.987 E09000030=27.913 E09000031=25.209 E09000032=16.611 E09000033=20.339
"""
PUBLISHED_AVERAGE_SCORE = {
    code: float(value) for code, value in (item.split("=") for item in PUBLISHED_AVERAGE_SCORE_TEXT.split())
}

# Published ranks among the 317 districts (1 = most deprived), IoD2019 File 10:
# * Top ten on "Rank of average score" and "Rank of average rank", and Manchester's rank on
#   every measure: Manchester City Council (Performance, Research & Intelligence),
#   "Indices of Deprivation 2019: a measure of Manchester's relative level of deprivation",
#   slide 2 ("Manchester is 6th on Rank of Average Score, 2nd on Rank of Average Rank and
#   Rank of Extent, 5th on Rank of % LSOAs in most deprived decile and 13th of Rank of Local
#   Concentration"; "43% of Manchester's LSOAs are in the most deprived 10% ... (122 out of 282)").
# * Blackpool: Blackpool JSNA, "Deprivation" (2019 index): most deprived of 317 on the average
#   rank, local concentration and average score measures; 6th highest proportion of LSOAs in
#   the most deprived 10% ("39 of 94 Blackpool LSOAs").
# * MHCLG, IoD2019 Statistical Release (26 September 2019), key findings: Middlesbrough,
#   Liverpool, Knowsley, Kingston upon Hull and Manchester have the highest proportions of
#   neighbourhoods in the most deprived decile; 61 per cent of districts contain at least one.
TOP10_AVERAGE_SCORE = [
    "E06000009",
    "E08000011",
    "E08000012",
    "E06000010",
    "E06000002",
    "E08000003",
    "E08000025",
    "E07000117",
    "E06000008",
    "E06000001",
]
# Blackpool, Knowsley, Liverpool, Hull, Middlesbrough, Manchester, Birmingham, Burnley,
# Blackburn with Darwen, Hartlepool
TOP10_AVERAGE_RANK = [
    "E06000009",
    "E08000003",
    "E08000011",
    "E08000012",
    "E09000002",
    "E08000025",
    "E09000012",
    "E08000028",
    "E06000010",
    "E06000018",
]
# Blackpool, Manchester, Knowsley, Liverpool, Barking and Dagenham, Birmingham, Hackney,
# Sandwell, Hull, Nottingham
TOP5_PROPORTION = ["E06000002", "E08000012", "E08000011", "E06000010", "E08000003"]
# Middlesbrough, Liverpool, Knowsley, Hull, Manchester
MANCHESTER = (
    "E08000003",
    {"average_score": 6, "average_rank": 2, "extent": 2, "prop_lsoas_most_deprived_10": 5, "local_concentration": 13},
)
BLACKPOOL = (
    "E06000009",
    {"average_score": 1, "average_rank": 1, "local_concentration": 1, "prop_lsoas_most_deprived_10": 6},
)


@pytest.fixture(scope="module")
def iod2019():
    lsoas = pd.read_csv(FILE7)
    return lsoas, summary_measures(lsoas, LAD, **IMD_KW)


@needs_mirror
def test_iod2019_districts_and_threshold_match_file7_deciles(iod2019):
    lsoas, out = iod2019
    assert len(lsoas) == N_LSOAS_IOD2019
    assert len(out) == 317 and len(PUBLISHED_AVERAGE_SCORE) == 317
    assert set(out.index) == set(PUBLISHED_AVERAGE_SCORE)
    # "most deprived 10%" (rank <= N/10) is exactly the published decile 1, LSOA by LSOA
    in_top10 = 10 * lsoas[IMD_KW["rank_col"]] <= N_LSOAS_IOD2019
    assert (in_top10 == (lsoas[DECILE] == 1)).all()
    assert out["n_lsoas"].sum() == N_LSOAS_IOD2019


@needs_mirror
def test_iod2019_average_score_matches_file10_for_all_317_districts(iod2019):
    _, out = iod2019
    published = pd.Series(PUBLISHED_AVERAGE_SCORE).reindex(out.index)
    # File 7 publishes LSOA scores to 3 dp while MHCLG averaged unrounded scores, so a
    # recomputed mean can land on the other side of a rounding boundary: require agreement
    # to within one unit of the 3rd decimal (largest difference seen: 0.00056).
    diff = (out["average_score"] - published).abs()
    assert diff.max() < 1e-3, diff.sort_values().tail()
    # LLR and the headline districts agree exactly at 3 dp
    for code, value in {"E06000016": 30.877, "E06000017": 8.381, "E06000009": 45.039, "E06000002": 40.460}.items():
        assert round(out.loc[code, "average_score"], 3) == value, code
    # Rank of average score agrees with the published scores: each district's rank lies in
    # the block of ranks its published (rounded) score occupies.
    lo = published.rank(method="min", ascending=False)
    hi = published.rank(method="max", ascending=False)
    rank = out["rank_average_score"].astype(float)
    assert ((rank >= lo) & (rank <= hi)).all()


@needs_mirror
def test_iod2019_published_ranks(iod2019):
    _, out = iod2019
    assert out.sort_values("rank_average_score").index[:10].tolist() == TOP10_AVERAGE_SCORE
    assert out["rank_average_score"].loc[TOP10_AVERAGE_SCORE].tolist() == list(range(1, 11))
    assert out.sort_values("rank_average_rank").index[:10].tolist() == TOP10_AVERAGE_RANK
    assert out["rank_average_rank"].loc[TOP10_AVERAGE_RANK].tolist() == list(range(1, 11))
    assert out["rank_prop_lsoas_most_deprived_10"].loc[TOP5_PROPORTION].tolist() == [1, 2, 3, 4, 5]
    for code, ranks in (MANCHESTER, BLACKPOOL):
        for measure, rank in ranks.items():
            assert out.loc[code, f"rank_{measure}"] == rank, (code, measure)
    # published counts behind the proportions
    assert out.loc["E06000009", "prop_lsoas_most_deprived_10"] == pytest.approx(39 / 94)
    assert out.loc["E08000003", "prop_lsoas_most_deprived_10"] == pytest.approx(122 / 282)
    # "61 per cent of local authority districts contain at least one of the most deprived
    # neighbourhoods" (194 of 317)
    assert round(100 * (out["prop_lsoas_most_deprived_10"] > 0).mean()) == 61


@needs_mirror
def test_iod2019_llr_subset_with_national_n_equals_england_run(iod2019):
    lsoas, out = iod2019
    llr_codes = ["E06000016", "E06000017"] + [f"E07000{c}" for c in range(129, 136)]
    llr = lsoas[lsoas[LAD].isin(llr_codes)]
    sub = summary_measures(llr, LAD, **IMD_KW, n_lsoas_national=N_LSOAS_IOD2019)
    cols = ["n_lsoas", "population", *MEASURES]
    pd.testing.assert_frame_equal(sub[cols], out.loc[sorted(llr_codes), cols])
    # ... but ranks in the subset are among the 9 LLR districts only: Leicester is 1st
    assert sub.loc["E06000016", "rank_average_score"] == 1
    with pytest.raises(ValueError, match="n_lsoas_national"):
        summary_measures(llr, LAD, **IMD_KW)
