"""Places and localities: the single configuration every topic reads (config/places.yml).

``places.yml`` (package data) names the three places, their districts and the locality
levels. Use :func:`load_places` (cached) and :func:`get_place` rather than typing codes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

import yaml

from llr_analysis.errors import ParameterError


@dataclass(frozen=True)
class Place:
    id: str
    code: str
    name: str
    type: str
    districts: dict[str, str] = field(default_factory=dict)
    #: locality levels shown on this place's topic pages, one tab each, in order
    localities: tuple[str, ...] = ()
    #: locality levels that get a profile page each
    profiles: tuple[str, ...] = ()

    @property
    def district_codes(self) -> list[str]:
        return list(self.districts)


@dataclass(frozen=True)
class LocalityLevel:
    id: str
    label: str
    code_column: str
    name_column: str
    plural: str = ""
    #: ``lsoa``: an area built from LSOAs 2021; ``practice``: a group of GP practices (PCN)
    basis: str = "lsoa"

    @property
    def is_area(self) -> bool:
        return self.basis == "lsoa"


@dataclass(frozen=True)
class PlacesConfig:
    places: dict[str, Place]
    locality_levels: dict[str, LocalityLevel]
    llr_name: str
    llr_short_name: str
    llr_code: str
    england_code: str
    default_locality_level: str
    expected: dict[str, int]

    @property
    def district_to_place(self) -> dict[str, str]:
        return {d: p.id for p in self.places.values() for d in p.districts}

    @property
    def district_names(self) -> dict[str, str]:
        return {d: n for p in self.places.values() for d, n in p.districts.items()}

    @property
    def all_district_codes(self) -> list[str]:
        return list(self.district_to_place)


@lru_cache(maxsize=1)
def load_places() -> PlacesConfig:
    raw = yaml.safe_load(resources.files("llr_analysis.config").joinpath("places.yml").read_text())
    levels = {lid: LocalityLevel(id=lid, **lv) for lid, lv in raw["locality_levels"].items()}
    places = {
        pid: Place(
            id=pid,
            code=p["code"],
            name=p["name"],
            type=p["type"],
            districts=dict(p["districts"]),
            localities=tuple(p.get("localities", ())),
            profiles=tuple(p.get("profiles", ())),
        )
        for pid, p in raw["places"].items()
    }
    for p in places.values():
        unknown = sorted((set(p.localities) | set(p.profiles)) - set(levels))
        if unknown:
            raise ParameterError(f"places.yml: place {p.id!r} names unknown locality levels {unknown}")
    return PlacesConfig(
        places=places,
        locality_levels=levels,
        llr_name=raw["llr"]["name"],
        llr_short_name=raw["llr"]["short_name"],
        llr_code=raw["llr"]["code"],
        england_code=raw["england"]["code"],
        default_locality_level=raw["default_locality_level"],
        expected=dict(raw["expected"]),
    )


def get_place(place_id: str) -> Place:
    """The configured place for ``place_id`` (``leicester``, ``leicestershire``, ``rutland``)."""
    cfg = load_places()
    key = str(place_id).strip().lower()
    if key not in cfg.places:
        raise ParameterError(f"unknown place {place_id!r}; expected one of {sorted(cfg.places)}")
    return cfg.places[key]


def get_locality_level(level_id: str) -> LocalityLevel:
    cfg = load_places()
    key = str(level_id).strip().lower()
    if key not in cfg.locality_levels:
        raise ParameterError(f"unknown locality level {level_id!r}; expected one of {sorted(cfg.locality_levels)}")
    return cfg.locality_levels[key]


def place_locality_levels(place_id: str, areas_only: bool = False) -> list[LocalityLevel]:
    """The locality levels shown on ``place_id``'s topic pages (one tab each, in places.yml order).

    ``areas_only`` leaves out practice-based levels (PCNs), for sources that exist only by area.
    """
    levels = [get_locality_level(lv) for lv in get_place(place_id).localities]
    return [lv for lv in levels if lv.is_area or not areas_only]
