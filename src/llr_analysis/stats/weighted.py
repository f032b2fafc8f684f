"""Weighted means of area values (population-weighted averages).

A weighted mean of area values by their populations is how MHCLG summarises a larger area from its
LSOAs (English Indices of Deprivation 2019, Research report, Appendix A: "average score"), and how
this site averages area figures over localities. A missing weight makes the result missing: missing is
never zero.
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def weighted_mean(values: pd.Series, weights: pd.Series) -> float:
    """Population-weighted mean; NaN if any weight is missing (missing is never zero)."""
    if weights.isna().any() or weights.sum() == 0:
        return float("nan")
    return float(np.average(values, weights=weights))
