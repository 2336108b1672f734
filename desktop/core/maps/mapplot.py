"""The choropleth map drawn onto a given matplotlib Axes, for the screen and for exports.

`draw_map` builds the geometry once: one PathCollection of the areas (paths made straight from
the shapely rings, not through GeoDataFrame.plot), the dissolved cluster boundaries, schools and
empty artists for the highlighted cluster and the selected area. Switching indicator or period
then only changes face colours, the hatched no-data overlays (which reuse the same Path objects)
and the legend: that is what keeps a repaint fast at England scale.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import shapely
from matplotlib import patheffects
from matplotlib.collections import LineCollection, PathCollection
from matplotlib.colors import to_rgba
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.path import Path

from desktop.core.geometry.display import SCREEN_SIMPLIFY_METRES, display_geometries, stored_display  # noqa: F401
from desktop.core.maps.classify import (
    MISSING,
    MISSING_LABEL,
    SUPPRESSED,
    SUPPRESSED_LABEL,
    Classification,
    scheme_title,
)
from desktop.core.maps.colours import face_colours
from desktop.core.plotting.palettes import NoData

if TYPE_CHECKING:
    import geopandas as gpd
    from matplotlib.axes import Axes
    from matplotlib.legend import Legend

Bounds = tuple[float, float, float, float]  # minx, miny, maxx, maxy

AREA_EDGE = (1.0, 1.0, 1.0, 0.7)
EDGE_LIMIT = 5000  # above this many areas, area edges are not drawn
BOUNDARY_COLOUR = "#303030"
SCHOOL_COLOUR = "#1A1A1A"
HALO = [patheffects.withStroke(linewidth=4.5, foreground="white")]
SELECTED_HALO = [patheffects.withStroke(linewidth=3.6, foreground="black")]


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

    def area_at(self, x: float, y: float) -> int | None:
        """Index of the area under a point in data coordinates, or None outside every area."""
        if self.tree is None:
            self.tree = shapely.STRtree(self.geometries)
        hits = self.tree.query(shapely.Point(x, y), predicate="intersects")
        return int(hits.min()) if hits.size else None

    def cluster_bounds(self, cluster: str) -> Bounds | None:
        members = self.geometries[self.area_clusters == cluster]
        return tuple(shapely.total_bounds(members)) if members.size else None


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


def cluster_outlines(geometries: np.ndarray, clusters: np.ndarray,
                     coverage: bool = False) -> dict[str, list[np.ndarray]]:
    """The rings of each cluster's dissolved outline, keyed by cluster name. `coverage` says
    the shapes should be a coverage (coverage_simplify's output), which dissolves ten times
    faster when it is exactly noded (see _dissolve)."""
    outlines = {}
    for name in dict.fromkeys(c for c in clusters if isinstance(c, str) and c):
        union = _dissolve(geometries[clusters == name], coverage)
        rings = shapely.get_rings(shapely.get_parts(union))
        outlines[name] = [shapely.get_coordinates(r) for r in rings]
    return outlines


@dataclass(eq=False)
class MapGeometry:
    """Everything draw_map derives from the areas before drawing (display paths, cluster
    outlines, the hit-test tree): seconds at England scale, so built in the opening worker."""

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
    # outlines of the drawn (possibly simplified) shapes: the full ones have so many vertices
    # that stroking England's cluster boundaries cost ~80 ms a repaint
    shown = stored_display(areas, display) if simplify is not None else None
    if shown is None:
        shown = display_geometries(geometries, simplify)
    return MapGeometry(areas, geometries, area_paths(shown),
                       areas[code_column].astype(str).to_numpy(), clusters,
                       cluster_outlines(shown, clusters, coverage=shown is not geometries),
                       shapely.STRtree(geometries),
                       tuple(float(b) for b in shapely.total_bounds(geometries)), school_xy,
                       schools)


def draw_map(ax: "Axes", areas: "gpd.GeoDataFrame | MapGeometry", *,
             cluster_column: str = "cluster", code_column: str = "area_code",
             schools: "gpd.GeoDataFrame | None" = None, simplify: float | None = None,
             hatch: bool = True) -> MapArtists:
    """Draw the areas (uncoloured), cluster boundaries and schools; returns the artists.

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
    ax.set_aspect("equal", adjustable="datalim")
    ax.set_axis_off()
    artists = MapArtists(ax, collection, paths, g.area_codes, clusters, g.geometries,
                         boundaries, highlight, selected, overlay(NoData.MISSING_HATCH),
                         overlay(NoData.SUPPRESSED_HATCH), school_points, g.bounds, outlines,
                         hatch=hatch, tree=g.tree)
    zoom_to(ax, g.bounds)
    return artists


def recolour(artists: MapArtists, facecolors: np.ndarray) -> None:
    """Give every area its new fill colour (N x 4 RGBA); the geometry stays as it is."""
    artists.areas.set_facecolor(facecolors)


def show_classes(artists: MapArtists, classification: Classification, class_colours: np.ndarray,
                 title: str, *, period: str = "", note: str | None = None,
                 legend: bool = True) -> None:
    """Recolour by a classification and update the hatching and (unless `legend` is False:
    the screen shows its own legend widget) the matplotlib legend to match."""
    recolour(artists, face_colours(classification, class_colours))
    if artists.hatch:  # the overlays are hidden on the screen: nothing to keep in step
        index = classification.class_index
        artists.missing_overlay.set_paths(
            [artists.paths[i] for i in np.flatnonzero(index == MISSING)])
        artists.suppressed_overlay.set_paths(
            [artists.paths[i] for i in np.flatnonzero(index == SUPPRESSED)])
    if legend:
        set_legend(artists, classification, class_colours, title, period=period, note=note)


@dataclass(frozen=True)
class LegendEntry:
    """One legend row: a filled patch, a line or a point marker, with its colour and text."""

    kind: str  # "patch", "line" or "marker"
    label: str
    colour: tuple[float, float, float, float]
    edge: str = "#9A9A9A"
    hatch: str | None = None  # the print hatch of a no-data patch


def legend_entries(classification: Classification, class_colours: np.ndarray, *,
                   boundaries: bool, schools: bool) -> list[LegendEntry]:
    """Class patches "range (count)", the no-data entries that occur, then the map symbols:
    the one source of legend rows for the screen widget and the exported figure."""
    entries = [LegendEntry("patch", f"{lab} ({n:,})", tuple(float(v) for v in to_rgba(c)))
               for c, lab, n in zip(class_colours, classification.labels, classification.counts)]
    if classification.n_suppressed:
        entries.append(LegendEntry(
            "patch", f"{SUPPRESSED_LABEL} ({classification.n_suppressed:,})",
            NoData.SUPPRESSED_COLOUR, NoData.HATCH_COLOUR, NoData.SUPPRESSED_HATCH))
    if classification.n_missing:
        entries.append(LegendEntry("patch", f"{MISSING_LABEL} ({classification.n_missing:,})",
                                   NoData.MISSING_COLOUR, NoData.HATCH_COLOUR,
                                   NoData.MISSING_HATCH))
    if boundaries:
        entries.append(LegendEntry("line", "Cluster boundary", to_rgba(BOUNDARY_COLOUR)))
    if schools:
        entries.append(LegendEntry("marker", "School", to_rgba(SCHOOL_COLOUR), "white"))
    return entries


def legend_heading(title: str, period: str, scheme: str, note: str | None) -> tuple[str, str, str]:
    """The legend's title, its "period · scheme" line and the bracketed note ("" if none)."""
    return title, " · ".join(p for p in (period, scheme) if p), f"({note})" if note else ""


def legend_title(title: str, period: str, scheme: str, note: str | None) -> str:
    """The export legend's title: the wrapped title, the period and scheme, the note."""
    title, detail, note_line = legend_heading(title, period, scheme, note)
    lines = [*(textwrap.wrap(title, 30) or [""]), detail]
    return "\n".join(lines + [note_line] if note_line else lines)


def set_legend(artists: MapArtists, classification: Classification, class_colours: np.ndarray,
               title: str, *, period: str = "", note: str | None = None) -> "Legend":
    """Class patches "range (count)", the no-data entries that occur, and the map symbols."""
    handles = [_handle(e, artists.hatch) for e in legend_entries(
        classification, class_colours, boundaries=bool(artists.cluster_rings),
        schools=artists.schools is not None)]
    legend = artists.ax.legend(
        handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0.0,
        frameon=False, fontsize=8, title_fontsize=8.5, alignment="left", handlelength=1.6,
        title=legend_title(title, period, scheme_title(classification.scheme), note))
    artists.legend = legend
    return legend


def _handle(entry: LegendEntry, hatch: bool) -> "Patch | Line2D":
    if entry.kind == "line":
        return Line2D([], [], color=entry.colour, lw=0.9, label=entry.label)
    if entry.kind == "marker":
        return Line2D([], [], ls="", marker="o", ms=4.5, mfc=entry.colour, mec=entry.edge,
                      label=entry.label)
    return Patch(facecolor=entry.colour, edgecolor=entry.edge, linewidth=0.5, label=entry.label,
                 hatch=entry.hatch if hatch else None)


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


def set_highlight(artists: MapArtists, cluster: str | None) -> None:
    """Outline one cluster boldly (None: no cluster highlighted)."""
    artists.highlight.set_segments(artists.cluster_rings.get(cluster, []) if cluster else [])


def set_selected_area(artists: MapArtists, index: int | None) -> None:
    """Outline one area (None: no area selected)."""
    rings = []
    if index is not None:
        parts = shapely.get_parts(artists.geometries[index])
        rings = [shapely.get_coordinates(r) for r in shapely.get_rings(parts)]
    artists.selected.set_segments(rings)


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
