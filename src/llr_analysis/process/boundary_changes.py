"""Boundary changes between data vintages, and what they do to small-area population figures.

* LSOA (2011) -> LSOA (2021) through the ONS exact-fit lookup (CHGIND): :func:`split_weights` shares a split
  (S) or redrawn (X) LSOA among its 2021 parts by their mid-2022 populations, age group by age group;
  :func:`to_lsoa21` applies the weights; :func:`redrawn_gaps` records the redrawn ones as known gaps.
* A district boundary redrawn through an LSOA (2011): :func:`moved_lsoas` finds those LSOAs in an ONS LSOA
  estimates file (their district differs between its older and newer boundary columns, both codes current),
  and :func:`best_fit_gaps` checks the districts' LSOA sums against ONS's district estimates within the
  moved LSOAs' people, recording the difference.

Pure functions on DataFrames (``moved_lsoas`` reads one file's three columns); used by
:mod:`llr_analysis.process.population`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from llr_analysis.errors import DataValidationError
from llr_analysis.process.checks import GAP_COLUMNS, gap
from llr_analysis.validate import read_csv, select_columns

#: ``weight_basis`` of a redrawn LSOA (CHGIND X) shared among the 2021 LSOAs it overlaps.
REDRAWN_BASIS = "mid-2022 population of the 2021 LSOAs it overlaps (redrawn: approximate)"

#: Age groups used to share a split LSOA's population among its 2021 parts, and the IoD2025
#: denominator that weights each (16-59 = total - 0-15 - 60+); None: no upper age.
SPLIT_GROUPS = {"0-15": (0, 15), "16-59": (16, 59), "60+": (60, None)}


def split_weights(mapping: pd.DataFrame, denominators: pd.DataFrame) -> pd.DataFrame:
    """Weights that share each LSOA (2011) among its LSOA (2021) parts, by age group.

    ``mapping``: lsoa11_code, lsoa21_code, change (ONS CHGIND U/S/M/X). ``denominators``:
    lsoa21_code, population, children_0_15, older_60_plus (IoD2025 File 7, mid-2022).
    Returns one row per (lsoa11_code, lsoa21_code, age_group) with ``weight`` (the share of
    the 2011 LSOA's population in that age group that goes to the 2021 LSOA) and
    ``weight_basis``. Unchanged and merged LSOAs have weight 1. For a split, weights are the
    parts' shares of the mid-2022 population in the same age group (0-15, 16-59, 60+);
    if any part lacks a denominator, or the group's total is zero, the split is equal. A redrawn
    LSOA (X: its 2021 parts also take in other 2011 LSOAs) is shared the same way among the 2021
    LSOAs it overlaps: an approximation, since the people of the overlap are not published
    (:data:`REDRAWN_BASIS` in ``weight_basis``; processing records it as a known gap).
    Weights of each (lsoa11_code, age_group) sum to 1.
    """
    d = denominators.set_index("lsoa21_code")
    group_pop = {
        "0-15": d["children_0_15"],
        "60+": d["older_60_plus"],
        "16-59": d["population"] - d["children_0_15"] - d["older_60_plus"],
    }
    parts = []
    for group in SPLIT_GROUPS:
        m = mapping[["lsoa11_code", "lsoa21_code", "change"]].copy()
        m["age_group"] = group
        shared = m["change"].isin(["S", "X"])
        m["weight_basis"] = np.select(
            [m["change"] == "S", m["change"] == "X"],
            ["mid-2022 population (IoD2025)", REDRAWN_BASIS],
            "whole LSOA",
        )
        m["basis_pop"] = m["lsoa21_code"].map(group_pop[group]).astype("float64")
        n_parts = m.groupby("lsoa11_code")["lsoa21_code"].transform("size")
        total = m.groupby("lsoa11_code")["basis_pop"].transform("sum", min_count=1)
        incomplete = m.groupby("lsoa11_code")["basis_pop"].transform(lambda s: s.isna().any())
        equal = shared & (incomplete | (total == 0))
        m["weight"] = np.where(shared, m["basis_pop"] / total, 1.0)
        m.loc[equal, "weight"] = 1.0 / n_parts[equal]
        m.loc[equal, "weight_basis"] = "equal shares (no mid-2022 population)"
        parts.append(m.drop(columns="basis_pop"))
    out = pd.concat(parts, ignore_index=True)
    sums = out.groupby(["lsoa11_code", "age_group"])["weight"].sum()
    if not np.allclose(sums, 1.0):
        raise DataValidationError(
            "LSOA (2011) to LSOA (2021) lookup",
            "split weights do not sum to 1",
            column="CHGIND",
            example=str(sums[~np.isclose(sums, 1.0)].index[0]),
        )
    return out


def age_group_of(age: pd.Series) -> pd.Series:
    """The split age group (0-15, 16-59, 60+) of each single year of age."""
    out = pd.Series(pd.NA, index=age.index, dtype="object")
    for group, (lo, hi) in SPLIT_GROUPS.items():
        out[(age >= lo) & ((age <= hi) if hi is not None else True)] = group
    return out.astype(str)


def to_lsoa21(lsoa11_age: pd.DataFrame, weights: pd.DataFrame) -> pd.DataFrame:
    """Map single-year-of-age LSOA (2011) estimates to LSOA (2021) with :func:`split_weights` weights."""
    df = lsoa11_age.assign(age_group=age_group_of(lsoa11_age["age"]))
    df = df.merge(
        weights[["lsoa11_code", "lsoa21_code", "age_group", "weight"]], on=["lsoa11_code", "age_group"], how="left"
    )
    if df["lsoa21_code"].isna().any():
        raise DataValidationError(
            "LSOA (2011) to LSOA (2021) lookup",
            "an LSOA (2011) has no LSOA (2021)",
            column="LSOA11CD",
            example=df.loc[df["lsoa21_code"].isna(), "lsoa11_code"].iloc[0],
        )
    df["population"] = df["population"] * df["weight"]
    out = df.groupby(["year", "lsoa21_code", "age"], as_index=False).agg(population=("population", "sum"))
    return out.sort_values(["year", "lsoa21_code", "age"]).reset_index(drop=True)


def _count(n: int, one: str, many: str) -> str:
    """``n`` things in words for a gap's reason: "one small area", "6 small areas"."""
    return f"one {one}" if n == 1 else f"{n:,} {many}"


def redrawn_gaps(weights: pd.DataFrame, lad21: pd.Series) -> pd.DataFrame:
    """A known gap for each district with LSOAs (2021) that take in a redrawn LSOA (2011) (CHGIND X): their
    figures are approximate shares (:data:`REDRAWN_BASIS`)."""
    x = weights.loc[weights["change"] == "X", "lsoa21_code"].drop_duplicates()
    rows = [
        gap(
            "population/lsoa21_age",
            str(lad),
            f"{_count(len(codes), 'of its small areas (LSOA 2021) was', 'of its small areas (LSOA 2021) were')} "
            "redrawn from the 2011 ones, and the people in each overlap are not published: their estimates share "
            "out the 2011 figures, an approximation",
            column="population",
        )
        for lad, codes in x.groupby(x.map(lad21)).groups.items()
    ]
    return pd.DataFrame(rows, columns=GAP_COLUMNS)


def moved_lsoas(path, spec: dict, current: set) -> pd.DataFrame:
    """LSOAs (2011) that an LSOA estimates file assigns to one current district on its older boundaries and
    to another on its newer ones: a district boundary redrawn through them (not a merger, whose old code is
    retired). Columns lsoa11_code, older, newer."""
    cols = {"LSOA Code": "lsoa11_code", spec["older_la_code"]: "older", spec["la_code"]: "newer"}
    ids = select_columns(read_csv(path, dtype=str, encoding="utf-8-sig", usecols=list(cols)), cols, path)
    both = ids["older"].isin(current) & ids["newer"].isin(current) & (ids["older"] != ids["newer"])
    return ids[both].reset_index(drop=True)


def best_fit_gaps(
    lsoa_sums: pd.Series, published: pd.Series, moved: pd.DataFrame, lsoa_age: pd.DataFrame, file
) -> pd.DataFrame:
    """The configured districts on either side of a boundary redrawn through an LSOA (2011) (``moved``): their
    sum of LSOAs (best fit) cannot equal ONS's estimate for the district's own boundary (``published``, by
    lad_code and age). Each may differ by at most the people of the LSOAs that changed district, else a
    DataValidationError; each is returned as a known gap (quality/known_gaps) giving the difference."""
    rows = []
    districts = sorted(set(moved["older"]) | set(moved["newer"]))
    for lad in districts:
        if lad not in published.index.get_level_values("lad_code"):
            continue  # not a configured district
        lsoas = moved.loc[(moved["older"] == lad) | (moved["newer"] == lad), "lsoa11_code"]
        allowed = int(lsoa_age.loc[lsoa_age["lsoa11_code"].isin(lsoas), "population"].sum())
        ours, theirs = int(lsoa_sums.xs(lad, level="lad_code").sum()), int(published.xs(lad, level="lad_code").sum())
        if abs(ours - theirs) > allowed:
            raise DataValidationError(
                file,
                f"the LSOA estimates' sum for a district redrawn through "
                f"{_count(len(lsoas), 'LSOA (2011)', 'LSOAs (2011)')} differs from the district's estimate by "
                f"{ours - theirs:+,}, more than the {allowed:,} people of the LSOAs that changed district",
                column="All ages",
                area=lad,
                example=f"{lad}: district file {theirs:,}, LSOA sum {ours:,}",
            )
        more = "more" if ours >= theirs else "fewer"
        through = _count(len(lsoas), "small area (LSOA 2011)", "small areas (LSOA 2011)")
        reason = (
            f"its boundary was redrawn through {through}, so this site's mid-2020 figures sum the small areas that "
            f"best fit it: {abs(ours - theirs):,} people ({abs(ours - theirs) / theirs:.1%}) {more} than ONS's "
            "estimate for the district (MYE2, mid-2020)"
        )
        rows.append(gap("population/lsoa11_age", lad, reason, column="population", series="sape_lsoa11_mid2020"))
    return pd.DataFrame(rows, columns=GAP_COLUMNS)
