"""The deprivation figures the overview page shows (the overview's contract: ``headlines(paths)``)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from llr_analysis.analysis.deprivation.domains import england_share_decile1
from llr_analysis.analysis.deprivation.load import DeprivationData, load
from llr_analysis.analysis.deprivation.lsoas import england_population_values, lsoa_frame, summarise_lsoas
from llr_analysis.analysis.deprivation.summaries import national_ranks_available, upper_tier_imd
from llr_analysis.paths import ProjectPaths
from llr_analysis.process.deprivation import EDITIONS
from llr_analysis.stats.benchmark import NOT_TESTED

#: Headline labels of the national ranks.
HEADLINE_RANK_LABELS = {
    "prop_lsoas_most_deprived_10": "National rank: share of LSOAs in England's most deprived 10% (IMD)",
    "average_score": "National rank: average IMD score",
}


def headlines(paths: ProjectPaths) -> pd.DataFrame:
    """:func:`headline_figures` of the processed tables under ``paths`` (the edge the overview calls)."""
    return headline_figures(load(paths, maps=False))


def headline_figures(data: DeprivationData) -> pd.DataFrame:
    """Headline deprivation figures for each place and the ICS (overview page).

    Per area: % of LSOAs and % of people in England's most deprived 10% (IoD2025), the
    population-weighted IMD score (IoD2025), and for the places the national rank among
    upper-tier authorities on the proportion of LSOAs in the most deprived 10% (IoD2025) and on
    the average score (the latest edition whose population denominators cover all of England:
    IoD2019 offline). None has sampling error (counts of areas, shares of population estimates,
    scores): no interval or verdict (:data:`~llr_analysis.stats.benchmark.NOT_TESTED`), said in words.
    """
    cfg = data.places
    edition = "IoD2025"
    summaries = data.summaries
    n_lsoas_england = EDITIONS[edition]["n_lsoas"]
    eng_score, eng_pop10 = england_population_values(data, edition)
    eng_lsoa10 = england_share_decile1(edition)
    pop_note = "" if not np.isnan(eng_score) else "England value needs IoD2025 population for all of England"
    places = list(cfg.places.values())
    areas = [(p.id, p.name, p.id) for p in places] + [(cfg.llr_short_name.lower(), cfg.llr_name, None)]
    rows: list[dict[str, Any]] = []

    def add(
        area_id: str,
        area_name: str,
        href: str,
        indicator: str,
        period: str,
        value: float,
        unit: str,
        england: float,
        note: str,
    ) -> None:
        rows.append(
            {
                "topic": "deprivation",
                "indicator": indicator,
                "area_id": area_id,
                "area_name": area_name,
                "period": period,
                "value": float(value),
                "lower_95": np.nan,
                "upper_95": np.nan,
                "unit": unit,
                "england_value": float(england),
                "comparison": NOT_TESTED,
                "note": note,
                "href": href,
            }
        )

    for area_id, area_name, place_id in areas:
        lsoas = lsoa_frame(data, edition, place_id)
        s = summarise_lsoas(lsoas)
        href = f"deprivation/{place_id or places[0].id}.ipynb"
        k = int((lsoas["decile"] == 1).sum())
        add(
            area_id,
            area_name,
            href,
            "LSOAs in England's most deprived 10% (IMD)",
            edition,
            s["pct_lsoas_most_deprived_10"],
            "%",
            eng_lsoa10,
            f"{k} of {len(lsoas)} LSOAs; England {n_lsoas_england // 10:,} of {n_lsoas_england:,} (10%)",
        )
        add(
            area_id,
            area_name,
            href,
            "People living in England's most deprived 10% of LSOAs (IMD)",
            edition,
            s["pct_pop_most_deprived_10"],
            "%",
            eng_pop10,
            f"mid-2022 population; {pop_note}".rstrip("; "),
        )
        add(
            area_id,
            area_name,
            href,
            "Average IMD score (population-weighted)",
            edition,
            s["avg_imd_score"],
            "score",
            eng_score,
            f"higher = more deprived; {pop_note}".rstrip("; "),
        )
        if place_id is None:
            continue
        code = cfg.places[place_id].code
        for ed, measure in ((edition, "prop_lsoas_most_deprived_10"), (None, "average_score")):
            if ed is None:  # latest edition with a national rank on this measure
                ed = next(e for e in EDITIONS if national_ranks_available(summaries, e)[measure])
            r = upper_tier_imd(summaries, ed)
            row = r[r["area_code"] == code].iloc[0]
            rank = row[f"rank_{measure}"]
            ties = int((r[f"rank_{measure}"] == rank).sum())
            note = f"national rank of {row['n_areas']} counties and unitary authorities, 1 = most deprived" + (
                f" (shared by {ties})" if ties > 1 else ""
            )
            if ed != edition:
                note += f"; {ed}: {edition} population not available for all of England"
            add(area_id, area_name, href, HEADLINE_RANK_LABELS[measure], ed, rank, "rank", np.nan, note)
    return pd.DataFrame(rows)
