"""Charts, sentences and page sections for the deprivation pages.

The numbers come from :mod:`llr_analysis.analysis.deprivation`; everything here turns them into what a
page shows (Altair charts, narrative sentences, display tables, sections written through
:class:`llr_analysis.report.page.Page`).
"""

from __future__ import annotations

import pandas as pd

from llr_analysis.analysis.deprivation import (
    EDITIONS,
    RANK_HEADINGS,
    SOURCE_IDS,
    PlaceDeprivation,
    decile_distribution,
    domain_profile,
    england_share_decile1,
    llr_authority_ranks,
    lsoa_frame,
    place_summary_ranks,
    summary_download,
    supplementary_summary,
    unranked_indices,
    upper_tier_rank,
)
from llr_analysis.analysis.deprivation_change import movement_distribution, movement_summary, valid_change
from llr_analysis.analysis.deprivation_localities import england_supplementary
from llr_analysis.places import load_places
from llr_analysis.process import read_table
from llr_analysis.report import charts
from llr_analysis.report.deprivation_localities import (  # noqa: F401
    decile_map_download,
    localities_section,
    map_frame,
    map_tooltip,
    noun,
)
from llr_analysis.report.page import Page, tidy_download


def ordinal(n: int) -> str:
    """1 -> "1st", 2 -> "2nd", 11 -> "11th", 23 -> "23rd"."""
    n = int(n)
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def rank_phrase(rank, n_areas: int, ties: int = 0) -> str:
    """e.g. "32nd most deprived of 317" ("joint 193rd ..." when the rank is shared)."""
    joint = "joint " if ties > 1 else ""
    return f"{joint}{ordinal(rank)} most deprived of {int(n_areas)}"


def _rank_text(d: PlaceDeprivation, edition: str, measure: str) -> str:
    """e.g. '26th most deprived of 151' (joint when shared), among counties and unitary authorities."""
    rank, n, ties = upper_tier_rank(d, edition, measure)
    return rank_phrase(rank, n, ties=ties)


def summary_sentence(d: PlaceDeprivation) -> str:
    """The page's opening paragraph: the place's share of LSOAs in England's most deprived 10% and 20%,
    against LLR and England, its national ranks, and its most deprived locality."""
    p, llr, place, ed = d.place_row, d.llr_row, d.the_place, d.edition
    cfg = load_places()
    rank = (
        f"Among England's counties and unitary authorities, {place.name} is "
        f"{_rank_text(d, ed, 'prop_lsoas_most_deprived_10')} on the share of its LSOAs in the most deprived 10% "
        f"({ed})"
    )
    if d.ranks_available["average_score"]:
        rank += f" and {_rank_text(d, ed, 'average_score')} on average IMD score."
    else:
        rank += (
            f"; on average IMD score it was {_rank_text(d, d.full_edition, 'average_score')} in {d.full_edition} "
            f"(a national {ed} rank needs population for every LSOA in England, see below)."
        )
    residents = (
        f"{p['pct_pop_most_deprived_10']:.1f}% of {place.name}'s residents ({d.pop_year}) live in "
        "England's most deprived 10% of LSOAs. "
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
    return (
        f"**In summary.** Of the {int(p['lsoas']):,} LSOAs in {place.name}, "
        f"{p['pct_lsoas_most_deprived_10']:.1f}% are among the most deprived 10% in England and "
        f"{p['pct_lsoas_most_deprived_20']:.1f}% among the most deprived 20% ({ed}). "
        f"Across {cfg.llr_short_name} the figures are {llr['pct_lsoas_most_deprived_10']:.1f}% and "
        f"{llr['pct_lsoas_most_deprived_20']:.1f}%; in England they are 10% and 20% by definition. "
        + residents
        + rank
        + " "
        + locality
        + no_pop
    )


def summary(page: Page, d: PlaceDeprivation) -> None:
    page.markdown(summary_sentence(d))


def decile_map(page: Page, d: PlaceDeprivation) -> None:
    """Map of the place's LSOAs coloured by national IMD decile (tooltips name each LSOA's ward, MSOA, district)."""
    geo = map_frame(d)
    chart = charts.decile_map(geo, "decile", legend_title="IMD decile (1 = most deprived)", tooltip=map_tooltip(geo))
    name = d.the_place.name
    page.chart(
        chart,
        "imd-decile-map",
        title=f"Index of Multiple Deprivation by LSOA, {name}, {d.edition}",
        description=(
            f"Map of the {len(geo)} LSOAs in {name}, each coloured by its national IMD decile, "
            "from decile 1 (most deprived 10% in England, dark red) to decile 10 (least deprived, dark blue). "
            f"{int((geo['decile'] == 1).sum())} LSOAs are in decile 1 and {int((geo['decile'] == 10).sum())} "
            "in decile 10."
        ),
        data=decile_map_download(geo, d),
    )


def decile_distribution_chart(page: Page, d: PlaceDeprivation) -> None:
    """The share of the place's people (or LSOAs) in each national decile, against England's 10%."""
    name = d.the_place.name
    dist = decile_distribution(d.lsoas)
    dist["area"] = name
    top = dist.set_index("decile")["percent"]
    basis = dist["basis"].iloc[0]
    bars = charts.bar_with_reference(
        dist.assign(decile=dist["decile"].astype(str)),
        "percent",
        "decile",
        reference=10.0,
        reference_label="England: 10% of LSOAs per decile",
        sort=[str(i) for i in range(1, 11)],
        x_title=f"% of {basis}",
        y_title="National IMD decile (1 = most deprived)",
    )
    page.chart(
        bars,
        "decile-distribution",
        title=f"Share of {name}'s {basis} in each national IMD decile, {d.edition}",
        description=(
            "Bars show the percentage in each national decile; the dashed line marks England's 10% of LSOAs per "
            "decile. Bars longer than the line at the top mean more deprivation than England overall. "
            f"{top.loc[1]:.1f}% are in decile 1 and {top.loc[10]:.1f}% in decile 10."
        ),
        data=tidy_download(
            dist.rename(columns={"percent": "value", "area": "area_name"}),
            area_code=d.the_place.code,
            indicator=f"% of {basis} in national IMD decile",
            period=d.edition,
            source_id=d.source_id,
        ),
    )


def domain_profile_chart(page: Page, d: PlaceDeprivation) -> None:
    """For the IMD, each domain and IDACI/IDAOPI: the share of LSOAs in England's most deprived 10%."""
    cfg = load_places()
    name = d.the_place.name
    iod = read_table("deprivation/iod_lsoa")
    profile = domain_profile(iod, d.lsoas["lsoa_code"], d.edition)
    llr_profile = domain_profile(iod, d.llr["lsoa_code"], d.edition)
    eng = float(profile["england_pct"].iloc[0])
    worst = profile[profile["index_id"] != "imd"].sort_values("pct_lsoas_decile1", ascending=False).iloc[0]
    both = pd.concat(
        [
            profile.assign(area_code=d.the_place.code, area_name=name),
            llr_profile.assign(area_code=cfg.llr_code, area_name=cfg.llr_name),
        ]
    )
    download = (
        both.drop(columns="short_label")
        .rename(
            columns={
                "label": "indicator",
                "pct_lsoas_decile1": "value",
                "lsoas_decile1": "count",
                "lsoas": "denominator",
                "england_pct": "england_value",
            }
        )
        .assign(indicator=lambda x: "% of LSOAs in national decile 1: " + x["indicator"])
    )
    page.chart(
        charts.bar_with_reference(
            profile,
            "pct_lsoas_decile1",
            "short_label",
            reference=eng,
            reference_label=f"England: {eng:.0f}%",
            sort=list(profile["short_label"]),
            x_title="% of LSOAs in England's most deprived 10% on this domain",
            y_title="",
            tooltip=["label", "lsoas_decile1", "lsoas", "pct_lsoas_decile1"],
        ),
        "domain-profile",
        title=f"Share of {name}'s LSOAs in England's most deprived 10%, by domain, {d.edition}",
        description=(
            f"One bar per index: the percentage of the {len(d.lsoas)} LSOAs in {name} that are in the "
            f"national most deprived decile of that domain; the dashed line is England's {eng:.0f}%. The "
            f"highest share among the domains and supplementary indices is {worst['label']} "
            f"({worst['pct_lsoas_decile1']:.1f}%, {int(worst['lsoas_decile1'])} LSOAs)."
        ),
        data=tidy_download(download, period=d.edition, source_id=d.source_id),
    )


def supplementary_table(d: PlaceDeprivation) -> pd.DataFrame | None:
    """IDACI and IDAOPI by locality (of the page's first area level), then the place as a whole (when it has
    several localities) and England, each row with its ``edition``; None when the edition lacks them for some
    of the place's LSOAs. England's figures are every LSOA in England weighted by its own denominator; when the
    edition has no denominators for all of England, England's row is the complete edition's, labelled so."""
    idaci = lsoa_frame(d.edition, d.place, index_id="idaci")
    idaopi = lsoa_frame(d.edition, d.place, index_id="idaopi")
    if idaci["score"].isna().any() or idaopi["score"].isna().any():
        return None
    total_name = d.the_place.name if len(d.localities) > 1 else None  # one locality is the place itself
    kids = supplementary_summary(idaci, d.edition, d.locality_level, "children_0_15", total_name=total_name)
    old = supplementary_summary(idaopi, d.edition, d.locality_level, "older_60_plus", total_name=total_name)
    both = kids.merge(old.drop(columns="lsoas"), on=["area_code", "area_name"], suffixes=("_children", "_older"))
    both.loc[both["area_code"] == "", "area_code"] = d.the_place.code
    both = pd.concat(
        [both[both["area_code"] != d.the_place.code], both[both["area_code"] == d.the_place.code]], ignore_index=True
    )
    both["edition"] = d.edition
    eng_edition = d.edition
    eng = england_supplementary(d.edition)
    if any(v != v for v in eng.values()):  # NaN: the edition's denominators do not cover England
        eng_edition = d.full_edition
        eng = england_supplementary(eng_edition)
    label = "England" if eng_edition == d.edition else f"England ({eng_edition}: other edition, not comparable)"
    england = {
        "area_code": load_places().england_code,
        "area_name": label,
        "pct_income_deprived_children": eng["idaci"],
        "pct_income_deprived_older": eng["idaopi"],
        "pct_lsoas_decile1_children": england_share_decile1(eng_edition),
        "pct_lsoas_decile1_older": england_share_decile1(eng_edition),
        "edition": eng_edition,
    }
    out = pd.concat([both, pd.DataFrame([england])], ignore_index=True)
    return out.assign(lsoas=out["lsoas"].astype("Int64"))


def supplementary_indices(page: Page, d: PlaceDeprivation) -> None:
    """IDACI and IDAOPI: the table by locality with the place and England, and a sentence on the place's rates."""
    name = d.the_place.name
    both = supplementary_table(d)
    if both is None:
        page.note(f"IDACI and IDAOPI are not available for every small area of {name} in {d.edition}.")
        return
    total, eng = both.iloc[-2], both.iloc[-1]
    several = len(d.localities) > 1
    page.table(
        both.rename(
            columns={
                "area_name": "MSOA (2011)" if noun(d.level, d.edition) == "MSOA (2011)" else d.level.label,
                "edition": "Edition",
                "lsoas": "LSOAs",
                "people_children": f"Children aged 0-15 ({d.pop_year})",
                "pct_income_deprived_children": "% of children in income-deprived families (IDACI)",
                "pct_lsoas_decile1_children": "% LSOAs in most deprived 10% on IDACI",
                "people_older": f"People aged 60+ ({d.pop_year})",
                "pct_income_deprived_older": "% of people aged 60+ income deprived (IDAOPI)",
                "pct_lsoas_decile1_older": "% LSOAs in most deprived 10% on IDAOPI",
            }
        ).drop(columns="area_code"),
        "idaci-idaopi",
        caption=(
            f"Income deprivation affecting children (IDACI) and older people (IDAOPI) by {noun(d.level, d.edition)}, "
            f"{name}, {d.edition}" + (f"; then {name} as a whole" if several else "") + " and England"
        ),
        download=pd.concat(
            [
                tidy_download(
                    both.rename(columns={"pct_income_deprived_children": "value", "people_children": "denominator"}),
                    indicator="% of children aged 0-15 in income-deprived families (IDACI)",
                ),
                tidy_download(
                    both.rename(columns={"pct_income_deprived_older": "value", "people_older": "denominator"}),
                    indicator="% of people aged 60+ income deprived (IDAOPI)",
                ),
            ],
            ignore_index=True,
        ).assign(period=lambda x: x["edition"], source_id=d.source_id),
    )
    same = eng["edition"] == d.edition
    england = (
        f"England {eng['pct_income_deprived_children']:.1f}% and {eng['pct_income_deprived_older']:.1f}%"
        if same
        else (
            f"England's {d.edition} figures need the population of every small area in England, which this site "
            f"does not have; in {eng['edition']} England's were {eng['pct_income_deprived_children']:.1f}% and "
            f"{eng['pct_income_deprived_older']:.1f}%"
        )
    )
    page.markdown(
        f"In {name}, **{total['pct_income_deprived_children']:.1f}%** of children aged 0–15 live in "
        f"income-deprived families and **{total['pct_income_deprived_older']:.1f}%** of people aged 60 and over are "
        f"income deprived ({d.edition}; {england}). The two editions build these rates from different benefit and "
        "tax-credit data, so rates from IoD2025 and IoD2019 should not be compared with each other."
    )


def _summary_source(edition: str) -> str:
    return SOURCE_IDS[edition] + "; lad23_ctyua23_lookup"


def national_ranks(page: Page, d: PlaceDeprivation) -> None:
    """The place's national ranks on MHCLG's summary measures (this edition, and the complete one if different)."""
    cfg = load_places()
    if not all(d.ranks_available.values()):
        page.note(
            f"{d.edition}: national ranks on the average score, average rank, extent and local concentration need "
            f"population figures for every small area in England, which this site has for the {len(d.llr)} LSOAs "
            f"of {cfg.llr_short_name} only. So those four measures are shown for {cfg.llr_short_name} areas without "
            "a national rank, and only the proportion of LSOAs in the most deprived 10% (which needs no population) "
            f"is ranked. The {d.full_edition} ranks below are complete."
        )
        page.note(
            f"The population denominators for all of England are in the full {d.edition} File 7, which `llr fetch` "
            f"downloads when online; offline builds have the {load_places().llr_short_name} extract only.",
            title="For analysts",
            collapse=True,
        )
    for ed in dict.fromkeys([d.edition, d.full_edition]):
        t = place_summary_ranks(d.summaries, d.place, ed)
        shown = t[["label", "average_score", *RANK_HEADINGS]].rename(
            columns={"label": "Index", "average_score": "Average score", **RANK_HEADINGS}
        )
        page.table(
            shown,
            "summary-measures" + ("" if ed == d.edition else f"-{ed.lower()}"),
            caption=(
                f"National rank of {d.the_place.name} on MHCLG's summary measures, among the "
                f"{int(t['n_areas'].iloc[0])} counties and unitary authorities in England, {ed}; "
                "1 = most deprived, tied areas share a rank, – = no national rank. Average score: income, "
                "employment, IDACI and IDAOPI scores are rates (proportions of people), the other domains' "
                "are standardised scores"
            ),
            float_format="{:,.3f}",
            download=tidy_download(summary_download(t), source_id=_summary_source(ed)),
        )


def authority_ranks(page: Page, d: PlaceDeprivation) -> None:
    """National ranks of every LLR authority (this edition, and the complete one if different)."""
    cfg = load_places()
    for ed in dict.fromkeys([d.edition, d.full_edition]):
        t = llr_authority_ranks(d.summaries, ed)
        shown = t[["area_name", "compared_with", "average_score", *RANK_HEADINGS]].rename(
            columns={
                "area_name": "Authority",
                "compared_with": "Ranked among",
                "average_score": "Average IMD score",
                **RANK_HEADINGS,
            }
        )
        page.table(
            shown,
            f"llr-authority-ranks-{ed.lower()}",
            caption=(
                f"IMD summary measures: national ranks of every {cfg.llr_short_name} authority, {ed}; "
                "districts among England's districts, the three upper-tier authorities among counties and "
                "unitary authorities; 1 = most deprived, tied areas share a rank, – = no national rank"
            ),
            download=tidy_download(summary_download(t), source_id=_summary_source(ed)),
        )
        if ed != d.edition:
            page.markdown(
                f"{ed} is on 2011 LSOAs and 2019 boundaries: {len(t[t['area_level'] == 'district'])} "
                f"{cfg.llr_short_name} districts among {int(t['n_areas'].iloc[0])} districts in England, and "
                "counties and unitary authorities as they were in 2019 (Buckinghamshire, Northamptonshire, Cumbria, "
                "North Yorkshire and Somerset as two-tier counties)."
            )


MOVEMENT_SOURCE = "iod2019_file7; iod2025_file7_llr; iod2025_england; lsoa11_lsoa21_lookup"


def movement_table(ms: pd.Series, n_all: int) -> pd.DataFrame:
    """The decile movement summary as a two-column table (measure, LSOAs)."""
    return pd.DataFrame(
        {
            "Measure": [
                "LSOAs compared (boundaries unchanged 2011-2021)",
                "LSOAs left out (split, merged or redrawn)",
                "Moved to a more deprived national decile",
                "Stayed in the same national decile",
                "Moved to a less deprived national decile",
                "In the most deprived 10% in IoD2019",
                "In the most deprived 10% in IoD2025",
                "In the most deprived 10% in both",
            ],
            "LSOAs": [
                int(ms["lsoas_compared"]),
                n_all - int(ms["lsoas_compared"]),
                int(ms["more_deprived_decile"]),
                int(ms["same_decile"]),
                int(ms["less_deprived_decile"]),
                int(ms["decile1_old"]),
                int(ms["decile1_new"]),
                int(ms["decile1_both"]),
            ],
        }
    )


def decile_movement(page: Page, d: PlaceDeprivation) -> None:
    """National decile movement, IoD2019 to IoD2025, of the place's LSOAs with unchanged boundaries."""
    name = d.the_place.name
    moves, n_all = valid_change(d.place)
    ms = movement_summary(moves)
    mdist = movement_distribution(moves)
    page.chart(
        charts.bar_with_reference(
            mdist,
            "percent",
            "label",
            sort=list(mdist["label"]),
            x_title="% of LSOAs with unchanged boundaries",
            y_title="Change in national IMD decile, IoD2019 to IoD2025",
            tooltip=["label", "lsoas", "percent"],
        ),
        "decile-movement",
        title=f"Movement between national IMD deciles, IoD2019 to IoD2025, {name} (unchanged LSOAs only)",
        description=(
            f"Bars give the percentage of the {int(ms['lsoas_compared'])} LSOAs in {name} whose "
            f"boundaries did not change (of {n_all} LSOAs in 2021) by how many national deciles they moved: "
            f"{int(ms['same_decile'])} stayed in the same decile, {int(ms['more_deprived_decile'])} moved to a "
            f"more deprived decile and {int(ms['less_deprived_decile'])} to a less deprived one."
        ),
        data=tidy_download(
            moves.rename(columns={"lsoa21_code": "area_code", "lsoa_name": "area_name", "decile_change": "value"}),
            indicator="Change in national IMD decile, IoD2019 to IoD2025 (unchanged LSOAs)",
            period="IoD2019 to IoD2025",
            source_id=MOVEMENT_SOURCE,
        ),
    )
    table = movement_table(ms, n_all)
    page.table(
        table,
        "decile-movement-summary",
        caption=f"National IMD decile movement of {name}'s LSOAs with unchanged boundaries, IoD2019 to IoD2025",
        download=tidy_download(
            table.rename(columns={"Measure": "indicator", "LSOAs": "value"}),
            area_code=d.the_place.code,
            area_name=name,
            period="IoD2019 to IoD2025",
            source_id=MOVEMENT_SOURCE,
        ),
    )


def data_notes(d: PlaceDeprivation) -> list[str]:
    """What the site's data lack for the page, in plain sentences (each shown as a note)."""
    cfg = load_places()
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


def about_the_data(page: Page, d: PlaceDeprivation) -> None:
    for note in data_notes(d):
        page.note(note)
    other = next(e for e in EDITIONS if e != d.edition)
    page.markdown(f"Edition shown: **{d.edition}** (population denominators {d.pop_year}).")
    page.note(
        f"To build these pages for {other}: `llr build --param edition={other}`.", title="For analysts", collapse=True
    )
