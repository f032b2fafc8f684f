"""Every figure of one place's deprivation page, computed once (:func:`place_deprivation`)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from llr_analysis.analysis.deprivation.domains import PROFILE_INDICES
from llr_analysis.analysis.deprivation.load import DeprivationData
from llr_analysis.analysis.deprivation.localities import tab_levels
from llr_analysis.analysis.deprivation.lsoas import (
    SOURCE_IDS,
    check_edition,
    locality_summary,
    lsoa_frame,
    summarise_lsoas,
)
from llr_analysis.analysis.deprivation.summaries import full_edition, national_ranks_available, upper_tier_imd
from llr_analysis.places import LocalityLevel, Place, get_locality_level, get_place
from llr_analysis.process.deprivation import EDITIONS, INDEX_LABELS


@dataclass(frozen=True)
class PlaceDeprivation:
    """Every figure a place's deprivation page needs, computed once (see :func:`place_deprivation`),
    with the topic's tables (``data``) for the sections that draw from them."""

    data: DeprivationData
    place: str
    edition: str
    locality_level: str
    lsoas: pd.DataFrame  # the place's LSOAs with score, rank, decile, population
    llr: pd.DataFrame  # the same for the whole ICS
    place_row: pd.Series  # summarise_lsoas of the place
    llr_row: pd.Series
    localities: pd.DataFrame  # locality_summary of the first area level, most deprived first
    ranks_available: dict[str, bool]
    full_edition: str  # the latest edition with population for every LSOA in England
    levels: tuple[str, ...] = ()  # the locality tabs (area levels of the edition, then PCNs)

    @property
    def summaries(self) -> pd.DataFrame:
        """la_summaries: every English authority, both editions."""
        return self.data.summaries

    @property
    def the_place(self) -> Place:
        return get_place(self.place)

    @property
    def level(self) -> LocalityLevel:
        return get_locality_level(self.locality_level)

    @property
    def noun(self) -> str:
        """The locality level in a sentence: "district", "MSOA (2021)"."""
        label = self.level.label
        return label if label[:2].isupper() else label.lower()

    @property
    def source_id(self) -> str:
        return SOURCE_IDS[self.edition]

    @property
    def pop_year(self) -> str:
        return str(EDITIONS[self.edition]["population_year"])

    @property
    def has_population(self) -> bool:
        return bool(self.place_row["population"] == self.place_row["population"])  # not NaN


def place_deprivation(
    data: DeprivationData, place: str, edition: str = "IoD2025", locality_level: str = "all"
) -> PlaceDeprivation:
    """The figures of one place's deprivation page (parameters checked). ``locality_level``: ``all`` (a tab
    per level of the place the edition supports) or one level; ``localities`` are those of the first area level."""
    edition = check_edition(edition)
    levels = tab_levels(place, edition)
    if str(locality_level).strip().lower() != "all":
        levels = [get_locality_level(locality_level).id]
    areas = [lv for lv in levels if get_locality_level(lv).is_area]
    locality_level = areas[0] if areas else "district"
    lsoas = lsoa_frame(data, edition, place)
    llr = lsoa_frame(data, edition)
    return PlaceDeprivation(
        data=data,
        place=get_place(place).id,
        edition=edition,
        locality_level=locality_level,
        lsoas=lsoas,
        llr=llr,
        place_row=summarise_lsoas(lsoas),
        llr_row=summarise_lsoas(llr),
        localities=locality_summary(lsoas, edition, locality_level),
        ranks_available=national_ranks_available(data.summaries, edition),
        full_edition=full_edition(data.summaries),
        levels=tuple(levels),
    )


def upper_tier_rank(d: PlaceDeprivation, edition: str, measure: str) -> tuple[int, int, int]:
    """The place's national rank among counties and unitary authorities on an IMD summary measure:
    (rank, number of areas, number of areas sharing the rank)."""
    ut = upper_tier_imd(d.summaries, edition)
    ranks = ut.set_index("area_code")[f"rank_{measure}"].astype(float)
    r = float(ranks.loc[d.the_place.code])
    return int(r), len(ut), int((ut[f"rank_{measure}"] == r).sum())


def unranked_indices(d: PlaceDeprivation) -> list[str]:
    """Indices with no upper-tier ranks in this build (their data covers only some areas)."""
    s = d.summaries
    ut = s[(s["edition"] == d.edition) & (s["area_level"] == "upper_tier")]
    return [
        INDEX_LABELS[i]
        for i in PROFILE_INDICES
        if i in set(ut["index_id"]) and ut.loc[ut["index_id"] == i, "rank_prop_lsoas_most_deprived_10"].isna().all()
    ]
