"""The population pages of the built site: computed narrative, tidy downloads, and a browser check."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

from llr_analysis.places import load_places
from llr_analysis.report.page import DOWNLOAD_COLUMNS, chart_specs

PLACES = ("leicester", "leicestershire", "rutland")
STANDARD = DOWNLOAD_COLUMNS


def _raw_2020(mirror) -> pd.DataFrame:
    from llr_analysis.fetch.sources import get_dataset

    return pd.read_csv(mirror / get_dataset("sape_lsoa11_mid2020").mirror_path, dtype={"LSOA Code": str})


def test_population_page_per_place_with_computed_numbers(built_site, mirror):
    site, _ = built_site
    raw = _raw_2020(mirror)
    cfg = load_places()
    llr_total = raw.loc[raw["LA Code (2021 boundaries)"].isin(cfg.all_district_codes), "All Ages"].sum()
    for place in cfg.places.values():
        html = (site / "population" / f"{place.id}.html").read_text()
        assert f"<title>Population: {place.name}" in html
        rows = raw[raw["LA Code (2021 boundaries)"].isin(place.district_codes)]
        total = rows["All Ages"].sum()
        pct65 = 100 * rows[[str(a) for a in range(65, 90)] + ["90+"]].to_numpy().sum() / total
        assert (
            f"In mid-2020 an estimated <strong>{total:,}</strong> people lived in {place.name} "
            f"({100 * total / llr_total:.1f}% of LLR"
        ) in html
        assert f"<strong>{pct65:.1f}%</strong> were aged 65 and over" in html
        assert "from llr_analysis import" not in html
        assert html.count('src="../assets/vega-bundle.js"') == 1
        for name in ("locality-population", "age-profile", "change", "pct-65-plus-map"):
            assert f'id="chart-{name}"' in html
    lcs = (site / "population" / "leicestershire.html").read_text()
    for district in cfg.places["leicestershire"].districts.values():
        assert district in lcs
    assert "<caption>Population and age structure of Leicestershire, LLR and England, mid-2020" in lcs
    assert "<caption>Population and age structure of each district of Leicestershire, mid-2020 (7 districts" in lcs
    for place, n in (("leicester", 21), ("rutland", 15), ("leicestershire", 138)):
        wards = pd.read_csv(site / "population" / f"{place}-data" / "locality-population-ward.csv")
        assert wards.loc[wards["indicator"] == "Population (all ages)", "area_code"].nunique() == n
        html = (site / "population" / f"{place}.html").read_text()
        assert "No population figures for primary care networks" in html  # the PCN tab says what is missing
        assert "this build" not in html and "mirror" not in html.lower()
    sources = pd.read_csv(site / "population" / "leicester-data" / "population-sources.csv")
    assert sources["value"].tolist() == [354036, 372495, 368581]


def test_population_downloads_are_tidy_and_match_the_raw_file(built_site, mirror):
    site, _ = built_site
    raw = _raw_2020(mirror)
    d = site / "population" / "rutland-data"
    st = pd.read_csv(d / "age-structure.csv")
    assert list(st.columns[:11]) == STANDARD
    eng = st[(st["area_code"] == "E92000001") & (st["indicator"] == "% aged 65+")].iloc[0]
    older = raw[[str(a) for a in range(65, 90)] + ["90+"]].to_numpy().sum()
    assert eng["count"] == older and eng["denominator"] == raw["All Ages"].sum()
    assert eng["value"] == round(100 * older / raw["All Ages"].sum(), 4)  # downloads keep 4 decimals
    prof = pd.read_csv(d / "age-profile.csv")
    assert list(prof.columns[:11]) == STANDARD and len(prof) == 3 * 19
    # shares sum to 100, within the rounding of 19 values to 4 decimals
    assert prof.groupby("area_code")["value"].sum().sub(100).abs().le(19 * 0.00005).all()
    m = pd.read_csv(d / "pct-65-plus-map.csv")
    assert len(m) == 23 and m["area_code"].str.match(r"^E01\d{6}$").all()  # Rutland's 23 LSOAs (2011)
    row = m.set_index("area_code").loc["E01013787"]
    r = raw.set_index("LSOA Code").loc["E01013787"]
    assert row["denominator"] == r["All Ages"]
    assert row["count"] == r[[str(a) for a in range(65, 90)] + ["90+"]].sum()


def test_age_profile_chart_overlays_england(built_site):
    site, _ = built_site
    html = (site / "population" / "leicester.html").read_text()
    spec = chart_specs(html)["chart-age-profile"]
    marks = {layer["mark"]["type"] if isinstance(layer["mark"], dict) else layer["mark"] for layer in spec["layer"]}
    assert marks == {"bar", "tick"}


def _browser():
    pw = pytest.importorskip("playwright.sync_api")
    exe = shutil.which("chromium") or shutil.which("chromium-browser")
    if not exe:
        pytest.skip("chromium is not installed")
    return pw, exe


def test_population_pages_render_in_the_browser_without_errors(site_url):
    pw, exe = _browser()
    with pw.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=exe, args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
        )
        try:
            for place in PLACES:
                page = browser.new_page()
                errors: list[str] = []
                page.on("console", lambda m, errors=errors: errors.append(m.text) if m.type == "error" else None)
                page.on("pageerror", lambda e, errors=errors: errors.append(str(e)))
                page.route("**/*", lambda r: r.continue_() if r.request.url.startswith(site_url) else r.abort())
                page.goto(f"{site_url}population/{place}.html")
                page.wait_for_function("document.querySelectorAll('.vega-chart svg').length >= 4", timeout=20000)
                assert errors == [], f"{place}: {errors}"
                assert page.locator(".vega-chart").count() == 4
                page.close()
        finally:
            browser.close()
