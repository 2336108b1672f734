"""The cross-border flow map on a given Axes: areas shaded by the share of a cluster's flow
they take part in, and arrows between cluster centroids whose width follows the pupils.

Direction "in": where the pupils of the cluster's schools live (arrows from each home cluster
to the chosen one). Direction "out": where the children living in the cluster go to school
(arrows from the chosen cluster to each school cluster). The chosen cluster itself is drawn in a
neutral colour and outlined: its own share (pupils who stay) would swamp the scale. Suppressed
flows are hatched areas and dashed arrows, never a number.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import shapely
from matplotlib.lines import Line2D
from matplotlib.patches import FancyArrowPatch, Patch

from desktop.core.format import format_value
from desktop.core.maps import mapplot
from desktop.core.maps.classify import SUPPRESSED_LABEL
from desktop.core.model import ValueType
from desktop.core.plotting.palettes import NoData, palette_colours
from desktop.core.stats.crossborder import OUTSIDE_LABEL, FlowMatrix, inflow, outflow

if TYPE_CHECKING:
    import geopandas as gpd
    from matplotlib.axes import Axes

DIRECTIONS = {"in": "Where pupils at its schools live", "out": "Where its children go to school"}
SHARE_BREAKS = (0.0, 1.0, 2.5, 5.0)  # percent; classes: none, under 1, 1-2.5, 2.5-5, 5 and more
SHARE_LABELS = ("No pupils", "Under 1%", "1% to 2.5%", "2.5% to 5%", "5% or more")
CLUSTER_COLOUR = (0.93, 0.91, 0.85, 1.0)
ARROW_COLOUR = "#6A3D9A"
MAX_WIDTH = 9.0  # points, for the largest flow
MIN_WIDTH = 0.6


@dataclass(eq=False)
class FlowMapArtists:
    """The base map and the arrows currently drawn (replaced on every update)."""

    base: mapplot.MapArtists
    centroids: dict[str, tuple[float, float]]
    arrows: list = field(default_factory=list)


def cluster_centroids(areas: "gpd.GeoDataFrame") -> dict[str, tuple[float, float]]:
    """A point inside each cluster's dissolved outline (centroid, or a representative point
    when the centroid falls outside a ragged cluster)."""
    geoms = np.asarray(areas.geometry.values, dtype=object)
    clusters = areas["cluster"].astype(object).to_numpy()
    out = {}
    for name in dict.fromkeys(c for c in clusters if isinstance(c, str) and c):
        union = shapely.union_all(geoms[clusters == name])
        point = shapely.centroid(union)
        if not shapely.contains(union, point):
            point = shapely.point_on_surface(union)
        out[name] = (float(point.x), float(point.y))
    return out


def flow_table(matrix: FlowMatrix, cluster: str, direction: str):
    """The inflow ("in") or outflow ("out") table of a cluster."""
    if direction not in DIRECTIONS:
        raise ValueError(f"direction must be one of {tuple(DIRECTIONS)}")
    return inflow(matrix, cluster) if direction == "in" else outflow(matrix, cluster)


def area_shading(area_clusters: np.ndarray, matrix: FlowMatrix, cluster: str,
                 direction: str) -> tuple[np.ndarray, np.ndarray]:
    """Per area: the share (percent) of the chosen cluster's flow that its cluster takes, and
    whether that share is suppressed. NaN for the chosen cluster and areas in no cluster."""
    table = flow_table(matrix, cluster, direction).set_index("place")
    clusters = np.asarray(area_clusters, dtype=object)
    share = table["share"].reindex(clusters).to_numpy(dtype=float, copy=True)
    hidden = table["share_suppressed"].reindex(clusters).fillna(False).to_numpy(dtype=bool,
                                                                       copy=True)
    share[clusters == cluster] = np.nan
    hidden[clusters == cluster] = False
    return share, hidden


def share_classes(share: np.ndarray) -> np.ndarray:
    """Class index 0..4 of SHARE_LABELS for each share; -1 where the share is NaN."""
    index = np.digitize(share, SHARE_BREAKS, right=True)  # 0 -> class 0, (0,1] -> 1 ...
    return np.where(np.isnan(share), -1, index)


def share_colours() -> np.ndarray:
    """Colours of SHARE_LABELS: white-ish for none, then a sequential palette."""
    return np.vstack([[0.97, 0.97, 0.97, 1.0], palette_colours("Purples", 4)])


def draw_flow_map(ax: "Axes", areas: "gpd.GeoDataFrame") -> FlowMapArtists:
    """The base map of areas and cluster boundaries, ready for show_flows."""
    base = mapplot.draw_map(ax, areas)
    return FlowMapArtists(base, cluster_centroids(areas))


def arrow_widths(pupils: np.ndarray) -> np.ndarray:
    """Line widths in points proportional to pupils, the largest flow MAX_WIDTH."""
    pupils = np.asarray(pupils, dtype=float)
    top = np.nanmax(pupils) if pupils.size and np.any(pupils > 0) else 1.0
    return np.maximum(MIN_WIDTH, MAX_WIDTH * pupils / top)


def show_flows(artists: FlowMapArtists, matrix: FlowMatrix, cluster: str,
               direction: str) -> list[FancyArrowPatch]:
    """Shade the areas and draw the arrows for one cluster and direction; returns the arrows
    (visible flows: solid, width by pupils; suppressed flows: thin dashed)."""
    base = artists.base
    for arrow in artists.arrows:
        arrow.remove()
    share, hidden = area_shading(base.area_clusters, matrix, cluster, direction)
    classes = share_classes(share)
    colours = share_colours()
    faces = np.where((classes >= 0)[:, None], colours[np.clip(classes, 0, None)], CLUSTER_COLOUR)
    faces[hidden] = NoData.SUPPRESSED_COLOUR
    mapplot.recolour(base, faces)
    base.suppressed_overlay.set_paths([base.paths[i] for i in np.flatnonzero(hidden)])
    mapplot.set_highlight(base, cluster)

    table = flow_table(matrix, cluster, direction)
    others = table[table["place"].isin(list(artists.centroids)) & (table["place"] != cluster)]
    others = others[others["suppressed"] | (others["pupils"] > 0)]
    widths = arrow_widths(others["pupils"].fillna(0).to_numpy())
    arrows = []
    here = artists.centroids[cluster]
    for place, hide, width in zip(others["place"], others["suppressed"], widths):
        there = artists.centroids[place]
        start, end = (there, here) if direction == "in" else (here, there)
        arrow = FancyArrowPatch(start, end, arrowstyle="-|>", mutation_scale=8 + width,
                                linewidth=MIN_WIDTH if hide else width,
                                linestyle="--" if hide else "-", color=ARROW_COLOUR,
                                alpha=0.85, shrinkA=4, shrinkB=4, zorder=6,
                                connectionstyle="arc3,rad=0.12")
        arrow.set_gid(f"flow:{place}")
        base.ax.add_patch(arrow)
        arrows.append(arrow)
    artists.arrows = arrows
    _legend(artists, table, classes, hidden, direction, matrix.period)
    return arrows


def _legend(artists: FlowMapArtists, table, classes: np.ndarray, hidden: np.ndarray,
            direction: str, period: str) -> None:
    colours = share_colours()
    used = set(classes[classes >= 0].tolist())
    handles = [Patch(facecolor=colours[k], edgecolor="#9A9A9A", linewidth=0.5, label=label)
               for k, label in enumerate(SHARE_LABELS) if k in used]
    if hidden.any():
        handles.append(Patch(facecolor=NoData.SUPPRESSED_COLOUR, edgecolor=NoData.HATCH_COLOUR,
                             hatch=NoData.SUPPRESSED_HATCH, linewidth=0.5,
                             label=SUPPRESSED_LABEL))
    handles.append(Patch(facecolor=CLUSTER_COLOUR, edgecolor="black", label="Chosen cluster"))
    handles.append(Line2D([], [], color=ARROW_COLOUR, lw=3, label="Flow (width: pupils)"))
    if direction == "in":
        row = table.set_index("place").loc[OUTSIDE_LABEL]
        count = format_value(row["pupils"], ValueType.COUNT, suppressed=bool(row["suppressed"]))
        share = format_value(row["share"], ValueType.PROPORTION, "%",
                             suppressed=bool(row["suppressed"]))
        handles.append(Patch(facecolor="none", edgecolor="none",
                             label=f"Outside the county: {count} ({share})"))
    title = f"{DIRECTIONS[direction]}\n{period} · {_total_text(table)}"
    artists.base.legend = artists.base.ax.legend(
        handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0.0,
        frameon=False, fontsize=8, title_fontsize=8.5, alignment="left", handlelength=1.6,
        title=title)


def _total_text(table) -> str:
    """The flow table's total, as legend text."""
    total = table.set_index("place").loc["Total"]
    return "Total: " + format_value(total["pupils"], ValueType.COUNT,
                                    suppressed=bool(total["suppressed"])) + " pupils"
