"""Tests for llr_analysis.stats.proportions.wilson_ci.

Reference values: the rendered vignette of the UKHSA/OHID R package
PHEindicatormethods, ``vignettes/Introduction to PHEindicatormethods.html``
(repository ukhsa-collaboration/PHEindicatormethods, GPL-3), section
"Execute phe_proportion and phe_rate". It prints ``phe_proportion(df, obs, pop)``
for eight areas at 95% and 99.8% confidence, as proportions and as
percentages, to 7 significant figures. The numbers are typed in below rather
than copying the file. Tolerance: half a unit in the last printed digit.
"""

import math

import numpy as np
import pandas as pd
import pytest

from llr_analysis.stats import wilson_ci

# df from the vignette: area/year, obs, pop
OBS = [24, 6, 68, 95, 46, 56, 76, 18]
POP = [162, 120, 173, 146, 143, 132, 183, 149]

# phe_proportion(df, obs, pop)  -> value, lowercl, uppercl (proportion, 95%)
VALUE = [0.1481481, 0.0500000, 0.3930636, 0.6506849, 0.3216783, 0.4242424, 0.4153005, 0.1208054]
LOWER_95 = [0.10162049, 0.02311436, 0.32336123, 0.57038874, 0.25064630, 0.34324611, 0.34636288, 0.07779726]
UPPER_95 = [0.2109760, 0.1048029, 0.4674118, 0.7232550, 0.4020403, 0.5095234, 0.4877211, 0.1828745]

# phe_proportion(df, obs, pop, confidence=99.8, multiplier=100) -> percentages, 99.8%
LOWER_998_PCT = [8.166047, 1.533517, 28.680466, 52.294492, 21.543623, 30.088158, 30.968023, 6.046514]
UPPER_998_PCT = [25.38084, 15.10069, 51.05106, 75.99232, 45.02461, 55.78251, 52.93222, 22.68239]


def _close_to_printed(actual, printed):
    """True if ``actual`` rounds to the printed 7-significant-figure value."""
    for a, p in zip(np.ravel(actual), printed, strict=True):
        digits = 7 - math.floor(math.log10(abs(p))) - 1
        assert a == pytest.approx(p, abs=0.5 * 10 ** (-digits) + 1e-12), (a, p)


def test_matches_phe_proportion_95_percent_as_proportions():
    value, lower, upper = wilson_ci(OBS, POP, multiplier=1)
    _close_to_printed(value, VALUE)
    _close_to_printed(lower, LOWER_95)
    _close_to_printed(upper, UPPER_95)


def test_matches_phe_proportion_99_8_percent_as_percentages():
    value, lower, upper = wilson_ci(OBS, POP, confidence=0.998, multiplier=100)
    _close_to_printed(value, [v * 100 for v in VALUE])
    _close_to_printed(lower, LOWER_998_PCT)
    _close_to_printed(upper, UPPER_998_PCT)


def test_percentage_confidence_is_accepted_like_the_r_package():
    assert wilson_ci(24, 162, confidence=99.8) == wilson_ci(24, 162, confidence=0.998)


def test_default_multiplier_gives_percentages():
    value, lower, upper = wilson_ci(24, 162)
    assert value == pytest.approx(14.814815, abs=1e-6)
    assert lower == pytest.approx(10.162049, abs=1e-6)
    assert upper == pytest.approx(21.09760, abs=1e-5)


def test_hand_computed_wilson_formula():
    # x = 65, n = 100, z = 1.959964: (2x + z^2 - z sqrt(z^2 + 4x(1 - x/n))) / (2(n + z^2))
    z = 1.959963984540054
    lower = (130 + z**2 - z * math.sqrt(z**2 + 4 * 65 * 0.35)) / (2 * (100 + z**2))
    upper = (130 + z**2 + z * math.sqrt(z**2 + 4 * 65 * 0.35)) / (2 * (100 + z**2))
    assert wilson_ci(65, 100, multiplier=1)[1:] == pytest.approx((lower, upper), rel=1e-12)


def test_zero_and_all_events():
    _, lower, upper = wilson_ci([0, 50], [50, 50], multiplier=1)
    assert lower[0] == pytest.approx(0, abs=1e-15)
    assert upper[0] > 0
    assert upper[1] == pytest.approx(1, abs=1e-15)
    assert lower[1] < 1


def test_scalars_give_scalars_and_arrays_give_arrays():
    value, lower, upper = wilson_ci(5, 10)
    assert np.ndim(value) == 0 and np.ndim(lower) == 0 and np.ndim(upper) == 0
    value, _, _ = wilson_ci(np.array([5, 6]), 10)  # scalar denominator broadcasts
    assert isinstance(value, np.ndarray) and value.shape == (2,)


def test_series_in_series_out_with_same_index():
    num = pd.Series([24, 6], index=["E06000016", "E10000018"])
    den = pd.Series([162, 120], index=["E06000016", "E10000018"])
    value, lower, upper = wilson_ci(num, den)
    for out in (value, lower, upper):
        assert isinstance(out, pd.Series)
        assert list(out.index) == ["E06000016", "E10000018"]


def test_nan_in_nan_out():
    value, lower, upper = wilson_ci(pd.Series([24, None, 6], dtype="Int64"), pd.Series([162, 100, np.nan]))
    assert not np.isnan(value.iloc[0])
    assert value.iloc[1:].isna().all() and lower.iloc[1:].isna().all() and upper.iloc[1:].isna().all()


@pytest.mark.parametrize(
    "numerator, denominator, message",
    [
        (-1, 100, "numerators must be zero or more"),
        (101, 100, "less than or equal to denominator"),
        ([5, 200], [10, 100], "less than or equal to denominator"),
        (5, 0, "denominators must be greater than zero"),
        (5, -10, "denominators must be greater than zero"),
        ("five", 10, "numerator must be numeric"),
    ],
)
def test_invalid_inputs_raise(numerator, denominator, message):
    with pytest.raises(ValueError, match=message):
        wilson_ci(numerator, denominator)


@pytest.mark.parametrize("confidence", [0, 1, 100, 150, -0.5, "high"])
def test_invalid_confidence_raises(confidence):
    with pytest.raises(ValueError, match="confidence"):
        wilson_ci(5, 10, confidence=confidence)


def test_series_with_different_indexes_are_refused():
    with pytest.raises(ValueError, match="same index"):
        wilson_ci(pd.Series([1, 2], index=["a", "b"]), pd.Series([5, 5], index=["b", "a"]))


def test_mismatched_lengths_are_refused():
    with pytest.raises(ValueError, match="same length"):
        wilson_ci([1, 2, 3], [5, 5])
