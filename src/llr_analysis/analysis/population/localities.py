"""The locality levels of the population page: which tabs it has, its main breakdown, and their nouns.

* :func:`tab_levels`: the locality levels of the page (a tab each);
* :func:`first_area_level`: the page's main breakdown (the first area level of the tabs);
* :func:`resolve_locality_level`: a level parameter (``auto``: districts where the place has several).
"""

from __future__ import annotations

from llr_analysis.errors import ParameterError
from llr_analysis.places import get_locality_level, get_place, place_locality_levels

#: Locality level -> (singular, plural) for sentences.
LEVEL_NOUNS = {
    "district": ("district", "districts"),
    "msoa": ("MSOA", "MSOAs"),
    "ward": ("ward", "wards"),
    "lsoa": ("LSOA", "LSOAs"),
}


def resolve_locality_level(place: str, level: str = "auto") -> str:
    """The locality level to show. ``auto``: districts where the place has several, otherwise MSOAs (2021)."""
    if str(level).strip().lower() == "auto":
        return "district" if len(get_place(place).districts) > 1 else "msoa"
    return get_locality_level(level).id


def tab_levels(place: str, locality_level: str = "all") -> list[str]:
    """The ids of the page's locality tabs: every level of the place (``all``) or the one named."""
    levels = [lv.id for lv in place_locality_levels(place)]
    if str(locality_level).strip().lower() == "all":
        return levels
    lv = get_locality_level(locality_level).id
    if lv == "lsoa":
        return [lv]
    if lv not in levels:
        raise ParameterError(f"{get_place(place).name} has no {lv!r} tab; its locality levels are {levels}")
    return [lv]


def first_area_level(levels: list[str]) -> str:
    """The first area level of the tabs (the page's main breakdown: wards, or a county's districts)."""
    areas = [lv for lv in levels if get_locality_level(lv).is_area]
    if not areas:
        raise ParameterError("the population page needs at least one area locality level")
    return areas[0]
