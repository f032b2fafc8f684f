"""Cancer screening coverage by place, primary care network (PCN) and GP practice.

Reads the processed screening tables (:mod:`llr_analysis.process.cancer_screening`) and does the
topic's analysis; the notebook ``notebooks/cancer_screening.ipynb`` only calls into here.

Methods (each in one function below):

* **Practice -> PCN -> place** (processing, rule in the places file's ``practices:`` section): a
  practice whose sub-ICB location lies wholly in one place belongs to it; otherwise its PCN, then its
  premises postcode district (flagged approximate), then the sub-ICB's `rest` place decide; a practice no rule places is listed as
  not placed (the Methods page states the rule for the configured ICS).
* **Coverage of a group of practices** (:func:`coverage`): sum of the screened (numerators) over
  the sum of the eligible (denominators) of the practices with both counts published, with a
  Wilson score 95% interval (:func:`llr_analysis.stats.wilson_ci`, OHID method). Practices whose
  counts were suppressed are left out and counted, never treated as zero.
* **Comparison with England** (:func:`compare_with_england`): OHID/Fingertips CI-overlap
  benchmarking (:func:`llr_analysis.stats.compare_by_ci_overlap`, higher is better).
* **Funnel plot** (:func:`funnel`): OHID Wilson-score control limits at 95% and 99.8% around the
  England (or LLR) value (:func:`llr_analysis.stats.proportion_funnel_limits`,
  :func:`llr_analysis.stats.funnel_position`).
* **Gap to the programme standard** (:func:`gap_to_standard`, :func:`screens_needed`): percentage
  points below the acceptable and achievable thresholds, and how many more people would need to
  have been screened to reach them.
* **Coverage and deprivation** (:func:`deprivation_association`): Spearman rank correlation
  between practice coverage and the practice's registered-population-weighted IMD 2019 score.
"""

from __future__ import annotations

import math
from typing import cast

import numpy as np
import pandas as pd

from llr_analysis import settings
from llr_analysis.errors import ParameterError
from llr_analysis.places import get_place, load_places
from llr_analysis.process import read_table
from llr_analysis.stats import (
    compare_by_ci_overlap,
    funnel_position,
    proportion_funnel_limits,
    wilson_ci,
)

ENGLAND_CODE = load_places().england_code  # places.yml
TOPIC = "cancer_screening"


# ----------------------------------------------------------------------------- configuration


def programme_label(programme: str) -> str:
    return settings.cancer_screening()["programmes"][programme]["label"]


def check_programme(programme: str) -> str:
    """A configured programme id (``cervical``, ``breast``, ``bowel``) or ``all``."""
    key = str(programme).strip().lower()
    known = list(settings.cancer_screening()["programmes"])
    if key != "all" and key not in known:
        raise ParameterError(f"unknown screening programme {programme!r}; expected 'all' or one of {known}")
    return key


def programmes(programme: str = "all") -> list[str]:
    """The programmes a page shows, in the configured order."""
    key = check_programme(programme)
    return list(settings.cancer_screening()["programme_order"]) if key == "all" else [key]


def standard(programme: str) -> dict:
    """The programme's coverage standard: ``acceptable``, ``achievable`` (percent) and ``source``."""
    return dict(settings.cancer_screening()["programmes"][programme]["standard"])


def age_group_label(programme: str, age_group: str) -> str:
    groups = settings.cancer_screening()["programmes"][programme].get("age_groups", {})
    return groups.get(age_group, {}).get("label", f"Aged {age_group}")


# ------------------------------------------------------------------------------ statistics


def coverage(numerator, denominator) -> dict:
    """Coverage of a group of areas: sum(screened) / sum(eligible) x 100 with a Wilson 95% CI.

    Method: counts are added over the rows where both the numerator and the denominator are
    published; rows with either missing (suppressed) are excluded and counted in
    ``excluded``. The interval is the Wilson score interval (OHID method,
    :func:`llr_analysis.stats.wilson_ci`).
    """
    num = pd.to_numeric(pd.Series(numerator), errors="coerce").reset_index(drop=True)
    den = pd.to_numeric(pd.Series(denominator), errors="coerce").reset_index(drop=True)
    ok = num.notna() & den.notna() & (den > 0)
    n_ok = int(ok.sum())
    x, n = float(num[ok].sum()), float(den[ok].sum())
    if n_ok == 0 or n <= 0:
        return {
            "value": np.nan,
            "lower_95": np.nan,
            "upper_95": np.nan,
            "count": np.nan,
            "denominator": np.nan,
            "included": 0,
            "excluded": int((~ok).sum()),
        }
    value, lower, upper = wilson_ci(x, n)
    return {
        "value": float(value),
        "lower_95": float(lower),
        "upper_95": float(upper),
        "count": x,
        "denominator": n,
        "included": n_ok,
        "excluded": int((~ok).sum()),
    }


def screens_needed(numerator, denominator, threshold_pct: float) -> float:
    """How many more people would have to have been screened for coverage to reach the threshold.

    ``ceil(threshold/100 x eligible - screened)``, and 0 when coverage already meets it (the
    "screens needed to meet 80%" of the PHE cervical coverage workbook). NaN if either count is missing.
    """
    if pd.isna(numerator) or pd.isna(denominator):
        return np.nan
    need = threshold_pct / 100 * float(denominator) - float(numerator)
    return float(max(0, math.ceil(round(need, 9))))


def compare_with_england(value, lower, upper, england_value):
    """Better / similar / worse than England by CI overlap (OHID method; higher coverage is better)."""
    return compare_by_ci_overlap(value, lower, upper, england_value, polarity="higher_is_better")


def shown_pct(value: float) -> float:
    """A coverage as the pages show it, to 1 decimal place (as ``f"{value:.1f}"``).

    Every comparison with a standard is made on this number, so an area shown as 75.0% meets a 75%
    standard whatever its unrounded value, for PCNs, places and practices alike.
    """
    return float(f"{float(value):.1f}")


def standard_band(value: float, programme: str) -> str:
    """Where a coverage sits against the programme standard: 'meets achievable', 'meets acceptable only',
    'below acceptable' (compared as shown, to 1 decimal place: :func:`shown_pct`)."""
    if pd.isna(value):
        return "not compared"
    s, v = standard(programme), shown_pct(value)
    if v >= s["achievable"]:
        return "meets achievable"
    if v >= s["acceptable"]:
        return "meets acceptable only"
    return "below acceptable"


def gap_to_standard(numerator, denominator, programme: str) -> dict:
    """Coverage gap to the programme's acceptable and achievable thresholds.

    Percentage points below each threshold (0 when met) and the extra people screened needed
    to reach it (:func:`screens_needed`). Met or not is judged on the coverage as shown
    (:func:`shown_pct`, as :func:`standard_band`), so a threshold shown as met needs 0 more screens.
    """
    s = standard(programme)
    if pd.isna(numerator) or pd.isna(denominator) or float(denominator) <= 0:
        return {
            "gap_acceptable_pp": np.nan,
            "gap_achievable_pp": np.nan,
            "screens_to_acceptable": np.nan,
            "screens_to_achievable": np.nan,
        }
    value = shown_pct(100 * float(numerator) / float(denominator))
    out = {}
    for key in ("acceptable", "achievable"):
        met = value >= s[key]
        out[f"gap_{key}_pp"] = 0.0 if met else round(s[key] - value, 1)
        out[f"screens_to_{key}"] = 0.0 if met else screens_needed(numerator, denominator, s[key])
    return {
        k: out[k] for k in ("gap_acceptable_pp", "gap_achievable_pp", "screens_to_acceptable", "screens_to_achievable")
    }


def funnel(practices: pd.DataFrame, target_pct: float, n_points: int = 120) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Funnel plot data: each practice's position and the control-limit curves.

    Method: OHID Wilson-score funnel limits for a proportion at 95% and 99.8% around
    ``target_pct`` (England's or LLR's coverage), :func:`llr_analysis.stats.proportion_funnel_limits`;
    each practice's position from :func:`llr_analysis.stats.funnel_position`. Practices with
    suppressed counts are "not compared". Returns (points, limits) where limits has one row
    per denominator on a log-spaced grid covering the practices.
    """
    pts = practices.copy()
    num = pd.to_numeric(pts["numerator"], errors="coerce")
    den = pd.to_numeric(pts["denominator"], errors="coerce")
    ok = num.notna() & den.notna() & (den > 0)
    pts["value"] = np.where(ok, 100 * num / den.where(den > 0), np.nan)
    position = pd.Series("not compared", index=pts.index, dtype=object)
    if ok.any():
        position[ok] = funnel_position(num[ok].to_numpy(), den[ok].to_numpy(), target=target_pct / 100)
    pts["funnel_position"] = position
    lo = max(1.0, float(den[ok].min()) * 0.8) if ok.any() else 10.0
    hi = float(den[ok].max()) * 1.15 if ok.any() else 1000.0
    grid = np.unique(np.round(np.geomspace(lo, hi, n_points)))
    limits = proportion_funnel_limits(grid, target_pct / 100, multiplier=100)
    limits["target"] = target_pct
    return pts, limits


def deprivation_association(values: pd.Series, imd_scores: pd.Series) -> dict:
    """Spearman rank correlation between practice coverage and practice IMD 2019 score.

    Method: ``scipy.stats.spearmanr`` on the practices with both values (no weighting). A
    negative rho means lower coverage in more deprived practice populations. Returns rho, the
    two-sided p-value and n; rho is NaN with fewer than 5 practices.
    """
    from scipy.stats import spearmanr

    df = pd.DataFrame(
        {"v": pd.to_numeric(values, errors="coerce"), "d": pd.to_numeric(imd_scores, errors="coerce")}
    ).dropna()
    if len(df) < 5:
        return {"rho": np.nan, "p_value": np.nan, "n": len(df)}
    res = spearmanr(df["v"], df["d"])
    return {"rho": float(res.statistic), "p_value": float(res.pvalue), "n": len(df)}


# ------------------------------------------------------------------------------- data access


def practice_coverage(paths=None) -> pd.DataFrame:
    return read_table("cancer_screening/practice_coverage", paths)


def practices(paths=None) -> pd.DataFrame:
    return read_table("cancer_screening/practices", paths)


def area_coverage(paths=None) -> pd.DataFrame:
    return read_table("cancer_screening/area_coverage", paths)


def health_index(paths=None) -> pd.DataFrame:
    return read_table("cancer_screening/health_index", paths)


def availability(paths=None) -> pd.DataFrame:
    """What this build has: one row per programme, age group, period and level, with its source.

    Levels: ``gp_practice`` (practice counts, aggregated here to PCN, place, LLR and England)
    and ``local_authority`` (Fingertips upper-tier local authority values, resident population).
    """
    rows = []
    pc = practice_coverage(paths)
    if len(pc):
        g = (
            pc.groupby(["programme", "age_group", "period", "period_label", "period_sort", "source_id"], dropna=False)
            .size()
            .reset_index(name="rows")
        )
        g["level"] = "gp_practice"
        rows.append(g)
    ac = area_coverage(paths)
    ac = ac[ac["area_level"].isin(["utla", "utla_2021"])]
    if len(ac):
        g = (
            ac.assign(period_label=ac["period"])
            .groupby(["programme", "age_group", "period", "period_label", "period_sort", "source_id"], dropna=False)
            .size()
            .reset_index(name="rows")
        )
        g["level"] = "local_authority"
        rows.append(g)
    if not rows:
        return pd.DataFrame(
            columns=["programme", "age_group", "period", "period_label", "period_sort", "source_id", "rows", "level"]
        )
    return (
        pd.concat(rows, ignore_index=True)
        .sort_values(["programme", "level", "period_sort", "age_group"])
        .reset_index(drop=True)
    )


def resolve_period(avail: pd.DataFrame, programme: str, period: str = "latest", level: str | None = None) -> str | None:
    """The period to show for a programme: the latest one with data (``period="latest"``), or the
    requested period label if the build has it. None when the programme has no data at all."""
    a = avail[avail["programme"] == programme]
    if level:
        a = a[a["level"] == level]
    if a.empty:
        return None
    if str(period).strip().lower() == "latest":
        return str(a.sort_values("period_sort").iloc[-1]["period"])
    hits = a[(a["period"].astype(str) == str(period)) | (a["period_label"].astype(str) == str(period))]
    if hits.empty:
        raise ParameterError(
            f"{programme} screening has no data for period {period!r} in this build; "
            f"periods available: {sorted(a['period_label'].astype(str).unique())}"
        )
    return str(hits.iloc[0]["period"])


def practice_rows(programme: str, period: str, age_group: str, paths=None) -> pd.DataFrame:
    """Every practice in England for one programme, period and age group, with LLR practices'
    place, PCN and deprivation attached."""
    pc = practice_coverage(paths)
    pc = pc[(pc["programme"] == programme) & (pc["period"] == period) & (pc["age_group"] == age_group)].copy()
    lk = practices(paths)[
        ["practice_code", "pcn_code", "pcn_name", "pcn_basis", "status", "close_date", "imd_score", "imd_decile"]
    ]
    pc = pc.merge(lk, on="practice_code", how="left")
    num, den = pc["numerator"], pc["denominator"]
    ok = num.notna() & den.notna() & (den > 0)
    pc["value"] = np.where(ok, 100 * num / den.where(den > 0), np.nan)
    _, lo, hi = wilson_ci(num.where(ok), den.where(ok))
    pc["lower_95"], pc["upper_95"] = np.asarray(lo, dtype=float), np.asarray(hi, dtype=float)
    return pc.reset_index(drop=True)


def england_row(rows: pd.DataFrame, programme: str, period: str, age_group: str, paths=None) -> dict:
    """England's coverage: the sum over every practice in England (counts published), Wilson CI.

    For Fingertips practice data, Fingertips' own England row is used when it has counts.
    """
    if len(rows) and (rows["source_id"] == "fingertips").all():
        ac = area_coverage(paths)
        e = ac[
            (ac["area_code"] == ENGLAND_CODE)
            & (ac["programme"] == programme)
            & (ac["period"] == period)
            & (ac["age_group"] == age_group)
            & (ac["file"].isin(rows["file"].dropna().unique()) if "file" in rows else True)
        ]
        if len(e) and e.iloc[0][["count", "denominator"]].notna().all():
            return coverage([e.iloc[0]["count"]], [e.iloc[0]["denominator"]]) | {"source": "Fingertips England row"}
    return coverage(rows["numerator"], rows["denominator"]) | {"source": "sum of all practices in England"}


def area_table(*args, **kwargs) -> pd.DataFrame:
    """Coverage for the place, its PCNs, the practices shown apart, LLR and England: see
    :func:`llr_analysis.analysis.cancer_screening_areas.area_table`."""
    from llr_analysis.analysis.cancer_screening_areas import area_table as table

    return table(*args, **kwargs)


def local_authority_indicator_ids(programme: str) -> list[int]:
    """Fingertips indicator IDs configured as local-authority (resident population) indicators.

    England rows also appear in the GP-practice indicator files (registered population); only
    these IDs give the comparator for local-authority figures.
    """
    return [
        int(i["id"])
        for i in settings.cancer_screening()["fingertips"]["indicators"]
        if i["programme"] == programme and any(t.startswith("utla") for t in i["area_types"])
    ]


def _local_authority_coverage(programme: str, paths=None) -> pd.DataFrame:
    ac = area_coverage(paths)
    return ac[
        (ac["programme"] == programme)
        & ac["indicator_id"].isin(local_authority_indicator_ids(programme))
        & ac["area_level"].isin(["utla", "utla_2021", "england"])
    ]


def local_authority_rows(programme: str, period: str, place: str | None = None, paths=None) -> pd.DataFrame:
    """Fingertips upper-tier local authority coverage (resident population) for the three LLR
    places and England, with the CI-overlap comparison with England."""
    ac = _local_authority_coverage(programme, paths)
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


def unmapped_practices(paths=None) -> pd.DataFrame:
    """LLR practices in the coverage data with no PCN, or placed approximately, or closed since:
    the list the page shows so that no practice is dropped silently."""
    pc = practice_coverage(paths)
    pc = pc[pc["in_llr"]]
    lk = practices(paths)
    df = pc.drop_duplicates(subset=["practice_code", "source_id", "period"]).merge(
        lk[["practice_code", "pcn_code", "pcn_name", "pcn_basis", "status", "close_date", "postcode"]],
        on="practice_code",
        how="left",
    )
    flag = df["pcn_code"].isna() | df["place_basis"].str.contains("approximate", na=False) | df["status"].ne("active")
    return df[flag].sort_values(["place_id", "practice_code"]).reset_index(drop=True)


def period_label(avail: pd.DataFrame, programme: str, period: str) -> str:
    a = avail[(avail["programme"] == programme) & (avail["period"].astype(str) == str(period))]
    return str(a["period_label"].iloc[0]) if len(a) else str(period)


def funnel_target(rows: pd.DataFrame, table: pd.DataFrame, target: str = "england") -> tuple[float, str]:
    """The funnel plot's centre line: England's or LLR's coverage (percent) and its label."""
    key = str(target).strip().lower()
    if key not in ("england", "llr"):
        raise ParameterError(f"unknown funnel target {target!r}; expected 'england' or 'llr'")
    row = table[table["level"] == key].iloc[0]
    return float(row["value"]), ("England" if key == "england" else load_places().llr_short_name)


def practice_table(rows: pd.DataFrame, place: str, target_pct: float) -> pd.DataFrame:
    """The place's practices with coverage, Wilson CI and funnel position (against ``target_pct``)."""
    here = rows[rows["place_id"] == get_place(place).id]
    pts, _ = funnel(here, target_pct)
    return pts.sort_values(["pcn_name", "practice_name"], na_position="last").reset_index(drop=True)


# ------------------------------------------------------------------------------ narrative


# ---------------------------------------------------------------------------------- charts


def health_index_summary(paths=None) -> pd.DataFrame:
    """The three places' Health Index screening composite by year, each with its national rank,
    plus the England median of the upper-tier local authorities (the file has no England row)."""
    hi = health_index(paths)
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


# ------------------------------------------------------------------------------ page sections


def la_table(la: pd.DataFrame, place: str, programme: str) -> pd.DataFrame:
    """Fingertips local authority rows in the area-table layout (this place, the other LLR places,
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


def la_trend(programme: str, place: str, paths=None) -> pd.DataFrame:
    """Every Fingertips period for the place and England (resident population)."""
    ac = _local_authority_coverage(programme, paths)
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


# ------------------------------------------------------------------------------ overview headlines


def headlines(paths=None) -> pd.DataFrame:
    """Headline figures for the overview page (see :mod:`llr_analysis.analysis.overview`).

    For each programme with practice data in this build, its latest period and each age group:
    coverage for each place and for LLR (registered population, counts summed over practices,
    Wilson 95% CI), compared with England by CI overlap (higher is better).
    """
    avail = availability(paths)
    out = []
    for programme in programmes("all"):
        period = resolve_period(avail, programme, "latest", level="gp_practice")
        if period is None:
            continue
        a = avail[(avail["programme"] == programme) & (avail["period"] == period) & (avail["level"] == "gp_practice")]
        label = period_label(avail, programme, period)
        for age_group in a["age_group"].dropna().unique():
            rows = practice_rows(programme, period, age_group, paths)
            indicator = f"{programme_label(programme)} coverage, {age_group_label(programme, age_group).lower()}"
            for place in load_places().places.values():
                t = area_table(rows, place.id, programme, period, age_group, paths).set_index("level")
                areas = [("place", place.id, place.id)]
                if place.id == next(iter(load_places().places)):
                    areas.append(("llr", "llr", place.id))  # LLR is the same in every place's table
                for level, area_id, page_place in areas:
                    r = t.loc[level]
                    out.append(
                        {
                            "indicator": indicator,
                            "area_id": area_id,
                            "area_name": r["area_name"],
                            "period": label,
                            "value": r["value"],
                            "lower_95": r["lower_95"],
                            "upper_95": r["upper_95"],
                            "unit": "%",
                            "england_value": t.loc["england", "value"],
                            "comparison": r["comparison"],
                            # r is one row (levels are unique): the stubs type r[label] as Any | Series
                            "note": f"{int(cast(int, r['practices']))} GP practices used"
                            + (
                                f", {int(r['practices_missing'])} left out (counts suppressed)"
                                if r["practices_missing"]
                                else ""
                            )
                            + "; registered patients",
                            "href": f"cancer_screening/{page_place}.ipynb",
                        }
                    )
    df = pd.DataFrame(out)
    if len(df):
        df["topic"] = "cancer_screening"
    return df
