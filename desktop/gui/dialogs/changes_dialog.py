"""View > Changes since: the indicators whose significance against the county changed for
the chosen cluster between two periods (e.g. from "similar" to "worse")."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.core.format import format_value
from desktop.core.stats.changes import changes_between, common_periods
from desktop.gui import colours
from desktop.gui.session import Session
from desktop.gui.text_room import text_size

HEADERS = ("Indicator", "Theme", "Was", "Now", "Value was", "Value now")


class ChangesDialog(QDialog):
    indicator_selected = Signal(str)

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setWindowTitle(f"Changes since — {session.cluster}")
        periods = common_periods(session.bundle, session.statistics)
        self.from_combo, self.to_combo = QComboBox(), QComboBox()
        for combo, name in ((self.from_combo, "From period"), (self.to_combo, "To period")):
            combo.addItems(periods)
            combo.setAccessibleName(name)
        if periods:
            self.from_combo.setCurrentIndex(max(len(periods) - 2, 0))
            self.to_combo.setCurrentIndex(len(periods) - 1)
        row = QHBoxLayout()
        for text, widget in (("&From", self.from_combo), ("&to", self.to_combo)):
            label = QLabel(text)
            label.setBuddy(widget)
            row.addWidget(label)
            row.addWidget(widget)
        row.addStretch(1)
        self.summary = QLabel()
        self.model = QStandardItemModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        self.table.activated.connect(self._activated)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        self.resize(text_size(self, 150, 37))  # characters and lines: grows with the text
        for combo in (self.from_combo, self.to_combo):
            combo.currentIndexChanged.connect(self.refresh)
        self.refresh()

    def refresh(self, *_args) -> None:
        s = self.session
        a, b = self.from_combo.currentText(), self.to_combo.currentText()
        changes = changes_between(s.bundle, s.statistics, s.cluster, a, b)
        self.model.clear()
        self.model.setHorizontalHeaderLabels(list(HEADERS))
        indicators = {i.id: i for i in s.bundle.manifest.indicators}
        for r in changes.itertuples():
            ind = indicators[r.indicator_id]
            items = [QStandardItem(r.title), QStandardItem(r.theme)]
            for sig in (r.significance_a, r.significance_b):
                item = QStandardItem(s.comparison.label(sig))
                item.setBackground(colours.significance_colour(sig))
                item.setForeground(colours.text_colour_on(colours.significance_colour(sig)))
                items.append(item)
            for value, hidden in ((r.value_a, r.suppressed_a), (r.value_b, r.suppressed_b)):
                item = QStandardItem(format_value(value, ind.value_type, ind.unit, hidden))
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                items.append(item)
            items[0].setData(r.indicator_id, Qt.ItemDataRole.UserRole)
            self.model.appendRow(items)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for col in range(1, len(HEADERS)):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        self.summary.setText(f"{len(changes)} indicators changed their comparison with the "
                             f"county between {a} and {b} in {s.cluster}.")

    def _activated(self, index) -> None:
        indicator_id = self.model.item(index.row(), 0).data(Qt.ItemDataRole.UserRole)
        if indicator_id:
            self.indicator_selected.emit(indicator_id)
