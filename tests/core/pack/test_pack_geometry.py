"""Imperfect geometry in a pack input folder, attacked: a bow-tie boundary is repaired (and
the bundle opens and draws), shapes without area or with infinite coordinates are refused
naming the area code, and British National Grid metres in a GeoJSON without a crs member are
named as such (they used to become polygons of Infinity, or an error blaming an indicator)."""

from __future__ import annotations

import json

import pyproj
import pytest
import shapely

from desktop.core.errors import InputError
from desktop.core.pack.build import pack, read_inputs
from desktop.core.workspace import load_workspace
from tests.core.pack_helpers import copy_example

PASS = "pass phrase"
BNG_MEMBER = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::27700"}}


def _edit(folder, change, name="boundaries.geojson"):
    path = folder / name
    data = json.loads(path.read_text())
    change(data)
    path.write_text(json.dumps(data))


def _ring(data, feature: int) -> list:
    return data["features"][feature]["geometry"]["coordinates"][0]


def _bow_tie(data):
    ring = _ring(data, 0)
    (x0, y0), (x1, y1) = ring[0], ring[2]
    data["features"][0]["geometry"]["coordinates"] = [[[x0, y0], [x1, y1], [x1, y0], [x0, y1],
                                                       [x0, y0]]]


def _to_bng(data, with_member: bool):
    to_bng = pyproj.Transformer.from_crs(4326, 27700, always_xy=True)
    data.pop("crs", None)
    if with_member:
        data["crs"] = BNG_MEMBER
    for feature in data["features"]:
        geometry = feature["geometry"]
        geometry["coordinates"] = [[list(to_bng.transform(*p)) for p in ring]
                                   for ring in geometry["coordinates"]]


def test_a_bow_tie_boundary_is_repaired_and_the_bundle_opens(tmp_path):
    """pack used to accept it and write a bundle the window could not open."""
    folder = copy_example(tmp_path)
    _edit(folder, _bow_tie)
    out = tmp_path / "x.atlas"
    pack(folder, out, PASS)
    workspace = load_workspace(out, PASS)
    areas = workspace.bundle.areas
    assert shapely.is_valid(areas.geometry.to_numpy()).all()
    assert areas.geometry.iloc[0].geom_type == "MultiPolygon"  # the two triangles
    assert areas.geometry.iloc[0].area > 0 and workspace.map_geometry is not None


@pytest.mark.parametrize("feature, ring, words", [
    (1, lambda r: [r[0], r[1], r[0], r[0]], "crosses itself and has no area left"),
    (2, lambda r: [r[0], [1e400, r[1][1]], *r[2:]], "not finite numbers"),
    (3, lambda r: [r[0], [250.0, r[1][1]], *r[2:]], "coordinates such as (250, "),
])
def test_shapes_that_cannot_be_drawn_are_refused_naming_the_area(tmp_path, feature, ring, words):
    folder = copy_example(tmp_path)
    code = json.loads((folder / "boundaries.geojson").read_text())["features"][feature][
        "properties"]["area_code"]

    def change(data):
        data["features"][feature]["geometry"]["coordinates"] = [ring(_ring(data, feature))]

    _edit(folder, change)
    with pytest.raises(InputError) as err:
        pack(folder, tmp_path / "x.atlas", PASS)
    message = str(err.value)
    assert message.startswith(f"boundaries.geojson, row {feature + 1}") and code in message
    assert words in message
    assert not (tmp_path / "x.atlas").exists()


def test_british_national_grid_without_a_crs_member_is_named(tmp_path):
    """Read as degrees, every polygon became Infinity (exports then crashed), or, with pupil
    records, the error blamed an indicator."""
    folder = copy_example(tmp_path)
    assert (folder / "pupils.csv").exists()
    _edit(folder, lambda data: _to_bng(data, with_member=False))
    with pytest.raises(InputError) as err:
        read_inputs(folder)
    message = str(err.value)
    assert message.startswith("boundaries.geojson, row 1")
    assert "look like British National Grid metres" in message and "crs member" in message
    assert "urn:ogc:def:crs:EPSG::27700" in message


def test_british_national_grid_with_a_crs_member_is_read(tmp_path):
    folder = copy_example(tmp_path)
    expected = read_inputs(folder).areas
    _edit(folder, lambda data: _to_bng(data, with_member=True))
    areas = read_inputs(folder).areas
    assert list(areas["area_code"]) == list(expected["area_code"])
    for got, want in zip(areas.geometry, expected.geometry):
        assert abs(got.area - want.area) / want.area < 1e-6


def test_school_points_in_metres_without_a_crs_member_are_named(tmp_path):
    folder = copy_example(tmp_path)
    rows = (folder / "schools.csv").read_text().splitlines()
    header = rows[0].split(",")
    features = []
    for line in rows[1:]:
        cells = dict(zip(header, line.split(",")))
        features.append({"type": "Feature", "properties": {
            k: v for k, v in cells.items() if k not in ("easting", "northing")},
            "geometry": {"type": "Point", "coordinates": [float(cells["easting"]),
                                                          float(cells["northing"])]}})
    (folder / "schools.csv").unlink()
    (folder / "schools.geojson").write_text(json.dumps({"type": "FeatureCollection",
                                                        "features": features}))
    with pytest.raises(InputError, match="schools.geojson, row 1.*school '116859'.*look like "
                                         "British National Grid"):
        read_inputs(folder)
