"""IssuesView: where the chosen cluster is significantly worse than the county, and its most
deprived areas.

The core hands over the issues already ordered most different first (the default order here);
the tables can be re-sorted by their numbers. Choosing an issue emits `indicator_selected`,
choosing an area emits `area_selected`, for the window to switch the map.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd
from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.core.format import format_value, marker_notes
from desktop.gui.views.profile_model import SORT_ROLE

KEY_ROLE = Qt.ItemDataRole.UserRole + 10  # the indicator id or area code of a row
ISSUE_HEADERS = ("Indicator", "Period", "Cluster", "County", "Difference")
AREA_HEADERS = ("Area", "Code", "IMD score", "Decile")
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


@dataclass(frozen=True)
class Cell:
    text: str
    key: object  # what the column sorts by
    numeric: bool = False
    tip: str = ""


def _num(v: object) -> float:
    try:
        return float(v)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return math.nan


def issue_cells(rec: dict) -> list[Cell]:
    """One issue row: the cluster's value, the county's and the signed difference."""
    vtype, unit = str(rec["value_type"]), str(rec.get("unit") or "")
    value, county = _num(rec["value"]), _num(rec["county_value"])
    diff = value - county
    sign = "+" if diff > 0 else "−" if diff < 0 else ""
    points = unit.strip() == "%"  # a difference of two percentages is in percentage points
    diff_text = format_value(abs(diff), vtype, "", False)
    if math.isfinite(diff):
        diff_text = sign + diff_text + (" pts" if points else "")
    unit_note = f" ({unit})" if unit else ""
    return [
        Cell(str(rec["title"]), str(rec["title"]).casefold(),
             tip=f"{rec['title']}{unit_note}\n{rec['indicator_id']} · {rec['theme']}"),
        Cell(str(rec["period"]), str(rec["period"])),
        Cell(format_value(value, vtype, unit, bool(rec.get("suppressed", False))), value, True),
        Cell(format_value(county, vtype, unit, False), county, True),
        Cell(diff_text, abs(diff), True, tip="Cluster minus county"
             + (", in percentage points" if points else "")),
    ]


def area_cells(rec: dict) -> list[Cell]:
    decile = _num(rec["decile"])
    return [
        Cell(str(rec["area_name"]), str(rec["area_name"]).casefold()),
        Cell(str(rec["area_code"]), str(rec["area_code"])),
        Cell(format_value(_num(rec["value"]), "score", "", False), _num(rec["value"]), True,
             tip="Index of Multiple Deprivation score: higher is more deprived"),
        Cell(format_value(decile, "count"), decile, True,
             tip="IMD decile: 1 is the most deprived tenth of areas nationally"),
    ]


def issues_sentence(n: int, cluster_name: str) -> str:
    if n == 0:
        return f"No indicators where {cluster_name} is significantly worse than the county"
    noun = "indicator" if n == 1 else "indicators"
    return f"{n} {noun} where {cluster_name} is significantly worse than the county"


class _KeyedTable(QTableView):
    """A sortable read-only table whose rows each carry a key (KEY_ROLE) in column 0.

    `chosen` fires with the key when a row is selected (click, arrow keys) or activated again
    (Enter, double click).
    """

    chosen = Signal(str)

    def __init__(self, headers: tuple[str, ...], name: str, parent=None) -> None:
        super().__init__(parent)
        self.source = QStandardItemModel(0, len(headers), self)
        self.source.setHorizontalHeaderLabels(list(headers))
        self.source.setSortRole(SORT_ROLE)
        self.setModel(self.source)
        self.setAccessibleName(name)
        self.setTabKeyNavigation(False)  # Tab leaves the table; arrows move in it
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAlternatingRowColors(True)
        self.verticalHeader().hide()
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.setSortingEnabled(True)
        self.selectionModel().selectionChanged.connect(self._on_selection)
        self.activated.connect(self._emit_key)

    def _on_selection(self, selected, _deselected) -> None:
        if not selected.isEmpty():
            self._emit_key(selected.indexes()[0])

    def _emit_key(self, index: QModelIndex) -> None:
        key = self.key_at(index)
        if key is not None:
            self.chosen.emit(key)

    def fill(self, keys: list[str], rows: list[list[Cell]]) -> None:
        self.selectionModel().clear()
        self.source.removeRows(0, self.source.rowCount())
        self.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        for key, cells in zip(keys, rows):
            items = []
            for cell in cells:
                item = QStandardItem(cell.text)
                item.setData(cell.key, SORT_ROLE)
                item.setToolTip(cell.tip or cell.text)
                if cell.numeric:
                    item.setTextAlignment(_RIGHT)
                items.append(item)
            items[0].setData(key, KEY_ROLE)
            self.source.appendRow(items)

    def key_at(self, index: QModelIndex) -> str | None:
        if not index.isValid():
            return None
        return self.source.index(index.row(), 0).data(KEY_ROLE)


class IssuesView(QWidget):
    """A header sentence, the table of issues and the table of the most deprived areas."""

    indicator_selected = Signal(str)
    area_selected = Signal(str)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.header_label = QLabel(issues_sentence(0, "the cluster"))
        self.header_label.setStyleSheet("font-weight: bold;")
        self.header_label.setWordWrap(True)
        self.issues_table = _KeyedTable(ISSUE_HEADERS, "Potential issues")
        self.areas_label = QLabel("Most deprived areas")
        self.areas_label.setStyleSheet("font-weight: bold;")
        self.areas_label.setWordWrap(True)
        self.areas_table = _KeyedTable(AREA_HEADERS, "Most deprived areas")
        self.notes = QLabel()  # what the markers in the tables stand for, when they have any
        self.notes.setWordWrap(True)
        self.notes.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.header_label)
        layout.addWidget(self.issues_table, 3)
        layout.addWidget(self.areas_label)
        layout.addWidget(self.areas_table, 2)
        layout.addWidget(self.notes)
        self.issues_table.chosen.connect(self.indicator_selected)
        self.areas_table.chosen.connect(self.area_selected)

    def clear(self) -> None:
        """Empty both tables (the window locks or closes the bundle)."""
        self.header_label.setText("No cluster chosen")
        self.areas_label.setText("Most deprived areas")
        self.issues_table.fill([], [])
        self.areas_table.fill([], [])
        self.notes.hide()

    def set_issues(self, issues: pd.DataFrame, deprived: pd.DataFrame,
                   cluster_name: str) -> None:
        """Show `issues` (profile rows, most different first) and `deprived` areas."""
        self.header_label.setText(issues_sentence(len(issues), cluster_name))
        self.areas_label.setText(f"Most deprived areas (LSOAs) in {cluster_name}"
                                 if len(deprived) else f"No area deprivation for {cluster_name}")
        records, areas = issues.to_dict("records"), deprived.to_dict("records")
        rows = [issue_cells(r) for r in records] + [area_cells(r) for r in areas]
        self.issues_table.fill([str(r["indicator_id"]) for r in records], rows[:len(records)])
        self.areas_table.fill([str(r["area_code"]) for r in areas], rows[len(records):])
        notes = marker_notes(cell.text for row in rows for cell in row)
        self.notes.setText("\n".join(notes))
        self.notes.setVisible(bool(notes))


