"""A second integrated care system: Derby and Derbyshire (E54000058), configured and built offline (issue 24).

Fast tests check what the configuration gives another ICS (the practice rule, the Methods page's
generated sentences). The slow test runs ``llr configure --icb E54000058`` and ``llr build --places`` in a
temporary project copy from the mirror, then ``llr check``, scans every page for LLR's names and codes, and
checks Derby figures against independent pandas computations from the raw files.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
import yaml

from conftest import MIRROR, REPO, copy_project, needs_mirror
from llr_analysis.places import load_places

DERBY = "E54000058"
#: LLR's names and codes (the default places file's), none of which may appear on Derby's site
LLR_WORDS = re.compile(r"Leicester|Rutland|\bLLR\b|E06000016|E10000018|E06000017|E54000015|\bQK1\b|\bLE15\b")


def llr(*args: str, root: Path, env: dict | None = None, timeout: int = 3600) -> subprocess.CompletedProcess:
    exe = Path(sys.executable).parent / "llr"
    e = {**os.environ, "LLR_ROOT": str(root), **(env or {})}
    e.pop("LLR_PLACES", None)
    return subprocess.run([str(exe), *args], cwd=root, env=e, capture_output=True, text=True, timeout=timeout)


@pytest.fixture(scope="module")
def derby_places(tmp_path_factory) -> Path:
    if not (MIRROR / "MANIFEST.csv").exists():
        pytest.skip("raw-data mirror not found")
    from llr_analysis import configure as cf

    out = tmp_path_factory.mktemp("derby") / "derby.yml"
    from llr_analysis.paths import project_paths

    paths = project_paths(tmp_path_factory.mktemp("empty-project"))
    doc = cf.configure_icb(cf.load_lookups(cf.locate_lookups(paths, str(MIRROR))), DERBY)
    cf.write_places(doc, out)
    return out


@pytest.fixture
def use_places(monkeypatch):
    def use(path: Path):
        monkeypatch.setenv("LLR_PLACES", str(path))
        load_places.cache_clear()
        return load_places()

    yield use
    load_places.cache_clear()


@needs_mirror
def test_derby_practice_rule_places_no_practice_of_its_one_sub_icb(derby_places, use_places):
    """Derby and Derbyshire's one sub-ICB location (15M) covers both places: the rule has nothing to place its
    practices by, so none is placed and neither place gets a PCN tab (LSOA21_SICBL24: 651 of 651 LSOAs in 15M)."""
    from llr_analysis.process.gp_practices import assign_place

    cfg = use_places(derby_places)
    rows = pd.read_csv(MIRROR / "lookups/LSOA21_SICBL24_ICB24_EN_LU.csv", dtype=str)
    mine = rows[rows["ICB24CD"] == DERBY]
    assert len(mine) == 651 and set(mine["SICBL24CDH"]) == {"15M"}
    assert cfg.practices["sub_icbs"] == {"15M": None}
    assert assign_place("15M", "U12345", "DE1 1AA")[0] is None
    assert assign_place("04C", None, None)[1] == "not in this ICS"
    assert all("pcn" not in p.localities and "pcn" not in p.profiles for p in cfg.places.values())
    assert cfg.ics_name == "Derby and Derbyshire" and cfg.ics_id == "derby_and_derbyshire"


@needs_mirror
def test_methods_page_for_derby_names_derby_and_no_llr(derby_places, use_places):
    from llr_analysis.website.config_text import fill

    use_places(derby_places)
    text = fill((REPO / "pages/methods.qmd").read_text(encoding="utf-8"))
    assert not LLR_WORDS.findall(text)
    assert "The two places of Derby and Derbyshire are Derby (unitary authority, E06000015) and Derbyshire" in text
    assert "Derby and Derbyshire has 651 LSOAs (2021) in 9 districts." in text
    assert "15M covers more than one place" in text and "{" + "ics_name}" not in text


def test_methods_page_for_llr_states_its_rule():
    from llr_analysis.website.config_text import fill

    load_places.cache_clear()
    text = fill((REPO / "pages/methods.qmd").read_text(encoding="utf-8"))
    assert (
        "The three places of Leicester, Leicestershire and Rutland are Leicester (unitary authority, E06000016)" in text
    )
    assert "LLR has 634 LSOAs (2021) in 9 districts. Sources still on 2011 geography (IoD2019) use its 611" in text
    assert "its practices are placed by their primary care network (PCN U67590 to Rutland)" in text
    assert "(LE15 to Rutland)" in text and "its other practices belong to Leicestershire" in text


def test_llr_rule_reproduces_llrs_assignment_of_every_practice_in_the_2017_ccgs():
    """The general rule with LLR's places file gives LLR's documented assignment (CCG 04C Leicester, 04V
    Leicestershire, 03W Rutland for the Rutland PCN or postcode district LE15, else Leicestershire)."""
    from llr_analysis.process.gp_practices import assign_place

    load_places.cache_clear()
    cases = {
        ("04C", "U05642", "LE4 0QR"): "leicester",
        ("04C", None, "LE15 1AA"): "leicester",
        ("04V", "U67590", None): "leicestershire",
        ("03W", "U67590", "LE16 9BX"): "rutland",
        ("03W", "U50165", "LE15 6NT"): "leicestershire",
        ("03W", None, "LE15 9EG"): "rutland",
        ("03W", None, "LE8 0LN"): "leicestershire",
        ("03W", None, None): "leicestershire",
        ("15M", "U12345", "DE1 1AA"): None,
    }
    assert {k: assign_place(*k)[0] for k in cases} == cases


# ------------------------------------------------------------------------------------ end to end


@pytest.fixture(scope="module")
def derby_site(tmp_path_factory):
    """Derby and Derbyshire's whole site, built offline from the mirror in a temporary project copy
    (``--workers 2``; every profile the configured file asks for: 18 Derby wards, 8 Derbyshire districts).
    ``LLR_TEST_DERBY=DIR`` uses a project already built that way instead (``DIR/derby.yml``, ``DIR/site``)."""
    given = os.environ.get("LLR_TEST_DERBY")
    if given:
        return Path(given).resolve()
    if not (MIRROR / "MANIFEST.csv").exists():
        pytest.skip("raw-data mirror not found")
    root = copy_project(tmp_path_factory.mktemp("derby-project"))
    r = llr("configure", "--icb", DERBY, "--out", "derby.yml", "--mirror", str(MIRROR), root=root)
    assert r.returncode == 0, r.stderr
    r = llr("build", "--places", "derby.yml", "--workers", "2", "--mirror", str(MIRROR), root=root)
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-3000:]
    return root


#: The Derby tests share one build: with pytest-xdist they run in one worker.
DERBY_GROUP = pytest.mark.xdist_group("derby")


@pytest.mark.slow
@pytest.mark.mirror
@DERBY_GROUP
def test_derby_site_builds_passes_check_and_names_no_llr(derby_site):
    r = llr("check", root=derby_site, env={"LLR_PLACES": str(derby_site / "derby.yml")})
    assert r.returncode == 0, r.stdout + r.stderr
    site = derby_site / "site"
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 40
    # every page, the search index, the downloads and the map files a reader gets
    texts = [p for p in site.rglob("*") if p.suffix in (".html", ".json", ".csv", ".js") and "site_libs" not in p.parts]
    texts = [p for p in texts if p.name != "vega-bundle.js"]
    hits = {}
    for p in texts:
        text = p.read_text(encoding="utf-8", errors="replace")
        found = LLR_WORDS.findall(text)
        if found:
            hits[str(p.relative_to(derby_site))] = sorted(set(found))
    assert not hits, hits
    index = (derby_site / "site/index.html").read_text(encoding="utf-8")
    assert "Derby and Derbyshire" in index and "Derbyshire" in index


@pytest.mark.slow
@pytest.mark.mirror
@DERBY_GROUP
def test_derby_figures_match_the_raw_files(derby_site):
    """Derby's LSOA count and its share of LSOAs in England's most deprived 10% (IoD2025), computed here
    with pandas from the raw files, are what processing made (and the deprivation page states the share)."""
    raw = derby_site / "data/raw"
    lk = pd.read_csv(next(raw.rglob("LSOA21_WD24_LAD24_EW_LU.csv")), dtype=str)
    derby = set(lk.loc[lk["LAD24CD"] == "E06000015", "LSOA21CD"])
    assert len(derby) == 152
    geo = pd.read_parquet(derby_site / "data/processed/geography/lsoa21.parquet")
    assert set(geo.loc[geo["place_id"] == "derby", "lsoa21_code"]) == derby
    imd = pd.read_csv(next(raw.rglob("IoD2025_File7_columns_England_LSOA21__rebuilt_from_humaniverse.csv")), dtype=str)
    dec = imd.set_index("LSOA code (2021)")[
        "Index of Multiple Deprivation (IMD) Decile (where 1 is most deprived 10% of LSOAs)"
    ].astype(int)
    n10 = int((dec.loc[sorted(derby)] == 1).sum())
    tidy = pd.read_parquet(derby_site / "data/processed/deprivation/iod_lsoa.parquet")
    core = tidy[(tidy["edition"] == "IoD2025") & (tidy["index_id"] == "imd") & tidy["lsoa_code"].isin(derby)]
    assert int((core["decile"] == 1).sum()) == n10
    page = re.sub(r"<[^>]+>", "", (derby_site / "site/deprivation/derby.html").read_text(encoding="utf-8"))
    share = f"{n10} ({100 * n10 / len(derby):.1f}%)"
    assert f"Of the {len(derby)} LSOAs in Derby, {share} are among the most deprived 10%" in page
    # Derby's mid-2020 population: the ONS LSOA (2011) estimates of its 151 LSOAs summed (256,814)
    est = pd.read_csv(next(raw.rglob("*Mid-2020_Persons__England.csv")), dtype=str)
    est = est[est["LA Code (2021 boundaries)"] == "E06000015"]
    total = int(est["All Ages"].str.replace(",", "").astype(int).sum())
    assert len(est) == 151 and total > 200_000
    population = re.sub(r"<[^>]+>", "", (derby_site / "site/population/derby.html").read_text(encoding="utf-8"))
    assert f"In mid-2020 an estimated {total:,} people lived in Derby" in population
    # the places file written by configure names Derby and Derbyshire and 651 LSOAs
    doc = yaml.safe_load((derby_site / "derby.yml").read_text())
    assert doc["ics"]["name"] == "Derby and Derbyshire" and doc["expected"]["lsoa21_in_ics"] == 651


# ------------------------------------------------------------------------- Derby's pages in a browser


@pytest.fixture(scope="module")
def derby_url(derby_site):
    """Derby's built site served on a loopback port."""
    import functools
    import http.server
    import threading

    http.server.SimpleHTTPRequestHandler.log_message = lambda *a, **k: None
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(derby_site / "site"))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()


@pytest.fixture(scope="module")
def chromium():
    from browser_checks import ARGS, CHROMIUM

    if not Path(CHROMIUM).exists():
        pytest.skip("Debian chromium not installed (make test installs it)")
    playwright = pytest.importorskip("playwright.sync_api")
    with playwright.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield b
        b.close()


@pytest.mark.slow
@pytest.mark.mirror
@pytest.mark.browser
@DERBY_GROUP
@pytest.mark.parametrize("width", [1280, 390])
def test_derby_pages_in_a_browser(derby_site, derby_url, chromium, use_places, width):
    """LLR's page checks on Derby's site (tests/browser_checks.py): the overview, each place's summary, a
    topic page of each place with every tab opened, each localities index and the first profile of each
    level, at 1280 and 390 px: no console error or outside request, charts drawn, no sideways scroll on a
    phone, the navbar's title whole (Derby and Derbyshire's full name, its short name on a phone), names on
    maps legible and apart; and the words a reader sees there name no LLR place."""
    from browser_checks import open_page, page_problems, site_titles

    cfg = use_places(derby_site / "derby.yml")
    full, short = site_titles()
    assert cfg.ics_name in full
    site = derby_site / "site"
    pages = ["index.html"]
    for place in cfg.places:
        pages += [f"summary/{place}.html", f"deprivation/{place}.html", f"localities/{place}.html"]
        for level in ("ward", "district", "pcn", "msoa"):
            first = sorted((site / "localities" / place).glob(f"{level}-*.html"))[:1]
            pages += [str(f.relative_to(site)) for f in first]
    pages = [p for p in pages if (site / p).exists()]
    assert {"index.html", "summary/derby.html", "deprivation/derbyshire.html"} <= set(pages)
    assert any(p.startswith("localities/derby/ward-") for p in pages), pages
    problems, maps = [], 0
    for rel in pages:
        found, n = page_problems(chromium, derby_url, rel, width, full, short)
        problems += found
        maps += n
        page, _, _ = open_page(chromium, derby_url, rel, width=width)
        words = LLR_WORDS.findall(page.locator("main").inner_text())
        if words:
            problems.append(f"{rel}: names {sorted(set(words))}")
        page.context.close()
    print(f"Derby: {len(pages)} pages, {maps} maps checked at {width} px")
    assert maps >= 6
    assert problems == [], "\n".join(problems)
