"""The overview's data, read once at the edge: every topic's headlines and what the key messages need.

A topic contributes through its module ``llr_analysis.analysis.<topic id>.headlines`` with
``headlines(paths) -> DataFrame`` (the columns of :data:`~llr_analysis.analysis.overview.HEADLINE_COLUMNS`).
Topics come from the notebooks' metadata (:mod:`llr_analysis.topics`). A topic without that module, or
without data in this build, is listed as missing with the reason, never silently left out and never
filled with made-up numbers.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass

import pandas as pd

from llr_analysis.analysis.overview import HEADLINE_COLUMNS
from llr_analysis.errors import LLRError
from llr_analysis.paths import ProjectPaths
from llr_analysis.places import PlacesConfig, load_places
from llr_analysis.process import read_table
from llr_analysis.settings import cancer_screening_config
from llr_analysis.topics import Topic, topic_pages

#: The district life expectancy the key messages quote for a place without the latest period.
DISTRICT_LIFE_EXPECTANCY = "life_expectancy/le_la"


@dataclass(frozen=True)
class OverviewData:
    """What the overview and the place summaries show, read once."""

    #: every topic's headlines, for every area (:data:`~llr_analysis.analysis.overview.HEADLINE_COLUMNS`)
    headlines: pd.DataFrame
    #: (topic title, reason) for each topic with no headlines in this build
    missing: list[tuple[str, str]]
    #: the topic pages, in navigation order
    topics: list[Topic]
    places: PlacesConfig
    #: life expectancy by local authority (``life_expectancy/le_la``; empty when this build has none)
    district_life_expectancy: pd.DataFrame
    #: the screening programmes in their configured order: ``programme``, ``label``, ``acceptable``,
    #: ``achievable`` (the coverage standards, percent)
    screening_standards: pd.DataFrame


def collect_headlines(paths: ProjectPaths, topics: list[Topic]) -> tuple[pd.DataFrame, list[tuple[str, str]]]:
    """All ``topics``' headlines, and (topic title, reason) for each topic that has none in this build."""
    frames, missing = [], []
    for topic in topics:
        name = f"llr_analysis.analysis.{topic.id}.headlines"
        try:
            mod = importlib.import_module(f"llr_analysis.analysis.{topic.id}.headlines")
        except ModuleNotFoundError as exc:
            if exc.name is None or not name.startswith(exc.name):
                raise  # a module the topic's headlines import is missing: a fault, not a topic to leave out
            missing.append((topic.title, "this topic is not part of the build yet"))
            continue
        try:
            df = mod.headlines(paths)
        except LLRError as exc:
            missing.append((topic.title, f"no data in this build ({exc})"))
            continue
        if df is None or df.empty:
            missing.append((topic.title, "no data in this build"))
            continue
        frames.append(df.reindex(columns=HEADLINE_COLUMNS))
    out = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=HEADLINE_COLUMNS)
    return out, missing


def screening_standards() -> pd.DataFrame:
    """The screening programmes' labels and coverage standards (``config/cancer_screening.yml``)."""
    cfg = cancer_screening_config()
    rows = [
        {
            "programme": p,
            "label": cfg.programmes[p].label,
            "acceptable": float(cfg.programmes[p].standard.acceptable),
            "achievable": float(cfg.programmes[p].standard.achievable),
        }
        for p in cfg.programme_order
    ]
    return pd.DataFrame(rows, columns=["programme", "label", "acceptable", "achievable"])


def load(paths: ProjectPaths) -> OverviewData:
    """Every topic's headlines and the tables and configuration the key messages need, for ``paths``."""
    topics = topic_pages(paths)
    headlines, missing = collect_headlines(paths, topics)
    try:
        districts = read_table(DISTRICT_LIFE_EXPECTANCY, paths)
    except LLRError:
        districts = pd.DataFrame(columns=["series", "age", "sex", "period", "area_code", "area_name", "value"])
    return OverviewData(
        headlines=headlines,
        missing=missing,
        topics=topics,
        places=load_places(),
        district_life_expectancy=districts,
        screening_standards=screening_standards(),
    )
