"""The population page's sections (written through :class:`llr_analysis.report.page.Page`): age structure,
change, the older people map, district totals against Census 2021, and the populations of the site's sources.

Each section takes the page and the loaded :class:`~llr_analysis.analysis.population.load.PopulationData`
(or a table already computed from it, such as the change table), and reads no file. The locality tabs
are in :mod:`llr_analysis.report.population.localities`.
"""

from __future__ import annotations

import pandas as pd

from llr_analysis.analysis.localities import areas
from llr_analysis.analysis.localities.load import OUTLINES
from llr_analysis.analysis.population import ages, small_areas
from llr_analysis.analysis.population import change as pop_change
from llr_analysis.analysis.population import totals as pop_totals
from llr_analysis.analysis.population.change import SMALL_BASE
from llr_analysis.analysis.population.load import PopulationData
from llr_analysis.analysis.population.localities import LEVEL_NOUNS
from llr_analysis.places import get_locality_level, get_place, load_places
from llr_analysis.process.population import YEARS
from llr_analysis.report import charts
from llr_analysis.report.page import Page, tidy_download
from llr_analysis.report.population import charts as pop_charts
from llr_analysis.report.population import text
from llr_analysis.report.population.tables import structure_display
from llr_analysis.report.words import at_extreme, is_older_data, plural


def age_structure_section(
    page: Page, data: PopulationData, st: pd.DataFrame, place: str, level: str, year: int
) -> None:
    """The age profile against England (chart) and the age structure of every area (table)."""
    name, llr_name, noun = get_place(place).name, load_places().llr_short_name, LEVEL_NOUNS[level][0]
    period, source_id = f"mid-{year}", f"sape_lsoa11_mid{year}"
    profile = ages.age_profile(data, year, place)
    page.chart(
        pop_charts.age_profile_chart(profile, name),
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
        download=tidy_download(ages.tidy_structure(areas, period, source_id)),
    )


def change_section(page: Page, change: pd.DataFrame, place: str, level: str) -> None:
    """Change over the year: a chart (localities left out when there are more than 12) and a table."""
    name, llr_name, noun = get_place(place).name, load_places().llr_short_name, LEVEL_NOUNS[level][0]
    start, end = YEARS[0], YEARS[-1]
    source_id = f"sape_lsoa11_mid{start}; sape_lsoa11_mid{end}"
    many = (change[change["area_type"] == "locality"]["area_code"].nunique()) > 12
    shown = change[change["area_type"] != "locality"] if many else change
    page.chart(
        pop_charts.change_chart(shown),
        "change",
        title=f"Population change, {name}, mid-{start} to mid-{end}",
        description=(
            "Three panels give the percentage change over the year in all residents, in people aged 65+ and "
            "in people aged 85+"
            + (", for" if many else f", for each {noun} and")
            + f" {name}, {llr_name} and England. Bars to the right of zero are growth."
        ),
        data=tidy_download(pop_change.tidy_change(shown, source_id)),
    )
    page.table(
        pop_change.wide_change(change),
        "change-table",
        caption=(
            f"Population change, {name}, {llr_name}, England and each {noun}, "
            f"mid-{start} to mid-{end} (% change not shown for groups of fewer than {SMALL_BASE} people)"
        ),
        download=tidy_download(pop_change.tidy_change(change, source_id)),
    )


def older_people_map_section(page: Page, data: PopulationData, place: str, year: int, level: str | None = None) -> None:
    """Map of the share of residents aged 65+ by LSOA (2011), with the outlines of the localities of ``level``
    (named in each LSOA's tooltip) and its download."""
    name, period = get_place(place).name, f"mid-{year}"
    shapes = small_areas.lsoa11_map_frame(data, year, place)
    outlines, lv = None, get_locality_level(level) if level else None
    if lv is not None and lv.id in OUTLINES:
        shapes = shapes.merge(small_areas.lsoa11_locality_names(data, place, lv.id), on="lsoa11_code", how="left")
        outlines = areas.outlines(data.localities, place, lv.id)
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


def district_totals_section(page: Page, data: PopulationData, place: str) -> None:
    """Published totals (estimates and Census 2021) of the place, its districts, the ICS and England,
    and the sentence comparing the census with the mid-2020 estimate."""
    p, llr_name = get_place(place), load_places().llr_short_name
    totals = pop_totals.district_totals(data, place)
    table = pop_totals.census_comparison(totals)
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
    page.markdown(text.census_text(table, place))


def older_words(period: str) -> str:
    return "older data: more than three years old" if is_older_data(period) else ""


def reconciliation_section(page: Page, data: PopulationData, place: str) -> None:
    """The place's population in each source the site uses, with its period and use, older data marked."""
    name = get_place(place).name
    t = pop_totals.reconciliation(data, place)
    t["age_note"] = t["period"].map(older_words)
    page.table(
        t[["source", "period", "population", "use", "age_note"]].rename(
            columns={
                "source": "Source",
                "period": "Period",
                "population": f"Population of {name}",
                "use": "Used on this site for",
                "age_note": "Older data",
            }
        ),
        "population-sources",
        caption=f"{name}'s population in each source used on this site, with the period it describes and its use",
        download=tidy_download(
            t.rename(columns={"population": "value", "source": "indicator"}),
            area_code=get_place(place).code,
            area_name=name,
        ),
    )
    by = t.set_index("source_key")["population"]
    page.markdown(
        f"The three figures differ because they count at different dates and by different methods: "
        f"{by['iod_denominators']:,} is the ONS estimate for mid-2022, based on Census 2021: the most recent, "
        "and the total every page of this site gives for a place, district or ward; "
        f"{by['census']:,} is what Census 2021 counted in March 2021, which corrected the 2011-based estimates; "
        f"{by['estimates']:,} is the ONS estimate for mid-2020, rolled forward from the 2011 Census, used only "
        "where single years of age are needed (it is the latest with ages for every small area here). "
        "They should not be read as growth over time."
        if not by.isna().any()
        else f"Some of {name}'s populations are not available from the site's data."
    )
