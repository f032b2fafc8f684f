"""The area table of a screening programme: coverage for a place, its PCNs (one 2023 membership for
every page), the practices shown apart (closed, no PCN, in another place's PCN), the ICS and England."""

from __future__ import annotations

from typing import Any

import pandas as pd

from llr_analysis.analysis.cancer_screening.coverage import (
    compare_with_england,
    coverage,
    gap_to_standard,
    standard_band,
)
from llr_analysis.analysis.cancer_screening.practices import england_row
from llr_analysis.analysis.cancer_screening.programmes import ENGLAND_CODE
from llr_analysis.analysis.localities.pcns import pcn_name
from llr_analysis.places import get_place, load_places

#: Rows of the area table for practices that no PCN of the place counts (shown apart, never among the PCNs).
APART_LEVELS = ("no_pcn", "closed", "pcn_elsewhere")


def area_table(
    rows: pd.DataFrame,
    place: str,
    programme: str,
    period: str,
    age_group: str,
    membership: pd.DataFrame,
    area_coverage: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Coverage for the place, each of its PCNs, the practices counted in no PCN, the ICS and England.

    ``rows``: :func:`~llr_analysis.analysis.cancer_screening.practices.practice_rows`. ``membership``: the
    PCN list every page uses (``locality_code``, ``locality_name``, ``place_id``, ``places``;
    :func:`llr_analysis.analysis.localities.pcns`, ePCN January 2023): the place's PCNs are those listed
    under it (the place of most of their open practices), in alphabetical order of their shown names. A
    PCN's figure is over its *open* practices in the data (in whichever place they are; ``pcn_places``
    names the places). Practices of the place that no PCN of the place counts are shown apart, each group
    one row and never ranked among the PCNs: ``closed`` (closed since the data period, whatever PCN they
    were last in), ``no_pcn`` (open, no PCN on record) and ``pcn_elsewhere`` (open, in a PCN listed under
    another place). Every row has ``practices`` (practices whose counts were used), ``practices_missing``
    (suppressed or missing counts, left out) and ``practices_all`` (their sum), with its Wilson 95% CI, the
    comparison with England, the standard band and the gap to the standard. ``area_coverage``: the
    Fingertips table, whose England row is England's figure for Fingertips practice data
    (:func:`~llr_analysis.analysis.cancer_screening.practices.england_row`).
    """
    the_place = get_place(place)
    cfg = load_places()
    llr = rows[rows["place_id"].notna()]
    here = llr[llr["place_id"] == the_place.id]
    eng = england_row(rows, area_coverage, programme, period, age_group)
    home = membership.set_index("locality_code")["place_id"]
    out: list[dict[str, Any]] = []

    def add(kind: str, code: str, name: str, sub: pd.DataFrame, extra: dict[str, Any] | None = None) -> None:
        c = coverage(sub["numerator"], sub["denominator"])
        out.append(
            {
                "level": kind,
                "area_code": code,
                "area_name": name,
                **c,
                "practices": c["included"],
                "practices_missing": c["excluded"],
                "practices_all": len(sub),
                **(extra or {}),
            }
        )

    add("place", the_place.code, the_place.name, here)
    is_open = llr["status"].eq("active")
    in_pcn = llr[llr["pcn_code"].notna() & is_open]
    for r in membership[membership["place_id"] == the_place.id].itertuples():
        sub = in_pcn[in_pcn["pcn_code"] == r.locality_code]
        add("pcn", str(r.locality_code), str(r.locality_name), sub, {"pcn_places": r.places})
    here_open = here["status"].eq("active")
    closed = here[~here_open]
    if len(closed):
        add("closed", "", "Practices closed since (counted in no PCN)", closed)
    no_pcn = here[here_open & here["pcn_code"].isna()]
    if len(no_pcn):
        add("no_pcn", "", "Practices with no PCN on record", no_pcn)
    elsewhere = here[here_open & here["pcn_code"].notna() & here["pcn_code"].map(home).ne(the_place.id)]
    for code, sub in elsewhere.groupby("pcn_code"):
        where = cfg.places[home[code]].name if code in home.index else "no place"
        name = membership.set_index("locality_code")["locality_name"].get(code, pcn_name(sub["pcn_name"].iloc[0]))
        add("pcn_elsewhere", str(code), f"{name}: its practices here (a PCN listed under {where})", sub)
    add("llr", cfg.llr_code, cfg.llr_short_name, llr)
    used = rows["numerator"].notna() & rows["denominator"].notna() & (rows["denominator"] > 0)
    out.append(
        {
            "level": "england",
            "area_code": ENGLAND_CODE,
            "area_name": "England",
            **{k: v for k, v in eng.items() if k != "source"},
            "practices": int(used.sum()),
            "practices_missing": int((~used).sum()),
            "practices_all": len(rows),
        }
    )
    df = pd.DataFrame(out)
    df["comparison"] = compare_with_england(df["value"], df["lower_95"], df["upper_95"], eng["value"])
    df.loc[df["level"] == "england", "comparison"] = "comparator"
    df["standard_band"] = [standard_band(v, programme) for v in df["value"]]
    gaps = pd.DataFrame([gap_to_standard(n, d, programme) for n, d in zip(df["count"], df["denominator"], strict=True)])
    df = pd.concat([df.reset_index(drop=True), gaps], axis=1)
    df["programme"], df["period"], df["age_group"] = programme, period, age_group
    return df


def no_pcn_rows(table: pd.DataFrame) -> pd.DataFrame:
    """The area table without its rows of practices shown apart (no PCN, closed, in another place's PCN)."""
    return table[~table["level"].isin(APART_LEVELS)]
