"""The cancer screening pages' localities section: one tabset with a tab per locality level of the place.

Screening coverage is published by GP practice (registered patients), so the primary care network (PCN)
tab has figures (practices' counts summed per PCN, by :func:`llr_analysis.analysis.cancer_screening.areas.area_table`)
and the area tabs (districts, wards, MSOAs) say plainly that no area figure exists. Practices with no PCN
on record are shown apart, never ranked among the PCNs.
"""

from __future__ import annotations

import pandas as pd

from llr_analysis.analysis.cancer_screening.areas import APART_LEVELS
from llr_analysis.analysis.cancer_screening.programme import ProgrammeFigures
from llr_analysis.analysis.cancer_screening.programmes import age_group_label, programme_label, standard
from llr_analysis.places import LocalityLevel, get_place
from llr_analysis.report import localities as loc_report
from llr_analysis.report.cancer_screening.text import fmt_ci, fmt_pct, older_words
from llr_analysis.report.page import Page, tidy_download


def pcn_ranking(table: pd.DataFrame) -> pd.DataFrame:
    """The PCN rows of an area table (one or more age groups), lowest coverage first within each age group
    (PCNs with no published coverage last); never the practices with no PCN."""
    p = table[table["level"] == "pcn"].copy()
    ages = list(dict.fromkeys(p["age_group"]))
    p["_age"] = p["age_group"].map({a: i for i, a in enumerate(ages)})
    p = p.sort_values(["_age", "value", "area_name"], na_position="last")
    return p.drop(columns="_age").reset_index(drop=True)


def pcn_display(ranked: pd.DataFrame, programme: str) -> pd.DataFrame:
    """The PCN ranking as a display table."""
    return pd.DataFrame(
        {
            "Age": [age_group_label(programme, a) for a in ranked["age_group"]],
            "PCN": ranked["area_name"],
            "Practices used": ranked["practices"].astype("Int64"),
            "Practices left out (counts suppressed)": ranked["practices_missing"].astype("Int64"),
            "Coverage (%)": ranked["value"],
            "95% CI": [fmt_ci(lo, hi) for lo, hi in zip(ranked["lower_95"], ranked["upper_95"], strict=True)],
            "vs England": ranked["comparison"],
            "Against standard": ranked["standard_band"],
            "Its practices are in": ranked.get("pcn_places", pd.Series([""] * len(ranked), index=ranked.index)),
        }
    )


def no_pcn_text(points: dict[str, pd.DataFrame], place_name: str, programme: str) -> str:
    """A sentence on the place's practices with no PCN on record (''), each with its coverage by age group."""
    rows: list[tuple[str, str, str, str, float]] = []
    for ag, pts in points.items():
        for r in pts[pts["pcn_code"].isna()].to_dict("records"):
            rows.append((str(r["practice_name"]).title(), str(r["practice_code"]), str(r["status"]), ag, r["value"]))
    if not rows:
        return ""
    names = list(dict.fromkeys((n, c, st) for n, c, st, _, _ in rows))
    bits = []
    for n, c, st in names:
        vals = [
            f"{fmt_pct(v) if pd.notna(v) else 'counts suppressed'} ({age_group_label(programme, ag).lower()})"
            for n2, c2, _, ag, v in rows
            if c2 == c and n2 == n
        ]
        bits.append(f"{n} ({c}, {'closed' if st == 'closed' else st}): {', '.join(vals)}")
    one = len(names) == 1
    return (
        f"**Practice{'' if one else 's'} with no PCN on record.** {len(names)} practice{'' if one else 's'} in "
        f"{place_name} {'has' if one else 'have'} no primary care network on record, so {'it is' if one else 'they are'} "
        f"counted in {place_name}'s figure but not among the PCNs above: " + "; ".join(bits) + "."
    )


def apart_text(table: pd.DataFrame, place_name: str) -> str:
    """The groups of the place's practices that no PCN of the place counts (closed since, no PCN on record,
    in a PCN listed under another place), each with how many practices (its counts are in the place's
    figure). '' when there are none."""
    apart = table[table["level"].isin(APART_LEVELS)].drop_duplicates(["level", "area_code"])
    if apart.empty:
        return ""
    n_pcns = table.loc[table["level"] == "pcn", "area_code"].nunique()
    bits = [
        f"{r['area_name']} ({int(r['practices_all'])} practice{'' if r['practices_all'] == 1 else 's'})"
        for r in apart.to_dict("records")
    ]
    return (
        f"**Practices not counted in any of {place_name}'s {n_pcns} PCN{'' if n_pcns == 1 else 's'}.** They are counted in {place_name}'s "
        "own figure, and shown apart here: " + "; ".join(bits) + "."
    )


def _pcn_tab(page: Page, place: str, results: dict[str, ProgrammeFigures | None]) -> None:
    the_place = get_place(place)
    page.markdown(loc_report.pcn_basis_text())
    shown = False
    for programme, figures in results.items():
        practice = figures.practice if figures is not None else None
        if practice is None:
            continue
        shown = True
        label, std, plabel = programme_label(programme), standard(programme), practice.period_label
        ranked = pcn_ranking(practice.table)
        page.table(
            pcn_display(ranked, programme),
            f"{programme}-pcn-ranking",
            caption=(
                f"{label} coverage by primary care network, {the_place.name}, {plabel}{older_words(plabel)}: "
                f"lowest coverage first within each age group (registered patients; acceptable "
                f"{std['acceptable']}%, achievable {std['achievable']}%, judged on the coverage as shown)"
            ),
            download=tidy_download(
                ranked.rename(columns={"age_group": "age"}),
                indicator=f"{label} coverage (%) by PCN",
                period=plabel,
            ),
        )
        apart = apart_text(practice.table, the_place.name)
        if apart:
            page.markdown(apart)
        points = {ag: a.points for ag, a in practice.by_age.items()}
        text = no_pcn_text(points, the_place.name, programme)
        if text:
            page.markdown(text)
    if not shown:
        page.markdown(
            "No GP practice screening figures are on this page yet, so there are no primary care network figures."
        )


def area_tab_text(level: LocalityLevel, place: str) -> str:
    """Why an area tab (district, ward, MSOA) has no screening figures, in plain words."""
    the_place = get_place(place)
    what = (level.plural or level.label).lower().replace("msoas", "MSOAs (neighbourhoods of about 8,000 people)")
    return (
        f"**No screening figures by {what}.** Screening coverage is published by GP practice: it counts the "
        "patients registered with each practice, wherever they live, not the residents of an area. A practice's "
        f"patients live in many {what.split(' (')[0]}, and the residents of one use many practices, so "
        f"coverage cannot honestly be given for {the_place.name}'s {what.split(' (')[0]}. The primary care "
        "network tab groups the practices; figures for residents are published for whole local authorities "
        "only (Fingertips), and are shown above when present."
    )


def locality_section(page: Page, place: str, results: dict[str, ProgrammeFigures | None]) -> list[str]:
    """The localities tabset: PCN figures (``results``: each programme's figures, None when not shown), and
    for each area level why there are none. Returns the tab titles."""

    def section(level: LocalityLevel) -> None:
        if level.is_area:
            page.markdown(area_tab_text(level, place))
        else:
            _pcn_tab(page, place, results)

    return loc_report.locality_tabs(page, place, section)
