"""Every page of the Quarto-built site in headless Chromium, served on loopback, network blocked.

Needs Debian's chromium (installed by `make test`) driven by Playwright; skips with a reason if absent.
Checks: no console errors, every chart drawn (SVG with marks), maps and tables present, every link
inside the site resolves, no request leaves the machine, axe-core finds no serious or critical
accessibility violations, site search finds a place, and pages fit a phone's width; the navbar's site
title is whole (the ICS's full name at 1280 px, its short name at 390 px) and the names on every map of a
sample of pages are at least 10 px and never overlap (tests/browser_checks.py, shared with the second ICS's
browser test in test_any_ics.py). Screenshots of the overview (desktop and 390 px) are saved in
test-artifacts/.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from urllib.parse import urljoin

import pytest

from browser_checks import open_page
from llr_analysis.report.colours import ENGLAND, FOCUS

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
REPO = Path(__file__).resolve().parents[1]
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = REPO / "test-artifacts"
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

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian chromium not installed (make test installs it)"),
]


@pytest.fixture(scope="module")
def server(request):
    """The built site and its address. ``LLR_TEST_SITE=site`` checks an already built site instead of
    building one (served on a loopback port for this module); by default the session's build."""
    import os

    given = os.environ.get("LLR_TEST_SITE")
    if not given:
        site, _ = request.getfixturevalue("built_site")
        return request.getfixturevalue("site_url"), site
    import functools
    import http.server
    import threading

    site = Path(given).resolve()
    http.server.SimpleHTTPRequestHandler.log_message = lambda *a, **k: None
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    request.addfinalizer(httpd.shutdown)
    return f"http://127.0.0.1:{httpd.server_address[1]}/", site


@pytest.fixture(scope="module")
def browser():
    playwright = pytest.importorskip("playwright.sync_api")
    with playwright.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield b
        b.close()


# A chart has drawn when its SVG holds data marks (Vega puts them in <g class="... role-mark ...">).
DRAWN_JS = (
    "() => [...document.querySelectorAll('.vega-chart')]"
    ".every(d => d.querySelector('svg .role-mark path, svg .role-mark line, svg .role-mark text'))"
)


def all_pages(site: Path) -> list[str]:
    return sorted(str(p.relative_to(site)) for p in site.rglob("*.html"))


def sample_pages(site: Path) -> list[str]:
    """Every page but the locality profiles (200+ pages of one notebook), and the first profile of each
    place and level: for the slowest checks (accessibility)."""
    pages, seen = [], set()
    for rel in all_pages(site):
        parts = rel.split("/")
        if parts[0] == "localities" and len(parts) == 3:
            key = (parts[1], parts[2].split("-")[0])
            if key in seen:
                continue
            seen.add(key)
        pages.append(rel)
    return pages


def browser_pages(site: Path, every: int = 10) -> list[str]:
    """Every page but the locality profiles, and a fixed sample of the profiles: the first and last of
    each place and level, and every ``every``-th in name order. All profiles come from one notebook;
    each one's links, resources, size and chart data are checked without a browser (test_build.py,
    test_site_pages.py)."""
    pages, groups = [], {}
    for rel in all_pages(site):
        parts = rel.split("/")
        if parts[0] == "localities" and len(parts) == 3:
            groups.setdefault((parts[1], parts[2].split("-")[0]), []).append(rel)
        else:
            pages.append(rel)
    for profiles in groups.values():
        pages += sorted({profiles[0], profiles[-1], *profiles[::every]})
    return sorted(pages)


def test_every_page_loads_offline_with_charts_drawn(server, browser):
    base, site = server
    pages = browser_pages(site)
    assert "index.html" in pages and "deprivation/leicester.html" in pages
    for rel in pages:
        page, errors, blocked = open_page(browser, base, rel)
        n_charts = page.locator(".vega-chart").count()
        if n_charts:
            page.wait_for_function(DRAWN_JS, timeout=20000)
        assert errors == [], f"{rel}: {errors}"
        assert blocked == [], f"{rel} tried to load external resources: {blocked}"
        assert page.title(), rel
        page.context.close()


def test_deprivation_page_has_map_and_table(server, browser):
    base, _ = server
    page, errors, _ = open_page(browser, base, "deprivation/leicestershire.html")
    page.wait_for_selector("#chart-imd-decile-map svg .mark-shape.role-mark path", state="attached", timeout=20000)
    assert page.locator("#chart-imd-decile-map svg .mark-shape.role-mark path").count() == 408
    table = page.locator("table.data-table").first
    assert "Charnwood" in table.inner_text()
    assert table.locator("caption").inner_text().startswith("Deprivation by district, Leicestershire")
    assert errors == []
    page.context.close()


def test_every_internal_link_resolves(server, browser):
    base, site = server
    context = browser.new_context()
    checked: set[str] = set()
    for rel in browser_pages(site):
        page = context.new_page()
        page.goto(urljoin(base, rel))
        hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)")
        for href in hrefs:
            url = href.split("#")[0]
            if not url.startswith(base) or url in checked:
                continue
            checked.add(url)
            resp = context.request.get(url)
            assert resp.status == 200, f"{rel} links to {url}: HTTP {resp.status}"
        page.close()
    assert len(checked) >= 6
    context.close()


@pytest.mark.skipif(not AXE.exists(), reason="axe-core not installed (make test runs npm ci)")
def test_accessibility_no_serious_or_critical_violations(server, browser):
    base, site = server
    failures = []
    for rel in sample_pages(site):
        page, _, _ = open_page(browser, base, rel)
        if page.locator(".vega-chart").count():
            page.wait_for_function(
                "() => [...document.querySelectorAll('.vega-chart')].every(d => d.querySelector('svg'))", timeout=20000
            )
        page.add_script_tag(path=str(AXE))
        result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
        for v in result["violations"]:
            if v["impact"] in ("serious", "critical"):
                failures.append(f"{rel}: {v['id']} ({v['impact']}): {v['help']} — e.g. {v['nodes'][0]['target']}")
        page.context.close()
    assert failures == [], "\n".join(failures)


def test_overview_screenshot(server, browser):
    base, _ = server
    ARTIFACTS.mkdir(exist_ok=True)
    for width, name in ((1280, "overview.png"), (390, "overview-phone.png")):
        page, errors, _ = open_page(browser, base, "index.html", width=width)
        page.wait_for_function(DRAWN_JS, timeout=20000)
        out = ARTIFACTS / name
        page.screenshot(path=str(out), full_page=True)
        assert out.stat().st_size > 10_000
        assert errors == []
        page.context.close()


def test_site_search_finds_a_place(server, browser):
    """Quarto's search (search.json, read over http) lists pages for a place name typed in the search box."""
    base, _ = server
    page, errors, _ = open_page(browser, base, "index.html")
    page.locator("#quarto-search").click()
    page.keyboard.type("Rutland")
    page.wait_for_selector(".aa-Item", timeout=10000)
    hits = page.locator(".aa-Item").all_inner_texts()
    assert any("Rutland" in h for h in hits), hits
    assert errors == []
    page.context.close()


def test_navigation_and_breadcrumbs_come_from_quarto(server, browser):
    base, _ = server
    page, errors, _ = open_page(browser, base, "deprivation/rutland.html")
    crumbs = page.locator(".quarto-page-breadcrumbs").first.locator(".breadcrumb-item").all_inner_texts()
    assert [c.strip() for c in crumbs] == ["Home", "Rutland", "Deprivation"]
    menus = page.locator("#navbarCollapse .nav-link .menu-text").all_inner_texts()
    assert menus[:7] == [
        "Overview",
        "Places",
        "Localities",
        "Population",
        "Deprivation",
        "Life expectancy",
        "Cancer screening",
    ]
    assert page.locator("#quarto-sidebar a[href$='cancer_screening/rutland.html']").count() == 1
    assert errors == []
    page.context.close()


def test_phone_width_no_sideways_scroll_and_maps_redrawn_to_fit(server, browser):
    """At 390 px no page scrolls sideways, and maps (and panels side by side) are redrawn to the screen's width
    by assets/llr-charts.js rather than shrunk."""
    base, site = server
    too_wide = []
    sizes_js = (
        "() => [...document.querySelectorAll('.vega-chart')].filter(d => d.clientWidth).map(d => [d.id,"
        " d.clientWidth, d.querySelector('svg').getBoundingClientRect().width,"
        " Number(d.querySelector('svg').getAttribute('width'))])"
    )
    pages = [p for p in all_pages(site) if not p.startswith("localities/") or p.count("/") < 2]
    pages += ["localities/leicester/ward-e05010458.html", "localities/leicester/pcn-u36231.html"]
    for rel in pages:
        page, errors, _ = open_page(browser, base, rel, width=390)
        if page.locator(".vega-chart").count():
            page.wait_for_function(DRAWN_JS, timeout=20000)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, rel
        # headline and key-figure tables are cards on a phone: value and comparison without scrolling
        assert page.evaluate(
            "() => [...document.querySelectorAll('.table-wrap')].filter(w => w.querySelector('table.cards'))"
            ".every(w => w.scrollWidth <= w.clientWidth + 1)"
        ), f"{rel}: a headline table scrolls sideways"
        sizes = {cid: (cw, w, drawn) for cid, cw, w, drawn in page.evaluate(sizes_js)}
        tabs = page.locator(".panel-tabset .nav-link")
        for i in range(tabs.count()):  # charts in tabs are drawn for their width when the tab is shown
            tabs.nth(i).click()
            page.wait_for_timeout(400)
            sizes.update({cid: (cw, w, drawn) for cid, cw, w, drawn in page.evaluate(sizes_js)})
        for cid, (cw, w, drawn) in sizes.items():
            if w > cw + 1:
                too_wide.append(f"{rel} {cid}: {round(w)} px in {cw} px")
            if drawn and w < 0.75 * drawn:
                too_wide.append(f"{rel} {cid}: shrunk to {w / drawn:.0%} of its drawn size")
        assert errors == [], f"{rel}: {errors}"
        page.context.close()
    assert too_wide == []


def test_locality_profiles_are_reached_from_menu_breadcrumbs_and_search(server, browser):
    """Every ward of the three places, Leicestershire district and LLR PCN has a profile page (207); the
    Localities index lists them, breadcrumbs read Home › place › Localities › locality, search finds them."""
    base, site = server
    profiles = [p for p in all_pages(site) if p.startswith("localities/") and p.count("/") == 2]
    assert len(profiles) == 21 + 138 + 15 + 7 + 26
    assert sum(p.startswith("localities/leicester/ward-") for p in profiles) == 21
    assert sum(p.startswith("localities/leicestershire/ward-") for p in profiles) == 138
    assert sum(p.startswith("localities/rutland/ward-") for p in profiles) == 15
    assert sum("/district-" in p for p in profiles) == 7 and sum("/pcn-" in p for p in profiles) == 26
    page, errors, _ = open_page(browser, base, "localities/leicester/ward-e05010458.html")
    page.wait_for_function(DRAWN_JS, timeout=20000)
    assert page.locator("h1").first.inner_text().strip() == "Abbey ward"
    # profiles are not in the sidebar: their breadcrumbs are written by the staging, Quarto's are hidden
    assert page.locator(".quarto-page-breadcrumbs:not(.llr-breadcrumbs)").first.is_hidden()
    crumbs = page.locator(".llr-breadcrumbs").first.locator(".breadcrumb-item").all_inner_texts()
    assert [c.strip() for c in crumbs] == ["Home", "Leicester", "Localities", "Abbey ward"]
    assert "Compared with England" in page.locator("table.profile-figures").inner_text()
    assert errors == []
    page.context.close()
    index, errors, _ = open_page(browser, base, "localities/rutland.html")
    assert index.locator("main a[href*='localities/rutland/ward-']").count() == 15
    assert errors == []
    index.context.close()
    page, errors, _ = open_page(browser, base, "index.html")
    page.locator("#quarto-search").click()
    page.keyboard.type("Abbey ward")
    page.wait_for_selector(".aa-Item", timeout=10000)
    assert any("Abbey ward" in h for h in page.locator(".aa-Item").all_inner_texts())
    page.context.close()


def _first_profile(site: Path, place: str, level: str) -> str:
    return sorted(str(p.relative_to(site)) for p in (site / "localities" / place).glob(f"{level}-*.html"))[0]


def test_a_leicestershire_ward_profile_has_its_place_sidebar_breadcrumbs_and_locator_map(server, browser):
    """A county ward's profile: the Leicestershire sidebar (short: no list of 138 wards), breadcrumbs to
    the place and its localities index, and its locator map drawn from the shared map file."""
    base, site = server
    rel = _first_profile(site, "leicestershire", "ward")
    page, errors, _ = open_page(browser, base, rel)
    page.wait_for_function(DRAWN_JS, timeout=20000)
    title = page.locator("h1").first.inner_text().strip()
    assert title.endswith(" ward")
    assert page.locator(".llr-breadcrumbs").is_visible()
    crumbs = page.locator(".llr-breadcrumbs").first.locator(".breadcrumb-item").all_inner_texts()
    assert [c.strip() for c in crumbs] == ["Home", "Leicestershire", "Localities", title]
    sidebar = page.locator("#quarto-sidebar a[href]").evaluate_all("els => els.map(e => e.getAttribute('href'))")
    assert any(h.endswith("localities/leicestershire.html") for h in sidebar)
    assert not any("/ward-" in h for h in sidebar) and len(sidebar) < 15
    # the locator map: every ward of the county drawn, one highlighted, from assets/geo-*.js
    assert page.locator("script[data-llr-geo]").count() >= 1
    shapes = page.locator("#chart-locator-map svg .mark-shape.role-mark path")
    assert shapes.count() == 138
    fills = shapes.evaluate_all("els => els.map(e => e.getAttribute('fill'))")
    assert fills.count(FOCUS) == 1  # the locality in focus: the site's accent colour (report/colours.py)
    assert errors == []
    page.context.close()


def test_localities_index_pages_list_every_profile_by_level(server, browser):
    base, _ = server
    expected = {"leicester": {"ward": 21}, "leicestershire": {"district": 7, "ward": 138}, "rutland": {"ward": 15}}
    for place, levels in expected.items():
        page, errors, _ = open_page(browser, base, f"localities/{place}.html")
        headings = page.locator("main h2").all_inner_texts()
        assert any(h.startswith("Wards (") for h in headings), headings
        for level, n in levels.items():
            # one table of every locality (each name a link), and a map with each locality a link
            assert page.locator(f"main table.locality-table a[href*='{place}/{level}-']").count() == n, (place, level)
            if level != "pcn":
                assert page.locator(f"main .locality-map [data-href*='{place}/{level}-']").count() == n, (place, level)
        assert page.locator(f"main table.locality-table a[href*='{place}/pcn-']").count() >= 1
        # sortable: a click on a column heading orders the rows by it; every level has its CSV
        table = page.locator("main table.locality-table").first
        table.get_by_role("button", name="People", exact=True).click()
        values = table.locator("tbody tr").evaluate_all(
            "rows => rows.map(r => r.querySelector('td[data-sort]:nth-of-type(2)').dataset.sort)"
        )
        numbers = [float(v) for v in values if v]
        assert numbers == sorted(numbers), numbers[:5]
        assert page.locator("main a.download[href$='-key-figures.csv']").count() == len(levels) + 1
        assert errors == []
        page.context.close()
    menu = open_page(browser, base, "index.html")[0]
    hrefs = menu.locator("#navbarCollapse a.dropdown-item").evaluate_all("els => els.map(e => e.href)")
    assert {urljoin(base, f"localities/{p}.html") for p in expected} <= set(hrefs), hrefs
    menu.context.close()


def test_leicestershire_life_expectancy_page_has_its_ward_map(server, browser):
    """The county's 138 ward outlines over MSOA life expectancy, drawn from the shared map files."""
    base, _ = server
    page, errors, _ = open_page(browser, base, "life_expectancy/leicestershire.html")
    tabs = page.locator(".panel-tabset .nav-link", has_text="Wards")
    for i in range(tabs.count()):
        tabs.nth(i).click()
    maps = page.locator(".vega-chart[id^='chart-le-wards-map']")
    assert maps.count() >= 1
    page.wait_for_function(
        "() => [...document.querySelectorAll(\".vega-chart[id^='chart-le-wards-map']\")]"
        ".every(d => d.querySelectorAll('svg .mark-shape.role-mark path').length > 138)",
        timeout=20000,
    )
    assert errors == []
    page.context.close()


def test_every_page_with_its_map_files_is_at_most_500_kb(server):
    """Each page's HTML plus the map files it loads (assets/geo-*.js; the Vega bundle and Quarto's
    libraries are shared by every page and left out) stays within 500 KB."""
    import re

    _, site = server
    heavy = []
    for page in sorted(site.rglob("*.html")):
        if "site_libs" in page.parts:
            continue
        text = page.read_text(encoding="utf-8")
        geo = {(page.parent / src).resolve() for src in re.findall(r'<script src="([^"]+)" data-llr-geo=', text)}
        total = page.stat().st_size + sum(f.stat().st_size for f in geo)
        if total > 500_000:
            heavy.append(f"{page.relative_to(site)}: {total:,} bytes")
    assert heavy == []


def test_maps_draw_from_file_urls(server, browser):
    """Opened as a file (no server), a page still draws its maps: the shared map files are scripts, not
    fetched data (browsers block fetch on file:// addresses)."""
    _, site = server
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto((site / "deprivation" / "rutland.html").as_uri(), wait_until="load")
    page.wait_for_selector("#chart-imd-decile-map svg .mark-shape.role-mark path", state="attached", timeout=20000)
    assert page.locator("#chart-imd-decile-map svg .mark-shape.role-mark path").count() == 26
    assert not [e for e in errors if "dataset" in e]
    context.close()


# ---------------------------------------------------------------- issue 23: pages a committee can use

SPECS_JS = "() => [...document.querySelectorAll('script[data-llr-spec]')].map(s => [s.dataset.llrSpec, JSON.parse(s.textContent)])"


def _colour_encodings(node, found):
    """Every colour encoding of a Vega-Lite spec (layers, facets and concatenations included)."""
    if isinstance(node, dict):
        enc = node.get("encoding")
        if isinstance(enc, dict) and isinstance(enc.get("color"), dict):
            found.append(enc["color"])
        for k, v in node.items():
            if k not in ("datasets", "data"):
                _colour_encodings(v, found)
    elif isinstance(node, list):
        for v in node:
            _colour_encodings(v, found)
    return found


def _series_colours(page) -> dict[str, dict[str, str]]:
    """Series name -> {chart id: colour} for every nominal or ordinal colour scale of the page's charts,
    read from the specs the page draws. Fails on a categorical colour with no explicit domain and range
    (a scale that would follow the alphabet)."""
    seen: dict[str, dict[str, str]] = {}
    for chart_id, spec in page.evaluate(SPECS_JS):
        for enc in _colour_encodings(spec, []):
            if "field" not in enc or enc.get("type") not in ("nominal", "ordinal"):
                continue
            scale = enc.get("scale") or {}
            assert scale.get("domain") and scale.get("range"), (
                f"{chart_id}: colour of {enc['field']} has no fixed domain and range"
            )
            assert len(scale["domain"]) <= len(scale["range"]), (
                f"{chart_id}: {enc['field']} has more series than colours"
            )
            for name, colour in zip(scale["domain"], scale["range"], strict=False):
                seen.setdefault(str(name), {})[chart_id] = str(colour).lower()
    return seen


@pytest.mark.parametrize(
    "rel",
    [
        "localities/leicester/ward-e05010458.html",
        "life_expectancy/leicestershire.html",
        "cancer_screening/leicester.html",
        "population/rutland.html",
    ],
)
def test_one_series_has_one_colour_on_every_chart_of_a_page(server, browser, rel):
    """The colour language (report/colours.py): a series (a locality, a place, England) has one colour on
    every chart of a page; the locality in focus is the accent colour and England black, on the drawn map too."""
    base, site = server
    if not (site / rel).exists():
        pytest.skip(f"{rel} not in this build")
    page, errors, _ = open_page(browser, base, rel)
    page.wait_for_function(DRAWN_JS, timeout=30000)
    seen = _series_colours(page)
    assert seen, f"{rel}: no categorical colour scale"
    mixed = {name: charts for name, charts in seen.items() if len(set(charts.values())) > 1}
    assert mixed == {}, f"{rel}: a series with more than one colour: {mixed}"
    if "England" in seen:
        assert set(seen["England"].values()) == {ENGLAND.lower()}
    if rel.startswith("localities/"):
        name = page.locator("h1").first.inner_text().strip().removesuffix(" ward")
        assert set(seen[name].values()) == {FOCUS.lower()}, seen.get(name)
        assert len(seen[name]) >= 3  # locator map, age profile, deprivation deciles
        fills = page.locator("#chart-locator-map svg .mark-shape.role-mark path").evaluate_all(
            "els => els.map(e => e.getAttribute('fill'))"
        )
        assert [f.lower() for f in fills].count(FOCUS.lower()) == 1
    assert errors == []
    page.context.close()


#: The overview's height on a 390 px wide phone may be at most four screens of 844 px.
PHONE = {"width": 390, "height": 844}


def test_overview_fits_four_phone_screens_with_one_table_of_the_places(server, browser):
    base, _ = server
    page, errors, _ = open_page(browser, base, "index.html", width=PHONE["width"])
    height = page.evaluate("() => document.documentElement.scrollHeight")
    print(f"overview height at 390 px: {height} px ({height / PHONE['height']:.2f} screens)")
    assert height <= 4 * PHONE["height"], height
    tables = page.locator("main table.places-table")
    assert tables.count() == 1
    heads = [h.strip() for h in tables.first.locator("thead th").all_inner_texts()]
    assert heads[-1] == "England" and len(heads) == 6, heads  # figure, three places, the ICS, England
    assert page.locator("main table.headlines").count() == 0  # no repeated per-place tables
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
    assert errors == []
    page.context.close()


def test_no_profile_has_a_heading_with_nothing_under_it(server):
    """Every section of every locality profile holds text, a table or a chart, not only its heading."""
    from bs4 import BeautifulSoup

    _, site = server
    empty = []
    profiles = sorted((site / "localities").glob("*/*.html"))
    assert len(profiles) > 60
    for path in profiles:
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        main = soup.find("main") or soup
        for section in main.find_all("section", class_=["level2", "level3"]):
            heading = section.find(["h2", "h3"])
            rest = [c for c in section.children if c is not heading and getattr(c, "name", None) != "h2"]
            text = "".join(c.get_text(" ", strip=True) if getattr(c, "name", None) else str(c).strip() for c in rest)
            has_thing = any(getattr(c, "name", None) and c.find(["table", "figure", "svg", "ul"]) for c in rest)
            if not text.strip() and not has_thing:
                empty.append(f"{path.relative_to(site)}: {heading.get_text(strip=True) if heading else '?'}")
    assert empty == []


def test_a_pcn_profile_says_where_it_is_and_lists_its_practices_and_their_screening(server, browser):
    base, site = server
    rel = _first_profile(site, "leicester", "pcn")
    page, errors, _ = open_page(browser, base, rel)
    where = page.locator("section#where-it-is")
    assert "postcode district" in where.inner_text()
    members = page.locator("#member-practices table tbody tr")
    assert members.count() >= 2
    assert page.locator("[id^='practice-screening-'] table tbody tr").count() >= members.count()
    assert errors == []
    page.context.close()


def test_a_profile_prints_to_a_clean_a4_document(server, browser):
    """Printed (Chromium's PDF), a profile has no navbar, sidebar or table of contents, and a few A4 pages."""
    pypdf = pytest.importorskip("pypdf")
    import io

    base, _ = server
    rel = "localities/leicester/ward-e05010458.html"
    page, errors, _ = open_page(browser, base, rel)
    page.wait_for_function(DRAWN_JS, timeout=30000)
    brand = page.locator(".navbar-title").first.inner_text().strip()
    page.emulate_media(media="print")
    for selector in ("#quarto-header", "#quarto-sidebar", "#TOC", "#quarto-search", ".llr-breadcrumbs"):
        loc = page.locator(selector)
        assert loc.count() == 0 or not loc.first.is_visible(), selector
    pdf = page.pdf(format="A4", print_background=True)
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "profile-print.pdf").write_bytes(pdf)
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    text = "\n".join(p.extract_text() or "" for p in reader.pages)
    print(f"{rel} printed to {len(reader.pages)} A4 pages")
    assert 2 <= len(reader.pages) <= 8, len(reader.pages)
    assert brand and brand not in text
    import unicodedata

    text = unicodedata.normalize("NFKC", text)  # the PDF's ligatures ("ﬁ") as letters
    assert "Key figures" in text and "Where it is" in text
    width = float(reader.pages[0].mediabox.width)
    assert abs(width - 595) < 3  # A4 portrait, in points
    assert errors == []
    page.context.close()


def test_every_profile_and_place_summary_links_a_word_document_that_opens(server):
    """Each locality profile and place summary links its .docx; python-docx reads one of each kind and finds
    the page's headings, its tables and its charts (as pictures)."""
    docx = pytest.importorskip("docx")
    import re

    _, site = server
    pages = sorted((site / "localities").glob("*/*.html")) + sorted((site / "summary").glob("*.html"))
    assert len(pages) > 60
    missing = []
    for page in pages:
        links = re.findall(r'href="([^"]+\.docx)"', page.read_text(encoding="utf-8"))
        if not links or not (page.parent / links[0]).is_file():
            missing.append(str(page.relative_to(site)))
    assert missing == []
    ward = docx.Document(str(site / "localities" / "leicester" / "ward-e05010458.docx"))
    headings = [p.text for p in ward.paragraphs if p.style.name.startswith("Heading")]
    assert {"Where it is", "Population", "Deprivation", "Life expectancy", "Cancer screening"} <= set(headings)
    assert len(ward.inline_shapes) >= 3  # locator map, age profile, deprivation deciles
    assert len(ward.tables) >= 2
    assert any("Abbey" in p.text for p in ward.paragraphs[:3])
    pcn = sorted((site / "localities" / "leicester").glob("pcn-*.docx"))[0]
    pcn_doc = docx.Document(str(pcn))
    assert "Where it is" in [p.text for p in pcn_doc.paragraphs if p.style.name.startswith("Heading")]
    assert len(pcn_doc.tables) >= 3  # key figures, member practices, practices' screening
    summary = docx.Document(str(site / "summary" / "leicester.docx"))
    assert "Key messages" in [p.text for p in summary.paragraphs if p.style.name.startswith("Heading")]


# ------------------------------------------------ issue 23 item 6: the site title and the names on maps


@pytest.mark.parametrize("width", [1280, 390])
def test_site_title_is_whole_and_every_map_names_are_legible(server, browser, width):
    """At 1280 px the navbar shows the ICS's full name whole with the menus on one line; at 390 px its short
    name (both from the places file). On every map of a sample of pages (every topic page, summary, localities
    index and first profile of each level of two places; every tab opened) no name written on the map is
    below 10 px on screen or overlaps another."""
    from browser_checks import page_problems, pages_with_maps, site_titles

    base, site = server
    full, short = site_titles()
    assert full != short and "{" not in full + short
    pages = ["index.html"] + pages_with_maps(site, "leicester") + pages_with_maps(site, "leicestershire")
    assert len(pages) >= 14, pages
    problems, maps = [], 0
    for rel in pages:
        found, n = page_problems(browser, base, rel, width, full, short)
        problems += found
        maps += n
    print(f"{len(pages)} pages, {maps} maps checked at {width} px")
    assert maps >= 12
    assert problems == [], "\n".join(problems)
