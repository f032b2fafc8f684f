"""The sentences of a locality profile: its key messages, and figures formatted as in its tables."""

from __future__ import annotations

from typing import Any

import pandas as pd

from llr_analysis.analysis.locality.localities import Locality
from llr_analysis.report.figures import format_value, plain_versus
from llr_analysis.report.words import is_older_data
from llr_analysis.stats.benchmark import NOT_TESTED

#: Comparison words in sentences ("higher than England").
VERSUS = {
    "better": "better than",
    "worse": "worse than",
    "higher": "higher than",
    "lower": "lower than",
    "similar": "similar to",
}


def fmt(value: Any, unit: str) -> str:
    """A figure as shown (people whole, % and scores to one decimal): the headline tables' format."""
    return format_value(pd.Series({"value": value, "unit": unit}))


def key_messages(loc: Locality, figures: pd.DataFrame) -> list[str]:
    """Up to four sentences: first the figures that differ from England by the significance test, then
    the others in table order (a figure without sampling error described in plain words), each with
    its comparison and its period; older data said in words."""
    differs = figures["vs_england"].isin(["better", "worse", "higher", "lower"])
    picked = pd.concat([figures[differs], figures[~differs]])
    out = []
    for r in picked.head(4).to_dict("records"):
        value, england_value, unit, indicator = r["value"], r["england_value"], str(r["unit"]), str(r["indicator"])
        period = f"{r['period']}" + (", older data" if is_older_data(str(r["period"])) else "")
        versus = VERSUS.get(str(r["vs_england"]))
        england = f", England {fmt(england_value, unit)}" if pd.notna(england_value) else ""
        place = f", {loc.place_name} {fmt(r['place_value'], unit)}" if pd.notna(r["place_value"]) else ""
        if versus:
            out.append(
                f"{indicator}: {fmt(value, unit)}, {versus} England ({fmt(england_value, unit)}){place} ({period})."
            )
        elif r["vs_england"] == NOT_TESTED and (words := plain_versus(value, england_value, unit)):
            if value == 0 and pd.notna(r["denominator"]) and "LSOAs" in indicator:
                words = f"none of its {r['denominator']:,.0f} small areas (England {fmt(england_value, unit)})"
            out.append(f"{indicator}: {fmt(value, unit)}, {words}{place} ({period}).")
        else:
            out.append(f"{indicator}: {fmt(value, unit)}{place}{england} ({period}).")
    return out
