"""Tests for llr_analysis.stats.life_expectancy.

Reference values: ``tests/testthat/testLifeExpectancy.R`` in the UKHSA/OHID R
package PHEindicatormethods (repository ukhsa-collaboration/PHEindicatormethods,
GPL-3). Its data frame ``df1`` (deaths and populations in the 20 standard age
bands) and expected output ``answer1`` (life expectancy and 95% limits at every
age band, to 8-10 significant figures) are typed in below, as are the invalid
data frames used for the "outputs suppressed to NAs" checks.

Tolerances: values agree to 1e-8 years. The R test compares limits after
rounding to 4 decimal places; ``answer1``'s limits were made with z = 1.96
(PHE's Excel calculator) rather than z = 1.959964 (R's ``qnorm``, used by the
package and by us), which moves them by about 5e-6 years, so limits are
checked to 1e-5 years.

The local fixture LE_testdata.csv (Sex, GeoCode, Decile, Pop, Deaths, LifeExp,
SE) holds life expectancies already calculated per deprivation decile - it is
PHEindicatormethods' test input for the slope index of inequality, not
age-band deaths and populations - so it cannot test the life table.
"""

import math

import numpy as np
import pandas as pd
import pytest

from llr_analysis.stats import (
    abridged_life_table,
    life_expectancy,
    life_expectancy_by_group,
)
from llr_analysis.stats.life_expectancy import STANDARD_AGE_BANDS, SUPPRESSED_REASON

AGES = [0, 1, 5, 10, 15, 20, 25, 30, 35, 40, 45, 50, 55, 60, 65, 70, 75, 80, 85, 90]
# df1 in testLifeExpectancy.R
POPS = [
    7060,
    35059,
    46974,
    48489,
    43219,
    38561,
    46009,
    57208,
    61435,
    55601,
    50209,
    56416,
    46411,
    39820,
    37978,
    37039,
    33288,
    23306,
    11936,
    11936,
]
DEATHS = [17, 9, 4, 8, 20, 15, 24, 33, 50, 71, 100, 163, 263, 304, 536, 872, 1390, 1605, 1936, 1937]

# answer1 in testLifeExpectancy.R: life expectancy at each age band and its 95% limits
ANSWER_VALUE = [
    80.16960813,
    79.36245674,
    75.44193645,
    70.47299936,
    65.52909542,
    60.67510088,
    55.78835987,
    50.92752727,
    46.06740425,
    41.24505636,
    36.49322717,
    31.83343842,
    27.26027992,
    22.9719144,
    18.76856852,
    14.95858336,
    11.51684445,
    8.618849241,
    6.163942934,
    6.16210635,
]
ANSWER_LOWER = [
    79.88268548,
    79.0898816,
    75.17407307,
    70.20675732,
    65.26548673,
    60.41876577,
    55.53801579,
    50.68279939,
    45.82666794,
    41.00842831,
    36.26223216,
    31.60996318,
    27.04337271,
    22.76653134,
    18.57570352,
    14.77985004,
    11.34831778,
    8.451134045,
    5.978358351,
    5.887683386,
]
ANSWER_UPPER = [
    80.45653078,
    79.63503188,
    75.70979983,
    70.7392414,
    65.79270412,
    60.931436,
    56.03870395,
    51.17225516,
    46.30814055,
    41.48168441,
    36.72422219,
    32.05691365,
    27.47718713,
    23.17729746,
    18.96143352,
    15.13731667,
    11.68537112,
    8.786564437,
    6.349527517,
    6.436529314,
]

VALUE_TOL = 1e-8
LIMIT_TOL = 1e-5


def _with(values, position, new):
    out = list(values)
    out[position] = new
    return out


# ---------------------------------------------------------------------------
# Published reference values
# ---------------------------------------------------------------------------


def test_life_expectancy_at_birth_matches_phe_life_expectancy():
    result = life_expectancy(DEATHS, POPS, AGES)
    assert result.reason is None
    assert result.value == pytest.approx(ANSWER_VALUE[0], abs=VALUE_TOL)
    assert result.lower95 == pytest.approx(ANSWER_LOWER[0], abs=LIMIT_TOL)
    assert result.upper95 == pytest.approx(ANSWER_UPPER[0], abs=LIMIT_TOL)


@pytest.mark.parametrize("i, age", list(enumerate(AGES)))
def test_life_expectancy_at_every_age_matches_phe_life_expectancy(i, age):
    # R: phe_life_expectancy(df1, deaths, pops, startage, le_age = age)
    result = life_expectancy(DEATHS, POPS, AGES, start_age=age)
    assert result.start_age == age
    assert result.value == pytest.approx(ANSWER_VALUE[i], abs=VALUE_TOL)
    assert result.lower95 == pytest.approx(ANSWER_LOWER[i], abs=LIMIT_TOL)
    assert result.upper95 == pytest.approx(ANSWER_UPPER[i], abs=LIMIT_TOL)


def test_life_expectancy_at_65_from_65_plus_bands_only():
    # Starting the table at 65 gives the value the full table gives at 65 (answer1 row 15).
    result = life_expectancy(DEATHS[14:], POPS[14:], AGES[14:], start_age=65)
    assert result.value == pytest.approx(ANSWER_VALUE[14], abs=VALUE_TOL)
    assert result.lower95 == pytest.approx(ANSWER_LOWER[14], abs=LIMIT_TOL)


def test_age_bands_in_any_order_and_as_labels():
    # df2 / df3 in testLifeExpectancy.R: bands out of order, and text labels with en dashes
    order = np.random.default_rng(1).permutation(20)
    result = life_expectancy(np.array(DEATHS)[order], np.array(POPS)[order], np.array(AGES)[order])
    assert result.value == pytest.approx(ANSWER_VALUE[0], abs=VALUE_TOL)
    labels = ["0", "1-4", "5-9"] + [f"{a} \u2013 {a + 4}" for a in AGES[3:-1]] + ["90 +"]
    result = life_expectancy(DEATHS[::-1], POPS[::-1], labels[::-1])
    assert result.value == pytest.approx(ANSWER_VALUE[0], abs=VALUE_TOL)


def test_abridged_life_table_e_column_matches_answer1():
    table = abridged_life_table(DEATHS, POPS, AGES)
    assert list(table["age_band"])[:3] == ["0", "1-4", "5-9"] and table["age_band"].iloc[-1] == "90+"
    assert table["e"].to_numpy() == pytest.approx(ANSWER_VALUE, abs=VALUE_TOL)
    assert table["l"].iloc[0] == 100_000


# ---------------------------------------------------------------------------
# Hand-computed checks of the formulas (Chiang II with Silcocks' 90+ variance)
# ---------------------------------------------------------------------------


def test_hand_computed_open_90_plus_band():
    # For the 90+ band alone: e = L/l = (l/M)/l = P/D, and
    # Var = (l/2)^2 * 4/(D M^2) / l^2 = 1/(D M^2), so SE = P / (D sqrt(D)).
    d, p = 1937, 11936
    e = p / d
    se = p / (d * math.sqrt(d))
    result = life_expectancy([d], [p], [90], start_age=90)
    assert result.value == pytest.approx(e, rel=1e-12)
    assert result.standard_error == pytest.approx(se, rel=1e-12)
    assert e == pytest.approx(ANSWER_VALUE[-1], abs=VALUE_TOL)
    assert e - 1.96 * se == pytest.approx(ANSWER_LOWER[-1], abs=1e-8)  # answer1 used z = 1.96


def test_hand_computed_85_to_89_band():
    d85, p85, d90, p90 = 1936, 11936, 1937, 11936
    n, a = 5, 0.5
    m85, m90 = d85 / p85, d90 / p90
    q85 = n * m85 / (1 + n * m85 * (1 - a))
    l85 = 100_000
    l90 = l85 * (1 - q85)
    big_l85 = n * (l90 + a * (l85 - l90))  # person-years lived in 85-89
    big_l90 = l90 / m90  # person-years lived in 90+
    e85 = (big_l85 + big_l90) / l85
    e90 = big_l90 / l90
    w85 = q85**2 * (1 - q85) / d85 * l85**2 * ((1 - a) * n + e90) ** 2
    w90 = (l90 / 2) ** 2 * 4 / (d90 * m90**2)
    se85 = math.sqrt((w85 + w90) / l85**2)

    result = life_expectancy([d85, d90], [p85, p90], [85, 90], start_age=85)
    assert result.value == pytest.approx(e85, rel=1e-12)
    assert result.standard_error == pytest.approx(se85, rel=1e-12)
    assert e85 == pytest.approx(ANSWER_VALUE[18], abs=VALUE_TOL)
    assert e85 + 1.96 * se85 == pytest.approx(ANSWER_UPPER[18], abs=1e-8)


# ---------------------------------------------------------------------------
# Result object and confidence levels
# ---------------------------------------------------------------------------


def test_result_has_95_and_99_8_limits_by_default():
    result = life_expectancy(DEATHS, POPS, AGES)
    z998 = 3.090232306167813
    assert result.lower99_8 == pytest.approx(result.value - z998 * result.standard_error, rel=1e-12)
    assert result.lower99_8 < result.lower95 < result.value < result.upper95 < result.upper99_8
    as_dict = result.to_dict()
    for key in ("value", "lower95", "upper95", "lower99_8", "upper99_8", "standard_error", "reason"):
        assert key in as_dict
    assert as_dict["reason"] is None


def test_single_confidence_level():
    result = life_expectancy(DEATHS, POPS, AGES, confidence=0.9)
    assert set(result.limits) == {0.9}
    assert result.to_dict()["lower90"] == result.lower(0.9) == result.lower(90)
    assert np.isnan(result.lower95)


# ---------------------------------------------------------------------------
# OHID rules: not calculated (NaN with a reason) and suppressed
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "deaths, pops, reason",
    [
        # df_neg_deaths: -5 deaths at 10-14
        (_with(DEATHS, 3, -5), POPS, "negative deaths"),
        # df_zero_pop: population 0 at 20-24
        (DEATHS, _with(POPS, 5, 0), "population of zero or less"),
        # df_deaths_greater_pops: population 119 at 85-89 with 1936 deaths
        (DEATHS, _with(POPS, 18, 119), "more deaths than population"),
        # df_low_pops: total population 2,859
        (
            [58, 93, 78, 94, 59, 71, 80, 73, 69, 72, 91, 69, 78, 71, 54, 91, 82, 53, 50, 84],
            [128, 152, 120, 176, 194, 180, 145, 149, 107, 185, 165, 109, 100, 122, 133, 189, 123, 121, 147, 138],
            "total population is 5,000 or less",
        ),
        # no deaths at 90+: M = 0, so the person-years lived in 90+ are infinite
        (_with(DEATHS, 19, 0), POPS, "no deaths in the 90+ age band"),
        (_with(DEATHS, 7, np.nan), POPS, "missing"),
    ],
)
def test_not_calculated_rules(deaths, pops, reason):
    result = life_expectancy(deaths, pops, AGES)
    assert np.isnan(result.value)
    assert np.isnan(result.lower95) and np.isnan(result.upper99_8)
    assert reason in result.reason


def test_missing_age_band_is_not_calculated():
    # df_missing_age: no 90+ band
    result = life_expectancy(DEATHS[:-1], POPS[:-1], AGES[:-1])
    assert np.isnan(result.value)
    assert result.reason == "age bands missing: 90+"


def test_total_population_boundary_is_5000():
    pops = [250] * 20  # total exactly 5,000 -> not calculated
    deaths = [1] * 19 + [20]
    assert life_expectancy(deaths, pops, AGES).reason == "total population is 5,000 or less"
    pops[0] = 251  # 5,001 -> calculated
    result = life_expectancy(deaths, pops, AGES)
    assert result.reason is None and not np.isnan(result.value)


def test_value_suppressed_when_95_percent_interval_wider_than_20_years():
    # df1 scaled down to 1% (total population 7,879): still calculated, CI about 4.8 years wide.
    pops = [round(p * 0.01) for p in POPS]
    deaths = [round(d * 0.01) for d in DEATHS]
    calculated = life_expectancy(deaths, pops, AGES)
    assert calculated.reason is None
    assert 0 < calculated.upper95 - calculated.lower95 < 20

    # Now only 1 death among 60 people aged 90+: e_90 = 60 years with SE = 60 years
    # (see the hand-computed 90+ test), so the interval at birth is about 45 years wide.
    pops[-1], deaths[-1] = 60, 1
    result = life_expectancy(deaths, pops, AGES)
    assert np.isnan(result.value)
    assert result.reason == SUPPRESSED_REASON
    assert result.upper95 - result.lower95 > 20  # limits are still reported, as OHID does
    assert not np.isnan(result.standard_error)


# ---------------------------------------------------------------------------
# Invalid input
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"age_bands_start": AGES[:-1] + [95]}, "unknown age band"),
        ({"age_bands_start": AGES[:-1] + [85]}, "more than once"),
        ({"deaths": DEATHS[:-1]}, "same length"),
        ({"start_age": 66}, "start_age"),
        ({"confidence": (0.95, 0.95)}, "different"),
        ({"confidence": 2}, "confidence"),
    ],
)
def test_invalid_input_raises(kwargs, message):
    args = {"deaths": DEATHS, "population": POPS, "age_bands_start": AGES}
    args.update(kwargs)
    with pytest.raises(ValueError, match=message):
        life_expectancy(**args)


# ---------------------------------------------------------------------------
# Grouped helper
# ---------------------------------------------------------------------------


def _tidy(area, deaths, pops, ages=AGES, sex="Female"):
    return pd.DataFrame({"area": area, "sex": sex, "age_band": ages, "deaths": deaths, "population": pops})


def test_grouped_matches_single_calls_and_r_grouped_test():
    # df_grouped_with_warnings in testLifeExpectancy.R (note "Good data" there uses
    # 43,219 rather than 38,561 for ages 20-24, so it is not answer1).
    good_pops = _with(POPS, 5, 43219)
    frames = [
        _tidy("Good data", DEATHS, good_pops),
        _tidy("Negative deaths", _with(DEATHS, 2, -2), good_pops),
        _tidy("Negative pops", DEATHS, _with(good_pops, 3, -10)),
        _tidy("Deaths more than pops", _with(DEATHS, 5, 50000), good_pops),
        _tidy("Low pops", DEATHS[:10] + [80] * 10, [100] * 20),
        _tidy("Missing age band", DEATHS[:-1], good_pops[:-1], ages=AGES[:-1]),
        _tidy("answer1", DEATHS, POPS, sex="Male"),
    ]
    data = pd.concat(frames, ignore_index=True).sample(frac=1, random_state=3)  # any row order

    out = life_expectancy_by_group(data, by=["area", "sex"])
    assert len(out) == 7
    assert list(out.columns) == [
        "area",
        "sex",
        "value",
        "lower95",
        "upper95",
        "lower99_8",
        "upper99_8",
        "standard_error",
        "start_age",
        "reason",
    ]
    out = out.set_index("area")

    single = life_expectancy(DEATHS, good_pops, AGES)
    assert out.loc["Good data", "value"] == pytest.approx(single.value, rel=1e-12)
    assert out.loc["Good data", "upper99_8"] == pytest.approx(single.upper99_8, rel=1e-12)
    assert out.loc["Good data", "reason"] is None
    assert out.loc["answer1", "value"] == pytest.approx(ANSWER_VALUE[0], abs=VALUE_TOL)
    assert out.loc["answer1", "lower95"] == pytest.approx(ANSWER_LOWER[0], abs=LIMIT_TOL)

    expected_reasons = {
        "Negative deaths": "some age bands have negative deaths",
        "Negative pops": "some age bands have a population of zero or less",
        "Deaths more than pops": "some age bands have more deaths than population",
        "Low pops": "total population is 5,000 or less",
        "Missing age band": "some age bands are missing",
    }
    for area, reason in expected_reasons.items():
        assert np.isnan(out.loc[area, "value"]), area
        assert np.isnan(out.loc[area, "lower95"]), area
        assert out.loc[area, "reason"] == reason


def test_grouped_life_expectancy_at_65_and_single_group():
    data = _tidy("E06000016", DEATHS, POPS)
    out = life_expectancy_by_group(data, by="area", start_age=65, confidence=0.95)
    assert list(out.columns) == ["area", "value", "lower95", "upper95", "standard_error", "start_age", "reason"]
    assert out["value"].iloc[0] == pytest.approx(ANSWER_VALUE[14], abs=VALUE_TOL)
    whole = life_expectancy_by_group(data, by=[])
    assert whole["value"].iloc[0] == pytest.approx(ANSWER_VALUE[0], abs=VALUE_TOL)


def test_grouped_is_vectorised_over_many_groups():
    rng = np.random.default_rng(7)
    n_groups = 3000
    pops = rng.integers(2000, 8000, size=(n_groups, 20))
    rates = np.array(DEATHS) / np.array(POPS)
    deaths = rng.poisson(pops * rates)
    data = pd.DataFrame(
        {
            "area": np.repeat(np.arange(n_groups), 20),
            "age_band": np.tile(STANDARD_AGE_BANDS, n_groups),
            "deaths": deaths.ravel(),
            "population": pops.ravel(),
        }
    )
    out = life_expectancy_by_group(data, by="area")
    assert len(out) == n_groups
    check = life_expectancy(deaths[123], pops[123], AGES)
    assert out["value"].iloc[123] == pytest.approx(check.value, rel=1e-12, nan_ok=True)
    assert out["value"].between(70, 90).mean() > 0.95


def test_grouped_invalid_input():
    data = _tidy("A", DEATHS, POPS)
    with pytest.raises(ValueError, match="no column"):
        life_expectancy_by_group(data, by=["area", "year"])
    with pytest.raises(ValueError, match="more than once"):
        life_expectancy_by_group(pd.concat([data, data.iloc[[4]]]), by="area")
    with pytest.raises(ValueError, match="unknown age band"):
        life_expectancy_by_group(data.assign(age_band="all ages"), by="area")
