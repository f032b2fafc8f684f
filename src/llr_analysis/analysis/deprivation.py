"""Deprivation analysis for a place and its localities (the notebook's logic).

Reads the processed IoD tables (see :mod:`llr_analysis.process.deprivation`). Edition
``IoD2025`` is on LSOA 2021; ``IoD2019`` is on LSOA 2011, for which localities are districts
and 2011 MSOAs only.

What is here, one function per statistic:

* :func:`summarise_lsoas` / :func:`locality_summary`: population-weighted IMD score and the
  shares of LSOAs and of people in the national most deprived 10% and 20%, for any set of
  LSOAs / each locality;
* :func:`decile_distribution`: the place's population across national deciles;
* :func:`domain_profile`: the share of LSOAs in the national most deprived decile per domain;
* :func:`weighted_rate`: IDACI / IDAOPI as the share of children / older people who are
  income deprived (score weighted by the index's own denominator);
* :func:`place_summary_ranks`, :func:`llr_authority_ranks`: the MHCLG local-authority summary
  measures and their national ranks (table ``deprivation/la_summaries``);
* :func:`headlines`: the figures the overview page shows.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

import numpy as np
import pandas as pd

from llr_analysis.errors import ParameterError
from llr_analysis.places import get_locality_level, get_place, load_places
from llr_analysis.process import read_table
from llr_analysis.process.deprivation import DOMAINS, EDITIONS, INDEX_LABELS
from llr_analysis.stats.benchmark import NOT_TESTED
from llr_analysis.stats.imd_measures import MEASURES
from llr_analysis.stats.weighted import weighted_mean

__all__ = [
    "EDITIONS",
    "INDEX_LABELS",
    "MEASURE_LABELS",
    "PROFILE_INDICES",
    "check_edition",
    "decile_distribution",
    "domain_profile",
    "headlines",
    "la_summaries",
    "llr_authority_ranks",
    "locality_summary",
    "lsoa_frame",
    "national_ranks_available",
    "place_summary_ranks",
    "summarise_lsoas",
    "summary_download",
    "supplementary_summary",
    "weighted_rate",
]

#: The indices of the domain profile and of the local-authority summaries, in MHCLG's order.
PROFILE_INDICES = ["imd", *DOMAINS, "idaci", "idaopi"]

#: Short labels of the five MHCLG summary measures (all: higher value = more deprived).
MEASURE_LABELS = {
    "average_score": "Average score",
    "average_rank": "Average rank",
    "prop_lsoas_most_deprived_10": "Proportion of LSOAs in most deprived 10%",
    "extent": "Extent",
    "local_concentration": "Local concentration",
}

#: Sources registry ids of each edition's LSOA data (for the CSV downloads).
SOURCE_IDS = {"IoD2025": "iod2025_file7_llr; iod2025_england", "IoD2019": "iod2019_file7"}

#: Headline labels of the national ranks.
HEADLINE_RANK_LABELS = {
    "prop_lsoas_most_deprived_10": "National rank: share of LSOAs in England's most deprived 10% (IMD)",
    "average_score": "National rank: average IMD score",
}

#: Short index labels for chart axes.
SHORT_LABELS = {
    "imd": "IMD (overall)",
    "income": "Income",
    "employment": "Employment",
    "education": "Education, skills and training",
    "health": "Health and disability",
    "crime": "Crime",
    "barriers": "Barriers to housing and services",
    "living_environment": "Living environment",
    "idaci": "Income: children (IDACI)",
    "idaopi": "Income: older people (IDAOPI)",
}

#: Column headings for the national ranks on the five summary measures.
RANK_HEADINGS = {
    "rank_average_score": "Rank: average score",
    "rank_average_rank": "Rank: average rank",
    "rank_prop_lsoas_most_deprived_10": "Rank: % of LSOAs in most deprived 10%",
    "rank_extent": "Rank: extent",
    "rank_local_concentration": "Rank: local concentration",
}

#: Readable names of the population denominators.
DENOMINATOR_LABELS = {
    "population": "total population",
    "working_age": "working-age population",
    "children_0_15": "children aged 0-15",
    "older_60_plus": "people aged 60 and over",
}


def check_edition(edition: str) -> str:
    for e in EDITIONS:
        if str(edition).strip().lower() == e.lower():
            return e
    raise ParameterError(f"unknown IoD edition {edition!r}; expected one of {list(EDITIONS)}")


def lsoa_frame(edition: str, place: str | None = None, index_id: str = "imd", paths=None) -> pd.DataFrame:
    """One row per LLR LSOA of the edition's geography: names, locality codes, score, rank, decile and the
    population denominators (``population``, ``children_0_15``, ``older_60_plus``, ``working_age``)."""
    edition = check_edition(edition)
    iod = read_table("deprivation/iod_lsoa", paths)
    iod = iod[(iod["edition"] == edition) & (iod["index_id"] == index_id)]
    pop = read_table("deprivation/iod_population", paths)
    pop = pop[pop["edition"] == edition][["lsoa_code", *[c for c in DENOMINATOR_LABELS if c in pop]]]
    if EDITIONS[edition]["lsoa_vintage"] == 2021:
        geo = read_table("geography/lsoa21", paths).rename(
            columns={"lsoa21_code": "lsoa_code", "lsoa21_name": "lsoa_name"}
        )
    else:
        geo = read_table("geography/lsoa11", paths).rename(
            columns={"lsoa11_code": "lsoa_code", "lsoa11_name": "lsoa_name"}
        )
    df = geo.merge(iod.drop(columns=["lad_code"]), on="lsoa_code", how="left").merge(pop, on="lsoa_code", how="left")
    if place is not None:
        df = df[df["place_id"] == get_place(place).id]
    return df.reset_index(drop=True)


def _locality_columns(edition: str, level: str) -> tuple[str, str]:
    lv = get_locality_level(level)
    if EDITIONS[edition]["lsoa_vintage"] == 2021:
        # lsoa_frame names the LSOA columns lsoa_code / lsoa_name in both vintages
        renamed = {"lsoa21_code": "lsoa_code", "lsoa21_name": "lsoa_name"}
        return renamed.get(lv.code_column, lv.code_column), renamed.get(lv.name_column, lv.name_column)
    mapping = {
        "district": ("lad_code", "lad_name"),
        "msoa": ("msoa11_code", "msoa11_name"),
        "lsoa": ("lsoa_code", "lsoa_name"),
    }
    if level not in mapping:
        raise ParameterError(
            f"{edition} is on LSOA 2011 geography: locality level {level!r} is not available "
            f"(use one of {sorted(mapping)})"
        )
    return mapping[level]


def summarise_lsoas(g: pd.DataFrame) -> pd.Series:
    """LSOAs, population, population-weighted IMD score, and % of LSOAs and of population in the
    national most deprived 10% and 20% (deciles 1 and 1-2) for a set of LSOAs.

    The average score is MHCLG's "average score" summary measure (IoD2019 Research report,
    Appendix A): the mean of the LSOA scores weighted by their population denominators.
    """
    pop = g["population"] if "population" in g else pd.Series(np.nan, index=g.index)
    has_pop = not pop.isna().any()
    in10, in20 = g["decile"] <= 1, g["decile"] <= 2
    return pd.Series(
        {
            "lsoas": len(g),
            "population": pop.sum() if has_pop else np.nan,
            "avg_imd_score": weighted_mean(g["score"], pop),
            "pct_lsoas_most_deprived_10": 100 * in10.mean(),
            "pct_lsoas_most_deprived_20": 100 * in20.mean(),
            "pct_pop_most_deprived_10": 100 * pop[in10].sum() / pop.sum() if has_pop else np.nan,
            "pct_pop_most_deprived_20": 100 * pop[in20].sum() / pop.sum() if has_pop else np.nan,
        }
    )


def locality_summary(df: pd.DataFrame, edition: str, level: str) -> pd.DataFrame:
    """:func:`summarise_lsoas` for each locality of ``level``, most deprived first."""
    code_col, name_col = _locality_columns(check_edition(edition), level)
    # cast: pandas-stubs lack apply's include_groups (pandas >= 2.2 has it; 2.x needs it to leave the keys out)
    out = cast(Any, df.groupby([code_col, name_col])).apply(summarise_lsoas, include_groups=False)
    out = out.reset_index().rename(columns={code_col: "area_code", name_col: "area_name"})
    out["lsoas"] = out["lsoas"].astype(int)
    out["population"] = out["population"].round().astype("Int64")
    return out.sort_values("avg_imd_score", ascending=False, na_position="last").reset_index(drop=True)


def decile_distribution(df: pd.DataFrame) -> pd.DataFrame:
    """Share of the population (or of LSOAs, where population is missing) in each national decile."""
    weight = "population" if "population" in df and not df["population"].isna().any() else None
    g = df.groupby("decile")
    counts = g["population"].sum() if weight else g.size()
    out = (counts / counts.sum() * 100).reindex(range(1, 11), fill_value=0.0).rename("percent").reset_index()
    out["basis"] = "population" if weight else "LSOAs"
    return out


# ------------------------------------------------------------------ domain profile, IDACI / IDAOPI


def england_share_decile1(edition: str) -> float:
    """% of England's LSOAs in national decile 1: MHCLG's decile 1 is ranks 1..floor(N/10) (N LSOAs)."""
    n = EDITIONS[check_edition(edition)]["n_lsoas"]
    return 100 * (n // 10) / n


def domain_profile(iod: pd.DataFrame, lsoa_codes, edition: str) -> pd.DataFrame:
    """Share of a set of LSOAs in the national most deprived decile, for the IMD and each index.

    ``iod``: rows of ``deprivation/iod_lsoa`` (``edition``, ``lsoa_code``, ``index_id``,
    ``decile``). Returns one row per index of :data:`PROFILE_INDICES` that covers all the
    LSOAs (IDACI/IDAOPI only where the file has them): ``index_id``, ``label``, ``lsoas``,
    ``short_label``, ``lsoas_decile1``, ``pct_lsoas_decile1`` and ``england_pct`` (England's share, just under
    10% by MHCLG's decile cut).
    """
    edition = check_edition(edition)
    codes = pd.Index(pd.unique(pd.Series(list(lsoa_codes))))
    rows = iod[(iod["edition"] == edition) & iod["index_id"].isin(PROFILE_INDICES) & iod["lsoa_code"].isin(codes)]
    g = rows.groupby("index_id")
    out = pd.DataFrame({"lsoas": g.size(), "lsoas_decile1": g["decile"].apply(lambda d: int((d == 1).sum()))})
    out = out[out["lsoas"] == len(codes)]
    out["pct_lsoas_decile1"] = 100 * out["lsoas_decile1"] / out["lsoas"]
    out["england_pct"] = england_share_decile1(edition)
    out = out.reindex([i for i in PROFILE_INDICES if i in out.index])
    out.insert(0, "label", [INDEX_LABELS[i] for i in out.index])
    out.insert(1, "short_label", [SHORT_LABELS[i] for i in out.index])
    return out.rename_axis("index_id").reset_index()


def weighted_rate(df: pd.DataFrame, weight_col: str) -> pd.Series:
    """IDACI / IDAOPI for a set of LSOAs as a percentage of its children / older people.

    IDACI's score is the proportion of an LSOA's children aged 0-15 living in income-deprived
    families, IDAOPI's the proportion of its people aged 60 and over who are income deprived
    (IoD2019 Technical report, section 3.2). Weighting each LSOA's score by its own denominator
    (``children_0_15`` / ``older_60_plus``) gives the share for the whole set - MHCLG's
    "average score" of these indices. Also the number of LSOAs and the share of them in
    national decile 1. NaN where any denominator is missing.
    """
    w = df[weight_col] if weight_col in df else pd.Series(np.nan, index=df.index)
    return pd.Series(
        {
            "lsoas": len(df),
            "people": w.sum() if not w.isna().any() else np.nan,
            "pct_income_deprived": 100 * weighted_mean(df["score"], w),
            "pct_lsoas_decile1": 100 * (df["decile"] == 1).mean(),
        }
    )


def supplementary_summary(
    df: pd.DataFrame, edition: str, level: str, weight_col: str, total_name: str | None = None
) -> pd.DataFrame:
    """:func:`weighted_rate` for each locality (most deprived first), plus a total row when ``total_name``."""
    code_col, name_col = _locality_columns(check_edition(edition), level)
    out = (  # cast: as in locality_summary
        cast(Any, df.groupby([code_col, name_col]))
        .apply(weighted_rate, weight_col, include_groups=False)
        .reset_index()
        .rename(columns={code_col: "area_code", name_col: "area_name"})
    )
    out = out.sort_values("pct_income_deprived", ascending=False, na_position="last")
    if total_name is not None:
        total = weighted_rate(df, weight_col)
        out = pd.concat([out, pd.DataFrame([{"area_code": "", "area_name": total_name, **total}])], ignore_index=True)
    out["lsoas"] = out["lsoas"].astype(int)
    out["people"] = out["people"].round().astype("Int64")
    return out.reset_index(drop=True)


# ------------------------------------------------------------------ local-authority summary measures


def la_summaries(paths=None) -> pd.DataFrame:
    """The processed table of MHCLG summary measures for every English district and upper-tier authority."""
    return read_table("deprivation/la_summaries", paths)


def national_ranks_available(summaries: pd.DataFrame, edition: str) -> dict[str, bool]:
    """For each summary measure, whether the edition's IMD has national ranks (i.e. population
    denominators for all of England where the measure needs them)."""
    s = summaries[(summaries["edition"] == check_edition(edition)) & (summaries["index_id"] == "imd")]
    return {m: bool(s[f"rank_{m}"].notna().all()) and len(s) > 0 for m in MEASURES}


def place_summary_ranks(summaries: pd.DataFrame, place: str, edition: str) -> pd.DataFrame:
    """The place's five summary measures and national ranks among upper-tier authorities, per index.

    Leicester, Leicestershire and Rutland are each an upper-tier authority (unitary authority or
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


def llr_authority_ranks(summaries: pd.DataFrame, edition: str, index_id: str = "imd") -> pd.DataFrame:
    """Every LLR authority's summary measures and national ranks for one index.

    The nine districts are ranked among England's districts (IoD2019: 317 on 2019 boundaries;
    IoD2025: 296, 2024), the three places among upper-tier authorities (151 / 153): Leicester
    and Rutland, as unitary authorities, appear at both levels.
    """
    cfg = load_places()
    edition = check_edition(edition)
    s = summaries[(summaries["edition"] == edition) & (summaries["index_id"] == index_id)]
    districts = s[(s["area_level"] == "district") & s["area_code"].isin(cfg.all_district_codes)]
    districts = districts.set_index("area_code").reindex(cfg.all_district_codes).reset_index()
    upper = s[(s["area_level"] == "upper_tier") & s["area_code"].isin([p.code for p in cfg.places.values()])]
    upper = upper.set_index("area_code").reindex([p.code for p in cfg.places.values()]).reset_index()
    out = pd.concat([districts, upper], ignore_index=True)
    label = {"district": "districts", "upper_tier": "counties and unitary authorities"}
    out.insert(
        2, "compared_with", [f"{n} {label[lv]}" for n, lv in zip(out["n_areas"], out["area_level"], strict=True)]
    )
    return out


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


# ------------------------------------------------------------------ headlines


def _england_population_values(edition: str, paths=None) -> tuple[float, float]:
    """England's population-weighted IMD score and % of people in decile 1; NaN when the edition's
    population denominators do not cover all of England (IoD2025 offline)."""
    iod = read_table("deprivation/iod_lsoa", paths)
    iod = iod[(iod["edition"] == edition) & (iod["index_id"] == "imd")]
    pop = read_table("deprivation/iod_population", paths)
    pop = pop[pop["edition"] == edition][["lsoa_code", "population"]]
    e = iod.merge(pop, on="lsoa_code", how="left")
    if e["population"].isna().any():
        return float("nan"), float("nan")
    return (
        weighted_mean(e["score"], e["population"]),
        100 * e.loc[e["decile"] == 1, "population"].sum() / e["population"].sum(),
    )


def headlines(paths=None) -> pd.DataFrame:
    """Headline deprivation figures for Leicester, Leicestershire, Rutland and LLR (overview page).

    Per area: % of LSOAs and % of people in England's most deprived 10% (IoD2025), the
    population-weighted IMD score (IoD2025), and for the three places the national rank among
    upper-tier authorities on the proportion of LSOAs in the most deprived 10% (IoD2025) and on
    the average score (the latest edition whose population denominators cover all of England:
    IoD2019 offline). None has sampling error (counts of areas, shares of population estimates,
    scores): no interval or verdict (:data:`~llr_analysis.analysis.overview.NOT_TESTED`), said in words.
    """
    cfg = load_places()
    edition = "IoD2025"
    summaries = la_summaries(paths)
    n_lsoas_england = EDITIONS[edition]["n_lsoas"]
    eng_score, eng_pop10 = _england_population_values(edition, paths)
    eng_lsoa10 = england_share_decile1(edition)
    pop_note = "" if not np.isnan(eng_score) else "England value needs IoD2025 population for all of England"
    places = list(cfg.places.values())
    areas = [(p.id, p.name, p.id) for p in places] + [(cfg.llr_short_name.lower(), cfg.llr_name, None)]
    rows = []

    def add(area_id, area_name, href, indicator, period, value, unit, england, polarity, note, ci=(np.nan, np.nan)):
        rows.append(
            {
                "topic": "deprivation",
                "indicator": indicator,
                "area_id": area_id,
                "area_name": area_name,
                "period": period,
                "value": float(value),
                "lower_95": float(ci[0]),
                "upper_95": float(ci[1]),
                "unit": unit,
                "england_value": float(england),
                "comparison": NOT_TESTED,
                "note": note,
                "href": href,
            }
        )

    for area_id, area_name, place_id in areas:
        lsoas = lsoa_frame(edition, place_id, paths=paths)
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
            "lower_is_better",
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
            "lower_is_better",
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
            "lower_is_better",
            f"higher = more deprived; {pop_note}".rstrip("; "),
        )
        if place_id is None:
            continue
        code = get_place(place_id).code
        for ed, measure in ((edition, "prop_lsoas_most_deprived_10"), (None, "average_score")):
            if ed is None:  # latest edition with a national rank on this measure
                ed = next(e for e in EDITIONS if national_ranks_available(summaries, e)[measure])
            r = summaries[
                (summaries["edition"] == ed)
                & (summaries["index_id"] == "imd")
                & (summaries["area_level"] == "upper_tier")
            ]
            row = r[r["area_code"] == code].iloc[0]
            rank = row[f"rank_{measure}"]
            ties = int((r[f"rank_{measure}"] == rank).sum())
            note = f"national rank of {row['n_areas']} counties and unitary authorities, 1 = most deprived" + (
                f" (shared by {ties})" if ties > 1 else ""
            )
            if ed != edition:
                note += f"; {ed}: {edition} population not available for all of England"
            add(
                area_id,
                area_name,
                href,
                HEADLINE_RANK_LABELS[measure],
                ed,
                rank,
                "rank",
                np.nan,
                "lower_is_better",
                note,
            )
    return pd.DataFrame(rows)


# ------------------------------------------------------------------------------ one page's figures


@dataclass(frozen=True)
class PlaceDeprivation:
    """Every figure a place's deprivation page needs, computed once (see :func:`place_deprivation`)."""

    place: str
    edition: str
    locality_level: str
    lsoas: pd.DataFrame  # the place's LSOAs with score, rank, decile, population
    llr: pd.DataFrame  # the same for all of LLR
    place_row: pd.Series  # summarise_lsoas of the place
    llr_row: pd.Series
    localities: pd.DataFrame  # locality_summary of the first area level, most deprived first
    summaries: pd.DataFrame  # la_summaries: every English authority, both editions
    ranks_available: dict[str, bool]
    full_edition: str  # the latest edition with population for every LSOA in England
    levels: tuple[str, ...] = ()  # the locality tabs (area levels of the edition, then PCNs)

    @property
    def the_place(self):
        return get_place(self.place)

    @property
    def level(self):
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
        return EDITIONS[self.edition]["population_year"]

    @property
    def has_population(self) -> bool:
        return self.place_row["population"] == self.place_row["population"]  # not NaN


def place_deprivation(place: str, edition: str = "IoD2025", locality_level: str = "all") -> PlaceDeprivation:
    """The figures of one place's deprivation page (parameters checked). ``locality_level``: ``all`` (a tab
    per level of the place the edition supports) or one level; ``localities`` are those of the first area level."""
    from llr_analysis.analysis.deprivation_localities import tab_levels

    edition = check_edition(edition)
    levels = tab_levels(place, edition)
    if str(locality_level).strip().lower() != "all":
        levels = [get_locality_level(locality_level).id]
    areas = [lv for lv in levels if get_locality_level(lv).is_area]
    locality_level = areas[0] if areas else "district"
    lsoas = lsoa_frame(edition, place)
    llr = lsoa_frame(edition)
    summaries = la_summaries()
    full = next(e for e in EDITIONS if all(national_ranks_available(summaries, e).values()))
    return PlaceDeprivation(
        place=get_place(place).id,
        edition=edition,
        locality_level=locality_level,
        lsoas=lsoas,
        llr=llr,
        place_row=summarise_lsoas(lsoas),
        llr_row=summarise_lsoas(llr),
        localities=locality_summary(lsoas, edition, locality_level),
        summaries=summaries,
        ranks_available=national_ranks_available(summaries, edition),
        full_edition=full,
        levels=tuple(levels),
    )


def upper_tier_rank(d: PlaceDeprivation, edition: str, measure: str) -> tuple[int, int, int]:
    """The place's national rank among counties and unitary authorities on an IMD summary measure:
    (rank, number of areas, number of areas sharing the rank)."""
    s = d.summaries
    ut = s[(s["edition"] == edition) & (s["index_id"] == "imd") & (s["area_level"] == "upper_tier")]
    r = ut.set_index("area_code").loc[d.the_place.code, f"rank_{measure}"]
    return int(r), len(ut), int((ut[f"rank_{measure}"] == r).sum())


def unranked_indices(d: PlaceDeprivation) -> list[str]:
    """Indices with no upper-tier ranks in this build (their data covers LLR only)."""
    s = d.summaries
    ut = s[(s["edition"] == d.edition) & (s["area_level"] == "upper_tier")]
    return [
        INDEX_LABELS[i]
        for i in PROFILE_INDICES
        if i in set(ut["index_id"]) and ut.loc[ut["index_id"] == i, "rank_prop_lsoas_most_deprived_10"].isna().all()
    ]
