"""What screening data a build holds: programmes, age groups, periods and levels, and the period a page shows."""

from __future__ import annotations

import pandas as pd

from llr_analysis.errors import ParameterError

AVAILABILITY_COLUMNS = ["programme", "age_group", "period", "period_label", "period_sort", "source_id", "rows", "level"]


def availability(practice_coverage: pd.DataFrame, area_coverage: pd.DataFrame) -> pd.DataFrame:
    """What this build has: one row per programme, age group, period and level, with its source.

    Levels: ``gp_practice`` (practice counts, aggregated here to PCN, place, ICS and England)
    and ``local_authority`` (Fingertips upper-tier local authority values, resident population).
    """
    keys = ["programme", "age_group", "period", "period_label", "period_sort", "source_id"]
    rows = []
    pc = practice_coverage
    if len(pc):
        g = pc.groupby(keys, dropna=False).size().reset_index(name="rows")
        g["level"] = "gp_practice"
        rows.append(g)
    ac = area_coverage[area_coverage["area_level"].isin(["utla", "utla_2021"])]
    if len(ac):
        g = ac.assign(period_label=ac["period"]).groupby(keys, dropna=False).size().reset_index(name="rows")
        g["level"] = "local_authority"
        rows.append(g)
    if not rows:
        return pd.DataFrame(columns=AVAILABILITY_COLUMNS)
    return (
        pd.concat(rows, ignore_index=True)
        .sort_values(["programme", "level", "period_sort", "age_group"])
        .reset_index(drop=True)
    )


def resolve_period(avail: pd.DataFrame, programme: str, period: str = "latest", level: str | None = None) -> str | None:
    """The period to show for a programme: the latest one with data (``period="latest"``), or the
    requested period label if the build has it. None when the programme has no data at all."""
    a = avail[avail["programme"] == programme]
    if level:
        a = a[a["level"] == level]
    if a.empty:
        return None
    if str(period).strip().lower() == "latest":
        return str(a.sort_values("period_sort").iloc[-1]["period"])
    hits = a[(a["period"].astype(str) == str(period)) | (a["period_label"].astype(str) == str(period))]
    if hits.empty:
        raise ParameterError(
            f"{programme} screening has no data for period {period!r} in this build; "
            f"periods available: {sorted(a['period_label'].astype(str).unique())}"
        )
    return str(hits.iloc[0]["period"])


def level_period(avail: pd.DataFrame, programme: str, period: str, level: str) -> str | None:
    """:func:`resolve_period` at one level, None when the programme has no data at that level."""
    if avail[(avail["programme"] == programme) & (avail["level"] == level)].empty:
        return None
    return resolve_period(avail, programme, period, level=level)


def period_label(avail: pd.DataFrame, programme: str, period: str) -> str:
    a = avail[(avail["programme"] == programme) & (avail["period"].astype(str) == str(period))]
    return str(a["period_label"].iloc[0]) if len(a) else str(period)


def period_ages(avail: pd.DataFrame, programme: str, period: str, level: str) -> list[str]:
    """The age groups a programme has for a period at a level, sorted."""
    a = avail[(avail["programme"] == programme) & (avail["period"] == period) & (avail["level"] == level)]
    return sorted(a["age_group"].unique())
