"""The profile table's item model (themes as parent rows, indicators under them) and its proxy.

Every cell's text, tooltip and sort key is computed once in `set_profile`, so painting, sorting
and filtering 250+ indicators only read lists. Sorting uses numbers (SORT_ROLE), never the
formatted text, and stays within each theme so the table is always grouped by theme.
"""

from __future__ import annotations

import math

import pandas as pd
from PySide6.QtCore import (
    QAbstractItemModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QBrush, QFont, QGuiApplication

from desktop.core.model import PROFILE_COLUMNS
from desktop.gui import colours
from desktop.gui.views.profile_rows import (  # noqa: F401  (re-exported for the views and tests)
    COL_SIGNIFICANCE,
    COL_SPARKLINE,
    COL_SPINE,
    COL_TITLE,
    COL_TREND,
    COL_VALUE,
    COLUMNS,
    HEADER_TIPS,
    NUMERIC_COLUMNS,
    SYNTHETIC_MARK,
    ProfileRow,
    SpineData,
    build_row,
)

SORT_ROLE = Qt.ItemDataRole.UserRole + 1
INDICATOR_ID_ROLE = Qt.ItemDataRole.UserRole + 2
SPINE_ROLE = Qt.ItemDataRole.UserRole + 3
SPARKLINE_ROLE = Qt.ItemDataRole.UserRole + 4
SPOKEN_FROM_TIPS = (COL_TREND, COL_SPINE, COL_SPARKLINE)  # what assistive technology reads


class ProfileModel(QAbstractItemModel):
    """Theme rows at the top level (spanned by the view), one child row per indicator."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._themes: list[str] = []
        self._members: list[list[ProfileRow]] = []
        self._where: dict[str, tuple[int, int]] = {}
        self._bold = QFont()
        self._bold.setBold(True)

    def set_profile(self, profile: pd.DataFrame) -> None:
        """Replace the rows with `profile` (model.PROFILE_COLUMNS, in theme order)."""
        missing = set(PROFILE_COLUMNS) - set(profile.columns)
        if missing:
            raise ValueError(f"profile lacks columns {sorted(missing)}")
        rows = [build_row(rec) for rec in profile.to_dict("records")]
        self.beginResetModel()
        themes = list(dict.fromkeys(r.theme for r in rows))
        self._themes = themes
        self._members = [[r for r in rows if r.theme == t] for t in themes]
        self._where = {r.indicator_id: (t, k) for t, members in enumerate(self._members)
                       for k, r in enumerate(members)}
        self.endResetModel()

    def clear(self) -> None:
        """Drop every row (the window locks or closes the bundle)."""
        self.beginResetModel()
        self._themes, self._members, self._where = [], [], {}
        self.endResetModel()

    # --- lookups used by the view and the proxy -------------------------------------------
    @property
    def themes(self) -> list[str]:
        return list(self._themes)

    def indicator_count(self) -> int:
        return len(self._where)

    def column_texts(self, column: int) -> set[str]:
        """The distinct texts of a column, to size it without asking every cell."""
        return {r.texts[column] for members in self._members for r in members}

    def index_for_indicator(self, indicator_id: str) -> QModelIndex:
        where = self._where.get(indicator_id)
        if where is None:
            return QModelIndex()
        return self.createIndex(where[1], 0, where[0] + 1)

    def row_at(self, index: QModelIndex | QPersistentModelIndex) -> ProfileRow | None:
        """The indicator row at `index`, or None for a theme row or an invalid index."""
        if not index.isValid() or index.internalId() == 0:
            return None
        return self._members[index.internalId() - 1][index.row()]

    def theme_at(self, index: QModelIndex | QPersistentModelIndex) -> str:
        if index.internalId() == 0:
            return self._themes[index.row()]
        return self._themes[index.internalId() - 1]

    # --- QAbstractItemModel ---------------------------------------------------------------
    def index(self, row: int, column: int, parent=QModelIndex()) -> QModelIndex:
        if not self.hasIndex(row, column, parent):
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, column, 0)
        return self.createIndex(row, column, parent.row() + 1)

    def parent(self, index=QModelIndex()) -> QModelIndex:  # type: ignore[override]
        if not index.isValid() or index.internalId() == 0:
            return QModelIndex()
        return self.createIndex(index.internalId() - 1, 0, 0)

    def rowCount(self, parent=QModelIndex()) -> int:
        if not parent.isValid():
            return len(self._themes)
        if parent.internalId() == 0 and parent.column() == 0:
            return len(self._members[parent.row()])
        return 0

    def columnCount(self, parent=QModelIndex()) -> int:
        return len(COLUMNS)

    def flags(self, index) -> Qt.ItemFlag:
        if not index.isValid() or index.internalId() == 0:
            return Qt.ItemFlag.NoItemFlags  # theme rows: headings, skipped by the keyboard
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def headerData(self, section: int, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        if role == Qt.ItemDataRole.ToolTipRole:
            return HEADER_TIPS.get(section)
        if role == Qt.ItemDataRole.TextAlignmentRole and section in NUMERIC_COLUMNS:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        col = index.column()
        row = self.row_at(index)
        if row is None:
            return self._theme_data(index, role)
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            if role == Qt.ItemDataRole.AccessibleTextRole and col in SPOKEN_FROM_TIPS:
                return row.tips[col]  # a symbol or a little chart: its words instead
            return row.texts[col]
        if role == Qt.ItemDataRole.ToolTipRole:
            return row.tips[col]
        if role == SORT_ROLE:
            return row.keys[col]
        if role == INDICATOR_ID_ROLE:
            return row.indicator_id
        if role == SPINE_ROLE:
            return row.spine if col == COL_SPINE else None
        if role == SPARKLINE_ROLE:
            return row.sparkline if col == COL_SPARKLINE else None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if col in NUMERIC_COLUMNS:
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if col in (COL_SIGNIFICANCE, COL_TREND):
                return int(Qt.AlignmentFlag.AlignCenter)
            return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        if col == COL_SIGNIFICANCE and role == Qt.ItemDataRole.BackgroundRole:
            return QBrush(colours.significance_colour(row.significance))
        if col == COL_SIGNIFICANCE and role == Qt.ItemDataRole.ForegroundRole:
            return QBrush(colours.text_colour_on(colours.significance_colour(row.significance)))
        return None

    def _theme_data(self, index, role):
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            if index.column() != COL_TITLE:
                return None
            n = len(self._members[index.row()])
            return f"{self._themes[index.row()]}  ({n})"
        if role == Qt.ItemDataRole.FontRole:
            return self._bold
        if role in (Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ForegroundRole):
            # from the system's theme; the text set, as theme rows are disabled (greyed)
            background, text = colours.theme_row_colours(QGuiApplication.palette())
            return QBrush(background if role == Qt.ItemDataRole.BackgroundRole else text)
        return None


class ProfileFilterProxy(QSortFilterProxyModel):
    """Filters indicators by a search text (title, id, theme) and a theme; sorts within themes.

    Missing numbers sort last in either direction; theme rows keep their order.
    """

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._needle = ""
        self._theme: str | None = None
        self.setRecursiveFilteringEnabled(True)
        self.setSortRole(SORT_ROLE)

    def set_search_text(self, text: str) -> None:
        needle = text.strip().casefold()
        if needle != self._needle:
            self._refilter(lambda: setattr(self, "_needle", needle))

    def set_theme(self, theme: str | None) -> None:
        if theme != self._theme:
            self._refilter(lambda: setattr(self, "_theme", theme))

    def _refilter(self, change) -> None:
        if hasattr(self, "beginFilterChange"):  # Qt >= 6.10
            self.beginFilterChange()
            change()
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            change()
            self.invalidateRowsFilter()

    def visible_indicator_count(self) -> int:
        root = QModelIndex()
        return sum(self.rowCount(self.index(r, 0, root)) for r in range(self.rowCount(root)))

    def filterAcceptsRow(self, source_row: int, source_parent) -> bool:
        model: ProfileModel = self.sourceModel()  # type: ignore[assignment]
        if not source_parent.isValid():
            return False  # a theme row shows when one of its indicators does (recursive filter)
        row = model.row_at(model.index(source_row, 0, source_parent))
        if row is None:
            return False
        if self._theme is not None and row.theme != self._theme:
            return False
        return self._needle in row.haystack

    def lessThan(self, left, right) -> bool:
        ascending = self.sortOrder() == Qt.SortOrder.AscendingOrder
        if not left.parent().isValid():  # theme rows keep the bundle's order
            return left.row() < right.row() if ascending else left.row() > right.row()
        model: ProfileModel = self.sourceModel()  # type: ignore[assignment]
        a = model.row_at(left).keys[left.column()]  # type: ignore[union-attr]
        b = model.row_at(right).keys[right.column()]  # type: ignore[union-attr]
        a_missing = isinstance(a, float) and math.isnan(a)
        b_missing = isinstance(b, float) and math.isnan(b)
        if a_missing or b_missing:
            if a_missing and b_missing:
                return False
            return a_missing != ascending  # missing values last in either direction
        return a < b  # type: ignore[operator]
