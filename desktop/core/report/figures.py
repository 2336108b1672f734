"""Pictures for reports: the map and the charts as PNG bytes, each with alt text and a caption.

One `ReportFigures` serves a whole export (one cluster or all of them): the map geometry is
drawn once and only recoloured and rezoomed, and one chart figure is cleared and redrawn for
every chart, so a report of twelve clusters does not build dozens of figures.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import matplotlib
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from desktop.core.charts.bars import fit_to_names
from desktop.core.charts.describe import chart_description
from desktop.core.charts.options import DEFAULT_OPTIONS, ChartOptions
from desktop.core.charts.tables import chart_inputs, draw_chart
from desktop.core.maps.choropleth import level_values, map_layer
from desktop.core.maps.export import MapFigure, MapOptions, map_title
from desktop.core.model import MAP_AREAS, Bundle, Indicator
from desktop.core.plotting.style import CM_PER_INCH, new_figure, style_context
from desktop.core.report.word import add_picture
from desktop.core.stats.aggregate import Statistics

REPORT_DPI = 200  # sharp in print at 16 cm; 300 dpi triples the file size for no visible gain
PNG_COMPRESSION = 3  # zlib level: faster than the default 6 and, on these charts, smaller
CHART_HEIGHT_CM = {"bars": 9.5, "trend": 8.5, "distribution": 7.0, "funnel": 9.5,
                   "inequality": 9.0, "scatter": 9.5, "neighbours": 8.0}
MAX_CHART_HEIGHT_CM = 22.0  # a bar chart of many clusters grows up to most of an A4 page


@dataclass(frozen=True)
class Picture:
    png: bytes
    alt_text: str
    caption: str


def _source_note(indicator: Indicator) -> str:
    return f"Source: {indicator.source}." if indicator.source else ""


def add_figure(doc, picture: Picture, counter: list[int]) -> None:
    """`picture` as the next numbered figure (`counter` holds the last number)."""
    counter[0] += 1
    add_picture(doc, picture.png, picture.alt_text, picture.caption, counter[0])


class ReportFigures:
    """Renders the pictures of cluster profiles, keeping the figures between calls."""

    def __init__(self, bundle: Bundle, statistics: Statistics, dpi: int = REPORT_DPI,
                 options: ChartOptions = DEFAULT_OPTIONS) -> None:
        self.bundle, self.statistics, self.dpi, self.options = bundle, statistics, dpi, options
        self._map: MapFigure | None = None
        self._charts: dict[str, tuple] = {}

    def _own(self, figure: Figure) -> Figure:
        """`figure` on an Agg canvas of its own at the pictures' resolution, so that laying it
        out and saving it use one renderer, kept while the size stays: a bare Figure (no
        pyplot) has no canvas to keep one, so every layout and every savefig made a new
        renderer, each measuring every text again from nothing (matplotlib keeps text sizes
        per renderer), and laid out at 100 dpi what was then drawn at REPORT_DPI."""
        FigureCanvasAgg(figure)
        figure.set_dpi(self.dpi)
        return figure

    def _png(self, figure, laid_out: bool = False) -> bytes:
        """PNG bytes of `figure`, laid out once and drawn once (`laid_out`: it has just been,
        by bars.fit_to_names). savefig runs the layout itself, and with any layout engine
        set, even the "none" placeholder, draws the whole figure once more before drawing it
        for the file; so the engine is taken off for the saving, not only switched off."""
        buffer = io.BytesIO()
        engine = figure.get_layout_engine()
        with style_context():
            if engine is not None and not laid_out:
                engine.execute(figure)
            with matplotlib.rc_context({"figure.constrained_layout.use": False,
                                        "figure.autolayout": False}):
                figure.set_layout_engine(None)
            try:
                figure.savefig(buffer, format="png", dpi=self.dpi,
                               pil_kwargs={"compress_level": PNG_COMPRESSION})
            finally:
                figure.set_layout_engine(engine)
        return buffer.getvalue()

    def map_picture(self, indicator: Indicator, cluster: str, level: str = MAP_AREAS,
                    pool: int = 1) -> Picture:
        """`indicator` in its latest period on a map: the small areas zoomed to `cluster`, or
        every cluster with `cluster` outlined. `pool`: periods the statistics pool."""
        if self._map is None:
            self._map = MapFigure(self.bundle)
            self._own(self._map.figure)
        figure = self._map.show(self.statistics, indicator, None, cluster,
                                MapOptions(level=level, pool=pool))
        period = self.statistics.periods(indicator.id)[-1]
        where = (f"small areas (LSOAs) in and around the {cluster} cluster" if level == MAP_AREAS
                 else f"every cluster, {cluster} outlined")
        caption = f"{map_title(indicator)}, {period}, {where}. {_source_note(indicator)}"
        return Picture(self._png(figure),
                       self._map.description(indicator, period, cluster, level),
                       caption.strip())

    def too_few_areas(self, indicator: Indicator) -> bool:
        """Whether the small-area map of `indicator` (latest period) has too few values to
        say anything (choropleth.few_values_warning): then the cluster map comes first."""
        period = self.statistics.periods(indicator.id)[-1]
        values, county = level_values(self.statistics, indicator.id, period, MAP_AREAS)
        layer = map_layer(indicator, values, county, MapOptions.scheme, MapOptions.k,
                          MapOptions.palette)
        return layer.warning is not None

    def chart_picture(self, kind: str, indicator: Indicator, cluster: str,
                      period: str | None = None) -> Picture:
        """One chart ("bars", "trend" or "distribution") of `indicator` for `cluster`."""
        period = period or indicator.latest_period
        height_cm = CHART_HEIGHT_CM.get(kind, 9.0)
        if kind not in self._charts:
            figure = self._own(new_figure(16.0, height_cm))
            with style_context():
                self._charts[kind] = (figure, figure.add_subplot())
        figure, ax = self._charts[kind]
        figure.set_figheight(height_cm / CM_PER_INCH, forward=False)
        inputs = chart_inputs(kind, self.bundle, self.statistics, indicator, period, cluster,
                              self.options)
        draw_chart(kind, ax, **inputs)
        if kind == "bars":  # every cluster named: taller for many, smaller names past a page
            fit_to_names(ax, len(inputs["clusters"]), MAX_CHART_HEIGHT_CM / CM_PER_INCH)
        alt = chart_description(kind, **inputs)
        periods = self.statistics.periods(indicator.id)
        when = (f"{periods[0]} to {periods[-1]}" if kind == "trend" and periods else period)
        what = {"bars": "all clusters with 95% confidence intervals",
                "trend": f"{cluster} against the county",
                "distribution": f"small areas in {cluster} and the county",
                "funnel": "every cluster against its size, with 95% and 99.8% control limits",
                "inequality": f"by national deprivation decile, the county and {cluster}",
                "scatter": "against a second indicator",
                "neighbours": f"{cluster} and its similar clusters"}[kind]
        caption = f"{indicator.title}, {when}: {what}. {_source_note(indicator)}"
        return Picture(self._png(figure, laid_out=kind == "bars"), alt, caption.strip())

    def close(self) -> None:
        if self._map is not None:
            self._map.close()
        for figure, _ in self._charts.values():
            figure.clear()
        self._charts.clear()
