"""The choropleth map drawn onto a given matplotlib Axes, for the screen and for exports.

`draw_map` draws the geometry once (maps.shapes): one PathCollection of the small areas, one
of the clusters (the cluster map, hidden until asked for) with their names, the dissolved
cluster boundaries, schools and empty artists for the highlighted cluster and the selected
area. Switching indicator, period or level then only changes visibility, face colours, the
hatched no-data overlays (which reuse the same Path objects) and the legend: that is what
keeps a repaint fast at England scale.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import shapely
from matplotlib import patheffects
from matplotlib.collections import LineCollection, PathCollection
from matplotlib.path import Path
from matplotlib.text import Text

from desktop.core.maps.classify import MISSING, SUPPRESSED, Classification, scheme_title
from desktop.core.maps.colours import face_colours
from desktop.core.maps.legend import (
    BOUNDARY_COLOUR,
    SCHOOL_COLOUR,
    legend_entries,
    legend_title,
    set_legend,
)
from desktop.core.maps.shapes import Bounds, MapGeometry, prepare_geometry
from desktop.core.model import MAP_AREAS, MAP_CLUSTERS, MAP_LEVELS
from desktop.core.plotting.palettes import NoData

if TYPE_CHECKING:
    import geopandas as gpd
    from matplotlib.axes import Axes
    from matplotlib.legend import Legend

AREA_EDGE = (1.0, 1.0, 1.0, 0.7)
EDGE_LIMIT = 5000  # above this many areas, area edges are not drawn
LABEL_LIMIT = 60  # above this many clusters the cluster map names none (hover says them)
HALO = [patheffects.withStroke(linewidth=4.5, foreground="white")]
SELECTED_HALO = [patheffects.withStroke(linewidth=3.6, foreground="black")]
LABEL_HALO = [patheffects.withStroke(linewidth=2.6, foreground="white")]


@dataclass(eq=False)
class MapArtists:
    """Everything draw_map put on the Axes, kept so the map can be recoloured, not rebuilt."""

    ax: "Axes"
    areas: PathCollection
    paths: list[Path]
    area_codes: np.ndarray
    area_clusters: np.ndarray
    geometries: np.ndarray
    boundaries: LineCollection
    highlight: LineCollection
    selected: LineCollection
    missing_overlay: PathCollection
    suppressed_overlay: PathCollection
    schools: PathCollection | None
    bounds: Bounds
    cluster_rings: dict[str, list[np.ndarray]] = field(default_factory=dict)
    legend: "Legend | None" = None
    hatch: bool = True  # hatched no-data overlays (print); flat fills only on screen
    tree: shapely.STRtree | None = None
    cluster_fills: PathCollection | None = None  # the cluster map, in `cluster_names` order
    cluster_paths: tuple[Path, ...] = ()
    cluster_labels: list[Text] = field(default_factory=list)
    level: str = MAP_AREAS

    @property
    def cluster_names(self) -> tuple[str, ...]:
        """The clusters of the cluster map, in the order its colours and values take."""
        return tuple(self.cluster_rings)

    def area_at(self, x: float, y: float) -> int | None:
        """Index of the area under a point in data coordinates, or None outside every area."""
        if self.tree is None:
            self.tree = shapely.STRtree(self.geometries)
        hits = self.tree.query(shapely.Point(x, y), predicate="intersects")
        return int(hits.min()) if hits.size else None

    def cluster_at(self, x: float, y: float) -> int | None:
        """Index in `cluster_names` of the cluster under a point, or None."""
        area = self.area_at(x, y)
        name = None if area is None else self.area_clusters[area]
        return self.cluster_names.index(name) if name in self.cluster_rings else None

    def cluster_bounds(self, cluster: str) -> Bounds | None:
        members = self.geometries[self.area_clusters == cluster]
        return tuple(shapely.total_bounds(members)) if members.size else None


def draw_map(ax: "Axes", areas: "gpd.GeoDataFrame | MapGeometry", *,
             cluster_column: str = "cluster", code_column: str = "area_code",
             schools: "gpd.GeoDataFrame | None" = None, simplify: float | None = None,
             hatch: bool = True) -> MapArtists:
    """Draw the areas (uncoloured), cluster boundaries, schools and the hidden cluster map;
    returns the artists.

    `areas` is a GeoDataFrame or a MapGeometry prepared earlier (then `schools`, `simplify`
    and the column names were given to prepare_geometry).
    `simplify` (metres, for the screen; exports leave it None) draws simplified shapes of
    large maps (see display_geometries); hit-tests and bounds always use the full geometry.
    `hatch=False` (the screen) leaves suppressed and missing areas as flat grey and white:
    Agg's hatching cost two thirds of every county repaint; exports keep the hatching.
    """
    g = areas if isinstance(areas, MapGeometry) else prepare_geometry(
        areas, schools, cluster_column=cluster_column, code_column=code_column,
        simplify=simplify)
    paths, clusters, outlines = g.paths, g.clusters, g.outlines
    # thousands of area edges would be sub-pixel and cost a third of every repaint
    edges = AREA_EDGE if len(paths) <= EDGE_LIMIT else "none"
    collection = PathCollection(paths, facecolors=NoData.MISSING_COLOUR, edgecolors=edges,
                                linewidths=0.3, zorder=1)
    ax.add_collection(collection, autolim=False)

    def overlay(pattern: str) -> PathCollection:
        coll = PathCollection([], facecolors="none", edgecolors=NoData.HATCH_COLOUR,
                              linewidths=0, hatch=pattern if hatch else None, zorder=1.1)
        coll.set_visible(hatch)
        return ax.add_collection(coll, autolim=False)

    boundaries = LineCollection([r for rings in outlines.values() for r in rings],
                                colors=BOUNDARY_COLOUR, linewidths=0.9, zorder=2)
    highlight = LineCollection([], colors="black", linewidths=2.4, zorder=3, path_effects=HALO)
    selected = LineCollection([], colors="white", linewidths=1.4, zorder=4,
                              path_effects=SELECTED_HALO)
    for lines in (boundaries, highlight, selected):
        ax.add_collection(lines, autolim=False)
    school_points = None
    if g.school_xy is not None:
        school_points = ax.scatter(g.school_xy[:, 0], g.school_xy[:, 1], s=16, c=SCHOOL_COLOUR,
                                   edgecolors="white", linewidths=0.6, zorder=5)
    fills = PathCollection(g.cluster_paths, facecolors=NoData.MISSING_COLOUR,
                           edgecolors=BOUNDARY_COLOUR, linewidths=0.9, zorder=1, visible=False)
    ax.add_collection(fills, autolim=False)
    labels = [ax.text(x, y, textwrap.fill(name, 12, break_long_words=False), ha="center",
                      va="center", fontsize=7.5,
                      linespacing=1.0, zorder=6, path_effects=LABEL_HALO, visible=False,
                      clip_on=True)
              for name, (x, y) in zip(outlines, g.label_xy)] \
        if len(outlines) <= LABEL_LIMIT else []
    ax.set_aspect("equal", adjustable="datalim")
    ax.set_axis_off()
    artists = MapArtists(ax, collection, paths, g.area_codes, clusters, g.geometries,
                         boundaries, highlight, selected, overlay(NoData.MISSING_HATCH),
                         overlay(NoData.SUPPRESSED_HATCH), school_points, g.bounds, outlines,
                         hatch=hatch, tree=g.tree, cluster_fills=fills,
                         cluster_paths=g.cluster_paths, cluster_labels=labels)
    zoom_to(ax, g.bounds)
    return artists


def set_level(artists: MapArtists, level: str) -> None:
    """Show the small areas or the clusters, named and without the schools, which would
    crowd the names; the other collection is hidden, kept."""
    if level not in MAP_LEVELS:
        raise ValueError(f"unknown map level {level!r}")
    artists.level = level
    clusters = level == MAP_CLUSTERS
    artists.areas.set_visible(not clusters)
    artists.cluster_fills.set_visible(clusters)
    for label in artists.cluster_labels:
        label.set_visible(clusters)
    if artists.schools is not None:
        artists.schools.set_visible(not clusters)


def recolour(artists: MapArtists, facecolors: np.ndarray) -> None:
    """Give every area (or, at cluster level, every cluster) its new fill colour (N x 4 RGBA);
    the geometry stays as it is."""
    shown = artists.cluster_fills if artists.level == MAP_CLUSTERS else artists.areas
    shown.set_facecolor(facecolors)


def show_classes(artists: MapArtists, classification: Classification, class_colours: np.ndarray,
                 title: str, *, period: str = "", note: str | None = None,
                 legend: bool = True) -> None:
    """Recolour by a classification of the shown level (areas in bundle order, or clusters in
    `cluster_names` order) and update the hatching and (unless `legend` is False: the screen
    shows its own legend widget) the matplotlib legend to match."""
    recolour(artists, face_colours(classification, class_colours))
    if artists.hatch:  # the overlays are hidden on the screen: nothing to keep in step
        paths = artists.cluster_paths if artists.level == MAP_CLUSTERS else artists.paths
        index = classification.class_index
        artists.missing_overlay.set_paths([paths[i] for i in np.flatnonzero(index == MISSING)])
        artists.suppressed_overlay.set_paths(
            [paths[i] for i in np.flatnonzero(index == SUPPRESSED)])
    if legend:
        entries = legend_entries(classification, class_colours,
                                 boundaries=bool(artists.cluster_rings),
                                 schools=artists.schools is not None
                                 and artists.schools.get_visible(), hatch=artists.hatch)
        artists.legend = set_legend(artists.ax, entries, legend_title(
            title, period, scheme_title(classification.scheme), note))


def fit_axes(artists: MapArtists, margin: float = 0.01) -> None:
    """Shrink the Axes so the legend to its right fits inside the figure (for the screen and
    for exports of a fixed size)."""
    ax, legend = artists.ax, artists.legend
    fig = ax.figure
    width = 0.0
    if legend is not None:
        renderer = fig.canvas.get_renderer()
        width = legend.get_window_extent(renderer).width / fig.bbox.width + 0.02
    view = view_bounds(ax)
    ax.set_position([margin, margin, max(0.2, 1 - width - 2 * margin), 1 - 2 * margin])
    zoom_to(ax, view, margin=0)  # the same view, widened to the new shape


def set_highlight(artists: MapArtists, cluster: str | None,
                  members: np.ndarray | None = None) -> None:
    """Outline one cluster boldly (None: no cluster highlighted), or the areas marked in
    `members` (a custom area) dissolved into one outline."""
    if members is not None and members.any():
        parts = shapely.get_parts(shapely.union_all(artists.geometries[members]))
        rings = [shapely.get_coordinates(r) for r in shapely.get_rings(parts)]
    else:
        rings = artists.cluster_rings.get(cluster, []) if cluster else []
    artists.highlight.set_segments(rings)


def set_selected_area(artists: MapArtists, index: int | None) -> None:
    """Outline one area (None: no area selected)."""
    rings = []
    if index is not None:
        parts = shapely.get_parts(artists.geometries[index])
        rings = [shapely.get_coordinates(r) for r in shapely.get_rings(parts)]
    artists.selected.set_segments(rings)


def set_selected_cluster(artists: MapArtists, cluster: str | None) -> None:
    """Outline one cluster as a selected area is (the cluster map's keyboard choice)."""
    artists.selected.set_segments(artists.cluster_rings.get(cluster, []) if cluster else [])


def zoom_to(ax: "Axes", bounds: Bounds, margin: float = 0.03) -> None:
    """Show a box of data coordinates with a small margin, widened to the Axes' shape so the
    equal aspect needs no further adjustment."""
    minx, miny, maxx, maxy = bounds
    pad = margin * max(maxx - minx, maxy - miny, 1.0)
    width, height = maxx - minx + 2 * pad, maxy - miny + 2 * pad
    box = ax.get_position(original=True).transformed(ax.figure.transFigure)
    if box.width > 0 and box.height > 0:
        ratio = box.height / box.width
        width, height = max(width, height / ratio), max(height, width * ratio)
    cx, cy = (minx + maxx) / 2, (miny + maxy) / 2
    ax.set_xlim(cx - width / 2, cx + width / 2)
    ax.set_ylim(cy - height / 2, cy + height / 2)


def view_bounds(ax: "Axes") -> Bounds:
    """The box of data coordinates the Axes shows now."""
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    return (x0, y0, x1, y1)
