"""The life expectancy pages' localities section: one tabset with a tab per locality level of the place.

Districts show their published figures; wards show the MSOA (2011) figures of the MSOAs their residents
live in, always called MSOA figures; MSOAs show the 2009-13 small-area figures; primary care networks
show GP-practice life expectancy grouped by PCN. The numbers come from
:mod:`llr_analysis.analysis.life_expectancy.localities`.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from llr_analysis.analysis.life_expectancy import localities as lel
from llr_analysis.analysis.life_expectancy.load import LifeExpectancyData
from llr_analysis.analysis.localities import areas
from llr_analysis.places import LocalityLevel, get_place
from llr_analysis.report import localities as loc_report
from llr_analysis.report.charts import choropleth
from llr_analysis.report.life_expectancy.sections import gp_section
from llr_analysis.report.page import Page, tidy_download
from llr_analysis.report.words import is_older_data

MSOA_SOURCE = "le_hle_msoa_2009_13"
GP_SOURCE = "le_gp_practice_heec"
#: Ward maps (MSOA colours with ward outlines) are drawn for places with at most this many wards. Map shapes are
#: in files shared by the pages (report/charts.py), so a county's hundred-odd ward outlines no longer weigh on its page.
MAX_WARDS_MAPPED = 200


def older(period: str) -> str:
    """' (older data)' for a period that ended more than three years ago."""
    return " (older data)" if is_older_data(period) else ""


def _range(lo: float, hi: float) -> str:
    if pd.isna(lo):
        return "no figure"
    return f"{lo:.1f}" if round(lo, 1) == round(hi, 1) else f"{lo:.1f} to {hi:.1f}"


# ------------------------------------------------------------------------------ districts


def district_tab(page: Page, data: LifeExpectancyData, place: str) -> None:
    """The districts tab: each district's published life expectancy and the range of its MSOAs."""
    d = lel.district_le(data, place)
    name = get_place(place).name
    if d.empty:
        page.markdown(f"{name} is a single local authority: its published figures are at the top of this page.")
        return
    period = d["period"].iloc[0]
    page.markdown(
        f"Life expectancy at birth is published for each of {name}'s {d['area_code'].nunique()} districts "
        f"(OHID Fingertips, {period}). The comparison with England is OHID's own; the extract has no confidence "
        f"intervals. Beside each district, the range of its MSOAs (2011) in {lel.MSOA_PERIOD}{older(lel.MSOA_PERIOD)} "
        "shows how much life expectancy varied inside it."
    )
    shown = pd.DataFrame(
        {
            "District": d["area_name"],
            "Sex": d["sex"],
            f"Life expectancy, {period}": d["value"].round(1),
            "England": d["england_value"].round(1),
            "Difference from England": d["gap"].round(1),
            "OHID's comparison with England": d["ohid_comparison"].str.lower(),
            f"Its MSOAs (2011), {lel.MSOA_PERIOD}": [
                _range(a, b) for a, b in zip(d["msoa_low"], d["msoa_high"], strict=True)
            ],
        }
    )
    page.table(
        shown,
        "le-districts",
        caption=f"Life expectancy at birth by district, {name}, {period} (years; districts in alphabetical order)",
        download=tidy_download(
            d[["area_code", "area_name", "period", "sex", "value", "england_value", "gap", "ohid_comparison"]].rename(
                columns={"ohid_comparison": "comparison", "gap": "difference_from_england"}
            ),
            indicator="Life expectancy at birth (years)",
            source_id="le_lad_fingertips_2015_2025",
        ),
    )


# ------------------------------------------------------------------------------ wards


def ward_display(summary: pd.DataFrame) -> pd.DataFrame:
    """Every ward with the MSOAs (2011) holding its residents and the range of their life expectancies."""
    return pd.DataFrame(
        {
            "Ward": summary["ward_name"],
            "MSOAs (2011) holding its residents": summary["n_msoas"],
            "MSOA holding most of them (share)": [
                f"{m} ({100 * s:.0f}%)" if isinstance(m, str) else "none"
                for m, s in zip(summary["main_msoa"], summary["main_share"], strict=True)
            ],
            "Males: life expectancy of those MSOAs": [
                _range(a, b) for a, b in zip(summary["male_low"], summary["male_high"], strict=True)
            ],
            "Females: life expectancy of those MSOAs": [
                _range(a, b) for a, b in zip(summary["female_low"], summary["female_high"], strict=True)
            ],
        }
    )


def ward_text(summary: pd.DataFrame, place: str, year: int) -> str:
    """Why wards show MSOA figures, and how many wards lie within one MSOA."""
    name = get_place(place).name
    single = int((summary["n_msoas"] == 1).sum())
    return (
        f"**No life expectancy is published for wards.** The nearest figures are ONS's estimates for MSOAs (2011) "
        f"in {lel.MSOA_PERIOD}{older(lel.MSOA_PERIOD)}, so for each of {name}'s {len(summary)} wards the table gives "
        "the MSOAs its residents live in and the range of those MSOAs' life expectancy: these are MSOA figures, "
        f"not ward figures. {single} of the {len(summary)} wards lie within a single MSOA"
        + (
            "; the others overlap several, and the range leaves out MSOAs holding under 5% of a ward's residents."
            if single < len(summary)
            else "."
        )
        + f" Residents are counted from the {year} small-area population estimates."
    )


def ward_tab(page: Page, data: LifeExpectancyData, place: str, sex: str) -> None:
    """The wards tab: the MSOAs holding each ward's residents (table) and the MSOA map with wards outlined."""
    name = get_place(place).name
    summary = lel.ward_summary(data, place)
    long = lel.ward_le_long(data, place)
    year = int(lel.ward_msoa_overlap(data, place)["residents_year"].iloc[0])
    page.markdown(loc_report.ward_basis_text(data.localities, place))
    page.markdown(ward_text(summary, place, year))
    download = tidy_download(
        long.rename(
            columns={
                "ward_code": "area_code",
                "ward_name": "area_name",
                "msoa11_hcl_name": "msoa11_name",
                "le": "value",
                "le_lower_95": "lower_95",
                "le_upper_95": "upper_95",
                "share": "share_of_ward_residents",
            }
        ),
        indicator="Life expectancy at birth of an MSOA (2011) holding residents of the ward (years; an MSOA figure, "
        "not a ward figure)",
        period=lel.MSOA_PERIOD,
        source_id=MSOA_SOURCE,
    )
    page.table(
        ward_display(summary),
        "le-wards",
        caption=f"Wards of {name} (alphabetical) and the life expectancy at birth of the MSOAs (2011) their residents "
        f"live in, {lel.MSOA_PERIOD}{older(lel.MSOA_PERIOD)} (years)",
        download=download,
    )
    if len(summary) > MAX_WARDS_MAPPED:  # keeps the page under its weight limit; the MSOA tab has the map
        page.markdown(
            f"With {len(summary)} wards, no ward map is drawn here: the MSOA tab maps the MSOAs (2011) themselves."
        )
        return
    geo = data.msoa11_boundaries
    m = lel.msoa_le_all(data.msoa11, place)
    geo = geo[["msoa11_code", "geometry"]].merge(m[m["sex"] == sex], on="msoa11_code")
    geo["value"] = geo["le"].round(1)
    geo["ci"] = [f"{a:.1f} to {b:.1f}" for a, b in zip(geo["le_lower_95"], geo["le_upper_95"], strict=True)]
    geo = geo[["geometry", "msoa11_hcl_name", "value", "ci"]]
    page.chart(
        choropleth(
            geo,
            "value",
            f"{sex} life expectancy, MSOAs (2011)",
            [("msoa11_hcl_name", "MSOA (2011)"), ("value", f"{sex} life expectancy (years)"), ("ci", "95% CI")],
            scheme="blues",
            legend_title="Years",
            width=330,
            height=330,
            outlines=areas.outlines(data.localities, place, "ward"),
        ),
        "le-wards-map",
        title=f"{sex} life expectancy at birth by MSOA (2011), {lel.MSOA_PERIOD}, with {name}'s wards outlined",
        description=(
            f"The colours are the MSOAs' (2011) life expectancy (darker = longer); the dark lines are the outlines "
            f"of {name}'s wards (as groups of small areas), named in their tooltips"
            + (" and on the map" if len(summary) <= 25 else "")
            + ". Where a ward crosses MSOAs, its residents live in areas of different life expectancy."
        ),
        data=download,
    )


# ------------------------------------------------------------------------------ PCNs


def pcn_text(practices: pd.DataFrame, pcns: pd.DataFrame, place: str) -> str:
    """What GP-practice life expectancy is and how a PCN is summarised."""
    name = get_place(place).name
    year = int(practices["year"].iloc[0])
    return (
        f"**GP-practice life expectancy, {year}{older(str(year))}.** OHID models each practice's life expectancy "
        "from the life expectancy of the MSOAs its patients live in (the file labels it "
        f"{year} without stating the years it covers, and gives no confidence intervals). {name} has "
        f"{len(pcns)} primary care network{'s' if len(pcns) != 1 else ''} with "
        f"{int((practices['group'] == 'pcn').sum())} open practices in the file. A PCN's summary is the median of "
        "its practices' figures, with the lowest and highest: not a life expectancy of the PCN's patients, which "
        "is not published. PCNs are listed from the lowest median for males."
    )


def pcn_display(pcns: pd.DataFrame) -> pd.DataFrame:
    """The PCN table as shown: practices used and missing, median and range by sex."""
    return pd.DataFrame(
        {
            "PCN": pcns["pcn_name"],
            "Practices used": pcns["practices"],
            "Practices without a figure": pcns.get("practices_missing", pd.Series(0, index=pcns.index)),
            "Males: median of practices": pcns["male_median"].round(1),
            "Males: lowest to highest": [
                _range(a, b) for a, b in zip(pcns["male_low"], pcns["male_high"], strict=True)
            ],
            "Females: median of practices": pcns["female_median"].round(1),
            "Females: lowest to highest": [
                _range(a, b) for a, b in zip(pcns["female_low"], pcns["female_high"], strict=True)
            ],
        }
    )


def practice_display(practices: pd.DataFrame) -> pd.DataFrame:
    """The practice table as shown."""
    return pd.DataFrame(
        {
            "Practice": practices["practice_name"].fillna("not in the practice list").str.title(),
            "Code": practices["practice_code"],
            "PCN": practices["pcn_name"].fillna("no PCN on record"),
            "Status (ODS)": practices["status"].fillna("unknown"),
            "Males": practices["Male"].round(1),
            "Females": practices["Female"].round(1),
            "Practice IMD quintile (5 = most deprived)": practices["imd_quintile"].astype("Int64"),
        }
    )


def pcn_tab(page: Page, data: LifeExpectancyData, place: str) -> None:
    """The PCN tab: GP-practice life expectancy grouped by PCN, the practices apart, and every practice of the ICS."""
    name = get_place(place).name
    page.markdown(loc_report.pcn_basis_text())
    practices = lel.practice_le(data, place)
    if practices.empty:
        page.markdown(
            "GP-practice life expectancy is not available on this site at present, so no PCN figures are shown."
        )
        page.note(
            "The raw file of OHID Fingertips 650 shares a file name with the Fingertips 90366 extract in the sources "
            "registry, so one overwrites the other when the data are fetched.",
            title="For analysts",
            collapse=True,
        )
        return
    pcns = lel.pcn_le(practices)
    year = str(int(practices["year"].iloc[0]))
    page.markdown(pcn_text(practices, pcns, place))
    in_pcn = practices[practices["group"] == "pcn"]
    page.table(
        pcn_display(pcns),
        "le-pcns",
        caption=f"Life expectancy at birth of the GP practices of each primary care network, {name}, {year}"
        f"{older(year)} (years; lowest median for males first)",
        download=tidy_download(
            pcns.rename(columns={"pcn_code": "area_code", "pcn_name": "area_name", "practices": "count"}),
            indicator="Median (lowest, highest) of the PCN's practices' life expectancy at birth (years)",
            period=year,
            source_id=GP_SOURCE,
        ),
    )
    practice_dl = tidy_download(
        practices.melt(
            id_vars=["practice_code", "practice_name", "pcn_code", "pcn_name", "status", "group", "imd_quintile"],
            value_vars=["Male", "Female"],
            var_name="sex",
            value_name="value",
        ).rename(columns={"practice_code": "area_code", "practice_name": "area_name"}),
        indicator="Life expectancy at birth, GP practice (years; no confidence intervals in the source)",
        period=year,
        source_id=GP_SOURCE,
    )
    page.table(
        practice_display(in_pcn),
        "le-pcn-practices",
        caption=f"Life expectancy at birth by GP practice, open practices of {name}'s PCNs, {year}{older(year)} "
        "(years; by PCN, then practice)",
        download=practice_dl,
    )
    apart = practices[practices["group"] == "apart"]
    if len(apart):
        page.table(
            practice_display(apart),
            "le-practices-apart",
            caption=f"Practices of {name} that are closed or have no PCN on record (not counted in any PCN), {year}",
        )
    else:
        page.markdown(f"Every practice of {name} in the file is open and belongs to a PCN.")
    gp_section(page, data)  # every practice of the ICS by deprivation quintile


# ------------------------------------------------------------------------------ the tabset


def locality_section(
    page: Page, data: LifeExpectancyData, place: str, sex: str, msoa_section: Callable[[], None]
) -> list[str]:
    """The localities tabset of the life expectancy page. ``msoa_section()`` writes the MSOA tab (the page's
    MSOA map, counts, lowest ten and deprivation scatter). Returns the tab titles."""

    def section(level: LocalityLevel) -> None:
        if level.id == "district":
            district_tab(page, data, place)
        elif level.id == "ward":
            ward_tab(page, data, place, sex)
        elif level.id == "msoa":
            page.markdown(
                f"These are ONS's small-area figures for {lel.MSOA_PERIOD}{older(lel.MSOA_PERIOD)}, published on the "
                "2011 MSOAs; the 2021 MSOAs used elsewhere on this site are mostly the same areas, but some were "
                "split or merged, so the areas here are the 2011 ones."
            )
            msoa_section()
        else:
            pcn_tab(page, data, place)

    return loc_report.locality_tabs(page, place, section)
