"""What every topic page says about its localities: the tabs, and how wards and PCNs are built.

A topic's locality section is one Quarto tabset with a tab per locality level of the place
(``places.yml`` ``localities``)::

    from llr_analysis.report import localities as loc_report

    def section(level):            # draws one level's table and map
        ...
    loc_report.locality_tabs(page, place, section)
"""

from __future__ import annotations

from collections.abc import Callable

from llr_analysis.analysis.localities.load import LocalitiesData
from llr_analysis.places import LocalityLevel, get_locality_level, get_place, place_locality_levels
from llr_analysis.report.page import Page
from llr_analysis.report.templating import render


def locality_tabs(
    page: Page,
    place: str,
    section: Callable[[LocalityLevel], None],
    areas_only: bool = False,
    levels: list[str] | None = None,
) -> list[str]:
    """One tab per locality level of ``place`` (or ``levels``), each filled by ``section(level)``.

    ``areas_only`` leaves out PCNs (for data that exist only by area). Returns the tab titles.
    """
    chosen = place_locality_levels(place, areas_only)
    if levels is not None:
        chosen = [lv for lv in chosen if lv.id in levels]
    with page.tabset() as tabs:
        for lv in chosen:
            with tabs.tab(lv.plural or lv.label):
                section(lv)
    if not getattr(page, "profiles_linked", False):  # once per page, after its first tabset
        page.html(profiles_link(place))
        page.profiles_linked = True
    return [lv.plural or lv.label for lv in chosen]


def profiles_link(place: str) -> str:
    """A line linking a topic page (``<topic>/<place>.html``) to the place's locality profiles."""
    the_place = get_place(place)
    if not the_place.profiles:
        return ""
    kinds = [(get_locality_level(lv).plural or lv).lower() for lv in the_place.profiles]
    what = " and ".join(kinds) if len(kinds) < 3 else ", ".join(kinds[:-1]) + " and " + kinds[-1]
    return render("localities/profiles_link.html", what=what, name=the_place.name, place_id=the_place.id)


def ward_basis_text(data: LocalitiesData, place: str) -> str:
    """How ward figures and outlines are made, for the place's ward tab (plain words, from the data)."""
    the_place = get_place(place)
    wards, _ = data.boundary("ward")
    wards = wards[wards["place_id"] == the_place.id]
    unpublished = wards[wards["published_boundary"].str.startswith("none")]
    text = (
        f"{the_place.name} has {len(wards)} electoral wards (May 2024 boundaries). Each small area (LSOA 2021) "
        "is counted in the one ward that holds most of its people (the ONS best-fit lookup of 2021 small "
        "areas to 2024 wards), so a ward's figures describe the group of small areas drawn on the map, "
        "which follows the ward boundary closely but not exactly."
    )
    if len(unpublished):
        text += (
            f" {len(unpublished)} of these wards were created in the May 2023 ward changes and have no "
            "published boundary in the December 2022 ward file this site reads; for every ward the outline "
            "drawn is its group of small areas, never an older ward's boundary."
        )
    return text


def pcn_basis_text() -> str:
    """How PCN figures are made (plain words)."""
    return (
        "Primary care networks (PCNs) are groups of GP practices, not areas: a PCN's figures describe the "
        "patients registered with its practices, wherever they live. Each PCN is listed under the place "
        "where most of its open practices are, the same on every page of this site; membership is the NHS "
        "(ODS) list of January 2023. PCNs were formed in July 2019: figures for earlier periods group that "
        "period's practices by their 2023 PCN. Practices that have closed or belong to no PCN are shown "
        "separately, never counted in a PCN."
    )
