"""The deprivation page's sections: the summary, the decile distribution, the domain profile, IDACI /
IDAOPI and the notes on the data (maps, locality tabs, ranks and change are in their own modules).

The numbers come from :mod:`llr_analysis.analysis.deprivation`; everything here turns them into what a
page shows (Altair charts, display tables, sections written through :class:`llr_analysis.report.page.Page`).
"""

from __future__ import annotations

import pandas as pd

from llr_analysis.analysis.deprivation.domains import (
    domain_profile,
    england_share_decile1,
    england_supplementary,
    supplementary_summary,
)
from llr_analysis.analysis.deprivation.lsoas import decile_distribution, lsoa_frame
from llr_analysis.analysis.deprivation.place import PlaceDeprivation
from llr_analysis.process.deprivation import EDITIONS
from llr_analysis.report import charts
from llr_analysis.report.deprivation.text import data_notes, noun, summary_sentence
from llr_analysis.report.page import Page, tidy_download


def summary(page: Page, d: PlaceDeprivation) -> None:
    page.markdown(summary_sentence(d))


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
    cfg = d.data.places
    name = d.the_place.name
    iod = d.data.iod
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
    idaci = lsoa_frame(d.data, d.edition, d.place, index_id="idaci")
    idaopi = lsoa_frame(d.data, d.edition, d.place, index_id="idaopi")
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
    eng = england_supplementary(d.data, d.edition)
    if any(v != v for v in eng.values()):  # NaN: the edition's denominators do not cover England
        eng_edition = d.full_edition
        eng = england_supplementary(d.data, eng_edition)
    label = "England" if eng_edition == d.edition else f"England ({eng_edition}: other edition, not comparable)"
    england = {
        "area_code": d.data.places.england_code,
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


def about_the_data(page: Page, d: PlaceDeprivation) -> None:
    for note in data_notes(d):
        page.note(note)
    other = next(e for e in EDITIONS if e != d.edition)
    page.markdown(f"Edition shown: **{d.edition}** (population denominators {d.pop_year}).")
    page.note(
        f"To build these pages for {other}: `llr build --param edition={other}`.", title="For analysts", collapse=True
    )
