"""Tests for llr_analysis.stats.funnel.

Reference values from the UKHSA/OHID R package PHEindicatormethods
(repository ukhsa-collaboration/PHEindicatormethods, GPL-3), typed in below:

* ``tests/testthat/testdata_funnel_prop_outputs.csv``: the expected output of
  ``calculate_funnel_limits(numerator, denominator, statistic = "proportion",
  multiplier = 100)`` - control limits in percent at 100 denominators from 1 to
  110,000, printed to 6 decimal places, with Baseline 80.642448 (the overall
  proportion of the input file). We use a selection of rows, including the
  small denominators where limits are clipped at 0% and 100%.
  Tolerance 5e-6 percentage points: 6 d.p. rounding plus the effect of the
  baseline itself being rounded to 6 d.p.
* ``tests/testthat/testdata_funnel_prop_inputs.csv``: primary care trusts with
  numerator, denominator and the expected ``assign_funnel_significance``
  result ("High (0.001)", "High (0.025)", "Not significant", "Low (0.025)",
  "Low (0.001)"). We use 13 rows, including the Leicestershire PCTs.
"""

import numpy as np
import pandas as pd
import pytest

from llr_analysis.stats import funnel_position, proportion_funnel_limits

BASELINE = 0.80642448

# testdata_funnel_prop_outputs.csv:
# Population, Lower2s0025limit, Upper2s0025limit, Lower3s0001limit, Upper3s0001limit
FUNNEL_ROWS = [
    (1, 3.204264, 100, 0, 100),
    (2, 25.885383, 100, 0, 100),
    (3, 35.933491, 100, 10.150815, 100),
    (14, 59.946223, 100, 48.011163, 100),
    (18, 62.390093, 98.894803, 51.864359, 100),
    (41, 68.548635, 92.73626, 61.574398, 99.710497),
    (45, 69.098645, 92.186251, 62.441586, 98.843309),
    (1008, 78.203374, 83.081521, 76.796814, 84.488082),
    (9998, 79.867989, 81.416907, 79.421375, 81.863521),
    (47766, 80.288128, 80.996768, 80.083799, 81.201097),
    (110000, 80.408963, 80.875933, 80.274317, 81.010578),
]
TOL = 5e-6

# testdata_funnel_prop_inputs.csv: Area, numerator, denominator, significance
SIGNIFICANCE_ROWS = [
    ("New Forest PCT", 35078.4880, 41980, "High (0.001)"),
    ("Norwich PCT", 24803.6256, 31824, "Low (0.001)"),
    ("South Gloucestershire PCT", 50050.7443, 61921, "Not significant"),
    ("Central Derby PCT", 24648.7596, 30521, "Not significant"),
    ("West Norfolk PCT", 26789.2380, 33012, "High (0.025)"),
    ("North Tees PCT", 36850.0492, 45449, "High (0.025)"),
    ("North Devon PCT", 30277.5312, 37828, "Low (0.025)"),
    ("Melton, Rutland and Harborough PCT", 29336.9895, 34665, "High (0.001)"),
    ("Leicester City West PCT", 26560.1090, 33710, "Low (0.001)"),
    ("Eastern Leicester PCT", 30898.8120, 41160, "Low (0.001)"),
    ("Hinckley and Bosworth PCT", 21877.7319, 25943, "High (0.001)"),
    ("Charnwood and North West Leicestershire PCT", 48450.4800, 57135, "High (0.001)"),
    ("South Leicestershire PCT", 33210.6936, 39284, "High (0.001)"),
]
R_TO_OURS = {
    "High (0.001)": "above 99.8%",
    "High (0.025)": "above 95%",
    "Not significant": "within 95%",
    "Low (0.025)": "below 95%",
    "Low (0.001)": "below 99.8%",
}


def test_limits_match_calculate_funnel_limits_outputs():
    denominators = [row[0] for row in FUNNEL_ROWS]
    limits = proportion_funnel_limits(denominators, BASELINE, multiplier=100)
    assert list(limits.columns) == ["denominator", "lower_95", "upper_95", "lower_99_8", "upper_99_8"]
    expected = np.array([row[1:] for row in FUNNEL_ROWS], dtype=float)
    actual = limits[["lower_95", "upper_95", "lower_99_8", "upper_99_8"]].to_numpy()
    np.testing.assert_allclose(actual, expected, rtol=0, atol=TOL)
    np.testing.assert_array_equal(limits["denominator"], denominators)


def test_limits_are_proportions_by_default_and_hand_computed():
    # Wilson-score funnel = target +/- z sqrt(target (1 - target) / n)
    limits = proportion_funnel_limits([400], 0.5, confidence=0.95)
    half_width = 1.959963984540054 * np.sqrt(0.25 / 400)
    assert limits["lower_95"].iloc[0] == pytest.approx(0.5 - half_width, rel=1e-12)
    assert limits["upper_95"].iloc[0] == pytest.approx(0.5 + half_width, rel=1e-12)
    assert list(limits.columns) == ["denominator", "lower_95", "upper_95"]


def test_limits_narrow_as_denominator_grows_and_stay_in_range():
    limits = proportion_funnel_limits(np.geomspace(1, 1e6, 50), 0.3)
    width = limits["upper_99_8"] - limits["lower_99_8"]
    assert (np.diff(width) <= 0).all()
    assert (limits.drop(columns="denominator") >= 0).all().all()
    assert (limits.drop(columns="denominator") <= 1).all().all()
    assert (limits["lower_99_8"] <= limits["lower_95"]).all()


def test_custom_confidence_levels_name_columns():
    limits = proportion_funnel_limits([100], 0.2, confidence=[0.9, 0.99])
    assert list(limits.columns) == ["denominator", "lower_90", "upper_90", "lower_99", "upper_99"]


def test_positions_match_assign_funnel_significance():
    numerators = [row[1] for row in SIGNIFICANCE_ROWS]
    denominators = [row[2] for row in SIGNIFICANCE_ROWS]
    expected = [R_TO_OURS[row[3]] for row in SIGNIFICANCE_ROWS]
    assert list(funnel_position(numerators, denominators, BASELINE)) == expected


def test_position_with_pooled_target_and_series():
    # Target defaults to sum(numerators) / sum(denominators) = 0.5 here.
    num = pd.Series([50, 500, 5000, 440, np.nan], index=list("abcde"))
    den = pd.Series([100, 1000, 10000, 800, 50], index=list("abcde"))
    # e is missing; pooled over a-d: 5990 / 11900
    positions = funnel_position(num, den)
    assert isinstance(positions, pd.Series) and list(positions.index) == list("abcde")
    assert positions["e"] == "not compared"
    target = 5990 / 11900
    explicit = funnel_position(num, den, target)
    assert list(positions) == list(explicit)
    # d: 0.55 vs 0.5034, z = (0.55 - t) / sqrt(t (1 - t) / 800) = 2.64 -> above 95% only
    assert positions["d"] == "above 95%"


def test_point_on_the_limit_counts_as_inside():
    # With target 0.5 and n = 10000, the 95% upper limit is 0.5 + 1.96*0.005 = 0.5098;
    # choose a point just inside and one just outside.
    n = 10_000
    upper = 0.5 + 1.959963984540054 * 0.005
    inside = np.floor(upper * n)
    assert funnel_position(inside, n, 0.5) == "within 95%"
    assert funnel_position(inside + 1, n, 0.5) == "above 95%"


@pytest.mark.parametrize(
    "numerator, denominator, message",
    [
        (-1, 10, "numerators must be zero or more"),
        (5, 0, "denominators must be greater than zero"),
        (11, 10, "less than or equal to denominator"),
    ],
)
def test_position_invalid_inputs(numerator, denominator, message):
    with pytest.raises(ValueError, match=message):
        funnel_position(numerator, denominator, 0.5)


def test_limits_invalid_inputs():
    with pytest.raises(ValueError, match="between 0 and 1"):
        proportion_funnel_limits([100], 80.6)  # a percentage, not a proportion
    with pytest.raises(ValueError, match="denominators must be greater than zero"):
        proportion_funnel_limits([0, 100], 0.5)
    with pytest.raises(ValueError, match="confidence"):
        proportion_funnel_limits([100], 0.5, confidence=1.5)
