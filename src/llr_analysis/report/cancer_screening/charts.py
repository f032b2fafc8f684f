"""Charts of the cancer screening pages (Altair): coverage against the standard, funnel plots,
deprivation, the Health Index, trends. Page sections are in :mod:`llr_analysis.report.cancer_screening.programme`."""

from __future__ import annotations

import numpy as np
import pandas as pd

from llr_analysis.analysis.cancer_screening.programmes import age_group_label, standard
from llr_analysis.places import load_places
from llr_analysis.report import colours
from llr_analysis.report.cancer_screening.text import fmt_ci

FUNNEL_COLOURS = {
    "above 99.8%": "#0072B2",
    "above 95%": "#56B4E9",
    "within 95%": "#BBBBBB",
    "below 95%": "#E69F00",
    "below 99.8%": "#D55E00",
    "not compared": "#FFFFFF",
}


def _standard_rules(programme: str):
    import altair as alt

    s = standard(programme)
    ref = pd.DataFrame(
        {
            "x": [s["acceptable"], s["achievable"]],
            "label": [f"acceptable {s['acceptable']}%", f"achievable {s['achievable']}%"],
        }
    )
    rule = alt.Chart(ref).mark_rule(color="#333", strokeDash=[4, 3]).encode(x="x:Q", tooltip=["label:N", "x:Q"])
    left = (
        alt.Chart(ref.iloc[[0]])
        .mark_text(align="right", dx=-3, dy=-5, color="#333", fontSize=10)
        .encode(x="x:Q", y=alt.value(0), text="label:N")
    )
    right = (
        alt.Chart(ref.iloc[[1]])
        .mark_text(align="left", dx=3, dy=-5, color="#333", fontSize=10)
        .encode(x="x:Q", y=alt.value(0), text="label:N")
    )
    return rule + left + right


def coverage_chart(table: pd.DataFrame, programme: str):
    """Coverage with 95% CIs for the place, its PCNs, the ICS and England, one panel per age group,
    with the programme's acceptable and achievable thresholds as dashed lines."""
    import altair as alt

    from llr_analysis.report.charts import comparison_scale

    t = table[table["value"].notna()].copy()
    t["ci"] = [fmt_ci(lo, hi) for lo, hi in zip(t["lower_95"], t["upper_95"], strict=True)]
    t["level_label"] = t["level"].map(level_labels())
    order = list(dict.fromkeys(t["area_name"]))
    lo_x = float(np.floor(min(t["lower_95"].min(), standard(programme)["acceptable"]) / 5) * 5 - 5)
    scale = alt.Scale(domain=[max(0, lo_x), 100])
    panels = []
    domain = ["better", "similar", "worse", "comparator"]
    cs = comparison_scale(["better", "similar", "worse", "not compared"])
    colour = alt.Scale(domain=domain, range=list(cs.range[:3]) + ["#000000"])
    for ag, g in t.groupby("age_group", sort=False):
        base = alt.Chart(g).encode(y=alt.Y("area_name:N", sort=order, title=None))
        bars = base.mark_rule(strokeWidth=2, color="#555").encode(
            x=alt.X("lower_95:Q", scale=scale, title="Coverage (%)"), x2="upper_95:Q"
        )
        pts = base.mark_point(filled=True, size=70).encode(
            x="value:Q",
            color=alt.Color("comparison:N", scale=colour, title="Compared with England"),
            shape=alt.Shape("level_label:N", title="Level", scale=alt.Scale(domain=list(level_labels().values()))),
            tooltip=[
                alt.Tooltip("area_name:N", title="Area"),
                alt.Tooltip("value:Q", title="Coverage %", format=".1f"),
                alt.Tooltip("ci:N", title="95% CI"),
                alt.Tooltip("count:Q", title="Screened", format=",.0f"),
                alt.Tooltip("denominator:Q", title="Eligible", format=",.0f"),
                alt.Tooltip("comparison:N", title="vs England"),
            ],
        )
        panels.append(
            (bars + pts + _standard_rules(programme)).properties(
                width=330, height=max(120, 22 * len(g)), title=age_group_label(programme, str(ag))
            )
        )
    return alt.hconcat(*panels).resolve_scale(y="shared")


def log_ticks(lo: float, hi: float, most: int = 5) -> list[int]:
    """Tick values for a log axis from ``lo`` to ``hi``: 1, 2, 5 x powers of ten, thinned to at most ``most``
    (so labels such as "200", "500", "1k", "2k" never crowd, even on a phone)."""
    ticks = [m * 10**e for e in range(0, 9) for m in (1, 2, 5) if lo <= m * 10**e <= hi]
    for keep in ((1, 2, 5), (1, 5), (1,)):
        shown = [t for t in ticks if int(str(t)[0]) in keep]
        if len(shown) <= most:
            return shown or [round(lo), round(hi)]
    step = -(-len(shown) // most)
    return shown[::step]


def funnel_chart(pts: pd.DataFrame, limits: pd.DataFrame, target_name: str, title: str):
    """Funnel plot of practices: coverage against eligible population (log scale) with 95% and
    99.8% control limits around the target."""
    import altair as alt

    p = pts[pts["funnel_position"] != "not compared"].copy()
    p["ci"] = [fmt_ci(lo, hi) for lo, hi in zip(p["lower_95"], p["upper_95"], strict=True)]
    p["pcn"] = p["pcn_name"].fillna("no PCN on record")
    lim = limits.melt(
        id_vars=["denominator", "target"],
        value_vars=["lower_95", "upper_95", "lower_99_8", "upper_99_8"],
        var_name="limit",
        value_name="y",
    )
    lim["band"] = np.where(lim["limit"].str.endswith("99_8"), "99.8% limits", "95% limits")
    lo, hi = float(limits["denominator"].min()), float(limits["denominator"].max())
    xs = alt.Scale(type="log", domain=[lo, hi], nice=False)
    x_axis = alt.Axis(values=log_ticks(lo, hi), format="~s", labelOverlap="greedy", labelFlush=True, grid=False)
    y_axis = alt.Axis(tickCount=5, labelOverlap="greedy")
    lines = (
        alt.Chart(lim)
        .mark_line(color="#555")
        .encode(
            x=alt.X("denominator:Q", scale=xs, title="Eligible people (log scale)", axis=x_axis),
            y=alt.Y("y:Q", title="Coverage (%)", scale=alt.Scale(zero=False), axis=y_axis),
            detail="limit:N",
            strokeDash=alt.StrokeDash(
                "band:N",
                title="Control limits",
                scale=alt.Scale(domain=["95% limits", "99.8% limits"], range=[[4, 3], [1, 0]]),
            ),
        )
    )
    centre = alt.Chart(limits).mark_line(color="#000", strokeWidth=1).encode(x="denominator:Q", y="target:Q")
    domain = [k for k in FUNNEL_COLOURS if k != "not compared"]
    dots = (
        alt.Chart(p)
        .mark_point(filled=True, size=55, stroke="#333", strokeWidth=0.5)
        .encode(
            x="denominator:Q",
            y="value:Q",
            color=alt.Color(
                "funnel_position:N",
                title=f"Against {target_name}",
                scale=alt.Scale(domain=domain, range=[FUNNEL_COLOURS[d] for d in domain]),
            ),
            tooltip=[
                alt.Tooltip("practice_name:N", title="Practice"),
                alt.Tooltip("practice_code:N", title="Code"),
                alt.Tooltip("pcn:N", title="PCN"),
                alt.Tooltip("value:Q", title="Coverage %", format=".1f"),
                alt.Tooltip("ci:N", title="95% CI"),
                alt.Tooltip("denominator:Q", title="Eligible", format=",.0f"),
                alt.Tooltip("funnel_position:N", title="Position"),
            ],
        )
    )
    return (lines + centre + dots).properties(width=330, height=300, title=title)


def deprivation_chart(pts: pd.DataFrame, title: str):
    """Practice coverage against the practice's IMD 2019 score, with an unweighted linear trend."""
    import altair as alt

    p = pts.dropna(subset=["value", "imd_score"]).copy()
    p["pcn"] = p["pcn_name"].fillna("no PCN on record")
    base = alt.Chart(p).encode(
        x=alt.X("imd_score:Q", title="Practice IMD 2019 score (higher = more deprived)"),
        y=alt.Y("value:Q", title="Coverage (%)", scale=alt.Scale(zero=False)),
    )
    dots = base.mark_point(filled=True, size=50, color="#1f5f8b", opacity=0.8).encode(
        tooltip=[
            alt.Tooltip("practice_name:N", title="Practice"),
            alt.Tooltip("pcn:N", title="PCN"),
            alt.Tooltip("value:Q", title="Coverage %", format=".1f"),
            alt.Tooltip("imd_score:Q", title="IMD score", format=".1f"),
            alt.Tooltip("imd_decile:Q", title="IMD decile (1 = most deprived)"),
        ]
    )
    if len(p) < 5:  # too few practices for a trend line
        return dots.properties(width=330, height=280, title=title)
    trend = base.transform_regression("imd_score", "value").mark_line(color="#D55E00", strokeDash=[5, 3])
    return (dots + trend).properties(width=330, height=280, title=title)


def health_index_chart(hi: pd.DataFrame):
    """ONS Health Index screening composite 2015-2018: the places and the England UTLA median."""
    import altair as alt

    names = [n for n in hi.loc[hi["series"] == "place", "area_name"].drop_duplicates()]
    england = hi.loc[hi["series"] != "place", "area_name"].drop_duplicates().tolist()
    return (
        alt.Chart(hi)
        .mark_line(point=True)
        .encode(
            x=alt.X("year:O", title="Year", axis=alt.Axis(labelAngle=0)),
            y=alt.Y("value:Q", title="Cancer screening composite (%)", scale=alt.Scale(zero=False)),
            color=alt.Color(
                "area_name:N",
                title="Area",
                scale=alt.Scale(
                    domain=names + england,
                    range=[colours.series_colours(names)[n] for n in names] + [colours.ENGLAND] * len(england),
                ),
            ),
            strokeDash=alt.StrokeDash(
                "series:N",
                title="Series",
                scale=alt.Scale(domain=["place", "England UTLA median"], range=[[1, 0], [4, 3]]),
            ),
            tooltip=[
                alt.Tooltip("area_name:N", title="Area"),
                alt.Tooltip("year:O", title="Year"),
                alt.Tooltip("value:Q", title="Composite %", format=".1f"),
                alt.Tooltip("rank_text:N", title="Rank among upper-tier LAs"),
            ],
        )
        .properties(width=520, height=280)
    )


def level_labels() -> dict[str, str]:
    """The chart labels of the area levels (the ICB's short name from places.yml)."""
    llr = load_places().llr_short_name
    return {
        "place": "Place",
        "pcn": "PCN",
        "no_pcn": "Practices with no PCN",
        "llr": llr,
        "other_place": f"Other {llr} place",
        "england": "England",
    }


def short_age(age_group: str) -> str:
    return str(age_group).replace("-", "–")


def trend_chart(trend: pd.DataFrame):
    import altair as alt

    t = trend.assign(series=trend["area_name"] + " " + trend["age_group"].map(short_age))
    order = list(dict.fromkeys(t.sort_values("period_sort")["period"]))
    areas = list(dict.fromkeys(t["area_name"]))
    ages = list(dict.fromkeys(t["age_group"].map(short_age)))
    t = t.assign(age=t["age_group"].map(short_age))
    base = alt.Chart(t).encode(
        x=alt.X("period:O", sort=order, title="Period", axis=alt.Axis(labelAngle=0)),
        color=alt.Color("area_name:N", title="Area", scale=colours.series_scale(areas)),
        detail="series:N",
    )
    band = base.mark_area(opacity=0.2).encode(
        y=alt.Y("lower_95:Q", title="Coverage (%)", scale=alt.Scale(zero=False)), y2="upper_95:Q"
    )
    line = base.mark_line(point=True).encode(
        y="value:Q",
        strokeDash=alt.StrokeDash(
            "age:N", title="Age", scale=alt.Scale(domain=ages, range=[[1, 0], [5, 3], [2, 2], [8, 2]][: len(ages)])
        ),
        tooltip=[
            alt.Tooltip("area_name:N", title="Area"),
            alt.Tooltip("age_group:N", title="Age"),
            alt.Tooltip("period:N", title="Period"),
            alt.Tooltip("value:Q", title="Coverage %", format=".1f"),
        ],
    )
    return (band + line).properties(width=520, height=260)
