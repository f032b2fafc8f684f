"""Crude rates with confidence intervals (OHID method).

OHID/Fingertips calculates confidence intervals for a count of events (and so
for a crude rate, count / population x multiplier) with

* the **exact Poisson** method (chi-square form) when the count is below 10, and
* **Byar's approximation** to the exact Poisson limits when the count is 10 or more.

This is the rule in ``phe_rate`` in the UKHSA/OHID R package
PHEindicatormethods (``if_else(x < 10, <exact>, <Byar>)``).

References
----------
Breslow NE, Day NE. Statistical methods in cancer research, volume II: the
design and analysis of cohort studies. Lyon: IARC; 1987 (Byar's method).

Armitage P, Berry G, Matthews JNS. Statistical methods in medical research
(4th edn). Oxford: Blackwell; 2002 (exact Poisson limits via chi-square).

OHID (formerly PHE). Technical Guide: Confidence intervals. Fingertips
supporting information, "Public health methods".
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from llr_analysis.stats.proportions import (
    _as_float_array,
    _broadcast,
    _check_confidence,
    _common_index,
    _first,
    _wrap,
    _z_value,
)

__all__ = ["EXACT_BELOW", "byar_ci", "exact_poisson_ci"]

#: Counts below this use exact Poisson limits; counts at or above it use Byar's
#: approximation (PHEindicatormethods ``phe_rate``: ``x < 10`` -> exact).
EXACT_BELOW = 10


def byar_ci(
    count: Any, denominator: Any, confidence: float = 0.95, multiplier: float = 100_000
) -> tuple[Any, Any, Any]:
    """Crude rate with the OHID confidence interval: Byar's method, exact below 10.

    Method: for counts of 10 or more, Byar's approximation to the Poisson
    limits (Breslow & Day 1987)::

        lower = O * (1 - 1/(9 O) - z / (3 sqrt(O)))^3
        upper = (O + 1) * (1 - 1/(9 (O + 1)) + z / (3 sqrt(O + 1)))^3

    and for counts below 10 the exact Poisson limits (see
    :func:`exact_poisson_ci`). The limits for the count are divided by the
    denominator and multiplied by ``multiplier``. This mirrors ``phe_rate`` in
    PHEindicatormethods and the OHID Technical Guide "Confidence intervals".

    Parameters
    ----------
    count:
        Number of events (scalar, list, numpy array or pandas Series).
        Missing values give NaN in the outputs.
    denominator:
        Population or person-years; must be greater than zero.
    confidence:
        Confidence level, e.g. 0.95 or 0.998 (95 and 99.8 are accepted too).
    multiplier:
        Rate per this many people (default per 100,000).

    Returns
    -------
    (value, lower, upper)
        Floats, numpy arrays, or pandas Series (same index) if any input is a Series.

    Raises
    ------
    ValueError
        If a count is negative or a denominator is zero or negative.
    """
    level = _check_confidence(confidence)
    index = _common_index(count, denominator)
    obs, pop = _validated(count, denominator)

    byar_low, byar_high = _byar_count_limits(obs, level)
    exact_low, exact_high = _exact_count_limits(obs, level)
    use_exact = obs < EXACT_BELOW  # NaN compares False; NaN stays NaN below
    low = np.where(use_exact, exact_low, byar_low)
    high = np.where(use_exact, exact_high, byar_high)
    return _rate_outputs(obs, pop, low, high, multiplier, index)


def exact_poisson_ci(
    count: Any, denominator: Any, confidence: float = 0.95, multiplier: float = 100_000
) -> tuple[Any, Any, Any]:
    """Crude rate with exact Poisson confidence limits (chi-square method).

    Method: exact limits for a Poisson count O (Armitage & Berry 2002; OHID
    Technical Guide "Confidence intervals")::

        lower = chi2.ppf(alpha/2, 2 O) / 2            (0 when O = 0)
        upper = chi2.ppf(1 - alpha/2, 2 O + 2) / 2

    divided by the denominator and multiplied by ``multiplier``. This is the
    branch ``phe_rate`` (PHEindicatormethods) uses for counts below 10; use
    :func:`byar_ci` for the full OHID rule.

    Parameters and return value are as for :func:`byar_ci`.
    """
    level = _check_confidence(confidence)
    index = _common_index(count, denominator)
    obs, pop = _validated(count, denominator)
    low, high = _exact_count_limits(obs, level)
    return _rate_outputs(obs, pop, low, high, multiplier, index)


# ---------------------------------------------------------------------------
# Limits for a count (before dividing by the denominator)
# ---------------------------------------------------------------------------


def _byar_count_limits(obs: np.ndarray, confidence: float) -> tuple[np.ndarray, np.ndarray]:
    """Byar's approximate Poisson limits for counts (Breslow & Day 1987)."""
    z = _z_value(confidence)
    with np.errstate(divide="ignore", invalid="ignore"):
        low = obs * (1 - 1 / (9 * obs) - z / (3 * np.sqrt(obs))) ** 3
        high = (obs + 1) * (1 - 1 / (9 * (obs + 1)) + z / (3 * np.sqrt(obs + 1))) ** 3
    # Byar's lower limit misbehaves for tiny counts; those use the exact method anyway.
    low = np.where(obs == 0, 0.0, low)
    return low, high


def _exact_count_limits(obs: np.ndarray, confidence: float) -> tuple[np.ndarray, np.ndarray]:
    """Exact Poisson limits for counts from the chi-square distribution."""
    alpha = 1 - confidence
    with np.errstate(invalid="ignore"):
        # chi2 with 0 degrees of freedom is undefined in scipy; the limit is 0 there.
        from scipy.stats import chi2  # imported here: scipy.stats takes ~1 s to import

        low = np.where(obs > 0, chi2.ppf(alpha / 2, np.where(obs > 0, 2 * obs, 1)) / 2, 0.0)
        high = chi2.ppf(1 - alpha / 2, 2 * obs + 2) / 2
    low = np.where(np.isnan(obs), np.nan, low)
    return low, high


def _validated(count: Any, denominator: Any) -> tuple[np.ndarray, np.ndarray]:
    obs, pop = _broadcast(_as_float_array(count, "count"), _as_float_array(denominator, "denominator"))
    with np.errstate(invalid="ignore"):
        if np.any(obs < 0):
            raise ValueError(f"counts must be zero or more; found {_first(obs, obs < 0)}")
        if np.any(pop <= 0):
            raise ValueError(f"denominators must be greater than zero; found {_first(pop, pop <= 0)}")
    return obs, pop


def _rate_outputs(
    obs: np.ndarray, pop: np.ndarray, low: np.ndarray, high: np.ndarray, multiplier: float, index: pd.Index | None
) -> tuple[Any, Any, Any]:
    scale = multiplier / pop
    return (_wrap(obs * scale, index, "value"), _wrap(low * scale, index, "lower"), _wrap(high * scale, index, "upper"))
