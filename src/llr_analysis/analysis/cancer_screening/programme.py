"""Everything a screening page shows for one programme in one place, computed (the report draws it):
the GP practice figures of each age group (area table, funnel positions, deprivation), the Fingertips
local authority figures of residents and Fingertips' own figures for NHS areas."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from llr_analysis.analysis.cancer_screening.areas import area_table
from llr_analysis.analysis.cancer_screening.coverage import deprivation_association, funnel
from llr_analysis.analysis.cancer_screening.fingertips import place_nhs_table
from llr_analysis.analysis.cancer_screening.load import CancerScreeningData
from llr_analysis.analysis.cancer_screening.local_authority import la_table, la_trend, local_authority_rows
from llr_analysis.analysis.cancer_screening.periods import (
    availability,
    level_period,
    period_ages,
    period_label,
)
from llr_analysis.analysis.cancer_screening.practices import practice_rows
from llr_analysis.analysis.cancer_screening.programmes import age_group_label
from llr_analysis.errors import ParameterError
from llr_analysis.places import get_place, load_places


@dataclass(frozen=True)
class AgeFigures:
    """One age group's GP practice figures: the area table (place, PCNs, ICS, England), the place's
    practices with their funnel position (``points``), the funnel's control limits, the rank correlation
    with deprivation and the funnel's centre line (``target``, percent)."""

    table: pd.DataFrame
    points: pd.DataFrame
    limits: pd.DataFrame
    assoc: dict[str, Any]
    target: float


@dataclass(frozen=True)
class PracticeFigures:
    """A programme's GP practice figures for one period: each age group's, and all of them together
    (``table``: the area tables; ``points``: the place's practices), with the sources used."""

    period: str
    period_label: str
    ages: list[str]
    by_age: dict[str, AgeFigures]
    table: pd.DataFrame
    points: pd.DataFrame
    source_id: str
    target_name: str


@dataclass(frozen=True)
class ProgrammeFigures:
    """What a page shows for one programme in one place. ``practice`` is None without GP practice data;
    ``local_authority`` (and ``trend``) None without Fingertips local authority figures; ``nhs_areas`` is
    empty without Fingertips' own NHS-area figures."""

    programme: str
    practice: PracticeFigures | None
    la_period: str | None
    local_authority: pd.DataFrame | None
    trend: pd.DataFrame | None
    nhs_areas: pd.DataFrame

    @property
    def has_data(self) -> bool:
        return self.practice is not None or self.la_period is not None


def funnel_target(table: pd.DataFrame, target: str = "england") -> tuple[float, str]:
    """The funnel plot's centre line: England's or the ICS's coverage (percent) in the area table, and its label."""
    key = str(target).strip().lower()
    if key not in ("england", "llr"):
        raise ParameterError(f"unknown funnel target {target!r}; expected 'england' or 'llr'")
    row = table[table["level"] == key].iloc[0]
    return float(row["value"]), ("England" if key == "england" else load_places().llr_short_name)


def practice_figures(
    data: CancerScreeningData, place: str, programme: str, period: str, funnel_against: str = "england"
) -> PracticeFigures:
    """A programme's GP practice figures for ``place`` and ``period`` (a period the build has)."""
    the_place = get_place(place)
    avail = availability(data.practice_coverage, data.area_coverage)
    ages = period_ages(avail, programme, period, "gp_practice")
    by_age: dict[str, AgeFigures] = {}
    tables, points, srcs = [], [], set()
    target_name = ""
    for ag in ages:
        rows = practice_rows(data.practice_coverage, data.practices, programme, period, ag)
        srcs |= set(rows["source_id"].dropna())
        t = area_table(rows, place, programme, period, ag, data.pcns, data.area_coverage)
        target, target_name = funnel_target(t, funnel_against)
        pts, limits = funnel(rows[rows["place_id"] == the_place.id], target)
        assoc = deprivation_association(pts["value"], pts["imd_score"])
        t["age_label"] = age_group_label(programme, ag)
        pts["age_label"] = age_group_label(programme, ag)
        tables.append(t)
        points.append(pts)
        by_age[ag] = AgeFigures(table=t, points=pts, limits=limits, assoc=assoc, target=target)
    return PracticeFigures(
        period=period,
        period_label=period_label(avail, programme, period),
        ages=ages,
        by_age=by_age,
        table=pd.concat(tables, ignore_index=True),
        points=pd.concat(points, ignore_index=True),
        source_id=", ".join(sorted(srcs)),
        target_name=target_name,
    )


def programme_figures(
    data: CancerScreeningData, place: str, programme: str, period: str = "latest", funnel_against: str = "england"
) -> ProgrammeFigures:
    """Everything the page shows for one programme in one place (``period``: ``latest`` or one the build has)."""
    avail = availability(data.practice_coverage, data.area_coverage)
    gp_period = level_period(avail, programme, period, "gp_practice")
    la_period = level_period(avail, programme, period, "local_authority")
    practice = None if gp_period is None else practice_figures(data, place, programme, gp_period, funnel_against)
    la = table = trend = None
    if la_period is not None:
        la = local_authority_rows(data.area_coverage, programme, la_period)
        if len(la):
            table = la_table(la, place, programme)
            trend = la_trend(data.area_coverage, programme, place)
    return ProgrammeFigures(
        programme=programme,
        practice=practice,
        la_period=la_period,
        local_authority=table,
        trend=trend,
        nhs_areas=place_nhs_table(
            data.area_coverage,
            programme,
            place,
            # a PCN the places file does not place: the place of most of its open practices (when loaded)
            dict(zip(data.pcns["locality_code"], data.pcns["place_id"], strict=True))
            if data.localities.practices is not None
            else None,
        ),
    )
