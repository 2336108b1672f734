"""An area-id raster: the map's areas rendered once per view with each area's index as its
colour, so an indicator switch recolours every pixel with one lookup-table gather
(`lut[ids]`) instead of rasterising tens of thousands of paths again.

Codes: 0 is the background, area i is i + 1, n + 1 (n areas) is an area edge and n + 2 a
cluster boundary. Rendering is done without antialiasing, so every pixel holds exactly one code.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import LineCollection, PathCollection
from matplotlib.colors import to_rgba_array
from matplotlib.figure import Figure
from matplotlib.path import Path

Bounds = tuple[float, float, float, float]  # minx, miny, maxx, maxy

RASTER_LIMIT = 5000  # above this many areas the screen map is drawn as a recoloured raster
EDGE_COLOUR = (1.0, 1.0, 1.0, 1.0)
EDGE_MIN_PIXELS = 150  # edges are drawn when the visible areas average at least this many px
DPI = 100.0


@dataclass(frozen=True, eq=False)
class IdRaster:
    """Codes of a rendered view: ids[row, col] (row 0 at the top) over `extent` (data)."""

    ids: np.ndarray  # (height, width) int32 codes
    extent: Bounds
    n_areas: int

    @property
    def edge_code(self) -> int:
        return self.n_areas + 1

    @property
    def boundary_code(self) -> int:
        return self.n_areas + 2

    def area_index(self, row: int, col: int) -> int | None:
        """The area a pixel belongs to (None for background and edges)."""
        code = int(self.ids[row, col])
        return code - 1 if 0 < code <= self.n_areas else None


def encode(codes: np.ndarray) -> np.ndarray:
    """RGBA colours (floats 0..1, opaque) that carry integer codes below 2**24."""
    codes = np.asarray(codes, np.int64)
    rgb = np.stack([(codes >> 16) & 255, (codes >> 8) & 255, codes & 255], axis=1) / 255.0
    return np.column_stack([rgb, np.ones(len(codes))])


def decode(rgba: np.ndarray) -> np.ndarray:
    """The integer codes of an (h, w, 4) uint8 image rendered from `encode` colours."""
    rgb = rgba[..., :3].astype(np.int32)
    return (rgb[..., 0] << 16) | (rgb[..., 1] << 8) | rgb[..., 2]


def edges_fit(tree: shapely.STRtree, view: Bounds, pixels: int) -> bool:
    """Whether area edges are worth drawing: the areas in view are large enough on screen that
    a one-pixel edge does not swallow them."""
    visible = len(tree.query(shapely.box(*view)))
    return visible * EDGE_MIN_PIXELS <= pixels


def render_ids(paths: list[Path], view: Bounds, width: int, height: int, *,
               edges: bool = False, boundaries: list[np.ndarray] | None = None) -> IdRaster:
    """Render the areas' paths over `view` (data coordinates) into width x height pixels,
    each area filled with its code; `edges` outlines them in the edge code, one pixel wide,
    and `boundaries` (cluster outline rings) are drawn over them in the boundary code."""
    # everything explicit: this runs in a thread, beside whatever style another thread has
    # put in the global rcParams
    fig = Figure(figsize=(width / DPI, height / DPI), dpi=DPI, facecolor=(0, 0, 0, 1),
                 layout="none")
    canvas = FigureCanvasAgg(fig)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_axis_off()
    n = len(paths)
    collection = PathCollection(
        paths, facecolors=encode(np.arange(1, n + 1)),
        edgecolors=encode([n + 1]) if edges else "none",
        linewidths=72.0 / DPI, antialiaseds=False)
    ax.add_collection(collection, autolim=False)
    if boundaries:
        ax.add_collection(LineCollection(boundaries, colors=encode([n + 2]),
                                         linewidths=72.0 / DPI, antialiaseds=False),
                          autolim=False)
    x0, y0, x1, y1 = view
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    canvas.draw()
    ids = decode(np.asarray(canvas.buffer_rgba()))
    return IdRaster(ids, view, n)


def colour_lut(facecolors: np.ndarray, background: object = "white",
               edge: object = EDGE_COLOUR, boundary: object = "black") -> np.ndarray:
    """One packed RGBA (uint32) per code: background, the areas' face colours, the edge and
    the cluster boundary."""
    rgba = np.concatenate([to_rgba_array(background), to_rgba_array(facecolors),
                           to_rgba_array(edge), to_rgba_array(boundary)])
    return np.ascontiguousarray(np.round(rgba * 255).astype(np.uint8)).view(np.uint32)[:, 0]


def paint(raster: IdRaster, lut: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    """The (height, width, 4) uint8 image of a raster coloured by a lookup table (a gather);
    `out` (a previous result of the same shape) is reused to spare an allocation."""
    shape = raster.ids.shape
    if out is None or out.shape[:2] != shape:
        out = np.empty((*shape, 4), np.uint8)
    np.take(lut, raster.ids, out=out.view(np.uint32).reshape(shape))
    return out
