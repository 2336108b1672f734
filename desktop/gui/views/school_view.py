"""The School tab: one school's own profile, for a visit. Who it is, the map of where its
pupils live (shaded by share), and every indicator of its pupils' home areas against the
county and its cluster, with the markers explained under the table. Choosing a school (the Go
to box) fills it; the numbers come ready from the core (stats.school_homes, school_profile,
report.brief's rows), computed off the window's thread by view_sync."""

from __future__ import annotations

from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
from matplotlib.figure import Figure
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.core.maps.homes import draw_homes
from desktop.core.model import Bundle
from desktop.core.plotting.palettes import SIGNIFICANCE_COLOURS, needs_white_text
from desktop.core.plotting.style import style_context
from desktop.core.report.brief import ISSUE_HEADER, school_rows
from desktop.core.report.tables import table_notes
from desktop.core.stats.comparison import Comparison
from desktop.core.stats.school_homes import SchoolHomes
from desktop.gui.text_room import scrolling_page

EMPTY = ("Choose a school in the Go to box (Ctrl+G): type part of its name or its URN. Its "
         "profile describes the small areas its pupils live in.")
VERDICT_COLUMNS = {6: "significance", 7: "vs_cluster"}


class SchoolView(QWidget):
    brief_requested = Signal()
    indicator_selected = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("school_view")
        self.heading = QLabel(EMPTY)
        self.heading.setWordWrap(True)
        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        self.brief_button = QPushButton("School &brief for Word…")
        self.brief_button.setToolTip("A one-page brief of this school to print before a visit")
        self.brief_button.clicked.connect(self.brief_requested)
        self.brief_button.setEnabled(False)
        top = QHBoxLayout()
        top.addWidget(self.heading, 1)
        top.addWidget(self.brief_button, 0, Qt.AlignmentFlag.AlignTop)

        self.figure = Figure(facecolor="white")
        self.canvas = FigureCanvasQTAgg(self.figure)
        self.canvas.setAccessibleName("Map of where the school's pupils live")
        self.canvas.setMinimumHeight(160)
        self.table = QTableWidget(0, len(ISSUE_HEADER))
        self.table.setHorizontalHeaderLabels(ISSUE_HEADER)
        self.table.setAccessibleName("The school's profile")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        # every column as wide as its header and cells: with large text the table scrolls
        # sideways rather than cut a name (a stretched column falls to 100 pixels when the
        # others overflow the table)
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.cellDoubleClicked.connect(self._chosen)
        self.notes = QLabel()
        self.notes.setWordWrap(True)
        self.notes.setTextFormat(Qt.TextFormat.PlainText)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.canvas)
        split.addWidget(self.table)
        split.setSizes([240, 360])
        layout = QVBoxLayout(scrolling_page(self, "The school").widget())
        layout.addLayout(top)
        layout.addWidget(split, 1)
        layout.addWidget(self.notes)
        self._ids: list[str] = []

    def show_school(self, bundle: Bundle, homes: SchoolHomes, profile, comparison: Comparison,
                    school_xy: tuple[float, float], summary: str) -> None:
        """Show a school's profile (`profile`: stats.school_profile's frame)."""
        self.heading.setText(summary)
        self.figure.clear()
        with style_context():
            draw_homes(self.figure.add_axes((0.0, 0.0, 0.6, 1.0)), bundle, homes, school_xy)
        self.canvas.draw_idle()
        rows = school_rows(profile, comparison)
        self._ids = list(profile["indicator_id"])
        self.table.setRowCount(len(rows))
        for r, (cells, (_, row)) in enumerate(zip(rows, profile.iterrows())):
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if c in VERDICT_COLUMNS:
                    fill = SIGNIFICANCE_COLOURS.get(str(row[VERDICT_COLUMNS[c]]))
                    if fill:
                        item.setBackground(QColor(fill))
                        item.setForeground(QColor("white" if needs_white_text(fill)
                                                  else "black"))
                if c >= 2:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight
                                          | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(r, c, item)
        method = (f"Each value is the pupil-weighted mean of the small areas the school's "
                  f"pupils live in ({homes.period}), from published figures only. It is "
                  "significantly higher or lower than the county or the cluster when their "
                  f"value lies outside its {comparison.level_text} interval. Double-click a "
                  "row to map the indicator.")
        self.notes.setText("\n".join(
            [method, *table_notes(bundle, (c for row in rows for c in row), None)]))
        self.brief_button.setEnabled(True)

    def _chosen(self, row: int, _column: int) -> None:
        if 0 <= row < len(self._ids):
            self.indicator_selected.emit(self._ids[row])

    def show_message(self, text: str) -> None:
        """Work under way, or why there is no profile (no pupils by school in the bundle,
        too few pupils to show)."""
        self.clear()
        self.heading.setText(text)

    def clear(self) -> None:
        """Forget the school (a lock, a close, another bundle)."""
        self.heading.setText(EMPTY)
        self.figure.clear()
        self.canvas.draw_idle()
        self.table.setRowCount(0)
        self.notes.clear()
        self._ids = []
        self.brief_button.setEnabled(False)
