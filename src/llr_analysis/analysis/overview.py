"""The overview's numbers: headline figures of every topic that has data, for each place and LLR.

Each topic's analysis module (``llr_analysis.analysis.<topic id>``) may expose
``headlines(paths=None) -> DataFrame`` with the columns in :data:`HEADLINE_COLUMNS`. Topics come from
the notebooks' metadata (:mod:`llr_analysis.topics`). A topic without data in this build is listed as
missing with the reason, never silently left out and never filled with made-up numbers.
"""

from __future__ import annotations

import importlib

import pandas as pd

from llr_analysis.errors import LLRError
from llr_analysis.places import load_places

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
}


def collect_headlines(paths=None) -> tuple[pd.DataFrame, list[tuple[str, str]]]:
    """All topics' headlines, and (topic title, reason) for each topic that has none in this build."""
    from llr_analysis.paths import project_paths
    from llr_analysis.topics import topic_pages

    frames, missing = [], []
    for topic in topic_pages(paths if paths is not None else project_paths()):
        title = topic.title
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
    return [("llr", cfg.llr_name)] + [(p.id, p.name) for p in cfg.places.values()]


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
