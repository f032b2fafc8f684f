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

import altair as alt
import numpy as np
import pandas as pd

from .charts import geo_data
from .deprivation import weighted_mean
from .errors import ParameterError
from .places import get_place, load_places
from .process import read_table
from .process.life_expectancy import SERIES
from .stats import COMPARISON_COLOURS, compare_by_ci_overlap

__all__ = [
    "MEASURES",
    "SERIES",
    "SEXES",
    "area_roles",
    "check_measure",
    "check_sex",
    "gap_to_england",
    "gp_chart",
    "gp_practice_le",
    "hle_chart",
    "hle_fingertips_agreement",
    "hle_series",
    "hle_text",
    "imd_gradient",
    "imd_scatter",
    "latest_values",
    "le_series",
    "leicester_gap",
    "leicester_gap_text",
    "line_chart",
    "llr_latest_display",
    "llr_latest_table",
    "msoa_counts",
    "msoa_imd2019",
    "msoa_le",
    "msoa_maps",
    "msoa_text",
    "place_2009_13",
    "place_summary_text",
    "poor_health_chart",
    "poor_health_table",
    "poor_health_years",
    "series_break",
    "series_break_display",
    "sii_series",
    "sii_text",
]

SEXES = ("Male", "Female")
MEASURES = {"birth": "life expectancy at birth", "65": "life expectancy at age 65"}
#: Series of local-authority life expectancy, oldest first.
LE_SERIES = ("ons_la_2019", "fingertips_90366")
HLE_SERIES = ("ons_els_2026", "fingertips_90362_2020")
SII_SERIES = ("fingertips_92901_2020", "fingertips_92901")
POLARITY = "higher_is_better"   # life expectancy: higher is better
#: A straight line through MSOA life expectancy and deprivation needs at least this many MSOAs.
MIN_MSOAS_FOR_GRADIENT = 10
#: Short names of the series for sentences.
SERIES_SHORT = {"ons_la_2019": "ONS, Dec 2019 edition", "fingertips_90366": "OHID Fingertips 90366",
                "ons_els_2026": "ONS, Feb 2026 release", "fingertips_90362_2020": "Fingertips 90362, 2020 extract",
                "fingertips_92901": "OHID Fingertips 92901", "fingertips_92901_2020": "Fingertips 92901, 2020 extract"}
LLR_ICB_NAME = "Leicester, Leicestershire and Rutland"

# Okabe-Ito colours (colour-blind safe): England black, the place blue, districts the rest.
ENGLAND_COLOUR = "#000000"
PLACE_COLOUR = "#0072B2"
DISTRICT_COLOURS = ["#E69F00", "#56B4E9", "#009E73", "#D55E00", "#CC79A7", "#999999", "#F0E442"]


# ------------------------------------------------------------------------------ parameters

def check_sex(sex: str) -> str:
    """'Male' or 'Female'. Persons is refused: no source here publishes a persons figure."""
    key = str(sex).strip().lower()
    for s in SEXES:
        if key in (s.lower(), s.lower() + "s"):
            return s
    if key in ("persons", "person", "all", "both"):
        raise ParameterError("sex 'Persons' is not available: ONS and OHID publish local life expectancy for males "
                             "and females separately only; choose 'Male' or 'Female'")
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
    rows = []
    for p in cfg.places.values():
        rows.append({"area_code": p.code, "area_name": p.name, "area_type": p.type, "place_id": p.id})
        rows += [{"area_code": c, "area_name": n, "area_type": "District", "place_id": p.id}
                 for c, n in p.districts.items() if c != p.code]
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
    w = df.pivot_table(index=["area_code", "area_name", "role", "sex", "period"], columns="series",
                       values="value").reset_index()
    if not set(LE_SERIES) <= set(w.columns):
        return pd.DataFrame(columns=["area_code", "area_name", "role", "sex", "period", *LE_SERIES, "difference"])
    w = w.dropna(subset=list(LE_SERIES))
    w["difference"] = w["fingertips_90366"] - w["ons_la_2019"]
    w.columns.name = None
    return w.reset_index(drop=True)


def leicester_gap(paths=None) -> dict:
    """Leicester's gap to England in life expectancy at birth, latest and earliest period of each series.

    Returns ``{series: {sex: {"first": row, "latest": row}}}`` where each row has period,
    value, england_value and gap.
    """
    le = read_table("life_expectancy/le_la", paths)
    le = le[(le["age"] == "birth") & le["series"].isin(LE_SERIES)]
    cfg = load_places()
    leic = get_place("leicester").code
    gaps = gap_to_england(le[le["area_code"].isin([leic, cfg.england_code])])
    gaps = gaps.dropna(subset=["gap"]).sort_values("period_start")
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
    roles = roles[roles["role"] != "district"]          # HLE is published for upper-tier areas only
    df = _with_roles(hle, roles)
    eng = df[df["role"] == "England"][["series", "period", "sex", "value"]].rename(columns={"value": "england_value"})
    df = df.merge(eng, on=["series", "period", "sex"], how="left")
    df["comparison"] = compare_by_ci_overlap(df["value"], df["lower_95"], df["upper_95"], df["england_value"],
                                             polarity=POLARITY)
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
    return {"n": len(both), "max_abs_difference": float((both["value"] - both["value_ft"]).abs().max())
            if len(both) else np.nan, "areas": sorted(both["area_code"].unique())}


def _versus(comparison: str, short: bool = False) -> str:
    """A comparison as words: "better than England", "similar to England", "not compared with England"."""
    phrase = {"better": "better than England", "worse": "worse than England", "similar": "similar to England",
              "higher": "higher than England", "lower": "lower than England"}.get(
        str(comparison), "not compared with England")
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
    le = (le.assign(rank=le["series"].map(rank)).sort_values("rank")
          .drop_duplicates(["area_code", "period", "sex"])[["area_code", "period", "sex", "value", "series"]]
          .rename(columns={"value": "le", "series": "le_series"}))
    out = hle.merge(le, on=["area_code", "period", "sex"], how="inner").rename(
        columns={"value": "hle", "lower_95": "hle_lower_95", "upper_95": "hle_upper_95", "series": "hle_series"})
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
        columns={"lsoa11_code": "lsoa_code"})
    d = geo.merge(iod, on="lsoa_code", how="left").merge(pop, on="lsoa_code", how="left")
    rows = [{"msoa11_code": m, "imd_score": weighted_mean(g["score"], g["population"]),
             "population_2015": g["population"].sum(min_count=len(g)), "lsoas": len(g)}
            for m, g in d.groupby("msoa11_code")]
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
    m["place_le"] = float(areas.loc[p.code, "le"])
    m["england_le"] = float(areas.loc[eng, "le"])
    m["vs_place"] = compare_by_ci_overlap(m["le"], m["le_lower_95"], m["le_upper_95"], m["place_le"],
                                          polarity=POLARITY)
    m["vs_england"] = compare_by_ci_overlap(m["le"], m["le_lower_95"], m["le_upper_95"], m["england_le"],
                                            polarity=POLARITY)
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
    out = pd.DataFrame({
        "comparison": order,
        "vs_place": [int((m["vs_place"] == o).sum()) for o in order],
        "vs_england": [int((m["vs_england"] == o).sum()) for o in order],
    })
    return out


def imd_gradient(m: pd.DataFrame) -> dict:
    """Ordinary least squares of MSOA life expectancy on IMD score: slope (years per IMD point)
    with its 95% CI, R squared and the number of MSOAs (statsmodels OLS).

    Not fitted (NaN) with fewer than :data:`MIN_MSOAS_FOR_GRADIENT` MSOAs.
    """
    import statsmodels.api as sm
    d = m.dropna(subset=["le", "imd_score"])
    if len(d) < MIN_MSOAS_FOR_GRADIENT:
        return {"n": len(d), "slope": np.nan, "lower_95": np.nan, "upper_95": np.nan, "r2": np.nan,
                "intercept": np.nan}
    fit = sm.OLS(d["le"].to_numpy(), sm.add_constant(d["imd_score"].to_numpy())).fit()
    low, high = fit.conf_int(0.05)[1]
    return {"n": len(d), "slope": float(fit.params[1]), "lower_95": float(low), "upper_95": float(high),
            "r2": float(fit.rsquared), "intercept": float(fit.params[0])}


def gp_practice_le(paths=None) -> pd.DataFrame:
    """GP-practice life expectancy (Fingertips 650) for practices in the LLR ICB, every year in the file."""
    gp = read_table("life_expectancy/gp_practice", paths)
    gp = gp[gp["icb_name"] == LLR_ICB_NAME]
    return gp.dropna(subset=["value"]).reset_index(drop=True)


# ------------------------------------------------------------------------------ charts

def _colour_scale(names: list[str], place_name: str) -> alt.Scale:
    others = [n for n in names if n not in ("England", place_name)]
    domain = [n for n in [place_name, *others, "England"] if n in names]
    colours = {place_name: PLACE_COLOUR, "England": ENGLAND_COLOUR}
    colours.update({n: DISTRICT_COLOURS[i % len(DISTRICT_COLOURS)] for i, n in enumerate(others)})
    return alt.Scale(domain=domain, range=[colours[n] for n in domain])


def _series_encoding(series: list[str]):
    labels = [SERIES_SHORT[s] for s in series]
    dash = alt.StrokeDash("series_short:N", title="Series", scale=alt.Scale(domain=labels,
                          range=[[1, 0], [5, 3], [2, 2]][:len(labels)]),
                          legend=alt.Legend(orient="bottom", direction="vertical", labelLimit=400, symbolSize=200))
    shape = alt.Shape("series_short:N", title="Series", scale=alt.Scale(domain=labels,
                      range=["circle", "triangle-up", "square"][:len(labels)]), legend=None)
    return dash, shape


def line_chart(df: pd.DataFrame, y: str, y_title: str, place_name: str, series: tuple[str, ...],
               zero_rule: bool = False, width: int = 330, height: int = 260) -> alt.FacetChart:
    """Lines over periods, one colour per area, one dash per series, one panel per sex."""
    df = df.copy()
    df["series_short"] = df["series"].map(SERIES_SHORT)
    periods = sorted(df["period"].unique(), key=lambda p: int(p[:4]))
    present = [s for s in series if s in set(df["series"])]
    dash, shape = _series_encoding(present)
    base = alt.Chart().encode(
        x=alt.X("period:O", sort=periods, title="Period (3 years pooled)"),
        y=alt.Y(f"{y}:Q", title=y_title, scale=alt.Scale(zero=False)),
        color=alt.Color("area_name:N", title="Area", scale=_colour_scale(list(df["area_name"].unique()), place_name)),
        detail="series_short:N",
        tooltip=[alt.Tooltip("area_name:N", title="Area"), alt.Tooltip("sex:N", title="Sex"),
                 alt.Tooltip("period:N", title="Period"), alt.Tooltip(f"{y}:Q", title=y_title, format=".1f"),
                 alt.Tooltip("series_short:N", title="Series")],
    )
    width_scale = alt.Scale(domain=["place", "district", "England"], range=[3, 1.3, 2.2])
    # Per-mark ARIA off: the page's figure carries the text alternative (see Page.chart).
    layers = [base.mark_line(aria=False).encode(
                  strokeDash=dash, strokeWidth=alt.StrokeWidth("role:N", scale=width_scale, legend=None)),
              base.mark_point(filled=True, size=40, aria=False).encode(shape=shape)]
    if zero_rule:
        # decorative (England = 0 is said in the axis title and the text alternative): hidden from screen readers
        layers.insert(0, alt.Chart().mark_rule(color="#333", strokeDash=[2, 2], aria=False).encode(y=alt.datum(0)))
    return (alt.layer(*layers, data=df).properties(width=width, height=height)
            .facet(column=alt.Column("sex:N", title=None, sort=list(SEXES))))


def hle_chart(df: pd.DataFrame, place_name: str) -> alt.FacetChart:
    """HLE with 95% CIs (ONS Feb 2026 series, filled) and the earlier series (hollow), per sex."""
    df = df.copy()
    periods = sorted(df["period"].unique(), key=lambda p: int(p[:4]))
    colour = alt.Color("area_name:N", title="Area", scale=_colour_scale(list(df["area_name"].unique()), place_name))
    x = alt.X("period:O", sort=periods, title="Period (3 years pooled)")
    tips = [alt.Tooltip("area_name:N", title="Area"), alt.Tooltip("period:N", title="Period"),
            alt.Tooltip("value:Q", title="HLE (years)", format=".1f"),
            alt.Tooltip("lower_95:Q", title="95% CI lower", format=".1f"),
            alt.Tooltip("upper_95:Q", title="95% CI upper", format=".1f"),
            alt.Tooltip("comparison:N", title="Compared with England"),
            alt.Tooltip("series_label:N", title="Series")]
    new = alt.datum.series == "ons_els_2026"
    bars = alt.Chart().transform_filter(new).mark_rule(strokeWidth=1.5, aria=False).encode(
        x=x, y=alt.Y("lower_95:Q", title="Healthy life expectancy at birth (years)", scale=alt.Scale(zero=False)),
        y2="upper_95:Q", color=colour, tooltip=tips)
    line = alt.Chart().transform_filter(new).mark_line(strokeWidth=1.5, aria=False).encode(
        x=x, y="value:Q", color=colour, tooltip=tips)
    pts = alt.Chart().transform_filter(new).mark_point(filled=True, size=45, aria=False).encode(
        x=x, y="value:Q", color=colour, tooltip=tips)
    old = alt.Chart().transform_filter(~new).mark_point(filled=False, size=45, shape="diamond", aria=False).encode(
        x=x, y="value:Q", color=colour, tooltip=tips)
    return (alt.layer(bars, line, pts, old, data=df).properties(width=330, height=260)
            .facet(column=alt.Column("sex:N", title=None, sort=list(SEXES))))


def msoa_maps(gdf, place_name: str, width: int = 330, height: int = 330) -> alt.HConcatChart:
    """Two maps of MSOAs coloured by CI comparison: with England, and with the place."""
    values = geo_data(gdf)       # simplified TopoJSON, shared by both maps
    order = ["better", "similar", "worse", "not compared"]
    scale = alt.Scale(domain=order, range=[COMPARISON_COLOURS[o] for o in order])
    tips = [alt.Tooltip("properties.msoa11_hcl_name:N", title="MSOA"),
            alt.Tooltip("properties.msoa11_code:N", title="MSOA code (2011)"),
            alt.Tooltip("properties.lad_name:N", title="District"),
            alt.Tooltip("properties.le:Q", title="Life expectancy (years)", format=".1f"),
            alt.Tooltip("properties.le_lower_95:Q", title="95% CI lower", format=".1f"),
            alt.Tooltip("properties.le_upper_95:Q", title="95% CI upper", format=".1f"),
            alt.Tooltip("properties.vs_england:N", title="Compared with England"),
            alt.Tooltip("properties.vs_place:N", title=f"Compared with {place_name}"),
            alt.Tooltip("properties.imd_score:Q", title="IMD 2019 score", format=".1f")]

    def one(field, title):
        return (alt.Chart(values, title=title)
                .mark_geoshape(stroke="white", strokeWidth=0.4, aria=False)
                .encode(color=alt.Color(f"properties.{field}:N", scale=scale, title="Life expectancy is"),
                        tooltip=tips)
                .project(type="mercator").properties(width=width, height=height))
    return alt.hconcat(one("vs_england", "Compared with England"), one("vs_place", f"Compared with {place_name}"))


def imd_scatter(m: pd.DataFrame, fit: dict, place_name: str) -> alt.LayerChart:
    """MSOA life expectancy against IMD 2019 score, coloured by district, with the OLS line."""
    d = m.dropna(subset=["le", "imd_score"]).copy()
    names = sorted(d["lad_name"].unique())
    colour = (alt.Color("lad_name:N", title="District", scale=_colour_scale(names, place_name))
              if len(names) > 1 else alt.value(PLACE_COLOUR))
    pts = alt.Chart(d).mark_circle(size=55, opacity=0.85, aria=False).encode(
        x=alt.X("imd_score:Q", title="IMD 2019 score (higher = more deprived)"),
        y=alt.Y("le:Q", title="Life expectancy at birth 2009-13 (years)", scale=alt.Scale(zero=False)),
        color=colour,
        tooltip=[alt.Tooltip("msoa11_hcl_name:N", title="MSOA"), alt.Tooltip("lad_name:N", title="District"),
                 alt.Tooltip("le:Q", title="Life expectancy", format=".1f"),
                 alt.Tooltip("imd_score:Q", title="IMD 2019 score", format=".1f")])
    if np.isnan(fit["slope"]):
        return pts.properties(width=520, height=320)
    xs = np.array([d["imd_score"].min(), d["imd_score"].max()])
    line = alt.Chart(pd.DataFrame({"imd_score": xs, "le": fit["intercept"] + fit["slope"] * xs})).mark_line(
        color="#333", strokeDash=[5, 3], aria=False).encode(x="imd_score:Q", y="le:Q")
    return (pts + line).properties(width=520, height=320)


def gp_chart(gp: pd.DataFrame) -> alt.FacetChart:
    """Practice life expectancy by practice IMD quintile (1 = most deprived), one dot per practice."""
    d = gp.copy()
    d["imd_quintile"] = d["imd_quintile"].astype("Int64").astype(str)
    base = alt.Chart().encode(x=alt.X("imd_quintile:O", title="Practice IMD quintile (1 = most deprived)",
                                      sort=[str(i) for i in range(1, 6)]))
    dots = base.mark_circle(size=30, opacity=0.6, color=PLACE_COLOUR, aria=False).encode(
        y=alt.Y("value:Q", title="Life expectancy at birth (years)", scale=alt.Scale(zero=False)),
        xOffset=alt.XOffset("jitter:Q"),
        tooltip=[alt.Tooltip("practice_code:N", title="Practice"), alt.Tooltip("value:Q", format=".1f", title="LE"),
                 alt.Tooltip("imd_quintile:N", title="IMD quintile")]).transform_calculate(jitter="random()")
    median = base.mark_tick(color="#000", thickness=3, size=30, aria=False).encode(y="median(value):Q")
    return (alt.layer(dots, median, data=d).properties(width=300, height=260)
            .facet(column=alt.Column("sex:N", title=None, sort=list(SEXES))))


# ------------------------------------------------------------------------------ narrative (computed)

def _gap_words(gap: float) -> str:
    """'2.2 years below England' / '0.4 years above England' / 'the same as England' (1 dp)."""
    r = round(float(gap), 1)
    if r == 0:
        return "the same as England"
    return f"{abs(r):.1f} years {'below' if r < 0 else 'above'} England"


def _were(n: int) -> str:
    return f"{n} {'was' if n == 1 else 'were'}"


def _change_words(first_gap: float, latest_gap: float) -> str:
    """How a gap below England moved: 'widened by 0.6 years', 'narrowed by ...', 'did not change'."""
    d = round(abs(float(latest_gap)), 1) - round(abs(float(first_gap)), 1)
    if round(d, 1) == 0:
        return "did not change"
    return f"{'widened' if d > 0 else 'narrowed'} by {abs(d):.1f} years"


def leicester_gap_text(paths=None) -> str:
    """The seeds' concern restated with current figures: Leicester's gap to England at birth."""
    g = leicester_gap(paths)
    ft, ons = g["fingertips_90366"], g["ons_la_2019"]
    m, f = ft["Male"], ft["Female"]
    text = (
        f"**Leicester's gap to England.** In {m['latest']['period']}, life expectancy at birth in Leicester was "
        f"{m['latest']['value']:.1f} years for males and {f['latest']['value']:.1f} years for females, against "
        f"{m['latest']['england_value']:.1f} and {f['latest']['england_value']:.1f} years in England: "
        f"{_gap_words(m['latest']['gap'])} for males and {_gap_words(f['latest']['gap'])} for females "
        f"(OHID Fingertips 90366). Since {m['first']['period']}, the first period of that series, the gap has "
        f"{_change_words(m['first']['gap'], m['latest']['gap'])} for males (from {abs(m['first']['gap']):.1f}) "
        f"and {_change_words(f['first']['gap'], f['latest']['gap'])} for females "
        f"(from {abs(f['first']['gap']):.1f}). "
        f"In the ONS 2019 edition the gap was {abs(ons['Male']['first']['gap']):.1f} years for males and "
        f"{abs(ons['Female']['first']['gap']):.1f} for females in {ons['Male']['first']['period']}, and "
        f"{abs(ons['Male']['latest']['gap']):.1f} and {abs(ons['Female']['latest']['gap']):.1f} years in "
        f"{ons['Male']['latest']['period']}."
    )
    return text


def place_summary_text(place: str, measure: str = "birth", paths=None) -> str:
    """Latest life expectancy of the place (or its districts, where the place has no figure) against England."""
    measure = check_measure(measure)
    p = get_place(place)
    df = gap_to_england(le_series(place, measure, paths))
    latest = latest_values(df)
    label = MEASURES[measure]
    own = latest[latest["area_code"] == p.code]
    newest_series = max((s for s in LE_SERIES if s in set(latest["series"])), key=LE_SERIES.index)
    newest = latest[latest["series"] == newest_series]
    own_new = own[own["series"] == newest_series]
    parts = []
    if len(own_new) == 2:
        r = own_new.set_index("sex")
        parts.append(
            f"**In summary.** In {r.loc['Male', 'period']}, {label} in {p.name} was {r.loc['Male', 'value']:.1f} "
            f"years for males and {r.loc['Female', 'value']:.1f} years for females: "
            f"{_gap_words(r.loc['Male', 'gap'])} for males and {_gap_words(r.loc['Female', 'gap'])} for females "
            f"({SERIES_SHORT[newest_series]}).")
        judged = r["ohid_comparison"].dropna()
        if len(judged) == 2:
            parts.append(f"OHID's published comparison with England: {r.loc['Male', 'ohid_comparison'].lower()} "
                         f"for males, {r.loc['Female', 'ohid_comparison'].lower()} for females.")
    else:
        old = own.set_index("sex") if len(own) == 2 else None
        if old is not None:
            parts.append(
                f"**In summary.** {p.name}'s latest published {label} is for {old.loc['Male', 'period']} "
                f"({SERIES_SHORT[old.loc['Male', 'series']]}): {old.loc['Male', 'value']:.1f} years for males and "
                f"{old.loc['Female', 'value']:.1f} years for females, {_gap_words(old.loc['Male', 'gap'])} and "
                f"{_gap_words(old.loc['Female', 'gap'])}.")
        dist = newest[newest["role"] == "district"]
        if len(dist):
            period = dist["period"].iloc[0]
            bits = []
            for sex in SEXES:
                d = dist[dist["sex"] == sex].sort_values("value")
                lo, hi = d.iloc[0], d.iloc[-1]
                bits.append(f"{sex.lower()}s from {lo['value']:.1f} years in {lo['area_name']} to "
                            f"{hi['value']:.1f} in {hi['area_name']} (England {lo['england_value']:.1f})")
            parts.append(f"No county figure is published after that in these sources; in {period} its "
                         f"{len(dist) // 2} districts ranged: {'; '.join(bits)}.")
    return " ".join(parts)


def hle_text(place: str, paths=None) -> str:
    """Latest healthy life expectancy with 95% CIs, compared with England, and years not in good health."""
    p = get_place(place)
    h = hle_series(place, paths)
    h = h[(h["series"] == "ons_els_2026") & (h["area_code"] == p.code)]
    latest = h[h["period_start"] == h["period_start"].max()].set_index("sex")
    per = latest["period"].iloc[0]
    ph = poor_health_years(place, paths)
    own = ph[ph["area_code"] == p.code]
    ph_latest = own[own["period_start"] == own["period_start"].max()].set_index("sex")
    s = (f"In {per}, healthy life expectancy at birth in {p.name} was {latest.loc['Male', 'value']:.1f} years for "
         f"males (95% CI {latest.loc['Male', 'lower_95']:.1f} to {latest.loc['Male', 'upper_95']:.1f}) and "
         f"{latest.loc['Female', 'value']:.1f} years for females ({latest.loc['Female', 'lower_95']:.1f} to "
         f"{latest.loc['Female', 'upper_95']:.1f}), against {latest.loc['Male', 'england_value']:.1f} and "
         f"{latest.loc['Female', 'england_value']:.1f} in England: {_versus(latest.loc['Male', 'comparison'])} "
         f"for males and {_versus(latest.loc['Female', 'comparison'], short=True)} for females "
         f"(95% confidence intervals).")
    if len(ph_latest) == 2:
        pp = ph_latest["period"].iloc[0]
        s += (f" In {pp}, males in {p.name} could expect {ph_latest.loc['Male', 'poor_health_years']:.1f} years and "
              f"females {ph_latest.loc['Female', 'poor_health_years']:.1f} years of life not in good health "
              f"(life expectancy from {SERIES.get(ph_latest['le_series'].iloc[0], ph_latest['le_series'].iloc[0])} "
              f"minus healthy life expectancy from the ONS Feb 2026 release: two releases, so the difference is "
              f"approximate"
              + ("" if pp == per else f"; {pp} is the latest period with a published life expectancy for "
                                     f"{p.name}") + ").")
    return s


def msoa_text(m: pd.DataFrame, fit: dict, place: str, sex: str) -> str:
    """Spread of MSOA life expectancy within the place, CI comparisons and the IMD gradient."""
    p = get_place(place)
    sex = check_sex(sex)
    d = m.dropna(subset=["le"]).sort_values("le")
    lo, hi = d.iloc[0], d.iloc[-1]
    c = msoa_counts(m).set_index("comparison")
    s = (f"Across the {len(m)} MSOAs (2011) in {p.name}, {sex.lower()} life expectancy at birth in 2009-13 ranged "
         f"from {lo['le']:.1f} years in {lo['msoa11_hcl_name']} to {hi['le']:.1f} years in {hi['msoa11_hcl_name']}, "
         f"a difference of {hi['le'] - lo['le']:.1f} years. {_were(c.loc['worse', 'vs_england'])} significantly "
         f"below England ({m['england_le'].iloc[0]:.1f} years) and {c.loc['better', 'vs_england']} significantly "
         f"above; compared with {p.name} as a whole ({m['place_le'].iloc[0]:.1f} years), "
         f"{_were(c.loc['worse', 'vs_place'])} below and {c.loc['better', 'vs_place']} above (95% confidence "
         f"intervals).")
    if fit["n"] >= MIN_MSOAS_FOR_GRADIENT and not np.isnan(fit["slope"]):
        s += (f" Across these MSOAs, life expectancy changed by {10 * fit['slope']:+.1f} years for every 10 points "
              f"of IMD 2019 score (95% CI {10 * fit['lower_95']:+.1f} to {10 * fit['upper_95']:+.1f}; "
              f"R² {fit['r2']:.2f}; a negative value means shorter lives in more deprived MSOAs).")
    else:
        s += (f" With {fit['n']} MSOAs, {p.name} has too few for a reliable line through life expectancy and "
              f"deprivation (at least {MIN_MSOAS_FOR_GRADIENT} are needed here), so none is drawn.")
    return s


def sii_text(place: str, paths=None) -> str:
    """Latest slope index of inequality for the place (or its districts) and England."""
    p = get_place(place)
    s = sii_series(place, paths)
    cur = s[s["series"] == "fingertips_92901"]
    latest_period = cur.loc[cur["period_start"].idxmax(), "period"]
    cur = cur[cur["period"] == latest_period]
    eng = cur[cur["role"] == "England"].set_index("sex")["value"]
    own = cur[cur["area_code"] == p.code].set_index("sex")["value"]
    eng_words = f"England {eng['Male']:.1f} and {eng['Female']:.1f}"
    if len(own) == 2 and own.notna().all():
        return (f"The slope index of inequality, the modelled gap in life expectancy at birth between the most and "
                f"least deprived ends of {p.name}, was {own['Male']:.1f} years for males and {own['Female']:.1f} "
                f"years for females in {latest_period} ({eng_words}).")
    if len(own) == 2:
        return (f"The slope index of inequality is not published for {p.name} (OHID does not calculate it for "
                f"areas this small); for comparison, {eng_words} years in {latest_period}.")
    dist = cur[cur["role"] == "district"].dropna(subset=["value"])
    bits = []
    for sex in SEXES:
        d = dist[dist["sex"] == sex].sort_values("value")
        if len(d):
            bits.append(f"{sex.lower()}s from {d.iloc[0]['value']:.1f} years in {d.iloc[0]['area_name']} to "
                        f"{d.iloc[-1]['value']:.1f} in {d.iloc[-1]['area_name']}")
    return (f"The slope index of inequality (the modelled gap in life expectancy between the most and least deprived "
            f"ends of an area) is published for {p.name}'s districts in {latest_period}: {'; '.join(bits)} "
            f"({eng_words} years).")


def poor_health_table(ph: pd.DataFrame, place: str) -> pd.DataFrame:
    """The place's LE, HLE (95% CI) and years not in good health by sex and period, with England's."""
    p = get_place(place)
    own = ph[ph["area_code"] == p.code]
    eng = ph[ph["role"] == "England"][["sex", "period", "poor_health_years"]].rename(
        columns={"poor_health_years": "england_poor_health_years"})
    t = own.merge(eng, on=["sex", "period"], how="left").sort_values(["sex", "period_start"], ascending=[False, True])
    return pd.DataFrame({
        "Sex": t["sex"], "Period": t["period"], "Life expectancy": t["le"], "Healthy life expectancy": t["hle"],
        "HLE 95% CI": t["hle_lower_95"].map("{:.1f}".format) + " to " + t["hle_upper_95"].map("{:.1f}".format),
        "Years not in good health": t["poor_health_years"],
        "England: years not in good health": t["england_poor_health_years"],
        "% of life in good health": t["pct_life_in_good_health"],
        "Life expectancy from": t["le_series"].map(SERIES_SHORT)}).reset_index(drop=True)


def poor_health_chart(ph: pd.DataFrame, place_name: str) -> alt.FacetChart:
    """Stacked bars for one period: years in good health (HLE) + years not in good health = LE."""
    d = ph.melt(id_vars=["area_name", "sex", "period", "le"], value_vars=["hle", "poor_health_years"],
                var_name="part", value_name="years")
    d["part"] = d["part"].map({"hle": "In good health (HLE)", "poor_health_years": "Not in good health (LE - HLE)"})
    order = ["In good health (HLE)", "Not in good health (LE - HLE)"]
    d["part_order"] = d["part"].map({o: i for i, o in enumerate(order)})
    return (alt.Chart(d).mark_bar(aria=False).encode(
        y=alt.Y("area_name:N", title=None, sort=[place_name, "England"]),
        x=alt.X("years:Q", title="Years of life expected at birth", stack="zero"),
        color=alt.Color("part:N", title=None, scale=alt.Scale(domain=order, range=[PLACE_COLOUR, "#E69F00"]),
                        legend=alt.Legend(orient="bottom")),
        order=alt.Order("part_order:Q"),
        tooltip=[alt.Tooltip("area_name:N", title="Area"), alt.Tooltip("sex:N", title="Sex"),
                 alt.Tooltip("period:N", title="Period"), alt.Tooltip("part:N", title="Part"),
                 alt.Tooltip("years:Q", format=".1f", title="Years"),
                 alt.Tooltip("le:Q", format=".1f", title="Life expectancy")])
        .properties(width=520, height=70)
        .facet(row=alt.Row("sex:N", title=None, sort=list(SEXES))))


def llr_latest_display(latest: pd.DataFrame) -> pd.DataFrame:
    """:func:`llr_latest_table` as one row per area and series, males and females side by side."""
    rows = []
    for (series, code), g in latest.groupby(["series", "area_code"], sort=False):
        g = g.set_index("sex")
        if not set(SEXES) <= set(g.index):
            continue
        rows.append({
            "Area": g["area_name"].iloc[0], "Type": g["area_type"].iloc[0], "Period": g["period"].iloc[0],
            "Males (years)": g.loc["Male", "value"], "Males: difference from England": g.loc["Male", "gap"],
            "Females (years)": g.loc["Female", "value"], "Females: difference from England": g.loc["Female", "gap"],
            "OHID comparison (males / females)": (
                f"{g.loc['Male', 'ohid_comparison']} / {g.loc['Female', 'ohid_comparison']}"
                if pd.notna(g.loc["Male", "ohid_comparison"]) else "not published"),
            "Series": SERIES_SHORT[series]})
    out = pd.DataFrame(rows)
    for c in [c for c in out.columns if "years" in c or "difference" in c]:
        out[c] = out[c].astype(float).round(1) + 0.0      # no "-0.0"
    return out


def series_break_display(brk: pd.DataFrame) -> pd.DataFrame:
    """:func:`series_break` as one row per area: Fingertips minus ONS for each sex and period."""
    d = brk.assign(col=brk["sex"].map({"Male": "Males", "Female": "Females"}) + " " + brk["period"])
    w = d.pivot_table(index=["area_code", "area_name", "role"], columns="col", values="difference").reset_index()
    w = w.sort_values("role", key=lambda r: r.map({"place": 0, "district": 1, "England": 2}), kind="stable")
    cols = sorted([c for c in w.columns if c.startswith(("Males", "Females"))], key=lambda c: (c[0] == "F", c))
    out = w[["area_name", *cols]].rename(columns={"area_name": "Area"})
    for c in cols:
        out[c] = out[c].round(2) + 0.0
    out.columns.name = None
    return out.reset_index(drop=True)


# ------------------------------------------------------------------------------ overview headlines

def headlines(paths=None) -> pd.DataFrame:
    """Headline figures for the overview page (see :mod:`llr_analysis.overview`).

    Life expectancy at birth by sex: the latest Fingertips period for each place that has one,
    otherwise the ONS 2019 edition (Leicestershire county, to 2016-18), labelled with its series.
    The comparison is OHID's published one (neither series has intervals). Healthy life
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
            cand = mine[mine["sex"] == sex]
            if cand.empty:
                continue
            pick = cand[cand["series"] == "fingertips_90366"]
            r = (pick if len(pick) else cand.sort_values("period_start")).iloc[-1]
            comp = str(r["ohid_comparison"]).strip().lower() if pd.notna(r.get("ohid_comparison")) else "not compared"
            rows.append({"indicator": f"Life expectancy at birth, {sex.lower()}s", "area_id": place.id,
                         "area_name": place.name, "period": r["period"], "value": r["value"],
                         "lower_95": np.nan, "upper_95": np.nan, "unit": "years",
                         "england_value": r["england_value"],
                         "comparison": comp if comp in ("better", "similar", "worse") else "not compared",
                         "note": SERIES.get(r["series"], r["series"]) + (
                             "; OHID's published comparison" if comp in ("better", "similar", "worse") else ""),
                         "href": href})
        h = hle_all[(hle_all["series"] == "ons_els_2026")]
        for sex in ("Female", "Male"):
            hp = h[(h["area_code"] == place.code) & (h["sex"] == sex)].sort_values("period_start")
            if hp.empty:
                continue
            r = hp.iloc[-1]
            e = h[(h["area_code"] == eng) & (h["sex"] == sex) & (h["period"] == r["period"])]
            ev = float(e["value"].iloc[0]) if len(e) else np.nan
            rows.append({"indicator": f"Healthy life expectancy at birth, {sex.lower()}s", "area_id": place.id,
                         "area_name": place.name, "period": r["period"], "value": r["value"],
                         "lower_95": r["lower_95"], "upper_95": r["upper_95"], "unit": "years",
                         "england_value": ev,
                         "comparison": compare_by_ci_overlap(r["value"], r["lower_95"], r["upper_95"], ev,
                                                             polarity="higher_is_better"),
                         "note": "ONS, Feb 2026 release (interim method)", "href": href})
    out = pd.DataFrame(rows)
    out["topic"] = "life_expectancy"
    return out
