"""Display tables of the cancer screening pages: figures by age group side by side, names as shown."""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from llr_analysis.report.cancer_screening.charts import short_age
from llr_analysis.report.cancer_screening.text import fmt_ci

#: Columns of counts, shown as whole numbers.
COUNT_COLUMNS = (
    "screens_to_acceptable",
    "screens_to_achievable",
    "denominator",
    "count",
    "numerator",
    "practices",
    "practices_missing",
)


def pcn_display_name(name: Any) -> str:
    """'NORTH CITY & UNIVERSITY PCN' -> 'North City & University PCN'."""
    if name is None or name is pd.NA or (isinstance(name, float) and math.isnan(name)):
        return "no PCN on record"
    return str(name).title().replace("Pcn", "PCN")


def wide_by_age(df: pd.DataFrame, keys: list[str], values: dict[str, str], key_labels: dict[str, str]) -> pd.DataFrame:
    """A display table with one row per ``keys`` and, for each age group, the ``values`` columns
    side by side (headed "25–49 coverage (%)", ...). ``ci`` is made from lower_95/upper_95."""
    d = df.copy()
    if "ci" in values:
        d["ci"] = [fmt_ci(lo, hi).replace("%", "") for lo, hi in zip(d["lower_95"], d["upper_95"], strict=True)]
    ages = list(dict.fromkeys(d["age_group"]))
    order = list(dict.fromkeys(map(tuple, d[keys].astype(str).to_numpy())))
    out = d.drop_duplicates(subset=keys)[keys].copy()
    out["_k"] = list(map(tuple, out[keys].astype(str).to_numpy()))
    for ag in ages:
        g = d[d["age_group"] == ag].copy()
        g["_k"] = list(map(tuple, g[keys].astype(str).to_numpy()))
        g = g.drop_duplicates("_k").set_index("_k")
        for col, label in values.items():
            head = f"{short_age(ag)} {label}" if len(ages) > 1 else label[:1].upper() + label[1:]
            vals = out["_k"].map(g[col])
            if col in COUNT_COLUMNS:
                vals = pd.to_numeric(vals, errors="coerce").astype("Int64")
            out[head] = vals
    out = out.set_index("_k").loc[order].reset_index(drop=True)
    for k in keys:
        if k in ("practices", "practices_all", "imd_decile"):
            out[k] = pd.to_numeric(out[k], errors="coerce").astype("Int64")
    return out.rename(columns=key_labels)
