"""The deprivation page's sentences: ranks in words, the opening summary, what the data lack."""

from __future__ import annotations

import pandas as pd

from llr_analysis.analysis.deprivation.place import PlaceDeprivation, unranked_indices, upper_tier_rank
from llr_analysis.places import LocalityLevel
from llr_analysis.process.deprivation import EDITIONS


def ordinal(n: int) -> str:
    """1 -> "1st", 2 -> "2nd", 11 -> "11th", 23 -> "23rd"."""
    n = int(n)
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def rank_phrase(rank: int, n_areas: int, ties: int = 0) -> str:
    """e.g. "32nd most deprived of 317" ("joint 193rd ..." when the rank is shared)."""
    joint = "joint " if ties > 1 else ""
    return f"{joint}{ordinal(rank)} most deprived of {int(n_areas)}"


def rank_text(d: PlaceDeprivation, edition: str, measure: str) -> str:
    """e.g. '26th most deprived of 151' (joint when shared), among counties and unitary authorities."""
    rank, n, ties = upper_tier_rank(d, edition, measure)
    return rank_phrase(rank, n, ties=ties)


def noun(level: LocalityLevel, edition: str = "IoD2025") -> str:
    """The level in a sentence: "district", "ward", "MSOA (2021)" ("MSOA (2011)" on IoD2019's geography)."""
    if level.id == "ward":
        return "ward"
    if level.id == "msoa" and EDITIONS[edition]["lsoa_vintage"] == 2011:
        return "MSOA (2011)"
    return level.label if level.label[:2].isupper() else level.label.lower()


def summary_sentence(d: PlaceDeprivation) -> str:
    """The page's opening paragraph: the place's share of LSOAs in England's most deprived 10% and 20%,
    against the ICS and England, its national ranks, and its most deprived locality."""
    p, llr, place, ed = d.place_row, d.llr_row, d.the_place, d.edition
    cfg = d.data.places
    rank = (
        f"Among England's counties and unitary authorities, {place.name} is "
        f"{rank_text(d, ed, 'prop_lsoas_most_deprived_10')} on the share of its LSOAs in the most deprived 10% "
        f"({ed})"
    )
    if d.ranks_available["average_score"]:
        rank += f" and {rank_text(d, ed, 'average_score')} on average IMD score."
    else:
        rank += (
            f"; on average IMD score it was {rank_text(d, d.full_edition, 'average_score')} in {d.full_edition} "
            f"(a national {ed} rank needs population for every LSOA in England, see below)."
        )
    share = p["pct_pop_most_deprived_10"]
    residents = (
        (
            f"None of {place.name}'s residents ({d.pop_year}) live"
            if share == 0
            else f"{share:.1f}% of {place.name}'s residents ({d.pop_year}) live"
        )
        + " in England's most deprived 10% of LSOAs. "
        if d.has_population
        else ""
    )
    most = d.localities.iloc[0]
    locality = (
        f"The most deprived {noun(d.level, d.edition)} on population-weighted average IMD score is "
        f"**{most['area_name']}** ({most['avg_imd_score']:.1f})."
        if len(d.localities) > 1 and pd.notna(most["avg_imd_score"])
        else ""
    )
    no_pop = (
        ""
        if d.has_population
        else (" (population denominators are not available for this edition, so shares are of LSOAs)")
    )
    n = int(p["lsoas"])
    ten, twenty = (_of_lsoas(p[f"pct_lsoas_most_deprived_{k}"], n) for k in (10, 20))
    return (
        f"**In summary.** Of the {n:,} LSOAs in {place.name}, "
        f"{ten} {'is' if ten.startswith(('none', '1 ')) else 'are'} among the most deprived 10% in England and "
        f"{twenty} among the most deprived 20% ({ed}). "
        f"Across {cfg.llr_short_name} the figures are {llr['pct_lsoas_most_deprived_10']:.1f}% and "
        f"{llr['pct_lsoas_most_deprived_20']:.1f}%; in England they are 10% and 20% by definition. "
        + residents
        + rank
        + " "
        + locality
        + no_pop
    )


def _of_lsoas(pct: float, n: int) -> str:
    """A share of a place's ``n`` LSOAs in words: "none", or the count and the percentage ("3 (0.7%)")."""
    count = round(pct * n / 100)
    return "none" if count == 0 else f"{count:,} ({pct:.1f}%)"


def data_notes(d: PlaceDeprivation) -> list[str]:
    """What the site's data lack for the page, in plain sentences (each shown as a note)."""
    cfg = d.data.places
    notes = []
    if d.lsoas["population"].isna().any():
        notes.append(
            f"{d.edition} population denominators are missing for some LSOAs of {d.the_place.name}: "
            "population-weighted figures are not shown."
        )
    own = not d.lsoas["population"].isna().any()  # this place has them (the offline File 7 covers one ICS)
    if not all(d.ranks_available.values()):
        notes.append(
            f"{d.edition} population denominators are available "
            + (f"for {cfg.ics_short_name} only on this site, " if own else "for one ICS's LSOAs only on this site, ")
            + "so England's population-weighted figures and the national ranks that need population come from "
            f"{d.full_edition} or are not shown."
        )
    no_rank = unranked_indices(d)
    if no_rank:
        notes.append(
            f"{d.edition}: {', '.join(no_rank)} are available on this site for "
            + (f"{cfg.ics_short_name}'s LSOAs only" if own else "one ICS's LSOAs only (not this place's)")
            + ", so no "
            "authority ranks are given for them; the LSOAs' own national ranks and deciles are complete."
        )
    return notes
