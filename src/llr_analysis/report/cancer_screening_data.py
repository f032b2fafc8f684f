"""What data the cancer screening pages have: which programmes and periods this build holds, the ONS Health Index composite (all programmes, 2015 to 2018), and the practices that closed, have no PCN or were placed approximately."""

from __future__ import annotations

import pandas as pd

from llr_analysis import settings
from llr_analysis.analysis.cancer_screening import (
    availability,
    health_index_summary,
    programme_label,
    unmapped_practices,
)
from llr_analysis.places import get_place, load_places
from llr_analysis.report.cancer_screening_charts import health_index_chart
from llr_analysis.report.page import Page, tidy_download
from llr_analysis.report.words import is_older_data


def render_unmapped(page, place: str, paths=None) -> pd.DataFrame:
    """The practices of the place that closed, have no PCN on record or were placed approximately."""
    from llr_analysis.report.page import tidy_download

    the_place = get_place(place)
    um = unmapped_practices(paths)
    um = um[um["place_id"] == the_place.id]
    if um.empty:
        page.markdown(
            f"Every practice in {the_place.name} in the coverage data is open, has a PCN on record and "
            "was placed by its CCG and PCN."
        )
        return um
    shown = um[
        [
            "practice_code",
            "practice_name",
            "period_label",
            "status",
            "close_date",
            "pcn_name",
            "pcn_basis",
            "place_basis",
        ]
    ].copy()
    shown["pcn_name"] = shown["pcn_name"].fillna("none")
    shown = shown.rename(
        columns={
            "practice_code": "Code",
            "practice_name": "Practice",
            "period_label": "Data period",
            "status": "ODS status (Dec 2022)",
            "close_date": "Closed",
            "pcn_name": "PCN",
            "pcn_basis": "How the PCN was found",
            "place_basis": "How the place was decided",
        }
    )
    page.table(
        shown,
        "practices-not-fully-mapped",
        caption=(
            f"Practices in {the_place.name}'s coverage data that have closed, have no PCN on record, or "
            f"were placed by premises postcode (all are included in the place and {load_places().llr_short_name} figures)"
        ),
        download=tidy_download(
            um.rename(columns={"period": "period_code"}).rename(
                columns={"practice_code": "area_code", "practice_name": "area_name", "period_label": "period"}
            ),
            indicator="Practice mapping (no value)",
            source_id="ods_epraccur_2022_12",
        ),
    )
    return um


def availability_sentence(avail: pd.DataFrame) -> str:
    """What screening data the page holds, programme by programme, and what is missing and why (a period more
    than three years old is marked "older data")."""
    have, missing = [], []
    for prog in settings.cancer_screening()["programme_order"]:
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


def availability_section(page: Page) -> None:
    avail = availability()
    page.markdown(availability_sentence(avail))
    if avail["programme"].nunique() < len(settings.cancer_screening()["programme_order"]):
        from llr_analysis.report.cancer_screening import FETCH_FINGERTIPS_NOTE

        page.note(FETCH_FINGERTIPS_NOTE, title="For analysts", collapse=True)


HEALTH_INDEX_SOURCE = "health_index_utla_2015..2018"
HEALTH_INDEX_INDICATOR = "Cancer screening composite (%), ONS Health Index (beta)"


def health_index_sentence(hi: pd.DataFrame, place_code: str, place_name: str) -> str:
    """The place's composite in the first and latest year, with its rank, against England's median."""
    own = hi[hi["series"] == "place"]
    latest = own[own["year"] == own["year"].max()].set_index("area_code").loc[place_code]
    first = own[own["year"] == own["year"].min()].set_index("area_code").loc[place_code]
    median = hi[(hi["series"] != "place") & (hi["year"] == hi["year"].max())]["value"].iloc[0]
    rank = latest["rank_text"].replace("(1 = highest)", "upper-tier authorities, 1 = highest")
    return (
        f"In {int(latest['year'])} {place_name}'s composite was {latest['value']:.1f}% ({rank}), against a median of "
        f"{median:.1f}% across England's upper-tier authorities; in {int(first['year'])} it was "
        f"{first['value']:.1f}% (rank {int(first['rank'])})."
    )


def health_index_section(page: Page, place: str) -> None:
    """The ONS Health Index cancer screening composite: a sentence, a chart of the three places and a table."""
    the_place = get_place(place)
    hi = health_index_summary()
    page.markdown(health_index_sentence(hi, the_place.code, the_place.name))
    download = tidy_download(
        hi.rename(columns={"year": "period"}), indicator=HEALTH_INDEX_INDICATOR, source_id=HEALTH_INDEX_SOURCE
    )
    page.chart(
        health_index_chart(hi),
        "health-index-screening",
        title=f"Cancer screening composite (ONS Health Index), {load_places().llr_name}, 2015 to 2018",
        description=(
            "Lines show each place's cancer screening composite by year; the dashed black line is the median "
            "of England's upper-tier local authorities. No confidence intervals are available."
        ),
        data=download,
    )
    table = hi.pivot_table(index="area_name", columns="year", values="value").reset_index()
    table = table.rename(columns={"area_name": "Area"})
    table.columns = [str(c) for c in table.columns]
    page.table(
        table,
        "health-index-table",
        caption="Cancer screening composite (%), ONS Health Index (beta), by year",
        download=download,
    )


def unplaced_text(paths=None) -> str:
    """The open practices of the ICS that the practice rule cannot place, listed by name (empty when none)."""
    from llr_analysis.analysis.localities.pcns import pcn_name, unplaced_practices
    from llr_analysis.process import read_table

    un = unplaced_practices(read_table("cancer_screening/practices", paths))
    if un.empty:
        return ""
    names = "; ".join(f"{pcn_name(n)} ({c})" for c, n in zip(un["practice_code"], un["practice_name"], strict=True))
    return (
        f"**Practices not placed ({len(un)}).** The rule cannot place these open practices of "
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
            else "; a practice the rule cannot place is listed as not placed, and its figures are in no place's tables."
        )
    return text
