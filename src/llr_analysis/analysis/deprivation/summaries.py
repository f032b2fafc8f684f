"""MHCLG's local-authority summary measures and their national ranks (table ``deprivation/la_summaries``,
:attr:`~.load.DeprivationData.summaries`).

* :func:`national_ranks_available`: which measures an edition ranks nationally;
* :func:`place_summary_ranks`, :func:`llr_authority_ranks`: a place's / every ICS authority's measures and ranks;
* :func:`summary_download`: summary-measure rows in the long CSV layout.
"""

from __future__ import annotations

import pandas as pd

from llr_analysis.analysis.deprivation.domains import PROFILE_INDICES
from llr_analysis.analysis.deprivation.lsoas import check_edition
from llr_analysis.places import PlacesConfig, get_place
from llr_analysis.process.deprivation import EDITIONS, INDEX_LABELS
from llr_analysis.stats.imd_measures import MEASURES

#: Short labels of the five MHCLG summary measures (all: higher value = more deprived).
MEASURE_LABELS = {
    "average_score": "Average score",
    "average_rank": "Average rank",
    "prop_lsoas_most_deprived_10": "Proportion of LSOAs in most deprived 10%",
    "extent": "Extent",
    "local_concentration": "Local concentration",
}


def national_ranks_available(summaries: pd.DataFrame, edition: str) -> dict[str, bool]:
    """For each summary measure, whether the edition's IMD has national ranks (i.e. population
    denominators for all of England where the measure needs them)."""
    s = summaries[(summaries["edition"] == check_edition(edition)) & (summaries["index_id"] == "imd")]
    return {m: bool(s[f"rank_{m}"].notna().all()) and len(s) > 0 for m in MEASURES}


def full_edition(summaries: pd.DataFrame) -> str:
    """The latest edition with national ranks on every measure (population for every LSOA in England)."""
    return next(e for e in EDITIONS if all(national_ranks_available(summaries, e).values()))


def place_summary_ranks(summaries: pd.DataFrame, place: str, edition: str) -> pd.DataFrame:
    """The place's five summary measures and national ranks among upper-tier authorities, per index.

    Each place is an upper-tier authority (unitary authority or
    county), so they are ranked among the counties and unitary authorities of the edition's
    structure (IoD2019: 151, 2019; IoD2025: 153, April 2023). One row per index in
    :data:`PROFILE_INDICES` order.
    """
    p = get_place(place)
    s = summaries[
        (summaries["edition"] == check_edition(edition))
        & (summaries["area_level"] == "upper_tier")
        & (summaries["area_code"] == p.code)
    ].set_index("index_id")
    s = s.reindex([i for i in PROFILE_INDICES if i in s.index])
    s.insert(0, "label", [INDEX_LABELS[i] for i in s.index])
    return s.reset_index()


def llr_authority_ranks(
    summaries: pd.DataFrame, places: PlacesConfig, edition: str, index_id: str = "imd"
) -> pd.DataFrame:
    """Every ICS authority's summary measures and national ranks for one index.

    The districts are ranked among England's districts (IoD2019: 317 on 2019 boundaries;
    IoD2025: 296, 2024), the places among upper-tier authorities (151 / 153): a unitary
    authority appears at both levels.
    """
    edition = check_edition(edition)
    s = summaries[(summaries["edition"] == edition) & (summaries["index_id"] == index_id)]
    districts = s[(s["area_level"] == "district") & s["area_code"].isin(places.all_district_codes)]
    districts = districts.set_index("area_code").reindex(places.all_district_codes).reset_index()
    codes = [p.code for p in places.places.values()]
    upper = s[(s["area_level"] == "upper_tier") & s["area_code"].isin(codes)]
    upper = upper.set_index("area_code").reindex(codes).reset_index()
    out = pd.concat([districts, upper], ignore_index=True)
    label = {"district": "districts", "upper_tier": "counties and unitary authorities"}
    out.insert(
        2, "compared_with", [f"{n} {label[lv]}" for n, lv in zip(out["n_areas"], out["area_level"], strict=True)]
    )
    return out


def upper_tier_imd(summaries: pd.DataFrame, edition: str) -> pd.DataFrame:
    """The IMD rows of every county and unitary authority in the edition (``area_code``, ``n_areas``,
    ``rank_<measure>``, ...)."""
    s = summaries
    return s[(s["edition"] == edition) & (s["index_id"] == "imd") & (s["area_level"] == "upper_tier")]


def summary_download(df: pd.DataFrame) -> pd.DataFrame:
    """Summary-measure rows (from ``la_summaries``) in the long download layout: one row per area, index
    and measure, with the value, its national rank (blank where none) and the number of areas ranked."""
    rows = []
    for m in MEASURES:
        part = df[
            [
                "edition",
                "area_code",
                "area_name",
                "area_level",
                "geography",
                "index_id",
                "denominator",
                "n_lsoas",
                "population",
                "n_areas",
            ]
        ].copy()
        part["indicator"] = [f"{INDEX_LABELS[i]}: {MEASURE_LABELS[m]}" for i in df["index_id"]]
        part["measure"] = m
        part["value"] = df[m].to_numpy()
        part["national_rank"] = df[f"rank_{m}"].to_numpy()
        rows.append(part)
    out = pd.concat(rows, ignore_index=True).rename(
        columns={"edition": "period", "population": "denominator_population"}
    )
    return out
