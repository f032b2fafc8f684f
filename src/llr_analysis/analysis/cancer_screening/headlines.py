"""The overview's headline figures of cancer screening (see :mod:`llr_analysis.analysis.overview`):
:func:`headlines` loads the topic's data and :func:`headline_rows` computes them."""

from __future__ import annotations

from typing import Any, cast

import pandas as pd

from llr_analysis.analysis.cancer_screening.areas import area_table
from llr_analysis.analysis.cancer_screening.load import CancerScreeningData, load
from llr_analysis.analysis.cancer_screening.periods import availability, period_label, resolve_period
from llr_analysis.analysis.cancer_screening.practices import practice_rows
from llr_analysis.analysis.cancer_screening.programmes import age_group_label, programme_label, programmes
from llr_analysis.paths import ProjectPaths
from llr_analysis.places import load_places


def headline_rows(data: CancerScreeningData) -> pd.DataFrame:
    """Headline figures for the overview page.

    For each programme with practice data in this build, its latest period and each age group:
    coverage for each place and for the ICS (registered population, counts summed over practices,
    Wilson 95% CI), compared with England by CI overlap (higher is better).
    """
    avail = availability(data.practice_coverage, data.area_coverage)
    places = load_places().places
    out: list[dict[str, Any]] = []
    for programme in programmes("all"):
        period = resolve_period(avail, programme, "latest", level="gp_practice")
        if period is None:
            continue
        a = avail[(avail["programme"] == programme) & (avail["period"] == period) & (avail["level"] == "gp_practice")]
        label = period_label(avail, programme, period)
        for age_group in a["age_group"].dropna().unique():
            rows = practice_rows(data.practice_coverage, data.practices, programme, period, age_group)
            indicator = f"{programme_label(programme)} coverage, {age_group_label(programme, age_group).lower()}"
            for place in places.values():
                t = area_table(rows, place.id, programme, period, age_group, data.pcns, data.area_coverage)
                t = t.set_index("level")
                areas = [("place", place.id, place.id)]
                if place.id == next(iter(places)):
                    areas.append(("llr", "llr", place.id))  # the ICS is the same in every place's table
                for level, area_id, page_place in areas:
                    r = t.loc[level]
                    out.append(
                        {
                            "indicator": indicator,
                            "area_id": area_id,
                            "area_name": r["area_name"],
                            "period": label,
                            "value": r["value"],
                            "lower_95": r["lower_95"],
                            "upper_95": r["upper_95"],
                            "unit": "%",
                            "england_value": t.loc["england", "value"],
                            "comparison": r["comparison"],
                            # r is one row (levels are unique): the stubs type r[label] as Any | Series
                            "note": f"{int(cast(int, r['practices']))} GP practices used"
                            + (
                                f", {int(cast(int, r['practices_missing']))} left out (counts suppressed)"
                                if r["practices_missing"]
                                else ""
                            )
                            + "; registered patients",
                            "href": f"cancer_screening/{page_place}.ipynb",
                        }
                    )
    df = pd.DataFrame(out)
    if len(df):
        df["topic"] = "cancer_screening"
    return df


def headlines(paths: ProjectPaths) -> pd.DataFrame:
    """:func:`headline_rows` of the processed data of ``paths`` (the overview's contract)."""
    return headline_rows(load(paths))
