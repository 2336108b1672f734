"""The map of one indicator, period and cluster on a fresh figure, for files and reports.

`MapFigure` draws the geometry once (desktop.core.maps.mapplot) and then only recolours,
re-outlines, rezooms and switches level (small areas or clusters), so a report of twelve
clusters pays for the polygons once. The classes come from desktop.core.maps.choropleth,
exactly as on screen; suppressed areas are hatched here and in every export, and a map with
too few values says so on its face.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from matplotlib.figure import Figure

from desktop.core.format import title_with_unit
from desktop.core.maps import mapplot
from desktop.core.maps.choropleth import MapLayer, level_values, map_layer
from desktop.core.maps.classify import scheme_title
from desktop.core.maps.describe import bundle_map_finding
from desktop.core.model import (
    MAP_AREAS,
    MAP_CLUSTERS,
    SUPPRESSED,
    SYNTHETIC_LABEL,
    Bundle,
    Indicator,
)
from desktop.core.plotting.annotate import Finding, annotate_chart, wrap_to_width
from desktop.core.plotting.style import export_figure, new_figure, style_context
from desktop.core.stats.aggregate import Statistics

MAP_HEIGHT_CM = 12.0
WARNING_BOX = {"boxstyle": "round,pad=0.5", "facecolor": "#FFF4CE", "edgecolor": "#B38600",
               "linewidth": 0.8}  # amber: a caution, not an error


@dataclass(frozen=True)
class MapOptions:
    """What the map shows and how: the same choices as the window's. `pool`: how many
    periods the statistics given pool (1: single periods), for the warning's advice."""

    scheme: str = "quantiles"
    k: int = 5
    palette: str = "Blues"
    level: str = MAP_AREAS
    pool: int = 1


def map_title(indicator: Indicator) -> str:
    """The indicator's title with its unit when the unit says more than "%"."""
    return title_with_unit(indicator.title, indicator.unit)


LEVEL_WORDS = {MAP_AREAS: ("small areas (LSOAs)", "small area (LSOA)", "areas"),
               MAP_CLUSTERS: ("clusters", "cluster", "clusters")}


class MapFigure:
    """A map figure kept for a bundle: `show` recolours and rezooms it for each request."""

    def __init__(self, bundle: Bundle, width_cm: float = 16.0,
                 height_cm: float = MAP_HEIGHT_CM) -> None:
        self.bundle = bundle
        self.figure = new_figure(width_cm, height_cm)
        with style_context():
            self.ax = self.figure.add_subplot()
            self.artists = mapplot.draw_map(self.ax, bundle.areas, schools=bundle.schools)
            self.warning = self.ax.text(0.01, 0.99, "", transform=self.ax.transAxes,
                                        ha="left", va="top", fontsize=8, bbox=WARNING_BOX,
                                        zorder=7, visible=False)
        self.layer: MapLayer | None = None
        self._shown: tuple | None = None

    def show(self, statistics: Statistics, indicator: Indicator, period: str | None = None,
             cluster: str | None = None, options: MapOptions = MapOptions(), *,
             annotate: bool = True) -> Figure:
        """Colour the areas (or clusters) by `indicator` in `period` (default: the latest of
        `statistics`), outline and zoom to `cluster` (None: the whole county); titles and
        source below when `annotate`."""
        period = period or statistics.periods(indicator.id)[-1]
        key = (indicator.id, period, options, annotate, statistics.comparison)
        if self._shown != key:
            mapplot.set_level(self.artists, options.level)
            values, county = level_values(statistics, indicator.id, period, options.level,
                                          self.artists.cluster_names)
            self.layer = map_layer(indicator, values, county, options.scheme, options.k,
                                   options.palette, statistics.comparison,
                                   level=options.level, pooled=options.pool > 1)
            with style_context():
                mapplot.show_classes(self.artists, self.layer.classification,
                                     self.layer.class_colours, map_title(indicator),
                                     period=period, note=SYNTHETIC_LABEL
                                     if indicator.synthetic and not annotate else None)
            self._shown = key
        mapplot.set_highlight(self.artists, cluster)
        if annotate:
            where = f"{cluster} cluster (outlined)" if cluster else self.bundle.manifest.area_name
            annotate_chart(self.ax, self.finding(indicator, cluster, options.level).title,
                           f"{map_title(indicator)}: {period}, "
                           f"{LEVEL_WORDS[options.level][0]}: {where}",
                           self.notes(options.level), indicator.source, indicator.synthetic)
        # Lay out first, then zoom to the Axes' final shape, so the equal aspect needs no
        # adjustment at draw time (adjusting the limits would log a warning per export).
        # (The box, not the limits, absorbs any later difference: the zoom stays as asked.)
        self.ax.set_aspect("auto")
        with style_context():
            self.figure.get_layout_engine().execute(self.figure)
        self.ax.set_aspect("equal", adjustable="box")
        self._show_warning()
        bounds = (self.artists.cluster_bounds(cluster)
                  if cluster and options.level == MAP_AREAS else None)
        mapplot.zoom_to(self.ax, bounds or self.artists.bounds, margin=0.08 if bounds else 0.03)
        return self.figure

    def _show_warning(self) -> None:
        """The layer's warning in a box across the top of the map, wrapped to its width."""
        text = self.layer.warning if self.layer is not None else None
        self.warning.set_visible(text is not None)
        if text:
            width_pt = self.ax.get_position().width * self.figure.get_figwidth() * 72
            self.warning.set_text(wrap_to_width(text, width_pt - 16, 8 * 0.55))

    def notes(self, level: str = MAP_AREAS) -> list[str]:
        notes = []
        if self.layer is not None and self.layer.classification.n_suppressed:
            notes.append(f"Hatched grey {LEVEL_WORDS[level][2]} ({SUPPRESSED}) are confidential: "
                         "not shown to protect small numbers.")
        notes.append(f"Boundaries: {self.bundle.manifest.geography_vintage}. "
                     f"{self.bundle.manifest.attribution}")
        return notes

    def finding(self, indicator: Indicator, cluster: str | None = None,
                level: str = MAP_AREAS) -> Finding:
        """What the map shown says (call after `show`'s colouring): maps.describe."""
        return bundle_map_finding(self.bundle, indicator, self.layer, level, cluster,
                                  self.artists.cluster_names)

    def description(self, indicator: Indicator, period: str, cluster: str | None = None,
                    level: str = MAP_AREAS) -> str:
        """Alt text: what the map shows and says, in words (call after `show`)."""
        layer = self.layer
        text = (f"Map of {map_title(indicator)}, {period}, for each {LEVEL_WORDS[level][1]} "
                f"of {self.bundle.manifest.area_name}")
        if level == MAP_CLUSTERS:
            text += ", each named on the map"
            if cluster:
                text += f"; the {cluster} cluster is outlined in black"
        elif cluster:
            text += f", zoomed to the {cluster} cluster, which is outlined in black"
        if layer is not None:  # the finding first, the key to the colours after it
            text += f". {self.finding(indicator, cluster, level).sentence}"
        if layer is not None and layer.classification.k:
            c = layer.classification
            what = LEVEL_WORDS[level][2]
            text += (f" {what.capitalize()} are shaded in {c.k} classes by "
                     f"{scheme_title(c.scheme).lower()}, from {c.labels[0]} to {c.labels[-1]}")
            if c.n_suppressed:
                text += (f"; {c.n_suppressed} {what} are confidential (suppressed to protect "
                         "small numbers)")
            if c.n_missing:
                text += f"; {c.n_missing} {what} have no value"
        if layer is not None and layer.warning:
            text += f". {layer.warning}"
        text = text.rstrip(".") + ". Cluster boundaries and schools are marked."
        return text

    def close(self) -> None:
        self.figure.clear()


def export_map(bundle: Bundle, statistics: Statistics, indicator_id: str,
               path: str | os.PathLike, *, period: str | None = None,
               cluster: str | None = None, width_cm: float = 16.0, dpi: int = 300,
               options: MapOptions = MapOptions()) -> None:
    """Write the map of one indicator as PNG (300 dpi, recorded), SVG or PDF, atomically."""
    indicator = bundle.manifest.indicator(indicator_id)
    period = period or statistics.periods(indicator_id)[-1]
    painter = MapFigure(bundle, width_cm, MAP_HEIGHT_CM * width_cm / 16.0)
    figure = painter.show(statistics, indicator, period, cluster, options)
    export_figure(figure, path, width_cm, dpi, title=map_title(indicator),
                  description=painter.description(indicator, period, cluster, options.level))
