"""CrossBorderView: where the pupils of a cluster's schools live and where its children go to
school, as two tables, a county summary and a small flow map (desktop.core.maps.flowmap).

The base map is drawn once per bundle; a change of cluster, period or direction reshades the
areas and replaces only the arrows. Every number comes from desktop.core.stats.crossborder, already
suppressed and formatted.
"""

from __future__ import annotations

from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
from matplotlib.figure import Figure
from PySide6.QtCore import QSignalBlocker, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QBoxLayout,
    QButtonGroup,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QRadioButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.core.format import suppression_meaning
from desktop.core.maps import flowmap, mapplot
from desktop.core.model import Bundle
from desktop.core.stats import crossborder as cb
from desktop.gui.flow_layout import FlowLayout
from desktop.gui.text_room import scrolling_page
from desktop.gui.views.labels import buddy_label

NOTE = f"Pupils at the county's schools only. {suppression_meaning()}."


class CrossBorderView(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Cross-border pupils")
        self.bundle: Bundle | None = None
        self.cluster = ""
        self.matrix: cb.FlowMatrix | None = None
        self.flow_artists: flowmap.FlowMapArtists | None = None

        self.heading = QLabel()
        self.heading.setTextFormat(Qt.TextFormat.RichText)
        self.heading.setWordWrap(True)
        self.period_combo = QComboBox()
        self.period_combo.setAccessibleName("Flow period")
        self.period_combo.currentTextChanged.connect(self._period_chosen)
        # one Alt key for the pair: the arrow keys move between them
        self.in_button = QRadioButton("Map: &where its pupils live")
        self.out_button = QRadioButton("Map: where its children go to school")
        self.in_button.setChecked(True)
        self.direction_group = QButtonGroup(self)
        for button in (self.in_button, self.out_button):
            self.direction_group.addButton(button)
            button.toggled.connect(lambda on: on and self._redraw_map())
        top = QHBoxLayout()
        top.addWidget(self.heading, 1)
        top.addWidget(buddy_label("P&eriod:", self.period_combo))
        top.addWidget(self.period_combo)

        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setAccessibleDescription("Cross-border summary")
        self.inflow_table = self._table("Pupils at the cluster's schools by where they live")
        self.outflow_table = self._table("Children living in the cluster by school cluster")
        self.inflow_title, self.outflow_title = QLabel(), QLabel()
        self.tables = QWidget()
        self.tables_layout = QBoxLayout(QBoxLayout.Direction.LeftToRight, self.tables)
        self.tables_layout.setContentsMargins(0, 0, 0, 0)
        for title, table in ((self.inflow_title, self.inflow_table),
                             (self.outflow_title, self.outflow_table)):
            column = QVBoxLayout()
            title.setWordWrap(True)
            column.addWidget(title)
            column.addWidget(table, 1)
            self.tables_layout.addLayout(column, 1)

        self.figure = Figure(facecolor="white")
        self.canvas = FigureCanvasQTAgg(self.figure)
        self.canvas.setMinimumSize(200, 180)
        self.canvas.setAccessibleName("Cross-border flow map")
        self.canvas.setAccessibleDescription("The two tables beside the map hold its numbers.")
        self.canvas.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # nothing to do with keys here
        self.ax = self.figure.add_axes((0.01, 0.01, 0.98, 0.98))
        self.ax.set_axis_off()
        self.canvas.mpl_connect("resize_event", lambda _event: self._fit())
        map_box = QWidget()
        map_layout = QVBoxLayout(map_box)
        map_layout.setContentsMargins(0, 0, 0, 0)
        directions = FlowLayout()  # one row, or two when large text makes them wide
        directions.setContentsMargins(0, 0, 0, 0)
        directions.addWidget(self.in_button)
        directions.addWidget(self.out_button)
        map_layout.addLayout(directions)
        map_layout.addWidget(self.canvas, 1)

        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(self.tables)
        self.splitter.addWidget(map_box)
        self.splitter.setSizes([380, 420])
        note = QLabel(NOTE)
        note.setWordWrap(True)
        self.page = scrolling_page(self, "Cross-border pupils")
        layout = QVBoxLayout(self.page.widget())
        layout.addLayout(top)
        layout.addWidget(self.summary)
        layout.addWidget(self.splitter, 1)
        layout.addWidget(note)

    @staticmethod
    def _table(name: str) -> QTableWidget:
        table = QTableWidget(0, 3)
        table.setTabKeyNavigation(False)  # Tab leaves the table; arrows move in it
        table.setAccessibleName(name)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.verticalHeader().hide()
        # rows as tight as the tartan's, from the font (the style's default is 30 px)
        table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 6)
        # the numbers as wide as their header and cells, the names the rest (the tables go
        # one above the other before the names would be cut: _arrange_tables)
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        return table

    # --- session -> view ------------------------------------------------------------------
    def set_bundle(self, bundle: Bundle) -> None:
        """Draw the base map and list the periods; nothing is shown for a bundle with no flows."""
        self.clear()
        if bundle.flows is None:
            return
        self.bundle = bundle
        self.flow_artists = flowmap.draw_flow_map(self.ax, bundle.areas)
        with QSignalBlocker(self.period_combo):
            self.period_combo.addItems(list(cb.flow_periods(bundle)))
            self.period_combo.setCurrentIndex(self.period_combo.count() - 1)
        self.matrix = cb.flow_matrix(bundle, self.period_combo.currentText())

    def set_cluster(self, cluster: str) -> None:
        self.cluster = cluster
        self._refresh()

    def clear(self) -> None:
        self.bundle, self.matrix, self.flow_artists, self.cluster = None, None, None, ""
        with QSignalBlocker(self.period_combo):
            self.period_combo.clear()
        for table in (self.inflow_table, self.outflow_table):
            table.setRowCount(0)
        for label in (self.heading, self.summary, self.inflow_title, self.outflow_title):
            label.clear()
        self.ax.clear()
        self.ax.set_axis_off()
        self.canvas.draw_idle()

    def _period_chosen(self, period: str) -> None:
        if self.bundle is None or not period:
            return
        self.matrix = cb.flow_matrix(self.bundle, period)
        self._refresh()

    def _refresh(self) -> None:
        m = self.matrix
        if m is None:
            return
        if self.cluster not in m.schools:  # a custom area: it has no schools
            for table in (self.inflow_table, self.outflow_table):
                table.setRowCount(0)
            for label in (self.summary, self.inflow_title, self.outflow_title):
                label.clear()
            self.heading.setText(f"<b>{self.cluster}</b> is a custom area: pupils' flows are "
                                 "counted by school cluster, so it has no cross-border tables.")
            return
        self.heading.setText(f"<b>Cross-border pupils: {self.cluster}</b>")
        inflow, outflow, text = cb.crossborder_section_rows(self.bundle, self.cluster, m.period)
        self.summary.setText(text)
        self.inflow_title.setText(f"Where pupils at {self.cluster}'s schools live")
        self.outflow_title.setText(f"Where children living in {self.cluster} go to school")
        _fill(self.inflow_table, inflow)
        _fill(self.outflow_table, outflow)
        self._arrange_tables()
        self._redraw_map()

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().resizeEvent(event)
        self._arrange_tables()

    def _arrange_tables(self) -> None:
        """The two tables side by side when both show every column whole, else one above the
        other (large text on a narrow pane), rather than each scrolling sideways."""
        need = self.tables_layout.spacing()
        for table in (self.inflow_table, self.outflow_table):
            header = table.horizontalHeader()
            need += 2 * table.frameWidth() + table.verticalScrollBar().sizeHint().width() + sum(
                max(header.sectionSizeHint(c), table.sizeHintForColumn(c))
                for c in range(table.columnCount()))
        # the room with the page's scroll bar, shown or not, so the choice never flips it
        margins = self.page.widget().layout().contentsMargins()
        room = self.width() - margins.left() - margins.right() - \
            self.page.verticalScrollBar().sizeHint().width()
        self.tables_layout.setDirection(QBoxLayout.Direction.LeftToRight if need <= room
                                        else QBoxLayout.Direction.TopToBottom)

    @property
    def direction(self) -> str:
        return "in" if self.in_button.isChecked() else "out"

    def _redraw_map(self) -> None:
        if self.flow_artists is None or self.matrix is None or not self.cluster:
            return
        flowmap.show_flows(self.flow_artists, self.matrix, self.cluster, self.direction)
        self._fit()

    def _fit(self) -> None:
        if self.flow_artists is not None and self.canvas.width() > 0:
            base = self.flow_artists.base
            mapplot.zoom_to(self.ax, base.bounds)
            if base.legend is not None:
                mapplot.fit_axes(base)
        self.canvas.draw_idle()


def _fill(table: QTableWidget, frame) -> None:
    """Put a frame of strings into a table; numbers right-aligned, the total row in bold."""
    table.setRowCount(len(frame))
    table.setHorizontalHeaderLabels(list(frame.columns))
    for r, row in enumerate(frame.itertuples(index=False)):
        for c, text in enumerate(row):
            item = QTableWidgetItem(str(text))
            if c > 0:
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if r == len(frame) - 1:
                font = item.font()
                font.setBold(True)
                item.setFont(font)
            table.setItem(r, c, item)
