"""The whole site, built from the mirror for the three places into a temporary project."""

from __future__ import annotations

from llr_analysis.report.page import DOWNLOAD_COLUMNS, chart_specs
from llr_analysis.website.check import check_site


def test_site_has_a_deprivation_page_per_place_and_an_index(built_site):
    site, report = built_site
    for place in ("leicester", "leicestershire", "rutland"):
        assert (site / "deprivation" / f"{place}.html").exists()
    assert (site / "index.html").exists()
    assert (site / "methods.html").exists() and (site / "sources.html").exists()
    assert (site / "assets" / "vega-bundle.js").stat().st_size > 500_000
    assert set(report.timings) >= {"process", "notebooks", "render", "check", "publish"}
    # every page is rendered by Quarto 1.7
    for page in site.rglob("*.html"):
        if "site_libs" not in page.parts:
            assert '<meta name="generator" content="quarto-1.7.' in page.read_text(), page


def test_site_passes_llr_check(built_site):
    site, _ = built_site
    assert check_site(site) == []


def test_deprivation_page_content(built_site):
    site, _ = built_site
    html = (site / "deprivation" / "leicestershire.html").read_text()
    assert "<title>Deprivation: Leicestershire" in html
    # code cells are hidden
    assert "from llr_analysis import" not in html
    # the locality table lists the seven districts, with a caption and a CSV link
    for district in (
        "Blaby",
        "Charnwood",
        "Harborough",
        "Hinckley and Bosworth",
        "Melton",
        "North West Leicestershire",
        "Oadby and Wigston",
    ):
        assert district in html
    assert "<caption>Deprivation by district, Leicestershire, IoD2025" in html
    assert 'href="leicestershire-data/localities-district.csv"' in html
    # the chart library is loaded once, from inside the site
    assert html.count('src="../assets/vega-bundle.js"') == 1
    assert "jquery" not in html.lower() and "require.min.js" not in html
    # narrative numbers are computed: 3 of Leicestershire's 408 LSOAs are in the most deprived decile
    assert "Of the 408 LSOAs in Leicestershire, 3 (0.7%) are among the most deprived 10% in England" in html


def test_downloads_are_tidy_csvs(built_site):
    import pandas as pd

    site, _ = built_site
    df = pd.read_csv(site / "deprivation" / "leicester-data" / "localities-ward.csv")
    assert list(df.columns[:11]) == DOWNLOAD_COLUMNS
    wards = df[df["area_code"].str.startswith("E05")]
    assert len(wards) == 21 and wards["lsoas"].sum() == 200 and set(wards["period"]) == {"IoD2025"}
    m = pd.read_csv(site / "deprivation" / "leicester-data" / "imd-decile-map.csv")
    assert len(m) == 200 and m["decile"].between(1, 10).all()


def test_map_spec_has_every_lsoa_with_tooltips(built_site):
    site, _ = built_site
    html = (site / "deprivation" / "rutland.html").read_text()
    spec = chart_specs(html, site / "deprivation")["chart-imd-decile-map"]  # map shapes: assets/geo-*.js
    assert spec["data"]["format"] == {"type": "topojson", "feature": "areas"}
    topology = spec["datasets"][spec["data"]["name"]]
    features = topology["objects"]["areas"]["geometries"]
    assert len(features) == 26
    assert len({f["properties"]["lsoa_code"] for f in features}) == 26
    assert {"lsoa_name", "msoa_name", "score", "rank", "decile"} <= set(features[0]["properties"])
    titles = {t["title"] for t in spec["encoding"]["tooltip"]}
    assert {"LSOA", "MSOA", "IMD score", "National rank (1 = most deprived)", "National decile"} <= titles
