"""The sentences of the cancer screening pages (plain words; Markdown, never HTML) and the small
number formats they share with the tables and charts."""

from __future__ import annotations

from typing import Any

import pandas as pd

from llr_analysis.analysis.cancer_screening.coverage import standard_band
from llr_analysis.analysis.cancer_screening.programmes import (
    age_group_interval,
    age_group_label,
    programme_label,
    programme_order,
    standard,
)
from llr_analysis.analysis.localities.pcns import pcn_name
from llr_analysis.places import load_places
from llr_analysis.report.words import at_extreme, is_older_data

COMPARISON_WORDS = {
    "better": "significantly higher than (better than)",
    "worse": "significantly lower than (worse than)",
    "similar": "not significantly different from",
    "not compared": "not compared with",
}

#: For analysts (a folded note): how the Fingertips figures are fetched.
FETCH_FINGERTIPS_NOTE = (
    "Breast, bowel and recent cervical screening come from the OHID Fingertips API, which needs internet "
    "access: run `llr fetch-fingertips` and then `llr process cancer_screening`, then build the site again. "
    "The build does not fail without them."
)


def fmt_pct(v: float) -> str:
    return "–" if pd.isna(v) else f"{v:.1f}%"


def fmt_ci(lo: float, hi: float) -> str:
    return "–" if pd.isna(lo) or pd.isna(hi) else f"{lo:.1f}–{hi:.1f}%"


def older_words(period_text: str) -> str:
    """' (older data: more than three years old)' for a period that ended more than three years ago, else ''."""
    return " (older data: more than three years old)" if is_older_data(period_text) else ""


def age_narrative(
    table: pd.DataFrame,
    pts: pd.DataFrame,
    programme: str,
    age_group: str,
    place_name: str,
    target_name: str,
    assoc: dict[str, Any],
) -> str:
    """One paragraph of computed narrative for a programme and age group in a place."""
    s = standard(programme)
    ag = age_group_label(programme, age_group)
    interval = age_group_interval(programme, age_group)
    p = table[table["level"] == "place"].iloc[0]
    e = table[table["level"] == "england"].iloc[0]
    llr = table[table["level"] == "llr"].iloc[0]
    if pd.isna(p["value"]):
        return f"**{ag}.** No practice in {place_name} has published counts for this period."
    text = (
        f"**{ag}.** In {place_name}, {fmt_pct(p['value'])} (95% CI {fmt_ci(p['lower_95'], p['upper_95'])}) "
        f"{('were ' + interval) if interval else 'were covered'}, {COMPARISON_WORDS.get(p['comparison'], '')} "
        f"England ({fmt_pct(e['value'])}); {load_places().llr_short_name} as a whole: {fmt_pct(llr['value'])}. "
    )
    band = standard_band(p["value"], programme)  # judged on the value as shown (1 dp), as every table
    if band == "meets achievable":
        text += f"This meets the achievable standard of {s['achievable']}%. "
    elif band == "meets acceptable only":
        text += (
            f"This meets the acceptable threshold ({s['acceptable']}%) but not the achievable "
            f"{s['achievable']}%: about {p['screens_to_achievable']:,.0f} more people screened would have "
            "been needed to reach it. "
        )
    else:
        text += (
            f"This is {p['gap_acceptable_pp']:.1f} percentage points below the acceptable threshold "
            f"({s['acceptable']}%); reaching the achievable {s['achievable']}% would have needed about "
            f"{p['screens_to_achievable']:,.0f} more people screened. "
        )
    pcns = table[table["level"] == "pcn"].dropna(subset=["value"])  # never the practices with no PCN
    if len(pcns) > 1:
        (lo, lo_names), (hi, hi_names) = (at_extreme(pcns, "value", "area_name", lowest=b) for b in (True, False))
        text += (
            f"Across the {len(pcns)} PCNs listed under {place_name}, coverage ranged from {fmt_pct(lo)} "
            f"({lo_names}) to {fmt_pct(hi)} ({hi_names}). "
        )
    shown = pts[pts["funnel_position"] != "not compared"]
    if len(shown) == 1:
        only = shown.iloc[0]
        text += (
            f"The one practice with published counts had coverage of {fmt_pct(only['value'])} "
            f"({only['funnel_position']} control limits around {target_name}'s value). "
        )
    elif len(shown):
        below = int(pts["funnel_position"].eq("below 99.8%").sum())
        above = int(pts["funnel_position"].eq("above 99.8%").sum())
        text += (
            f"Of the {len(shown)} practices with published counts, coverage ranged from "
            f"{fmt_pct(shown['value'].min())} to {fmt_pct(shown['value'].max())}; {below} "
            f"{'was' if below == 1 else 'were'} below and {above} above the 99.8% control limits around "
            f"{target_name}'s value. "
        )
    n_supp = int((pts["funnel_position"] == "not compared").sum())
    if n_supp:
        text += f"{n_supp} practice{'s' if n_supp != 1 else ''} had suppressed counts and {'are' if n_supp != 1 else 'is'} left out. "
    if assoc["n"] >= 5 and not pd.isna(assoc["rho"]):
        if assoc["p_value"] < 0.05:
            direction = "lower" if assoc["rho"] < 0 else "higher"
            text += (
                f"Coverage was {direction} in practices serving more deprived populations "
                f"(across {assoc['n']} practices)."
            )
        else:
            text += f"Across {assoc['n']} practices there was no clear link between practice coverage and deprivation."
    return text


def association_note(assocs: dict[str, dict[str, Any]], programme: str) -> str:
    """For analysts: the rank correlations behind the sentences on coverage and deprivation."""
    parts = [
        f"{age_group_label(programme, ag)}: Spearman rank correlation {a['rho']:.2f} (p = {a['p_value']:.2f}, "
        f"{a['n']} practices)"
        for ag, a in assocs.items()
        if a["n"] >= 5 and not pd.isna(a["rho"])
    ]
    if not parts:
        return ""
    return (
        "Coverage and deprivation are compared by Spearman's rank correlation between practice coverage and "
        "the practice's IMD 2019 score (negative = lower coverage where more deprived; 'clear' means p < 0.05): "
        + "; ".join(parts)
        + "."
    )


def missing_data_message(programme: str) -> str:
    """What the page tells a reader when a programme has no data: plain words (how to get it is in
    :data:`FETCH_FINGERTIPS_NOTE`, for analysts)."""
    return (
        f"{programme_label(programme)}: no figures on this site yet. Breast, bowel and recent cervical screening "
        "coverage are published by OHID (Fingertips), which could not be reached when this site was made."
    )


def availability_sentence(avail: pd.DataFrame) -> str:
    """What screening data the page holds, programme by programme, and what is missing and why (a period more
    than three years old is marked "older data")."""
    have, missing = [], []
    for prog in programme_order():
        a = avail[avail["programme"] == prog]
        if a.empty:
            missing.append(programme_label(prog).lower())
            continue
        parts = []
        for level, g in a.groupby("level"):
            what = "GP practice counts" if level == "gp_practice" else "local authority values (Fingertips)"
            periods = ", ".join(
                p + (" (older data)" if is_older_data(p) else "")
                for p in dict.fromkeys(g.sort_values("period_sort")["period_label"].astype(str))
            )
            ages = " and ".join(sorted(g["age_group"].unique()))
            parts.append(f"{what} for {periods} (ages {ages})")
        have.append(f"{programme_label(prog).lower()}: " + "; ".join(parts))
    text = "**Data on this page.** " + ("; ".join(have) + "." if have else "no screening coverage data.")
    if missing:
        text += (
            f" **No figures here yet for {' or '.join(missing)}**: these are published by OHID (Fingertips), "
            "which could not be reached when this site was made. "
            "The ONS Health Index composite below gives a rough all-programme picture for 2015 to 2018."
        )
    return text


def health_index_sentence(hi: pd.DataFrame, place_code: str, place_name: str) -> str:
    """The place's composite in the first and latest year, with its rank, against England's median; when the
    Health Index has no row for the place (a known gap), that, in plain words."""
    own = hi[hi["series"] == "place"]
    if place_code not in set(own["area_code"]):
        return (
            f"The ONS Health Index has no cancer screening composite for {place_name}: its inputs have no row for "
            "the area (see the known gaps on the Methods page)."
        )
    own = own[own["area_code"] == place_code].sort_values("year")
    first, latest = own.iloc[0], own.iloc[-1]
    median = hi[(hi["series"] != "place") & (hi["year"] == hi["year"].max())]["value"].iloc[0]
    rank = latest["rank_text"].replace("(1 = highest)", "upper-tier authorities, 1 = highest")
    return (
        f"In {int(latest['year'])} {place_name}'s composite was {latest['value']:.1f}% ({rank}), against a median of "
        f"{median:.1f}% across England's upper-tier authorities; in {int(first['year'])} it was "
        f"{first['value']:.1f}% (rank {int(first['rank'])})."
    )


def unplaced_text(unplaced: pd.DataFrame) -> str:
    """The open practices of the ICS that the practice rule cannot place (``unplaced``:
    :func:`llr_analysis.analysis.localities.pcns.unplaced_practices`), listed by name (empty when none)."""
    if unplaced.empty:
        return ""
    names = "; ".join(
        f"{pcn_name(n)} ({c})" for c, n in zip(unplaced["practice_code"], unplaced["practice_name"], strict=True)
    )
    return (
        f"**Practices not placed ({len(unplaced)}).** The rule cannot place these open practices of "
        f"{load_places().ics_short_name} in one of its places, so their figures are in no place's tables: {names}."
    )


def place_rule_text() -> str:
    """The practice -> place rule of the places file (``practices:``) in words, with the CCGs and places
    named from the configuration (nothing written into the notebook)."""
    from llr_analysis.process.gp_practices import practice_rule

    rule = practice_rule()
    names: dict[str, str] = {}
    for name, code in rule.get("names", {}).items():
        names.setdefault(code, name.replace("NHS ", "").replace(" And ", " and "))
    places = load_places().places
    parts, shared = [], []
    for code, target in rule.get("sub_icbs", {}).items():
        label = f"{names[code]} ({code})" if code in names else code
        if target in places:
            parts.append(f"{label} practices belong to {places[target].name}")
        else:
            shared.append((code, label))
    text = (
        "**The practice place rule.** A practice belongs to a place by its CCG (sub-ICB location since July "
        "2022) when that lies in one place" + (": " + "; ".join(parts) if parts else "") + "."
    )
    for code, label in shared:
        pcns = [f"PCN {c} to {places[p].name}" for c, p in rule.get("pcns", {}).items()]
        districts = [f"{d} to {places[p].name}" for d, p in rule.get("postcode_districts", {}).items()]
        rest = rule.get("rest", {}).get(code)
        text += f" {label} covers more than one place: its practices are placed by their primary care network"
        text += f" ({', '.join(pcns)})" if pcns else " where the places file lists it"
        if districts:
            text += f"; a practice with no PCN on record by its premises postcode district ({', '.join(districts)}), which is approximate"
        text += (
            f"; its other practices belong to {places[rest].name}."
            if rest
            else f"; any other practice goes to the place where most of its registered patients living in "
            f'{load_places().ics_short_name} live (NHS England\'s "Patients Registered at a GP Practice" by small '
            "area, LSOA; a tie goes to the place listed first). That file is online only: in a build without it "
            "(offline, from the data mirror) these practices cannot be placed, so they are listed as not placed and "
            "their figures are in no place's tables; `llr fetch` run online gets it."
        )
    return text
