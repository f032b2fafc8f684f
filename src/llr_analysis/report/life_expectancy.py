"""Charts, sentences and page sections for the life expectancy pages.

The numbers come from :mod:`llr_analysis.analysis.life_expectancy`; everything here turns them into what a
page shows (Altair charts, narrative sentences, display tables, sections written through
:class:`llr_analysis.report.page.Page`).
"""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from llr_analysis.analysis.life_expectancy import (
    LE_SERIES,
    MEASURES,
    MIN_MSOAS_FOR_GRADIENT,
    SERIES_SHORT,
    SEXES,
    _versus,
    check_measure,
    check_sex,
    gap_to_england,
    hle_series,
    latest_values,
    le_series,
    leicester_gap,
    msoa_counts,
    poor_health_years,
    sii_series,
)
from llr_analysis.places import get_place
from llr_analysis.process.life_expectancy import SERIES
from llr_analysis.report.charts import geo_data
from llr_analysis.stats import COMPARISON_COLOURS

# Okabe-Ito colours (colour-blind safe): England black, the place blue, districts the rest.
ENGLAND_COLOUR = "#000000"


PLACE_COLOUR = "#0072B2"


DISTRICT_COLOURS = ["#E69F00", "#56B4E9", "#009E73", "#D55E00", "#CC79A7", "#999999", "#F0E442"]


def _colour_scale(names: list[str], place_name: str) -> alt.Scale:
    others = [n for n in names if n not in ("England", place_name)]
    domain = [n for n in [place_name, *others, "England"] if n in names]
    colours = {place_name: PLACE_COLOUR, "England": ENGLAND_COLOUR}
    colours.update({n: DISTRICT_COLOURS[i % len(DISTRICT_COLOURS)] for i, n in enumerate(others)})
    return alt.Scale(domain=domain, range=[colours[n] for n in domain])


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
        else alt.value(PLACE_COLOUR)
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
    """Practice life expectancy by practice IMD quintile (1 = most deprived), one dot per practice."""
    d = gp.copy()
    d["imd_quintile"] = d["imd_quintile"].astype("Int64").astype(str)
    base = alt.Chart().encode(
        x=alt.X("imd_quintile:O", title="Practice IMD quintile (1 = most deprived)", sort=[str(i) for i in range(1, 6)])
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
            f"({SERIES_SHORT[newest_series]})."
        )
        judged = r["ohid_comparison"].dropna()
        if len(judged) == 2:
            parts.append(
                f"OHID's published comparison with England: {r.loc['Male', 'ohid_comparison'].lower()} "
                f"for males, {r.loc['Female', 'ohid_comparison'].lower()} for females."
            )
    else:
        old = own.set_index("sex") if len(own) == 2 else None
        if old is not None:
            parts.append(
                f"**In summary.** {p.name}'s latest published {label} is for {old.loc['Male', 'period']} "
                f"({SERIES_SHORT[old.loc['Male', 'series']]}): {old.loc['Male', 'value']:.1f} years for males and "
                f"{old.loc['Female', 'value']:.1f} years for females, {_gap_words(old.loc['Male', 'gap'])} and "
                f"{_gap_words(old.loc['Female', 'gap'])}."
            )
        dist = newest[newest["role"] == "district"]
        if len(dist):
            period = dist["period"].iloc[0]
            bits = []
            for sex in SEXES:
                d = dist[dist["sex"] == sex].sort_values("value")
                lo, hi = d.iloc[0], d.iloc[-1]
                bits.append(
                    f"{sex.lower()}s from {lo['value']:.1f} years in {lo['area_name']} to "
                    f"{hi['value']:.1f} in {hi['area_name']} (England {lo['england_value']:.1f})"
                )
            parts.append(
                f"No county figure is published after that in these sources; in {period} its "
                f"{len(dist) // 2} districts ranged: {'; '.join(bits)}."
            )
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
    s = (
        f"In {per}, healthy life expectancy at birth in {p.name} was {latest.loc['Male', 'value']:.1f} years for "
        f"males (95% CI {latest.loc['Male', 'lower_95']:.1f} to {latest.loc['Male', 'upper_95']:.1f}) and "
        f"{latest.loc['Female', 'value']:.1f} years for females ({latest.loc['Female', 'lower_95']:.1f} to "
        f"{latest.loc['Female', 'upper_95']:.1f}), against {latest.loc['Male', 'england_value']:.1f} and "
        f"{latest.loc['Female', 'england_value']:.1f} in England: {_versus(latest.loc['Male', 'comparison'])} "
        f"for males and {_versus(latest.loc['Female', 'comparison'], short=True)} for females "
        f"(95% confidence intervals)."
    )
    if len(ph_latest) == 2:
        pp = ph_latest["period"].iloc[0]
        s += (
            f" In {pp}, males in {p.name} could expect {ph_latest.loc['Male', 'poor_health_years']:.1f} years and "
            f"females {ph_latest.loc['Female', 'poor_health_years']:.1f} years of life not in good health "
            f"(life expectancy from {SERIES.get(ph_latest['le_series'].iloc[0], ph_latest['le_series'].iloc[0])} "
            f"minus healthy life expectancy from the ONS Feb 2026 release: two releases, so the difference is "
            f"approximate"
            + ("" if pp == per else f"; {pp} is the latest period with a published life expectancy for {p.name}")
            + ")."
        )
    return s


def msoa_text(m: pd.DataFrame, fit: dict, place: str, sex: str) -> str:
    """Spread of MSOA life expectancy within the place, CI comparisons and the IMD gradient."""
    p = get_place(place)
    sex = check_sex(sex)
    d = m.dropna(subset=["le"]).sort_values("le")
    lo, hi = d.iloc[0], d.iloc[-1]
    c = msoa_counts(m).set_index("comparison")
    s = (
        f"Across the {len(m)} MSOAs (2011) in {p.name}, {sex.lower()} life expectancy at birth in 2009-13 ranged "
        f"from {lo['le']:.1f} years in {lo['msoa11_hcl_name']} to {hi['le']:.1f} years in {hi['msoa11_hcl_name']}, "
        f"a difference of {hi['le'] - lo['le']:.1f} years. {_were(c.loc['worse', 'vs_england'])} significantly "
        f"below England ({m['england_le'].iloc[0]:.1f} years) and {c.loc['better', 'vs_england']} significantly "
        f"above; compared with {p.name} as a whole ({m['place_le'].iloc[0]:.1f} years), "
        f"{_were(c.loc['worse', 'vs_place'])} below and {c.loc['better', 'vs_place']} above (95% confidence "
        f"intervals)."
    )
    if fit["n"] >= MIN_MSOAS_FOR_GRADIENT and not np.isnan(fit["slope"]):
        s += (
            f" Across these MSOAs, life expectancy changed by {10 * fit['slope']:+.1f} years for every 10 points "
            f"of IMD 2019 score (95% CI {10 * fit['lower_95']:+.1f} to {10 * fit['upper_95']:+.1f}; "
            f"R² {fit['r2']:.2f}; a negative value means shorter lives in more deprived MSOAs)."
        )
    else:
        s += (
            f" With {fit['n']} MSOAs, {p.name} has too few for a reliable line through life expectancy and "
            f"deprivation (at least {MIN_MSOAS_FOR_GRADIENT} are needed here), so none is drawn."
        )
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
        return (
            f"The slope index of inequality, the modelled gap in life expectancy at birth between the most and "
            f"least deprived ends of {p.name}, was {own['Male']:.1f} years for males and {own['Female']:.1f} "
            f"years for females in {latest_period} ({eng_words})."
        )
    if len(own) == 2:
        return (
            f"The slope index of inequality is not published for {p.name} (OHID does not calculate it for "
            f"areas this small); for comparison, {eng_words} years in {latest_period}."
        )
    dist = cur[cur["role"] == "district"].dropna(subset=["value"])
    bits = []
    for sex in SEXES:
        d = dist[dist["sex"] == sex].sort_values("value")
        if len(d):
            bits.append(
                f"{sex.lower()}s from {d.iloc[0]['value']:.1f} years in {d.iloc[0]['area_name']} to "
                f"{d.iloc[-1]['value']:.1f} in {d.iloc[-1]['area_name']}"
            )
    return (
        f"The slope index of inequality (the modelled gap in life expectancy between the most and least deprived "
        f"ends of an area) is published for {p.name}'s districts in {latest_period}: {'; '.join(bits)} "
        f"({eng_words} years)."
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
                scale=alt.Scale(domain=order, range=[PLACE_COLOUR, "#E69F00"]),
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
        g = g.set_index("sex")
        if not set(SEXES) <= set(g.index):
            continue
        rows.append(
            {
                "Area": g["area_name"].iloc[0],
                "Type": g["area_type"].iloc[0],
                "Period": g["period"].iloc[0],
                "Males (years)": g.loc["Male", "value"],
                "Males: difference from England": g.loc["Male", "gap"],
                "Females (years)": g.loc["Female", "value"],
                "Females: difference from England": g.loc["Female", "gap"],
                "OHID comparison (males / females)": (
                    f"{g.loc['Male', 'ohid_comparison']} / {g.loc['Female', 'ohid_comparison']}"
                    if pd.notna(g.loc["Male", "ohid_comparison"])
                    else "not published"
                ),
                "Series": SERIES_SHORT[series],
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
