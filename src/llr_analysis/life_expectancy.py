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

import json

import altair as alt
import numpy as np
import pandas as pd

from .deprivation import weighted_mean
from .errors import ParameterError
from .places import get_place, load_places
from .process import read_table
from .process.life_expectancy import SERIES
from .stats import COMPARISON_COLOURS, compare_by_ci_overlap

__all__ = ["SERIES", "SEXES", "MEASURES", "check_sex", "check_measure", "area_roles", "le_series",
           "gap_to_england", "latest_values", "llr_latest_table", "leicester_gap", "series_break",
           "hle_series", "poor_health_years", "sii_series", "msoa_le", "msoa_imd2019", "imd_gradient",
           "msoa_counts", "gp_practice_le"]

SEXES = ("Male", "Female")
MEASURES = {"birth": "life expectancy at birth", "65": "life expectancy at age 65"}
#: Series of local-authority life expectancy, oldest first.
LE_SERIES = ("ons_la_2019", "fingertips_90366")
HLE_SERIES = ("ons_els_2026", "fingertips_90362_2020")
SII_SERIES = ("fingertips_92901_2020", "fingertips_92901")
POLARITY = "higher_is_better"   # life expectancy: higher is better
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
    with its 95% CI, R squared and the number of MSOAs (statsmodels OLS)."""
    import statsmodels.api as sm
    d = m.dropna(subset=["le", "imd_score"])
    if len(d) < 3:
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
    labels = [SERIES[s] for s in series]
    dash = alt.StrokeDash("series_label:N", title="Series", scale=alt.Scale(domain=labels,
                          range=[[1, 0], [5, 3], [2, 2]][:len(labels)]), legend=alt.Legend(orient="bottom",
                                                                                             direction="vertical"))
    shape = alt.Shape("series_label:N", title="Series", scale=alt.Scale(domain=labels,
                      range=["circle", "triangle-up", "square"][:len(labels)]), legend=None)
    return dash, shape


def line_chart(df: pd.DataFrame, y: str, y_title: str, place_name: str, series: tuple[str, ...],
               zero_rule: bool = False, width: int = 330, height: int = 260) -> alt.FacetChart:
    """Lines over periods, one colour per area, one dash per series, one panel per sex."""
    df = df.copy()
    periods = sorted(df["period"].unique(), key=lambda p: int(p[:4]))
    present = [s for s in series if s in set(df["series"])]
    dash, shape = _series_encoding(present)
    base = alt.Chart().encode(
        x=alt.X("period:O", sort=periods, title="Period (3 years pooled)"),
        y=alt.Y(f"{y}:Q", title=y_title, scale=alt.Scale(zero=False)),
        color=alt.Color("area_name:N", title="Area", scale=_colour_scale(list(df["area_name"].unique()), place_name)),
        detail="series_label:N",
        tooltip=[alt.Tooltip("area_name:N", title="Area"), alt.Tooltip("sex:N", title="Sex"),
                 alt.Tooltip("period:N", title="Period"), alt.Tooltip(f"{y}:Q", title=y_title, format=".1f"),
                 alt.Tooltip("series_label:N", title="Series")],
    )
    layers = [base.mark_line(strokeWidth=1.8).encode(strokeDash=dash),
              base.mark_point(filled=True, size=40).encode(shape=shape)]
    if zero_rule:
        layers.insert(0, alt.Chart().mark_rule(color="#333", strokeDash=[2, 2]).encode(y=alt.datum(0)))
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
    bars = alt.Chart().transform_filter(new).mark_rule(strokeWidth=1.5).encode(
        x=x, y=alt.Y("lower_95:Q", title="Healthy life expectancy at birth (years)", scale=alt.Scale(zero=False)),
        y2="upper_95:Q", color=colour)
    line = alt.Chart().transform_filter(new).mark_line(strokeWidth=1.5).encode(x=x, y="value:Q", color=colour)
    pts = alt.Chart().transform_filter(new).mark_point(filled=True, size=45).encode(
        x=x, y="value:Q", color=colour, tooltip=tips)
    old = alt.Chart().transform_filter(~new).mark_point(filled=False, size=45, shape="diamond").encode(
        x=x, y="value:Q", color=colour, tooltip=tips)
    return (alt.layer(bars, line, pts, old, data=df).properties(width=330, height=260)
            .facet(column=alt.Column("sex:N", title=None, sort=list(SEXES))))


def msoa_maps(gdf, place_name: str, width: int = 330, height: int = 330) -> alt.HConcatChart:
    """Two maps of MSOAs coloured by CI comparison: with England, and with the place."""
    values = json.loads(gdf.to_json(drop_id=True))["features"]
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
        return (alt.Chart(alt.Data(values=values), title=title).mark_geoshape(stroke="white", strokeWidth=0.4)
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
    pts = alt.Chart(d).mark_circle(size=55, opacity=0.85).encode(
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
        color="#333", strokeDash=[5, 3]).encode(x="imd_score:Q", y="le:Q")
    return (pts + line).properties(width=520, height=320)


def gp_chart(gp: pd.DataFrame) -> alt.FacetChart:
    """Practice life expectancy by practice IMD quintile (1 = most deprived), one dot per practice."""
    d = gp.copy()
    d["imd_quintile"] = d["imd_quintile"].astype("Int64").astype(str)
    base = alt.Chart().encode(x=alt.X("imd_quintile:O", title="Practice IMD quintile (1 = most deprived)",
                                      sort=[str(i) for i in range(1, 6)]))
    dots = base.mark_circle(size=30, opacity=0.6, color=PLACE_COLOUR).encode(
        y=alt.Y("value:Q", title="Life expectancy at birth (years)", scale=alt.Scale(zero=False)),
        xOffset=alt.XOffset("jitter:Q"),
        tooltip=[alt.Tooltip("practice_code:N", title="Practice"), alt.Tooltip("value:Q", format=".1f", title="LE"),
                 alt.Tooltip("imd_quintile:N", title="IMD quintile")]).transform_calculate(jitter="random()")
    median = base.mark_tick(color="#000", thickness=3, size=30).encode(y="median(value):Q")
    return (alt.layer(dots, median, data=d).properties(width=300, height=260)
            .facet(column=alt.Column("sex:N", title=None, sort=list(SEXES))))
