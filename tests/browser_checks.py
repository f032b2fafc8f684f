"""Page checks in headless Chromium shared by the browser tests of LLR's site (test_browser.py) and of a
second ICS's site (test_any_ics.py): one page at one width, every tab opened, and a list of what is wrong.

Checks: no console error, no request leaving the site, every chart drawn, no sideways scroll on a phone,
the navbar's site title whole (the ICS's full name on a wide screen, its short name on a phone) with the
menus on one line, and the names written on every map (Vega charts and the localities index map) at least
10 px on screen and never overlapping.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from urllib.parse import urljoin

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-quic",
    "--no-first-run",
    "--disable-component-update",
    "--disable-sync",
]

# A chart has drawn when its SVG holds data marks (Vega puts them in <g class="... role-mark ...">).
DRAWN_JS = (
    "() => [...document.querySelectorAll('.vega-chart')]"
    ".every(d => d.querySelector('svg .role-mark path, svg .role-mark line, svg .role-mark text'))"
)

UNDRAWN_JS = (
    "() => [...document.querySelectorAll('.vega-chart')]"
    ".filter(d => !d.querySelector('svg .role-mark path, svg .role-mark line, svg .role-mark text')).map(d => d.id)"
)

#: The smallest a name written on a map may be on screen (px), as issue 23 asks.
MIN_LABEL_PX = 10

# Every map of the page that is shown: Vega maps (a spec with a geoshape mark) once assets/llr-charts.js has
# checked their names (data-llr-labels), and the localities index maps (inline SVG). For each, the names
# shown (text of the chart's marks, not its legend or title; the white halo under a name is the same name
# at the same place), their size on screen and their boxes.
MAPS_JS = """() => {
  const specs = {};
  document.querySelectorAll('script[data-llr-spec]').forEach(s => { specs[s.dataset.llrSpec] = s.textContent; });
  const maps = [];
  document.querySelectorAll('.vega-chart').forEach(d => {
    if (!d.clientWidth || !(specs[d.id] || '').includes('"geoshape"')) return;
    maps.push([d.id, d, d.querySelectorAll('svg .mark-text.role-mark text'), !!d.getAttribute('data-llr-labels')]);
  });
  document.querySelectorAll('.locality-map').forEach((d, i) => {
    if (d.clientWidth) maps.push([d.id || 'locality-map-' + i, d, d.querySelectorAll('svg text'), true]);
  });
  return maps.map(([id, div, texts, ready]) => {
    const seen = {}, labels = [];
    texts.forEach(t => {
      const style = getComputedStyle(t);
      if (style.display === 'none' || style.visibility === 'hidden' || t.closest('[style*="display: none"]')) return;
      const r = t.getBoundingClientRect();
      if (!r.width) return;
      const key = t.textContent + '@' + Math.round(r.left) + ',' + Math.round(r.top);
      if (seen[key]) return;
      seen[key] = true;
      const ctm = t.getScreenCTM();
      const scale = ctm ? Math.hypot(ctm.a, ctm.b) : 1;
      labels.push({name: t.textContent, size: parseFloat(style.fontSize) * scale,
                   box: [r.left, r.top, r.right, r.bottom]});
    });
    return {id, ready, labels};
  });
}"""

# The navbar: the title's text as shown, whether any of it is cut, and where the menus are.
NAVBAR_JS = """() => {
  const title = document.querySelector('.navbar .navbar-title');
  if (!title) return null;
  const shown = [...title.querySelectorAll('span')].filter(s => getComputedStyle(s).display !== 'none');
  const parts = shown.length ? shown : [title];
  const cut = [title, ...parts].some(e => e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflow !== 'visible')
    || parts.some(e => e.getBoundingClientRect().right > window.innerWidth + 1 || e.getBoundingClientRect().left < -1);
  const collapse = document.getElementById('navbarCollapse');
  const expanded = collapse && getComputedStyle(collapse).display !== 'none' && collapse.offsetHeight > 0;
  const items = expanded ? [...collapse.querySelectorAll('.navbar-nav > .nav-item')].filter(i => i.offsetParent) : [];
  const tops = items.map(i => Math.round(i.getBoundingClientRect().top));
  const brand = title.getBoundingClientRect();
  const first = items.length ? items[0].getBoundingClientRect() : null;
  return {text: title.innerText.trim(), cut, expanded, tops,
          overlapsMenus: !!first && brand.right > first.left + 1 && brand.bottom > first.top && first.bottom > brand.top};
}"""


def open_page(browser, base: str, rel: str, width: int = 1280, height: int = 900):
    """Open a page with every request outside the local server blocked; return (page, errors, blocked)."""
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    errors: list[str] = []
    blocked: list[str] = []
    page.on("console", lambda m: errors.append(f"console.{m.type}: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(f"pageerror: {e}"))

    def route(r):
        if r.request.url.startswith(base):
            r.continue_()
        else:
            blocked.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    page.goto(urljoin(base, rel), wait_until="load")
    return page, errors, blocked


def open_every_tab(page, each=None) -> None:
    """Click every tab of every tab set (charts in tabs are drawn, or redrawn for their width, when shown),
    calling ``each()`` after each click."""
    tabs = page.locator(".panel-tabset .nav-link")
    for i in range(tabs.count()):
        tabs.nth(i).click()
        page.wait_for_timeout(300)
        if each:
            each()


def map_label_problems(page, rel: str, width: int) -> tuple[list[str], set[str]]:
    """Names on the page's shown maps smaller than 10 px or overlapping another name; and the maps' ids."""
    page.wait_for_function(f"() => ({MAPS_JS})().every(m => m.ready)", timeout=20000)
    problems, maps = [], page.evaluate(MAPS_JS)
    for m in maps:
        labels = m["labels"]
        for lab in labels:
            if lab["size"] < MIN_LABEL_PX - 0.05:
                problems.append(f"{rel} at {width} px, {m['id']}: '{lab['name']}' is {lab['size']:.1f} px")
        for i, a in enumerate(labels):
            for b in labels[i + 1 :]:
                x0, y0, x1, y1 = a["box"]
                u0, v0, u1, v1 = b["box"]
                if min(x1, u1) - max(x0, u0) > 0.5 and min(y1, v1) - max(y0, v0) > 0.5:
                    problems.append(f"{rel} at {width} px, {m['id']}: '{a['name']}' overlaps '{b['name']}'")
    return problems, {m["id"] for m in maps}


def navbar_problems(page, rel: str, width: int, full: str, short: str) -> list[str]:
    """The site title whole: ``full`` on a wide screen with the menus on one line beside it, ``short`` on a
    phone (the navbar folded behind its button)."""
    nav = page.evaluate(NAVBAR_JS)
    if nav is None:
        return [f"{rel}: no site title in the navbar"]
    problems = []
    want = full if width >= 1200 else short
    if nav["text"] != want:
        problems.append(f"{rel} at {width} px: the navbar title is {nav['text']!r}, not {want!r}")
    if nav["cut"]:
        problems.append(f"{rel} at {width} px: the navbar title is cut")
    if width >= 1200:
        if not nav["expanded"]:
            problems.append(f"{rel} at {width} px: the menus are folded")
        elif len(set(nav["tops"])) != 1:
            problems.append(f"{rel} at {width} px: the menus wrap ({sorted(set(nav['tops']))})")
        if nav["overlapsMenus"]:
            problems.append(f"{rel} at {width} px: the title runs under the menus")
    return problems


def page_problems(browser, base: str, rel: str, width: int, full: str, short: str) -> tuple[list[str], int]:
    """Everything the checks above find wrong with one page at one width (every tab opened), and how many
    maps it has."""
    page, errors, blocked = open_page(browser, base, rel, width=width)
    try:
        problems = []
        if page.locator(".vega-chart").count():
            try:
                page.wait_for_function(DRAWN_JS, timeout=30000)
            except Exception:  # noqa: BLE001 - named below with the page's own errors
                undrawn = page.evaluate(UNDRAWN_JS)
                return [f"{rel} at {width} px: charts not drawn: {undrawn}; {errors}"], 0
        maps: set[str] = set()

        def check_maps() -> None:
            found, ids = map_label_problems(page, rel, width)
            problems.extend(p for p in found if p not in problems)
            maps.update(ids)

        check_maps()
        open_every_tab(page, check_maps)  # maps in tabs are checked when their tab is shown
        if width <= 640 and page.evaluate("document.documentElement.scrollWidth") > width:
            problems.append(f"{rel} at {width} px scrolls sideways")
        problems += navbar_problems(page, rel, width, full, short)
        problems += [f"{rel} at {width} px: {e}" for e in errors]
        problems += [f"{rel} at {width} px loads {u}" for u in blocked]
        return problems, len(maps)
    finally:
        page.context.close()


def site_titles(template: str = "{ics_short_name} public health") -> tuple[str, str]:
    """The navbar's full and short titles for the configured ICS (the places file in use)."""
    from llr_analysis.places import load_places

    cfg = load_places()
    return (
        template.replace("{ics_short_name}", cfg.ics_name),
        template.replace("{ics_short_name}", cfg.ics_short_name),
    )


def pages_with_maps(site: Path, place: str) -> list[str]:
    """A place's topic pages, summary, localities index, and its first profile of each level."""
    rels = sorted(str(p.relative_to(site)) for p in site.glob(f"*/{place}.html"))
    for level in ("ward", "district", "pcn", "msoa"):
        first = sorted((site / "localities" / place).glob(f"{level}-*.html"))
        if first:
            rels.append(str(first[0].relative_to(site)))
    return rels
