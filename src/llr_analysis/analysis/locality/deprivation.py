"""A locality's deprivation figures: IoD2025 for areas (wards, districts), the third-party
registered-population-weighted IMD 2019 for PCNs; its people by national decile and its domains."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from llr_analysis.analysis.locality.figure import estimate_share, figure_row
from llr_analysis.analysis.locality.load import IOD_EDITION, LocalityData, shared
from llr_analysis.analysis.locality.localities import Locality, area_sets
from llr_analysis.places import load_places

#: The IMD and its seven domains, with the labels the deprivation page uses (its ``SHORT_LABELS``;
#: a test keeps them the same).
DOMAINS = {
    "imd": "IMD (overall)",
    "income": "Income",
    "employment": "Employment",
    "education": "Education, skills and training",
    "health": "Health and disability",
    "crime": "Crime",
    "barriers": "Barriers to housing and services",
    "living_environment": "Living environment",
}


def iod_subset(iod: pd.DataFrame, codes: list[str] | None) -> pd.DataFrame:
    """The rows of ``LocalityData.iod`` of these LSOAs (None: all England)."""
    return iod if codes is None else iod[iod.index.isin(codes)]


def subsets(data: LocalityData, loc: Locality) -> dict[str, pd.DataFrame]:
    """The IoD rows of the locality, its place, the ICS and England (the last three worked out once)."""
    sets = area_sets(data.lsoa21, loc)

    def of(key: str) -> pd.DataFrame:
        return iod_subset(data.iod, sets[key])

    return {
        "here": of("here"),
        "place": shared(data, ("iod", loc.place_id), lambda: of("place")),
        "llr": shared(data, ("iod", "llr"), lambda: of("llr")),
        "england": shared(data, ("iod", "england"), lambda: of("england")),
    }


def weighted_share(s: pd.DataFrame, value_col: str, weight_col: str) -> float:
    """Weighted mean of ``value_col`` by ``weight_col``; NaN when any weight is unknown (never a
    mean over the part of England whose denominators happen to be present: offline, IoD2025's
    denominators cover only the default places, so England's weighted figures are missing, not theirs)."""
    if s.empty or s[weight_col].isna().any() or s[weight_col].sum() <= 0:
        return float("nan")
    return float((s[value_col] * s[weight_col]).sum() / s[weight_col].sum())


def deprivation_figures(data: LocalityData, loc: Locality) -> list[dict[str, Any]]:
    """IMD 2025 for area localities: share of LSOAs in England's most deprived 10% (against England's
    10%), population-weighted IMD score, IDACI and IDAOPI (shares of children / older people income
    deprived), none tested (no sampling error); for PCNs the third-party registered-population-weighted
    IMD 2019."""
    if not loc.is_area:
        return pcn_deprivation(data, loc)
    subset = subsets(data, loc)
    src = "iod2025_england; iod2025_file7_llr"
    rows = []
    share = {k: 100 * (s["imd_decile"] == 1).mean() for k, s in subset.items()}
    here = subset["here"]
    rows.append(
        figure_row(
            "deprivation",
            "Small areas in England's most deprived 10% (% of LSOAs)",
            "%",
            IOD_EDITION,
            estimate_share(int((here["imd_decile"] == 1).sum()), len(here)),
            share["place"],
            share["llr"],
            share["england"],
            "lower_is_better",
            "IMD decile of each LSOA 2021; England is 10% by definition",
            src,
        )
    )
    score = {k: weighted_share(s, "imd_score", "population") for k, s in subset.items()}
    rows.append(
        figure_row(
            "deprivation",
            "IMD average score (population-weighted; higher = more deprived)",
            "score",
            IOD_EDITION,
            {"value": score["here"], "tested": False},
            score["place"],
            score["llr"],
            score["england"],
            "lower_is_better",
            "mean of LSOA scores weighted by mid-2022 population",
            src,
        )
    )
    for idx, weight, label in (
        ("idaci", "children_0_15", "Children aged 0-15 in income-deprived families (IDACI, %)"),
        ("idaopi", "older_60_plus", "People aged 60+ who are income deprived (IDAOPI, %)"),
    ):
        rate = {k: 100 * weighted_share(s, f"{idx}_score", weight) for k, s in subset.items()}
        count = float((here[f"{idx}_score"] * here[weight]).sum())
        rows.append(
            figure_row(
                "deprivation",
                label,
                "%",
                IOD_EDITION,
                estimate_share(count, here[weight].sum()),
                rate["place"],
                rate["llr"],
                rate["england"],
                "lower_is_better",
                f"LSOA scores weighted by their {weight.replace('_', ' ')} (mid-2022); not tested (no sampling error)",
                src,
            )
        )
    return rows


def decile_mix(data: LocalityData, loc: Locality) -> pd.DataFrame:
    """% of people in each national IMD decile (IoD2025): the locality and its place (long).

    England is not a row: 10% of its LSOAs are in each decile by definition, and its people by
    decile need the full denominators. An area with any small area's population missing gets missing
    percentages (never zero: a share of an incomplete total would be wrong)."""
    subset = subsets(data, loc)
    names = {"here": loc.name, "place": loc.place_name}
    frames = []
    for key, name in names.items():
        s = subset[key]
        if s.empty or s["population"].isna().any():
            percent = np.full(10, np.nan)
        else:
            people = s.groupby("imd_decile")["population"].sum().reindex(range(1, 11), fill_value=0)
            percent = (100 * people / people.sum()).to_numpy()
        frames.append(pd.DataFrame({"area": name, "decile": range(1, 11), "percent": percent}))
    return pd.concat(frames, ignore_index=True)


def domain_table(data: LocalityData, loc: Locality) -> pd.DataFrame:
    """For each IMD domain: % of the locality's LSOAs in England's most deprived 10% on that domain,
    with its place and the ICS (England 10% by definition)."""
    subset = subsets(data, loc)
    columns = {loc.name: "here", loc.place_name: "place", load_places().llr_short_name: "llr", "England": "england"}
    rows = []
    for idx, label in DOMAINS.items():
        rec: dict[str, str | float] = {"domain": label}
        for col, key in columns.items():
            rec[col] = 100 * float((subset[key][f"{idx}_decile"] == 1).mean())
        rows.append(rec)
    return pd.DataFrame(rows)


def pcn_deprivation(data: LocalityData, loc: Locality) -> list[dict[str, Any]]:
    """A PCN's registered-population-weighted IMD 2019 score, beside the median of its place's PCNs
    and of the ICS's (not tested: an index score, not a sample)."""
    p = data.practices
    pcn = p[p["pcn_code"] == loc.code]
    if pcn.empty or pcn["pcn_imd_score"].isna().all():
        return []
    # Each PCN once, in the place it is listed under everywhere (localities.pcns: the place of
    # most of its open practices), never the place of whichever practice comes first.
    llr = data.pcn_imd
    place = llr[llr["place_id"] == loc.place_id]
    n_place, n_llr = int(place["pcn_imd_score"].notna().sum()), int(llr["pcn_imd_score"].notna().sum())
    miss_place, miss_llr = len(place) - n_place, len(llr) - n_llr
    llr_name = load_places().llr_short_name
    return [
        figure_row(
            "deprivation",
            "IMD 2019 score of registered patients (registered-population-weighted; higher = more deprived)",
            "score",
            "IoD2019; registrations about January 2023",
            {"value": float(pcn["pcn_imd_score"].iloc[0]), "tested": False},
            float(place["pcn_imd_score"].median()),
            float(llr["pcn_imd_score"].median()),
            np.nan,
            "lower_is_better",
            "third-party derivation (R. Blackwell) from IMD 2019 and patients' LSOAs; place and "
            f"{llr_name} are the median of their PCNs ({loc.place_name}: {n_place} PCN{'' if n_place == 1 else 's'} used"
            + (f", {miss_place} without a score" if miss_place else "")
            + f"; {llr_name}: {n_llr} used"
            + (f", {miss_llr} without a score" if miss_llr else "")
            + ")",
            "pcn_imd2019_derived",
        )
    ]
