"""The drawable form of a bundle's areas and clusters, derived once, with no figure needed.

Area paths are made straight from the shapely rings (not through GeoDataFrame.plot). Clusters
are dissolved from the areas' drawn shapes into outline rings (the boundaries over the small
area map) and filled paths (the cluster map), each with a point well inside it for its name.
Seconds at England scale, so the screen builds this in the opening worker (core.workspace).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import shapely
import shapely.ops
from matplotlib.path import Path

from desktop.core.geometry.display import display_geometries, stored_display

if TYPE_CHECKING:
    import geopandas as gpd

Bounds = tuple[float, float, float, float]  # minx, miny, maxx, maxy

def area_paths(geometries: np.ndarray) -> list[Path]:
    """One compound Path per (multi)polygon: exteriors anticlockwise and holes clockwise, so the
    nonzero fill rule cuts the holes out."""
    geoms = shapely.orient_polygons(geometries)
    parts, part_area = shapely.get_parts(geoms, return_index=True)
    rings, ring_part = shapely.get_rings(parts, return_index=True)
    xy, coord_ring = shapely.get_coordinates(rings, return_index=True)
    codes = np.full(len(xy), Path.LINETO, dtype=Path.code_type)
    first = np.r_[True, coord_ring[1:] != coord_ring[:-1]]
    codes[first] = Path.MOVETO
    codes[np.r_[first[1:], True]] = Path.CLOSEPOLY
    coord_area = part_area[ring_part[coord_ring]]
    cuts = np.searchsorted(coord_area, np.arange(1, len(geometries)))
    return [Path(v, c) for v, c in zip(np.split(xy, cuts), np.split(codes, cuts))]


def _dissolve(geometries: np.ndarray, coverage: bool):
    """The union of some areas: the coverage union when they should form a clean coverage
    (GEOS refuses one that is not exactly noded, e.g. generalised real boundaries), otherwise
    or then the general union."""
    if coverage:
        try:
            return shapely.coverage_union_all(geometries)
        except shapely.errors.GEOSException:
            pass
    return shapely.union_all(geometries)


def cluster_shapes(geometries: np.ndarray, clusters: np.ndarray,
                   coverage: bool = False) -> dict[str, shapely.Geometry]:
    """Each cluster's dissolved shape, keyed by name in order of first appearance. `coverage`
    says the shapes should be a coverage (coverage_simplify's output), which dissolves ten
    times faster when it is exactly noded (see _dissolve)."""
    return {name: _dissolve(geometries[clusters == name], coverage)
            for name in dict.fromkeys(c for c in clusters if isinstance(c, str) and c)}


def label_point(shape: shapely.Geometry) -> tuple[float, float]:
    """Where a name sits well inside a shape: the pole of inaccessibility of its largest
    part (a centroid can fall outside a crescent or in a bay)."""
    parts = shapely.get_parts(shape)
    largest = parts[np.argmax(shapely.area(parts))]
    minx, miny, maxx, maxy = shapely.bounds(largest)
    point = shapely.ops.polylabel(largest, tolerance=max(maxx - minx, maxy - miny) / 100 or 1.0)
    return float(point.x), float(point.y)


@dataclass(eq=False)
class MapGeometry:
    """Everything draw_map derives from the areas before drawing (display paths, cluster
    shapes, the hit-test tree): seconds at England scale, so built in the opening worker."""

    source: "gpd.GeoDataFrame"  # the areas frame it was built from (identity check)
    geometries: np.ndarray
    paths: list[Path]
    area_codes: np.ndarray
    clusters: np.ndarray
    outlines: dict[str, list[np.ndarray]]
    tree: shapely.STRtree
    bounds: Bounds
    school_xy: np.ndarray | None
    schools_source: "gpd.GeoDataFrame | None" = None
    cluster_paths: tuple[Path, ...] = ()  # filled, in the order of `outlines`
    label_xy: np.ndarray | None = None  # where each cluster's name goes, same order


def prepare_geometry(areas: "gpd.GeoDataFrame", schools: "gpd.GeoDataFrame | None" = None, *,
                     cluster_column: str = "cluster", code_column: str = "area_code",
                     simplify: float | None = None,
                     display: "gpd.GeoDataFrame | None" = None) -> MapGeometry:
    """The drawable form of the areas and schools (no matplotlib figure needed). With
    `simplify`, large maps draw simplified shapes: the bundle's stored `display` table when it
    matches the areas, else simplified here (seconds at England scale)."""
    geometries = np.asarray(areas.geometry.values, dtype=object)
    clusters = areas[cluster_column].astype(object).where(areas[cluster_column].notna(), None)
    clusters = np.asarray(clusters.to_numpy(), dtype=object)
    school_xy = None
    if schools is not None and len(schools):
        school_xy = shapely.get_coordinates(np.asarray(schools.geometry.values, dtype=object))
    # clusters from the drawn (possibly simplified) shapes: the full ones have so many
    # vertices that stroking England's cluster boundaries cost ~80 ms a repaint
    shown = stored_display(areas, display) if simplify is not None else None
    if shown is None:
        shown = display_geometries(geometries, simplify)
    dissolved = cluster_shapes(shown, clusters, coverage=shown is not geometries)
    outlines = {name: [shapely.get_coordinates(r)
                       for r in shapely.get_rings(shapely.get_parts(shape))]
                for name, shape in dissolved.items()}
    shapes = np.array(list(dissolved.values()), dtype=object)
    return MapGeometry(areas, geometries, area_paths(shown),
                       areas[code_column].astype(str).to_numpy(), clusters, outlines,
                       shapely.STRtree(geometries),
                       tuple(float(b) for b in shapely.total_bounds(geometries)), school_xy,
                       schools, tuple(area_paths(shapes)) if shapes.size else (),
                       np.array([label_point(s) for s in shapes]).reshape(-1, 2))
