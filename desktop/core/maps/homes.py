"""Where a school's pupils live, on a map: its shown home areas shaded by their share of the
school's pupils, the school's cluster outlined and the school marked.

Only home areas whose count is shown (desktop.core.stats.school_homes) are shaded, in fixed
share classes so that maps of different schools read alike; hidden ones are drawn as every
other area, so the map reveals no more than the table.
"""

from __future__ import annotations

from itertools import pairwise
from typing import TYPE_CHECKING

import numpy as np
import shapely
from matplotlib.colors import to_rgba

from desktop.core.maps import mapplot
from desktop.core.maps.legend import BOUNDARY_COLOUR, LegendEntry, set_legend
from desktop.core.model import Bundle
from desktop.core.plotting.palettes import NoData, palette_colours
from desktop.core.stats.school_homes import SchoolHomes

if TYPE_CHECKING:
    from matplotlib.axes import Axes

SHARE_BREAKS = (0.01, 0.02, 0.05, 0.10)  # class edges of a home area's share of the pupils
SCHOOL_MARK = {"marker": "*", "s": 140, "c": "#D55E00", "edgecolors": "black",
               "linewidths": 0.7, "zorder": 8}


def share_labels(threshold: int) -> tuple[str, ...]:
    """The classes' words, lowest first."""
    edges = [f"{b:.0%}" for b in SHARE_BREAKS]
    return (f"Under {edges[0]} (more than {threshold} pupils)",
            *(f"{lo} to under {hi}" for lo, hi in pairwise(edges)),
            f"{edges[-1]} or more")


def area_shares(bundle: Bundle, homes: SchoolHomes) -> np.ndarray:
    """Per area in bundle order: the share of the school's pupils living there where shown,
    NaN elsewhere."""
    shown = homes.shown
    position = bundle.areas["area_code"].astype(str).reset_index(drop=True)
    index = {code: k for k, code in enumerate(position)}
    out = np.full(len(position), np.nan)
    for code, pupils in zip(shown["home_area_code"], shown["pupils"]):
        if code in index:
            out[index[code]] = pupils / homes.total
    return out


def draw_homes(ax: Axes, bundle: Bundle, homes: SchoolHomes, school_xy: tuple[float, float]
               ) -> mapplot.MapArtists:
    """The map of where the school's pupils live on `ax`, zoomed to its shown home areas and
    its cluster, with a legend to the right."""
    artists = mapplot.draw_map(ax, bundle.areas)
    shares = area_shares(bundle, homes)
    classes = np.digitize(shares, SHARE_BREAKS)
    colours = palette_colours("Purples", len(SHARE_BREAKS) + 1)
    faces = np.tile(np.asarray(NoData.MISSING_COLOUR, float), (len(shares), 1))
    shaded = np.isfinite(shares)
    faces[shaded] = colours[classes[shaded]]
    mapplot.recolour(artists, faces)
    mapplot.set_highlight(artists, homes.cluster)
    ax.scatter([school_xy[0]], [school_xy[1]], **SCHOOL_MARK)
    counts = np.bincount(classes[shaded], minlength=len(SHARE_BREAKS) + 1)
    entries = [LegendEntry("patch", f"{label} ({n:,})", tuple(float(v) for v in colour))
               for label, colour, n in zip(share_labels(homes.threshold), colours, counts)]
    entries.append(LegendEntry("patch", "Fewer pupils or none (not shown)",
                               NoData.MISSING_COLOUR))
    if homes.cluster:
        entries.append(LegendEntry("line", f"{homes.cluster} cluster", to_rgba("black")))
    entries.append(LegendEntry("line", "Cluster boundary", to_rgba(BOUNDARY_COLOUR)))
    artists.legend = set_legend(ax, entries, "Share of the school's pupils\nliving in each "
                                f"small area,\n{homes.period}")
    geometries = artists.geometries[shaded]
    if homes.cluster:
        geometries = np.concatenate([geometries, artists.geometries[
            artists.area_clusters == homes.cluster]])
    bounds = tuple(shapely.total_bounds(np.append(geometries, shapely.Point(*school_xy))))
    mapplot.zoom_to(ax, bounds, margin=0.06)
    return artists
