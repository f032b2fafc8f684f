"""The life expectancy page's opening: the latest figures with 95% confidence intervals from the OHID
Fingertips API (indicator 90366) when they were fetched, otherwise the summary of the extract.

``llr fetch-fingertips`` brings 90366 only with internet access. Without it, :func:`summary_section`
and :func:`caveats_section` write the extract's summary (:func:`.text.place_summary_text`) and notes
(:func:`.sections.caveat_notes`), so the page is unchanged. With it, the summary gives the place's (and its districts') latest life expectancy
with its interval, compared with England by CI overlap (numbers from
:mod:`llr_analysis.analysis.life_expectancy.fingertips`), and a table of them.
"""

from __future__ import annotations

import pandas as pd

from llr_analysis.analysis.life_expectancy import fingertips as ft
from llr_analysis.analysis.life_expectancy.load import LifeExpectancyData
from llr_analysis.analysis.life_expectancy.places import SEXES, check_measure, le_series, versus
from llr_analysis.places import get_place
from llr_analysis.report.life_expectancy import text as le_text
from llr_analysis.report.life_expectancy.sections import caveat_notes as extract_caveat_notes
from llr_analysis.report.life_expectancy.text import by_key
from llr_analysis.report.page import Page, tidy_download
from llr_analysis.report.words import at_extreme

INDICATOR = "Life expectancy at birth (years)"


def _ci(lo: float, hi: float) -> str:
    return f"{lo:.1f} to {hi:.1f}"


def official_summary_text(t: pd.DataFrame, place: str) -> str:
    """The summary sentences from :func:`~llr_analysis.analysis.life_expectancy.fingertips.place_table`."""
    p = get_place(place)
    own_rows = t[t["role"] == "place"]
    own = by_key(own_rows, "sex")
    period = own_rows["period"].iloc[0]
    by_sex = [
        f"{own[s]['value']:.1f} years for {s.lower()}s (95% CI {_ci(own[s]['lower_95'], own[s]['upper_95'])})"
        for s in SEXES
        if s in own
    ]
    eng = [f"{own[s]['england_value']:.1f}" for s in SEXES if s in own]
    judged = [
        f"{versus(own[s]['comparison'], short=i > 0)} for {s.lower()}s"
        for i, s in enumerate(s for s in SEXES if s in own)
    ]
    text = (
        f"**In summary.** In {period}, life expectancy at birth in {p.name} was {' and '.join(by_sex)}, against "
        f"{' and '.join(eng)} years in England: {' and '.join(judged)} (judged by the 95% confidence "
        f"intervals). Source: {ft.SOURCE}."
    )
    dist = t[t["role"] == "district"]
    if len(dist):
        bits = []
        for sex in SEXES:
            d = dist[dist["sex"] == sex].sort_values("value")
            if d.empty:
                continue
            (lo, lo_names), (hi, hi_names) = (at_extreme(d, "value", "area_name", lowest=b) for b in (True, False))
            worse, better = int(d["comparison"].eq("worse").sum()), int(d["comparison"].eq("better").sum())
            bits.append(
                f"{sex.lower()}s from {lo:.1f} years in {lo_names} to {hi:.1f} in "
                f"{hi_names} ({better} of the {len(d)} better than England, {worse} worse)"
            )
        text += f" Across its {dist['area_code'].nunique()} districts, life expectancy ranged: {'; '.join(bits)}."
    return text


def official_display(t: pd.DataFrame) -> pd.DataFrame:
    """One row per area and sex: value with its 95% CI, England's value and the comparison (narrow for phones)."""
    return pd.DataFrame(
        {
            "Area": t["area_name"],
            "Sex": t["sex"],
            "Life expectancy, years (95% CI)": [
                f"{v:.1f} ({_ci(lo, hi)})" for v, lo, hi in zip(t["value"], t["lower_95"], t["upper_95"], strict=True)
            ],
            "England": t["england_value"].astype(float).round(1),
            "Compared with England": t["comparison"].replace({"comparator": "–"}),
        }
    ).reset_index(drop=True)


def official_download(t: pd.DataFrame) -> pd.DataFrame:
    """The table's CSV download: value, 95% limits, comparison and England's value, with the gap."""
    keep = ["area_code", "area_name", "period", "sex", "value", "lower_95", "upper_95", "comparison", "england_value"]
    return tidy_download(t[keep].assign(gap_to_england=t["gap"]), indicator=INDICATOR, source_id=ft.SOURCE_ID)


#: For analysts: how the figures are compared and where they come from.
ANALYST_NOTE = (
    "Life expectancy at birth with 95% confidence intervals from the OHID Fingertips API (indicator 90366, "
    "fetched by `llr fetch-fingertips`, table life_expectancy/fingertips_le: area type 502 for counties and "
    "unitary authorities, 501 for districts). An area is better or worse than England when its 95% interval "
    "lies entirely above or below England's value for the same period and sex (OHID's CI-overlap method; an "
    "interval that includes England's value is similar). These figures are preferred to the Trafford Data Lab "
    "extract of the same indicator (no intervals, no county row) for the latest period; the trend and gap "
    "charts below still use the extract and the ONS 2019 edition."
)


def summary_section(page: Page, data: LifeExpectancyData, place: str, measure: str = "birth") -> pd.DataFrame | None:
    """The page's opening summary. With 90366 from the Fingertips API for the place (life expectancy at
    birth): sentences and a table with 95% CIs compared with England, and a folded note for analysts;
    returns the table. Otherwise the extract's summary (:func:`.text.place_summary_text`),
    exactly as before, and None."""
    birth = check_measure(measure) == "birth"
    t = ft.preferred_table(data.fingertips_le, data.le_la, place) if birth else pd.DataFrame()
    if t.empty:
        page.markdown(le_text.place_summary_text(data, place, measure))
        older = ft.place_table(data.fingertips_le, place) if birth else t
        if len(older):  # fetched, but older than the extract's latest period: said for analysts only
            page.note(
                f"Life expectancy with 95% confidence intervals from the OHID Fingertips API (indicator 90366) "
                f"was fetched for {older['period'].iloc[0]}, but the extract of the same indicator has a later "
                f"period for {get_place(place).name} ({ft.extract_latest(data.le_la, place)}), so the summary uses "
                "the extract (no intervals).",
                title="For analysts",
                collapse=True,
            )
        return None
    name = get_place(place).name
    page.markdown(official_summary_text(t, place))
    districts = ", its districts" if (t["role"] == "district").any() else ""
    page.table(
        official_display(t),
        "le-latest-with-ci",
        caption=(
            f"Life expectancy at birth with 95% confidence intervals, {name}{districts} and England, "
            f"{t['period'].iloc[0]}; source: {ft.SOURCE_SHORT}"
        ),
        download=official_download(t),
    )
    page.note(ANALYST_NOTE, title="For analysts", collapse=True)
    return t


def caveat_notes(data: LifeExpectancyData, place: str, measure: str, trend: pd.DataFrame) -> list[str]:
    """:func:`.sections.caveat_notes`, with the note on the extract's missing county row reworded when the
    Fingertips API gave the county's own latest figure."""
    notes = extract_caveat_notes(place, measure, trend)
    p = get_place(place)
    birth = check_measure(measure) == "birth"
    t = ft.preferred_table(data.fingertips_le, data.le_la, place) if birth else pd.DataFrame()
    if t.empty or not (trend["role"] == "district").any():
        return notes
    extract_note = f"no row for {p.name} county"
    return [
        (
            f"The figures for {p.name} county at the top of this page come from OHID's Fingertips API with "
            f"confidence intervals ({t['period'].iloc[0]}). The extract of the same indicator used for the trend "
            f"and gap charts below (a reshape by Trafford Data Lab) has no row for {p.name} county, so from "
            "2017-19 the charts show the county through its districts only."
        )
        if extract_note in n
        else n
        for n in notes
    ]


def caveats_section(page: Page, data: LifeExpectancyData, place: str, measure: str = "birth") -> None:
    """The notes under the summary (:func:`caveat_notes`)."""
    for note in caveat_notes(data, place, measure, le_series(data.le_la, place, measure)):
        page.note(note)
