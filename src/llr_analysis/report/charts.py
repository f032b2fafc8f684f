"""Chart builders shared by the topic notebooks (Altair / Vega-Lite).

Colours are colour-blind safe: comparisons use :data:`llr_analysis.stats.COMPARISON_COLOURS`
(never red/amber/green alone, always with a text label); continuous values use viridis
(perceptually uniform); deprivation deciles use ColorBrewer's 10-class RdYlBu
(:data:`DECILE_COLOURS`), diverging so that neighbouring deciles differ in lightness and hue
(viridis made deciles 1-3 nearly the same dark colour), marked colour-blind safe by ColorBrewer.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any, cast

import altair as alt
import geopandas as gpd
import pandas as pd
from shapely import orient_polygons

from llr_analysis.report.colours import place_colours
from llr_analysis.report.stage import stage_folder
from llr_analysis.report.templating import render
from llr_analysis.stats.benchmark import COMPARISON_COLOURS

DECILE_SCHEME = "viridis"
#: ColorBrewer RdYlBu, 10 classes: decile 1 (most deprived) dark red ... decile 10 dark blue.
DECILE_COLOURS = [
    "#a50026", "#d73027", "#f46d43", "#fdae61", "#fee090",
    "#e0f3f8", "#abd9e9", "#74add1", "#4575b4", "#313695",
]  # fmt: skip
#: Outline colour of localities drawn over small areas.
OUTLINE_COLOUR = "#111111"
#: Maps name their localities on the map when there are at most this many (more would overlap).
MAX_MAP_LABELS = 25
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"


#: How far a simplified boundary may move from the published one, in degrees (~35-55 m here),
#: and the quantisation grid of the TopoJSON (10,000 steps across the map's extent, ~10 m for
#: an ICS). A map of a county drawn 560 px wide shows ~150 m per pixel, so neither is visible, and
#: the geometry of a page's maps shrinks 3-5 times (pages stay under 500 KB).
SIMPLIFY_TOLERANCE = 0.0005
QUANTIZATION = 10_000


def geo_data(gdf: gpd.GeoDataFrame) -> alt.InlineData | alt.NamedData:
    """Polygons (with their attributes) for a Vega-Lite map, as simplified, quantised TopoJSON.

    Boundaries are simplified topologically (shared edges stay shared, so neighbours keep no gaps
    or overlaps) with ``SIMPLIFY_TOLERANCE`` and quantised to ``QUANTIZATION`` steps. Exterior
    rings are made clockwise first, as d3-geo (which Vega uses) expects on the sphere: with
    GeoJSON's usual anticlockwise rings each shape would be drawn as "everything except this
    polygon". Attributes are read in charts as ``properties.<column>``.

    The simplification is done once per set of shapes (:func:`_topology`, cached by content): the
    same wards drawn on many pages are simplified once per worker. In a build a page writes the
    geometry to a file shared by every page that draws the same shapes (:func:`externalise_geometry`).
    """
    gdf = gdf.to_crs(4326) if gdf.crs is not None and gdf.crs.to_epsg() != 4326 else gdf.copy()
    gdf = gdf.reset_index(drop=True)
    topo = _topology(gdf.geometry)
    attrs = gdf.drop(columns=gdf.geometry.name)
    for c in attrs.columns:  # plain JSON types for the attributes (no numpy scalars, NaN as null)
        if pd.api.types.is_float_dtype(attrs[c]):
            attrs[c] = attrs[c].round(4)
    records = json.loads(attrs.to_json(orient="records")) if len(attrs.columns) else [{} for _ in range(len(gdf))]
    if stage_folder():
        # in a build the chart only names its map (Altair never walks the shapes, which cost a quarter
        # of a second a map); the page writes the shapes to their shared file (externalise_geometry)
        import hashlib

        text = json.dumps(records, sort_keys=True, separators=(",", ":"))
        name = "llr-map-" + hashlib.sha256((topo["llr_key"] + text).encode()).hexdigest()[:20]
        _MAPS[name] = (topo, records)
        return alt.NamedData(name=name, format=alt.DataFormat(type="topojson", feature="areas"))
    geometries = [dict(g) for g in topo["objects"]["areas"]["geometries"]]
    for g in geometries:
        g["properties"] = records[g.pop("properties")["_i"]]
    topo = {k: v for k, v in topo.items() if k != "llr_key"}
    topo = {**topo, "objects": {"areas": {**topo["objects"]["areas"], "geometries": geometries}}}
    return alt.InlineData(values=topo, format=alt.DataFormat(type="topojson", feature="areas"))


_TOPOLOGIES: dict[str, dict] = {}
#: Maps named by :func:`geo_data` in a build: ``{name: (shapes, attribute records)}``.
_MAPS: dict[str, tuple[dict, list]] = {}


def _topology(geometry: gpd.GeoSeries) -> dict:
    """Simplified, quantised TopoJSON of ``geometry`` (EPSG:4326) whose features carry only their row
    number (``properties._i``); cached by the shapes' content for the life of the process."""
    import hashlib

    import topojson

    key = hashlib.sha256(b"".join(geometry.to_wkb(hex=False)) + f"{len(geometry)}".encode()).hexdigest()
    if key not in _TOPOLOGIES:
        shapes = gpd.GeoDataFrame(
            {"_i": range(len(geometry))},
            geometry=orient_polygons(geometry.values, exterior_cw=True),
            crs=geometry.crs,
        )
        topo = topojson.Topology(
            shapes, prequantize=QUANTIZATION, toposimplify=SIMPLIFY_TOLERANCE, object_name="areas"
        ).to_dict()
        _TOPOLOGIES[key] = {**topo, "llr_key": key}
    return _TOPOLOGIES[key]


def _is_topology(values) -> bool:
    return isinstance(values, dict) and values.get("type") == "Topology"


def externalise_geometry(spec: dict, datasets: dict, stage: str | os.PathLike, asset_prefix: str) -> list[tuple]:
    """Take map geometry out of a page: each TopoJSON dataset of ``datasets`` (from
    :func:`llr_analysis.report.page.compact_datasets`) is split into its shapes, written once to
    ``<stage>/assets/geo-<content hash>.js`` (a script that adds it to ``window.LLR_DATA``, so it
    loads from ``file://`` too and the browser caches it for every page drawing the same shapes),
    and its attributes, kept in the page as a small dataset that each map joins to its shapes with
    a Vega-Lite ``lookup`` (``as: properties``), so encodings keep reading ``properties.<column>``.

    Changes ``spec`` and ``datasets`` in place; returns ``[(dataset name, script tag)]``.
    """
    import hashlib

    scripts = []
    for name in sorted(_named_maps(spec)):  # maps named by geo_data: shapes and attributes kept apart
        shapes, records = _MAPS[name]
        shapes = {k: v for k, v in shapes.items() if k != "llr_key"}
        datasets[name] = {**shapes, "objects": {"areas": {**shapes["objects"]["areas"], "geometries": [
            {**g, "properties": records[g["properties"]["_i"]]} for g in shapes["objects"]["areas"]["geometries"]
        ]}}}  # fmt: skip
    for name, values in list(datasets.items()):
        if not _is_topology(values):
            continue
        geometries = values["objects"]["areas"]["geometries"]
        shapes = {
            **values,
            "objects": {"areas": {**values["objects"]["areas"], "geometries": [
                {**{k: v for k, v in g.items() if k != "properties"}, "properties": {"_i": i}}
                for i, g in enumerate(geometries)
            ]}},
        }  # fmt: skip
        text = json.dumps(shapes, separators=(",", ":"), allow_nan=False)
        geo_name = "geo-" + hashlib.sha256(text.encode()).hexdigest()[:20]
        attrs_name = name + "-attributes"
        datasets.pop(name)
        datasets[geo_name] = None  # named on the chart, loaded by the script (never written in the page)
        datasets[attrs_name] = [{**(g.get("properties") or {}), "_i": i} for i, g in enumerate(geometries)]
        _rename_data(spec, name, geo_name, attrs_name)
        target = Path(stage) / "assets" / f"{geo_name}.js"
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            tmp = target.with_name(f"{target.name}.{os.getpid()}.tmp")
            tmp.write_text(f"(window.LLR_DATA=window.LLR_DATA||{{}})[{json.dumps(geo_name)}]={text};\n")
            os.replace(tmp, target)
        scripts.append((geo_name, render("geo_script.html", prefix=asset_prefix, name=geo_name)))
    return scripts


def join_geometry(spec: dict) -> None:
    """Undo :func:`externalise_geometry` where the shapes were read: the
    attributes back in each shape's ``properties`` and the ``lookup`` that joined them removed."""
    datasets = spec["datasets"]
    original = dict(datasets)
    joined: set[str] = set()

    def walk(node) -> None:
        if isinstance(node, dict):
            transforms = node.get("transform") or []
            data = node.get("data") or {}
            if transforms and transforms[0].get("as") == "properties" and data.get("name") in original:
                attrs_name = transforms[0]["from"]["data"]["name"]
                attrs = original[attrs_name]
                topo = json.loads(json.dumps(original[data["name"]]))
                for g in topo["objects"]["areas"]["geometries"]:
                    g["properties"] = {k: v for k, v in attrs[g["properties"]["_i"]].items() if k != "_i"}
                datasets[data["name"]] = topo
                joined.add(attrs_name)
                if transforms[1:]:
                    node["transform"] = transforms[1:]
                else:
                    node.pop("transform")
            for k, v in node.items():
                if k != "datasets":
                    walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(spec)
    for name in joined:
        datasets.pop(name, None)


def _named_maps(node, found: set | None = None) -> set[str]:
    """Names of the maps of :func:`geo_data` that ``node`` (a spec) reads."""
    found = set() if found is None else found
    if isinstance(node, dict):
        data = node.get("data")
        if isinstance(data, dict) and data.get("name") in _MAPS:
            found.add(data["name"])
        for v in node.values():
            _named_maps(v, found)
    elif isinstance(node, list):
        for v in node:
            _named_maps(v, found)
    return found


def _rename_data(node, old: str, new: str, attrs: str) -> None:
    """Point every view reading dataset ``old`` at ``new`` and join the attributes ``attrs`` to it."""
    if isinstance(node, dict):
        data = node.get("data")
        if isinstance(data, dict) and data.get("name") == old:
            data["name"] = new
            lookup = {"lookup": "properties._i", "from": {"data": {"name": attrs}, "key": "_i"}, "as": "properties"}
            node["transform"] = [lookup, *node.get("transform", [])]
        for k, v in node.items():
            if k != "datasets":
                _rename_data(v, old, new, attrs)
    elif isinstance(node, list):
        for v in node:
            _rename_data(v, old, new, attrs)


def _tooltip(t) -> alt.Tooltip:
    """A tooltip on a GeoJSON property: ``(field, title)`` or ``field``; numbers are shown as numbers."""
    field, title = (t, t) if isinstance(t, str) else t
    kind = "Q" if field in ("score", "rank", "decile", "value", "population") else "N"
    if field in ("score", "value"):
        return alt.Tooltip(f"properties.{field}:{kind}", title=title, format=",.3~f")
    return alt.Tooltip(f"properties.{field}:{kind}", title=title)


def choropleth(
    gdf: gpd.GeoDataFrame,
    field: str,
    title: str,
    tooltip: list,
    *,
    ordinal: bool = False,
    scheme: str = DECILE_SCHEME,
    reverse: bool = False,
    legend_title: str | None = None,
    width: int = 560,
    height: int = 460,
    domain: list | None = None,
    colours: list[str] | None = None,
    outlines: gpd.GeoDataFrame | None = None,
) -> alt.Chart | alt.LayerChart:
    """A map of polygons coloured by ``field`` with tooltips (``tooltip`` = altair tooltip fields).

    ``colours`` gives the range for ``domain`` (instead of ``scheme``); ``outlines`` (columns
    ``locality_name``, ``geometry``) draws locality boundaries over the polygons (see
    :func:`with_outlines`).
    """
    data = geo_data(gdf)
    enc_type = "O" if ordinal else "Q"
    scheme_name: Any = scheme  # one of Vega's scheme names (altair types them as a Literal)
    if colours:
        scale = alt.Scale(domain=cast(Any, domain), range=colours)  # None: an explicit null domain, as before
    elif domain:
        scale = alt.Scale(scheme=scheme_name, reverse=reverse, domain=domain)
    else:
        scale = alt.Scale(scheme=scheme_name, reverse=reverse)
    tips = [_tooltip(t) for t in tooltip]
    base = (
        alt.Chart(data)
        .mark_geoshape(stroke="white", strokeWidth=0.3)
        .encode(
            color=alt.Color(
                f"properties.{field}:{enc_type}", scale=scale, legend=alt.Legend(title=legend_title or field)
            ),
            tooltip=tips,
        )
        .project(type="mercator")
        .properties(width=width, height=height)
    )
    return base if outlines is None else with_outlines(base, outlines)


def decile_map(
    gdf: gpd.GeoDataFrame,
    decile_field: str,
    tooltip: list,
    legend_title: str,
    outlines: gpd.GeoDataFrame | None = None,
) -> alt.Chart | alt.LayerChart:
    """LSOAs coloured by national decile, 1 = most deprived (dark red) to 10 = least deprived (dark blue)."""
    return choropleth(
        gdf,
        decile_field,
        "",
        tooltip,
        ordinal=True,
        legend_title=legend_title,
        domain=list(range(1, 11)),
        colours=DECILE_COLOURS,
        outlines=outlines,
    )


def with_outlines(base: alt.Chart, outlines: gpd.GeoDataFrame, label: bool | None = None) -> alt.LayerChart:
    """``base`` (a map) with locality boundaries drawn over it, each named in its tooltip, and names
    written on the map when there are at most :data:`MAX_MAP_LABELS` localities (``label`` forces it).

    ``outlines`` needs ``locality_name`` and ``geometry`` (e.g.
    :func:`llr_analysis.analysis.localities.outlines`). The outline layer has no fill, so the small
    areas' own tooltips still answer where the pointer is inside a locality.
    """
    shapes = outlines[["locality_name", "geometry"]].copy()
    lines = (
        alt.Chart(geo_data(shapes))
        .mark_geoshape(filled=False, stroke=OUTLINE_COLOUR, strokeWidth=1.2)
        .encode(tooltip=[alt.Tooltip("properties.locality_name:N", title="Locality")])
    )
    width, height = base.width, base.height
    base = base.copy()
    base.width = base.height = alt.Undefined  # the layer carries the size
    layers: list[alt.Chart] = [base, lines]
    if label if label is not None else len(shapes) <= MAX_MAP_LABELS:
        layers += label_layers(shapes, width, height)
    return cast(alt.LayerChart, alt.layer(*layers).project(type="mercator").properties(width=width, height=height))


#: Map labels: never smaller than this (px), and never overlapping (colliding names are left to tooltips).
LABEL_SIZE = 10


def label_positions(
    shapes: gpd.GeoDataFrame, width: float, height: float, only: list[str] | None = None, size: int = LABEL_SIZE
) -> pd.DataFrame:
    """Where to write the localities' names (``locality_name``) on a map ``width`` x ``height`` px drawn
    in Mercator fitted to the shapes: the largest areas first, and a name whose box would overlap one
    already placed (or leave the map) is dropped. ``only``: the names that may be written (others are
    still drawn but unnamed). Columns ``name``, ``lon``, ``lat``."""
    import numpy as np

    g = shapes.to_crs(4326)
    points = g.representative_point()
    x = np.radians(points.x.to_numpy())
    y = np.log(np.tan(np.pi / 4 + np.radians(points.y.to_numpy()) / 2))
    b = g.total_bounds
    x0, x1 = np.radians(b[0]), np.radians(b[2])
    y0, y1 = (np.log(np.tan(np.pi / 4 + np.radians(v) / 2)) for v in (b[1], b[3]))
    k = min(width / max(x1 - x0, 1e-9), height / max(y1 - y0, 1e-9))
    px, py = (x - x0) * k, (y1 - y) * k
    order = np.argsort(-g.to_crs(27700).area.to_numpy())
    names = shapes["locality_name"].astype(str).to_numpy()
    boxes: list[tuple] = []
    keep = []
    for i in order:
        if only is not None and names[i] not in only:
            continue
        w = 0.6 * size * len(names[i])
        box = (px[i] - w / 2, py[i] - size / 2, px[i] + w / 2, py[i] + size / 2)
        if box[0] < -2 or box[2] > width + 2:
            continue
        if any(not (box[2] < o[0] or o[2] < box[0] or box[3] < o[1] or o[3] < box[1]) for o in boxes):
            continue
        boxes.append(box)
        keep.append(i)
    keep = sorted(keep)
    return pd.DataFrame(
        {"name": names[keep], "lon": points.x.to_numpy()[keep].round(4), "lat": points.y.to_numpy()[keep].round(4)}
    )


def label_layers(shapes: gpd.GeoDataFrame, width: float, height: float, only: list[str] | None = None) -> list:
    """Two text layers (a white halo, then the name) of :func:`label_positions`."""
    names = label_positions(shapes, width, height, only)
    text = alt.Chart(names).encode(longitude="lon:Q", latitude="lat:Q", text="name:N")
    return [
        text.mark_text(fontSize=LABEL_SIZE, fontWeight="bold", stroke="white", strokeWidth=3, strokeOpacity=0.8),
        text.mark_text(fontSize=LABEL_SIZE, fontWeight="bold", color=OUTLINE_COLOUR),
    ]


def bar_with_reference(
    df: pd.DataFrame,
    x: str,
    y: str,
    *,
    reference: float | None = None,
    reference_label: str = "",
    x_title: str = "",
    y_title: str = "",
    sort: str | list = "-x",
    color: str = "#1f5f8b",
    tooltip: list | None = None,
    width: int = 520,
) -> alt.Chart:
    """Horizontal bars (one per area) with an optional vertical reference line (e.g. England)."""
    height = max(120, 22 * len(df))
    bars = (
        alt.Chart(df)
        .mark_bar(color=color)
        .encode(
            x=alt.X(f"{x}:Q", title=x_title),
            y=alt.Y(f"{y}:N", sort=sort, title=y_title),
            tooltip=tooltip or [y, x],
        )
        .properties(width=width, height=height)
    )
    if reference is None:
        return bars
    rule = (
        alt.Chart(pd.DataFrame({"ref": [reference], "label": [reference_label]}))
        .mark_rule(color="#333", strokeDash=[4, 3])
        .encode(x="ref:Q", tooltip=["label:N", "ref:Q"])
    )
    text = (
        alt.Chart(pd.DataFrame({"ref": [reference], "label": [reference_label]}))
        .mark_text(align="left", dx=4, dy=-6, color="#333")
        .encode(x="ref:Q", y=alt.value(0), text="label:N")
    )
    return bars + rule + text


def comparison_scale(domain: list[str] | None = None) -> alt.Scale:
    """Colour scale for better / similar / worse / not compared (colour-blind safe)."""
    domain = domain or ["better", "similar", "worse", "not compared"]
    return alt.Scale(domain=domain, range=[COMPARISON_COLOURS.get(d, "#999999") for d in domain])


def choropleth_categories(
    gdf: gpd.GeoDataFrame,
    field: str,
    label_field: str,
    legend_title: str,
    colours: dict[str, str] | None = None,
    width: int = 520,
    height: int = 480,
) -> alt.Chart:
    """Polygons coloured by a category (e.g. place), with a tooltip naming each shape."""
    colours = colours or place_colours()
    data = geo_data(gdf)
    return (
        alt.Chart(data)
        .mark_geoshape(stroke="white", strokeWidth=1)
        .encode(
            color=alt.Color(
                f"properties.{field}:N",
                title=legend_title,
                scale=alt.Scale(domain=list(colours), range=list(colours.values())),
            ),
            tooltip=[
                alt.Tooltip(f"properties.{label_field}:N", title="District"),
                alt.Tooltip(f"properties.{field}:N", title=legend_title),
            ],
        )
        .project(type="mercator")
        .properties(width=width, height=height)
    )
