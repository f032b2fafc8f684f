"""Summary measures of the English Indices of Deprivation for groups of LSOAs.

MHCLG publishes five summary measures for local authority districts (IoD2019 File 10),
upper-tier authorities and other larger areas, each with a national rank among those
areas. The definitions used here are those of:

* *The English Indices of Deprivation 2019: Technical report* (McLennan, Noble, Noble,
  Plunkett, Wright and Gutacker; MHCLG, September 2019), Appendix N, summary measures for
  higher-level geographies (the extent sliding scale below is quoted from it); and
* *The English Indices of Deprivation 2019: Research report* (Noble, McLennan, Noble,
  Plunkett, Gutacker, Silk and Wright; MHCLG, September 2019), section on the summary
  measures for larger areas, whose wording the notes of File 10 repeat ("Population
  weighted average of the ranks of a larger area's most deprived LSOAs that contain
  exactly 10% of the larger area's population", "LSOAs are ranked such that the most
  deprived LSOA is given the rank of 32,844", "the rank of 1 (most deprived) is given to
  the area with the highest score", ...).
* The IoD2025 (MHCLG, 30 October 2025) area summaries carry the same five measures
  ("IMD - Average rank", "IMD - Average score", "IMD - Proportion of LSOAs in most
  deprived 10% nationally", "IMD 2025 - Extent", "IMD 2025 - Local concentration", each
  with its "Rank of ..."), so the same code applies with N = 33,755.

This module computes them for any grouping of LSOAs (a district, an upper-tier authority
or any custom locality: MSOA, ward, PCN footprint, ...), vectorised with one sort and
grouped sums / cumulative sums (no per-row or per-group Python loop): all of England
(~33,000 LSOAs, ~300 districts) takes a few tens of milliseconds.

Input conventions
-----------------
One row per LSOA, with

* ``rank_col``: the LSOA's **national** rank among all ``N`` LSOAs in England, where
  1 is the most deprived (the published File 1/7 convention). Tied ranks are allowed
  (the IoD2019 IMD ranks of File 1/7 include 26 tied pairs).
* ``score_col``: the LSOA score (higher = more deprived).
* ``population_col``: the population denominator (for IoD2019 File 10 MHCLG used the mid-2015
  "Total population" for the IMD and most domains, the working-age population for Employment,
  dependent children aged 0-15 for IDACI and people aged 60+ for IDAOPI).
* ``N`` (``n_lsoas_national``): 32,844 for IoD2019 (LSOA 2011), 33,755 for IoD2025
  (LSOA 2021). When the input holds only some LSOAs (e.g. the LSOAs of one
  ICS) ``N`` **must** be given, because the 10% and 30% thresholds are national.

The measures (direction as published: for every measure a **higher value means more
deprived**, and the rank among areas gives 1 to the most deprived):

1. **Average score**: population-weighted mean of the LSOA scores.
2. **Average rank**: population-weighted mean of the LSOA ranks, after the ranks have
   been *reversed* so that the most deprived LSOA has rank ``N`` (``N + 1 - rank``).
   This is the published File 10 convention ("LSOAs are ranked such that the most
   deprived LSOA is given the rank of 32,844"), so a higher average rank is more
   deprived. (Because the reversal is linear, ``N + 1 - average_rank`` is the
   population-weighted mean of the original ranks and the ranking of areas is the same.)
3. **Proportion of LSOAs in the most deprived 10% nationally**: the share of the area's
   LSOAs (a count, not population-weighted) whose national rank is within the most
   deprived 10% of all LSOAs, i.e. ``rank <= N / 10``. This is exactly national decile 1:
   ranks 1-3,284 for IoD2019 (N = 32,844), ranks 1-3,375 for IoD2025 (N = 33,755).
4. **Extent**: the proportion of the area's population living in the most deprived LSOAs
   nationally, on a weighted sliding scale over the most deprived 30%. With the LSOA's
   national percentile ``p = ceil(100 * rank / N)`` (1 = most deprived percentile):
   weight 1.0 for ``p <= 10``; for ``11 <= p <= 30`` the weight starts at 0.95 in the
   11th percentile and falls by ``(0.95 - 0.05) / 19`` per percentile to 0.05 in the
   30th; weight 0 beyond the 30th percentile (Technical report, Appendix N). Extent is
   ``sum(weight * population) / sum(population)``; areas with no LSOA in the most
   deprived 30% score 0.
5. **Local concentration**: population-weighted mean of the (reversed) ranks of the
   area's most deprived LSOAs that together contain exactly 10% of the area's
   population. LSOAs are taken from the most deprived (lowest national rank) until 10%
   of the area's population is reached; the LSOA that straddles the 10% point counts
   only with the part of its population needed to make up exactly 10%. Higher = more
   deprived.

Ranks among areas
-----------------
Every measure is ranked among the groups present in the input (for all 317 IoD2019
districts this reproduces the published File 10 ranks that the tests check): rank 1 goes to the
highest value (most deprived) of each measure. Ties share the lowest rank of the tied
block ("min", i.e. 1, 2, 2, 4), as in a spreadsheet RANK; in practice ties occur for the
proportion and extent measures, where every area with no deprived LSOA scores 0. Groups
whose measure is missing (see below) get a missing rank and do not take a rank place.

Missing data
------------
* Population missing for any LSOA of a group: the population-dependent measures of that
  group (``population``, ``average_score``, ``average_rank``, ``extent``,
  ``local_concentration``) are NaN; missing population is never treated as zero.
  ``prop_lsoas_most_deprived_10`` (a count of LSOAs) is still computed.
* Score missing for any LSOA of a group: ``average_score`` of that group is NaN.
* Rank missing, a rank outside ``1..N``, or a negative population raises ``ValueError``.
* LSOAs whose group is missing are left out.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

__all__ = [
    "MEASURES",
    "N_LSOAS_IOD2019",
    "N_LSOAS_IOD2025",
    "average_rank",
    "average_score",
    "extent",
    "extent_weight",
    "local_concentration",
    "proportion_most_deprived_10",
    "rank_areas",
    "summary_measures",
]

#: Number of LSOAs (2011) in England ranked by the IoD2019.
N_LSOAS_IOD2019 = 32_844
#: Number of LSOAs (2021) in England ranked by the IoD2025.
N_LSOAS_IOD2025 = 33_755

#: The five summary measures, in the order of the output columns. For every one of them
#: a higher value is more deprived and gets a lower area rank (1 = most deprived).
MEASURES = (
    "average_score",
    "average_rank",
    "prop_lsoas_most_deprived_10",
    "extent",
    "local_concentration",
)

# Share of an area's population used by the local concentration measure.
_LOCAL_CONCENTRATION_SHARE = 0.10


# --------------------------------------------------------------------------- inputs


def _frame(
    lsoas: pd.DataFrame,
    group_col: str,
    *,
    rank_col: str | None = None,
    score_col: str | None = None,
    population_col: str | None = None,
    n_lsoas_national: int | None = None,
) -> tuple[pd.DataFrame, int]:
    """Validate the input and return a compact frame (group, rank, score, pop) and N."""
    needed = [group_col] + [c for c in (rank_col, score_col, population_col) if c is not None]
    missing = [c for c in needed if c not in lsoas.columns]
    if missing:
        raise ValueError(f"summary measures: columns not in the LSOA table: {missing}")

    df = pd.DataFrame({"group": lsoas[group_col].to_numpy()})
    df = df[df["group"].notna()]
    keep = df.index.to_numpy()
    n = 0
    if rank_col is not None:
        df["rank"], n = _national_ranks(lsoas, rank_col, keep, n_lsoas_national)
    if score_col is not None:
        df["score"] = pd.to_numeric(lsoas[score_col], errors="coerce").to_numpy(dtype="float64")[keep]
    if population_col is not None:
        pop = pd.to_numeric(lsoas[population_col], errors="coerce").to_numpy(dtype="float64")[keep]
        if (pop < 0).any():
            i = int(np.flatnonzero(pop < 0)[0])
            raise ValueError(
                f"summary measures: column {population_col!r} has negative populations; "
                f"e.g. row {int(keep[i])} has {pop[i]:g}"
            )
        df["pop"] = pop
    return df.reset_index(drop=True), n


def _national_ranks(
    lsoas: pd.DataFrame, rank_col: str, keep: np.ndarray, n_lsoas_national: int | None
) -> tuple[np.ndarray, int]:
    """The national ranks of the kept rows as floats, checked against N; and N."""
    rank = pd.to_numeric(lsoas[rank_col], errors="coerce").to_numpy(dtype="float64")[keep]
    if np.isnan(rank).any():
        i = int(np.flatnonzero(np.isnan(rank))[0])
        raise ValueError(
            f"summary measures: column {rank_col!r} has {int(np.isnan(rank).sum())} missing or "
            f"non-numeric national ranks; e.g. row {int(keep[i])}"
        )
    if n_lsoas_national is None:
        n = len(lsoas)
        hint = (
            "n_lsoas_national was not given, so the input is taken to be every LSOA in "
            f"England (N = {n} rows); pass n_lsoas_national (e.g. {N_LSOAS_IOD2019} for "
            f"IoD2019, {N_LSOAS_IOD2025} for IoD2025) when the input is a subset"
        )
    else:
        n = int(n_lsoas_national)
        hint = f"n_lsoas_national = {n}"
    if n <= 0:
        raise ValueError(f"summary measures: the national number of LSOAs must be positive ({hint})")
    bad = (rank < 1) | (rank > n) | (rank != np.floor(rank))
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise ValueError(
            f"summary measures: column {rank_col!r}: {int(bad.sum())} ranks are not whole "
            f"numbers in 1..{n}; e.g. row {int(keep[i])} has {rank[i]:g} ({hint})"
        )
    return rank, n


def _group_sum(values: ArrayLike, df: pd.DataFrame, **kw: Any) -> pd.Series:
    """Sum of ``values`` (aligned with ``df``) per group, groups sorted."""
    return pd.Series(values, index=df.index).groupby(df["group"], sort=True, observed=True).sum(**kw)


def _population_known(df: pd.DataFrame) -> pd.Series:
    """True for groups where every LSOA has a population."""
    return df["pop"].notna().groupby(df["group"], sort=True, observed=True).all()


def _weighted_mean(df: pd.DataFrame, values: np.ndarray) -> pd.Series:
    """Population-weighted mean of ``values`` per group; NaN if any population (or value) is missing."""
    pop = df["pop"].to_numpy()
    num = _group_sum(values * pop, df)
    den = _group_sum(pop, df)
    complete = pd.Series(~np.isnan(values) & ~np.isnan(pop), index=df.index)
    all_complete = complete.groupby(df["group"], sort=True, observed=True).all()
    with np.errstate(invalid="ignore", divide="ignore"):
        out = num / den
    return out.where(all_complete & (den > 0))


# --------------------------------------------------------------------------- measures


def _average_score(df: pd.DataFrame) -> pd.Series:
    return _weighted_mean(df, df["score"].to_numpy()).rename("average_score")


def _average_rank(df: pd.DataFrame, n: int) -> pd.Series:
    return _weighted_mean(df, (n + 1) - df["rank"].to_numpy()).rename("average_rank")


def _proportion_most_deprived_10(df: pd.DataFrame, n: int) -> pd.Series:
    # rank <= N/10, written without division: 10 * rank <= N (decile 1 exactly).
    in_top10 = pd.Series(10 * df["rank"].to_numpy() <= n, index=df.index)
    return in_top10.groupby(df["group"], sort=True, observed=True).mean().rename("prop_lsoas_most_deprived_10")


def _extent(df: pd.DataFrame, n: int) -> pd.Series:
    return _weighted_mean(df, extent_weight(df["rank"].to_numpy(), n)).rename("extent")


def _local_concentration(df: pd.DataFrame, n: int) -> pd.Series:
    # Most deprived first within each group; stable so tied ranks keep input order.
    d = df[["group", "rank", "pop"]].sort_values(["group", "rank"], kind="mergesort")
    g = d["group"]
    pop = d["pop"].to_numpy()
    cum = d["pop"].groupby(g, sort=False, observed=True).cumsum().to_numpy()
    total = d["pop"].groupby(g, sort=False, observed=True).transform("sum").to_numpy()
    target = _LOCAL_CONCENTRATION_SHARE * total
    # Population of each LSOA that falls within the first 10% of the group's population:
    # whole LSOAs before the 10% point, the needed part of the one straddling it, 0 after.
    counted = np.clip(target - (cum - pop), 0.0, pop)
    num = _group_sum(counted * ((n + 1) - d["rank"].to_numpy()), d)
    den = _group_sum(counted, d)
    with np.errstate(invalid="ignore", divide="ignore"):
        out = num / den
    return out.where(_population_known(df) & (den > 0)).rename("local_concentration")


def extent_weight(rank: ArrayLike, n_lsoas_national: int) -> np.ndarray:
    """Extent weight of LSOAs with national rank ``rank`` (1 = most deprived) among ``N``.

    The LSOA's national percentile is ``p = ceil(100 * rank / N)`` (percentile 1 = the most
    deprived 1% of LSOAs). Weight 1.0 for ``p <= 10``; for ``11 <= p <= 30`` the weight is
    ``0.95 - (p - 11) * (0.95 - 0.05) / 19`` (0.95 in the 11th percentile down to 0.05 in
    the 30th); 0 beyond the 30th percentile. Source: IoD2019 Technical report, Appendix N.

    >>> extent_weight([1, 3284, 3285, 9853, 9854], 32_844).round(4).tolist()
    [1.0, 1.0, 0.95, 0.05, 0.0]
    """
    r = np.asarray(rank, dtype="float64")
    # ceil(100 r / N) without floating-point division error for whole-number ranks.
    pct = -np.floor_divide(-100 * r, n_lsoas_national)
    sliding = 0.95 - (pct - 11) * (0.95 - 0.05) / 19
    return np.select([pct <= 10, pct <= 30], [1.0, sliding], default=0.0)


def average_score(lsoas: pd.DataFrame, group_col: str, *, score_col: str, population_col: str) -> pd.Series:
    """Population-weighted mean LSOA score per group (higher = more deprived).

    IoD2019 Research report, chapter 3 / File 10 "Average score". NaN for a group with any
    missing population or score.
    """
    df, _ = _frame(lsoas, group_col, score_col=score_col, population_col=population_col)
    return _average_score(df)


def average_rank(
    lsoas: pd.DataFrame,
    group_col: str,
    *,
    rank_col: str,
    population_col: str,
    n_lsoas_national: int | None = None,
) -> pd.Series:
    """Population-weighted mean of the reversed LSOA ranks (``N + 1 - rank``) per group.

    Published convention (IoD2019 File 10 "Average rank"): the most deprived LSOA counts
    as rank N, so a **higher** average rank is **more** deprived. NaN for a group with any
    missing population.
    """
    df, n = _frame(
        lsoas, group_col, rank_col=rank_col, population_col=population_col, n_lsoas_national=n_lsoas_national
    )
    return _average_rank(df, n)


def proportion_most_deprived_10(
    lsoas: pd.DataFrame,
    group_col: str,
    *,
    rank_col: str,
    n_lsoas_national: int | None = None,
) -> pd.Series:
    """Share of each group's LSOAs with national rank ``<= N/10`` (national decile 1).

    Unweighted (a count of LSOAs), so it needs no population. IoD2019 File 10
    "Proportion of LSOAs in most deprived 10% nationally".
    """
    df, n = _frame(lsoas, group_col, rank_col=rank_col, n_lsoas_national=n_lsoas_national)
    return _proportion_most_deprived_10(df, n)


def extent(
    lsoas: pd.DataFrame,
    group_col: str,
    *,
    rank_col: str,
    population_col: str,
    n_lsoas_national: int | None = None,
) -> pd.Series:
    """Share of each group's population in the most deprived 30% of LSOAs, sliding-weighted.

    See :func:`extent_weight` for the weights. NaN for a group with any missing population.
    """
    df, n = _frame(
        lsoas, group_col, rank_col=rank_col, population_col=population_col, n_lsoas_national=n_lsoas_national
    )
    return _extent(df, n)


def local_concentration(
    lsoas: pd.DataFrame,
    group_col: str,
    *,
    rank_col: str,
    population_col: str,
    n_lsoas_national: int | None = None,
) -> pd.Series:
    """Population-weighted mean reversed rank of the most deprived LSOAs holding 10% of each group's people.

    The LSOA straddling the 10% point counts with only the part of its population needed
    to reach exactly 10%. Higher = more deprived. NaN for a group with any missing
    population.
    """
    df, n = _frame(
        lsoas, group_col, rank_col=rank_col, population_col=population_col, n_lsoas_national=n_lsoas_national
    )
    return _local_concentration(df, n)


# --------------------------------------------------------------------------- ranks


def rank_areas(values: pd.Series) -> pd.Series:
    """Rank areas on a summary measure: 1 = highest value = most deprived.

    Ties share the lowest rank of their block ("min": 1, 2, 2, 4); missing values get a
    missing rank. Returns nullable integers (``Int64``).
    """
    return values.rank(method="min", ascending=False, na_option="keep").astype("Int64")


# --------------------------------------------------------------------------- all together


def summary_measures(
    lsoas: pd.DataFrame,
    group_col: str,
    *,
    score_col: str,
    rank_col: str,
    population_col: str,
    n_lsoas_national: int | None = None,
) -> pd.DataFrame:
    """The five MHCLG summary measures and their ranks, one row per group.

    Parameters
    ----------
    lsoas
        One row per LSOA.
    group_col
        Column naming the area each LSOA belongs to (district, upper-tier authority, MSOA,
        ward, PCN footprint, ...). Rows with a missing group are left out.
    score_col, rank_col, population_col
        LSOA score (higher = more deprived), national LSOA rank (1 = most deprived of all
        LSOAs in England) and population denominator.
    n_lsoas_national
        Number of LSOAs in England that ``rank_col`` ranks (32,844 for IoD2019, 33,755 for
        IoD2025). ``None`` means the input *is* all of England and ``N = len(lsoas)``;
        give it whenever the input is a subset.

    Returns
    -------
    DataFrame indexed by the group (index name ``group_col``), sorted by group, with
    columns ``n_lsoas``, ``population``, the five measures (see the module docstring:
    ``average_score``, ``average_rank``, ``prop_lsoas_most_deprived_10``, ``extent``,
    ``local_concentration``; all "higher = more deprived") and ``rank_<measure>`` for each
    (1 = most deprived among the groups in the input; ties "min"; ``Int64``).

    With all 32,844 IoD2019 LSOAs grouped by "Local Authority District code (2019)" and the
    mid-2015 population denominators this reproduces IoD2019 File 10.
    """
    df, n = _frame(
        lsoas,
        group_col,
        rank_col=rank_col,
        score_col=score_col,
        population_col=population_col,
        n_lsoas_national=n_lsoas_national,
    )
    out = pd.DataFrame(
        {
            "n_lsoas": df.groupby("group", sort=True, observed=True).size().astype("int64"),
            "population": _group_sum(df["pop"].to_numpy(), df).where(_population_known(df)),
        }
    )
    out["average_score"] = _average_score(df)
    out["average_rank"] = _average_rank(df, n)
    out["prop_lsoas_most_deprived_10"] = _proportion_most_deprived_10(df, n)
    out["extent"] = _extent(df, n)
    out["local_concentration"] = _local_concentration(df, n)
    for m in MEASURES:
        out[f"rank_{m}"] = rank_areas(out[m])
    out.index.name = group_col
    return out
