"""A figure in words and in a table cell: its value, its comparison with England and its period.

Shared by the overview, the place summaries and the locality profiles; the cells are rendered by
``templates/comparison.html`` and ``templates/period.html`` (escaped).
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from llr_analysis.analysis.overview import COMPARISON_TEXT
from llr_analysis.report.templating import render
from llr_analysis.report.words import is_older_data
from llr_analysis.stats.benchmark import COMPARISON_COLOURS, NOT_TESTED


def format_value(row: pd.Series) -> str:
    v = row["value"]
    if pd.isna(v):
        return "–"
    unit = row.get("unit") or ""
    if unit == "people" or unit == "rank":
        text = f"{v:,.0f}"
    elif unit == "%":
        text = f"{v:.1f}%"
    else:
        text = f"{v:,.1f}" + (f" {unit}" if unit and unit not in ("score",) else "")
    if pd.notna(row.get("lower_95")) and pd.notna(row.get("upper_95")):
        text += f" ({row['lower_95']:.1f}–{row['upper_95']:.1f})"
    return text


def comparison_parts(comparison) -> dict:
    """A comparison as its words and colour swatch (colour is never the only carrier of meaning)."""
    comp = comparison if isinstance(comparison, str) and comparison else "not compared"
    return {"colour": COMPARISON_COLOURS.get(comp, "#C9C9C9"), "text": COMPARISON_TEXT.get(comp, comp), "note": ""}


def plain_versus(value, comparator, unit: str, who: str = "England") -> str:
    """A figure without sampling error against a comparator, in words and without a verdict:
    "twice England's 10.0%", "none (England 10.0%)", "2.0 points above England's 18.5%",
    "about the same as England's 21.4". "" when either value is missing or the figure is a count."""
    if pd.isna(value) or pd.isna(comparator) or unit in ("people", "rank"):
        return ""
    shown = format_value(pd.Series({"value": comparator, "unit": unit}))
    if value == 0:
        return f"none ({who} {shown})"
    if round(value, 1) == round(comparator, 1):
        return f"the same as {who}'s {shown}"
    if comparator > 0 and value / comparator >= 1.5:
        return f"{times_in_words(value / comparator)} {who}'s {shown}"
    gap = abs(value - comparator)
    what = "points" if unit == "%" else ""
    return f"{gap:.1f} {what} {'above' if value > comparator else 'below'} {who}'s {shown}".replace("  ", " ")


def comparison_cell_parts(comparison, value=None, comparator=None, unit: str = "", who: str = "England") -> dict:
    """What a comparison cell (``templates/comparison.html``) shows: the comparison, or for a figure
    without sampling error the plain words of :func:`plain_versus` with a grey swatch and "not tested"."""
    if comparison == NOT_TESTED:
        words = plain_versus(value, comparator, unit, who)
        if words:
            return {"colour": "#C9C9C9", "text": words[0].upper() + words[1:], "note": "not tested: no sampling error"}
        return {"colour": "#C9C9C9", "text": "Not tested: no sampling error", "note": ""}
    return comparison_parts(comparison)


def period_parts(period, today: date | None = None) -> dict:
    return {"text": str(period), "older": is_older_data(period, today)}


def period_cell(period, today: date | None = None) -> str:
    """A period for a table cell, with a visible "older data" label (words, not colour) when it is old."""
    return render("period.html", p=period_parts(period, today))


def times_in_words(ratio: float) -> str:
    """A ratio in words: "twice", "three times", "1.7 times"."""
    r = round(ratio, 1)
    return {2.0: "twice", 3.0: "three times", 4.0: "four times"}.get(r, f"{r:.1f} times")
