"""Picking small areas on the map: which areas a rectangle or a lasso holds, and the picked
areas drawn over the map.

An area is in a rectangle or a lasso when its representative point (a point inside the area,
shapely's point_on_surface, so also for a crescent or a ring-shaped area) lies inside it. The
points are worked out once per map; a gesture is then one vectorised test on them, fast at
England's 33,000 areas. A click picks the area under the pointer (MapArtists.area_at).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import shapely
from matplotlib import patheffects
from matplotlib.collections import PathCollection
from matplotlib.path import Path

if TYPE_CHECKING:
    from matplotlib.axes import Axes

PICKED_FILL = (1.0, 0.83, 0.0, 0.55)  # a yellow wash: the classes still show through
PICKED_EDGE = "black"
PICKED_HALO = [patheffects.withStroke(linewidth=3.2, foreground="white")]


def representative_points(geometries: np.ndarray) -> np.ndarray:
    """One point inside each area (n x 2, data coordinates); NaN for an empty geometry."""
    points = shapely.point_on_surface(geometries)
    out = np.full((len(geometries), 2), np.nan)
    present = ~shapely.is_empty(points)
    out[present] = shapely.get_coordinates(points[present])
    return out


def in_rectangle(points: np.ndarray, corner: tuple[float, float],
                 other: tuple[float, float]) -> np.ndarray:
    """Which points lie in the rectangle with opposite corners `corner` and `other`."""
    (x0, y0), (x1, y1) = corner, other
    x, y = points[:, 0], points[:, 1]
    return ((min(x0, x1) <= x) & (x <= max(x0, x1))
            & (min(y0, y1) <= y) & (y <= max(y0, y1)))


def in_lasso(points: np.ndarray, vertices: np.ndarray) -> np.ndarray:
    """Which points lie inside the closed polygon `vertices` (m x 2); fewer than three
    vertices hold nothing. Only the points inside its bounding box are tested exactly."""
    vertices = np.asarray(vertices, float)
    inside = np.zeros(len(points), bool)
    if len(vertices) < 3:
        return inside
    box = in_rectangle(points, vertices.min(axis=0), vertices.max(axis=0))
    candidates = np.flatnonzero(box)
    if candidates.size:
        inside[candidates] = Path(vertices).contains_points(points[candidates])
    return inside


def draw_picked(ax: Axes) -> PathCollection:
    """The (empty) collection that shows the picked areas: a wash and a haloed outline,
    above the cluster outlines, below the chosen area's."""
    picked = PathCollection([], facecolors=[PICKED_FILL], edgecolors=PICKED_EDGE,
                            linewidths=1.3, zorder=3.5, path_effects=PICKED_HALO)
    return ax.add_collection(picked, autolim=False)


def show_picked(picked: PathCollection, paths: list[Path], mask: np.ndarray) -> None:
    """Show the areas marked in `mask` (bundle order) among the map's `paths`."""
    picked.set_paths([paths[i] for i in np.flatnonzero(mask)])
