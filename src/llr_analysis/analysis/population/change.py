"""Change between the two mid-year estimates (all ages, 65+, 85+) by locality, place, ICS and England,
and its display and download forms. Pure functions."""

from __future__ import annotations

import pandas as pd

from llr_analysis.analysis.population.ages import structure_table
from llr_analysis.analysis.population.load import PopulationData
from llr_analysis.analysis.population.measures import percent_change
from llr_analysis.process.population import YEARS

#: Percentage changes of groups smaller than this at the start are not shown in page tables
#: (a handful of people moves them by tens of per cent); downloads keep them with their counts.
SMALL_BASE = 100


def change_table(
    data: PopulationData, place: str, level: str, start: int = YEARS[0], end: int = YEARS[-1]
) -> pd.DataFrame:
    """Change from mid-``start`` to mid-``end`` in all ages, 65+ and 85+, by locality, place, ICS and England.

    One row per area and measure: area_code, area_name, area_type, measure (All ages |
    Aged 65+ | Aged 85+), count_start, count_end, change, pct_change.
    """
    s = structure_table(data, start, place, level)
    e = structure_table(data, end, place, level)
    keys = ["area_code", "area_name", "area_type"]
    m = s.merge(e, on=keys, suffixes=("_start", "_end"), how="left", sort=False)
    rows = []
    for label, col in (("All ages", "population"), ("Aged 65+", "count_65_plus"), ("Aged 85+", "count_85_plus")):
        part = m[keys].copy()
        part["measure"] = label
        part["count_start"] = m[f"{col}_start"]
        part["count_end"] = m[f"{col}_end"]
        part["change"] = part["count_end"] - part["count_start"]
        part["pct_change"] = percent_change(part["count_start"], part["count_end"])
        rows.append(part)
    out = pd.concat(rows, ignore_index=True)
    out["period"] = f"mid-{start} to mid-{end}"
    return out


def wide_change(change: pd.DataFrame, small_base: int = SMALL_BASE) -> pd.DataFrame:
    """:func:`change_table` for display: one row per area, the end count and % change of each measure,
    with the % change left blank (missing) where the group had fewer than ``small_base`` people at the start."""
    end = change["period"].iloc[0].split("mid-")[-1]
    out = pd.DataFrame({"Area": list(dict.fromkeys(change["area_name"]))})
    for measure, short in (("All ages", "all ages"), ("Aged 65+", "65+"), ("Aged 85+", "85+")):
        m = change[change["measure"] == measure].set_index("area_name").reindex(out["Area"])
        pct = m["pct_change"].where(m["count_start"] >= small_base).round(1) + 0.0
        out[f"{measure}, mid-{end}"] = m["count_end"].round().astype("Int64").to_numpy()
        out[f"% change, {short}"] = pct.to_numpy()
    return out


def tidy_change(ch: pd.DataFrame, source_id: str) -> pd.DataFrame:
    """:func:`change_table` as a tidy download: value = % change, count = change in people,
    denominator = the count at the start."""
    return pd.DataFrame(
        {
            "indicator": "% change, " + ch["measure"],
            "area_code": ch["area_code"],
            "area_name": ch["area_name"],
            "period": ch["period"],
            "value": ch["pct_change"],
            "count": ch["change"],
            "denominator": ch["count_start"],
            "count_start": ch["count_start"],
            "count_end": ch["count_end"],
            "area_type": ch["area_type"],
            "source_id": source_id,
        }
    )
