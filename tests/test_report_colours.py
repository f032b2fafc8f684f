"""The colour language (report/colours.py), the localities index (report/locality/index.py) and the
templates (report/templating.py): small frames, no data files."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
from shapely.geometry import box

from llr_analysis.places import load_places
from llr_analysis.report import colours
from llr_analysis.report.locality import index as locality_index
from llr_analysis.report.templating import render


def test_series_colours_follow_the_roles_in_legend_order():
    cfg = load_places()
    first, second = [p.name for p in cfg.places.values()][:2]
    got = colours.series_colours(["England", "Zeta", cfg.llr_short_name, second, "Alpha", "My ward", first], "My ward")
    assert list(got) == ["My ward", first, second, "Alpha", "Zeta", cfg.llr_short_name, "England"]
    assert got["My ward"] == colours.FOCUS
    assert got[first] == colours.PLACE_PALETTE[0] and got[second] == colours.PLACE_PALETTE[1]
    assert got[cfg.llr_short_name] == colours.ICS and got["England"] == colours.ENGLAND
    assert got["Alpha"] == colours.SERIES[0] and got["Zeta"] == colours.SERIES[1]  # by name, not by arrival
    assert colours.series_dashes(["England", first])["England"] == colours.ENGLAND_DASH


def test_a_place_has_its_colour_on_every_page_and_no_role_colour_is_a_comparison_colour():
    from llr_analysis.stats import COMPARISON_COLOURS

    cfg = load_places()
    for i, p in enumerate(cfg.places.values()):
        assert colours.place_colour(p.id) == colours.place_colour(p.name) == colours.PLACE_PALETTE[i]
        # the same place as the focus of nothing, among others in any order: the same colour
        assert colours.series_colours(["England", p.name, "X"])[p.name] == colours.PLACE_PALETTE[i]
    roles = {colours.FOCUS, colours.ICS, *colours.PLACE_PALETTE[: len(cfg.places)], *colours.SERIES}
    assert not roles & {c.upper() for c in COMPARISON_COLOURS.values()}
    scale = colours.series_scale(["England", "A"]).to_dict()
    assert scale["domain"] == ["A", "England"] and scale["range"] == [colours.SERIES[0], colours.ENGLAND]


def test_templates_escape_every_value():
    out = render("key_messages.html", sentences=["<script>x</script> & more"])
    assert out == '<ul class="key-messages"><li>&lt;script&gt;x&lt;/script&gt; &amp; more</li></ul>'


def _long():
    rows = []
    for code, name, score, people in [
        ("A1", "Alpha", 10.0, 100),
        ("B2", "Beta", 30.0, 300),
        ("C3", "Gamma", 20.0, 200),
    ]:
        rows.append(
            {
                "indicator": "People",
                "area_code": code,
                "area_name": name,
                "period": "mid-2022",
                "value": people,
                "unit": "people",
                "href": f"p/{code}.html",
            }
        )
        rows.append(
            {
                "indicator": "IMD average score (population-weighted)",
                "area_code": code,
                "area_name": name,
                "period": "IoD2025",
                "value": score,
                "unit": "score",
                "href": f"p/{code}.html",
            }
        )
    return pd.DataFrame(rows)


def test_localities_table_ranks_by_deprivation_and_links_every_profile():
    wide, cols = locality_index.wide_table(_long())
    assert [c["indicator"] for c in cols] == ["People", "IMD average score (population-weighted)"]
    html = locality_index.table_html(wide, cols, "Wards", "Place", "x.csv")
    body = html[html.index("<tbody>") :]
    # ranked: the most deprived (Beta, 30.0) first with rank 1
    assert body.index("Beta") < body.index("Gamma") < body.index("Alpha")
    assert '<td data-sort="1">1</td><th scope="row"><a href="p/B2.html">Beta</a>' in body
    assert 'href="x.csv" download' in html and "sortable" in html


def test_localities_map_links_every_locality_and_drops_colliding_names():
    long = _long()
    wide, _ = locality_index.wide_table(long)
    # three squares side by side, the last two too small for their names: at most one is written
    shapes = gpd.GeoDataFrame(
        {"locality_code": ["A1", "B2", "C3"], "locality_name": ["Alpha", "Beta", "Gamma"]},
        geometry=[box(0, 0, 10000, 10000), box(10000, 0, 10300, 300), box(10300, 0, 10600, 300)],
        crs=27700,
    )
    svg = locality_index.map_svg(shapes, wide, "Wards", "Place")
    assert svg.count("data-href=") == 3 and 'data-href="p/B2.html"' in svg
    labels = [t for t in ("Alpha", "Beta", "Gamma") if f">{t}</text>" in svg]
    assert "Alpha" in labels and len(labels) <= 2
    assert f'font-size="{locality_index.LABEL_SIZE}"' in svg and locality_index.LABEL_SIZE >= 10
