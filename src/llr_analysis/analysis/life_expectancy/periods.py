"""Periods in one comparison: a place whose life expectancy is older than the other places' is named
with what its districts show for the latest period (issue 20: periods are never mixed silently)."""

from __future__ import annotations

import pandas as pd

from llr_analysis.places import get_place


def district_range(le_la: pd.DataFrame, place: str, sex: str, period: str) -> dict | None:
    """Life expectancy at birth of the place's districts in ``period`` (OHID Fingertips 90366): the lowest
    and highest value (1 dp) with every district at it (ties named), and how many districts; None if the
    place has no districts with a figure for that period."""
    le = le_la
    p = get_place(place)
    d = le[
        (le["series"] == "fingertips_90366")
        & (le["age"] == "birth")
        & (le["sex"] == sex)
        & (le["period"] == period)
        & le["area_code"].isin([c for c in p.district_codes if c != p.code])
    ].dropna(subset=["value"])
    if d.empty:
        return None
    shown = d["value"].round(1)
    names = {
        k: " and ".join(sorted(d.loc[shown == v, "area_name"]))
        for k, v in (("low", shown.min()), ("high", shown.max()))
    }
    return {
        "n": len(d),
        "low": float(shown.min()),
        "low_names": names["low"],
        "high": float(shown.max()),
        "high_names": names["high"],
        "period": period,
    }


def note_older_periods(h: pd.DataFrame, le_la: pd.DataFrame) -> pd.DataFrame:
    """A place whose life expectancy headline is older than the other places' says so in its note, with
    what its districts show for the latest period (periods are never mixed silently in one comparison)."""
    if h.empty:
        return h
    le_rows = h["indicator"].astype(str).str.startswith("Life expectancy at birth")
    start = h["period"].astype(str).str[:4].astype(int)
    latest = h.loc[le_rows & start.eq(start[le_rows].max()), "period"]
    if latest.empty:
        return h
    latest_period = str(latest.iloc[0])
    h = h.copy()
    for i in h.index[le_rows & (h["period"].astype(str) != latest_period)]:
        # le_rows are the rows whose indicator starts with "Life expectancy at birth": str values
        sex = "Female" if "females" in str(h.at[i, "indicator"]) else "Male"
        r = district_range(le_la, str(h.at[i, "area_id"]), sex, latest_period)
        extra = f"no figure for {h.at[i, 'area_name']!s} as a whole after {h.at[i, 'period']!s}"
        if r is not None:
            extra += (
                f"; in {latest_period} its {r['n']} districts ranged from {r['low']:.1f} ({r['low_names']}) to "
                f"{r['high']:.1f} years ({r['high_names']})"
            )
        h.at[i, "note"] = f"{h.at[i, 'note']!s}; {extra}"
    return h
