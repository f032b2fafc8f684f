"""Life expectancy for a place, its districts and England (the notebook's logic).

Reads the processed tables of :mod:`llr_analysis.process.life_expectancy`. Every row keeps the
``series`` it comes from; gaps to England are always taken within one series (a place's ONS
2019-edition value against England's ONS 2019-edition value, a Fingertips value against
England's Fingertips value), so a revision between series never shows up as a change in a gap.

What the sources allow (and what the page says when they do not):

* life expectancy by local authority has **no confidence intervals** in either series, so the
  comparison with England shown for it is OHID's own published judgement (Fingertips), not
  recomputed here; healthy life expectancy (ONS, 95% CIs) and MSOA life expectancy (ONS, 95%
  CIs) are compared here with :func:`llr_analysis.stats.compare_by_ci_overlap`;
* only males and females are published (no persons figure);
* life expectancy at 65 is in the ONS 2019 edition only (to 2016-18);
* the Fingertips 90366 extract has districts and unitary authorities but **no Leicestershire
  county row**: for 2017-19 onwards the county is shown through its seven districts only;
* there is no LLR-wide life expectancy in these sources, and no deaths by age to compute one.
"""

from __future__ import annotations

from typing import cast

import numpy as np
import pandas as pd

from llr_analysis.analysis.life_expectancy.fingertips import headline as official_headline
from llr_analysis.errors import ParameterError
from llr_analysis.places import get_place, load_places
from llr_analysis.process import read_table
from llr_analysis.process.life_expectancy import SERIES
from llr_analysis.stats import compare_by_ci_overlap
from llr_analysis.stats.weighted import weighted_mean

__all__ = [
    "MEASURES",
    "SERIES",
    "SEXES",
    "area_roles",
    "check_measure",
    "check_sex",
    "gap_to_england",
    "gp_practice_le",
    "hle_fingertips_agreement",
    "hle_series",
    "imd_gradient",
    "latest_values",
    "le_series",
    "llr_latest_table",
    "msoa_counts",
    "msoa_imd2019",
    "msoa_le",
    "place_2009_13",
    "place_gap",
    "poor_health_table",
    "poor_health_years",
    "series_break",
    "sii_series",
]

SEXES = ("Male", "Female")
MEASURES = {"birth": "life expectancy at birth", "65": "life expectancy at age 65"}
#: Series of local-authority life expectancy, oldest first.
LE_SERIES = ("ons_la_2019", "fingertips_90366")
HLE_SERIES = ("ons_els_2026", "fingertips_90362_2020")
SII_SERIES = ("fingertips_92901_2020", "fingertips_92901")
POLARITY = "higher_is_better"  # life expectancy: higher is better
#: A straight line through MSOA life expectancy and deprivation needs at least this many MSOAs.
MIN_MSOAS_FOR_GRADIENT = 10
#: Short names of the series for sentences.
SERIES_SHORT = {
    "ons_la_2019": "ONS, Dec 2019 edition",
    "fingertips_90366": "OHID Fingertips 90366",
    "ons_els_2026": "ONS, Feb 2026 release",
    "fingertips_90362_2020": "Fingertips 90362, 2020 extract",
    "fingertips_92901": "OHID Fingertips 92901",
    "fingertips_92901_2020": "Fingertips 92901, 2020 extract",
}


# ------------------------------------------------------------------------------ parameters


def check_sex(sex: str) -> str:
    """'Male' or 'Female'. Persons is refused: no source here publishes a persons figure."""
    key = str(sex).strip().lower()
    for s in SEXES:
        if key in (s.lower(), s.lower() + "s"):
            return s
    if key in ("persons", "person", "all", "both"):
        raise ParameterError(
            "sex 'Persons' is not available: ONS and OHID publish local life expectancy for males "
            "and females separately only; choose 'Male' or 'Female'"
        )
    raise ParameterError(f"unknown sex {sex!r}; expected 'Male' or 'Female'")


def check_measure(measure: str) -> str:
    """'birth' (life expectancy at birth) or '65' (at age 65)."""
    key = str(measure).strip().lower().replace("at ", "").replace("age ", "")
    if key in MEASURES:
        return key
    raise ParameterError(f"unknown measure {measure!r}; expected one of {sorted(MEASURES)}")


# ------------------------------------------------------------------------------ areas


def area_roles(place: str) -> pd.DataFrame:
    """The areas shown for a place: the place, its districts (if it has several) and England.

    Names come from config/places.yml, not from the files (whose spellings differ).
    """
    p = get_place(place)
    cfg = load_places()
    rows = [{"area_code": p.code, "area_name": p.name, "role": "place"}]
    rows += [{"area_code": c, "area_name": n, "role": "district"} for c, n in p.districts.items() if c != p.code]
    rows.append({"area_code": cfg.england_code, "area_name": "England", "role": "England"})
    return pd.DataFrame(rows)


def _llr_areas() -> pd.DataFrame:
    cfg = load_places()
    rows: list[dict[str, str | None]] = []
    for p in cfg.places.values():
        rows.append({"area_code": p.code, "area_name": p.name, "area_type": p.type, "place_id": p.id})
        rows += [
            {"area_code": c, "area_name": n, "area_type": "District", "place_id": p.id}
            for c, n in p.districts.items()
            if c != p.code
        ]
    rows.append({"area_code": cfg.england_code, "area_name": "England", "area_type": "Country", "place_id": None})
    return pd.DataFrame(rows)


def _with_roles(df: pd.DataFrame, roles: pd.DataFrame) -> pd.DataFrame:
    out = df.drop(columns=[c for c in ("area_name",) if c in df]).merge(roles, on="area_code", how="inner")
    out["series_label"] = out["series"].map(SERIES)
    return out.sort_values(["role", "area_name", "sex", "period_start", "series"]).reset_index(drop=True)


# ------------------------------------------------------------------------------ LE by local authority


def le_series(place: str, measure: str = "birth", paths=None) -> pd.DataFrame:
    """Life expectancy (``measure``) for the place, its districts and England, both series.

    One row per area, sex, period and series, with the area's ``role`` and OHID's published
    comparison with England where the series has one (Fingertips only).
    """
    measure = check_measure(measure)
    le = read_table("life_expectancy/le_la", paths)
    le = le[(le["age"] == measure) & le["series"].isin(LE_SERIES)]
    return _with_roles(le, area_roles(place))


def gap_to_england(df: pd.DataFrame) -> pd.DataFrame:
    """Each area's difference from England, within the same series, period, sex and age.

    ``gap`` = area minus England (negative = shorter lives than England). Rows whose series
    has no England value for the period are left out.
    """
    eng_code = load_places().england_code
    keys = ["series", "period", "sex"] + (["age"] if "age" in df else [])
    eng = df[df["area_code"] == eng_code][keys + ["value"]].rename(columns={"value": "england_value"})
    out = df[df["area_code"] != eng_code].merge(eng, on=keys, how="inner")
    out["gap"] = out["value"] - out["england_value"]
    return out


def latest_values(df: pd.DataFrame) -> pd.DataFrame:
    """For each area, sex and series, the row of the latest period with a value."""
    d = df.dropna(subset=["value"]).sort_values("period_start")
    return d.groupby(["area_code", "sex", "series"], as_index=False).tail(1).reset_index(drop=True)


def llr_latest_table(measure: str = "birth", paths=None) -> pd.DataFrame:
    """Latest life expectancy for every LLR area and England, per series: value and gap to England.

    Tidy rows (area, sex, series, period, value, england_value, gap, ohid_comparison). The
    county appears only where a series has it (ONS 2019 edition, to 2016-18).
    """
    measure = check_measure(measure)
    le = read_table("life_expectancy/le_la", paths)
    le = le[(le["age"] == measure) & le["series"].isin(LE_SERIES)]
    areas = _llr_areas()
    le = le.drop(columns="area_name").merge(areas, on="area_code", how="inner")
    gaps = gap_to_england(le)
    latest = latest_values(gaps)
    latest["series_label"] = latest["series"].map(SERIES)
    order = {c: i for i, c in enumerate(areas["area_code"])}
    latest["order"] = latest["area_code"].map(order)
    return latest.sort_values(["series", "order", "sex"]).drop(columns="order").reset_index(drop=True)


def series_break(place: str, measure: str = "birth", paths=None) -> pd.DataFrame:
    """Where the two LE series overlap (2015-17, 2016-18): both values and their difference."""
    df = le_series(place, measure, paths)
    w = df.pivot_table(
        index=["area_code", "area_name", "role", "sex", "period"], columns="series", values="value"
    ).reset_index()
    if not set(LE_SERIES) <= set(w.columns):
        return pd.DataFrame(columns=["area_code", "area_name", "role", "sex", "period", *LE_SERIES, "difference"])
    w = w.dropna(subset=list(LE_SERIES))
    w["difference"] = w["fingertips_90366"] - w["ons_la_2019"]
    w.columns.name = None
    return w.reset_index(drop=True)


def place_gap(place: str, paths=None) -> dict:
    """The place's own gap to England in life expectancy at birth, latest and earliest period of each series.

    Returns ``{series: {sex: {"first": row, "latest": row}}}`` where each row has period,
    value, england_value and gap; a series that has no figure for the place as a whole (OHID
    publishes 90366 for districts and unitary authorities, not counties) is absent.
    """
    le = read_table("life_expectancy/le_la", paths)
    le = le[(le["age"] == "birth") & le["series"].isin(LE_SERIES)]
    cfg = load_places()
    code = get_place(place).code
    gaps = gap_to_england(le[le["area_code"].isin([code, cfg.england_code])])
    gaps = gaps[gaps["area_code"] == code].dropna(subset=["gap"]).sort_values("period_start")
    out: dict = {}
    for (series, sex), g in gaps.groupby(["series", "sex"]):
        out.setdefault(series, {})[sex] = {"first": g.iloc[0].to_dict(), "latest": g.iloc[-1].to_dict()}
    return out


# ------------------------------------------------------------------------------ healthy life expectancy


def hle_series(place: str, paths=None) -> pd.DataFrame:
    """Healthy life expectancy at birth for the place and England.

    The ONS Feb 2026 series has 95% CIs: each value is compared with England's value for the
    same period and sex by CI overlap (:func:`compare_by_ci_overlap`, higher is better). The
    earlier-method Fingertips series (2009-11 to 2016-18) is kept as a separate series with
    OHID's own published comparison.
    """
    hle = read_table("life_expectancy/hle", paths)
    hle = hle[hle["series"].isin(HLE_SERIES)]
    roles = area_roles(place)
    roles = roles[roles["role"] != "district"]  # HLE is published for upper-tier areas only
    df = _with_roles(hle, roles)
    eng = df[df["role"] == "England"][["series", "period", "sex", "value"]].rename(columns={"value": "england_value"})
    df = df.merge(eng, on=["series", "period", "sex"], how="left")
    df["comparison"] = compare_by_ci_overlap(
        df["value"], df["lower_95"], df["upper_95"], df["england_value"], polarity=POLARITY
    )
    df.loc[df["role"] == "England", "comparison"] = None
    old = df["series"] == "fingertips_90362_2020"
    df.loc[old, "comparison"] = df.loc[old, "ohid_comparison"].str.lower()
    return df


def hle_fingertips_agreement(place: str, paths=None) -> dict:
    """How far OHID's current Fingertips HLE (90362) is from the ONS Feb 2026 figures, for the place
    and England: the number of values both publish and the largest absolute difference (years)."""
    hle = read_table("life_expectancy/hle", paths)
    codes = [get_place(place).code, load_places().england_code]
    hle = hle[hle["area_code"].isin(codes)]
    a = hle[hle["series"] == "ons_els_2026"]
    b = hle[hle["series"] == "fingertips_90362"]
    both = a.merge(b, on=["area_code", "period", "sex"], suffixes=("", "_ft")).dropna(subset=["value", "value_ft"])
    return {
        "n": len(both),
        "max_abs_difference": float((both["value"] - both["value_ft"]).abs().max()) if len(both) else np.nan,
        "areas": sorted(both["area_code"].unique()),
    }


def _versus(comparison: str, short: bool = False) -> str:
    """A comparison as words: "better than England", "similar to England", "not compared with England"."""
    phrase = {
        "better": "better than England",
        "worse": "worse than England",
        "similar": "similar to England",
        "higher": "higher than England",
        "lower": "lower than England",
    }.get(str(comparison), "not compared with England")
    return phrase.split(" ")[0] if short and phrase.split(" ")[0] != "not" else phrase


def poor_health_years(place: str, paths=None) -> pd.DataFrame:
    """Years lived not in good health: life expectancy minus healthy life expectancy (ONS, at birth).

    HLE is the ONS Feb 2026 series. LE is taken from the Fingertips series where it has the
    area and period (later ONS figures), otherwise from the ONS 2019 edition; ``le_series``
    says which. No CI is given (the LE series have none).
    """
    hle = read_table("life_expectancy/hle", paths)
    hle = hle[hle["series"] == "ons_els_2026"]
    roles = area_roles(place)
    roles = roles[roles["role"] != "district"]
    hle = hle.merge(roles[["area_code"]], on="area_code")
    le = read_table("life_expectancy/le_la", paths)
    le = le[(le["age"] == "birth") & le["series"].isin(LE_SERIES)].dropna(subset=["value"])
    rank = {"fingertips_90366": 0, "ons_la_2019": 1}
    le = (
        le.assign(rank=le["series"].map(rank))
        .sort_values("rank")
        .drop_duplicates(["area_code", "period", "sex"])[["area_code", "period", "sex", "value", "series"]]
        .rename(columns={"value": "le", "series": "le_series"})
    )
    out = hle.merge(le, on=["area_code", "period", "sex"], how="inner").rename(
        columns={"value": "hle", "lower_95": "hle_lower_95", "upper_95": "hle_upper_95", "series": "hle_series"}
    )
    out = out.drop(columns=["area_name"]).merge(roles, on="area_code")
    out["poor_health_years"] = out["le"] - out["hle"]
    out["pct_life_in_good_health"] = 100 * out["hle"] / out["le"]
    return out.sort_values(["role", "sex", "period_start"]).reset_index(drop=True)


# ------------------------------------------------------------------------------ inequality


def sii_series(place: str, paths=None) -> pd.DataFrame:
    """Slope index of inequality in life expectancy at birth (years), place, districts and England."""
    sii = read_table("life_expectancy/sii", paths)
    return _with_roles(sii[sii["series"].isin(SII_SERIES)], area_roles(place))


def msoa_imd2019(paths=None) -> pd.DataFrame:
    """IMD 2019 score of each LLR MSOA (2011): population-weighted mean of its LSOAs' scores.

    Weights are the mid-2015 populations published with IoD2019 (the usual way MSOA-level
    IMD scores are made, e.g. by the House of Commons Library). NaN if a population is missing.
    """
    iod = read_table("deprivation/iod_lsoa", paths)
    iod = iod[(iod["edition"] == "IoD2019") & (iod["index_id"] == "imd")][["lsoa_code", "score"]]
    pop = read_table("deprivation/iod_population", paths)
    pop = pop[pop["edition"] == "IoD2019"][["lsoa_code", "population"]]
    geo = read_table("geography/lsoa11", paths)[["lsoa11_code", "msoa11_code"]].rename(
        columns={"lsoa11_code": "lsoa_code"}
    )
    d = geo.merge(iod, on="lsoa_code", how="left").merge(pop, on="lsoa_code", how="left")
    rows = [
        {
            "msoa11_code": m,
            "imd_score": weighted_mean(g["score"], g["population"]),
            "population_2015": g["population"].sum(min_count=len(g)),
            "lsoas": len(g),
        }
        for m, g in d.groupby("msoa11_code")
    ]
    return pd.DataFrame(rows)


def msoa_le(place: str, sex: str, paths=None) -> pd.DataFrame:
    """MSOA (2011) life expectancy at birth 2009-13 for the place, compared with the place and England.

    Each MSOA's 95% CI is compared with the place's value and with England's value (same ONS
    release, same period) by :func:`compare_by_ci_overlap` (higher is better). Adds the IMD
    2019 score (:func:`msoa_imd2019`).
    """
    sex = check_sex(sex)
    p = get_place(place)
    m = read_table("life_expectancy/msoa11", paths)
    m = m[(m["place_id"] == p.id) & (m["sex"] == sex)].copy()
    areas = read_table("life_expectancy/areas_2009_13", paths)
    areas = areas[areas["sex"] == sex].set_index("area_code")
    eng = load_places().england_code
    # one value each (area_code is unique in the table): the stubs allow any scalar, None included
    m["place_le"] = float(cast(float, areas.loc[p.code, "le"]))
    m["england_le"] = float(cast(float, areas.loc[eng, "le"]))
    m["vs_place"] = compare_by_ci_overlap(m["le"], m["le_lower_95"], m["le_upper_95"], m["place_le"], polarity=POLARITY)
    m["vs_england"] = compare_by_ci_overlap(
        m["le"], m["le_lower_95"], m["le_upper_95"], m["england_le"], polarity=POLARITY
    )
    m = m.merge(msoa_imd2019(paths), on="msoa11_code", how="left")
    return m.sort_values("le").reset_index(drop=True)


def place_2009_13(place: str, paths=None) -> pd.DataFrame:
    """The place's and England's LE, HLE and DFLE at birth 2009-13 with 95% CIs (both sexes)."""
    areas = read_table("life_expectancy/areas_2009_13", paths)
    codes = [get_place(place).code, load_places().england_code]
    return areas[areas["area_code"].isin(codes)].reset_index(drop=True)


def msoa_counts(m: pd.DataFrame) -> pd.DataFrame:
    """How many MSOAs are better / similar / worse than the place and than England."""
    order = ["better", "similar", "worse", "not compared"]
    out = pd.DataFrame(
        {
            "comparison": order,
            "vs_place": [int((m["vs_place"] == o).sum()) for o in order],
            "vs_england": [int((m["vs_england"] == o).sum()) for o in order],
        }
    )
    return out


def imd_gradient(m: pd.DataFrame) -> dict:
    """Ordinary least squares of MSOA life expectancy on IMD score: slope (years per IMD point)
    with its 95% CI, R squared and the number of MSOAs (statsmodels OLS).

    Not fitted (NaN) with fewer than :data:`MIN_MSOAS_FOR_GRADIENT` MSOAs.
    """
    import statsmodels.api as sm

    d = m.dropna(subset=["le", "imd_score"])
    if len(d) < MIN_MSOAS_FOR_GRADIENT:
        return {"n": len(d), "slope": np.nan, "lower_95": np.nan, "upper_95": np.nan, "r2": np.nan, "intercept": np.nan}
    fit = sm.OLS(d["le"].to_numpy(), sm.add_constant(d["imd_score"].to_numpy())).fit()
    low, high = fit.conf_int(0.05)[1]
    return {
        "n": len(d),
        "slope": float(fit.params[1]),
        "lower_95": float(low),
        "upper_95": float(high),
        "r2": float(fit.rsquared),
        "intercept": float(fit.params[0]),
    }


def gp_practice_le(paths=None) -> pd.DataFrame:
    """GP-practice life expectancy (Fingertips 650) for practices in the LLR ICB, every year in the file."""
    gp = read_table("life_expectancy/gp_practice", paths)
    gp = gp[gp["icb_name"] == load_places().llr_name]  # the ICB, named as in places.yml
    return gp.dropna(subset=["value"]).reset_index(drop=True)


def districts_without_sii(sii: pd.DataFrame) -> list[str]:
    """Districts of :func:`sii_series` with no published slope index of inequality in any period."""
    shown = set(sii.dropna(subset=["value"])["area_name"])
    return sorted(set(sii.loc[sii["value"].isna() & (sii["role"] == "district"), "area_name"]) - shown)


def hle_series_overlap(hle: pd.DataFrame) -> dict:
    """The first and last period of each HLE series of :func:`hle_series` and the largest difference
    (years) between the ONS Feb 2026 and earlier-method values where both cover an area, period and sex."""
    new, old = (hle[hle["series"] == s] for s in HLE_SERIES)
    both = new.merge(old, on=["area_code", "period", "sex"], suffixes=("", "_old"))
    return {
        "new_first": new["period"].min(),
        "new_last": new["period"].max(),
        "old_first": old["period"].min(),
        "old_last": old["period"].max(),
        "max_abs_difference": float((both["value"] - both["value_old"]).abs().max()),
    }


def latest_poor_health(ph: pd.DataFrame, place: str) -> pd.DataFrame:
    """The rows of :func:`poor_health_years` for the latest period in which the place has a value."""
    return ph[ph["period_start"] == ph.loc[ph["area_code"] == get_place(place).code, "period_start"].max()]


# ------------------------------------------------------------------------------ tables


def poor_health_table(ph: pd.DataFrame, place: str) -> pd.DataFrame:
    """The place's LE, HLE (95% CI) and years not in good health by sex and period, with England's."""
    p = get_place(place)
    own = ph[ph["area_code"] == p.code]
    eng = ph[ph["role"] == "England"][["sex", "period", "poor_health_years"]].rename(
        columns={"poor_health_years": "england_poor_health_years"}
    )
    t = own.merge(eng, on=["sex", "period"], how="left").sort_values(["sex", "period_start"], ascending=[False, True])
    return pd.DataFrame(
        {
            "Sex": t["sex"],
            "Period": t["period"],
            "Life expectancy": t["le"],
            "Healthy life expectancy": t["hle"],
            "HLE 95% CI": t["hle_lower_95"].map("{:.1f}".format) + " to " + t["hle_upper_95"].map("{:.1f}".format),
            "Years not in good health": t["poor_health_years"],
            "England: years not in good health": t["england_poor_health_years"],
            "% of life in good health": t["pct_life_in_good_health"],
            "Life expectancy from": t["le_series"].map(SERIES_SHORT),
        }
    ).reset_index(drop=True)


# ------------------------------------------------------------------------------ overview headlines


def headlines(paths=None) -> pd.DataFrame:
    """Headline figures for the overview page (see :mod:`llr_analysis.analysis.overview`).

    Life expectancy at birth by sex: the latest figures with 95% CIs from the Fingertips API (90366,
    online builds; compared with England by CI overlap) when they were fetched; else the latest
    period of the Fingertips extract for each place that has one, otherwise the ONS 2019 edition
    (Leicestershire county, to 2016-18), labelled with its series, with OHID's published comparison
    (neither has intervals). Healthy life
    expectancy by sex (ONS Feb 2026, with 95% CIs) is compared by CI overlap.
    No LLR-wide figure is published, so none is shown.
    """
    rows = []
    latest = llr_latest_table("birth", paths)
    hle_all = read_table("life_expectancy/hle", paths)
    eng = load_places().england_code
    for place in load_places().places.values():
        href = f"life_expectancy/{place.id}.ipynb"
        mine = latest[latest["area_code"] == place.code]
        for sex in ("Female", "Male"):
            cand, ci = mine[mine["sex"] == sex], official_headline(place.id, sex, paths)
            if ci is not None:  # OHID 90366 from the Fingertips API (online builds): with 95% CIs
                rows.append(
                    {"indicator": f"Life expectancy at birth, {sex.lower()}s", "area_id": place.id}
                    | {"area_name": place.name, "unit": "years", "href": href, **ci}
                )
                continue
            if cand.empty:
                continue
            pick = cand[cand["series"] == "fingertips_90366"]
            r = (pick if len(pick) else cand.sort_values("period_start")).iloc[-1]
            comp = str(r["ohid_comparison"]).strip().lower() if pd.notna(r.get("ohid_comparison")) else "not compared"
            rows.append(
                {
                    "indicator": f"Life expectancy at birth, {sex.lower()}s",
                    "area_id": place.id,
                    "area_name": place.name,
                    "period": r["period"],
                    "value": r["value"],
                    "lower_95": np.nan,
                    "upper_95": np.nan,
                    "unit": "years",
                    "england_value": r["england_value"],
                    "comparison": comp if comp in ("better", "similar", "worse") else "not compared",
                    "note": SERIES.get(r["series"], r["series"])
                    + ("; OHID's published comparison" if comp in ("better", "similar", "worse") else ""),
                    "href": href,
                }
            )
        h = hle_all[(hle_all["series"] == "ons_els_2026")]
        for sex in ("Female", "Male"):
            hp = h[(h["area_code"] == place.code) & (h["sex"] == sex)].sort_values("period_start")
            if hp.empty:
                continue
            r = hp.iloc[-1]
            e = h[(h["area_code"] == eng) & (h["sex"] == sex) & (h["period"] == r["period"])]
            ev = float(e["value"].iloc[0]) if len(e) else np.nan
            rows.append(
                {
                    "indicator": f"Healthy life expectancy at birth, {sex.lower()}s",
                    "area_id": place.id,
                    "area_name": place.name,
                    "period": r["period"],
                    "value": r["value"],
                    "lower_95": r["lower_95"],
                    "upper_95": r["upper_95"],
                    "unit": "years",
                    "england_value": ev,
                    "comparison": compare_by_ci_overlap(
                        r["value"], r["lower_95"], r["upper_95"], ev, polarity="higher_is_better"
                    ),
                    "note": "ONS, Feb 2026 release (interim method)",
                    "href": href,
                }
            )
    out = pd.DataFrame(rows)
    out["topic"] = "life_expectancy"
    from llr_analysis.analysis.life_expectancy.periods import note_older_periods

    return note_older_periods(out, paths)
