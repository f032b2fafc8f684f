"""Deprivation by locality level (the tabs of the deprivation page) and by PCN.

* :func:`area_levels` / :func:`tab_levels`: the place's area levels the edition's LSOA geography supports
  (IoD2019 is on LSOA 2011, which has no best-fit wards), then PCNs;
* :func:`lsoa_map_frame`: the place's LSOAs with their national decile and the names of the ward,
  MSOA and district each belongs to (one dataset shared by every map of the page);
* :func:`pcn_deprivation`: registered-population-weighted IMD 2019 by PCN and practice, a
  third-party derivation (Richard Blackwell, ``practice_imd2019_derived`` / ``pcn_imd2019_derived``)
  read through ``cancer_screening/practices``; practices that closed or have no PCN apart.
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd

from llr_analysis.analysis.deprivation.lsoas import check_edition
from llr_analysis.analysis.localities import pcns as localities
from llr_analysis.places import LocalityLevel, get_place, place_locality_levels
from llr_analysis.process.deprivation import EDITIONS

#: Area levels each LSOA vintage supports (IoD2019: LSOA 2011, no best-fit wards).
LEVELS_BY_VINTAGE = {2021: ("district", "ward", "msoa", "lsoa"), 2011: ("district", "msoa", "lsoa")}

#: Sources registry ids of the third-party practice and PCN IMD figures.
PCN_SOURCE = "practice_imd2019_derived; pcn_imd2019_derived; ods_epcn_2023_01"


def area_levels(place: str, edition: str) -> list[LocalityLevel]:
    """The place's area locality levels (tabs) available on the edition's LSOA geography."""
    ok = LEVELS_BY_VINTAGE[EDITIONS[check_edition(edition)]["lsoa_vintage"]]
    return [lv for lv in place_locality_levels(place, areas_only=True) if lv.id in ok]


def tab_levels(place: str, edition: str) -> list[str]:
    """The ids of the tabs of the locality section: available area levels, then PCNs."""
    areas = [lv.id for lv in area_levels(place, edition)]
    return areas + [lv.id for lv in place_locality_levels(place) if not lv.is_area]


def lsoa_map_frame(shapes: gpd.GeoDataFrame, lsoas: pd.DataFrame, edition: str) -> gpd.GeoDataFrame:
    """The place's LSOA polygons with score, rank, decile and the names of their localities.

    ``shapes``: the LSOA boundaries of the edition's vintage (``lsoa21_code`` / ``lsoa11_code``,
    ``geometry``); ``lsoas``: :func:`.lsoas.lsoa_frame` of the place. Columns ``geometry``,
    ``lsoa_code``, ``lsoa_name``, ``msoa_name``, ``district_name`` and, on LSOA 2021, ``ward_name``;
    then ``score``, ``rank``, ``decile``.
    """
    vintage = EDITIONS[check_edition(edition)]["lsoa_vintage"]
    short = str(vintage)[2:]
    geo = shapes.rename(columns={f"lsoa{short}_code": "lsoa_code"}).merge(lsoas, on="lsoa_code")
    names = {"msoa21_label" if vintage == 2021 else "msoa11_name": "msoa_name", "lad_name": "district_name"}
    if vintage == 2021:
        names["ward_name"] = "ward_name"
    cols = ["geometry", "lsoa_code", "lsoa_name", *names, "score", "rank", "decile"]
    return geo[cols].rename(columns=names).reset_index(drop=True)


# ------------------------------------------------------------------------------ PCNs


@dataclass(frozen=True)
class PcnDeprivation:
    """IMD 2019 by PCN for a place: ``pcns`` (one row per PCN, most deprived first), ``practices``
    (the open practices of those PCNs) and ``apart`` (the place's practices that closed or have no PCN)."""

    pcns: pd.DataFrame
    practices: pd.DataFrame
    apart: pd.DataFrame


def pcn_deprivation(practice_table: pd.DataFrame, place: str) -> PcnDeprivation:
    """Registered-population-weighted IMD 2019 score and decile of each PCN of ``place`` and its practices.

    ``practice_table``: the processed GP practices (``LocalitiesData.practice_table()``). The scores are
    a third-party derivation (each practice's registered patients by LSOA 2011 of residence, January
    2023, weighting the LSOAs' IMD 2019 scores; a PCN's score weights its practices the same way;
    deciles are national deciles of practices / PCNs). A PCN belongs to the place where most of its
    open practices are (:func:`llr_analysis.analysis.localities.pcns.pcns`).
    """
    the_place = get_place(place)
    allp = localities.practice_places(practice_table)
    home = localities.pcns(practice_table)
    home = home[home["place_id"] == the_place.id]
    open_ = allp[allp["status"].eq("active") & allp["pcn_code"].notna()]
    practices = open_[open_["pcn_code"].isin(home["locality_code"])].copy()
    practices["pcn_display"] = practices["pcn_name"].map(localities.pcn_name)
    scores = (
        practices.groupby("pcn_code")[["pcn_imd_score", "pcn_imd_decile"]]
        .first()
        .rename(columns={"pcn_imd_score": "imd_score", "pcn_imd_decile": "imd_decile"})
    )
    n_scored = practices.groupby("pcn_code")["imd_score"].count().rename("practices_with_score")
    pcns = home.merge(scores, left_on="locality_code", right_index=True, how="left").merge(
        n_scored, left_on="locality_code", right_index=True, how="left"
    )
    pcns = pcns.sort_values(["imd_score", "locality_name"], ascending=[False, True], na_position="last")
    practices = practices.sort_values(["pcn_display", "imd_score"], ascending=[True, False])
    mine = allp[allp["place_id"] == the_place.id]
    apart = mine[~mine["status"].eq("active") | mine["pcn_code"].isna()].copy()
    apart["reason"] = np.where(
        ~apart["status"].eq("active"),
        "closed" + apart["close_date"].fillna("").astype(str).map(lambda d: f" ({d})" if d else ""),
        "open, in no PCN",
    )
    apart["former_pcn"] = apart["pcn_name"].map(lambda n: localities.pcn_name(n) if isinstance(n, str) else "")
    apart = apart.sort_values(["reason", "practice_name"])
    return PcnDeprivation(pcns=pcns.reset_index(drop=True), practices=practices.reset_index(drop=True), apart=apart)
