"""The statistics of the screening pages, each in one function (DataFrames and numbers in and out).

* **Coverage of a group of practices** (:func:`coverage`): sum of the screened (numerators) over
  the sum of the eligible (denominators) of the practices with both counts published, with a
  Wilson score 95% interval (:func:`llr_analysis.stats.wilson_ci`, OHID method). Practices whose
  counts were suppressed are left out and counted, never treated as zero.
* **Comparison with England** (:func:`compare_with_england`): OHID/Fingertips CI-overlap
  benchmarking (:func:`llr_analysis.stats.compare_by_ci_overlap`, higher is better).
* **Funnel plot** (:func:`funnel`): OHID Wilson-score control limits at 95% and 99.8% around the
  England (or ICS) value (:func:`llr_analysis.stats.proportion_funnel_limits`,
  :func:`llr_analysis.stats.funnel_position`).
* **Gap to the programme standard** (:func:`gap_to_standard`, :func:`screens_needed`): percentage
  points below the acceptable and achievable thresholds, and how many more people would need to
  have been screened to reach them.
* **Coverage and deprivation** (:func:`deprivation_association`): Spearman rank correlation
  between practice coverage and the practice's registered-population-weighted IMD 2019 score.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from llr_analysis.analysis.cancer_screening.programmes import standard
from llr_analysis.stats import (
    compare_by_ci_overlap,
    funnel_position,
    proportion_funnel_limits,
    wilson_ci,
)


def coverage(numerator: Any, denominator: Any) -> dict[str, Any]:
    """Coverage of a group of areas: sum(screened) / sum(eligible) x 100 with a Wilson 95% CI.

    Method: counts are added over the rows where both the numerator and the denominator are
    published; rows with either missing (suppressed) are excluded and counted in
    ``excluded``. The interval is the Wilson score interval (OHID method,
    :func:`llr_analysis.stats.wilson_ci`).
    """
    num = pd.to_numeric(pd.Series(numerator), errors="coerce").reset_index(drop=True)
    den = pd.to_numeric(pd.Series(denominator), errors="coerce").reset_index(drop=True)
    ok = num.notna() & den.notna() & (den > 0)
    n_ok = int(ok.sum())
    x, n = float(num[ok].sum()), float(den[ok].sum())
    if n_ok == 0 or n <= 0:
        return {
            "value": np.nan,
            "lower_95": np.nan,
            "upper_95": np.nan,
            "count": np.nan,
            "denominator": np.nan,
            "included": 0,
            "excluded": int((~ok).sum()),
        }
    value, lower, upper = wilson_ci(x, n)
    return {
        "value": float(value),
        "lower_95": float(lower),
        "upper_95": float(upper),
        "count": x,
        "denominator": n,
        "included": n_ok,
        "excluded": int((~ok).sum()),
    }


def screens_needed(numerator: Any, denominator: Any, threshold_pct: float) -> float:
    """How many more people would have to have been screened for coverage to reach the threshold.

    ``ceil(threshold/100 x eligible - screened)``, and 0 when coverage already meets it (the
    "screens needed to meet 80%" of the PHE cervical coverage workbook). NaN if either count is missing.
    """
    if pd.isna(numerator) or pd.isna(denominator):
        return np.nan
    need = threshold_pct / 100 * float(denominator) - float(numerator)
    return float(max(0, math.ceil(round(need, 9))))


def compare_with_england(value: Any, lower: Any, upper: Any, england_value: Any) -> Any:
    """Better / similar / worse than England by CI overlap (OHID method; higher coverage is better)."""
    return compare_by_ci_overlap(value, lower, upper, england_value, polarity="higher_is_better")


def shown_pct(value: float) -> float:
    """A coverage as the pages show it, to 1 decimal place (as ``f"{value:.1f}"``).

    Every comparison with a standard is made on this number, so an area shown as 75.0% meets a 75%
    standard whatever its unrounded value, for PCNs, places and practices alike.
    """
    return float(f"{float(value):.1f}")


def standard_band(value: float, programme: str) -> str:
    """Where a coverage sits against the programme standard: 'meets achievable', 'meets acceptable only',
    'below acceptable' (compared as shown, to 1 decimal place: :func:`shown_pct`)."""
    if pd.isna(value):
        return "not compared"
    s, v = standard(programme), shown_pct(value)
    if v >= s["achievable"]:
        return "meets achievable"
    if v >= s["acceptable"]:
        return "meets acceptable only"
    return "below acceptable"


def gap_to_standard(numerator: Any, denominator: Any, programme: str) -> dict[str, float]:
    """Coverage gap to the programme's acceptable and achievable thresholds.

    Percentage points below each threshold (0 when met) and the extra people screened needed
    to reach it (:func:`screens_needed`). Met or not is judged on the coverage as shown
    (:func:`shown_pct`, as :func:`standard_band`), so a threshold shown as met needs 0 more screens.
    """
    s = standard(programme)
    if pd.isna(numerator) or pd.isna(denominator) or float(denominator) <= 0:
        return {
            "gap_acceptable_pp": np.nan,
            "gap_achievable_pp": np.nan,
            "screens_to_acceptable": np.nan,
            "screens_to_achievable": np.nan,
        }
    value = shown_pct(100 * float(numerator) / float(denominator))
    out = {}
    for key in ("acceptable", "achievable"):
        threshold = float(s[key])
        met = value >= threshold
        out[f"gap_{key}_pp"] = 0.0 if met else round(threshold - value, 1)
        out[f"screens_to_{key}"] = 0.0 if met else screens_needed(numerator, denominator, threshold)
    return {
        k: out[k] for k in ("gap_acceptable_pp", "gap_achievable_pp", "screens_to_acceptable", "screens_to_achievable")
    }


def funnel(practices: pd.DataFrame, target_pct: float, n_points: int = 120) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Funnel plot data: each practice's position and the control-limit curves.

    Method: OHID Wilson-score funnel limits for a proportion at 95% and 99.8% around
    ``target_pct`` (England's or the ICS's coverage), :func:`llr_analysis.stats.proportion_funnel_limits`;
    each practice's position from :func:`llr_analysis.stats.funnel_position`. Practices with
    suppressed counts are "not compared". Returns (points, limits) where limits has one row
    per denominator on a log-spaced grid covering the practices.
    """
    pts = practices.copy()
    num = pd.to_numeric(pts["numerator"], errors="coerce")
    den = pd.to_numeric(pts["denominator"], errors="coerce")
    ok = num.notna() & den.notna() & (den > 0)
    pts["value"] = np.where(ok, 100 * num / den.where(den > 0), np.nan)
    position = pd.Series("not compared", index=pts.index, dtype=object)
    if ok.any():
        position[ok] = funnel_position(num[ok].to_numpy(), den[ok].to_numpy(), target=target_pct / 100)
    pts["funnel_position"] = position
    lo = max(1.0, float(den[ok].min()) * 0.8) if ok.any() else 10.0
    hi = float(den[ok].max()) * 1.15 if ok.any() else 1000.0
    grid = np.unique(np.round(np.geomspace(lo, hi, n_points)))
    limits = proportion_funnel_limits(grid, target_pct / 100, multiplier=100)
    limits["target"] = target_pct
    return pts, limits


def deprivation_association(values: pd.Series, imd_scores: pd.Series) -> dict[str, Any]:
    """Spearman rank correlation between practice coverage and practice IMD 2019 score.

    Method: ``scipy.stats.spearmanr`` on the practices with both values (no weighting). A
    negative rho means lower coverage in more deprived practice populations. Returns rho, the
    two-sided p-value and n; rho is NaN with fewer than 5 practices.
    """
    from scipy.stats import spearmanr

    df = pd.DataFrame(
        {"v": pd.to_numeric(values, errors="coerce"), "d": pd.to_numeric(imd_scores, errors="coerce")}
    ).dropna()
    if len(df) < 5:
        return {"rho": np.nan, "p_value": np.nan, "n": len(df)}
    res = spearmanr(df["v"], df["d"])
    return {"rho": float(res.statistic), "p_value": float(res.pvalue), "n": len(df)}
