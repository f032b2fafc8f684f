"""One key figure of a profile: the locality's value and 95% interval beside its place, the ICS and
England, compared by the one shared benchmarking function
(:func:`llr_analysis.stats.benchmark.compare_by_ci_overlap`, OHID's CI-overlap test with the
indicator's polarity). Where no interval exists the comparison is "not compared"; a figure without
sampling error is :data:`NOT_TESTED`."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from llr_analysis.stats.benchmark import NOT_TESTED, compare_by_ci_overlap
from llr_analysis.stats.proportions import wilson_ci

#: The columns of a key-figure row (see :func:`figure_row`).
FIGURE_COLUMNS = [
    "topic",
    "indicator",
    "unit",
    "period",
    "value",
    "lower_95",
    "upper_95",
    "count",
    "denominator",
    "place_value",
    "llr_value",
    "england_value",
    "vs_place",
    "vs_llr",
    "vs_england",
    "polarity",
    "basis",
    "source_id",
]


def compare(value: Any, lower: Any, upper: Any, comparator: Any, polarity: str) -> str:
    """The one comparison of a profile figure with a comparator (OHID CI overlap); no CI -> not compared."""
    return str(compare_by_ci_overlap(value, lower, upper, comparator, polarity=polarity))


def figure_row(
    topic: str,
    indicator: str,
    unit: str,
    period: str,
    here: dict[str, Any],
    place: float,
    llr: float,
    england: float,
    polarity: str,
    basis: str,
    source_id: str,
) -> dict[str, Any]:
    """One key figure: ``here`` holds value, lower_95, upper_95 (and count, denominator if a proportion)."""
    v, lo, hi = here.get("value"), here.get("lower_95"), here.get("upper_95")
    tested = here.get("tested", True)
    return {
        "topic": topic,
        "indicator": indicator,
        "unit": unit,
        "period": period,
        "value": v,
        "lower_95": lo,
        "upper_95": hi,
        "count": here.get("count"),
        "denominator": here.get("denominator"),
        "place_value": place,
        "llr_value": llr,
        "england_value": england,
        "vs_place": compare(v, lo, hi, place, polarity) if tested else NOT_TESTED,
        "vs_llr": compare(v, lo, hi, llr, polarity) if tested else NOT_TESTED,
        "vs_england": compare(v, lo, hi, england, polarity) if tested else NOT_TESTED,
        "polarity": polarity,
        "basis": basis,
        "source_id": source_id,
    }


def proportion(count: float, denominator: float) -> dict[str, Any]:
    """A percentage with its Wilson 95% interval (missing if the denominator is 0 or unknown)."""
    if pd.isna(count) or pd.isna(denominator) or denominator <= 0:
        return {"value": np.nan, "lower_95": np.nan, "upper_95": np.nan, "count": count, "denominator": denominator}
    v, lo, hi = wilson_ci(count, denominator)
    return {"value": float(v), "lower_95": float(lo), "upper_95": float(hi), "count": count, "denominator": denominator}


def estimate_share(count: float, denominator: float) -> dict[str, Any]:
    """A percentage without an interval or a verdict: a count of areas or a share of population
    estimates, which has no sampling error (:data:`NOT_TESTED`)."""
    ok = not (pd.isna(count) or pd.isna(denominator) or denominator <= 0)
    value = float(100 * count / denominator) if ok else np.nan
    return {"value": value, "count": count, "denominator": denominator, "tested": False}
