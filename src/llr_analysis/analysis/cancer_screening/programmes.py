"""The screening programmes as configured in ``config/cancer_screening.yml`` (validated:
:func:`llr_analysis.settings.cancer_screening_config`): labels, age groups, coverage standards and the
Fingertips indicators of each programme."""

from __future__ import annotations

from typing import TypedDict

from llr_analysis.errors import ParameterError
from llr_analysis.places import load_places
from llr_analysis.settings import cancer_screening_config

ENGLAND_CODE = load_places().england_code  # places.yml


class Standard(TypedDict):
    """A programme's coverage thresholds (percent) and their source."""

    acceptable: float
    achievable: float
    source: str


def _number(x: float) -> float:
    """75.0 -> 75 (an int), so that a standard reads '75%' as written in the configuration."""
    return int(x) if float(x).is_integer() else x


def programme_label(programme: str) -> str:
    return cancer_screening_config().programmes[programme].label


def check_programme(programme: str) -> str:
    """A configured programme id (``cervical``, ``breast``, ``bowel``) or ``all``."""
    key = str(programme).strip().lower()
    known = list(cancer_screening_config().programmes)
    if key != "all" and key not in known:
        raise ParameterError(f"unknown screening programme {programme!r}; expected 'all' or one of {known}")
    return key


def programme_order() -> list[str]:
    """Every configured programme, in the order the pages show them."""
    return list(cancer_screening_config().programme_order)


def programmes(programme: str = "all") -> list[str]:
    """The programmes a page shows, in the configured order."""
    key = check_programme(programme)
    return programme_order() if key == "all" else [key]


def standard(programme: str) -> Standard:
    """The programme's coverage standard: ``acceptable``, ``achievable`` (percent) and ``source``."""
    s = cancer_screening_config().programmes[programme].standard
    return {"acceptable": _number(s.acceptable), "achievable": _number(s.achievable), "source": s.source}


def age_group_label(programme: str, age_group: str) -> str:
    groups = cancer_screening_config().programmes[programme].age_groups
    return groups[age_group].label if age_group in groups else f"Aged {age_group}"


def age_group_interval(programme: str, age_group: str) -> str:
    """How often the age group is invited ('' when not configured)."""
    groups = cancer_screening_config().programmes[programme].age_groups
    return groups[age_group].interval if age_group in groups else ""


def local_authority_indicator_ids(programme: str) -> list[int]:
    """Fingertips indicator IDs configured as local-authority (resident population) indicators.

    England rows also appear in the GP-practice indicator files (registered population); only
    these IDs give the comparator for local-authority figures.
    """
    return [
        int(i.id)
        for i in cancer_screening_config().fingertips.indicators
        if i.programme == programme and any(t.startswith("utla") for t in i.area_types)
    ]


def gp_practice_indicator_ids(programme: str) -> list[str]:
    """The configured GP practice indicators of a programme, each with its alternatives ('94063 or 91339')."""
    return [
        " or ".join(str(x) for x in [i.id, *i.alternatives])
        for i in cancer_screening_config().fingertips.indicators
        if i.programme == programme and "gp_practice" in i.area_types
    ]


def fingertips_licence() -> str:
    return cancer_screening_config().fingertips.licence
