"""The population page's sentences: its opening total, summary, census comparison and the LSOA mapping note."""

from __future__ import annotations

from typing import cast

import pandas as pd

from llr_analysis.analysis.population.load import PopulationData
from llr_analysis.analysis.population.localities import LEVEL_NOUNS
from llr_analysis.analysis.population.totals import TOTALS_PERIOD, latest_totals, place_lsoa21_codes, reconciliation
from llr_analysis.places import get_place, load_places
from llr_analysis.process.population import YEARS
from llr_analysis.report.words import at_extreme

#: The caveat under the summary: which estimates these are and what they cannot show.
ESTIMATES_NOTE = (
    "These are the ONS estimates based on the 2011 Census (mid-2019 and mid-2020), the latest small-area "
    "estimates by single year of age available on this site; ONS has since revised them to the 2021 Census, so "
    "they are older data (see the table of populations by source below). They give persons only: "
    "no small-area or district source here has age by sex, so the age chart shows all persons and sex is given "
    "from Census 2021 district totals. Change over a single year partly reflects how the estimates are made, "
    "most of all for small groups such as the over-85s of one neighbourhood."
)


def rise(v: float) -> str:
    """'rose by 1.2%' / 'fell by 0.3%' / 'did not change' (1 dp)."""
    return f"rose by {v:.1f}%" if v > 0 else (f"fell by {-v:.1f}%" if v < 0 else "did not change")


def totals_text(data: PopulationData, place: str) -> str:
    """The page's first sentence: how many people live in the place, by the most recent count (mid-2022,
    the total every page uses), with Census 2021 beside it ("" when the count is missing)."""
    name = get_place(place).name
    total = latest_totals(data.iod_population, place_lsoa21_codes(data, place))
    census = reconciliation(data, place).set_index("source_key")["population"].get("census")
    if pd.isna(total):
        return ""
    return (
        f"**How many people.** In {TOTALS_PERIOD}, the most recent estimate, **{total:,.0f}** people lived in "
        f"{name} (ONS, based on Census 2021"
        + (f"; Census 2021 counted {census:,.0f} in March 2021" if pd.notna(census) else "")
        + "). The rest of this page describes ages and change with the mid-2019 and mid-2020 estimates, the "
        "latest with single years of age for every small area here."
    )


def summary_text(st: pd.DataFrame, change: pd.DataFrame, place: str, level: str, year: int) -> str:
    """The page's summary: size, age shares and ratio against the ICS and England, the year's change,
    and (with several localities) the oldest and youngest locality by share aged 65+."""
    name, llr_name = get_place(place).name, load_places().llr_short_name
    nouns = LEVEL_NOUNS[level][1]
    start, end = YEARS[0], YEARS[-1]
    by_type = st.set_index("area_type")
    row, llr, eng = by_type.loc["place"], by_type.loc["ICB"], by_type.loc["England"]
    localities = st[st["area_type"] == "locality"]
    ch = change[change["area_type"] == "place"].set_index("measure")
    pct, people = ch["pct_change"].to_dict(), ch["change"].to_dict()
    pct_eng = change[change["area_type"] == "England"].set_index("measure")["pct_change"].to_dict()
    (old_pct, oldest), (young_pct, youngest) = (
        at_extreme(localities, "pct_65_plus", "area_name", lowest=b) for b in (False, True)
    )
    return (
        f"**In summary.** In mid-{year} an estimated **{row['population']:,.0f}** people lived in {name} "
        f"({row['share']:.1f}% of {llr_name}'s {llr['population']:,.0f}). "
        f"**{row['pct_65_plus']:.1f}%** were aged 65 and over ({llr_name} {llr['pct_65_plus']:.1f}%, "
        f"England {eng['pct_65_plus']:.1f}%) and {row['pct_85_plus']:.1f}% were aged 85 and over "
        f"({llr_name} {llr['pct_85_plus']:.1f}%, England {eng['pct_85_plus']:.1f}%); "
        f"{row['pct_0_15']:.1f}% were children aged 0–15 (England {eng['pct_0_15']:.1f}%). "
        f"There were {row['oadr']:.0f} people aged 65+ for every 1,000 aged 16–64 (England {eng['oadr']:.0f}). "
        f"Between mid-{start} and mid-{end} the population {rise(pct['All ages'])} "
        f"({people['All ages']:+,.0f} people), the number aged 65+ {rise(pct['Aged 65+'])} "
        f"and the number aged 85+ {rise(pct['Aged 85+'])} (England: "
        f"{pct_eng['Aged 65+']:+.1f}% and {pct_eng['Aged 85+']:+.1f}%). "
        + (
            f"Of the {len(localities)} {nouns}, **{oldest}** {'have' if ' and ' in oldest else 'has'} the highest "
            f"share aged 65+ ({old_pct:.1f}%) and **{youngest}** the lowest "
            f"({young_pct:.1f}%)."
            if len(localities) > 1
            else ""
        )
    )


def census_text(table: pd.DataFrame, place: str) -> str:
    """Census 2021 against the mid-2020 estimate for the place, from :func:`census_comparison`'s table."""
    name = get_place(place).name
    c = cast(pd.Series, table.set_index("Area").loc[name])
    diff = c["Census vs mid-2020 estimate (%)"]
    if pd.isna(c["Census 2021"]):  # a district partly in another ICB: its census total is for the whole district
        return (
            f"Census 2021 is published by district, and part of {name}'s districts lies in another ICB, so no "
            f"Census 2021 total is shown for {name} (see the note at the top of this page)."
        )
    return (
        f"Census 2021 (21 March 2021) counted **{int(c['Census 2021']):,}** usual residents in {name}, "
        f"{abs(diff):.1f}% {'more' if diff > 0 else 'fewer'} "
        f"than the mid-2020 estimate; {c['% female (Census 2021)']:.1f}% were female. The difference is mostly a "
        "correction of the 2011-based estimates rather than growth in nine months, so the census and the estimates "
        "should not be read as a time series."
    )


def mapping_text(mapping: dict, place: str) -> str:
    """How the 2011 LSOAs of the estimates map to the 2021 LSOAs of the localities (:func:`mapping_summary`)."""
    merged = (
        f" and {mapping['merged_from']} were merged into {mapping['merged_into']}" if mapping["merged_from"] else ""
    )
    return (
        f"The estimates are published for LSOAs of the 2011 Census; localities are defined on 2021 LSOAs. "
        f"In {get_place(place).name}, {mapping['unchanged']} of the {mapping['lsoa11']} LSOAs (2011) are unchanged "
        f"in 2021, {mapping['split_from']} were split into {mapping['split_into']} LSOAs (2021)"
        + merged
        + ". Following the ONS exact-fit lookup, merged areas are added together; a split area's estimate is shared "
        "among its 2021 parts in proportion to their mid-2022 populations (published with the English Indices of "
        f"Deprivation 2025), separately for ages 0–15, 16–59 and 60+. Totals for districts, places and {load_places().llr_short_name} are "
        "unchanged by this; locality figures below district level are therefore estimates of estimates and are "
        "shown rounded. The map uses the 2011 LSOAs as published. The old-age dependency ratio here is people "
        "aged 65 and over per 1,000 aged 16–64 (ONS's headline measure uses State Pension age instead)."
    )
