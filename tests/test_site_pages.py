"""Every page of the built site, without a browser: each chart has its spec and the data it draws.

The browser tests (test_browser.py) open every page but the locality profiles, and a fixed sample of
the 200+ profiles (all made by one notebook); this check, and ``llr check`` (test_build.py: links,
resources, page size on every page), cover the profiles they do not open.
"""

from __future__ import annotations

import re
from pathlib import Path

from llr_analysis.report.page import chart_specs

CHART_DIV = re.compile(r'<div id="([^"]+)" class="vega-chart"')


def _data_names(node) -> set[str]:
    """The named datasets a Vega-Lite spec draws (``"data": {"name": ...}`` at any depth)."""
    found: set[str] = set()
    if isinstance(node, dict):
        data = node.get("data")
        if isinstance(data, dict) and "name" in data:
            found.add(data["name"])
        for key, value in node.items():
            if key != "datasets":
                found |= _data_names(value)
    elif isinstance(node, list):
        for value in node:
            found |= _data_names(value)
    return found


def test_every_chart_on_every_page_has_its_spec_and_data(built_site):
    site, _ = built_site
    pages = [p for p in sorted(site.rglob("*.html")) if "site_libs" not in p.parts]
    problems, charts = [], 0
    for page in pages:
        html = page.read_text(encoding="utf-8")
        specs = chart_specs(html, page.parent)
        for div_id in CHART_DIV.findall(html):
            charts += 1
            rel = page.relative_to(site)
            spec = specs.get(div_id)
            if spec is None:
                problems.append(f"{rel} {div_id}: no spec")
                continue
            names = _data_names(spec)
            if not names:
                problems.append(f"{rel} {div_id}: draws no named dataset")
            problems += [f"{rel} {div_id}: dataset {n} missing" for n in sorted(names) if n not in spec["datasets"]]
            # one layer may have nothing to draw (e.g. a locator map whose neighbour labels all collide and are
            # dropped), but a chart whose every dataset is empty draws nothing
            if names and not any(spec["datasets"].get(n) for n in names):
                problems.append(f"{rel} {div_id}: every dataset is empty")
    profiles = [
        p for p in pages if p.relative_to(site).parts[0] == "localities" and len(p.relative_to(site).parts) == 3
    ]
    assert len(profiles) > 200 and charts > len(profiles)
    assert problems == []


def test_navbar_title_is_the_full_name_and_the_short_one_from_the_places_file():
    """The navbar carries the ICS's full name (for a wide screen) and its short name (for a phone), both from
    the places file through the title in ``_quarto.yml``; site.css shows one of them."""
    from llr_analysis.places import load_places
    from llr_analysis.website.navigation import navbar_title, quarto_config

    load_places.cache_clear()
    cfg = load_places()
    title = navbar_title("{ics_short_name} public health")
    assert title == (
        f'<span class="llr-title-full">{cfg.ics_name} public health</span>'
        f'<span class="llr-title-short">{cfg.ics_short_name} public health</span>'
    )
    nav = quarto_config({"website": {"title": "{ics_short_name} public health"}}, [], {}, Path("."))
    assert nav["website"]["title"] == f"{cfg.ics_short_name} public health"  # browser tabs: the short name
    assert nav["website"]["navbar"]["title"] == title
    same = '<span class="llr-title-full">Same &lt;name&gt;</span><span class="llr-title-short">Same &lt;name&gt;</span>'
    assert navbar_title("Same <name>") == same  # escaped; both spans (each styled for its width)
