"""Boundary files: CRS, lon/lat in England, null/empty/invalid geometries, codes -- each naming file and area."""

from __future__ import annotations

import json

import pytest
from shapely.geometry import Polygon

from llr_analysis.errors import DataValidationError
from llr_analysis.process.geography import read_boundaries

SQUARE = [[-1.15, 52.62], [-1.14, 52.62], [-1.14, 52.63], [-1.15, 52.63], [-1.15, 52.62]]  # in Leicester
BOWTIE = [[-1.15, 52.62], [-1.14, 52.63], [-1.14, 52.62], [-1.15, 52.63], [-1.15, 52.62]]  # self-intersecting


def geojson(tmp_path, features, crs=None, name="LSOA_2021_LLR.geojson"):
    doc = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"LSOA21CD": code},
                "geometry": None if ring is None else {"type": "Polygon", "coordinates": [ring]},
            }
            for code, ring in features
        ],
    }
    if crs:
        doc["crs"] = {"type": "name", "properties": {"name": crs}}
    f = tmp_path / name
    f.write_text(json.dumps(doc))
    return f


def shift(ring, dx=0.0, dy=0.0):
    return [[x + dx, y + dy] for x, y in ring]


def test_good_file_is_read_in_lon_lat(tmp_path):
    f = geojson(tmp_path, [("E01000001", SQUARE), ("E01000002", shift(SQUARE, 0.01))])
    g = read_boundaries(f, "LSOA21CD")
    assert g.crs.to_epsg() == 4326 and g["LSOA21CD"].tolist() == ["E01000001", "E01000002"]


def test_british_national_grid_is_converted(tmp_path):
    bng = [[458000, 304000], [459000, 304000], [459000, 305000], [458000, 305000], [458000, 304000]]
    f = geojson(tmp_path, [("E01000001", bng)], crs="urn:ogc:def:crs:EPSG::27700")
    b = read_boundaries(f, "LSOA21CD").total_bounds
    assert -1.3 < b[0] < -1.0 and 52.5 < b[1] < 52.8


@pytest.mark.parametrize(
    "features, crs, area, message",
    [
        (
            [("E01000001", SQUARE), ("E01000002", BOWTIE)],
            None,
            "E01000002",
            "1 areas have an invalid polygon (Self-intersection",
        ),
        ([("E01000001", SQUARE), ("E01000002", None)], None, "E01000002", "1 areas have no geometry (null)"),
        ([("E01000001", SQUARE), ("E01000002", shift(SQUARE, 10.0))], None, "E01000002", "1 areas lie outside England"),
        ([("E01000001", SQUARE), ("E01000002", [[y, x] for x, y in SQUARE])], None, "E01000002", "lie outside England"),
        ([("E01000001", SQUARE), ("E01000001", shift(SQUARE, 0.01))], None, "E01000001", "more than one boundary"),
        ([("E01000001", SQUARE), (" E01000002", shift(SQUARE, 0.01))], None, "E01000002", "leading or trailing spaces"),
    ],
)
def test_bad_geometry_names_file_and_area(tmp_path, features, crs, area, message):
    f = geojson(tmp_path, features, crs)
    with pytest.raises(DataValidationError) as e:
        read_boundaries(f, "LSOA21CD")
    assert e.value.area == area and message in str(e.value)
    assert str(e.value).startswith("LSOA_2021_LLR.geojson: column ")


def test_bng_coordinates_declared_as_lon_lat_are_out_of_england(tmp_path):
    bng = [[458000, 304000], [459000, 304000], [459000, 305000], [458000, 305000], [458000, 304000]]
    f = geojson(tmp_path, [("E01000001", bng)])
    with pytest.raises(DataValidationError, match=r"area E01000001: 1 areas lie outside England .*lon 458000"):
        read_boundaries(f, "LSOA21CD")


def test_unexpected_crs_is_refused(tmp_path):
    f = geojson(tmp_path, [("E01000001", SQUARE)], crs="urn:ogc:def:crs:EPSG::3857")
    with pytest.raises(DataValidationError, match=r"column 'crs': unexpected coordinate reference system .*3857"):
        read_boundaries(f, "LSOA21CD")


def test_truncated_file(tmp_path):
    f = geojson(tmp_path, [("E01000001", SQUARE)])
    f.write_text(f.read_text()[:60])
    with pytest.raises(DataValidationError, match="LSOA_2021_LLR.geojson: cannot be read as a boundary file"):
        read_boundaries(f, "LSOA21CD")


# ------------------------------------------------- every layer checked alike (issue 25 item 3)


def layer(tmp_path, prop, features, name):
    """A boundary file of any layer: ``features`` are (properties, ring)."""
    doc = {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "properties": props, "geometry": {"type": "Polygon", "coordinates": [ring]}}
            for props, ring in features
        ],
    }
    f = tmp_path / name
    f.write_text(json.dumps(doc))
    return f


LAYERS = [
    ("LSOA21CD", "E01000001", "E01000002", "LSOA_2021_EW_BSC_V4__LLR.geojson"),
    ("MSOA21CD", "E02000001", "E02000002", "MSOA_2021_EW_BSC_V2__LLR.geojson"),
    ("LSOA11CD", "E01000001", "E01000002", "LSOA_2011_EW_BGC__LLR.geojson"),
    ("MSOA11CD", "E02000001", "E02000002", "MSOA_2011_EW_BGC__LLR.geojson"),
    ("WD22CD", "E05000001", "E05000002", "Wards_December_2022_UK_BSC__LLR.geojson"),
    ("LAD24CD", "E06000016", "E06000017", "Local_Authority_Districts_May_2024_UK_BUC__England.geojson"),
]


@pytest.mark.parametrize("prop, code1, code2, name", LAYERS)
@pytest.mark.parametrize("bad", [None, "", "  "])
def test_a_feature_without_its_code_is_refused_in_every_layer(tmp_path, prop, code1, code2, name, bad):
    """A boundary feature with no code (property absent, null or blank) names file, property and feature."""
    props = {prop.replace("CD", "NM"): "Nowhere"} if bad is None else {prop: bad, prop.replace("CD", "NM"): "Nowhere"}
    f = layer(
        tmp_path,
        prop,
        [({prop: code1}, SQUARE), (props, shift(SQUARE, 0.01)), ({prop: code2}, shift(SQUARE, 0.02))],
        name,
    )
    with pytest.raises(DataValidationError) as e:
        read_boundaries(f, prop)
    assert str(e.value) == (
        f"{name}: column {prop!r}: 1 features have no code (property {prop!r} missing, null or blank): every "
        f"boundary must name its area; e.g. feature 2 of 3 (named 'Nowhere' in {prop.replace('CD', 'NM')})"
    )


@pytest.mark.parametrize("prop, code1, code2, name", LAYERS)
def test_duplicate_wrong_layer_and_unknown_codes_are_refused_in_every_layer(tmp_path, prop, code1, code2, name):
    two = [({prop: code1}, SQUARE), ({prop: code1}, shift(SQUARE, 0.01))]
    with pytest.raises(DataValidationError, match=rf"^{name}: column '{prop}': area {code1}: 1 areas have more"):
        read_boundaries(layer(tmp_path, prop, two, name), prop)
    wrong = [({prop: code1}, SQUARE), ({prop: "E99999999"}, shift(SQUARE, 0.01))]
    with pytest.raises(DataValidationError) as e:
        read_boundaries(layer(tmp_path, prop, wrong, name), prop)
    assert "area E99999999: 1 area codes are not codes of this layer" in str(e.value)
    assert str(e.value).endswith("e.g. feature 2 of 2")
    ok = [({prop: code1}, SQUARE), ({prop: code2}, shift(SQUARE, 0.01))]
    with pytest.raises(DataValidationError) as e:
        read_boundaries(layer(tmp_path, prop, ok, name), prop, known={code1}, known_from="LLR in the lookup")
    assert str(e.value) == (
        f"{name}: column {prop!r}: area {code2}: 1 areas are not known areas of LLR in the lookup (a boundary "
        "with a wrong or outdated code?); e.g. feature 2 of 2"
    )
    assert list(read_boundaries(layer(tmp_path, prop, ok, name), prop, known={code1, code2})[prop]) == [code1, code2]


@pytest.mark.parametrize("prop, code1, code2, name", LAYERS)
def test_one_area_drawn_twice_under_its_code_and_name_is_one_area(tmp_path, prop, code1, code2, name):
    """The England ward file of December 2022 has one ward as two near-identical features (same code, same
    name): they are one area, merged (their union) and listed; the same code under two names is refused."""
    nm = prop.replace("CD", "NM")
    twice = [({prop: code1, nm: "Hill & Dale"}, SQUARE), ({prop: code2, nm: "Vale"}, shift(SQUARE, 0.02))]
    twice.append(({prop: code1, nm: "Hill & Dale"}, shift(SQUARE, 0.001)))
    got = read_boundaries(layer(tmp_path, prop, twice, name), prop)
    assert list(got[prop]) == [code1, code2]
    assert got.attrs["merged"] == [{"code": code1, "name": "Hill & Dale", "features": [1, 3]}]
    one = Polygon(SQUARE).union(Polygon(shift(SQUARE, 0.001)))
    assert got.geometry.iloc[0].area == pytest.approx(one.area) and got.geometry.iloc[0].area > Polygon(SQUARE).area
    assert read_boundaries(layer(tmp_path, prop, twice[:2], name), prop).attrs["merged"] == []
    clash = [({prop: code1, nm: "Hill"}, SQUARE), ({prop: code1, nm: "Dale"}, shift(SQUARE, 0.02))]
    with pytest.raises(DataValidationError) as e:
        read_boundaries(layer(tmp_path, prop, clash, name), prop)
    assert str(e.value) == (
        f"{name}: column {prop!r}: area {code1}: 1 area codes have boundaries under different names ({nm}): two "
        "areas cannot share a code; e.g. feature 2 of 2"
    )


def test_a_ward_without_its_code_no_longer_reads_as_a_new_ward(tmp_path):
    """The false statement of issue 25 item 3: a 2022 ward boundary missing its code made its ward
    'created after December 2022'. Now the ward outlines refuse the file."""
    import geopandas as gpd
    import pandas as pd
    from shapely.geometry import Polygon

    from llr_analysis.process.geography import ward_outlines

    wards = layer(
        tmp_path,
        "WD22CD",
        [({"WD22CD": "E05000001", "WD22NM": "Abbey"}, SQUARE), ({"WD22NM": "Belgrave"}, shift(SQUARE, 0.01))],
        "Wards_December_2022_UK_BSC__LLR.geojson",
    )
    lsoa21 = pd.DataFrame(
        {
            "lsoa21_code": ["E01000001", "E01000002"],
            "ward_code": ["E05000001", "E05000002"],
            "ward_name": ["Abbey", "Belgrave"],
            "lad_code": ["E06000016"] * 2,
            "lad_name": ["Leicester"] * 2,
            "place_id": ["leicester"] * 2,
            "place_name": ["Leicester"] * 2,
        }
    )
    shapes = gpd.GeoDataFrame(
        {"lsoa21_code": ["E01000001", "E01000002"]},
        geometry=[Polygon(SQUARE), Polygon(shift(SQUARE, 0.01))],
        crs=4326,
    )
    with pytest.raises(DataValidationError, match=r"feature 2 of 2 \(named 'Belgrave' in WD22NM\)"):
        ward_outlines(lsoa21, shapes, wards)
