"""A PCN's cancer screening coverage (its open practices' published counts, Wilson intervals) beside
its place, the ICS and England; areas have none (coverage is published by GP practice)."""

from __future__ import annotations

from typing import Any

import pandas as pd

from llr_analysis.analysis.locality.figure import figure_row, proportion
from llr_analysis.analysis.locality.load import LocalityData, shared
from llr_analysis.analysis.locality.localities import Locality


def screening_figures(data: LocalityData, loc: Locality) -> tuple[list[dict[str, Any]], str]:
    """Cervical screening coverage of the PCN's practices (Wilson CI) beside place, ICS and England
    (worked out once per locality: the key figures and the page's section both use them)."""
    return shared(data, ("screening", loc), lambda: _screening_figures(data, loc))


def _screening_figures(data: LocalityData, loc: Locality) -> tuple[list[dict[str, Any]], str]:
    if loc.is_area:
        return [], (
            "Cancer screening coverage is published for GP practices (their registered patients), not for "
            f"areas such as this {loc.level_label.lower()}: see the PCN profiles and the cancer screening page."
        )
    rows = []
    p = data.practices
    members = p[(p["pcn_code"] == loc.code) & p["status"].eq("active")]["practice_code"]
    for (programme, age_group, period_label), g in data.coverage.groupby(["programme", "age_group", "period_label"]):
        in_pcn = g[g["practice_code"].isin(members)]
        n_missing = int(in_pcn["suppressed"].astype(bool).sum())
        g = g[~g["suppressed"].astype(bool)]
        llr = g[g["place_id"].notna()]
        place = llr[llr["place_id"] == loc.place_id]
        # the PCN's open practices only (closed practices are shown apart, never counted in a PCN)
        here = llr[llr["practice_code"].isin(members)]
        if here.empty:
            continue

        def pct(x: pd.DataFrame) -> float:
            return float(100 * x["numerator"].sum() / x["denominator"].sum())

        standard = data.screening_standards[str(programme)]
        row = figure_row(
            "cancer_screening",
            f"{str(programme).capitalize()} screening coverage, ages {age_group} (%)",
            "%",
            str(period_label),
            proportion(here["numerator"].sum(), here["denominator"].sum()),
            pct(place),
            pct(llr),
            pct(g),
            "higher_is_better",
            f"sum of the PCN's {len(here)} open practices with counts"
            + (f" ({n_missing} with suppressed counts left out)" if n_missing else "")
            + "; closed practices not counted; 2023 PCN membership; standards "
            + f"{standard['acceptable']}% acceptable, {standard['achievable']}% achievable",
            str(g["source_id"].iloc[0]),
        )
        rows.append(row)
    return rows, "Coverage of the PCN's practices' registered patients, from the practices' published counts."
