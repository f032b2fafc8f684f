"""Tests for llr_analysis.stats.rates (byar_ci, exact_poisson_ci).

Reference values: the rendered vignette of the UKHSA/OHID R package
PHEindicatormethods, ``vignettes/Introduction to PHEindicatormethods.html``
(repository ukhsa-collaboration/PHEindicatormethods, GPL-3), section
"Execute phe_proportion and phe_rate", which prints ``phe_rate(df, obs, pop)``
(per 100,000, 95%) and ``phe_rate(df, obs, pop, confidence=99.8, multiplier=100)``
to 7 significant figures. Row 2 (obs = 6) is labelled method "Exact"; the others
"Byars". Values typed in below; tolerance half a unit in the last printed digit.
"""

import math

import numpy as np
import pandas as pd
import pytest
from scipy.stats import chi2

from llr_analysis.stats import byar_ci, exact_poisson_ci

OBS = [24, 6, 68, 95, 46, 56, 76, 18]
POP = [162, 120, 173, 146, 143, 132, 183, 149]

# phe_rate(df, obs, pop): per 100,000, 95%
VALUE_100K = [14814.81, 5000.00, 39306.36, 65068.49, 32167.83, 42424.24, 41530.05, 12080.54]
LOWER_95_100K = [9489.334, 1834.912, 30521.553, 52642.965, 23548.788, 32044.793, 32719.746, 7156.037]
UPPER_95_100K = [22044.21, 10882.90, 49830.92, 79543.66, 42908.37, 55092.43, 51981.74, 19093.45]

# phe_rate(df, obs, pop, confidence=99.8, multiplier=100)
LOWER_998_100 = [7.1693910, 0.9225872, 26.1925701, 46.3595418, 19.4573177, 27.0186592, 28.3382512, 5.1176169]
UPPER_998_100 = [26.77154, 15.05136, 56.39516, 88.46988, 49.71192, 63.05222, 58.47473, 23.75627]


def _printed_tolerance(printed):
    """Half a unit in the last digit of a value printed to 7 significant figures."""
    return 0.5 * 10 ** (math.floor(math.log10(abs(printed))) - 6) + 1e-12


def _assert_matches(actual, printed):
    for a, p in zip(np.ravel(actual), printed, strict=True):
        assert a == pytest.approx(p, abs=_printed_tolerance(p)), (a, p)


def test_matches_phe_rate_per_100000_95_percent():
    value, lower, upper = byar_ci(OBS, POP)
    _assert_matches(value, VALUE_100K)
    _assert_matches(lower, LOWER_95_100K)
    _assert_matches(upper, UPPER_95_100K)


def test_matches_phe_rate_per_100_99_8_percent():
    _, lower, upper = byar_ci(OBS, POP, confidence=0.998, multiplier=100)
    _assert_matches(lower, LOWER_998_100)
    _assert_matches(upper, UPPER_998_100)


def test_exact_method_below_10_and_byar_from_10():
    z = 1.959963984540054
    # count 9 -> exact (chi-square) limits
    _, lower, upper = byar_ci(9, 1, multiplier=1)
    assert lower == pytest.approx(chi2.ppf(0.025, 18) / 2, rel=1e-12)
    assert upper == pytest.approx(chi2.ppf(0.975, 20) / 2, rel=1e-12)
    # count 10 -> Byar's formula, computed by hand
    _, lower, upper = byar_ci(10, 1, multiplier=1)
    assert lower == pytest.approx(10 * (1 - 1 / 90 - z / (3 * math.sqrt(10))) ** 3, rel=1e-12)
    assert upper == pytest.approx(11 * (1 - 1 / 99 + z / (3 * math.sqrt(11))) ** 3, rel=1e-12)


def test_byar_is_close_to_exact_for_large_counts():
    # Byar's method approximates the exact Poisson limits; at 100 events they agree to 0.1%.
    _, byar_low, byar_high = byar_ci(100, 1, multiplier=1)
    _, exact_low, exact_high = exact_poisson_ci(100, 1, multiplier=1)
    assert byar_low == pytest.approx(exact_low, rel=1e-3)
    assert byar_high == pytest.approx(exact_high, rel=1e-3)


def test_exact_poisson_ci_for_all_counts():
    _, lower, upper = exact_poisson_ci([0, 6, 50], [120, 120, 120], multiplier=100_000)
    assert lower[0] == 0
    assert upper[0] == pytest.approx(chi2.ppf(0.975, 2) / 2 / 120 * 100_000, rel=1e-12)
    # obs = 6 matches the vignette's "Exact" row
    assert lower[1] == pytest.approx(1834.912, abs=5e-4)
    assert upper[1] == pytest.approx(10882.90, abs=5e-3)
    assert lower[2] == pytest.approx(chi2.ppf(0.025, 100) / 2 / 120 * 100_000, rel=1e-12)


def test_zero_count_rate():
    value, lower, upper = byar_ci(0, 1000)
    assert value == 0 and lower == 0
    assert upper == pytest.approx(-math.log(0.025) / 1000 * 100_000, rel=1e-9)  # 3.689 events


def test_nan_in_nan_out_and_series_kept():
    count = pd.Series([24, np.nan, 6], index=["a", "b", "c"])
    value, lower, upper = byar_ci(count, 1000)
    assert list(value.index) == ["a", "b", "c"]
    assert np.isnan(value["b"]) and np.isnan(lower["b"]) and np.isnan(upper["b"])
    assert not np.isnan(lower["c"])


@pytest.mark.parametrize(
    "count, denominator, message",
    [
        (-1, 100, "counts must be zero or more"),
        (5, 0, "denominators must be greater than zero"),
        ([5, 6], [100, -1], "denominators must be greater than zero"),
    ],
)
@pytest.mark.parametrize("func", [byar_ci, exact_poisson_ci])
def test_invalid_inputs_raise(func, count, denominator, message):
    with pytest.raises(ValueError, match=message):
        func(count, denominator)


def test_invalid_confidence_raises():
    with pytest.raises(ValueError, match="confidence"):
        byar_ci(10, 100, confidence=1.5)
