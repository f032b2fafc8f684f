"""Charts and display tables for the life expectancy pages (the sentences and page sections are in
:mod:`llr_analysis.report.life_expectancy`, which re-exports these)."""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from llr_analysis.analysis.life_expectancy.places import SERIES_SHORT, SEXES
from llr_analysis.report import colours
from llr_analysis.report.charts import geo_data
from llr_analysis.stats import COMPARISON_COLOURS

# The site's colour language (report/colours.py): England black, each place its own colour, districts the rest.
ENGLAND_COLOUR = colours.ENGLAND
PLACE_COLOUR = colours.PLACE_PALETTE[0]  # only where no place is named (scatter dots)
DISTRICT_COLOURS = colours.SERIES


DISTRICTS_LABEL = "Its districts (grey)"
DISTRICT_GREY = "#B0B0B0"


def _colour_scale(names: list[str], place_name: str) -> alt.Scale:
    if DISTRICTS_LABEL in names:  # the place highlighted against its districts in grey
        domain = [n for n in [place_name, DISTRICTS_LABEL, "England"] if n in names]
        fixed = {DISTRICTS_LABEL: DISTRICT_GREY, **colours.series_colours([place_name, "England"])}
        return alt.Scale(domain=domain, range=[fixed[n] for n in domain])
    return colours.series_scale([n for n in [place_name, *names] if n in names])


def _series_encoding(series: list[str]):
    labels = [SERIES_SHORT[s] for s in series]
    dash = alt.StrokeDash(
        "series_short:N",
        title="Series",
        scale=alt.Scale(domain=labels, range=[[1, 0], [5, 3], [2, 2]][: len(labels)]),
        legend=alt.Legend(orient="bottom", direction="vertical", labelLimit=400, symbolSize=200),
    )
    shape = alt.Shape(
        "series_short:N",
        title="Series",
        scale=alt.Scale(domain=labels, range=["circle", "triangle-up", "square"][: len(labels)]),
        legend=None,
    )
    return dash, shape


def line_chart(
    df: pd.DataFrame,
    y: str,
    y_title: str,
    place_name: str,
    series: tuple[str, ...],
    zero_rule: bool = False,
    width: int = 330,
    height: int = 260,
) -> alt.FacetChart:
    """Lines over periods, one dash per series, one panel per sex: the place highlighted (its own colour, thick), England
    black, and any districts thin grey lines behind (named in their tooltips), so that nine areas stay readable
    in a narrow panel."""
    df = df.copy()
    df["series_short"] = df["series"].map(SERIES_SHORT)
    districts = df["role"].eq("district") if "role" in df else pd.Series(False, index=df.index)
    df["shown_as"] = np.where(districts, DISTRICTS_LABEL, df["area_name"])
    df = df.assign(_behind=districts.astype(int)).sort_values("_behind", ascending=False, kind="stable")
    df = df.drop(columns="_behind")  # grey district lines drawn first, under the place and England
    periods = sorted(df["period"].unique(), key=lambda p: int(p[:4]))
    present = [s for s in series if s in set(df["series"])]
    dash, shape = _series_encoding(present)
    base = alt.Chart().encode(
        x=alt.X("period:O", sort=periods, title="Period (3 years pooled)"),
        y=alt.Y(f"{y}:Q", title=y_title, scale=alt.Scale(zero=False)),
        color=alt.Color(
            "shown_as:N",
            title="Area",
            scale=_colour_scale(list(df["shown_as"].unique()), place_name),
            legend=alt.Legend(orient="bottom", direction="vertical", labelLimit=400),
        ),
        detail=["area_name:N", "series_short:N"],
        tooltip=[
            alt.Tooltip("area_name:N", title="Area"),
            alt.Tooltip("sex:N", title="Sex"),
            alt.Tooltip("period:N", title="Period"),
            alt.Tooltip(f"{y}:Q", title=y_title, format=".1f"),
            alt.Tooltip("series_short:N", title="Series"),
        ],
    )
    width_scale = alt.Scale(domain=["place", "district", "England"], range=[3, 1.3, 2.2])
    # Per-mark ARIA off: the page's figure carries the text alternative (see Page.chart).
    layers = [
        base.mark_line(aria=False).encode(
            strokeDash=dash, strokeWidth=alt.StrokeWidth("role:N", scale=width_scale, legend=None)
        ),
        base.mark_point(filled=True, size=40, aria=False).encode(shape=shape),
    ]
    if zero_rule:
        # decorative (England = 0 is said in the axis title and the text alternative): hidden from screen readers
        layers.insert(0, alt.Chart().mark_rule(color="#333", strokeDash=[2, 2], aria=False).encode(y=alt.datum(0)))
    return (
        alt.layer(*layers, data=df)
        .properties(width=width, height=height)
        .facet(column=alt.Column("sex:N", title=None, sort=list(SEXES)))
    )


def hle_chart(df: pd.DataFrame, place_name: str) -> alt.FacetChart:
    """HLE with 95% CIs (ONS Feb 2026 series, filled) and the earlier series (hollow), per sex."""
    df = df.copy()
    periods = sorted(df["period"].unique(), key=lambda p: int(p[:4]))
    colour = alt.Color("area_name:N", title="Area", scale=_colour_scale(list(df["area_name"].unique()), place_name))
    x = alt.X("period:O", sort=periods, title="Period (3 years pooled)")
    tips = [
        alt.Tooltip("area_name:N", title="Area"),
        alt.Tooltip("period:N", title="Period"),
        alt.Tooltip("value:Q", title="HLE (years)", format=".1f"),
        alt.Tooltip("lower_95:Q", title="95% CI lower", format=".1f"),
        alt.Tooltip("upper_95:Q", title="95% CI upper", format=".1f"),
        alt.Tooltip("comparison:N", title="Compared with England"),
        alt.Tooltip("series_label:N", title="Series"),
    ]
    new = alt.datum.series == "ons_els_2026"
    bars = (
        alt.Chart()
        .transform_filter(new)
        .mark_rule(strokeWidth=1.5, aria=False)
        .encode(
            x=x,
            y=alt.Y("lower_95:Q", title="Healthy life expectancy at birth (years)", scale=alt.Scale(zero=False)),
            y2="upper_95:Q",
            color=colour,
            tooltip=tips,
        )
    )
    line = (
        alt.Chart()
        .transform_filter(new)
        .mark_line(strokeWidth=1.5, aria=False)
        .encode(x=x, y="value:Q", color=colour, tooltip=tips)
    )
    pts = (
        alt.Chart()
        .transform_filter(new)
        .mark_point(filled=True, size=45, aria=False)
        .encode(x=x, y="value:Q", color=colour, tooltip=tips)
    )
    old = (
        alt.Chart()
        .transform_filter(~new)
        .mark_point(filled=False, size=45, shape="diamond", aria=False)
        .encode(x=x, y="value:Q", color=colour, tooltip=tips)
    )
    return (
        alt.layer(bars, line, pts, old, data=df)
        .properties(width=330, height=260)
        .facet(column=alt.Column("sex:N", title=None, sort=list(SEXES)))
    )


def msoa_maps(gdf, place_name: str, width: int = 330, height: int = 330) -> alt.HConcatChart:
    """Two maps of MSOAs coloured by CI comparison: with England, and with the place."""
    values = geo_data(gdf)  # simplified TopoJSON, shared by both maps
    order = ["better", "similar", "worse", "not compared"]
    scale = alt.Scale(domain=order, range=[COMPARISON_COLOURS[o] for o in order])
    tips = [
        alt.Tooltip("properties.msoa11_hcl_name:N", title="MSOA"),
        alt.Tooltip("properties.msoa11_code:N", title="MSOA code (2011)"),
        alt.Tooltip("properties.lad_name:N", title="District"),
        alt.Tooltip("properties.le:Q", title="Life expectancy (years)", format=".1f"),
        alt.Tooltip("properties.le_lower_95:Q", title="95% CI lower", format=".1f"),
        alt.Tooltip("properties.le_upper_95:Q", title="95% CI upper", format=".1f"),
        alt.Tooltip("properties.vs_england:N", title="Compared with England"),
        alt.Tooltip("properties.vs_place:N", title=f"Compared with {place_name}"),
        alt.Tooltip("properties.imd_score:Q", title="IMD 2019 score", format=".1f"),
    ]

    def one(field, title):
        return (
            alt.Chart(values, title=title)
            .mark_geoshape(stroke="white", strokeWidth=0.4, aria=False)
            .encode(color=alt.Color(f"properties.{field}:N", scale=scale, title="Life expectancy is"), tooltip=tips)
            .project(type="mercator")
            .properties(width=width, height=height)
        )

    return alt.hconcat(one("vs_england", "Compared with England"), one("vs_place", f"Compared with {place_name}"))


def imd_scatter(m: pd.DataFrame, fit: dict, place_name: str) -> alt.LayerChart:
    """MSOA life expectancy against IMD 2019 score, coloured by district, with the OLS line."""
    d = m.dropna(subset=["le", "imd_score"]).copy()
    names = sorted(d["lad_name"].unique())
    colour = (
        alt.Color("lad_name:N", title="District", scale=_colour_scale(names, place_name))
        if len(names) > 1
        else alt.value(colours.series_colours([place_name])[place_name])
    )
    pts = (
        alt.Chart(d)
        .mark_circle(size=55, opacity=0.85, aria=False)
        .encode(
            x=alt.X("imd_score:Q", title="IMD 2019 score (higher = more deprived)"),
            y=alt.Y("le:Q", title="Life expectancy at birth 2009-13 (years)", scale=alt.Scale(zero=False)),
            color=colour,
            tooltip=[
                alt.Tooltip("msoa11_hcl_name:N", title="MSOA"),
                alt.Tooltip("lad_name:N", title="District"),
                alt.Tooltip("le:Q", title="Life expectancy", format=".1f"),
                alt.Tooltip("imd_score:Q", title="IMD 2019 score", format=".1f"),
            ],
        )
    )
    if np.isnan(fit["slope"]):
        return pts.properties(width=520, height=320)
    xs = np.array([d["imd_score"].min(), d["imd_score"].max()])
    line = (
        alt.Chart(pd.DataFrame({"imd_score": xs, "le": fit["intercept"] + fit["slope"] * xs}))
        .mark_line(color="#333", strokeDash=[5, 3], aria=False)
        .encode(x="imd_score:Q", y="le:Q")
    )
    return (pts + line).properties(width=520, height=320)


def gp_chart(gp: pd.DataFrame) -> alt.FacetChart:
    """Practice life expectancy by practice IMD quintile (5 = most deprived in this file: a city's practices may
    be mostly in quintiles 4 and 5, a rural county's in 1), one dot per practice."""
    d = gp.copy()
    d["imd_quintile"] = d["imd_quintile"].astype("Int64").astype(str)
    base = alt.Chart().encode(
        x=alt.X("imd_quintile:O", title="Practice IMD quintile (5 = most deprived)", sort=[str(i) for i in range(1, 6)])
    )
    dots = (
        base.mark_circle(size=30, opacity=0.6, color=PLACE_COLOUR, aria=False)
        .encode(
            y=alt.Y("value:Q", title="Life expectancy at birth (years)", scale=alt.Scale(zero=False)),
            xOffset=alt.XOffset("jitter:Q"),
            tooltip=[
                alt.Tooltip("practice_code:N", title="Practice"),
                alt.Tooltip("value:Q", format=".1f", title="LE"),
                alt.Tooltip("imd_quintile:N", title="IMD quintile"),
            ],
        )
        .transform_calculate(jitter="random()")
    )
    median = base.mark_tick(color="#000", thickness=3, size=30, aria=False).encode(y="median(value):Q")
    return (
        alt.layer(dots, median, data=d)
        .properties(width=300, height=260)
        .facet(column=alt.Column("sex:N", title=None, sort=list(SEXES)))
    )


def poor_health_chart(ph: pd.DataFrame, place_name: str) -> alt.FacetChart:
    """Stacked bars for one period: years in good health (HLE) + years not in good health = LE."""
    d = ph.melt(
        id_vars=["area_name", "sex", "period", "le"],
        value_vars=["hle", "poor_health_years"],
        var_name="part",
        value_name="years",
    )
    d["part"] = d["part"].map({"hle": "In good health (HLE)", "poor_health_years": "Not in good health (LE - HLE)"})
    order = ["In good health (HLE)", "Not in good health (LE - HLE)"]
    d["part_order"] = d["part"].map({o: i for i, o in enumerate(order)})
    return (
        alt.Chart(d)
        .mark_bar(aria=False)
        .encode(
            y=alt.Y("area_name:N", title=None, sort=[place_name, "England"]),
            x=alt.X("years:Q", title="Years of life expected at birth", stack="zero"),
            color=alt.Color(
                "part:N",
                title=None,
                scale=alt.Scale(domain=order, range=["#88CCEE", "#DDCC77"]),  # parts of a life, not areas
                legend=alt.Legend(orient="bottom"),
            ),
            order=alt.Order("part_order:Q"),
            tooltip=[
                alt.Tooltip("area_name:N", title="Area"),
                alt.Tooltip("sex:N", title="Sex"),
                alt.Tooltip("period:N", title="Period"),
                alt.Tooltip("part:N", title="Part"),
                alt.Tooltip("years:Q", format=".1f", title="Years"),
                alt.Tooltip("le:Q", format=".1f", title="Life expectancy"),
            ],
        )
        .properties(width=520, height=70)
        .facet(row=alt.Row("sex:N", title=None, sort=list(SEXES)))
    )


def llr_latest_display(latest: pd.DataFrame) -> pd.DataFrame:
    """:func:`llr_latest_table` as one row per area and series, males and females side by side."""
    rows = []
    for (series, _code), g in latest.groupby(["series", "area_code"], sort=False):
        by_sex = {str(k): {str(c): v for c, v in row.items()} for k, row in g.set_index("sex").to_dict("index").items()}
        if not set(SEXES) <= set(by_sex):
            continue
        m, f = by_sex["Male"], by_sex["Female"]
        rows.append(
            {
                "Area": g["area_name"].iloc[0],
                "Type": g["area_type"].iloc[0],
                "Period": g["period"].iloc[0],
                "Males (years)": m["value"],
                "Males: difference from England": m["gap"],
                "Females (years)": f["value"],
                "Females: difference from England": f["gap"],
                "OHID comparison (males / females)": (
                    f"{m['ohid_comparison']} / {f['ohid_comparison']}"
                    if pd.notna(m["ohid_comparison"])
                    else "not published"
                ),
                "Series": SERIES_SHORT[str(series)],
            }
        )
    out = pd.DataFrame(rows)
    for c in [c for c in out.columns if "years" in c or "difference" in c]:
        out[c] = out[c].astype(float).round(1) + 0.0  # no "-0.0"
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
