"""The site's topics, from the notebooks' metadata (the one registry of topics).

A notebook in ``notebooks/`` declares itself in ``metadata.llr``: ``title``, ``per_place``,
``role`` (``home``, ``place-summary`` or, by default, ``topic``), ``order`` and ``inputs``. Its
file name is the topic id used in every layer: ``process/<id>.py``, the packages ``analysis/<id>/``
(``load.py``: the topic's data, read once; ``headlines.py``: its figures for the overview) and
``report/<id>/``, the templates ``report/templates/<id>/``, ``data/processed/<id>/``, and the pages
``<id>/<place>.html``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from llr_analysis.paths import ProjectPaths, project_paths
from llr_analysis.places import fill_ics_names


@dataclass(frozen=True)
class Topic:
    id: str
    title: str
    role: str = "topic"
    order: int = 99
    per_place: bool = True
    output: str | None = None
    inputs: tuple[str, ...] = ()


def notebook_topic(path: Path) -> Topic:
    """The topic a notebook declares in its metadata (defaults for what it leaves out)."""
    meta = json.loads(path.read_text(encoding="utf-8")).get("metadata", {}).get("llr", {})
    return Topic(
        id=path.stem,
        title=fill_ics_names(meta["title"]) if meta.get("title") else path.stem.replace("_", " ").capitalize(),
        role=meta.get("role", "topic"),
        order=int(meta.get("order", 99)),
        per_place=bool(meta.get("per_place", True)),
        output=meta.get("output"),
        inputs=tuple(meta.get("inputs") or ()),
    )


def all_topics(paths: ProjectPaths | None = None) -> list[Topic]:
    """Every notebook's topic, topic pages first in their order, then the others."""
    paths = paths or project_paths()
    found = [notebook_topic(p) for p in sorted(paths.notebooks.glob("*.ipynb"))]
    return sorted(found, key=lambda t: (t.role != "topic", t.order, t.title))


def topic_pages(paths: ProjectPaths | None = None) -> list[Topic]:
    """The topics that have a page per place (role ``topic``), in navigation order."""
    return [t for t in all_topics(paths) if t.role == "topic"]
