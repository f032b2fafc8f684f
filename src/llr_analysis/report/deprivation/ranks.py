"""How the place and every ICS authority rank nationally on MHCLG's summary measures (tables)."""

from __future__ import annotations

from llr_analysis.analysis.deprivation.lsoas import SOURCE_IDS
from llr_analysis.analysis.deprivation.place import PlaceDeprivation
from llr_analysis.analysis.deprivation.summaries import llr_authority_ranks, place_summary_ranks, summary_download
from llr_analysis.report.page import Page, tidy_download

#: Column headings for the national ranks on the five summary measures.
RANK_HEADINGS = {
    "rank_average_score": "Rank: average score",
    "rank_average_rank": "Rank: average rank",
    "rank_prop_lsoas_most_deprived_10": "Rank: % of LSOAs in most deprived 10%",
    "rank_extent": "Rank: extent",
    "rank_local_concentration": "Rank: local concentration",
}


def _summary_source(edition: str) -> str:
    return SOURCE_IDS[edition] + "; lad23_ctyua23_lookup"


def national_ranks(page: Page, d: PlaceDeprivation) -> None:
    """The place's national ranks on MHCLG's summary measures (this edition, and the complete one if different)."""
    cfg = d.data.places
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
            f"downloads when online; offline builds have the {cfg.llr_short_name} extract only.",
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
    """National ranks of every ICS authority (this edition, and the complete one if different)."""
    cfg = d.data.places
    for ed in dict.fromkeys([d.edition, d.full_edition]):
        t = llr_authority_ranks(d.summaries, cfg, ed)
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
