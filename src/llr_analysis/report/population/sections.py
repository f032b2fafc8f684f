"""Charts, sentences and page sections for the population pages.

The numbers come from :mod:`llr_analysis.analysis.population`; everything here turns them into what a
page shows (Altair charts, narrative sentences, display tables, sections written through
:class:`llr_analysis.report.page.Page`).
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from llr_analysis.analysis.localities import areas
from llr_analysis.analysis.localities import load as localities_load
from llr_analysis.analysis.population import ages as pop
from llr_analysis.analysis.population.ages import BAND_LABELS, LEVEL_NOUNS, SMALL_BASE, YEARS
from llr_analysis.analysis.population.localities import lsoa11_locality_names
from llr_analysis.places import get_locality_level, get_place, load_places
from llr_analysis.process import read_table
from llr_analysis.report import charts, colours
from llr_analysis.report.page import Page, tidy_download
from llr_analysis.report.population.localities import (  # noqa: F401
    localities_section,
    reconciliation_section,
    whole_people,
)
from llr_analysis.report.words import at_extreme, plural

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


# ------------------------------------------------------------------------------ sentences

#: The caveat under the summary: which estimates these are and what they cannot show.
ESTIMATES_NOTE = (
    "These are the ONS estimates based on the 2011 Census (mid-2019 and mid-2020), the latest small-area "
    "estimates by single year of age available on this site; ONS has since revised them to the 2021 Census, so "
    "they are older data (see the table of populations by source below). They give persons only: "
    "no small-area or district source here has age by sex, so the age chart shows all persons and sex is given "
    "from Census 2021 district totals. Change over a single year partly reflects how the estimates are made, "
    "most of all for small groups such as the over-85s of one neighbourhood."
)


def rise(v: float) -> str:
    """'rose by 1.2%' / 'fell by 0.3%' / 'did not change' (1 dp)."""
    return f"rose by {v:.1f}%" if v > 0 else (f"fell by {-v:.1f}%" if v < 0 else "did not change")


def totals_text(place: str, paths=None) -> str:
    """The page's first sentence: how many people live in the place, by the most recent count (mid-2022,
    the total every page uses), with Census 2021 beside it ("" when the count is missing)."""
    from llr_analysis.analysis.population.ages import TOTALS_PERIOD, latest_totals
    from llr_analysis.analysis.population.localities import reconciliation

    name = get_place(place).name
    geo = read_table("geography/lsoa21", paths)
    total = latest_totals(geo.loc[geo["place_id"] == get_place(place).id, "lsoa21_code"], paths)
    census = reconciliation(place, paths).set_index("source_key")["population"].get("census")
    if pd.isna(total):
        return ""
    return (
        f"**How many people.** In {TOTALS_PERIOD}, the most recent estimate, **{total:,.0f}** people lived in "
        f"{name} (ONS, based on Census 2021"
        + (f"; Census 2021 counted {census:,.0f} in March 2021" if pd.notna(census) else "")
        + "). The rest of this page describes ages and change with the mid-2019 and mid-2020 estimates, the "
        "latest with single years of age for every small area here."
    )


def summary_text(st: pd.DataFrame, change: pd.DataFrame, place: str, level: str, year: int) -> str:
    """The page's summary: size, age shares and ratio against LLR and England, the year's change,
    and (with several localities) the oldest and youngest locality by share aged 65+."""
    name, llr_name = get_place(place).name, load_places().llr_short_name
    nouns = LEVEL_NOUNS[level][1]
    start, end = YEARS[0], YEARS[-1]
    by_type = st.set_index("area_type")
    row, llr, eng = by_type.loc["place"], by_type.loc["ICB"], by_type.loc["England"]
    localities = st[st["area_type"] == "locality"]
    ch = change[change["area_type"] == "place"].set_index("measure")
    ch_eng = change[change["area_type"] == "England"].set_index("measure")
    (old_pct, oldest), (young_pct, youngest) = (
        at_extreme(localities, "pct_65_plus", "area_name", lowest=b) for b in (False, True)
    )
    return (
        f"**In summary.** In mid-{year} an estimated **{row['population']:,.0f}** people lived in {name} "
        f"({row['share']:.1f}% of {llr_name}'s {llr['population']:,.0f}). "
        f"**{row['pct_65_plus']:.1f}%** were aged 65 and over ({llr_name} {llr['pct_65_plus']:.1f}%, "
        f"England {eng['pct_65_plus']:.1f}%) and {row['pct_85_plus']:.1f}% were aged 85 and over "
        f"({llr_name} {llr['pct_85_plus']:.1f}%, England {eng['pct_85_plus']:.1f}%); "
        f"{row['pct_0_15']:.1f}% were children aged 0–15 (England {eng['pct_0_15']:.1f}%). "
        f"There were {row['oadr']:.0f} people aged 65+ for every 1,000 aged 16–64 (England {eng['oadr']:.0f}). "
        f"Between mid-{start} and mid-{end} the population {rise(ch.loc['All ages', 'pct_change'])} "
        f"({ch.loc['All ages', 'change']:+,.0f} people), the number aged 65+ {rise(ch.loc['Aged 65+', 'pct_change'])} "
        f"and the number aged 85+ {rise(ch.loc['Aged 85+', 'pct_change'])} (England: "
        f"{ch_eng.loc['Aged 65+', 'pct_change']:+.1f}% and {ch_eng.loc['Aged 85+', 'pct_change']:+.1f}%). "
        + (
            f"Of the {len(localities)} {nouns}, **{oldest}** {'have' if ' and ' in oldest else 'has'} the highest "
            f"share aged 65+ ({old_pct:.1f}%) and **{youngest}** the lowest "
            f"({young_pct:.1f}%)."
            if len(localities) > 1
            else ""
        )
    )


def census_text(table: pd.DataFrame, place: str) -> str:
    """Census 2021 against the mid-2020 estimate for the place, from :func:`census_comparison`'s table."""
    name = get_place(place).name
    c = table.set_index("Area").loc[name]
    diff = c["Census vs mid-2020 estimate (%)"]
    return (
        f"Census 2021 (21 March 2021) counted **{int(c['Census 2021']):,}** usual residents in {name}, "
        f"{abs(diff):.1f}% {'more' if diff > 0 else 'fewer'} "
        f"than the mid-2020 estimate; {c['% female (Census 2021)']:.1f}% were female. The difference is mostly a "
        "correction of the 2011-based estimates rather than growth in nine months, so the census and the estimates "
        "should not be read as a time series."
    )


def mapping_text(mapping: dict, place: str) -> str:
    """How the 2011 LSOAs of the estimates map to the 2021 LSOAs of the localities (:func:`mapping_summary`)."""
    merged = (
        f" and {mapping['merged_from']} were merged into {mapping['merged_into']}" if mapping["merged_from"] else ""
    )
    return (
        f"The estimates are published for LSOAs of the 2011 Census; localities are defined on 2021 LSOAs. "
        f"In {get_place(place).name}, {mapping['unchanged']} of the {mapping['lsoa11']} LSOAs (2011) are unchanged "
        f"in 2021, {mapping['split_from']} were split into {mapping['split_into']} LSOAs (2021)"
        + merged
        + ". Following the ONS exact-fit lookup, merged areas are added together; a split area's estimate is shared "
        "among its 2021 parts in proportion to their mid-2022 populations (published with the English Indices of "
        f"Deprivation 2025), separately for ages 0–15, 16–59 and 60+. Totals for districts, places and {load_places().llr_short_name} are "
        "unchanged by this; locality figures below district level are therefore estimates of estimates and are "
        "shown rounded. The map uses the 2011 LSOAs as published. The old-age dependency ratio here is people "
        "aged 65 and over per 1,000 aged 16–64 (ONS's headline measure uses State Pension age instead)."
    )


# ------------------------------------------------------------------------------ page sections


def locality_section(page: Page, st: pd.DataFrame, place: str, level: str, year: int) -> None:
    """Bars of the population of each locality, with its download."""
    name, lv = get_place(place).name, get_locality_level(level)
    noun, nouns = LEVEL_NOUNS[level]
    period, localities = f"mid-{year}", st[st["area_type"] == "locality"]
    total = st.set_index("area_type").loc["place", "population"]
    bars = charts.bar_with_reference(
        localities.assign(population=localities["population"].round()),
        "population",
        "area_name",
        x_title=f"Population, {period}",
        y_title=lv.label,
        tooltip=["area_name", "population", "share"],
    )
    tidy = pop.tidy_structure(localities, period, f"sape_lsoa11_mid{year}")
    page.chart(
        bars,
        "locality-population",
        title=f"Population by {noun}, {name}, {period}",
        description=(
            f"Horizontal bars give the estimated population of each of the {len(localities)} {nouns} "
            f"({lv.label}) of {name}; together they make up its {total:,.0f} residents."
        ),
        data=tidy_download(whole_people(tidy.query("indicator == 'Population (all ages)'")), denominator=total).assign(
            share_of_place=localities["share"].to_numpy()
        ),
    )


def structure_display(st: pd.DataFrame) -> pd.DataFrame:
    """:func:`structure_table` for display: population rounded, readable column names."""
    names = {
        "area_name": "Area",
        "population": "Population",
        "share": "Share (%)",
        "pct_0_15": "% aged 0-15",
        "pct_16_64": "% aged 16-64",
        "pct_65_plus": "% aged 65+",
        "pct_85_plus": "% aged 85+",
        "oadr": "Aged 65+ per 1,000 aged 16-64",
    }
    shown = st.assign(population=st["population"].round().astype("Int64")).rename(columns=names)
    return shown[list(names.values())]


def age_structure_section(page: Page, st: pd.DataFrame, place: str, level: str, year: int, paths=None) -> None:
    """The age profile against England (chart) and the age structure of every area (table)."""
    name, llr_name, noun = get_place(place).name, load_places().llr_short_name, LEVEL_NOUNS[level][0]
    period, source_id = f"mid-{year}", f"sape_lsoa11_mid{year}"
    profile = pop.age_profile(year, place, paths)
    page.chart(
        age_profile_chart(profile, name),
        "age-profile",
        title=f"Age profile of {name} against England, {period} (persons)",
        description=(
            "Bars give the percentage of the place's residents in each five-year age band, oldest at the top; "
            "black ticks mark England's percentage in the same band. A bar longer than its tick means a larger "
            "share of people of that age than in England. Sex by age is not available in these data."
        ),
        data=tidy_download(
            profile.rename(columns={"percent": "value", "band": "age_band"}),
            indicator="% of population in five-year age band",
            period=period,
            source_id=source_id,
        ),
    )
    areas = st[st["area_type"] != "locality"]
    page.table(
        structure_display(areas),
        "age-structure",
        caption=(
            f"Population and age structure of {name}, {llr_name} and England, {period}. Share: the place's % of "
            f"{llr_name} (each {noun}'s figures are in the tabs above)"
        ),
        download=tidy_download(pop.tidy_structure(areas, period, source_id)),
    )


def change_section(page: Page, change: pd.DataFrame, place: str, level: str) -> None:
    """Change over the year: a chart (localities left out when there are more than 12) and a table."""
    name, llr_name, noun = get_place(place).name, load_places().llr_short_name, LEVEL_NOUNS[level][0]
    start, end = YEARS[0], YEARS[-1]
    source_id = f"sape_lsoa11_mid{start}; sape_lsoa11_mid{end}"
    many = (change[change["area_type"] == "locality"]["area_code"].nunique()) > 12
    shown = change[change["area_type"] != "locality"] if many else change
    page.chart(
        change_chart(shown),
        "change",
        title=f"Population change, {name}, mid-{start} to mid-{end}",
        description=(
            "Three panels give the percentage change over the year in all residents, in people aged 65+ and "
            "in people aged 85+"
            + (", for" if many else f", for each {noun} and")
            + f" {name}, {llr_name} and England. Bars to the right of zero are growth."
        ),
        data=tidy_download(pop.tidy_change(shown, source_id)),
    )
    page.table(
        pop.wide_change(change),
        "change-table",
        caption=(
            f"Population change, {name}, {llr_name}, England and each {noun}, "
            f"mid-{start} to mid-{end} (% change not shown for groups of fewer than {SMALL_BASE} people)"
        ),
        download=tidy_download(pop.tidy_change(change, source_id)),
    )


def older_people_map_section(page: Page, place: str, year: int, paths=None, level: str | None = None) -> None:
    """Map of the share of residents aged 65+ by LSOA (2011), with the outlines of the localities of ``level``
    (named in each LSOA's tooltip) and its download."""
    name, period = get_place(place).name, f"mid-{year}"
    shapes = pop.lsoa11_map_frame(year, place, paths)
    outlines, lv = None, get_locality_level(level) if level else None
    if lv is not None and lv.id in localities_load.OUTLINES:
        shapes = shapes.merge(lsoa11_locality_names(place, lv.id, paths), on="lsoa11_code", how="left")
        from llr_analysis.paths import project_paths

        loc_data = localities_load.load(paths or project_paths(), practices=False, outline_levels=[lv.id])
        outlines = areas.outlines(loc_data, place, lv.id)
        outlines = outlines if len(outlines) > 1 else None
    else:
        shapes = shapes.assign(locality_name=shapes["lad_name"])
    geo = shapes.assign(
        value=shapes["pct_65_plus"].round(1),
        population=shapes["population"].astype(int),
        aged_65_plus=shapes["aged_65_plus"].astype(int),
    )[["geometry", "lsoa11_code", "lsoa11_name", "locality_name", "lad_name", "population", "aged_65_plus", "value"]]
    chart = charts.choropleth(
        geo,
        "value",
        "",
        scheme="blues",
        legend_title="% aged 65+",
        tooltip=[
            ("lsoa11_name", "LSOA (2011)"),
            ("lsoa11_code", "LSOA code"),
            ("locality_name", lv.label if lv is not None and outlines is not None else "District"),
            ("lad_name", "District"),
            ("population", "Population"),
            ("aged_65_plus", "People aged 65+"),
            ("value", "% aged 65+"),
        ],
        outlines=outlines,
    )
    _, hi_names = at_extreme(geo, "value", "lsoa11_name", lowest=False)
    download = geo.drop(columns="geometry").assign(value=shapes["pct_65_plus"])
    download = download.rename(
        columns={
            "lsoa11_code": "area_code",
            "lsoa11_name": "area_name",
            "aged_65_plus": "count",
            "population": "denominator",
        }
    )
    page.chart(
        chart,
        "pct-65-plus-map",
        title=f"Share of residents aged 65 and over by LSOA (2011), {name}, {period}",
        description=(
            f"Map of the {len(geo)} LSOAs (2011 boundaries, as the estimates are published) in {name}, "
            f"shaded from light (younger) to dark (older) by the percentage of residents aged 65+, which ranges "
            f"from {geo['value'].min():.1f}% to {geo['value'].max():.1f}% ({hi_names})."
            + (
                f" The outlines of its {len(outlines)} {plural(lv)} are drawn over the small areas."
                if outlines is not None and lv is not None
                else ""
            )
        ),
        data=tidy_download(download, indicator="% aged 65+", period=period, source_id=f"sape_lsoa11_mid{year}"),
    )


def district_totals_section(page: Page, place: str, paths=None) -> None:
    """Published totals (estimates and Census 2021) of the place, its districts, LLR and England,
    and the sentence comparing the census with the mid-2020 estimate."""
    p, llr_name = get_place(place), load_places().llr_short_name
    totals = pop.district_totals(place, paths)
    table = pop.census_comparison(totals)
    page.table(
        table,
        "district-totals",
        caption=(
            f"Published population totals, {p.name}"
            + (" and its districts" if len(p.districts) > 1 else "")
            + f", {llr_name} and England: mid-{YEARS[0]} and mid-{YEARS[-1]} estimates and Census 2021"
        ),
        download=tidy_download(totals.rename(columns={"persons": "value"}), indicator="Population (all ages)"),
    )
    page.markdown(census_text(table, place))
