"""The site's Quarto configuration, generated: navbar, sidebars and render list.

The committed ``_quarto.yml`` holds only what is the same for every build (title, footer, theme,
offline settings). Navigation is never listed page by page there: :func:`quarto_config` adds it
from ``places.yml`` and the notebooks' metadata (``metadata.llr`` in each notebook):

* ``title`` — the topic's name (menu text and page titles);
* ``role`` — ``home`` (the site index), ``place-summary`` (one page per place, the Places menu and
  the head of each place's sidebar) or, by default, a topic page per place;
* ``order`` — the topic's position in the navbar (then alphabetical).

Locality profiles (role ``locality-profile``, one page per ward, district or PCN; over 200) are
reached from the Localities menu (one index page per place, ``localities/<place>.qmd``, a section
per level) and from search. The place's sidebar lists that index, not the profiles: every page
carries the sidebar, so a list of a county's hundred-odd wards would make every page slower to render and to use.
Profiles show their place's sidebar and breadcrumbs written by the staging
(:mod:`llr_analysis.website.staging`). Hand-written pages (``pages/*.qmd``, and the generated Data
sources page) go in the About menu on the right of the navbar, ordered by their front matter
``order``. Each place gets a sidebar (Home, then its summary, topic pages and localities), which
gives Quarto's breadcrumbs (Home › place › topic, Home › place › Localities › locality) and
previous/next page links. Only pages that exist in the build are listed, so a partial build has
no dead links.
"""

from __future__ import annotations

import copy
import html
from pathlib import Path

import yaml

from llr_analysis.places import fill_ics_names, load_places


def _front_matter(text: str) -> dict:
    if not text.startswith("---"):
        return {}
    end = text.find("\n---", 3)
    return yaml.safe_load(text[3:end]) or {} if end > 0 else {}


def quarto_config(base: dict, runs, pages: dict[Path, str], stage: Path) -> dict:
    """``base`` (the committed ``_quarto.yml``) plus the render list and navigation of this build.

    ``runs`` are the notebook runs of the build (:class:`llr_analysis.website.notebooks.Run`), ``pages`` the
    hand-written and generated ``.qmd`` files of ``stage`` with their text.
    """
    cfg = copy.deepcopy(base)
    places = load_places().places
    project = cfg.setdefault("project", {})
    project["output-dir"] = "_site"
    from llr_analysis.website.staging import staged_name

    inputs = sorted(staged_name(r.output) for r in runs) + sorted(str(p.relative_to(stage)) for p in pages)
    project["render"] = inputs
    website = cfg.setdefault("website", {})
    template = website.get("title")
    for key in ("title", "description"):  # "{ics_short_name} public health": from the places file
        if isinstance(website.get(key), str):
            website[key] = fill_ics_names(website[key])
    brand = navbar_title(template) if isinstance(template, str) else None

    home = [r for r in runs if r.role == "home"]
    summaries = {r.place: r for r in runs if r.role == "place-summary"}
    topics: dict[str, list] = {}
    for r in runs:
        if r.role == "topic":
            topics.setdefault(r.topic, []).append(r)
    ordered = sorted(topics.values(), key=lambda rs: (rs[0].order, rs[0].title))

    left: list[dict] = []
    if home:
        left.append({"text": "Overview", "href": _href(home[0].output)})
    place_ids = [
        p
        for p in places
        if p in summaries or any(r.place == p for r in runs if r.role in ("topic", "locality-profile"))
    ]
    if summaries:
        left.append(
            {
                "text": "Places",
                "menu": [
                    {"text": _text(places[p].name), "href": _href(summaries[p].output)}
                    for p in place_ids
                    if p in summaries
                ],
            }
        )
    profiles: dict[str, list] = {}
    for r in runs:
        if r.role == "locality-profile":
            profiles.setdefault(r.place, []).append(r)
    locality_index = {p: f"localities/{p}.html" for p in places if p in profiles}
    if locality_index:
        left.append(
            {
                "text": "Localities",
                "menu": [{"text": _text(places[p].name), "href": href} for p, href in locality_index.items()],
            }
        )
    for rs in ordered:
        by_place = {r.place: r for r in rs}
        left.append(
            {
                "text": _text(rs[0].title),
                "menu": [
                    {"text": _text(places[p].name), "href": _href(by_place[p].output)}
                    for p in place_ids
                    if p in by_place
                ],
            }
        )
    about = []
    listed = [p for p in pages if p.relative_to(stage).parts[0] != "localities"]
    for page in sorted(listed, key=lambda p: (_front_matter(pages[p]).get("order", 99), p.name)):
        fm = _front_matter(pages[page])
        about.append(
            {"text": _text(fm.get("nav-title") or fm.get("title") or page.stem), "href": _href(page.relative_to(stage))}
        )
    navbar = website.setdefault("navbar", {})
    if brand and "title" not in navbar:
        navbar["title"] = brand
    navbar["left"] = left
    navbar["right"] = [{"text": "About", "menu": about}] if about else []

    sidebars = []
    for p in place_ids:
        entries: list = [
            {"text": _text(rs[0].title), "href": _href(r.output)} for rs in ordered for r in rs if r.place == p
        ]
        if p in locality_index:
            # the place's localities index only, never a link per profile: a sidebar of a hundred wards is
            # unusable and every page carries it (profiles choose this sidebar in their front matter)
            entries.append({"text": "Localities", "href": locality_index[p]})
        if p in summaries:
            section = {"section": _text(places[p].name), "href": _href(summaries[p].output), "contents": entries}
        else:
            section = {"section": _text(places[p].name), "contents": entries}
        if home:  # Home at the root of every sidebar: breadcrumbs read Home › place › ...
            section = {"section": "Home", "href": _href(home[0].output), "contents": [section]}
        sidebars.append(
            {"id": p, "title": _text(places[p].name), "style": "docked", "collapse-level": 3, "contents": [section]}
        )
    if sidebars:
        website["sidebar"] = sidebars
    return cfg


def navbar_title(template: str) -> str:
    """The navbar's site title from the title in ``_quarto.yml`` (``"{ics_short_name} public health"``): the
    full name of the ICS on a wide screen, its short name on a phone (site.css shows one of the two spans;
    assets/a11y.html falls back to the short one when the full one would make the menus wrap)."""
    full = html.escape(fill_ics_names(template.replace("{ics_short_name}", "{ics_name}")), quote=False)
    short = html.escape(fill_ics_names(template), quote=False)
    # both spans even when the names are the same: each is styled for its width (two lines if long)
    return f'<span class="llr-title-full">{full}</span><span class="llr-title-short">{short}</span>'


def _href(source) -> str:
    """A page's address in the site: its output file (``deprivation/rutland.html``), not its source.

    Quarto resolves both, but only for pages it renders in the same run; output addresses also
    hold when the site is rendered in parts (see :func:`llr_analysis.website.render.render`).
    """
    source = str(source)
    for suffix in (".ipynb", ".qmd", ".md"):
        if source.endswith(suffix):
            return source[: -len(suffix)] + ".html"
    return source


def _text(value: str) -> str:
    """Menu and sidebar text from configuration, escaped (Quarto reads it as Markdown)."""
    return html.escape(str(value), quote=False)


def config_yaml(cfg: dict) -> str:
    """The configuration as the text of the stage's ``_quarto.yml``."""
    header = (
        "# Generated by llr_analysis.website.navigation from _quarto.yml, places.yml and the notebooks'\n"
        "# metadata. Do not edit: edit those instead.\n"
    )
    return header + yaml.safe_dump(cfg, sort_keys=False, allow_unicode=True)
