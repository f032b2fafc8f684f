"""A primary care network's member practices and their screening figures (for its profile page).

DataFrames out: :func:`members` (one row per practice ever listed in the PCN) and :func:`screening`
(cervical screening coverage of each open member practice with its Wilson interval, compared with
England by the confidence-interval overlap test).
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from llr_analysis.analysis.localities.pcns import pcn_name
from llr_analysis.analysis.locality.load import LocalityData
from llr_analysis.places import load_places
from llr_analysis.stats import compare_by_ci_overlap, wilson_ci


def members(data: LocalityData, pcn_code: str) -> pd.DataFrame:
    """The PCN's practices: code, name, status, opening and closing dates, the membership list and its
    date (``membership``), the postcode district and place of the surgery, and the number of women
    eligible for cervical screening (the latest period's denominators, both age groups): the size of
    the practice in the sources this site reads (registered list sizes are not among them)."""
    cfg = load_places()
    p = data.practices[data.practices["pcn_code"] == pcn_code]
    cov = data.coverage
    latest = cov[cov["period_sort"] == cov["period_sort"].max()]
    eligible = latest[~latest["suppressed"].astype(bool)].groupby("practice_code")["denominator"].sum()
    out = pd.DataFrame(
        {
            "practice_code": p["practice_code"],
            "practice_name": p["practice_name"].map(pcn_name).str.replace(" PCN", "", regex=False),
            "status": p["status"],
            "open_date": p["open_date"].astype(str),
            "close_date": p["close_date"].fillna("").astype(str),
            "membership": p["pcn_basis"].astype(str),
            "postcode_district": p["postcode"].astype(str).str.split().str[0],
            "place": p["place_id"].map({k: v.name for k, v in cfg.places.items()}),
            "eligible_women": p["practice_code"].map(eligible),
            "eligible_period": str(latest["period_label"].iloc[0]) if len(latest) else "",
        }
    )
    return out.sort_values(["status", "practice_name"]).reset_index(drop=True)


def screening(data: LocalityData, pcn_code: str) -> pd.DataFrame:
    """Coverage of each open member practice (programme, age group, period): numerator, denominator,
    value with its 95% Wilson interval, England's coverage (all practices of the file) and the
    comparison. A practice with suppressed counts is kept with no value (missing, never zero)."""
    p = data.practices
    open_members = p[(p["pcn_code"] == pcn_code) & p["status"].eq("active")]["practice_code"]
    names = p.set_index("practice_code")["practice_name"].map(pcn_name)
    rows: list[dict[str, Any]] = []
    for (programme, age_group, period), g in data.coverage.groupby(["programme", "age_group", "period_label"]):
        shown = g[~g["suppressed"].astype(bool)]
        england = 100 * shown["numerator"].sum() / shown["denominator"].sum()
        for r in g[g["practice_code"].isin(open_members)].itertuples():
            value = lower = upper = float("nan")
            comparison = "not compared"
            if not bool(r.suppressed) and float(r.denominator) > 0:  # type: ignore[arg-type]
                value, lower, upper = wilson_ci(r.numerator, r.denominator)
                comparison = compare_by_ci_overlap(value, lower, upper, england, polarity="higher_is_better")
            rows.append(
                {
                    "programme": programme,
                    "age_group": age_group,
                    "period": period,
                    "practice_code": r.practice_code,
                    "practice_name": names.get(r.practice_code, pcn_name(str(r.practice_name))),
                    "numerator": None if bool(r.suppressed) else r.numerator,
                    "denominator": None if bool(r.suppressed) else r.denominator,
                    "value": value,
                    "lower_95": lower,
                    "upper_95": upper,
                    "england_value": england,
                    "comparison": comparison,
                }
            )
    return pd.DataFrame(rows)
