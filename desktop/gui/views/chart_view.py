"""ChartView: one indicator as bars across clusters, a trend, a distribution, a funnel plot, by
deprivation decile, against a second indicator or among similar clusters, or as a table.

The view keeps one Figure on one canvas (never pyplot) and redraws only the chart on show,
through the same core functions the exports use. "Show as table" swaps the canvas for a table
of the same numbers (the product's table alternative to every chart). Clicking a bar, or a
cluster's dot on the funnel or the scatter, emits `cluster_clicked` with the cluster's name;
the scatter names the point under the mouse. The options of the scatter and the similar
clusters sit in a row under the tabs (chart_options), shown with their chart.

Every cluster is named on the bar chart: when the pane is too short for one line per cluster
(150 clusters at England scale, or a dozen on a small laptop screen) the canvas grows taller
and scrolls (the arrow and page keys scroll it too). After a resize the chart is drawn again,
so titles and notes wrap to the new width. A chart is drawn when it shows (opening fills the
views under the cover), and a bar chart of more than THREAD_NAMES clusters is built, laid out
and drawn off the GUI thread (chart_thread; a second of the GUI thread at England scale); a
switch then updates it in place as any other.

For assistive technology the canvas is named by the chart's message (its title) and
described by the chart in words (charts.describe: the finding, then every number), worded once
the switching pauses (DESCRIBE_AFTER_MS), not before each paint; a ring shows when it has the
keyboard focus (focus_frame).
"""

from __future__ import annotations

import pandas as pd
from matplotlib.figure import Figure
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QImage
from PySide6.QtWidgets import (
    QCheckBox,
    QScrollArea,
    QStackedWidget,
    QTabBar,
    QVBoxLayout,
    QWidget,
)

from desktop.core.charts.bar_update import update_bar_chart
from desktop.core.charts.describe import chart_description
from desktop.core.charts.tables import (
    CHART_TIPS,
    CHART_TITLES,
    CHARTS,
    chart_figure,
    chart_inputs,
    chart_table,
    chart_table_notes,
    draw_chart,
)
from desktop.core.model import Bundle, Indicator
from desktop.core.plotting.annotate import figure_title
from desktop.core.plotting.style import export_figure, png_bytes, style_context
from desktop.core.report.tables import clipboard_table
from desktop.gui import clipboard
from desktop.gui.views.chart_background import SLOW_CHARTS, WORKING_TEXT, BackgroundInputs
from desktop.gui.views.chart_blit import Blitter, bar_chart_dynamic, bar_chart_static_key
from desktop.gui.views.chart_options import ChartOptionsBar
from desktop.gui.views.chart_pointer import ChartPointer
from desktop.gui.views.chart_screen import (
    compact_notes,
    fit_canvas,
    label_width,
    layout_texts,
    steady_title,
)
from desktop.gui.views.chart_table_page import ChartTablePage
from desktop.gui.views.chart_text import TextCanvas
from desktop.gui.views.chart_thread import THREAD_NAMES, ChartThread, TallChart, tall_bar_chart
from desktop.gui.views.focus_frame import FocusFrame

KINDS = tuple(CHARTS)  # "bars", "trend", "distribution", then the analysis charts
NAMED_DOWN = ("bars", "neighbours")  # charts naming a cluster per row: the canvas grows for them
EXPORT_SIZE_CM = (16.0, 10.0)
REDRAW_AFTER_RESIZE_MS = 150  # once a splitter drag or window resize has paused
DESCRIBE_AFTER_MS = 150  # the chart in words once the switching pauses (after the paint)


class ChartView(QWidget):
    cluster_clicked = Signal(str)
    kind_changed = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._inputs: dict[str, dict] = {}
        self._generation = 0  # counts the changes of source and options, for slow inputs
        self.background = BackgroundInputs(self)
        self.background.ready.connect(self._on_ready)
        self._source = None  # (bundle, statistics, indicator, period, cluster) for lazy inputs
        self._neighbours = self._single = None  # the session's similar clusters; pooled from
        self._shown: tuple[str, bool] | None = None  # what the visible widget shows now

        self.tabs = QTabBar()
        for i, kind in enumerate(KINDS):
            self.tabs.addTab(CHART_TITLES[kind])
            self.tabs.setTabToolTip(i, CHART_TIPS[kind])
        self.tabs.setAccessibleName("Chart type")
        self.table_toggle = QCheckBox("Show as &table")
        self.table_toggle.setToolTip("Show the numbers behind the chart as a table")
        self.options_bar = ChartOptionsBar()
        self.options_bar.options_changed.connect(self._options_changed)
        with style_context():
            self.figure = Figure(layout="constrained")
            self.axes = self.figure.add_subplot()
            self.axes.set_axis_off()  # blank until a chart comes (an empty frame cost a draw)
        self.canvas = TextCanvas(self.figure)
        self.canvas.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.canvas.mpl_connect("resize_event", self._on_resize)
        self._thread = ChartThread(self)  # tall bar charts are drawn off the GUI thread
        self._thread.ready.connect(self._adopt)
        self._layout_key: tuple | None = None  # what the current layout was computed for
        self._label_room = 0.0  # px right of the Axes the layout left for the bars' labels
        self.blitter = Blitter(self.canvas,
                               lambda: bar_chart_static_key(self.figure, self.axes))
        self._width = 0  # the canvas' width when the chart was last drawn (titles wrapped)
        self._stale = False  # inputs came while hidden: drawn once shown, at the shown size
        self._resized = QTimer(self)
        self._resized.setSingleShot(True)
        self._resized.setInterval(REDRAW_AFTER_RESIZE_MS)
        self._resized.timeout.connect(self._refresh)
        self._described = QTimer(self)
        self._described.setSingleShot(True)
        self._described.setInterval(DESCRIBE_AFTER_MS)
        self._described.timeout.connect(self._describe)
        self.scroll = QScrollArea()  # the canvas, taller than the pane when names need it
        self.scroll.setWidget(self.canvas)
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        # always there: appearing when a chart grows for its names, it narrowed the canvas and
        # so drew the chart once more (a second a draw at England scale)
        self.scroll.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        self.scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the canvas takes the keys
        self.pointer = ChartPointer(self)  # clicks, the scatter's hover, wheel and keys
        self.chart_frame = FocusFrame(self.scroll, watched=self.canvas)
        self.table_page = ChartTablePage()
        self.stack = QStackedWidget()
        self.stack.addWidget(self.chart_frame)
        self.stack.addWidget(self.table_page)

        self.options_bar.add_trailing(self.table_toggle)  # under the tabs, after the options
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.tabs)
        layout.addWidget(self.options_bar)
        layout.addWidget(self.stack, 1)
        self.tabs.currentChanged.connect(self._on_tab)
        self.table_toggle.toggled.connect(self._refresh)

    # --- what to show ----------------------------------------------------------------------
    @property
    def kind(self) -> str:
        return KINDS[self.tabs.currentIndex()]

    def set_kind(self, kind: str) -> None:
        self.tabs.setCurrentIndex(KINDS.index(kind))

    def show_for(self, bundle: Bundle, statistics, indicator: Indicator, period: str,
                 cluster: str | None, neighbours=None, single=None) -> None:
        """Take the chart inputs from an open bundle; only the visible chart is computed.
        `neighbours`: the context that finds similar clusters (stats.neighbours); `single`:
        with pooled periods, the single periods (stats.inequality.SinglePeriods)."""
        if self._source is None or self._source[0] is not bundle:
            self.options_bar.set_indicators(bundle.manifest.indicators,
                                            bundle.manifest.deprivation_indicator,
                                            len(bundle.cluster_names))
        self._source = (bundle, statistics, indicator, period, cluster)
        self._neighbours, self._single = neighbours, single
        self.options_bar.set_neighbours(neighbours)
        self._forget()
        self._refresh()

    def show_bars(self, **inputs) -> None:
        self._set("bars", inputs)

    def show_trend(self, **inputs) -> None:
        self._set("trend", inputs)

    def show_distribution(self, **inputs) -> None:
        self._set("distribution", inputs)

    def clear(self) -> None:
        """Forget every input and blank the chart and table (on close and lock)."""
        self._source = None
        self._forget()
        self._refresh()

    def inputs(self, kind: str | None = None, wait: bool = True) -> dict | None:
        """The inputs of a chart (the current one by default), computing them if needed;
        without `wait`, a slow chart's are computed in the background (None until then)."""
        kind = kind or self.kind
        if kind not in self._inputs and self._source is not None:
            source = (*self._source, self.options_bar.options(self._neighbours, self._single))
            if not wait and kind in SLOW_CHARTS:
                self.background.ask(kind, (kind, self._generation),
                                    lambda: chart_inputs(kind, *source))
                return None
            self._inputs[kind] = chart_inputs(kind, *source)
        return self._inputs.get(kind)

    def table_frame(self) -> pd.DataFrame | None:
        inputs = self.inputs()
        return None if inputs is None else chart_table(self.kind, **inputs)

    # --- export and clipboard --------------------------------------------------------------
    def export(self, path, width_cm: float = EXPORT_SIZE_CM[0],
               height_cm: float = EXPORT_SIZE_CM[1]) -> None:
        """The current chart on a fresh print-sized figure, to PNG, SVG or PDF."""
        inputs = self.inputs()
        if inputs is None:
            return
        figure = chart_figure(self.kind, width_cm, height_cm, **inputs)
        export_figure(figure, path, width_cm, title=figure_title(figure))

    def copy_to_clipboard(self) -> None:
        """The table as text and HTML with its notes (for Excel and Word) or the chart as a
        300 dpi image (Word)."""
        if self.table_toggle.isChecked():
            frame = self.table_frame()
            if frame is not None:
                table = clipboard_table(frame, notes=tuple(chart_table_notes(frame)))
                clipboard.set_rich_text(table.text, table.html)
            return
        inputs = self.inputs()
        if inputs is None:
            return
        figure = chart_figure(self.kind, *EXPORT_SIZE_CM, **inputs)
        clipboard.set_image(QImage.fromData(png_bytes(figure), "PNG"))

    # --- drawing ---------------------------------------------------------------------------
    def _set(self, kind: str, inputs: dict) -> None:
        self._inputs[kind] = inputs
        if kind == self.kind:
            self._refresh()

    def _on_tab(self, _index: int) -> None:
        self.options_bar.set_kind(self.kind)
        self.kind_changed.emit(self.kind)
        self._refresh()

    def _options_changed(self) -> None:
        self._inputs.pop("scatter", None)
        self._refresh()

    def _forget(self) -> None:
        self._inputs.clear()
        self._generation += 1
        self.background.forget()

    def _on_ready(self, kind: str, key, inputs: dict | None) -> None:
        """Slow inputs done (None when they failed: computed again here, where an error is
        reported the usual way)."""
        if key == (kind, self._generation):
            self._inputs[kind] = self.inputs(kind) if inputs is None else inputs
            if kind == self.kind:
                self._refresh()

    def _refresh(self, *_args) -> None:
        as_table = self.table_toggle.isChecked()
        self.stack.setCurrentWidget(self.table_page if as_table else self.chart_frame)
        if as_table:
            self.table_page.fill(self.table_frame())
        else:
            self._draw()

    @property
    def draw_pending(self) -> bool:
        """Whether the chart is still to be drawn for what it was last given."""
        return self._stale or self._resized.isActive() or self._thread.busy

    def showEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().showEvent(event)
        if self._stale:  # drawn once the layout has given the canvas its size
            self._resized.start()

    def _draw(self, here: bool = False) -> None:
        """Draw the current chart; a tall bar chart off the GUI thread unless `here`."""
        drawing = self._thread.busy  # it holds the style lock: no in-place update meanwhile
        self._thread.forget()  # a drawing still in the thread shows what was asked before
        self.canvas.release()
        inputs = self.inputs(wait=False)
        if inputs is not None and not self.isVisible():
            # a hidden canvas has no size yet (opening draws the views under the cover): the
            # chart is laid out and drawn once, when shown, not first at a size it never shows
            self._stale = True
            return
        self._stale = False
        self._resized.stop()  # drawn now at the canvas' width
        self._width = self.canvas.width()
        updated = False
        tall = (not here and inputs is not None and self.kind == "bars"
                and len(inputs["clusters"]) > THREAD_NAMES)  # drawn off the GUI thread
        if inputs is None:
            self.figure.clear()
            self.axes = self.figure.add_subplot()
            self.axes.set_axis_off()
            if self.background.pending((self.kind, self._generation)):
                self.axes.text(0.5, 0.5, WORKING_TEXT[self.kind], ha="center", va="center",
                               wrap=True, transform=self.axes.transAxes, gid="working")
            self._layout_key = None
        else:
            updated = not (tall and drawing) and self.kind == "bars" and \
                update_bar_chart(self.axes, **inputs)
            if tall and not updated:
                return self._draw_in_thread(inputs)
            if not updated:
                draw_chart(self.kind, self.axes, **inputs)
            self.canvas.setToolTip(compact_notes(self.figure))
            steady_title(self.figure)
        title = figure_title(self.figure)
        self.canvas.setAccessibleName(f"Chart: {title}" if title else "Chart")
        self._described.start()  # the description of what the chart now shows follows
        relayout = self._choose_layout()
        if tall and relayout:  # updated in place, but wider labels need a new layout
            return self._draw_in_thread(inputs)
        names = len(self.axes.get_yticklabels()) if inputs and self.kind in NAMED_DOWN else 0
        with style_context():
            # bars: only what follows the numbers is redrawn over a kept background
            self.blitter.set_dynamic(bar_chart_dynamic(self.figure, self.axes)
                                     if inputs is not None and self.kind == "bars" else ())
            if relayout and names:  # laid out, not drawn: if the names need another height,
                # the resize that follows draws it, once (1 s a draw for England's clusters)
                self.figure.get_layout_engine().execute(self.figure)
                if fit_canvas(self.canvas, self.axes, names, self.scroll.viewport().height()):
                    self.canvas.draw_idle()
                    return
            if not (updated and not relayout and self.blitter.refresh()):
                self.canvas.draw()
        if relayout:  # the Axes are where the layout put them: enough room for the names?
            fit_canvas(self.canvas, self.axes, names, self.scroll.viewport().height())

    def _draw_in_thread(self, inputs: dict) -> None:
        ratio, dpi = self.canvas.device_pixel_ratio, self.figure.dpi
        width, pane = self.canvas.width() * ratio, self.scroll.viewport().height()
        self._thread.start(lambda: tall_bar_chart(inputs, width, pane, ratio, dpi))

    def _adopt(self, number: int, chart: TallChart | None) -> None:
        """Show a tall bar chart drawn off the GUI thread (chart_thread), unless replaced
        since; drawn here when the thread failed, again when the canvas' width changed."""
        if number != self._thread.asked or not self._thread.busy:
            return
        self._thread.forget()
        if chart is None or abs(chart.figure.bbox.width - self.figure.bbox.width) > 0.5:
            self._draw(here=chart is None)
            return
        self.figure, self.axes = chart.figure, chart.figure.axes[0]
        with style_context():
            self.blitter.set_dynamic(bar_chart_dynamic(self.figure, self.axes))
            self.canvas.adopt(chart.figure, chart.renderer)
        self.canvas.setToolTip(chart.notes)
        self.canvas.setMinimumHeight(chart.height)
        self._choose_layout()  # a switch keeps this layout as it keeps one laid out here
        title = figure_title(self.figure)
        self.canvas.setAccessibleName(f"Chart: {title}" if title else "Chart")
        self._described.start()

    def _describe(self) -> None:
        """The canvas' accessible description (the chart in words, every number included), for
        a screen reader; its name, the chart's message, is set as the chart is drawn."""
        inputs = self._inputs.get(self.kind)  # as drawn (None: nothing, or still computing)
        self.canvas.setAccessibleDescription(
            chart_description(self.kind, **inputs) + " Show as table (Alt+T) lists the numbers."
            if inputs is not None else "No chart drawn yet.")

    def _choose_layout(self) -> bool:
        """Constrained layout only when what it lays out changed: a data-only switch keeps the
        axes where they are and skips the layout pass (a large part of a redraw). True when
        the next draw lays the figure out afresh."""
        key = (self.kind, tuple(self.figure.get_size_inches()), layout_texts(self.figure),
               layout_texts(self.axes))
        # the values and verdicts right of the bars: the room laid out for them serves any
        # up to 30 px narrower
        width = label_width(self.axes)
        if key != self._layout_key or not self._label_room - 30 <= width <= self._label_room:
            self._layout_key, self._label_room = key, width
            self.figure.set_layout_engine("constrained")
            return True
        self.figure.set_layout_engine("none")
        return False

    def _on_resize(self, _event) -> None:
        if self.canvas.adopted:  # grown to the height a chart drawn off the GUI thread has
            return
        self._layout_key = None  # the next draw lays the figure out for its new size
        self.figure.set_layout_engine("constrained")
        if self.canvas.width() != self._width or self._stale:  # titles and notes wrap to the
            self._resized.start()  # new width once resizing pauses (a new height alone: the
            # redraw matplotlib makes after any resize will do)
