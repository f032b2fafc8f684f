"""Topic settings kept in ``config/*.yml`` (places have their own module, :mod:`llr_analysis.places`).

``cancer_screening.yml`` is parsed into :class:`CancerScreeningConfig` (pydantic): a duplicated key,
an unknown key, a value of the wrong kind or a name that refers to nothing (a programme in
``programme_order`` that is not in ``programmes``, an area type an indicator asks for that is not in
``fingertips.area_types``) is a :class:`~llr_analysis.errors.ConfigError` naming the file, the key and
what is allowed. :func:`cancer_screening_config` returns the model (attribute access): the analysis and
report layers use it (:mod:`llr_analysis.analysis.cancer_screening.programmes`). :func:`cancer_screening`
returns the validated document as a dict, for the fetch and processing steps that still index it by key.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from typing import Annotated, Any

from pydantic import ConfigDict, Field, StringConstraints, model_validator

from llr_analysis.configfile import Strict, load_yaml, validated

WHERE = "config/cancer_screening.yml"
Percent = Annotated[float, Field(ge=0, le=100)]


class Standard(Strict):
    acceptable: Percent
    achievable: Percent
    source: str
    verified: str = ""

    @model_validator(mode="after")
    def _order(self) -> Standard:
        if self.acceptable > self.achievable:
            raise ValueError(
                f"acceptable: {self.acceptable} is above achievable ({self.achievable}); "
                "the acceptable level is the lower threshold"
            )
        return self


class AgeGroup(Strict):
    label: str
    interval: str


class Programme(Strict):
    label: str
    who: str
    age_groups: dict[str, AgeGroup] = Field(default_factory=dict)
    standard: Standard


class Cervical2017Columns(Strict):
    denominator: str
    numerator: str
    suppression: str


class Cervical2017(Strict):
    period: str
    period_label: str
    columns: dict[str, Cervical2017Columns]


class PlaceRule(Strict):
    # extra keys allowed: the practice-to-place rule is being generalised beyond the default places (issue 24)
    model_config = ConfigDict(extra="allow", frozen=True)
    ccg_names: dict[str, str]
    ccg_ons_codes: dict[Annotated[str, StringConstraints(pattern=r"^E38\d{6}$")], str]
    ccg_place: dict[str, str]
    rutland_pcns: dict[Annotated[str, StringConstraints(pattern=r"^U\d{5}$")], str] = Field(default_factory=dict)
    rutland_postcode_districts: list[str] = Field(default_factory=list)


class Indicator(Strict):
    id: int
    alternatives: list[int] = Field(default_factory=list)
    programme: str | None = None
    topic: str | None = None
    measure: str | None = None
    name_contains: str | list[str] = Field(default_factory=list)
    area_types: Annotated[list[str], Field(min_length=1)]
    raw_folder: str | None = None
    table: str | None = None
    note: str = ""
    verified: str = ""


class Fingertips(Strict):
    base_url: Annotated[str, StringConstraints(pattern=r"^https?://")]
    licence: str
    publisher: str
    raw_folder: str
    area_types: dict[str, int]
    indicators: list[Indicator]
    other_indicators: list[Indicator] = Field(default_factory=list)
    parent_area_type: dict[str, str] | str

    @model_validator(mode="after")
    def _known_area_types(self) -> Fingertips:
        known = sorted(self.area_types)
        for section in ("indicators", "other_indicators"):
            for i, ind in enumerate(getattr(self, section)):
                bad = [a for a in ind.area_types if a not in self.area_types]
                if bad:
                    raise ValueError(
                        f"{section}.{i}.area_types: indicator {ind.id} names area type {bad[0]!r}; "
                        f"allowed (fingertips.area_types): {', '.join(known)}"
                    )
        for i, ind in enumerate(self.other_indicators):
            missing = [k for k in ("topic", "raw_folder", "table") if getattr(ind, k) is None]
            if missing:
                raise ValueError(f"other_indicators.{i}.{missing[0]}: indicator {ind.id} of another topic needs it")
        parents = self.parent_area_type
        pairs = parents.items() if isinstance(parents, dict) else [("(all)", parents)]
        for level, parent in pairs:
            if parent not in self.area_types:
                raise ValueError(
                    f"parent_area_type.{level}: {parent!r} is not an area type; allowed: {', '.join(known)}"
                )
        return self


class CancerScreeningConfig(Strict):
    programmes: dict[str, Programme]
    programme_order: list[str]
    cervical_2017: Cervical2017
    expected: dict[str, int]
    place_rule: PlaceRule | None = None  # moved to the places file (`practices:`), issue 24
    fingertips: Fingertips

    @model_validator(mode="after")
    def _known_programmes(self) -> CancerScreeningConfig:
        known = sorted(self.programmes)
        for i, p in enumerate(self.programme_order):
            if p not in self.programmes:
                raise ValueError(f"programme_order.{i}: {p!r} is not a programme; allowed: {', '.join(known)}")
        for i, ind in enumerate(self.fingertips.indicators):
            if ind.programme not in self.programmes:
                raise ValueError(
                    f"fingertips.indicators.{i}.programme: {ind.programme!r} is not a programme; "
                    f"allowed: {', '.join(known)}"
                )
        return self


def load_cancer_screening(text: str, where: str = WHERE) -> tuple[dict, CancerScreeningConfig]:
    """A cancer_screening.yml text, checked: (the document as a dict, the model)."""
    doc: Any = load_yaml(text, where)
    return doc, validated(CancerScreeningConfig, doc, where)


@lru_cache(maxsize=1)
def _cancer_screening() -> tuple[dict, CancerScreeningConfig]:
    text = resources.files("llr_analysis.config").joinpath("cancer_screening.yml").read_text()
    return load_cancer_screening(text)


def cancer_screening() -> dict:
    """``config/cancer_screening.yml``: programmes, standards, the place rule and Fingertips settings
    (validated; the same cached dict for every caller, as before: copy it before changing it)."""
    return _cancer_screening()[0]


def cancer_screening_config() -> CancerScreeningConfig:
    """``config/cancer_screening.yml`` as a validated model (attribute access)."""
    return _cancer_screening()[1]
