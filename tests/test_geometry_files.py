"""Map shapes leave the pages: one file per set of shapes (assets/geo-<hash>.js), shared by every page
that draws them, joined to each map's attributes in the browser (report/charts.py, report/page.py)."""

from __future__ import annotations

import json
import re

import geopandas as gpd
import pytest
from shapely.geometry import box

from llr_analysis.report import charts
from llr_analysis.report import page as page_mod
from llr_analysis.report.page import Page


def _squares(values):
    return gpd.GeoDataFrame(
        {"area_name": ["West", "East"], "value": values},
        geometry=[box(-1.2, 52.6, -1.1, 52.7), box(-1.1, 52.6, -1.0, 52.7)],
        crs=4326,
    )


@pytest.fixture
def stage(tmp_path, monkeypatch):
    stage = tmp_path / "stage"
    (stage / "topic").mkdir(parents=True)
    (stage / "other").mkdir(parents=True)
    monkeypatch.setenv("LLR_STAGE", str(stage))
    return stage


def _page(stage, folder, monkeypatch):
    monkeypatch.chdir(stage / folder)
    shown: list[str] = []
    monkeypatch.setattr(page_mod, "_html", shown.append)
    return Page("topic", "leicester"), shown


def test_two_pages_with_the_same_shapes_share_one_file_and_keep_their_own_values(stage, monkeypatch):
    page, shown = _page(stage, "topic", monkeypatch)
    chart = charts.choropleth(_squares([1.5, 2.5]), "value", "", [("area_name", "Area"), ("value", "Value")])
    page.chart(chart, "map", title="Map", description="Two squares")
    other, shown2 = _page(stage, "other", monkeypatch)
    chart2 = charts.choropleth(_squares([7.0, 8.0]), "value", "", [("area_name", "Area")])
    other.chart(chart2, "map", title="Map", description="The same squares, other values")
    files = sorted((stage / "assets").glob("geo-*.js"))
    assert len(files) == 1  # the same shapes: one file, whatever the values
    html, html2 = shown[0], shown2[0]
    name = files[0].stem
    assert f'<script src="../assets/{name}.js" data-llr-geo="{name}"></script>' in html
    assert f'src="../assets/{name}.js"' in html2
    assert '"Topology"' not in html and '"arcs"' not in html  # no geometry in the page
    # in the browser: the shapes' row number joins each map's attributes (properties.<column> as before)
    spec = page_mod.chart_specs(html, stage / "topic")["chart-map"]
    geometries = spec["datasets"][name]["objects"]["areas"]["geometries"]
    assert [g["properties"] for g in geometries] == [
        {"area_name": "West", "value": 1.5},
        {"area_name": "East", "value": 2.5},
    ]
    spec2 = page_mod.chart_specs(html2, stage / "other")["chart-map"]
    assert [g["properties"]["value"] for g in spec2["datasets"][name]["objects"]["areas"]["geometries"]] == [7, 8]
    # the file is a script that registers the shapes (works from file:// addresses, cached by the browser)
    text = files[0].read_text()
    assert text.startswith(f'(window.LLR_DATA=window.LLR_DATA||{{}})["{name}"]=')
    shapes = json.loads(text[text.index("]=") + 2 :].rstrip().rstrip(";"))
    assert [g["properties"] for g in shapes["objects"]["areas"]["geometries"]] == [{"_i": 0}, {"_i": 1}]


def test_a_map_with_shared_shapes_draws_its_own_colours(stage, monkeypatch):
    """The spec as the page's script assembles it (shapes from the file, attributes from the page)
    compiles and draws with Vega: each square gets the colour of its own category."""
    vlc = pytest.importorskip("vl_convert")
    page, shown = _page(stage, "topic", monkeypatch)
    gdf = _squares([1.0, 2.0])
    gdf["this"] = ["West", "other"]
    chart = charts.choropleth_categories(
        gdf, "this", "area_name", "Area", colours={"West": "#0072B2", "other": "#e6e6e6"}
    )
    page.chart(chart, "locator", title="Where", description="West highlighted")
    html = shown[0]
    blocks = dict(re.findall(r'data-llr-dataset="([^"]+)">(.*?)</script>', html))
    spec = json.loads(re.search(r'data-llr-spec="chart-locator">(.*?)</script>', html).group(1))
    names = re.search(r'data-llr-datasets="([^"]*)"', html).group(1).split()
    (geo,) = (stage / "assets").glob("geo-*.js")
    text = geo.read_text()
    shared = {geo.stem: json.loads(text[text.index("]=") + 2 :].rstrip().rstrip(";"))}
    spec["datasets"] = {n: json.loads(blocks[n]) if n in blocks else shared[n] for n in names}
    svg = vlc.vegalite_to_svg(spec)
    shapes = re.search(r'<g class="mark-shape role-mark[^"]*"[^>]*>(.*?)</g>', svg, re.S).group(1)
    assert re.findall(r'fill="(#[0-9A-Fa-f]{6})"', shapes) == ["#0072B2", "#e6e6e6"]


def test_the_same_shapes_are_simplified_once(monkeypatch):
    calls = []
    import topojson

    real = topojson.Topology

    def counting(*a, **k):
        calls.append(1)
        return real(*a, **k)

    monkeypatch.setattr(topojson, "Topology", counting)
    charts._TOPOLOGIES.clear()
    charts.geo_data(_squares([1, 2]))
    charts.geo_data(_squares([3, 4]))
    assert len(calls) == 1
