"""What a place's localities index page shows: a map of every locality of a level (each a link to its
profile, shaded by deprivation) and one table of key figures for every locality (sortable, with a rank
and a CSV). Figures are the profiles' own key figures (their ``key-figures.csv``, read by
:func:`llr_analysis.analysis.locality.load.profiles_key_figures`), never recomputed.
"""

from __future__ import annotations

from typing import Any

import geopandas as gpd
import pandas as pd

from llr_analysis.report.templating import render

#: The figure the map shades and the table ranks by (a key-figure indicator starting with this).
RANK_BY = ("IMD average score", "IMD 2019 score")
#: ColorBrewer YlOrBr, 5 classes (colour-blind safe): fifths of the level's localities by that score.
FIFTHS = ["#ffffd4", "#fed98e", "#fe9929", "#d95f0e", "#993404"]
MAP_WIDTH = 640
LABEL_SIZE = 11  # px at full width; labels are hidden on phones (site.css), names stay in tooltips and the table
MAX_LABELS = 25


def _short(indicator: str) -> str:
    return str(indicator).split(" (")[0]


def wide_table(long: pd.DataFrame) -> tuple[pd.DataFrame, list[dict[str, str]]]:
    """One row per locality, one column per key figure (those that most localities have), in the
    profiles' order; and the columns' descriptions (name, unit, period)."""
    if long.empty:
        return pd.DataFrame(), []
    n = long["area_code"].nunique()
    order = list(dict.fromkeys(long["indicator"]))
    keep = [i for i in order if long.loc[long["indicator"] == i, "area_code"].nunique() >= n / 2]
    cols = []
    wide = long[["area_code", "area_name", "href"]].drop_duplicates("area_code").set_index("area_code")
    for ind in keep:
        rows = long[long["indicator"] == ind].drop_duplicates("area_code").set_index("area_code")
        wide[ind] = rows["value"]
        periods = list(dict.fromkeys(rows["period"].astype(str)))
        cols.append({"indicator": ind, "unit": str(rows["unit"].iloc[0]), "period": ", ".join(periods)})
    return wide.reset_index(), cols


def _fmt(value: Any, unit: str) -> str:
    if pd.isna(value):
        return "–"
    return f"{value:,.0f}" if unit == "people" else f"{value:,.1f}"


def rank_column(wide: pd.DataFrame) -> str | None:
    return next((str(c) for c in wide.columns if str(c).startswith(RANK_BY)), None)


def table_html(
    wide: pd.DataFrame, cols: list[dict[str, str]], level_plural: str, place_name: str, csv_href: str
) -> str:
    """The sortable table of every locality's key figures (names link to the profiles)."""
    rank_by = rank_column(wide)
    if rank_by is not None:
        wide = wide.assign(_rank=wide[rank_by].rank(ascending=False, method="min"))
        wide = wide.sort_values("_rank", na_position="last")
    rows = []
    for d in wide.to_dict("records"):
        cells = [
            {
                "text": _fmt(d[c["indicator"]], c["unit"]),
                "sort": "" if pd.isna(d[c["indicator"]]) else f"{d[c['indicator']]:.6g}",
            }
            for c in cols
        ]
        rank = d.get("_rank")
        rows.append(
            {
                "name": d["area_name"],
                "href": d["href"],
                "rank": "" if rank is None or pd.isna(rank) else f"{rank:.0f}",
                "cells": cells,
            }
        )
    columns = [{"name": _short(c["indicator"]), "title": c["indicator"], "period": c["period"]} for c in cols]
    caption = (
        f"Key figures of every one of the {len(rows)} {level_plural.lower()} of {place_name}, from their profiles"
        + (f"; ranked by {_short(rank_by)} (1 = most deprived)" if rank_by else "")
        + ". Select a column heading to sort by it."
    )
    return render(
        "locality/index_table.html",
        caption=caption,
        columns=columns,
        rows=rows,
        ranked=rank_by is not None,
        csv_href=csv_href,
        level=level_plural,
    )


def _label_boxes_collide(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    return not (a[2] < b[0] or b[2] < a[0] or a[3] < b[1] or b[3] < a[1])


def map_svg(shapes: gpd.GeoDataFrame, wide: pd.DataFrame, level_plural: str, place_name: str) -> str:
    """An SVG map of the localities (British National Grid), each a link to its profile with its name
    as a tooltip, shaded by fifths of the ranking score; names written where they do not collide."""
    if shapes.empty:
        return ""
    g = shapes.to_crs(27700)
    minx, miny, maxx, maxy = g.total_bounds
    scale = MAP_WIDTH / (maxx - minx)
    height = round((maxy - miny) * scale)
    g["geometry"] = g.geometry.simplify(1.2 / scale, preserve_topology=True)
    rank_by = rank_column(wide)
    info = wide.set_index("area_code")
    fifth = None
    if rank_by is not None and info[rank_by].notna().sum() >= 5:
        fifth = pd.qcut(info[rank_by].rank(method="first"), 5, labels=False)

    def path(geom: Any) -> str:
        # SVG path data (not HTML): "M x,y L x,y ... Z" per ring, in pixels
        parts = []
        polys = getattr(geom, "geoms", [geom])
        for poly in polys:
            for ring in [poly.exterior, *poly.interiors]:
                pts = [(round((x - minx) * scale, 1), round((maxy - y) * scale, 1)) for x, y in ring.coords]
                parts.append("M" + "L".join(f"{x:g},{y:g}" for x, y in pts) + "Z")
        return "".join(parts)

    areas = []
    for r in g.itertuples(index=False):
        code = r.locality_code
        href = info["href"].get(code, "") if code in info.index else ""
        value = info[rank_by].get(code) if rank_by and code in info.index else None
        colour = (
            FIFTHS[int(fifth[code])]
            if fifth is not None and code in fifth.index and pd.notna(fifth[code])
            else "#eeeeee"
        )
        tip = str(r.locality_name) + (
            "" if value is None or pd.isna(value) else f": {_short(str(rank_by))} {value:.1f}"
        )
        areas.append({"d": path(r.geometry), "href": href, "title": tip, "fill": colour})
    labels = []
    if len(g) <= MAX_LABELS:
        pts = g.assign(area=g.area).sort_values("area", ascending=False)
        boxes: list[tuple[float, ...]] = []
        for r in pts.itertuples(index=False):
            p = r.geometry.representative_point()
            x, y = (p.x - minx) * scale, (maxy - p.y) * scale
            w = 0.58 * LABEL_SIZE * len(str(r.locality_name))
            box = (x - w / 2, y - LABEL_SIZE, x + w / 2, y + 2)
            if box[0] < 0 or box[2] > MAP_WIDTH or any(_label_boxes_collide(box, b) for b in boxes):
                continue  # a name that would overlap another (or leave the map) is left to the tooltip
            boxes.append(box)
            labels.append({"x": f"{x:.1f}", "y": f"{y:.1f}", "text": r.locality_name})
    legend = (
        [
            {"fill": c, "text": t}
            for c, t in zip(FIFTHS, ["least deprived fifth", "", "", "", "most deprived fifth"], strict=True)
        ]
        if fifth is not None
        else []
    )
    return render(
        "locality/index_map.html",
        width=MAP_WIDTH,
        height=height,
        areas=areas,
        labels=labels,
        legend=legend,
        font=LABEL_SIZE,
        title=f"Map of the {len(areas)} {level_plural.lower()} of {place_name}",
        description=(
            f"Each of the {len(areas)} {level_plural.lower()} is a link to its profile"
            + (f", shaded by fifths of {_short(str(rank_by))} (darker = more deprived)" if fifth is not None else "")
            + ". Names that would overlap are left out of the map: point at an area or use the table below."
        ),
    )
