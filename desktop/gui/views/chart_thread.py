"""A tall bar chart (a line per cluster: 150 at England scale) built, laid out and drawn off the
GUI thread, then shown by the canvas as if it had drawn it.

Its full draw took about a second of the GUI thread (the artists, the constrained layout of
150 names and values, Agg drawing them), during which the window did not respond. Measured:
drawing in a Python thread leaves the GUI thread waiting at most 12-13 ms at a time (median
5 ms, the interpreter's switch interval) once the collector's view of the opened bundle is
frozen (view_sync); the cyclic collector walking it stopped everything for about 0.1 s.

The thread works on a figure of its own, at the canvas' width and at the height its names
need, styled under the shared style lock (plotting.style), and draws it without the artists
a switch redraws (chart_blit). Nothing else touches that figure until the GUI thread adopts
it (TextCanvas.adopt): the picture, the layout and every artist are the ones a draw on the
GUI thread makes, so hit-tests, the blitted switches, the table and the exports are unchanged.
A result for inputs since replaced, a closed bundle or another width is dropped. The thread
holds the shared style lock while it works, so a switch meanwhile is drawn in the thread too
(chart_view); another chart drawn on the GUI thread in that second waits for the lock.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass

from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg
from matplotlib.figure import Figure
from PySide6.QtCore import QObject, Signal

from desktop.core.charts.bars import height_for_names
from desktop.core.charts.tables import draw_chart
from desktop.core.plotting.style import style_context
from desktop.gui.views.chart_blit import bar_chart_dynamic
from desktop.gui.views.chart_screen import compact_notes, steady_title

THREAD_NAMES = 40  # bar charts naming more clusters than this are drawn off the GUI thread


@dataclass
class TallChart:
    """A bar chart drawn off the GUI thread, ready to show."""

    figure: Figure
    renderer: RendererAgg  # its picture, the switch's artists left out
    notes: str  # the notes moved off the chart, for the canvas' tooltip
    height: int  # the canvas' minimum height it was drawn for, in logical pixels (0: the pane)


def tall_bar_chart(inputs: dict, width: float, pane: int, ratio: float, dpi: float) -> TallChart:
    """The bar chart of `inputs` on a figure `width` device pixels wide, as tall as the pane
    (`pane` logical pixels, the canvas' `ratio` device pixels to one) or as its names need,
    laid out and drawn as the canvas draws it (chart_screen.fit_canvas decides the height)."""
    with style_context():
        figure = Figure(figsize=(width / dpi, pane * ratio / dpi), dpi=dpi, layout="constrained")
        axes = figure.add_subplot()
        draw_chart("bars", axes, **inputs)
        notes = compact_notes(figure)
        steady_title(figure)
        engine = figure.get_layout_engine()
        engine.execute(figure)
        needed = round(height_for_names(axes, len(axes.get_yticklabels())) * dpi / ratio)
        height = needed if needed > pane else 0
        if height:
            figure.set_figheight(height * ratio / dpi)
            engine.execute(figure)
        for artist in bar_chart_dynamic(figure, axes):
            artist.set_animated(True)  # drawn over the kept picture by the GUI thread
        canvas = FigureCanvasAgg(figure)
        canvas.draw()
    return TallChart(figure, canvas.get_renderer(), notes, height)


class ChartThread(QObject):
    """Runs one drawing at a time in a thread; `ready` carries its number and result (None if
    it failed: the caller draws on the GUI thread, where an error is reported as usual)."""

    ready = Signal(int, object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.asked = 0  # the number of the latest drawing asked for
        self.done = 0  # the number of the latest drawing delivered or dropped

    @property
    def busy(self) -> bool:
        return self.done != self.asked

    def start(self, draw: Callable[[], TallChart]) -> int:
        """Draw in a thread; returns the drawing's number."""
        self.asked += 1
        number = self.asked

        def work() -> None:
            try:
                result = draw()
            except Exception:  # noqa: BLE001 - drawn again on the GUI thread, reported there
                result = None
            try:
                self.ready.emit(number, result)  # queued to the GUI thread
            except RuntimeError:  # the view was deleted while drawing
                pass

        threading.Thread(target=work, name="cluster-atlas-chart", daemon=True).start()
        return number

    def forget(self) -> None:
        """Drop whatever is being drawn (the inputs changed, or the bundle closed)."""
        self.done = self.asked
