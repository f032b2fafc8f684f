"""Benchmark an area against a comparator (e.g. England) by confidence-interval overlap.

This is the OHID/Fingertips "compared with benchmark" judgement used on
Fingertips profiles and spine charts:

* the area's confidence interval lies entirely **above** the comparator's
  value -> significantly **higher**;
* entirely **below** -> significantly **lower**;
* otherwise (the interval contains, or touches, the comparator value) -> **similar**.

The indicator's polarity then turns higher/lower into better/worse
("higher_is_better", e.g. screening coverage; "lower_is_better", e.g.
mortality) or leaves them as higher/lower ("no_judgement", e.g. population
share aged 65+; Fingertips' blue/orange/blue "BOB" colouring).

Comparator intervals
--------------------
Fingertips compares the *area's* interval with the comparator's *point value*
only; the comparator's own interval is not used (England's interval is
usually very narrow). That is the default here. Passing ``comp_lower`` and
``comp_upper`` with ``use_comparator_interval=True`` switches to a stricter,
non-Fingertips rule: the area is higher/lower only if the two intervals do
not overlap at all (``lower > comp_upper`` or ``upper < comp_lower``).

References
----------
OHID (formerly PHE). Technical Guide: Confidence intervals; and Fingertips
"Compared with benchmark" method notes (Fingertips supporting information).
Colours: see :data:`COMPARISON_COLOURS`.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from llr_analysis.stats.proportions import _as_float_array, _broadcast, _common_index, _wrap

__all__ = [
    "COMPARISON_COLOURS",
    "FINGERTIPS_RAG_COLOURS",
    "OUTCOMES",
    "POLARITIES",
    "compare_by_ci_overlap",
]

#: Allowed values of ``polarity``.
POLARITIES = ("higher_is_better", "lower_is_better", "no_judgement")

#: Every string :func:`compare_by_ci_overlap` can return.
OUTCOMES = ("better", "similar", "worse", "higher", "lower", "not compared")

# Colour-blind-safe comparison colours.
#
# Sources (the public source code of Fingertips):
# * "similar", "higher", "lower" and "not compared" are Fingertips' own
#   blue/orange/blue ("BOB") colours, the scheme Fingertips uses when no
#   better/worse judgement is made: ukhsa-collaboration/fingertips-open,
#   IndicatorsUI JavaScript ``var colours = {same: '#ffc000', bobLower: '#5555E6',
#   bobHigher: '#C2CCFF', noComparison: '#c9c9c9', ...}``; the fingertipscharts R
#   package (R/theme.R, ``scale_fill_phe``) uses the same values except
#   Higher = '#BED2FF'.
# * Fingertips itself draws better/worse in red/amber/green (see
#   FINGERTIPS_RAG_COLOURS below), which red-green colour-blind readers cannot
#   separate, and it has no separate colour-blind better/worse palette that we
#   could find. For better/worse we therefore use the blue and vermillion of the
#   Okabe & Ito "Color Universal Design" palette (Okabe M, Ito K, 2008; Wong B,
#   Nature Methods 2011;8:441), which stay distinct from each other and from
#   Fingertips' amber "similar" under protanopia, deuteranopia and tritanopia.
# Always show the outcome as text as well (legend or label): colour alone is not
# accessible, and "better" (blue) and "lower" (dark blue) are both blues.
#: The comparison of a figure without sampling error (a count of areas, a share of population
#: estimates, an index score): no interval and no better/similar/worse; pages describe it in words.
NOT_TESTED = "not tested"

COMPARISON_COLOURS: dict[str, str] = {
    "better": "#0072B2",  # Okabe-Ito blue
    "similar": "#FFC000",  # Fingertips amber ("same")
    "worse": "#D55E00",  # Okabe-Ito vermillion
    "higher": "#C2CCFF",  # Fingertips BOB light blue ("bobHigher")
    "lower": "#5555E6",  # Fingertips BOB dark blue ("bobLower")
    "not compared": "#C9C9C9",  # Fingertips grey ("noComparison")
}

#: Fingertips' standard red/amber/green colours, for reference only (not
#: colour-blind safe). Same sources as above.
FINGERTIPS_RAG_COLOURS: dict[str, str] = {
    "better": "#92D050",
    "similar": "#FFC000",
    "worse": "#C00000",
    "not compared": "#C9C9C9",
}

_JUDGEMENT = {
    # polarity -> (word for significantly higher, word for significantly lower)
    "higher_is_better": ("better", "worse"),
    "lower_is_better": ("worse", "better"),
    "no_judgement": ("higher", "lower"),
}


def compare_by_ci_overlap(
    value: Any,
    lower: Any,
    upper: Any,
    comp_value: Any,
    comp_lower: Any = None,
    comp_upper: Any = None,
    *,
    polarity: Any = "higher_is_better",
    use_comparator_interval: bool = False,
) -> Any:
    """Classify areas against a comparator using confidence intervals (OHID/Fingertips).

    Method: OHID's "compared with benchmark" test as used on Fingertips: the
    area is significantly higher if its confidence interval is entirely above
    the comparator value (``lower > comp_value``), significantly lower if
    entirely below (``upper < comp_value``), otherwise similar. An interval
    that just touches the comparator value counts as similar. See the OHID
    Technical Guide "Confidence intervals". (PHEindicatormethods has no
    function for this step; Fingertips applies it when displaying data.)

    Parameters
    ----------
    value, lower, upper:
        The area's value and confidence limits (scalars, arrays or Series).
        Use the 95% limits for the usual Fingertips judgement or the 99.8%
        limits for the stricter one.
    comp_value:
        Comparator value, e.g. England's; a scalar or one per area.
    comp_lower, comp_upper:
        Comparator limits. Ignored unless ``use_comparator_interval=True``
        (Fingertips compares against the comparator's point value only).
    polarity:
        "higher_is_better", "lower_is_better" or "no_judgement"; one value for
        all areas or one per area.
    use_comparator_interval:
        If True, require the two intervals not to overlap (stricter; not the
        Fingertips rule).

    Returns
    -------
    str, numpy array of str, or pandas Series
        "better" / "similar" / "worse", or "higher" / "similar" / "lower" when
        polarity is "no_judgement", or "not compared" when the value, either
        limit, or the comparator value (or interval, if used) is missing.
    """
    index = _common_index(
        value, lower, upper, comp_value, comp_lower, comp_upper, polarity if not isinstance(polarity, str) else None
    )
    val = _as_float_array(value, "value")
    low = _as_float_array(lower, "lower")
    high = _as_float_array(upper, "upper")
    comp = _as_float_array(comp_value, "comp_value")
    if use_comparator_interval:
        if comp_lower is None or comp_upper is None:
            raise ValueError("use_comparator_interval=True needs comp_lower and comp_upper")
        comp_low = _as_float_array(comp_lower, "comp_lower")
        comp_high = _as_float_array(comp_upper, "comp_upper")
    else:
        comp_low = comp_high = comp
    pol = _polarity_array(polarity)

    val, low, high, comp, comp_low, comp_high, pol = _broadcast(val, low, high, comp, comp_low, comp_high, pol)
    with np.errstate(invalid="ignore"):
        if np.any(low > high):
            raise ValueError("lower confidence limits must not be above upper limits")

    missing = np.isnan(val) | np.isnan(low) | np.isnan(high) | np.isnan(comp)
    missing |= np.isnan(comp_low) | np.isnan(comp_high)
    with np.errstate(invalid="ignore"):
        is_higher = low > comp_high
        is_lower = high < comp_low

    by_polarity = [pol == p for p in _JUDGEMENT]
    higher_word = np.select(by_polarity, [_JUDGEMENT[p][0] for p in _JUDGEMENT], default="")
    lower_word = np.select(by_polarity, [_JUDGEMENT[p][1] for p in _JUDGEMENT], default="")
    result = np.select(
        [missing, is_higher, is_lower], ["not compared", higher_word, lower_word], default="similar"
    ).astype(object)
    return _wrap(result, index, "comparison")


def _polarity_array(polarity: Any) -> np.ndarray:
    values = np.asarray(
        list(polarity) if hasattr(polarity, "__iter__") and not isinstance(polarity, str) else polarity, dtype=object
    )
    unknown = sorted({str(p) for p in np.ravel(values)} - set(POLARITIES))
    if unknown:
        raise ValueError(f"polarity must be one of {', '.join(POLARITIES)}; got {', '.join(unknown)}")
    return values.astype(str)
