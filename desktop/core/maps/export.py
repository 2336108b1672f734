"""The map of one indicator, period and cluster on a fresh figure, for files and reports.

`MapFigure` draws the geometry once (desktop.core.maps.mapplot) and then only recolours, re-outlines
and rezooms it, so a report of twelve clusters pays for the polygons once. The classes come
from desktop.core.maps.choropleth.map_layer, exactly as on screen; suppressed areas are hatched
there and in every export.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from matplotlib.figure import Figure

from desktop.core.format import title_with_unit
from desktop.core.maps import mapplot
from desktop.core.maps.choropleth import MapLayer, map_layer
from desktop.core.maps.classify import scheme_title
from desktop.core.model import COUNTY, SUPPRESSED, SYNTHETIC_LABEL, Bundle, Indicator
from desktop.core.plotting.annotate import annotate_chart
from desktop.core.plotting.style import export_figure, new_figure, style_context
from desktop.core.stats.aggregate import Statistics

MAP_HEIGHT_CM = 12.0


@dataclass(frozen=True)
class MapOptions:
    """How the areas are classified: the same choices as the map view's."""

    scheme: str = "quantiles"
    k: int = 5
    palette: str = "Blues"


def map_title(indicator: Indicator) -> str:
    """The indicator's title with its unit when the unit says more than "%"."""
    return title_with_unit(indicator.title, indicator.unit)


class MapFigure:
    """A map figure kept for a bundle: `show` recolours and rezooms it for each request."""

    def __init__(self, bundle: Bundle, width_cm: float = 16.0,
                 height_cm: float = MAP_HEIGHT_CM) -> None:
        self.bundle = bundle
        self.figure = new_figure(width_cm, height_cm)
        with style_context():
            self.ax = self.figure.add_subplot()
            self.artists = mapplot.draw_map(self.ax, bundle.areas, schools=bundle.schools)
        self.layer: MapLayer | None = None
        self._shown: tuple | None = None

    def show(self, statistics: Statistics, indicator: Indicator, period: str | None = None,
             cluster: str | None = None, options: MapOptions = MapOptions(), *,
             annotate: bool = True) -> Figure:
        """Colour the areas by `indicator` in `period` (default: latest), outline and zoom to
        `cluster` (None: the whole county); titles and source below when `annotate`."""
        period = period or indicator.latest_period
        key = (indicator.id, period, options, annotate)
        if self._shown != key:
            area_values = statistics.area_values(indicator.id, period)
            county = statistics.cluster_values(indicator.id, period).loc[COUNTY, "value"]
            self.layer = map_layer(indicator, area_values, float(county), options.scheme,
                                   options.k, options.palette)
            with style_context():
                mapplot.show_classes(self.artists, self.layer.classification,
                                     self.layer.class_colours, map_title(indicator),
                                     period=period, note=SYNTHETIC_LABEL
                                     if indicator.synthetic and not annotate else None)
            self._shown = key
        mapplot.set_highlight(self.artists, cluster)
        if annotate:
            where = f"{cluster} cluster (outlined)" if cluster else self.bundle.manifest.area_name
            annotate_chart(self.ax, map_title(indicator), f"{period}, small areas (LSOAs): "
                           f"{where}", self.notes(indicator), indicator.source,
                           indicator.synthetic)
        # Lay out first, then zoom to the Axes' final shape, so the equal aspect needs no
        # adjustment at draw time (adjusting the limits would log a warning per export).
        # (The box, not the limits, absorbs any later difference: the zoom stays as asked.)
        self.ax.set_aspect("auto")
        with style_context():
            self.figure.get_layout_engine().execute(self.figure)
        self.ax.set_aspect("equal", adjustable="box")
        bounds = self.artists.cluster_bounds(cluster) if cluster else None
        mapplot.zoom_to(self.ax, bounds or self.artists.bounds, margin=0.08 if bounds else 0.03)
        return self.figure

    def notes(self, indicator: Indicator) -> list[str]:
        notes = []
        if self.layer is not None and self.layer.classification.n_suppressed:
            notes.append(f"Hatched grey areas ({SUPPRESSED}) are confidential: not shown to "
                         "protect small numbers.")
        notes.append(f"Boundaries: {self.bundle.manifest.geography_vintage}. "
                     f"{self.bundle.manifest.attribution}")
        return notes

    def description(self, indicator: Indicator, period: str | None = None,
                    cluster: str | None = None) -> str:
        """Alt text: what the map shows, in words (call after `show`)."""
        period = period or indicator.latest_period
        layer = self.layer
        text = (f"Map of {map_title(indicator)}, {period}, for each small area (LSOA) of "
                f"{self.bundle.manifest.area_name}")
        if cluster:
            text += f", zoomed to the {cluster} cluster, which is outlined in black"
        if layer is not None and layer.classification.k:
            c = layer.classification
            text += (f". Areas are shaded in {c.k} classes by {scheme_title(c.scheme).lower()}"
                     f", from {c.labels[0]} to {c.labels[-1]}")
            if c.n_suppressed:
                text += (f"; {c.n_suppressed} areas are confidential (suppressed to protect small "
                         "numbers)")
            if c.n_missing:
                text += f"; {c.n_missing} areas have no value"
        return text + ". Cluster boundaries and schools are marked."

    def close(self) -> None:
        self.figure.clear()


def export_map(bundle: Bundle, statistics: Statistics, indicator_id: str,
               path: str | os.PathLike, *, period: str | None = None,
               cluster: str | None = None, width_cm: float = 16.0, dpi: int = 300,
               options: MapOptions = MapOptions()) -> None:
    """Write the map of one indicator as PNG (300 dpi, recorded), SVG or PDF, atomically."""
    indicator = bundle.manifest.indicator(indicator_id)
    painter = MapFigure(bundle, width_cm, MAP_HEIGHT_CM * width_cm / 16.0)
    figure = painter.show(statistics, indicator, period, cluster, options)
    export_figure(figure, path, width_cm, dpi, title=map_title(indicator),
                  description=painter.description(indicator, period, cluster))
