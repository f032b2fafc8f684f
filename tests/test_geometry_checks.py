"""Boundary files: CRS, lon/lat in England, null/empty/invalid geometries, codes -- each naming file and area."""

from __future__ import annotations

import json

import pytest

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
