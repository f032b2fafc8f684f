"""GP practices placed by the practice rule, and primary care networks (PCNs). Pure functions.

PCNs are groups of GP practices, and a PCN belongs to the place where most of its open practices are
(ties go to the place listed first in the places file). Practices with no PCN, or closed, are never
counted in a PCN. ``practices`` is the processed GP practice table (``LocalitiesData.practices``).
"""

from __future__ import annotations

import pandas as pd

from llr_analysis.places import load_places
from llr_analysis.process.gp_practices import NOT_PLACED, assign_place, residences


def pcn_name(name: str) -> str:
    """A PCN's name as shown: ODS upper case made readable ("NORTH CITY PCN" -> "North City PCN")."""
    text = str(name).title().replace("Pcn", "PCN").replace(" And ", " and ")
    return text


def practice_places(practices: pd.DataFrame) -> pd.DataFrame:
    """The ICS's GP practices with their PCN, status and place (by the practice place rule)."""
    p = practices.copy()
    placed = _placed(p)
    p["place_id"] = [pl for pl, _ in placed]
    p["place_basis"] = [b for _, b in placed]
    return p[p["place_id"].notna()].reset_index(drop=True)


def _placed(p: pd.DataFrame) -> list[tuple[str | None, str]]:
    """``(place_id, place_basis)`` of each practice by the practice place rule, with where most of its
    registered patients live when the table has it (``resident_place_id``, ``resident_basis``)."""
    return [
        assign_place(ccg, pcn, postcode, residence=home)
        for ccg, pcn, postcode, home in zip(
            p["current_ccg_code"], p["pcn_code"], p["postcode"], residences(p), strict=True
        )
    ]


def unplaced_practices(practices: pd.DataFrame) -> pd.DataFrame:
    """Open GP practices of the ICS that the practice rule cannot place (``place_basis`` says why), by name.

    Columns ``practice_code``, ``practice_name``, ``pcn_code``, ``pcn_name``, ``postcode``, ``place_basis``.
    """
    p = practices
    p = p.assign(place_basis=[b for _, b in _placed(p)])
    p = p[p["place_basis"].str.startswith(NOT_PLACED) & p["status"].eq("active")]
    cols = ["practice_code", "practice_name", "pcn_code", "pcn_name", "postcode", "place_basis"]
    return p[cols].sort_values(["practice_name", "practice_code"]).reset_index(drop=True)


def pcns(practices: pd.DataFrame) -> pd.DataFrame:
    """Every PCN of the ICS: code, name, home place (most of its open practices), practices by place.

    Columns ``locality_code``, ``locality_name``, ``place_id``, ``n_practices``, ``places``
    (the places its practices are in, comma-separated when there are several).
    """
    cfg = load_places()
    order = {pid: i for i, pid in enumerate(cfg.places)}
    p = practice_places(practices)
    p = p[p["pcn_code"].notna() & p["status"].eq("active")]
    rows = []
    for (code, name), g in p.groupby(["pcn_code", "pcn_name"]):
        counts = g["place_id"].value_counts()
        best = sorted(counts.index, key=lambda pid: (-counts[pid], order[pid]))[0]
        rows.append(
            {
                "locality_code": code,
                "locality_name": pcn_name(str(name)),
                "place_id": best,
                "n_practices": len(g),
                "places": ", ".join(cfg.places[pid].name for pid in sorted(counts.index, key=lambda pid: order[pid])),
            }
        )
    columns = ["locality_code", "locality_name", "place_id", "n_practices", "places"]
    return pd.DataFrame(rows, columns=columns).sort_values("locality_name").reset_index(drop=True)


def pcn_imd_scores(practices: pd.DataFrame) -> pd.DataFrame:
    """Every PCN of the ICS once with its place (as listed on every page) and IMD 2019 score.

    Columns ``pcn_code``, ``pcn_name``, ``place_id``, ``pcn_imd_score`` (missing when the
    derivation has no score for it).
    """
    p = practice_places(practices)
    score = p.dropna(subset=["pcn_code"]).drop_duplicates("pcn_code").set_index("pcn_code")["pcn_imd_score"]
    listed = pcns(practices)
    return pd.DataFrame(
        {
            "pcn_code": listed["locality_code"],
            "pcn_name": listed["locality_name"],
            "place_id": listed["place_id"],
            "pcn_imd_score": listed["locality_code"].map(score).astype(float),
        }
    )
