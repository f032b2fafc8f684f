"""Funnel plot control limits for proportions (OHID/Fingertips method).

A funnel plot shows each area's proportion against its denominator, with
control limits around a target (usually the overall average) that narrow as
the denominator grows (Spiegelhalter 2005). Points outside the 95% limits
("2 sigma") or 99.8% limits ("3 sigma") differ from the target by more than
chance would usually explain.

OHID's limits for proportions (PHEindicatormethods ``calculate_funnel_limits``
/ ``phe_funnels`` with ``statistic = "proportion"``, helper
``sigma_adjustment``, and ``assign_funnel_significance`` /
``phe_funnel_significance``) are the observed proportions whose **Wilson
score** interval just reaches the target. Solving that condition gives the
familiar score-test limits::

    limit = target +/- z * sqrt(target * (1 - target) / n)

(``sigma_adjustment`` writes the same quantity as the root of a quadratic;
the two agree to rounding error, which the tests check against the
package's published test outputs). Limits are clipped to the range 0-100%.
Spiegelhalter also describes exact binomial limits; OHID uses the Wilson /
score form above, so this module does too.

References
----------
Spiegelhalter DJ. Funnel plots for comparing institutional performance.
Stat Med 2005;24:1185-1202.

Wilson EB. Probable inference, the law of succession, and statistical
inference. J Am Stat Assoc 1927;22:209-212.

OHID (formerly PHE). Technical Guide: Funnel plots; Fingertips supporting
information, "Public health methods".
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from llr_analysis.stats.proportions import (
    _as_float_array,
    _check_confidence,
    _check_confidences,
    _confidence_label,
    _first,
    _proportion_inputs,
    _wrap,
    _z_value,
)

__all__ = ["FUNNEL_POSITIONS", "funnel_position", "proportion_funnel_limits"]

#: Every string :func:`funnel_position` can return, from highest to lowest.
FUNNEL_POSITIONS = ("above 99.8%", "above 95%", "within 95%", "below 95%", "below 99.8%", "not compared")


def proportion_funnel_limits(
    denominators: Any, target_proportion: float, confidence: Any = (0.95, 0.998), *, multiplier: float = 1
) -> pd.DataFrame:
    """Funnel plot control limits for a proportion at each denominator.

    Method: OHID's Wilson-score funnel limits for proportions (Spiegelhalter
    2005; OHID Technical Guide "Funnel plots"), as in PHEindicatormethods
    ``calculate_funnel_limits`` / ``phe_funnels`` (``sigma_adjustment``)::

        limit = target -/+ z * sqrt(target * (1 - target) / n)

    clipped to [0, 1] (times ``multiplier``), where z is the two-sided normal
    quantile for each confidence level (1.96 for 95%, 3.09 for 99.8%).

    Parameters
    ----------
    denominators:
        Denominators at which to evaluate the limits: the areas' own
        denominators, or a smooth range such as ``np.geomspace(10, 1e5, 100)``
        for drawing the funnel. Must be greater than zero.
    target_proportion:
        The target as a proportion between 0 and 1, usually the overall
        proportion (sum of numerators / sum of denominators).
    confidence:
        One confidence level or a sequence; default (0.95, 0.998).
    multiplier:
        Scale of the limits: 1 (default) gives proportions like the target,
        100 gives percentages as in Fingertips charts.

    Returns
    -------
    pandas.DataFrame
        Columns ``denominator``, then ``lower_95``, ``upper_95``, ``lower_99_8``,
        ``upper_99_8`` (one pair per confidence level, named from the level).
    """
    levels = _check_confidences(confidence)
    target = _check_target(target_proportion)
    n = np.atleast_1d(_as_float_array(denominators, "denominators"))
    with np.errstate(invalid="ignore"):
        if np.any(n <= 0):
            raise ValueError(f"denominators must be greater than zero; found {_first(n, n <= 0)}")

    table = {"denominator": n}
    for level in levels:
        low, high = _limits(n, target, level)
        label = _confidence_label(level)
        table[f"lower_{label}"] = np.clip(low, 0, 1) * multiplier
        table[f"upper_{label}"] = np.clip(high, 0, 1) * multiplier
    index = denominators.index if isinstance(denominators, pd.Series) else None
    return pd.DataFrame(table, index=index)


def funnel_position(numerator: Any, denominator: Any, target: float | None = None) -> Any:
    """Where each point lies on a proportion funnel plot (OHID method).

    Method: compares each observed proportion ``numerator / denominator`` with
    the Wilson-score funnel limits at its own denominator (see
    :func:`proportion_funnel_limits`), as PHEindicatormethods
    ``assign_funnel_significance`` (formerly ``phe_funnel_significance``) does
    for ``statistic = "proportion"``. A point exactly on a limit counts as
    inside it (the package uses strict ``<`` and ``>``).

    Parameters
    ----------
    numerator, denominator:
        Counts for each area (scalars, arrays or Series; numerator <= denominator).
    target:
        Target proportion between 0 and 1. If None, the overall proportion
        ``sum(numerator) / sum(denominator)`` over the areas with data is used,
        which is what PHEindicatormethods does.

    Returns
    -------
    str, numpy array of str, or pandas Series
        One of "above 99.8%", "above 95%", "within 95%", "below 95%",
        "below 99.8%"; "not compared" where the numerator or denominator is missing.
    """
    index, x, n = _proportion_inputs(numerator, denominator)

    missing = np.isnan(x) | np.isnan(n)
    if target is None:
        if missing.all():
            raise ValueError("no complete numerator/denominator pairs to take the target from")
        target = x[~missing].sum() / n[~missing].sum()
    target = _check_target(target)

    with np.errstate(invalid="ignore", divide="ignore"):
        p = x / n
        low95, high95 = _limits(n, target, _check_confidence(0.95))
        low998, high998 = _limits(n, target, _check_confidence(0.998))
    result = np.select(
        [missing, p > high998, p > high95, p < low998, p < low95],
        ["not compared", "above 99.8%", "above 95%", "below 99.8%", "below 95%"],
        default="within 95%",
    ).astype(object)
    return _wrap(result, index, "funnel_position")


def _limits(n: np.ndarray, target: float, confidence: float) -> tuple[np.ndarray, np.ndarray]:
    """Unclipped Wilson-score (score-test) limits for a proportion at denominator n."""
    half_width = _z_value(confidence) * np.sqrt(target * (1 - target) / n)
    return target - half_width, target + half_width


def _check_target(target: Any) -> float:
    try:
        value = float(target)
    except (TypeError, ValueError):
        raise ValueError(f"target proportion must be a number between 0 and 1, got {target!r}") from None
    if not 0 <= value <= 1:
        raise ValueError(f"target proportion must be between 0 and 1 (not a percentage), got {target!r}")
    return value
