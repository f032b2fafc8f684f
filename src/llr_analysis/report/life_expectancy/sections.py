"""Page sections of the life expectancy pages, written through :class:`llr_analysis.report.page.Page`.

Each section takes ``(page, data, ...)``: the loaded tables (:class:`~llr_analysis.analysis.life_expectancy.load.LifeExpectancyData`)
and the page's parameters. The numbers come from :mod:`llr_analysis.analysis.life_expectancy`, the sentences
from :mod:`.text`, the charts and display tables from :mod:`.charts`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from llr_analysis.analysis.life_expectancy import places as le
from llr_analysis.analysis.life_expectancy.load import LifeExpectancyData
from llr_analysis.analysis.life_expectancy.localities import gp_practice_le
from llr_analysis.analysis.life_expectancy.places import (
    LE_SERIES,
    MEASURES,
    SEXES,
    SII_SERIES,
    check_measure,
    gap_to_england,
    hle_series,
    le_series,
    poor_health_years,
    sii_series,
)
from llr_analysis.analysis.life_expectancy.small_areas import MIN_MSOAS_FOR_GRADIENT, msoa_counts
from llr_analysis.places import get_place, load_places
from llr_analysis.report import colours
from llr_analysis.report.life_expectancy.charts import (
    gp_chart,
    hle_chart,
    imd_scatter,
    line_chart,
    llr_latest_display,
    msoa_maps,
    poor_health_chart,
    series_break_display,
)
from llr_analysis.report.life_expectancy.text import hle_agreement_text, hle_text, msoa_text, no_figure_text, sii_text
from llr_analysis.report.page import Page, tidy_download

# ------------------------------------------------------------------------------ page sections

MSOA_SOURCE = "le_hle_msoa_2009_13"
MSOA_COLUMNS = {"msoa11_code": "area_code", "msoa11_hcl_name": "area_name", "le": "value"}
MSOA_CI = {"le_lower_95": "lower_95", "le_upper_95": "upper_95"}


def le_download(df: pd.DataFrame, indicator: str, value: str = "value", comparison: str | None = None) -> pd.DataFrame:
    """A CSV download of one of this topic's frames: ``value`` as the value, ``comparison`` as the comparison."""
    # When another column is the value (e.g. the gap to England), the area's own figure is kept as area_value.
    own = {"value": "area_value", "lower_95": "area_lower_95", "upper_95": "area_upper_95"} if value != "value" else {}
    d = df.rename(columns=own).rename(columns={value: "value"}).copy()
    if comparison:
        d["comparison"] = d[comparison]
    keep = ["area_code", "area_name", "period", "sex", "value", "lower_95", "upper_95", "comparison", *own.values()]
    keep = [c for c in [*keep, "source_id", "series", "series_label", "england_value"] if c in d.columns]
    return tidy_download(d[keep], indicator=indicator)


def _where(place: str, trend: pd.DataFrame) -> str:
    """'<place> and England' / '<place>, its districts and England'."""
    return f"{get_place(place).name}{', its districts' if (trend['role'] == 'district').any() else ''} and England"


def _colours(place: str, trend: pd.DataFrame) -> str:
    """How the trend charts colour their areas (a sentence for the chart descriptions)."""
    name = get_place(place).name
    colour = colours.colour_name(colours.place_colour(place))
    if (trend["role"] == "district").any():
        return (
            f" {name} is the thick {colour} line, England black, and each of its districts a thin grey line "
            "(hover to name it)."
        )
    return f" {name} is {colour} and England black."


def _label(measure: str) -> str:
    return MEASURES[measure][0].upper() + MEASURES[measure][1:]


def caveat_notes(place: str, measure: str, trend: pd.DataFrame) -> list[str]:
    """The notes under the summary: what the sources of the trend do not cover for this place and measure."""
    notes = []
    if check_measure(measure) == "65":
        notes.append(
            "Life expectancy at age 65 is available here from the ONS 2019 edition only, so it ends at 2016-18 "
            "(older data): the later figures used on this site are for life expectancy at birth only."
        )
    if (trend["role"] == "district").any():
        notes.append(
            "The extract of OHID Fingertips 90366 used here (a third-party reshape by Trafford Data Lab) has "
            f"districts and unitary authorities but no row for {get_place(place).name} county, so from 2017-19 the "
            "county is shown through its districts only; no county figure is derived from them (an average of "
            "district life expectancies is not a life expectancy)."
        )
    notes.append(
        f"No life expectancy for {load_places().llr_short_name} as a whole is published in these sources, and the "
        f"deaths by age needed to calculate one are not available to this site; the table below sets every "
        f"{load_places().llr_short_name} area side by side instead."
    )
    return notes


def _none_here(page: Page, df: pd.DataFrame, what: str, place: str) -> bool:
    """True (and says so on the page) when ``df`` has no value for the place or its districts: the sources give
    none (a recorded known gap), so a chart would show England alone."""
    if df.loc[df["role"].isin(["place", "district"]), "value"].notna().any():
        return False
    page.markdown(no_figure_text(what, get_place(place).name))
    return True


def trend_section(page: Page, data: LifeExpectancyData, place: str, measure: str) -> None:
    """Life expectancy over time by sex, both series."""
    measure = check_measure(measure)
    trend = le_series(data.le_la, place, measure)
    if _none_here(page, trend, MEASURES[measure], place):
        return
    periods = sorted(trend["period"].unique(), key=lambda p: int(p[:4]))
    page.chart(
        line_chart(trend, "value", f"{_label(measure)} (years)", get_place(place).name, LE_SERIES),
        "le-trend",
        title=f"{_label(measure)} by sex, {_where(place, trend)}, {periods[0]} to {periods[-1]}",
        description=(
            f"Lines show {MEASURES[measure]} for each 3-year period, one panel per sex. Solid lines with circles are "
            "the ONS 2019 edition (to 2016-18); dashed lines with triangles are OHID Fingertips figures (2015-17 "
            "onwards). The two series overlap in 2015-17 and 2016-18 and differ slightly there, so both are shown."
            + _colours(place, trend)
        ),
        data=le_download(trend, f"{_label(measure)} (years)", comparison="ohid_comparison"),
    )


def gap_section(page: Page, data: LifeExpectancyData, place: str, measure: str) -> None:
    """The gap to England over time (chart) and the latest value of every area of the ICS (table)."""
    measure = check_measure(measure)
    trend = le_series(data.le_la, place, measure)
    if _none_here(page, trend, f"gap to England in {MEASURES[measure]}", place):
        return
    gaps, label, name = gap_to_england(trend), MEASURES[measure], get_place(place).name
    districts = " and its districts" if (trend["role"] == "district").any() else ""
    page.chart(
        line_chart(gaps, "gap", "Difference from England (years)", name, LE_SERIES, zero_rule=True),
        "le-gap-to-england",
        title=f"Difference from England in {label}, {name}{districts}",
        description=(
            "Each line is the area's value minus England's value in the same series and period: below the dotted "
            "zero line means shorter lives than England. Gaps are always taken within one series."
            + _colours(place, trend)
        ),
        data=le_download(gaps, f"Difference from England in {label} (years)", value="gap"),
    )
    latest = le.llr_latest_table(data.le_la, measure)
    page.table(
        llr_latest_display(latest),
        "llr-latest",
        caption=f"Latest {label} in every {load_places().llr_short_name} area and England, by series (difference = area minus England)",
        download=le_download(latest, f"{_label(measure)} (years)", comparison="ohid_comparison"),
    )


def series_break_section(page: Page, data: LifeExpectancyData, place: str, measure: str) -> None:
    """Where the ONS 2019 edition and Fingertips overlap: how far apart they are (text and table)."""
    measure = check_measure(measure)
    trend = le_series(data.le_la, place, measure)
    brk, label = le.series_break(data.le_la, place, measure), MEASURES[measure]
    if not len(brk):
        page.note(
            "The ONS 2019 edition and the Fingertips extract do not overlap for this measure, so there is no "
            "break to show."
        )
        return
    page.markdown(
        f"**Where the two series overlap.** For {' and '.join(sorted(brk['period'].unique()))} both the ONS 2019 "
        f"edition and OHID's Fingertips give a value. They differ by up to {brk['difference'].abs().max():.2f} years "
        "for the areas on this page: Fingertips holds ONS's later calculation for those periods, and the extract "
        "rounds to 1 decimal place. The page shows both, marked by series, and never joins one series onto the other."
    )
    page.table(
        series_break_display(brk),
        "series-overlap",
        caption=f"Fingertips minus ONS 2019 edition, {label} in years, where the two series overlap, "
        f"{_where(place, trend)}",
        download=tidy_download(
            brk.rename(columns={"difference": "value"}),
            indicator=f"Fingertips minus ONS 2019 edition, {label} (years)",
        ),
        float_format="{:,.2f}",
    )


def hle_section(page: Page, data: LifeExpectancyData, place: str, measure: str = "birth") -> None:
    """Healthy life expectancy: the latest figures, how the sources agree, and the trend chart."""
    trend = le_series(data.le_la, place, measure)
    name, hle = get_place(place).name, hle_series(data.hle, place)
    if hle.loc[hle["area_code"] == get_place(place).code, "value"].isna().all():
        page.markdown(no_figure_text("healthy life expectancy", name))
        return
    page.markdown(hle_text(data, place))
    agreement = hle_agreement_text(le.hle_fingertips_agreement(data.hle, place), place)
    if agreement:
        page.markdown(agreement)
    if (trend["role"] == "district").any():
        page.note(
            f"Healthy life expectancy is published for upper-tier authorities only: there are no figures for "
            f"{name}'s districts."
        )
    o = le.hle_series_overlap(hle)
    page.chart(
        hle_chart(hle, name),
        "hle-trend",
        title=f"Healthy life expectancy at birth with 95% confidence intervals, {name} and England",
        description=(
            "Filled circles with vertical bars are ONS's February 2026 figures with their 95% confidence intervals "
            f"({o['new_first']} to {o['new_last']}); hollow diamonds are the figures OHID published in "
            f"2020 under ONS's earlier method ({o['old_first']} to {o['old_last']}), which differ by up to "
            f"{o['max_abs_difference']:.1f} years in the periods both cover. Hover for each "
            "value and its comparison with England."
        ),
        data=le_download(hle, "Healthy life expectancy at birth (years)", comparison="comparison"),
    )


def poor_health_section(page: Page, data: LifeExpectancyData, place: str) -> None:
    """Years in and not in good health: the latest period (chart) and every period (table)."""
    name, ph = get_place(place).name, poor_health_years(data.hle, data.le_la, place)
    if not (ph["area_code"] == get_place(place).code).any():
        page.markdown(no_figure_text("figure for the years lived in and not in good health", name))
        return
    latest, indicator = le.latest_poor_health(ph, place), "Years of life not in good health (LE minus HLE)"
    page.chart(
        poor_health_chart(latest, name),
        "years-in-poor-health",
        title=f"Years in good health and not in good health, {name} and England, {latest['period'].iloc[0]}",
        description=(
            "Each bar is life expectancy at birth split into healthy life expectancy (years in good health) and "
            "the remaining years not in good health."
        ),
        data=le_download(latest, indicator, value="poor_health_years"),
    )
    page.table(
        le.poor_health_table(ph, place),
        "years-in-poor-health-table",
        caption=f"Life expectancy, healthy life expectancy and years not in good health at birth, {name}",
        download=le_download(ph, indicator, value="poor_health_years"),
    )


def sii_section(page: Page, data: LifeExpectancyData, place: str, measure: str = "birth") -> None:
    """The slope index of inequality: latest figures (text), trend (chart), districts without one (note)."""
    trend = le_series(data.le_la, place, measure)
    sii = sii_series(data.sii, place)
    page.markdown(sii_text(data, place))
    page.chart(
        line_chart(
            sii.dropna(subset=["value"]),
            "value",
            "Slope index of inequality (years)",
            get_place(place).name,
            SII_SERIES,
        ),
        "sii-trend",
        title=f"Slope index of inequality in life expectancy at birth, {_where(place, trend)}",
        description=(
            "The slope index of inequality is the modelled gap in life expectancy between the most and least "
            "deprived ends of an area, in years (larger = more unequal). Solid lines are the counties/unitary "
            "authorities extract of 2020 (to 2015-17); dashed lines are the current districts/unitary authorities "
            "extract (2015-17 onwards). Confidence intervals are not in either extract." + _colours(place, trend)
        ),
        data=le_download(sii, "Slope index of inequality in life expectancy at birth (years)"),
    )
    missing = le.districts_without_sii(sii)
    if missing:
        page.note(f"No slope index of inequality is published for {', '.join(missing)} in these extracts.")


def msoa_section(page: Page, data: LifeExpectancyData, msoa: pd.DataFrame, fit: dict, place: str, sex: str) -> None:
    """MSOA life expectancy 2009-13: text, maps against England and the place, counts and the lowest ten."""
    name, indicator = get_place(place).name, f"{sex} life expectancy at birth (years)"
    page.markdown(msoa_text(msoa, fit, place, sex))
    page.note(
        "These are the latest small-area life expectancies published by ONS: 2009-13, on the 2011 MSOAs (about "
        "7,200 residents each), so they predate the later periods above and the 2021 MSOAs used elsewhere on this "
        "site."
    )
    geo = data.msoa11_boundaries.merge(msoa, on="msoa11_code")
    keep = ["geometry", "msoa11_code", "msoa11_hcl_name", "lad_name", "le", "le_lower_95", "le_upper_95"]
    geo = geo[[*keep, "vs_england", "vs_place", "imd_score"]]
    tidy = {**MSOA_COLUMNS, **MSOA_CI, "vs_england": "comparison"}
    page.chart(
        msoa_maps(geo, name),
        "msoa-le-maps",
        title=f"{sex} life expectancy at birth by MSOA (2011), {name}, 2009-13, compared with England and with {name}",
        description=(
            f"Two maps of the {len(geo)} MSOAs. Each MSOA is coloured by whether its 95% confidence interval lies "
            f"entirely above (better), entirely below (worse) or around (similar) England's value (left) and "
            f"{name}'s value (right). Hover for the life expectancy and its interval."
        ),
        data=tidy_download(msoa.rename(columns=tidy), indicator=indicator, period="2009-13", source_id=MSOA_SOURCE),
    )
    page.table(
        msoa_counts(msoa).rename(
            columns={
                "comparison": "Life expectancy is",
                "vs_place": f"Compared with {name}",
                "vs_england": "Compared with England",
            }
        ),
        "msoa-comparison-counts",
        caption=f"Number of MSOAs by comparison, {sex.lower()} life expectancy 2009-13, {name} (95% confidence "
        "intervals)",
    )
    lowest = msoa.head(10)
    shown = {
        "msoa11_hcl_name": "MSOA",
        "msoa11_code": "Code (2011)",
        "lad_name": "District",
        "le": "Life expectancy",
        "le_lower_95": "95% CI lower",
        "le_upper_95": "95% CI upper",
        "vs_place": f"vs {name}",
        "vs_england": "vs England",
        "imd_score": "IMD 2019 score",
    }
    page.table(
        lowest[list(shown)].rename(columns=shown),
        "msoa-lowest",
        caption=f"The {len(lowest)} MSOAs with the lowest {sex.lower()} life expectancy, {name}, 2009-13 (all "
        "MSOAs are in the map's CSV)",
        download=tidy_download(
            lowest.rename(columns=tidy), indicator=indicator, period="2009-13", source_id=MSOA_SOURCE
        ),
    )


def imd_scatter_section(page: Page, msoa: pd.DataFrame, fit: dict, place: str, sex: str) -> None:
    """MSOA life expectancy against IMD 2019 score, with the fitted line where there are enough MSOAs."""
    name = get_place(place).name
    keep = ["area_code", "area_name", "value", "lower_95", "upper_95", "imd_score", "lad_name"]
    page.chart(
        imd_scatter(msoa, fit, name),
        "msoa-le-vs-imd",
        title=f"{sex} life expectancy at birth (2009-13) against IMD 2019 score, MSOAs (2011) in {name}",
        description=(
            "One dot per MSOA. The IMD score of an MSOA is the population-weighted average of its LSOAs' IMD 2019 "
            "scores; higher means more deprived. "
            + (
                "The dashed line is the least-squares fit described above."
                if fit["n"] >= MIN_MSOAS_FOR_GRADIENT
                else "No line is drawn: there are too few MSOAs."
            )
        ),
        data=tidy_download(
            msoa.rename(columns={**MSOA_COLUMNS, **MSOA_CI})[keep],
            indicator=f"{sex} life expectancy at birth (years)",
            period="2009-13",
            source_id=f"{MSOA_SOURCE}; iod2019_file7",
        ),
    )


def gp_section(page: Page, data: LifeExpectancyData) -> None:
    """GP-practice life expectancy by practice IMD quintile for the latest year in the file (or why there is none)."""
    gp, llr_name = gp_practice_le(data.gp_practice), load_places().llr_short_name
    if gp.empty:
        page.markdown("GP-practice life expectancy is not available on this site at present.")
        page.note(
            "OHID Fingertips 650's raw file shares a file name with the Fingertips 90366 extract in the sources "
            "registry, so one overwrites the other when the data are fetched.",
            title="For analysts",
            collapse=True,
        )
        return
    year = int(gp["year"].max())
    latest = gp[gp["year"] == year]
    med = latest.groupby(["sex", "imd_quintile"])["value"].median()
    q = sorted(latest["imd_quintile"].dropna().unique())
    bits = [
        f"{sex.lower()}s {med.get((sex, q[-1]), np.nan):.1f} years in quintile {q[-1]} (most deprived) and "
        f"{med.get((sex, q[0]), np.nan):.1f} in quintile {q[0]} (least deprived)"
        for sex in SEXES
    ]
    page.markdown(
        f"Across all {latest['practice_code'].nunique()} practices of the {llr_name} ICB in {year}, the median "
        f"practice life expectancy by practice deprivation quintile was: {'; '.join(bits)}."
    )
    page.chart(
        gp_chart(latest),
        "gp-practice-le",
        title=f"Life expectancy at birth by GP practice and practice IMD quintile, {llr_name}, {year}",
        description="One dot per practice; the black tick is the median of each quintile (5 = most deprived).",
        data=tidy_download(
            latest.rename(columns={"practice_code": "area_code"}),
            indicator="Life expectancy at birth, GP practice (years)",
            period=str(year),
        ),
    )
