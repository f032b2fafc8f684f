"""The life expectancy page's opening: the latest figures with 95% confidence intervals from the OHID
Fingertips API (indicator 90366) when they were fetched, otherwise the summary of the extract.

``llr fetch-fingertips`` brings 90366 only with internet access. Without it, :func:`summary_section`
and :func:`caveats_section` write exactly what :mod:`llr_analysis.report.life_expectancy` writes, so the
page is unchanged. With it, the summary gives the place's (and its districts') latest life expectancy
with its interval, compared with England by CI overlap (numbers from
:mod:`llr_analysis.analysis.life_expectancy_fingertips`), and a table of them.
"""

from __future__ import annotations

import pandas as pd

from llr_analysis.analysis.life_expectancy import fingertips as ft
from llr_analysis.analysis.life_expectancy.places import SEXES, _versus, check_measure
from llr_analysis.places import get_place
from llr_analysis.report.life_expectancy import sections as le_report
from llr_analysis.report.page import Page, tidy_download
from llr_analysis.report.words import at_extreme

INDICATOR = "Life expectancy at birth (years)"


def _ci(lo, hi) -> str:
    return f"{lo:.1f} to {hi:.1f}"


def official_summary_text(t: pd.DataFrame, place: str) -> str:
    """The summary sentences from :func:`~llr_analysis.analysis.life_expectancy_fingertips.place_table`."""
    p = get_place(place)
    own = t[t["role"] == "place"].set_index("sex")
    period = own["period"].iloc[0]
    by_sex = [
        f"{own.loc[s, 'value']:.1f} years for {s.lower()}s (95% CI {_ci(own.loc[s, 'lower_95'], own.loc[s, 'upper_95'])})"
        for s in SEXES
        if s in own.index
    ]
    eng = [f"{own.loc[s, 'england_value']:.1f}" for s in SEXES if s in own.index]
    versus = [
        f"{_versus(own.loc[s, 'comparison'], short=i > 0)} for {s.lower()}s"
        for i, s in enumerate(s for s in SEXES if s in own.index)
    ]
    text = (
        f"**In summary.** In {period}, life expectancy at birth in {p.name} was {' and '.join(by_sex)}, against "
        f"{' and '.join(eng)} years in England: {' and '.join(versus)} (judged by the 95% confidence "
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


def summary_section(page: Page, place: str, measure: str = "birth", paths=None) -> pd.DataFrame | None:
    """The page's opening summary. With 90366 from the Fingertips API for the place (life expectancy at
    birth): sentences and a table with 95% CIs compared with England, and a folded note for analysts;
    returns the table. Otherwise the extract's summary (:func:`~llr_analysis.report.life_expectancy.place_summary_text`),
    exactly as before, and None."""
    birth = check_measure(measure) == "birth"
    t = ft.preferred_table(place, paths) if birth else pd.DataFrame()
    if t.empty:
        page.markdown(le_report.place_summary_text(place, measure, paths))
        older = ft.place_table(place, paths) if birth else t
        if len(older):  # fetched, but older than the extract's latest period: said for analysts only
            page.note(
                f"Life expectancy with 95% confidence intervals from the OHID Fingertips API (indicator 90366) "
                f"was fetched for {older['period'].iloc[0]}, but the extract of the same indicator has a later "
                f"period for {get_place(place).name} ({ft.extract_latest(place, paths)}), so the summary uses "
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


def caveat_notes(place: str, measure: str, trend: pd.DataFrame, paths=None) -> list[str]:
    """:func:`~llr_analysis.report.life_expectancy.caveat_notes`, with the note on the extract's missing county
    row reworded when the Fingertips API gave the county's own latest figure."""
    notes = le_report.caveat_notes(place, measure, trend)
    p = get_place(place)
    t = ft.preferred_table(place, paths) if check_measure(measure) == "birth" else pd.DataFrame()
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


def caveats_section(page: Page, place: str, measure: str, trend: pd.DataFrame, paths=None) -> None:
    """The notes under the summary (:func:`caveat_notes`)."""
    for note in caveat_notes(place, measure, trend, paths):
        page.note(note)
