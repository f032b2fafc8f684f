"""A locality's life expectancy: the district's own published figures; for a ward, the overlapping
MSOAs 2011 (2009-13), never presented as the ward's own; for a PCN, its practices' estimates."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from llr_analysis.analysis.locality.figure import compare, figure_row
from llr_analysis.analysis.locality.load import LocalityData, shared
from llr_analysis.analysis.locality.localities import Locality, lsoa21_codes
from llr_analysis.places import get_place, load_places


def overlapping_msoa11(data: LocalityData, loc: Locality) -> pd.DataFrame:
    """MSOAs 2011 that share LSOAs with the locality, with how many of the locality's LSOAs 2011 each holds."""
    codes21 = set(lsoa21_codes(data.lsoa21, loc))
    m, l11 = data.lsoa11_lsoa21, data.lsoa11
    hit = l11[l11["lsoa11_code"].isin(m.loc[m["lsoa21_code"].isin(codes21), "lsoa11_code"])]
    return hit.groupby(["msoa11_code", "msoa11_name"]).size().rename("lsoas11_shared").reset_index()


def district_life_expectancy(data: LocalityData, loc: Locality) -> list[dict[str, Any]]:
    """The district's own OHID figures at birth (latest period), with OHID's comparison with England."""
    le = data.le_districts
    le = le[(le["series"] == "fingertips_90366") & (le["age"] == "birth")]
    le = le[le["period_end"] == le["period_end"].max()]
    rows = []
    the_place = get_place(loc.place_id)
    for sex in ("Female", "Male"):
        s = le[le["sex"] == sex].set_index("area_code")
        if loc.code not in s.index:
            continue
        r = s.loc[loc.code]
        row = figure_row(
            "life_expectancy",
            f"Life expectancy at birth, {sex.lower()}s (years)",
            "years",
            str(r["period"]),
            {"value": float(r["value"])},
            float(s["value"].get(the_place.code, np.nan)),
            np.nan,
            float(s["value"].get(load_places().england_code, np.nan)),
            "higher_is_better",
            "OHID Fingertips 90366 for the district; comparison with England as published by OHID",
            str(r["source_id"]),
        )
        if isinstance(r.get("ohid_comparison"), str):
            row["vs_england"] = r["ohid_comparison"].strip().lower()
        rows.append(row)
    return rows


def life_expectancy_figures(data: LocalityData, loc: Locality) -> tuple[list[dict[str, Any]], pd.DataFrame, str]:
    """Key figures, a detail table, and a sentence on the geography the figures come from (worked out
    once per locality: the key figures and the page's section both use them)."""
    return shared(data, ("life_expectancy", loc), lambda: _life_expectancy_figures(data, loc))


def _life_expectancy_figures(data: LocalityData, loc: Locality) -> tuple[list[dict[str, Any]], pd.DataFrame, str]:
    if loc.level == "district":
        return district_life_expectancy(data, loc), pd.DataFrame(), "These are the district's own published figures."
    if loc.level == "pcn":
        return pcn_life_expectancy(data, loc)
    over = overlapping_msoa11(data, loc)
    detail = over.merge(data.le_msoa11, on=["msoa11_code"], how="inner", suffixes=("", "_le"))
    detail = detail[
        ["msoa11_code", "msoa11_name", "msoa11_hcl_name", "lsoas11_shared", "sex", "le", "le_lower_95", "le_upper_95"]
    ].copy()
    areas = data.le_areas
    eng = areas[areas["area_code"] == load_places().england_code].set_index("sex")["le"]
    detail["vs_england"] = [
        compare(r.le, r.le_lower_95, r.le_upper_95, eng.get(r.sex, np.nan), "higher_is_better")
        for r in detail.itertuples()
    ]
    n = detail["msoa11_code"].nunique()
    text = (
        f"No life expectancy is published for wards. The figures below are for the {n} middle-layer areas "
        "(MSOAs, 2011 boundaries) that share small areas with this ward, for 2009-13 — an overlapping "
        "geography, not the ward itself, and older data."
    )
    return [], detail.sort_values(["msoa11_name", "sex"]).reset_index(drop=True), text


def pcn_life_expectancy(data: LocalityData, loc: Locality) -> tuple[list[dict[str, Any]], pd.DataFrame, str]:
    """The life expectancy of each open practice of the PCN (no figure is published for the PCN)."""
    gp, p = data.le_practices, data.practices
    # the PCN's open practices (2023 membership); closed practices are never counted in a PCN
    codes = p.loc[(p["pcn_code"] == loc.code) & p["status"].eq("active"), ["practice_code", "practice_name", "status"]]
    latest = int(gp["year"].max())
    here = gp[(gp["year"] == latest) & gp["practice_code"].isin(codes["practice_code"])]
    detail = here.merge(codes, on="practice_code")[["practice_code", "practice_name", "status", "sex", "value"]]
    text = (
        f"Life expectancy is estimated for each GP practice's registered patients (OHID, {latest}, no "
        "confidence intervals published in this source). No figure is published for the PCN as a whole, so "
        "its practices are listed; the range across them shows the variation within the PCN."
    )
    return [], detail.sort_values(["sex", "value"]).reset_index(drop=True), text
