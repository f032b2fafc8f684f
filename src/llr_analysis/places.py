"""Places and localities: the single configuration every topic reads (config/places.yml).

``places.yml`` (package data) names the places of the default integrated care system, their districts and the locality
levels; ``$LLR_PLACES`` (set by ``llr build --places FILE``) names another places file instead
(:func:`places_file`). Use :func:`load_places` (cached) and :func:`get_place` rather than typing
codes. The file is parsed into a pydantic model: a duplicated key, an unknown key or a value that is
not allowed is a :class:`~llr_analysis.errors.ConfigError` naming the file, the key and what is allowed.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import Field, StringConstraints, field_validator, model_validator

from llr_analysis.configfile import Strict, load_yaml, validated
from llr_analysis.errors import ConfigError, ParameterError


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
    #: the authority lies partly in another ICB: this place is its part in this one (``llr configure``)
    part_of_authority: bool = False
    #: "N of M": LSOAs (2021) of the authority inside the ICB
    lsoas_in_icb: str | None = None
    #: districts partly in another ICB -> "N of M" LSOAs inside
    partial_districts: dict[str, str] | None = None
    #: district (or the place, if unitary) -> {2022 district code: name}: codes newer than LAD 2022
    lad22_codes: dict[str, dict[str, str]] | None = None

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
    #: the integrated care system as a whole: its area id in tables, name, short name and ONS code
    ics_id: str
    ics_name: str
    ics_short_name: str
    ics_code: str
    england_code: str
    default_locality_level: str
    #: expected sizes checked by processing; None where the places file does not give one (not checked)
    expected: dict[str, int | None]
    #: the file the configuration was read from, for messages ("config/places.yml" or a path)
    source: str = "config/places.yml"
    #: the GP practice -> place rule (keys of ``practices:`` in the places file; empty when not given)
    practices: dict[str, Any] = field(default_factory=dict)

    # the names used before the `ics:` key (kept for callers not yet renamed)
    @property
    def llr_name(self) -> str:
        return self.ics_name

    @property
    def llr_short_name(self) -> str:
        return self.ics_short_name

    @property
    def llr_code(self) -> str:
        return self.ics_code

    @property
    def place_count_words(self) -> str:
        """ "two places", "three places" ...: the number of configured places in words."""
        return count_words(len(self.places), "place")

    @property
    def district_to_place(self) -> dict[str, str]:
        return {d: p.id for p in self.places.values() for d in p.districts}

    @property
    def district_names(self) -> dict[str, str]:
        return {d: n for p in self.places.values() for d, n in p.districts.items()}

    @property
    def all_district_codes(self) -> list[str]:
        return list(self.district_to_place)

    @property
    def partial_district_codes(self) -> list[str]:
        """Districts only partly inside the ICS (``partial_districts`` of the places file, and a unitary
        place that is ``part_of_authority``): a figure published for one of them is for the whole district."""
        out: list[str] = []
        for p in self.places.values():
            out += [d for d in (p.partial_districts or {}) if d in p.districts]
            if p.part_of_authority and p.code in p.districts and p.code not in out:
                out.append(p.code)
        return out

    @property
    def lad22_to_district(self) -> dict[str, str]:
        """2022 district code -> configured district, for districts whose code is newer than LAD 2022
        (``lad22_codes`` of the places file: keyed by the district, or by the place for a unitary place)."""
        out: dict[str, str] = {}
        for p in self.places.values():
            for key, old in (p.lad22_codes or {}).items():
                district = key if key in p.districts else p.code
                out.update({str(code): district for code in (old or {})})
        return out


_NUMBER_WORDS = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
]


#: what the figures of a place that is only part of an authority cover (after :func:`part_of_authority_text`)
PART_OF_AUTHORITY_FIGURES = (
    "Figures built from small areas (population estimates, deprivation of wards and neighbourhoods) cover "
    "the part inside this ICB. Figures published only for whole districts or authorities (such as life "
    "expectancy) are for the whole authority, including the part outside this ICB."
)


def part_of_authority_text(cfg: PlacesConfig, place_id: str, figures: bool = True) -> str:
    """Plain words for a place that is only part of an authority (or has districts split between ICBs):
    what its figures cover (``figures``: with :data:`PART_OF_AUTHORITY_FIGURES`); "" for a whole
    authority. Everything comes from the places file."""
    p = cfg.places.get(place_id)
    if p is None or not (p.part_of_authority or p.partial_districts):
        return ""
    split = [p.districts[d] for d in (p.partial_districts or {}) if d in p.districts]
    if p.part_of_authority:
        part = re.fullmatch(r"\s*(\d+) of (\d+)\s*", p.lsoas_in_icb or "")
        lsoas = f" ({part[1]} of its {part[2]} small areas, LSOAs 2021)" if part else ""
        text = f"{p.name} here means the part of {p.name} inside {cfg.ics_name}{lsoas}; the rest is in another ICB."
    else:
        text = ""
    if split:
        which = split[0] if len(split) == 1 else ", ".join(split[:-1]) + " and " + split[-1]
        text += f" {which} {'lies' if len(split) == 1 else 'lie'} partly in another ICB."
    if figures:
        text += " " + PART_OF_AUTHORITY_FIGURES
    return text.strip()


def count_words(n: int, noun: str) -> str:
    """``count_words(3, "place")`` -> "three places"; numbers above twelve in digits."""
    word = _NUMBER_WORDS[n] if 0 <= n < len(_NUMBER_WORDS) else str(n)
    return f"{word} {noun}{'' if n == 1 else 's'}"


#: ONS GSS code patterns of what places.yml names.
_PLACE_CODE = r"^E(06|08|09|10|11)\d{6}$"  # unitary, metropolitan/London borough, county
_DISTRICT_CODE = r"^E0[6-9]\d{6}$"  # unitary, non-metropolitan district, metropolitan/London borough
_ID = r"^[a-z][a-z0-9_-]*$"


class _England(Strict):
    code: Annotated[str, StringConstraints(pattern=r"^E92\d{6}$")]
    name: str


class _Ics(Strict):
    id: Annotated[str, StringConstraints(pattern=_ID)]
    code: Annotated[str, StringConstraints(pattern=r"^E54\d{6}$")]
    ods_code: str | None = None
    name: Annotated[str, StringConstraints(min_length=1)]
    short_name: Annotated[str, StringConstraints(min_length=1)]


class _Place(Strict):
    code: Annotated[str, StringConstraints(pattern=_PLACE_CODE)]
    name: Annotated[str, StringConstraints(min_length=1)]
    type: Annotated[str, StringConstraints(min_length=1)]
    districts: dict[Annotated[str, StringConstraints(pattern=_DISTRICT_CODE)], str]
    localities: list[str] = Field(default_factory=list)
    profiles: list[str] = Field(default_factory=list)
    # written by `llr configure` for places that differ from a whole authority (read by processing)
    part_of_authority: bool = False
    lsoas_in_icb: Any = None
    partial_districts: dict[str, Any] | None = None
    lad22_codes: Any = None
    not_in_lad23_ctyua23: list[str] | None = None
    counts: dict[str, int] | None = None

    @field_validator("districts")
    @classmethod
    def _some_districts(cls, v: dict) -> dict:
        if not v:
            raise ValueError("a place needs at least one district (code: name)")
        return v


class _Level(Strict):
    label: str
    plural: str = ""
    code_column: str
    name_column: str
    basis: Literal["lsoa", "practice"] = "lsoa"


class _Practices(Strict):
    """The GP practice -> place rule of this ICS (see :func:`llr_analysis.process.gp_practices.assign_place`)."""

    #: ODS code of each sub-ICB location (and former CCG) of the ICS -> its place; null: it covers more than one
    sub_icbs: dict[str, str | None]
    #: ONS (E38) code -> ODS code of the same sub-ICB locations / CCGs (Fingertips parent codes)
    ons_codes: dict[Annotated[str, StringConstraints(pattern=r"^E38\d{6}$")], str] = Field(default_factory=dict)
    #: names of the CCGs as sources write them -> ODS code (the Dec 2017 workbook names CCGs)
    names: dict[str, str] = Field(default_factory=dict)
    #: for a sub-ICB location that covers more than one place: PCN code -> place
    pcns: dict[Annotated[str, StringConstraints(pattern=r"^U\d{5}$")], str] = Field(default_factory=dict)
    #: ... and, for a practice with no PCN, premises postcode district -> place (approximate)
    postcode_districts: dict[str, str] = Field(default_factory=dict)
    #: ... and the place of its other practices (none: they are not placed)
    rest: dict[str, str] = Field(default_factory=dict)
    #: practices of the ICS in the Dec 2017 cervical screening workbook (checked when given)
    practices_2017: int | None = None


class _PlacesFile(Strict):
    england: _England
    #: the integrated care system; ``llr:`` is the key's older name (still read)
    ics: _Ics | None = None
    llr: _Ics | None = None
    places: dict[Annotated[str, StringConstraints(pattern=_ID)], _Place]
    locality_levels: dict[Annotated[str, StringConstraints(pattern=_ID)], _Level]
    default_locality_level: str
    expected: dict[str, int | None]
    sources: dict[str, Any] | None = None  # written by `llr configure`: the lookups it was made from
    practices: _Practices | None = None

    @model_validator(mode="after")
    def _consistent(self) -> _PlacesFile:
        if (self.ics is None) == (self.llr is None):
            raise ValueError("give the integrated care system under the key 'ics' (exactly one of 'ics' or 'llr')")
        if not self.places:
            raise ValueError("'places' names no place")
        levels = sorted(self.locality_levels)
        for pid, p in self.places.items():
            for key in ("localities", "profiles"):
                unknown = [lv for lv in getattr(p, key) if lv not in self.locality_levels]
                if unknown:
                    raise ValueError(
                        f"places.{pid}.{key}: unknown locality level {unknown[0]!r}; allowed: {', '.join(levels)}"
                    )
        if self.default_locality_level not in self.locality_levels:
            raise ValueError(
                f"default_locality_level: {self.default_locality_level!r} is not a locality level; "
                f"allowed: {', '.join(levels)}"
            )
        if self.practices is not None:
            pr = self.practices
            targets = [("sub_icbs", k, v) for k, v in pr.sub_icbs.items() if v is not None]
            for key in ("pcns", "postcode_districts", "rest"):
                targets += [(key, k, v) for k, v in getattr(pr, key).items()]
            for key, k, v in targets:
                if v not in self.places:
                    raise ValueError(
                        f"practices.{key}.{k}: {v!r} is not a place; allowed: {', '.join(sorted(self.places))}"
                    )
        seen: dict[str, str] = {}
        for pid, p in self.places.items():
            for d in p.districts:
                if d in seen:
                    raise ValueError(f"places.{pid}.districts: district {d} is also listed under place {seen[d]!r}")
                seen[d] = pid
        return self


#: Environment variable naming another places file (``llr build --places FILE`` sets it).
PLACES_ENV = "LLR_PLACES"


def places_file() -> Path | None:
    """The places file in use: ``$LLR_PLACES`` when set, else None (the packaged ``config/places.yml``)."""
    env = os.environ.get(PLACES_ENV, "").strip()
    return Path(env).expanduser().resolve() if env else None


def places_text(path: str | os.PathLike | None = None) -> tuple[str, str]:
    """The text of the places file (``path``, else :func:`places_file`, else the packaged one) and its name
    for messages."""
    path = path if path is not None else places_file()
    if path is None:
        return resources.files("llr_analysis.config").joinpath("places.yml").read_text(), "config/places.yml"
    p = Path(path)
    if not p.is_file():
        origin = f" named by ${PLACES_ENV}" if places_file() is not None and p.resolve() == places_file() else ""
        raise ConfigError(f"{p}: the places file{origin} does not exist or is not a file")
    try:
        return p.read_text(encoding="utf-8"), str(p)
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{p}: the places file is not UTF-8 text ({exc.reason} at byte {exc.start})") from None


def load_places(path: str | os.PathLike | None = None) -> PlacesConfig:
    """The places configuration: ``path``, else ``$LLR_PLACES``, else the packaged ``config/places.yml``.

    Parsed strictly (a duplicated key or a key that is not allowed is a :class:`ConfigError` naming
    the file, the key and what is allowed). Cached per file.
    """
    chosen = path if path is not None else places_file()
    return _load_places(str(Path(chosen).resolve()) if chosen is not None else None)


@lru_cache(maxsize=8)
def _load_places(path: str | None) -> PlacesConfig:
    text, where = places_text(path)
    doc = validated(_PlacesFile, load_yaml(text, where), where)
    levels = {lid: LocalityLevel(id=lid, **lv.model_dump()) for lid, lv in doc.locality_levels.items()}
    places = {
        pid: Place(
            id=pid,
            code=p.code,
            name=p.name,
            type=p.type,
            districts=dict(p.districts),
            localities=tuple(p.localities),
            profiles=tuple(p.profiles),
            part_of_authority=bool(p.part_of_authority),
            lsoas_in_icb=None if p.lsoas_in_icb is None else str(p.lsoas_in_icb),
            partial_districts={str(k): str(v) for k, v in p.partial_districts.items()} if p.partial_districts else None,
            lad22_codes={str(k): {str(c): str(n) for c, n in (v or {}).items()} for k, v in p.lad22_codes.items()}
            if isinstance(p.lad22_codes, dict)
            else None,
        )
        for pid, p in doc.places.items()
    }
    ics = doc.ics or doc.llr
    assert ics is not None  # the model validator requires one of them
    return PlacesConfig(
        places=places,
        locality_levels=levels,
        ics_id=ics.id,
        ics_name=ics.name,
        ics_short_name=ics.short_name,
        ics_code=ics.code,
        england_code=doc.england.code,
        default_locality_level=doc.default_locality_level,
        # expected sizes are named `<what>_in_ics`; the older `<what>_in_llr` names are read as the same
        expected={re.sub(r"_in_llr$", "_in_ics", k): v for k, v in doc.expected.items()},
        source=where,
        practices=doc.practices.model_dump() if doc.practices is not None else {"sub_icbs": {}},
    )


load_places.cache_clear = _load_places.cache_clear  # type: ignore[attr-defined]


def get_place(place_id: str) -> Place:
    """The configured place for ``place_id`` (a key of ``places:`` in the places file)."""
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


def place_id_check():
    """A pandera check: every value is the id of a place in the places file in use (read when the check
    runs, so a schema built at import time follows ``--places``)."""
    import pandera.pandas as pa

    return pa.Check(
        lambda s: s.isin(list(load_places().places)),
        name="configured_place",
        error="a place id of the places file in use",
    )


def fill_ics_names(text: str) -> str:
    """``text`` with ``{ics_name}`` and ``{ics_short_name}`` replaced by the configured ICS's names (titles
    in notebook metadata and ``_quarto.yml`` are written this way, so that they follow the places file)."""
    cfg = load_places()
    return str(text).replace("{ics_name}", cfg.ics_name).replace("{ics_short_name}", cfg.ics_short_name)
