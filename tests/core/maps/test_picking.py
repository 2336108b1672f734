"""Which areas a rectangle or a lasso picks: by a point inside each area, even a crescent."""

from __future__ import annotations

import numpy as np
import shapely

from desktop.core.maps.picking import in_lasso, in_rectangle, representative_points


def test_a_crescents_point_lies_inside_it_not_at_its_empty_centroid():
    crescent = shapely.box(0, 0, 10, 10).difference(shapely.box(2, 0, 10, 8))  # an L shape
    points = representative_points(np.array([crescent, shapely.box(20, 0, 22, 2),
                                             shapely.Polygon()]))
    assert shapely.contains_xy(crescent, *points[0])
    assert not shapely.contains_xy(crescent, *shapely.get_coordinates(crescent.centroid)[0])
    assert np.isnan(points[2]).all()  # an empty geometry is in no rectangle
    assert in_rectangle(points, (10, 3), (-1, 11)).tolist() == [True, False, False]


def test_a_lasso_holds_the_points_inside_its_outline(demo_bundle):
    areas = demo_bundle.areas
    points = representative_points(areas.geometry.values)
    inside = areas["cluster"] == "Bewdley"
    outline = shapely.union_all(areas.geometry[inside].values)
    biggest = max(shapely.get_parts(outline), key=lambda part: part.area)
    expected = shapely.contains_xy(biggest, points[:, 0], points[:, 1])
    assert expected.sum() > 5
    assert (in_lasso(points, shapely.get_coordinates(biggest.exterior)) == expected).all()
    assert not in_lasso(points, np.array([[0.0, 0.0], [1.0, 1.0]])).any()  # not a shape
