"""The Qt binding itself must not corrupt Python's reference counts.

PySide6 6.12.0 drops a reference to None each time C++ (a proxy model, a view painting) reads a
Python model's data() that returns None. The profile and compare views ask for thousands of
such roles per paint, so after a few minutes None's count reaches zero and the process aborts
("deallocating None"), at exit or sooner. pyproject.toml keeps that version out; this test
fails on any binding that does it again, before an officer's window does.
"""

from __future__ import annotations

import gc
import sys

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QSortFilterProxyModel, Qt


class _Model(QAbstractTableModel):
    def rowCount(self, parent=QModelIndex()):  # noqa: N802 (Qt override)
        return 0 if parent.isValid() else 3

    def columnCount(self, parent=QModelIndex()):  # noqa: N802 (Qt override)
        return 0 if parent.isValid() else 2

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{index.row()},{index.column()}"
        return None  # every other role: no data, as Qt's own models answer


def test_reading_none_through_cpp_keeps_nones_reference_count(qapp):
    model = _Model()
    proxy = QSortFilterProxyModel()
    proxy.setSourceModel(model)
    index = proxy.index(1, 1)
    assert proxy.data(index, Qt.ItemDataRole.DisplayRole) == "1,1"  # the proxy really reads it
    roles = [Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.FontRole,
             Qt.ItemDataRole.DecorationRole, Qt.ItemDataRole.UserRole]
    gc.collect()
    before = sys.getrefcount(None)
    for _ in range(500):
        for role in roles:
            proxy.data(index, role)
    gc.collect()
    lost = before - sys.getrefcount(None)
    assert lost < 100, f"{lost} references to None lost in 2,000 reads through C++"
