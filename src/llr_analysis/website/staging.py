"""Executed notebooks staged for Quarto as Markdown pages (``.md``), not as ``.ipynb``.

A page's notebook has already run (papermill) and every output it shows is Markdown holding raw
HTML (:mod:`llr_analysis.report.page`), so the page is its front matter, its Markdown cells and the
Markdown of its outputs, in order. Quarto renders that Markdown without reading a notebook (no
Jupyter engine, no cell wrappers): measured, the same pages render in well under the time of the
``.ipynb`` (see the README's Performance section). Code and its other outputs are never shown
(``echo: false``); text written to stdout is shown as a code block, as Quarto would.

The Markdown of a notebook's body is cached beside the executed notebook (``<page>.body.md``,
remade when the notebook is newer), so an unchanged build converts nothing. Front matter and, for
locality profiles, the breadcrumbs (profiles are not listed in the sidebar, see
:mod:`llr_analysis.website.navigation`) are made afresh for each build from the runs.
"""

from __future__ import annotations

import html
import json
import os
import re
from pathlib import Path

import yaml

#: How a page is staged: ``localities/rutland/ward-e05012633.md`` for the executed ``.ipynb``.
STAGED_SUFFIX = ".md"


def staged_name(output: Path | str) -> str:
    """The staged page of a run's output (``deprivation/rutland.ipynb`` -> ``deprivation/rutland.md``)."""
    return str(Path(output).with_suffix(STAGED_SUFFIX))


def _source(cell) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else str(src)


def _text(value) -> str:
    return "".join(value) if isinstance(value, list) else str(value)


def body_markdown(nb: dict) -> tuple[str, str]:
    """(front matter, body) of an executed notebook as Markdown.

    The front matter is the first raw cell that starts with ``---`` (added by the runner); the body
    is every Markdown cell and every shown output, separated by blank lines.
    """
    front = ""
    parts: list[str] = []
    for cell in nb.get("cells", []):
        kind = cell.get("cell_type")
        if kind == "raw":
            text = _source(cell)
            if not front and text.startswith("---"):
                front = text
            else:
                parts.append(text)
        elif kind == "markdown":
            parts.append(_source(cell))
        elif kind == "code":
            for out in cell.get("outputs", []):
                typ = out.get("output_type")
                if typ in ("display_data", "execute_result"):
                    data = out.get("data", {})
                    if "text/markdown" in data:
                        parts.append(_text(data["text/markdown"]))
                    elif "text/html" in data:
                        parts.append("```{=html}\n" + _text(data["text/html"]) + "\n```")
                elif typ == "stream" and out.get("name") == "stdout":
                    parts.append("```\n" + _text(out.get("text", "")).rstrip("\n") + "\n```")
    return front, "\n\n".join(p.strip("\n") for p in parts if p.strip()) + "\n"


def _cached_body(executed: Path) -> tuple[str, str]:
    cache = executed.with_name(executed.stem + ".body.json")
    try:
        if cache.stat().st_mtime_ns >= executed.stat().st_mtime_ns:
            front, body = json.loads(cache.read_text(encoding="utf-8"))
            return front, body
    except (OSError, ValueError):
        pass
    front, body = body_markdown(json.loads(executed.read_text(encoding="utf-8")))
    tmp = cache.with_name(cache.name + ".tmp")
    tmp.write_text(json.dumps([front, body]), encoding="utf-8")
    os.replace(tmp, cache)
    return front, body


def _href(output, prefix: str) -> str:
    return prefix + str(Path(output).with_suffix(".html"))


def breadcrumbs(run, runs) -> str:
    """Home › place › Localities › locality, as Quarto draws breadcrumbs, for a page not in the sidebar."""
    from llr_analysis.places import load_places

    depth = len(Path(run.output).parts) - 1
    prefix = "../" * depth
    home = next((r for r in runs if r.role == "home"), None)
    summary = next((r for r in runs if r.role == "place-summary" and r.place == run.place), None)
    place = load_places().places[str(run.place)]
    items: list[tuple[str, str | None]] = []  # (text, link or None)
    if home is not None:
        items.append(("Home", _href(home.output, prefix)))
    items.append((place.name, _href(summary.output, prefix) if summary is not None else None))
    items.append(("Localities", f"{prefix}localities/{run.place}.html"))
    lis = "".join(
        f'<li class="breadcrumb-item"><a href="{html.escape(h)}">{html.escape(t)}</a></li>'
        if h
        else f'<li class="breadcrumb-item">{html.escape(t)}</li>'
        for t, h in items
    )
    lis += f'<li class="breadcrumb-item active" aria-current="page">{html.escape(run.page_title)}</li>'
    nav = f'<nav class="quarto-page-breadcrumbs llr-breadcrumbs" aria-label="breadcrumb"><ol class="breadcrumb">{lis}</ol></nav>'
    return "```{=html}\n" + nav + "\n```\n"


def staged_page_text(run, front: str, body: str, runs=()) -> str:
    """The ``.md`` page of one run from its executed notebook's front matter and body."""
    if run.locality:
        lines = front.strip().splitlines()
        fm = (yaml.safe_load("\n".join(lines[1:-1])) if len(lines) > 2 else {}) or {}
        fm["sidebar"] = str(run.place)  # the place's sidebar (profiles are not listed in it)
        front = "---\n" + yaml.safe_dump(fm, sort_keys=False, allow_unicode=True) + "---"
        body = breadcrumbs(run, runs) + "\n" + body
    return front.strip() + "\n\n" + body


def staged_page(run, executed: Path, runs=()) -> bytes:
    """The ``.md`` page Quarto renders for one run, from its executed notebook ``executed``."""
    front, body = _cached_body(executed)
    return staged_page_text(run, front, body, runs).encode("utf-8")


_GEO = re.compile(r"assets/(geo-[0-9a-f]{20}\.js)")


def geometry_files(executed: Path, runs) -> dict[str, Path]:
    """The shared map-shape files (``assets/geo-<hash>.js``, see
    :func:`llr_analysis.report.charts.externalise_geometry`) that the staged pages load."""
    names: set[str] = set()
    for run in runs:
        out = executed / run.output
        if out.exists():
            names.update(_GEO.findall(_cached_body(out)[1]))
    return {f"assets/{n}": executed / "assets" / n for n in sorted(names) if (executed / "assets" / n).exists()}
