"""The population page's charts (Altair): the age profile against England and the change over the year."""

from __future__ import annotations

import altair as alt
import pandas as pd

from llr_analysis.analysis.population.measures import BAND_LABELS
from llr_analysis.report import colours

ENGLAND_COLOUR = colours.ENGLAND
MEASURE_COLOURS = dict(zip(["All ages", "Aged 65+", "Aged 85+"], colours.SERIES, strict=False))  # not area colours


def age_profile_chart(profile: pd.DataFrame, place_name: str, width: int = 460) -> alt.Chart:
    """Horizontal bars: % of the place's population in each five-year band (oldest at the top),
    with England's percentage in the same band as a black tick (its age shape overlaid)."""
    order = list(reversed(BAND_LABELS))
    fixed = colours.series_colours([place_name, "England"])  # the site's colours (report/colours.py)
    domain, range_ = list(fixed), list(fixed.values())
    y = alt.Y("band:N", sort=order, title="Age band (years)")
    tip = [
        alt.Tooltip("area_name:N", title="Area"),
        alt.Tooltip("band:N", title="Age band"),
        alt.Tooltip("percent:Q", title="% of population", format=".1f"),
        alt.Tooltip("count:Q", title="People", format=",.0f"),
    ]
    colour = alt.Color(
        "area_name:N", scale=alt.Scale(domain=domain, range=range_), legend=alt.Legend(title=None, orient="bottom")
    )
    place = profile[profile["area_name"] == place_name]
    eng = profile[profile["area_name"] == "England"]
    bars = (
        alt.Chart(place).mark_bar().encode(x=alt.X("percent:Q", title="% of all ages"), y=y, color=colour, tooltip=tip)
    )
    ticks = alt.Chart(eng).mark_tick(thickness=3, size=16).encode(x="percent:Q", y=y, color=colour, tooltip=tip)
    return (bars + ticks).properties(width=width, height=22 * len(BAND_LABELS))


def change_chart(change: pd.DataFrame, width: int = 170) -> alt.FacetChart:
    """% change by area, one panel per measure (all ages, 65+, 85+), areas in the table's order."""
    order = list(dict.fromkeys(change["area_name"]))
    base = (
        alt.Chart(change)
        .mark_bar()
        .encode(
            x=alt.X("pct_change:Q", title="% change"),
            y=alt.Y("area_name:N", sort=order, title=None),
            color=alt.Color(
                "measure:N",
                scale=alt.Scale(domain=list(MEASURE_COLOURS), range=list(MEASURE_COLOURS.values())),
                legend=None,
            ),
            tooltip=[
                alt.Tooltip("area_name:N", title="Area"),
                alt.Tooltip("measure:N", title="Measure"),
                alt.Tooltip("count_start:Q", title="Start", format=",.0f"),
                alt.Tooltip("count_end:Q", title="End", format=",.0f"),
                alt.Tooltip("pct_change:Q", title="% change", format="+.1f"),
            ],
        )
        .properties(width=width, height=max(120, 20 * len(order)))
    )
    return base.facet(column=alt.Column("measure:N", sort=list(MEASURE_COLOURS), title=None))
