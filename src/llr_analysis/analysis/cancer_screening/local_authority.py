"""Screening coverage of residents by upper-tier local authority (Fingertips), and the ONS Health Index
screening composite: the places against England."""

from __future__ import annotations

import numpy as np
import pandas as pd

from llr_analysis.analysis.cancer_screening.coverage import compare_with_england, gap_to_standard, standard_band
from llr_analysis.analysis.cancer_screening.programmes import ENGLAND_CODE, local_authority_indicator_ids
from llr_analysis.places import get_place, load_places


def _local_authority_coverage(area_coverage: pd.DataFrame, programme: str) -> pd.DataFrame:
    ac = area_coverage
    return ac[
        (ac["programme"] == programme)
        & ac["indicator_id"].isin(local_authority_indicator_ids(programme))
        & ac["area_level"].isin(["utla", "utla_2021", "england"])
    ]


def local_authority_rows(area_coverage: pd.DataFrame, programme: str, period: str) -> pd.DataFrame:
    """Fingertips upper-tier local authority coverage (resident population) for the ICS's
    places and England, with the CI-overlap comparison with England."""
    ac = _local_authority_coverage(area_coverage, programme)
    ac = ac[ac["period"] == period]
    codes = [p.code for p in load_places().places.values()] + [ENGLAND_CODE]
    ac = ac[ac["area_code"].isin(codes)].drop_duplicates(subset=["area_code", "age_group"])
    if ac.empty:
        return ac
    out = []
    for _ag, g in ac.groupby("age_group"):
        e = g[g["area_code"] == ENGLAND_CODE]
        ev = float(e["value"].iloc[0]) if len(e) else np.nan
        g = g.copy()
        g["comparison"] = compare_with_england(g["value"], g["lower_95"], g["upper_95"], ev)
        g.loc[g["area_code"] == ENGLAND_CODE, "comparison"] = "comparator"
        out.append(g)
    return pd.concat(out, ignore_index=True)


def la_table(la: pd.DataFrame, place: str, programme: str) -> pd.DataFrame:
    """Fingertips local authority rows in the area-table layout (this place, the ICS's other places,
    England), with the standard band and gap to the standard."""
    the_place = get_place(place)
    t = la.copy()
    t["level"] = np.where(
        t["area_code"] == the_place.code, "place", np.where(t["area_code"] == ENGLAND_CODE, "england", "other_place")
    )
    t["order"] = t["level"].map({"place": 0, "other_place": 1, "england": 2})
    t = t.sort_values(["age_group", "order", "area_name"]).drop(columns="order").reset_index(drop=True)
    t["standard_band"] = [standard_band(v, programme) for v in t["value"]]
    gaps = pd.DataFrame([gap_to_standard(n, d, programme) for n, d in zip(t["count"], t["denominator"], strict=True)])
    return pd.concat([t, gaps], axis=1)


def la_trend(area_coverage: pd.DataFrame, programme: str, place: str) -> pd.DataFrame:
    """Every Fingertips period for the place and England (resident population)."""
    ac = _local_authority_coverage(area_coverage, programme)
    codes = [get_place(place).code, ENGLAND_CODE]
    t = ac[ac["area_code"].isin(codes)]
    t = t.drop_duplicates(subset=["area_code", "age_group", "period"]).sort_values("period_sort")
    return t[
        [
            "area_code",
            "area_name",
            "age_group",
            "period",
            "period_sort",
            "value",
            "lower_95",
            "upper_95",
            "count",
            "denominator",
        ]
    ].reset_index(drop=True)


def health_index_summary(health_index: pd.DataFrame) -> pd.DataFrame:
    """The places' Health Index screening composite by year, each with its national rank,
    plus the England median of the upper-tier local authorities (the file has no England row)."""
    hi = health_index
    codes = {p.code: p for p in load_places().places.values()}
    med = hi.groupby("year").agg(value=("value", "median"), areas=("areas", "first")).reset_index()
    med["area_code"], med["area_name"], med["series"], med["rank_text"] = (
        ENGLAND_CODE,
        "England (median UTLA)",
        "England UTLA median",
        "",
    )
    here = hi[hi["area_code"].isin(codes)].copy()
    here["area_name"] = here["area_code"].map(lambda c: codes[c].name)
    here["series"] = "place"
    here["rank_text"] = [f"{r} of {n} (1 = highest)" for r, n in zip(here["rank"], here["areas"], strict=True)]
    return pd.concat([here, med], ignore_index=True)
