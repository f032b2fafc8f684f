"""Tests for llr_analysis.stats.benchmark.compare_by_ci_overlap.

Constructed cases for the OHID/Fingertips rule: the area's confidence interval
entirely above the comparator value -> higher, entirely below -> lower,
otherwise similar; polarity maps higher/lower to better/worse. There is no
published reference table for this step (PHEindicatormethods does not include
it), so the cases below exercise each branch and edge directly.
"""

import re

import numpy as np
import pandas as pd
import pytest

from llr_analysis.stats import COMPARISON_COLOURS, compare_by_ci_overlap, wilson_ci
from llr_analysis.stats.benchmark import FINGERTIPS_RAG_COLOURS, OUTCOMES

ENGLAND = 70.0


@pytest.mark.parametrize(
    "lower, upper, polarity, expected",
    [
        # interval entirely above England
        (71, 75, "higher_is_better", "better"),
        (71, 75, "lower_is_better", "worse"),
        (71, 75, "no_judgement", "higher"),
        # interval entirely below England
        (60, 69, "higher_is_better", "worse"),
        (60, 69, "lower_is_better", "better"),
        (60, 69, "no_judgement", "lower"),
        # interval overlaps England
        (68, 72, "higher_is_better", "similar"),
        (68, 72, "lower_is_better", "similar"),
        (68, 72, "no_judgement", "similar"),
        # interval touching England's value counts as similar
        (70, 75, "higher_is_better", "similar"),
        (65, 70, "lower_is_better", "similar"),
    ],
)
def test_each_branch_and_polarity(lower, upper, polarity, expected):
    value = (lower + upper) / 2
    assert compare_by_ci_overlap(value, lower, upper, ENGLAND, polarity=polarity) == expected


@pytest.mark.parametrize(
    "value, lower, upper, comparator",
    [
        (np.nan, 60, 69, ENGLAND),  # missing value
        (65, np.nan, 69, ENGLAND),  # missing lower limit
        (65, 60, None, ENGLAND),  # missing upper limit
        (65, 60, 69, np.nan),  # missing comparator
    ],
)
def test_missing_value_or_interval_is_not_compared(value, lower, upper, comparator):
    for polarity in ("higher_is_better", "lower_is_better", "no_judgement"):
        result = compare_by_ci_overlap(value, lower, upper, comparator, polarity=polarity)
        assert result == "not compared"


def test_vectorised_with_series_and_per_row_polarity():
    index = ["E06000016", "E10000018", "E06000017", "E92000001"]
    value = pd.Series([80.1, 74.9, 77.0, np.nan], index=index)
    lower = pd.Series([79.0, 74.0, 75.0, np.nan], index=index)
    upper = pd.Series([81.2, 75.8, 79.5, np.nan], index=index)
    result = compare_by_ci_overlap(
        value, lower, upper, 76.5, polarity=["higher_is_better", "higher_is_better", "lower_is_better", "no_judgement"]
    )
    assert isinstance(result, pd.Series)
    assert list(result.index) == index
    assert list(result) == ["better", "worse", "similar", "not compared"]


def test_arrays_with_comparator_per_row():
    result = compare_by_ci_overlap([10, 10, 10], [9, 9, 9], [11, 11, 11], [8, 10, 12], polarity="no_judgement")
    assert list(result) == ["higher", "similar", "lower"]


def test_comparator_interval_ignored_by_default_like_fingertips():
    # Area 71-75 vs England 70 (69-71.5): intervals overlap, but Fingertips compares
    # against England's value only, so this is "better".
    assert compare_by_ci_overlap(73, 71, 75, 70, 69, 71.5) == "better"
    # The stricter non-overlap rule, on request:
    assert compare_by_ci_overlap(73, 71, 75, 70, 69, 71.5, use_comparator_interval=True) == "similar"
    assert compare_by_ci_overlap(73, 71, 75, 70, 69, 70.5, use_comparator_interval=True) == "better"
    assert compare_by_ci_overlap(73, 71, 75, 70, np.nan, 70.5, use_comparator_interval=True) == "not compared"


def test_with_wilson_intervals():
    # Screening coverage 7,600 / 10,000 vs England 74.6%: 95% CI 75.2% to 76.8% -> better.
    value, lower, upper = wilson_ci(7600, 10000)
    assert compare_by_ci_overlap(value, lower, upper, 74.6) == "better"
    # At 99.8% the interval (74.7% to 77.3%) still excludes 74.6%.
    value, lower, upper = wilson_ci(7600, 10000, confidence=0.998)
    assert compare_by_ci_overlap(value, lower, upper, 74.6) == "better"


def test_invalid_inputs():
    with pytest.raises(ValueError, match="polarity"):
        compare_by_ci_overlap(1, 0, 2, 1, polarity="high")
    with pytest.raises(ValueError, match="polarity"):
        compare_by_ci_overlap([1, 1], [0, 0], [2, 2], 1, polarity=["higher_is_better", "up"])
    with pytest.raises(ValueError, match="comp_lower and comp_upper"):
        compare_by_ci_overlap(1, 0, 2, 1, use_comparator_interval=True)
    with pytest.raises(ValueError, match="lower confidence limits"):
        compare_by_ci_overlap(1, 2, 0, 1)
    with pytest.raises(ValueError, match="same length"):
        compare_by_ci_overlap([1, 2], [0, 1, 2], [2, 3], 1)


def test_colours_cover_every_outcome_and_avoid_red_green():
    assert set(COMPARISON_COLOURS) == set(OUTCOMES)
    for colour in COMPARISON_COLOURS.values():
        assert re.fullmatch(r"#[0-9A-F]{6}", colour)
    assert len(set(COMPARISON_COLOURS.values())) == len(COMPARISON_COLOURS)
    # not Fingertips' red/green
    assert COMPARISON_COLOURS["better"] != FINGERTIPS_RAG_COLOURS["better"]
    assert COMPARISON_COLOURS["worse"] != FINGERTIPS_RAG_COLOURS["worse"]
    # Fingertips' own colours where they are colour-blind safe
    assert COMPARISON_COLOURS["similar"] == "#FFC000"
    assert COMPARISON_COLOURS["lower"] == "#5555E6"
    assert COMPARISON_COLOURS["not compared"] == "#C9C9C9"
