"""The overview's numbers: headline figures of every topic that has data, for each place and LLR.

Each topic's analysis module (``llr_analysis.analysis.<topic id>``) may expose
``headlines(paths=None) -> DataFrame`` with the columns in :data:`HEADLINE_COLUMNS`. Topics come from
the notebooks' metadata (:mod:`llr_analysis.topics`). A topic without data in this build is listed as
missing with the reason, never silently left out and never filled with made-up numbers.
"""

from __future__ import annotations

import importlib

import numpy as np
import pandas as pd

from llr_analysis.errors import LLRError
from llr_analysis.places import load_places
from llr_analysis.stats.benchmark import NOT_TESTED

HEADLINE_COLUMNS = [
    "topic",
    "indicator",
    "area_id",
    "area_name",
    "period",
    "value",
    "lower_95",
    "upper_95",
    "unit",
    "england_value",
    "comparison",
    "note",
    "href",
]

COMPARISON_TEXT = {
    "better": "Better than England",
    "similar": "Similar to England",
    "worse": "Worse than England",
    "higher": "Higher than England",
    "lower": "Lower than England",
    "not compared": "Not compared",
    NOT_TESTED: "Not tested (no sampling error)",
}


def collect_headlines(paths=None) -> tuple[pd.DataFrame, list[tuple[str, str]]]:
    """All topics' headlines, and (topic title, reason) for each topic that has none in this build."""
    from llr_analysis.paths import project_paths
    from llr_analysis.topics import topic_pages

    frames, missing = [], []
    for topic in topic_pages(paths if paths is not None else project_paths()):
        title = topic.title
        try:  # a topic package's headlines module (issue 21), else a topic module with headlines()
            mod = importlib.import_module(f"llr_analysis.analysis.{topic.id}.headlines")
        except ModuleNotFoundError:
            try:
                mod = importlib.import_module(f"llr_analysis.analysis.{topic.id}")
            except ModuleNotFoundError:
                missing.append((title, "this topic is not part of the build yet"))
                continue
        if not hasattr(mod, "headlines"):
            missing.append((title, "this topic does not publish headline figures yet"))
            continue
        try:
            df = mod.headlines(paths)
        except LLRError as exc:
            missing.append((title, f"no data in this build ({exc})"))
            continue
        if df is None or df.empty:
            missing.append((title, "no data in this build"))
            continue
        frames.append(df.reindex(columns=HEADLINE_COLUMNS))
    out = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=HEADLINE_COLUMNS)
    return out, missing


def areas() -> list[tuple[str, str]]:
    cfg = load_places()
    return [(cfg.ics_id, cfg.ics_name)] + [(p.id, p.name) for p in cfg.places.values()]


def topic_titles(paths=None) -> dict[str, str]:
    """Topic id -> title, from the notebooks' metadata."""
    from llr_analysis.topics import topic_pages

    return {t.id: t.title for t in topic_pages(paths)}


def page_headlines(topics: str = "all", area_id: str | None = None, paths=None) -> tuple[pd.DataFrame, list]:
    """Headlines for a page: of the topics named (``"all"`` or a comma-separated list of topic ids), of
    one area (``area_id``) or all, with each topic's title; and the topics missing from this build."""
    headlines, missing = collect_headlines(paths)
    if topics != "all":
        wanted = {t.strip() for t in topics.split(",")}
        headlines = headlines[headlines["topic"].isin(wanted)]
    if area_id is not None:
        headlines = headlines[headlines["area_id"] == area_id]
    headlines = headlines.copy()
    headlines["topic_title"] = headlines["topic"].map(topic_titles(paths)).fillna(headlines["topic"])
    return headlines, missing


# ------------------------------------------------------------------------------ key messages
# The numbers behind the three to five sentences that open the overview and each place summary
# (the words are :mod:`llr_analysis.report.overview`'s). Everything comes from the headline tables
# above; a message whose figures are not in this build is left out, never filled in.

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


def _place_ids() -> list[str]:
    return list(load_places().places)


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


def screening_figures(headlines: pd.DataFrame) -> pd.DataFrame:
    """Screening coverage by programme, age group and area, against the programme's standards
    (compared at the one decimal place shown, so a figure shown as 75.0% meets a 75% standard)."""
    from llr_analysis.analysis import cancer_screening as screening

    s = headlines[headlines["topic"] == "cancer_screening"] if len(headlines) else headlines
    out = []
    for programme in screening.programmes("all"):
        label = screening.programme_label(programme)
        rows = s[s["indicator"].astype(str).str.startswith(label)].dropna(subset=["value"])
        if rows.empty:
            continue
        std = screening.standard(programme)
        rows = rows.assign(
            programme=programme,
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


def _lacking(rows: pd.DataFrame, period: str, paths=None) -> list[dict]:
    """Places without a life expectancy figure for ``period``: their latest period and their districts'
    range in ``period`` by sex (from :func:`llr_analysis.analysis.life_expectancy.district_range`)."""
    from llr_analysis.analysis.life_expectancy.periods import district_range
    from llr_analysis.process import read_table

    out = []
    for area_id, g in rows.groupby("area_id", sort=False):
        ranges = {}
        for sex in ("males", "females"):
            try:
                le_la = read_table("life_expectancy/le_la", paths)
                ranges[sex] = district_range(le_la, str(area_id), sex[:-1].capitalize(), period)
            except LLRError:
                ranges[sex] = None
        out.append({"area_name": g["area_name"].iloc[0], "period": str(g["period"].iloc[0]), "districts": ranges})
    return out


def _records(df: pd.DataFrame) -> list[dict]:
    return [dict(r) for r in df.to_dict("records")]


#: Most key messages on a page (the first are the ones a director needs: deprivation, life expectancy,
#: screening against the standard).
MAX_KEY_MESSAGES = 5


def key_messages(headlines: pd.DataFrame, area_id: str | None = None, paths=None) -> list[dict]:
    """The figures of a page's key messages, in order, at most :data:`MAX_KEY_MESSAGES`.

    ``headlines`` are :func:`collect_headlines`' (every area). With ``area_id`` (a place summary), the
    messages are that area's: ``deprivation``, ``life_expectancy``, one ``screening`` per programme,
    ``population``. Without (the overview), they compare the places: ``deprivation_places`` (the most
    deprived place first, with the others and LLR), ``life_expectancy_places`` (the places with the
    lowest and the highest life expectancy), one ``screening`` per programme for LLR naming the places
    below the standard, and LLR's ``population``. Each message is a dict with ``kind`` and its figures
    (records with area, period, value, comparator and comparison). ``paths``: the project whose processed
    tables give a place's districts when it lacks the latest life expectancy period.
    """
    places = _place_ids()
    out: list[dict] = []
    dep = deprivation_figures(headlines)
    le = life_expectancy_figures(headlines)
    scr = screening_figures(headlines)
    pop = population_figures(headlines)
    if area_id is not None:
        d = dep[dep["area_id"] == area_id]
        if len(d):
            llr = dep[dep["area_id"] == load_places().ics_id]
            out.append({"kind": "deprivation", **_records(d)[0], "llr": _records(llr)[0] if len(llr) else None})
        e = le[le["area_id"] == area_id]
        if len(e):
            out.append({"kind": "life_expectancy", "area_name": e["area_name"].iloc[0], "rows": _records(e)})
        scr_area = scr[scr["area_id"] == area_id]
    else:
        d = dep[dep["area_id"].isin(places)].sort_values("value", ascending=False)
        if len(d):
            llr = dep[dep["area_id"] == load_places().ics_id]
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
                    "lacking": _lacking(lacking, str(e["period"].iloc[0]), paths),
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
        scr_area = scr[scr["area_id"] == load_places().ics_id]
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
    p = pop[pop["area_id"] == (area_id or load_places().ics_id)]
    if len(p):
        out.append({"kind": "population", **_records(p)[0]})
    return out[:MAX_KEY_MESSAGES]
