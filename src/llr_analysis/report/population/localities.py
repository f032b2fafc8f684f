"""The population page's locality tabs and its table reconciling the populations of the site's sources.

Numbers from :mod:`llr_analysis.analysis.population` and
:mod:`llr_analysis.analysis.population_localities`; the tabs from
:func:`llr_analysis.report.localities.locality_tabs`.
"""

from __future__ import annotations

import pandas as pd

from llr_analysis.analysis.localities import load as localities_load
from llr_analysis.analysis.population import ages as pop
from llr_analysis.analysis.population.localities import reconciliation
from llr_analysis.paths import project_paths
from llr_analysis.places import LocalityLevel, get_place
from llr_analysis.report import localities as loc_report
from llr_analysis.report.page import Page, tidy_download
from llr_analysis.report.words import is_older_data, plural

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


def locality_table(page: Page, place: str, level: LocalityLevel, year: int, st: pd.DataFrame | None = None) -> None:
    """Population and age structure of every locality of ``level`` (``locality-population-<level>.csv``)."""
    from llr_analysis.report.population.sections import structure_display

    name, period = get_place(place).name, f"mid-{year}"
    st = pop.structure_table(year, place, level.id) if st is None else st
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
        download=tidy_download(whole_people(pop.tidy_structure(localities, period, f"sape_lsoa11_mid{year}"))).assign(
            locality_level=level.id
        ),
    )


def whole_people(tidy: pd.DataFrame) -> pd.DataFrame:
    """Counts of people (and the population itself) rounded to whole people: below district level they are
    estimates of estimates, with fractions of a person where an LSOA (2011) was shared between 2021 areas."""
    out = tidy.copy()
    for c in ("count", "denominator"):
        out[c] = out[c].round()
    is_pop = out["indicator"] == "Population (all ages)"
    out.loc[is_pop, "value"] = out.loc[is_pop, "value"].round()
    return out


def localities_section(page: Page, place: str, year: int, levels: list[str], st: pd.DataFrame | None = None) -> None:
    """One tab per locality level of the place: each area level's table (the first level's ``st`` reused),
    and the PCN tab saying plainly that no registered-population source is available."""
    first = [True]

    def section(level: LocalityLevel) -> None:
        if not level.is_area:
            page.markdown(loc_report.pcn_basis_text())
            page.note(PCN_POPULATION_TEXT, title="No population figures for primary care networks")
            return
        if level.id == "ward":
            page.markdown(
                loc_report.ward_basis_text(
                    localities_load.load(project_paths(), practices=False, outline_levels=["ward"]), place
                )
            )
        if first[0] and st is not None:
            from llr_analysis.report.population.sections import locality_section

            locality_section(page, st, place, level.id, year)
        locality_table(page, place, level, year, st if first[0] else None)
        first[0] = False

    loc_report.locality_tabs(page, place, section, levels=levels)


def older_words(period: str) -> str:
    return "older data: more than three years old" if is_older_data(period) else ""


def reconciliation_section(page: Page, place: str, paths=None) -> None:
    """The place's population in each source the site uses, with its period and use, older data marked."""
    name = get_place(place).name
    t = reconciliation(place, paths)
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
