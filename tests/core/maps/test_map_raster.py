"""The area-id raster: codes round-trip through Agg, each area's interior decodes to its own
index on the demo bundle's real geometry, and a lookup table recolours every pixel."""

from __future__ import annotations

import numpy as np
import shapely

from desktop.core.maps import raster as map_raster
from desktop.core.maps import shapes


def _pixel(raster: map_raster.IdRaster, x: np.ndarray, y: np.ndarray) -> tuple:
    x0, y0, x1, y1 = raster.extent
    height, width = raster.ids.shape
    cols = np.floor((x - x0) / (x1 - x0) * width).astype(int)
    rows = np.floor((y1 - y) / (y1 - y0) * height).astype(int)
    return rows, cols


def test_encode_decode_round_trip_covers_all_three_bytes():
    codes = np.array([0, 1, 255, 256, 65_535, 65_536, 33_001, 2**24 - 1])
    rgba = np.round(map_raster.encode(codes) * 255).astype(np.uint8).reshape(1, -1, 4)
    np.testing.assert_array_equal(map_raster.decode(rgba)[0], codes)


def test_each_demo_area_interior_decodes_to_its_own_index(demo_bundle):
    geometries = np.asarray(demo_bundle.areas.geometry.values, dtype=object)
    paths = shapes.area_paths(geometries)
    minx, miny, maxx, maxy = shapely.total_bounds(geometries)
    side = max(maxx - minx, maxy - miny)
    view = (minx, miny, minx + side, miny + side)
    raster = map_raster.render_ids(paths, view, 1200, 1200)
    assert raster.ids.shape == (1200, 1200)
    pixel_size = side / 1200
    # the centre of each area's largest inscribed circle: the point furthest inside it
    circles = shapely.maximum_inscribed_circle(geometries, pixel_size / 4)
    points = shapely.get_point(circles, 0)
    inside = shapely.length(circles) > 3 * pixel_size
    assert inside.mean() > 0.9  # nearly every area is over six pixels wide somewhere
    rows, cols = _pixel(raster, shapely.get_x(points), shapely.get_y(points))
    codes = raster.ids[rows[inside], cols[inside]]
    np.testing.assert_array_equal(codes, np.flatnonzero(inside) + 1)
    assert raster.area_index(rows[0], cols[0]) in (0, None)
    # every code is background, an area or (not drawn here) the edge: nothing else
    assert raster.ids.min() >= 0 and raster.ids.max() <= len(paths)
    assert (raster.ids == 0).any()  # the square view leaves background beside the county


def test_edges_take_the_reserved_code_and_leave_interiors_alone(demo_bundle):
    geometries = np.asarray(demo_bundle.areas.geometry.values, dtype=object)[:40]
    paths = shapes.area_paths(geometries)
    view = tuple(shapely.total_bounds(geometries))
    plain = map_raster.render_ids(paths, view, 600, 600)
    edged = map_raster.render_ids(paths, view, 600, 600, edges=True)
    assert (edged.ids == edged.edge_code).sum() > 1000
    assert not (plain.ids == plain.edge_code).any()
    same = edged.ids != edged.edge_code
    np.testing.assert_array_equal(edged.ids[same], plain.ids[same])
    assert edged.area_index(*np.argwhere(edged.ids == edged.edge_code)[0]) is None


def test_paint_gathers_the_lut_colour_of_every_pixel():
    squares = [shapely.box(0, 0, 1, 1), shapely.box(2, 0, 3, 1)]
    raster = map_raster.render_ids(shapes.area_paths(np.array(squares, dtype=object)),
                                   (-0.5, -0.5, 3.5, 1.5), 400, 200)
    faces = np.array([[1.0, 0, 0, 1], [0, 0, 1.0, 1]])
    lut = map_raster.colour_lut(faces, background="white")
    image = map_raster.paint(raster, lut)
    assert image.shape == (200, 400, 4) and image.dtype == np.uint8
    rows, cols = _pixel(raster, np.array([0.5, 2.5, 1.5]), np.array([0.5, 0.5, 0.5]))
    np.testing.assert_array_equal(image[rows, cols], [[255, 0, 0, 255], [0, 0, 255, 255],
                                                      [255, 255, 255, 255]])
    again = map_raster.paint(raster, map_raster.colour_lut(faces[::-1]), out=image)
    assert again is image
    np.testing.assert_array_equal(image[rows[0], cols[0]], [0, 0, 255, 255])


def test_edges_fit_only_when_areas_are_big_enough_on_screen(demo_bundle):
    geometries = np.asarray(demo_bundle.areas.geometry.values, dtype=object)
    tree = shapely.STRtree(geometries)
    view = tuple(shapely.total_bounds(geometries))
    n = len(geometries)
    assert map_raster.edges_fit(tree, view, n * map_raster.EDGE_MIN_PIXELS)
    assert not map_raster.edges_fit(tree, view, n * map_raster.EDGE_MIN_PIXELS - 1)
