"""The population page's locality tabs: one tab per locality level of the place, each with its table (the
first also with bars of each locality's population); the PCN tab says why there are no figures.

Numbers from :mod:`llr_analysis.analysis.population.ages`; the tabs from
:func:`llr_analysis.report.localities.locality_tabs`.
"""

from __future__ import annotations

from typing import cast

import pandas as pd

from llr_analysis.analysis.population import ages
from llr_analysis.analysis.population.load import PopulationData
from llr_analysis.analysis.population.localities import LEVEL_NOUNS
from llr_analysis.places import LocalityLevel, get_locality_level, get_place
from llr_analysis.report import charts
from llr_analysis.report import localities as loc_report
from llr_analysis.report.page import Page, tidy_download
from llr_analysis.report.population.tables import structure_display, whole_people
from llr_analysis.report.words import plural

#: Shown in the PCN tab: why there are no population figures for primary care networks.
PCN_POPULATION_TEXT = (
    "There are no population figures for primary care networks on this site. A network's population is the "
    "number of patients registered with its GP practices, and no source of registered patients (practice list "
    "sizes) is available here; the residents of the small areas on the other tabs are a different population, "
    "so they are not used in its place. NHS England publishes the number of patients registered at each GP "
    "practice every month, which would give these figures."
)


def level_noun(level: LocalityLevel) -> str:
    return "ward" if level.id == "ward" else (level.label if level.label[:2].isupper() else level.label.lower())


def locality_section(page: Page, st: pd.DataFrame, place: str, level: str, year: int) -> None:
    """Bars of the population of each locality, with its download."""
    name, lv = get_place(place).name, get_locality_level(level)
    noun, nouns = LEVEL_NOUNS[level]
    period, localities = f"mid-{year}", st[st["area_type"] == "locality"]
    total = float(cast(float, st.set_index("area_type").loc["place", "population"]))
    bars = charts.bar_with_reference(
        localities.assign(population=localities["population"].round()),
        "population",
        "area_name",
        x_title=f"Population, {period}",
        y_title=lv.label,
        tooltip=["area_name", "population", "share"],
    )
    tidy = ages.tidy_structure(localities, period, f"sape_lsoa11_mid{year}")
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


def locality_table(
    page: Page, data: PopulationData, place: str, level: LocalityLevel, year: int, st: pd.DataFrame | None = None
) -> None:
    """Population and age structure of every locality of ``level`` (``locality-population-<level>.csv``)."""
    name, period = get_place(place).name, f"mid-{year}"
    st = ages.structure_table(data, year, place, level.id) if st is None else st
    localities = st[st["area_type"] == "locality"].sort_values("area_name")
    shown = structure_display(localities).rename(columns={"Area": level.label, "Share (%)": f"Share of {name} (%)"})
    shown.insert(1, "Code", localities["area_code"].to_numpy())
    page.table(
        shown,
        f"locality-population-{level.id}",
        caption=(
            f"Population and age structure of each {level_noun(level)} of {name}, {period} "
            f"({len(localities)} {plural(level)}; share: % of {name}'s residents)"
        ),
        download=tidy_download(whole_people(ages.tidy_structure(localities, period, f"sape_lsoa11_mid{year}"))).assign(
            locality_level=level.id
        ),
    )


def localities_section(
    page: Page, data: PopulationData, place: str, year: int, levels: list[str], st: pd.DataFrame | None = None
) -> None:
    """One tab per locality level of the place: each area level's table (the first level's ``st`` reused),
    and the PCN tab saying plainly that no registered-population source is available."""
    first = [True]

    def section(level: LocalityLevel) -> None:
        if not level.is_area:
            page.markdown(loc_report.pcn_basis_text())
            page.note(PCN_POPULATION_TEXT, title="No population figures for primary care networks")
            return
        if level.id == "ward":
            page.markdown(loc_report.ward_basis_text(data.localities, place))
        if first[0] and st is not None:
            locality_section(page, st, place, level.id, year)
        locality_table(page, data, place, level, year, st if first[0] else None)
        first[0] = False

    loc_report.locality_tabs(page, place, section, levels=levels)
