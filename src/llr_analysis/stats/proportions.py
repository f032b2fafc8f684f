"""Proportions with Wilson score confidence intervals (OHID method).

This mirrors ``phe_proportion`` / ``wilson_lower`` / ``wilson_upper`` in the
UKHSA/OHID R package PHEindicatormethods, which is how Fingertips indicators
such as screening coverage are calculated.

The module also holds the small input helpers (confidence-level checks,
array conversion, returning a pandas Series when given one) that the other
``llr_analysis.stats`` modules share.

References
----------
Wilson EB. Probable inference, the law of succession, and statistical
inference. J Am Stat Assoc 1927;22:209-212.

Newcombe RG, Altman DG. Proportions and their differences. In: Altman DG et al
(eds). Statistics with confidence (2nd edn). London: BMJ Books; 2000:46-48.

OHID (formerly PHE). Technical Guide: Confidence intervals. Fingertips
supporting information, "Public health methods".
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

__all__ = ["wilson_ci"]


# ---------------------------------------------------------------------------
# Shared helpers (used by rates, benchmark, funnel and life_expectancy too)
# ---------------------------------------------------------------------------


def _check_confidence(confidence: float) -> float:
    """Return a confidence level as a fraction, e.g. 0.95.

    Like PHEindicatormethods, a percentage (95, 99.8) is also accepted and
    divided by 100. To catch slips such as 1.5, percentages must be at least
    50; fractions must be strictly between 0 and 1.
    """
    try:
        level = float(confidence)
    except (TypeError, ValueError):
        raise ValueError(f"confidence must be a number such as 0.95, got {confidence!r}") from None
    if 50 <= level < 100:
        level = level / 100
    if not 0 < level < 1:
        raise ValueError(
            f"confidence must be a fraction between 0 and 1 (e.g. 0.95) or a percentage "
            f"from 50 to below 100 (e.g. 95), got {confidence!r}"
        )
    return level


def _check_confidences(confidence: Any) -> tuple[float, ...]:
    """Like :func:`_check_confidence` but for one level or a sequence of levels."""
    if np.ndim(confidence) == 0:
        return (_check_confidence(confidence),)
    levels = tuple(_check_confidence(c) for c in confidence)
    if not levels:
        raise ValueError("at least one confidence level is needed")
    if len(set(levels)) != len(levels):
        raise ValueError(f"confidence levels must be different, got {confidence!r}")
    return levels


def _z_value(confidence: float) -> float:
    """Two-sided standard normal quantile, e.g. 1.959964 for 0.95."""
    from scipy.stats import norm  # imported here: scipy.stats takes ~1 s to import, most runs never need it

    return float(norm.ppf(1 - (1 - confidence) / 2))


def _confidence_label(confidence: float) -> str:
    """Text used in column names: 0.95 -> '95', 0.998 -> '99_8'."""
    return f"{round(confidence * 100, 6):g}".replace(".", "_")


def _as_float_array(values: Any, name: str) -> np.ndarray:
    """Convert a scalar, list, numpy array or pandas Series to a float array.

    Missing values (None, pd.NA, NaN) become NaN.
    """
    try:
        if isinstance(values, (pd.Series, pd.Index)):
            return values.to_numpy(dtype="float64", na_value=np.nan)
        array = values if isinstance(values, np.ndarray) else np.asarray(values, dtype=object)
        if array.dtype.kind in "biuf":
            return array.astype("float64")
        flat = pd.to_numeric(pd.Series(array.ravel(), dtype=object), errors="raise")
        return flat.to_numpy(dtype="float64", na_value=np.nan).reshape(array.shape)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be numeric, got {values!r}") from None


def _common_index(*inputs: Any) -> pd.Index | None:
    """The index of the pandas Series among ``inputs`` (None if there are none).

    Calculations are positional, so Series with different indexes are refused
    rather than silently mis-matched.
    """
    index = None
    for item in inputs:
        if isinstance(item, pd.Series):
            if index is None:
                index = item.index
            elif not item.index.equals(index):
                raise ValueError("pandas Series inputs must share the same index; align them first")
    return index


def _broadcast(*arrays: np.ndarray) -> list[np.ndarray]:
    try:
        return list(np.broadcast_arrays(*arrays))
    except ValueError:
        shapes = ", ".join(str(np.shape(a)) for a in arrays)
        raise ValueError(f"inputs must have the same length (or be scalars); got shapes {shapes}") from None


def _wrap(result: np.ndarray, index: pd.Index | None, name: str) -> Any:
    """Return a Series if the inputs had one, a scalar for scalar inputs, else the array."""
    if index is not None:
        return pd.Series(result, index=index, name=name)
    if np.ndim(result) == 0:
        return result[()]
    return result


# ---------------------------------------------------------------------------
# Wilson score interval
# ---------------------------------------------------------------------------


def _proportion_inputs(numerator: ArrayLike, denominator: ArrayLike) -> tuple[pd.Index | None, np.ndarray, np.ndarray]:
    """Index, numerators and denominators as float arrays, checked: 0 <= numerator <= denominator > 0.

    NaN passes through (it becomes NaN in the result)."""
    index = _common_index(numerator, denominator)
    x, n = _broadcast(_as_float_array(numerator, "numerator"), _as_float_array(denominator, "denominator"))
    with np.errstate(invalid="ignore"):
        if np.any(x < 0):
            raise ValueError(f"numerators must be zero or more; found {_first(x, x < 0)}")
        if np.any(n <= 0):
            raise ValueError(f"denominators must be greater than zero; found {_first(n, n <= 0)}")
        too_big = x > n
        if np.any(too_big):
            raise ValueError(
                "numerator must be less than or equal to denominator for a proportion; "
                f"found numerator {_first(x, too_big)} with denominator {_first(n, too_big)}"
            )
    return index, x, n


def wilson_ci(
    numerator: Any, denominator: Any, confidence: float = 0.95, multiplier: float = 100
) -> tuple[Any, Any, Any]:
    """Proportion with a Wilson score confidence interval.

    Method: Wilson score interval (Wilson 1927; Newcombe & Altman 2000), the
    OHID standard for proportions. It mirrors ``phe_proportion`` in
    PHEindicatormethods (functions ``wilson_lower`` / ``wilson_upper``)::

        lower, upper = (2x + z^2 -/+ z * sqrt(z^2 + 4x(1 - x/n))) / (2(n + z^2))

    where x is the numerator, n the denominator and z the two-sided normal
    quantile for ``confidence`` (1.96 for 95%).

    Parameters
    ----------
    numerator, denominator:
        Counts (scalar, list, numpy array or pandas Series; scalars broadcast).
        Missing values give NaN in the outputs.
    confidence:
        Confidence level, e.g. 0.95 or 0.998 (95 and 99.8 are accepted too).
    multiplier:
        Scale of the output: 100 (default) gives percentages, 1 proportions.

    Returns
    -------
    (value, lower, upper)
        Each is a float for scalar inputs, a numpy array for array inputs, or
        a pandas Series (same index) if any input is a Series.

    Raises
    ------
    ValueError
        If a numerator is negative, a denominator is zero or negative, or a
        numerator is greater than its denominator.

    Examples
    --------
    >>> value, lower, upper = wilson_ci(24, 162)   # 14.81%, 95% CI 10.16% to 21.10%
    """
    level = _check_confidence(confidence)
    index, x, n = _proportion_inputs(numerator, denominator)

    z = _z_value(level)
    with np.errstate(invalid="ignore", divide="ignore"):
        centre = 2 * x + z**2
        half_width = z * np.sqrt(z**2 + 4 * x * (1 - x / n))
        scale = multiplier / (2 * (n + z**2))
        value = x / n * multiplier
        lower = (centre - half_width) * scale
        upper = (centre + half_width) * scale

    return (_wrap(value, index, "value"), _wrap(lower, index, "lower"), _wrap(upper, index, "upper"))


def _first(values: np.ndarray, mask: np.ndarray) -> float:
    """First value where ``mask`` is true, for error messages."""
    return values[mask].flat[0]
