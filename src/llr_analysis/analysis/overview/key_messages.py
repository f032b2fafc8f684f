"""The figures behind the three to five sentences that open the overview and each place summary.

The words are :mod:`llr_analysis.report.overview.key_messages`'. Everything comes from the headline
tables (:class:`~llr_analysis.analysis.overview.load.OverviewData`); a message whose figures are not in
this build is left out, never filled in.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from llr_analysis.analysis.life_expectancy.periods import district_range
from llr_analysis.analysis.overview.load import OverviewData

#: Share of LSOAs in England's most deprived decile, for England: 10% by definition of a decile.
ENGLAND_DEPRIVED_DECILE_SHARE = 10.0

_DEPRIVED_SHARE = r"^LSOAs in England's most deprived 10%"
_LIFE_EXPECTANCY = r"^Life expectancy at birth, (?P<sex>males|females)$"
_POPULATION = r"^Population \(all ages\)$"
_AGED_65 = r"^% aged 65 and over$"


def _matching(headlines: pd.DataFrame, pattern: str) -> pd.DataFrame:
    if headlines.empty:
        return headlines
    return headlines[headlines["indicator"].astype(str).str.match(pattern.replace("(?P<sex>", "(?:"))]


def deprivation_figures(headlines: pd.DataFrame) -> pd.DataFrame:
    """Share of LSOAs in England's most deprived 10%, by area, against England's 10%."""
    d = _matching(headlines, _DEPRIVED_SHARE)
    d = d[d["unit"] == "%"][["area_id", "area_name", "period", "value", "note"]].dropna(subset=["value"]).copy()
    # how many neighbourhoods (LSOAs) the share is of, from the headline's "k of n LSOAs" note
    d["n_lsoas"] = pd.to_numeric(d["note"].astype(str).str.extract(r"\d+ of ([\d,]+) LSOAs")[0].str.replace(",", ""))
    d = d.drop(columns="note")
    d["england_value"] = ENGLAND_DEPRIVED_DECILE_SHARE
    d["ratio"] = d["value"] / ENGLAND_DEPRIVED_DECILE_SHARE
    return d.reset_index(drop=True)


def life_expectancy_figures(headlines: pd.DataFrame) -> pd.DataFrame:
    """Life expectancy at birth by area and sex, with England's value, the gap and the comparison."""
    le = _matching(headlines, _LIFE_EXPECTANCY).dropna(subset=["value"]).copy()
    le["sex"] = le["indicator"].str.extract(_LIFE_EXPECTANCY)["sex"]
    le["gap"] = le["value"] - le["england_value"]
    cols = ["area_id", "area_name", "sex", "period", "value", "england_value", "gap", "comparison"]
    return le.sort_values(["area_id", "sex"], ascending=[True, False])[cols].reset_index(drop=True)


def screening_figures(headlines: pd.DataFrame, standards: pd.DataFrame) -> pd.DataFrame:
    """Screening coverage by programme, age group and area, against the programme's standards
    (``standards``: :attr:`OverviewData.screening_standards`; compared at the one decimal place shown, so
    a figure shown as 75.0% meets a 75% standard)."""
    s = headlines[headlines["topic"] == "cancer_screening"] if len(headlines) else headlines
    out = []
    for std in standards.to_dict("records"):
        label = str(std["label"])
        rows = s[s["indicator"].astype(str).str.startswith(label)].dropna(subset=["value"])
        if rows.empty:
            continue
        rows = rows.assign(
            programme=std["programme"],
            label=label,
            who=rows["indicator"].str.split(", ", n=1).str[1].fillna(""),
            acceptable=float(std["acceptable"]),
            achievable=float(std["achievable"]),
        )
        shown = rows["value"].round(1)
        rows["band"] = np.where(
            shown >= rows["achievable"], "achievable", np.where(shown >= rows["acceptable"], "acceptable", "below")
        )
        out.append(rows)
    cols = [
        "programme",
        "label",
        "who",
        "area_id",
        "area_name",
        "period",
        "value",
        "england_value",
        "comparison",
        "acceptable",
        "achievable",
        "band",
    ]
    return pd.concat(out, ignore_index=True)[cols] if out else pd.DataFrame(columns=cols)


def population_figures(headlines: pd.DataFrame) -> pd.DataFrame:
    """Residents and the share aged 65 and over, by area, with England's share."""
    pop = _matching(headlines, _POPULATION)[["area_id", "area_name", "period", "value"]]
    old = _matching(headlines, _AGED_65)[["area_id", "period", "value", "england_value"]].rename(
        columns={"value": "share_65", "england_value": "england_share_65", "period": "period_65"}
    )
    # the total (the most recent count) and the share aged 65+ (the latest estimates by single year of
    # age) may come from different periods: each keeps its own, and the sentence names both
    return pop.merge(old, on="area_id", how="left")


def _lacking(data: OverviewData, rows: pd.DataFrame, period: str) -> list[dict]:
    """Places without a life expectancy figure for ``period``: their latest period and their districts'
    range in ``period`` by sex (the life expectancy topic's
    :func:`~llr_analysis.analysis.life_expectancy.periods.district_range`, the rule of its note on an older
    headline)."""
    out = []
    for area_id, g in rows.groupby("area_id", sort=False):
        place = data.places.places[str(area_id)]
        ranges = {
            sex: district_range(data.district_life_expectancy, place.id, sex[:-1].capitalize(), period)
            for sex in ("males", "females")
        }
        out.append({"area_name": g["area_name"].iloc[0], "period": str(g["period"].iloc[0]), "districts": ranges})
    return out


def _records(df: pd.DataFrame) -> list[dict]:
    return [dict(r) for r in df.to_dict("records")]


#: Most key messages on a page (the first are the ones a director needs: deprivation, life expectancy,
#: screening against the standard).
MAX_KEY_MESSAGES = 5


def key_messages(data: OverviewData, area_id: str | None = None) -> list[dict]:
    """The figures of a page's key messages, in order, at most :data:`MAX_KEY_MESSAGES`.

    The headlines are ``data.headlines`` (every area). With ``area_id`` (a place summary), the
    messages are that area's: ``deprivation``, ``life_expectancy``, one ``screening`` per programme,
    ``population``. Without (the overview), they compare the places: ``deprivation_places`` (the most
    deprived place first, with the others and the ICS), ``life_expectancy_places`` (the places with the
    lowest and the highest life expectancy), one ``screening`` per programme for the ICS naming the places
    below the standard, and the ICS's ``population``. Each message is a dict with ``kind`` and its figures
    (records with area, period, value, comparator and comparison). A place without the latest life
    expectancy period is named with its districts' range (``data.district_life_expectancy``).
    """
    headlines = data.headlines
    ics_id = data.places.ics_id
    places = list(data.places.places)
    out: list[dict] = []
    dep = deprivation_figures(headlines)
    le = life_expectancy_figures(headlines)
    scr = screening_figures(headlines, data.screening_standards)
    pop = population_figures(headlines)
    if area_id is not None:
        d = dep[dep["area_id"] == area_id]
        if len(d):
            llr = dep[dep["area_id"] == ics_id]
            out.append({"kind": "deprivation", **_records(d)[0], "llr": _records(llr)[0] if len(llr) else None})
        e = le[le["area_id"] == area_id]
        if len(e):
            out.append({"kind": "life_expectancy", "area_name": e["area_name"].iloc[0], "rows": _records(e)})
        scr_area = scr[scr["area_id"] == area_id]
    else:
        d = dep[dep["area_id"].isin(places)].sort_values("value", ascending=False)
        if len(d):
            llr = dep[dep["area_id"] == ics_id]
            out.append(
                {
                    "kind": "deprivation_places",
                    "lead": _records(d.head(1))[0],
                    "others": _records(d.iloc[1:]),
                    "llr": _records(llr)[0] if len(llr) else None,
                }
            )
        e = le[le["area_id"].isin(places)]
        # like with like: only the places with the latest period are compared; a place whose latest
        # figure is older is named, with what its districts show for the latest period
        start = e["period"].astype(str).str[:4].astype(int)
        latest = e[start == start.max()] if len(e) else e
        lacking = e[~e.index.isin(latest.index)]
        if latest["area_id"].nunique() >= 2:
            e = latest
            mean = e.groupby("area_id")["value"].mean().sort_values()
            low, high = mean.index[0], mean.index[-1]
            out.append(
                {
                    "kind": "life_expectancy_places",
                    "period": str(e["period"].iloc[0]),
                    "lacking": _lacking(data, lacking, str(e["period"].iloc[0])),
                    "low": {
                        "area_name": e.loc[e["area_id"] == low, "area_name"].iloc[0],
                        "rows": _records(e[e["area_id"] == low]),
                    },
                    "high": {
                        "area_name": e.loc[e["area_id"] == high, "area_name"].iloc[0],
                        "rows": _records(e[e["area_id"] == high]),
                    },
                }
            )
        scr_area = scr[scr["area_id"] == ics_id]
    for programme, g in scr_area.groupby("programme", sort=False):
        below = (
            scr[(scr["programme"] == programme) & scr["area_id"].isin(places) & (scr["band"] == "below")]
            if area_id is None
            else scr.iloc[0:0]
        )
        out.append(
            {
                "kind": "screening",
                "programme": programme,
                "label": g["label"].iloc[0],
                "area_name": g["area_name"].iloc[0],
                "acceptable": float(g["acceptable"].iloc[0]),
                "achievable": float(g["achievable"].iloc[0]),
                "rows": _records(g),
                "below": _records(below),
            }
        )
    p = pop[pop["area_id"] == (area_id or ics_id)]
    if len(p):
        out.append({"kind": "population", **_records(p)[0]})
    return out[:MAX_KEY_MESSAGES]
