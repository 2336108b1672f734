"""The chart's numbers as a table ("Show as table"), with what its markers stand for under it:
the product's table alternative to every chart (chart_view swaps the canvas for this page)."""

from __future__ import annotations

import pandas as pd
from PySide6.QtCore import Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.core.charts.tables import chart_table_notes
from desktop.gui.text_room import scrolling

_NUMERIC = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


class ChartTablePage(QWidget):
    """A read-only table of a chart's frame (first column text, the rest numbers) and its
    notes."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = QStandardItemModel(self)
        self.table = QTableView()
        self.table.setAccessibleName("The chart's numbers")
        self.table.setTabKeyNavigation(False)  # Tab leaves the table; arrows move in it
        self.table.setModel(self.model)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.notes = QLabel()  # what the markers in the table stand for
        self.notes.setWordWrap(True)
        page = QVBoxLayout(self)
        page.setContentsMargins(0, 0, 0, 0)
        page.addWidget(self.table, 1)
        page.addWidget(scrolling(self.notes, "Notes on the numbers"))  # large text: scroll

    def fill(self, frame: pd.DataFrame | None) -> None:
        """Show `frame` (None: an empty table)."""
        self.model.clear()
        self.notes.setText("" if frame is None else "\n".join(chart_table_notes(frame)))
        if frame is None:
            return
        self.model.setHorizontalHeaderLabels([str(c) for c in frame.columns])
        for row in frame.itertuples(index=False, name=None):
            items = [QStandardItem(str(value)) for value in row]
            for item in items[1:]:
                item.setTextAlignment(_NUMERIC)
            self.model.appendRow(items)
