"""The overview's population headlines (the contract of :mod:`llr_analysis.analysis.overview`):
:func:`headlines` loads the tables (the edge) and :func:`population_headlines` computes the rows."""

from __future__ import annotations

import numpy as np
import pandas as pd

from llr_analysis.analysis.population.ages import england_by_age, place_by_age
from llr_analysis.analysis.population.load import PopulationData, load
from llr_analysis.analysis.population.measures import percent_aged
from llr_analysis.analysis.population.totals import TOTALS_PERIOD, TOTALS_SOURCE, latest_totals
from llr_analysis.paths import ProjectPaths
from llr_analysis.places import load_places
from llr_analysis.process.population import YEARS
from llr_analysis.stats.benchmark import NOT_TESTED


def headlines(paths: ProjectPaths) -> pd.DataFrame:
    """:func:`population_headlines` of the processed tables under ``paths``."""
    return population_headlines(load(paths))


def population_headlines(data: PopulationData, year: int = YEARS[-1]) -> pd.DataFrame:
    """Headline figures for the overview page: population, % aged 65+ and % aged 85+ for the ICS and each place,
    with England's value (the columns of :data:`llr_analysis.analysis.overview.HEADLINE_COLUMNS`).

    The total is the most recent count (:data:`TOTALS_PERIOD`, :data:`TOTALS_SOURCE`; England's is not
    in the data offline, so it is left blank rather than taken from another period); the shares by age
    come from the mid-``year`` estimates, the latest with single years of age here, each labelled with
    its period. Not compared with England: a population estimate is not a sample, so there is no
    confidence interval to compare, and a larger or smaller share of older people is neither better
    nor worse.
    """
    cfg = load_places()
    eng = england_by_age(data, year)
    geo = data.localities.lsoa21
    areas: list[tuple[str, str, pd.Series, str | None, str | None]] = [
        (cfg.ics_id, cfg.ics_name, place_by_age(data, year, None), None, None)
    ]
    areas += [
        (p.id, p.name, place_by_age(data, year, p.id), f"population/{p.id}.ipynb", p.id) for p in cfg.places.values()
    ]
    rows = []

    def row(
        area_id: str,
        name: str,
        href: str | None,
        indicator: str,
        period: str,
        value: float,
        england: float,
        unit: str,
        note: str,
    ) -> None:
        rows.append(
            {
                "topic": "population",
                "indicator": indicator,
                "area_id": area_id,
                "area_name": name,
                "period": period,
                "value": value,
                "lower_95": np.nan,
                "upper_95": np.nan,
                "unit": unit,
                "england_value": england,
                "comparison": NOT_TESTED,
                "note": note,
                "href": href,
            }
        )

    for area_id, name, by_age, href, place_id in areas:
        codes = geo["lsoa21_code"] if place_id is None else geo.loc[geo["place_id"] == place_id, "lsoa21_code"]
        row(
            area_id,
            name,
            href,
            "Population (all ages)",
            TOTALS_PERIOD,
            latest_totals(data.iod_population, codes),
            np.nan,
            "people",
            TOTALS_SOURCE + "; the most recent count here",
        )
        for indicator, value, england in (
            ("% aged 65 and over", percent_aged(by_age, 65), percent_aged(eng, 65)),
            ("% aged 85 and over", percent_aged(by_age, 85), percent_aged(eng, 85)),
        ):
            row(
                area_id,
                name,
                href,
                indicator,
                f"mid-{year}",
                value,
                england,
                "%",
                "ONS mid-year estimate (2011-Census-based series), the latest by single year of age here",
            )
    return pd.DataFrame(rows)
