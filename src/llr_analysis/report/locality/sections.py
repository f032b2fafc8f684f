"""The sections of a locality profile page (notebooks/locality.ipynb), each ``(page, data, loc)``.

Every figure comes from :mod:`llr_analysis.analysis.locality`; this module only words and draws it.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from llr_analysis.analysis.localities.load import OUTLINES
from llr_analysis.analysis.locality import pcn_practices
from llr_analysis.analysis.locality.deprivation import decile_mix, domain_table
from llr_analysis.analysis.locality.key_figures import key_figures
from llr_analysis.analysis.locality.life_expectancy import life_expectancy_figures
from llr_analysis.analysis.locality.load import LocalityData
from llr_analysis.analysis.locality.localities import Locality, place_outlines
from llr_analysis.analysis.locality.population import age_profile
from llr_analysis.analysis.locality.screening import screening_figures
from llr_analysis.places import count_words, get_locality_level, get_place, load_places
from llr_analysis.report import charts
from llr_analysis.report import colours as site_colours
from llr_analysis.report.figures import comparison_cell_parts, period_parts
from llr_analysis.report.localities import pcn_basis_text, ward_basis_text
from llr_analysis.report.locality.text import VERSUS, fmt, key_messages
from llr_analysis.report.overview.key_messages import key_messages_html
from llr_analysis.report.page import Page, tidy_download
from llr_analysis.report.templating import render
from llr_analysis.stats.benchmark import NOT_TESTED


def intro(page: Page, data: LocalityData, loc: Locality) -> None:
    """What the locality is, its key messages and the key-figures table."""
    level = get_locality_level(loc.level)
    figures = key_figures(data, loc)
    what = {
        "ward": f"{loc.title} is an electoral ward (2024) in {loc.place_name}.",
        "district": f"{loc.title} is one of the {count_words(len(get_place(loc.place_id).districts), 'district')} of "
        f"{loc.place_name}.",
        "pcn": f"{loc.name} is a primary care network (PCN) of GP practices in {loc.place_name}.",
    }.get(loc.level, f"{loc.name} is a {level.label.lower()} in {loc.place_name}.")
    people = figures.loc[figures["indicator"] == "People", "value"]
    if len(people) and pd.notna(people.iloc[0]):
        period = figures.loc[figures["indicator"] == "People", "period"].iloc[0]
        what += (
            f" About {round(people.iloc[0], -2):,.0f} people lived there in {period} (ONS estimates based on "
            "Census 2021, the population the deprivation pages use too); the shares by age below are from the "
            "mid-2020 estimates, the latest with single years of age for small areas here."
        )
    page.markdown(what)
    page.word_link("this profile")
    messages = key_messages(loc, figures)
    if messages:
        page.html(key_messages_html(messages))
    key_table(page, loc, figures)


def key_table(page: Page, loc: Locality, figures: pd.DataFrame) -> None:
    """The key figures as an accessible table (``templates/locality/key_table.html``), with its CSV."""
    llr = load_places().llr_short_name

    def versus(comparison: str) -> str:
        # The locality compared with the column's area (said in the column header); none for a
        # figure without sampling error.
        return "" if comparison == NOT_TESTED else VERSUS.get(comparison, comparison)

    rows = [
        {
            "indicator": r["indicator"],
            "period": period_parts(r["period"]),
            "value": fmt(r["value"], str(r["unit"])),
            "ci": f"{r['lower_95']:.1f}–{r['upper_95']:.1f}"
            if pd.notna(r["lower_95"]) and pd.notna(r["upper_95"]) and r["unit"] != "people"
            else "",
            "vs_england": comparison_cell_parts(r["vs_england"], r["value"], r["england_value"], str(r["unit"])),
            "england": fmt(r["england_value"], str(r["unit"])),
            "place_value": fmt(r["place_value"], str(r["unit"])),
            "vs_place": versus(str(r["vs_place"])),
            "llr_value": fmt(r["llr_value"], str(r["unit"])),
            "vs_llr": versus(str(r["vs_llr"])),
        }
        for r in figures.to_dict("records")
    ]
    caption = (
        f"Key figures for {loc.title} (95% confidence intervals in brackets). In the {loc.place_name} and "
        f"{llr} columns, the words in brackets compare {loc.name} with that column's figure."
    )
    download = tidy_download(
        figures.rename(columns={"vs_england": "comparison"}),
        area_code=loc.code,
        area_name=loc.name,
    )
    link, _ = page.write_csv(download, "key-figures")
    page.html(
        render(
            "locality/key_table.html",
            caption=caption,
            name=loc.name,
            place=loc.place_name,
            llr=llr,
            rows=rows,
            csv_href=link,
        )
    )
    missing = figures[(figures["topic"] == "deprivation") & figures["england_value"].isna() & loc.is_area]
    if len(missing):
        page.markdown(
            "England's population-weighted IoD2025 figures ("
            + ", ".join(f"*{i}*" for i in missing["indicator"])
            + ") are not shown: they need the IoD2025 population figures for every area of England, and the "
            f"sources this site reads give them for {load_places().llr_name} only."
        )


def pcn_where(page: Page, data: LocalityData, loc: Locality) -> None:
    """Where a PCN is, in words (its practices' postcode districts and places), and its member practices."""
    m = pcn_practices.members(data, loc.code)
    active = m[m["status"].eq("active")]
    districts = sorted(active["postcode_district"].dropna().unique())
    places = list(dict.fromkeys(active["place"].dropna()))
    text = (
        f"{loc.name} is a primary care network: {len(active)} GP practice{'s' if len(active) != 1 else ''} "
        f"working together, listed under {loc.place_name}. "
    )
    if len(active):
        text += (
            f"Its surgeries are in the postcode district{'s' if len(districts) != 1 else ''} "
            f"{', '.join(districts)} ({' and '.join(places)}). A PCN has no boundary of its own: its patients "
            "live wherever they are registered from, so it is not drawn on a map."
        )
    if len(m) > len(active):
        text += f" {len(m) - len(active)} closed or inactive practice(s) once listed in it are shown below too."
    page.markdown(text)
    if m.empty:
        return
    period = m["eligible_period"].iloc[0]
    shown = pd.DataFrame(
        {
            "Practice": m["practice_name"],
            "Code": m["practice_code"],
            "Status": m["status"],
            "Opened": m["open_date"],
            "Membership (list and date)": m["membership"],
            "Postcode district": m["postcode_district"],
            f"Women eligible for cervical screening, {period}": m["eligible_women"].astype("Int64"),
        }
    )
    page.table(
        shown,
        "member-practices",
        caption=f"Member practices of {loc.name}. Registered list sizes are not among the sources this site "
        "reads; the number of women eligible for cervical screening shows each practice's size.",
        download=tidy_download(m.rename(columns={"practice_code": "area_code", "practice_name": "area_name"})),
    )


def locator_map(page: Page, data: LocalityData, loc: Locality) -> None:
    """Where the locality is: its place's localities of the same level, this one highlighted (a PCN,
    which has no boundary: its practices, in words and a table)."""
    if loc.level == "pcn":
        pcn_where(page, data, loc)
        return
    if loc.level not in OUTLINES:
        return
    shapes = place_outlines(data, loc)
    shapes["this"] = (shapes["locality_code"] == loc.code).map({True: loc.name, False: "other"})
    colours = site_colours.focus_colours(loc.name)
    chart = charts.choropleth_categories(
        shapes.rename(columns={"locality_name": "name"}),
        "this",
        "name",
        legend_title="Area",
        colours=colours,
        width=360,
        height=300,
    )
    # name the locality and its neighbours (those touching it) where the names do not collide
    focus = shapes[shapes["locality_code"] == loc.code]
    near = shapes[shapes.intersects(focus.union_all().buffer(1e-4))] if len(focus) else focus
    named = list(dict.fromkeys([*focus["locality_name"].astype(str), *near["locality_name"].astype(str)]))
    labels = charts.label_layers(shapes, 360, 300, only=named)
    base = chart.copy()
    base.width = base.height = alt.Undefined
    layered = alt.layer(base, *labels).project(type="mercator").properties(width=360, height=300)
    page.chart(
        layered,
        "locator-map",
        title=f"Where {loc.title} is in {loc.place_name}",
        description=f"Map of the {get_locality_level(loc.level).plural.lower()} of {loc.place_name}, "
        f"{loc.name} highlighted, with the names of its neighbours ({', '.join(n for n in named if n != loc.name)}) "
        "where they fit.",
        data=tidy_download(
            shapes.drop(columns="geometry").rename(columns={"locality_code": "area_code", "locality_name": "area_name"})
        ),
    )


def population_section(page: Page, data: LocalityData, loc: Locality) -> None:
    if not loc.is_area:
        page.markdown(
            "No population figures are shown for PCNs: the numbers of patients registered with each practice "
            "by age are not among the sources this site reads, so a PCN's age profile cannot be given here."
        )
        return
    ap = age_profile(data, loc)
    areas_ = list(dict.fromkeys(ap["area"]))
    chart = (
        alt.Chart(ap)
        .mark_line(point=True)
        .encode(
            x=alt.X("age_band:N", sort=list(dict.fromkeys(ap["age_band"])), title="Age"),
            y=alt.Y("percent:Q", title="% of people"),
            color=alt.Color("area:N", title="Area", scale=site_colours.series_scale(areas_, focus=loc.name)),
            strokeDash=alt.StrokeDash("area:N", title="Area", scale=site_colours.dash_scale(areas_, focus=loc.name)),
            tooltip=["area:N", "age_band:N", alt.Tooltip("percent:Q", format=".1f")],
        )
        .properties(width=520, height=260)
    )
    page.chart(
        chart,
        "age-profile",
        title=f"Age profile of {loc.name}, {loc.place_name} and England, mid-2020",
        description="Percentage of people in each five-year age band.",
        data=tidy_download(
            ap.rename(columns={"area": "area_name", "percent": "value"}),
            indicator="% of people in the age band",
            period="mid-2020",
            source_id="sape_lsoa11_mid2020",
        ),
    )
    if loc.level == "ward":
        page.markdown(ward_basis_text(data.localities, loc.place_id))


def deprivation_section(page: Page, data: LocalityData, loc: Locality) -> None:
    if not loc.is_area:
        page.markdown(
            "For a PCN, deprivation is the IMD 2019 score of the small areas its registered patients live "
            "in, weighted by how many patients live in each: a third-party derivation (R. Blackwell, from "
            "NHS Digital registrations and MHCLG's IMD 2019), an older edition than the IoD2025 used for "
            f"areas. Its place and {load_places().llr_short_name} figures are the median of their PCNs (each "
            "PCN counted once, in the place it is listed under). " + pcn_basis_text()
        )
        return
    mix = decile_mix(data, loc)
    if mix.groupby("area")["percent"].apply(lambda v: v.isna().all()).any():
        page.markdown(
            f"How many of {loc.name}'s people live in each national deprivation decile cannot be shown: the "
            "number of people in some of its small areas (mid-2022) is not in the sources this site reads."
        )
    else:
        decile_mix_chart(page, loc, mix)
    dom = domain_table(data, loc)
    page.table(
        dom.rename(columns={"domain": "Domain"}),
        "domains",
        caption=f"Share of small areas (LSOAs) in England's most deprived 10% on each domain, IoD2025 (%): "
        f"{loc.name}, {loc.place_name}, {load_places().llr_short_name} and England (10% by definition)",
    )


def decile_mix_chart(page: Page, loc: Locality, mix: pd.DataFrame) -> None:
    """The locality's and its place's people by national IMD decile (bars side by side), with its download."""
    chart = (
        alt.Chart(mix)
        .mark_bar()
        .encode(
            x=alt.X("decile:O", title="National IMD decile (1 = most deprived 10% of England)"),
            y=alt.Y("percent:Q", title="% of people"),
            xOffset="area:N",
            color=alt.Color(
                "area:N",
                title="Area",
                scale=site_colours.series_scale(list(dict.fromkeys(mix["area"])), focus=loc.name),
            ),
            tooltip=["area:N", "decile:O", alt.Tooltip("percent:Q", format=".1f")],
        )
        .properties(width=520, height=240)
    )
    page.chart(
        chart,
        "decile-mix",
        title=f"People by national deprivation decile: {loc.name} and {loc.place_name}, IoD2025",
        description="Percentage of people (mid-2022) living in small areas of each national IMD decile. "
        "England has 10% of its small areas in each decile by definition.",
        data=tidy_download(
            mix.rename(columns={"area": "area_name", "percent": "value"}),
            indicator="% of people in the national IMD decile",
            period="IoD2025",
            source_id="iod2025_england; iod2025_file7_llr",
        ),
    )


def life_expectancy_section(page: Page, data: LocalityData, loc: Locality) -> None:
    _, detail, text = life_expectancy_figures(data, loc)
    page.markdown(text)
    if detail.empty:
        return
    if loc.level == "pcn":
        shown = detail.rename(
            columns={
                "practice_code": "Practice code",
                "practice_name": "Practice",
                "status": "Status",
                "sex": "Sex",
                "value": "Life expectancy (years)",
            }
        )
        caption = f"Life expectancy at birth of each practice's registered patients in {loc.name}"
    else:
        shown = detail.rename(
            columns={
                "msoa11_code": "MSOA 2011",
                "msoa11_hcl_name": "MSOA name",
                "lsoas11_shared": "Small areas shared",
                "sex": "Sex",
                "le": "Life expectancy (years)",
                "le_lower_95": "Lower 95%",
                "le_upper_95": "Upper 95%",
                "vs_england": "Compared with England",
            }
        ).drop(columns=["msoa11_name"])
        caption = f"Life expectancy at birth, 2009-13 (older data), in the MSOAs overlapping {loc.title}"
    page.table(shown, "life-expectancy", caption=caption)


def screening_section(page: Page, data: LocalityData, loc: Locality) -> None:
    rows, text = screening_figures(data, loc)
    page.markdown(text)
    if rows:
        page.markdown(
            "The practice figures here are cervical screening coverage at 31 December 2017, older data: the key "
            "figures above give the PCN's beside the standard, and the tables below each practice's. Current "
            "coverage (all three programmes) is published by OHID Fingertips for GP practices and PCNs."
        )
    if loc.level == "pcn":
        practice_screening(page, data, loc)


def practice_screening(page: Page, data: LocalityData, loc: Locality) -> None:
    """Each open member practice's cervical screening coverage with its interval and comparison."""
    sc = pcn_practices.screening(data, loc.code)
    if sc.empty:
        return
    for (age, period), g in sc.groupby(["age_group", "period"], sort=True):
        shown = pd.DataFrame(
            {
                "Practice": g["practice_name"],
                "Screened": g["numerator"].astype("Int64"),
                "Eligible": g["denominator"].astype("Int64"),
                "Coverage (%)": g["value"],
                "95% interval": [
                    "–" if pd.isna(a) else f"{a:.1f}–{b:.1f}" for a, b in zip(g["lower_95"], g["upper_95"], strict=True)
                ],
                "Compared with England": g["comparison"],
            }
        )
        england = g["england_value"].iloc[0]
        page.table(
            shown,
            f"practice-screening-{age}",
            caption=f"Cervical screening coverage, women aged {age}, {period} (older data), in each practice of "
            f"{loc.name}; England {england:.1f}%. Suppressed counts are shown as –.",
            download=tidy_download(
                g.rename(columns={"practice_code": "area_code", "practice_name": "area_name"}),
                indicator=f"Cervical screening coverage, ages {age} (%)",
            ),
        )


def links(page: Page, data: LocalityData, loc: Locality) -> None:
    """Links to the place's topic pages (one folder up from localities/<place>/)."""
    links_ = [
        {"href": f"../../{t.id}/{loc.place_id}.html", "text": f"{t.title}: {loc.place_name}"} for t in data.topics
    ]
    page.html(render("link_list.html", links=links_))


def for_analysts(page: Page, loc: Locality) -> None:
    page.note(
        "Comparisons use OHID's confidence-interval overlap test: a figure is higher or lower than a comparator "
        "when its 95% interval lies wholly above or below the comparator's value; screening coverage has Wilson "
        "score intervals. Figures without sampling error (shares of small areas, shares of population "
        "estimates, deprivation scores) have no interval and are not tested, only described in words. Ward figures are sums over the LSOAs 2021 "
        "assigned to the ward by the ONS best-fit lookup (2024). Population totals are the ONS mid-2022 LSOA 2021 "
        "estimates published with IoD2025 (the same on every page); shares by age are the ONS mid-2020 LSOA 2011 "
        "estimates mapped to LSOAs 2021; deprivation uses IoD2025 with its mid-2022 denominators. "
        f"Level {loc.level}, code {loc.code}.",
        title="For analysts",
        collapse=True,
    )
