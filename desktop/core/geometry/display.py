"""The shapes the screen map draws at England scale: a coverage-preserving simplification.

Above SIMPLIFY_LIMIT areas, rasterising every vertex of every area on each repaint is the
cost of a switch, so the screen draws shapes simplified with `shapely.coverage_simplify`
(neighbours keep their shared edges: no gaps or slivers). It takes seconds at 33,000 areas,
so `write_bundle` does it once and stores the result as the bundle's optional display table;
opening then only decodes it. Hit-tests, bounds and every export keep the full geometry.
Shapely only: packing needs no plotting library.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import shapely

from desktop.core import model

if TYPE_CHECKING:
    import geopandas as gpd

SIMPLIFY_LIMIT = 5000  # above this many areas the screen draws simplified shapes
SCREEN_SIMPLIFY_METRES = 50.0  # their tolerance: under a pixel until zoomed to a few streets


def display_geometries(geometries: np.ndarray, tolerance: float | None) -> np.ndarray:
    """The shapes to draw: above SIMPLIFY_LIMIT areas and with a tolerance (metres), the
    coverage-preserving simplification; otherwise, or if GEOS refuses it, the geometry."""
    if tolerance is None or len(geometries) <= SIMPLIFY_LIMIT:
        return geometries
    try:
        return np.asarray(shapely.coverage_simplify(geometries, tolerance), dtype=object)
    except shapely.errors.GEOSException:
        return geometries


def display_table(areas: "gpd.GeoDataFrame") -> "gpd.GeoDataFrame | None":
    """The display table a bundle stores for its areas (area_code, geometry), or None when
    the map is small enough to draw in full."""
    if len(areas) <= SIMPLIFY_LIMIT:
        return None
    geometries = np.asarray(areas.geometry.values, dtype=object)
    simplified = display_geometries(geometries, SCREEN_SIMPLIFY_METRES)
    if simplified is geometries:
        return None
    import geopandas as gpd

    return gpd.GeoDataFrame({"area_code": areas["area_code"].astype(str).to_numpy()},
                            geometry=gpd.GeoSeries(simplified, crs=areas.crs or model.BUNDLE_CRS))


def stored_display(areas: "gpd.GeoDataFrame",
                   display: "gpd.GeoDataFrame | None") -> np.ndarray | None:
    """The bundle's display shapes aligned with `areas`, or None when it has none that match
    (an older bundle, or one whose areas were changed after packing)."""
    if display is None or len(display) != len(areas):
        return None
    codes = areas["area_code"].astype(str).to_numpy()
    if not np.array_equal(display["area_code"].astype(str).to_numpy(), codes):
        return None
    return np.asarray(display.geometry.values, dtype=object)
