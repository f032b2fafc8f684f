"""Screening coverage Fingertips publishes itself for NHS areas: primary care networks (PCNs), sub-ICB
locations (the former CCGs) and the integrated care board (ICB).

``llr fetch-fingertips`` (online only) brings breast screening coverage for these levels (indicator 94063,
or 91339 when 94063 has no data); processing keeps them in ``cancer_screening/area_coverage`` with
``area_level`` ``pcn``, ``sub_icb`` or ``icb`` (:mod:`llr_analysis.process.fingertips`). Nothing is
recomputed: values and 95% confidence limits are Fingertips'. Each area is compared with England's value
of the same indicator, period and age group by CI overlap
(:func:`llr_analysis.analysis.cancer_screening.coverage.compare_with_england`, higher is better).

Which areas belong to a place: the ICB is the configured ICS's (``places.yml``); the sub-ICB locations are
those of ``place_rule.ccg_ons_codes`` whose CCG serves the place (a CCG may serve more than one place); a PCN
belongs to the place the practice place rule gives it from its parent sub-ICB location and its code
(:func:`llr_analysis.process.gp_practices.assign_place`).
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from llr_analysis.analysis.cancer_screening.coverage import compare_with_england, standard_band
from llr_analysis.analysis.cancer_screening.programmes import ENGLAND_CODE
from llr_analysis.places import get_place, load_places
from llr_analysis.process.gp_practices import NOT_PLACED, assign_place, practice_rule, sub_icb_places

#: The NHS levels Fingertips publishes, in the order a table shows them.
LEVELS = ("pcn", "sub_icb", "icb")
LEVEL_LABELS = {"pcn": "PCN", "sub_icb": "Sub-ICB location", "icb": "ICB", "england": "England"}
COLUMNS = [
    "level",
    "area_code",
    "area_name",
    "indicator_id",
    "age_group",
    "period",
    "period_sort",
    "value",
    "lower_95",
    "upper_95",
    "count",
    "denominator",
    "england_value",
    "comparison",
    "standard_band",
]


def former_ccg_names() -> dict[str, str]:
    """ONS code of each of the ICS's sub-ICB locations -> the name of the CCG it was ("NHS ... CCG")."""
    rule = practice_rule()
    names = {code: name for name, code in rule.get("names", {}).items()}  # the last spelling of a code wins
    return {ons: names[ccg] for ons, ccg in rule.get("ons_codes", {}).items() if ccg in names}


def nhs_area_rows(
    area_coverage: pd.DataFrame, programme: str, pcn_places: Mapping[str, str] | None = None
) -> pd.DataFrame:
    """Fingertips' own coverage for the ICS's PCNs, sub-ICB locations and ICB, each level at its latest period,
    with England's value for the same indicator, period and age group and the CI-overlap comparison.

    A PCN the places file does not place (its sub-ICB location covers more than one place and nothing is
    listed for it) goes to its place in ``pcn_places`` (PCN code -> place id: the place where most of its open
    practices are, :func:`llr_analysis.analysis.localities.pcns.pcns`), when given.

    Columns :data:`COLUMNS` plus ``places`` (the place ids an area serves). Empty when none was fetched.
    """
    ac = area_coverage
    ac = ac[(ac["programme"] == programme) & ac["area_level"].isin([*LEVELS, "england"])]
    if not ac["area_level"].isin(LEVELS).any():
        return pd.DataFrame(columns=[*COLUMNS, "places"])
    rule = practice_rule()
    cfg = load_places()
    ccg_places = {ons: sub_icb_places(ccg, rule) for ons, ccg in rule.get("ons_codes", {}).items()}
    out = []
    for level in LEVELS:
        rows = ac[ac["area_level"] == level].copy()
        if level == "pcn":
            ons = rule.get("ons_codes", {})
            placed = [
                _pcn_place(assign_place(ons.get(pc), c, None, rule), c, pcn_places)
                for pc, c in zip(rows["parent_code"], rows["area_code"], strict=True)
            ]
            rows["places"] = [[p] if p else [] for p in placed]
        elif level == "sub_icb":
            rows["places"] = rows["area_code"].map(lambda c: ccg_places.get(c, []))
        else:
            rows["places"] = [list(cfg.places) if c == cfg.llr_code else [] for c in rows["area_code"]]
        rows = rows[rows["places"].map(bool)]
        if rows.empty:
            continue
        rows = rows[rows["period_sort"] == rows["period_sort"].max()]
        out.append(rows.assign(level=level))
    if not out:
        return pd.DataFrame(columns=[*COLUMNS, "places"])
    df = pd.concat(out, ignore_index=True)
    eng = ac[ac["area_code"] == ENGLAND_CODE][["indicator_id", "period", "age_group", "value"]]
    eng = eng.drop_duplicates(["indicator_id", "period", "age_group"]).rename(columns={"value": "england_value"})
    df = df.merge(eng, on=["indicator_id", "period", "age_group"], how="left")
    df["comparison"] = compare_with_england(df["value"], df["lower_95"], df["upper_95"], df["england_value"])
    df["standard_band"] = [standard_band(v, programme) for v in df["value"]]
    df["_level"] = df["level"].map({lv: i for i, lv in enumerate(LEVELS)})
    df = df.sort_values(["age_group", "_level", "area_name"]).drop(columns="_level").reset_index(drop=True)
    return df[[*COLUMNS, "places"]]


def _pcn_place(placed: tuple[str | None, str], pcn: str, pcn_places: Mapping[str, str] | None) -> str | None:
    """A PCN's place: the practice place rule's, else (not placed by it) its place in ``pcn_places``."""
    place, basis = placed
    if place is None and basis.startswith(NOT_PLACED):
        return (pcn_places or {}).get(pcn)
    return place


def place_nhs_table(
    area_coverage: pd.DataFrame, programme: str, place: str, pcn_places: Mapping[str, str] | None = None
) -> pd.DataFrame:
    """:func:`nhs_area_rows` for the areas that serve ``place`` (its PCNs, its sub-ICB locations, the ICB),
    followed by England's row for each indicator, period and age group shown (``level`` ``england``,
    comparison ``comparator``). Empty when Fingertips gave none of these levels."""
    the_place = get_place(place)
    rows = nhs_area_rows(area_coverage, programme, pcn_places)
    if rows.empty:
        return pd.DataFrame(columns=COLUMNS)
    rows = rows[rows["places"].map(lambda ps: the_place.id in ps).astype(bool)].drop(columns="places")
    if rows.empty:
        return pd.DataFrame(columns=COLUMNS)
    ac = area_coverage
    eng = ac[(ac["programme"] == programme) & (ac["area_code"] == ENGLAND_CODE)]
    keys = rows[["indicator_id", "period", "age_group"]].drop_duplicates()
    eng = eng.merge(keys, on=["indicator_id", "period", "age_group"]).drop_duplicates(
        ["indicator_id", "period", "age_group"]
    )
    eng = eng.assign(level="england", england_value=eng["value"], comparison="comparator", area_name="England")
    eng["standard_band"] = [standard_band(v, programme) for v in eng["value"]]
    out = pd.concat([rows, eng[COLUMNS]], ignore_index=True)
    out["_level"] = out["level"].map({lv: i for i, lv in enumerate([*LEVELS, "england"])})
    out = out.sort_values(["age_group", "_level", "area_name"], kind="stable").drop(columns="_level")
    out["count"] = pd.to_numeric(out["count"], errors="coerce").astype(float)
    out["denominator"] = pd.to_numeric(out["denominator"], errors="coerce").astype(float)
    return out.reset_index(drop=True)
