"""CompareView: every cluster by every indicator, coloured by significance (a "tartan rug").

Each cell carries a one-letter symbol as well as its colour (and the full word in its tooltip
and accessible text), so the rug reads without colour; a cluster whose value is suppressed
reads "[c]", one with no value "[x]", and one not compared "[z]". Cluster names are drawn upright in the
header so twelve or more columns fit beside the indicator titles. Choosing a cell (click or
arrow keys) emits `cell_selected(cluster, indicator_id)`.
"""

from __future__ import annotations

import pandas as pd
from PySide6.QtCore import (
    QAbstractTableModel,
    QItemSelectionModel,
    QModelIndex,
    QRect,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QFont, QPen
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionHeader,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.core.stats.comparison import DEFAULT, Comparison
from desktop.gui import colours

CELL_WIDTH = 30
NAME_CHARS = 60  # the indicator names' column at most this many average characters wide


class TartanModel(QAbstractTableModel):
    """Rows: indicators (in the metadata's theme order); columns: clusters; cells: significance."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._ids: list[str] = []
        self._titles: list[str] = []
        self._themes: list[str] = []
        self._clusters: list[str] = []
        self._cells: list[list[str]] = []
        self.current_cluster: str | None = None
        self.current_indicator: str | None = None
        self.comparison = DEFAULT  # what the cells' words say: "Worse 99.8%"
        self._bold = QFont()
        self._bold.setBold(True)

    def set_tartan(self, tartan: pd.DataFrame, indicators: pd.DataFrame) -> None:
        """`tartan`: index indicator ids, columns clusters; `indicators`: id, title, theme."""
        meta = indicators.drop_duplicates("id").set_index("id")
        known = [i for i in meta.index if i in tartan.index]
        ids = known + [i for i in tartan.index if i not in meta.index]
        self.beginResetModel()
        self._ids = [str(i) for i in ids]
        self._titles = [str(meta.at[i, "title"]) if i in meta.index else str(i) for i in ids]
        self._themes = [str(meta.at[i, "theme"]) if i in meta.index else "" for i in ids]
        self._clusters = [str(c) for c in tartan.columns]
        ordered = tartan.loc[ids]
        words: dict = {}  # a few distinct values in 37,500 cells at England scale

        def word(value) -> str:
            if value not in words:
                words[value] = (value if value in colours.MARKER_WORDS
                                else colours.normalise_significance(value))
            return words[value]

        self._cells = [[word(v) for v in row]
                       for row in ordered.itertuples(index=False, name=None)]
        self.endResetModel()

    def cell_key(self, index: QModelIndex) -> tuple[str, str] | None:
        """(cluster, indicator_id) of a cell."""
        if not index.isValid():
            return None
        return self._clusters[index.column()], self._ids[index.row()]

    def index_of(self, cluster: str | None, indicator_id: str | None) -> QModelIndex:
        if cluster not in self._clusters or indicator_id not in self._ids:
            return QModelIndex()
        return self.index(self._ids.index(indicator_id), self._clusters.index(cluster))

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._clusters)

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        sig = self._cells[index.row()][index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return colours.cell_symbol(sig)
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
            return (f"{self._clusters[index.column()]} · {self._titles[index.row()]}: "
                    f"{colours.cell_word(sig, self.comparison)}")
        if role == Qt.ItemDataRole.AccessibleDescriptionRole and sig not in colours.MARKER_WORDS:
            return self.comparison.describe(sig)
        if role == Qt.ItemDataRole.BackgroundRole:
            return QBrush(colours.significance_colour(sig))
        if role == Qt.ItemDataRole.ForegroundRole:
            return QBrush(colours.text_colour_on(colours.significance_colour(sig)))
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignCenter)
        return None

    def headerData(self, section: int, orientation, role=Qt.ItemDataRole.DisplayRole):
        across = orientation == Qt.Orientation.Horizontal
        if role == Qt.ItemDataRole.DisplayRole:
            return self._clusters[section] if across else self._titles[section]
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._clusters[section] if across else \
                f"{self._titles[section]}\n{self._ids[section]} · {self._themes[section]}"
        if role == Qt.ItemDataRole.FontRole:
            current = (self._clusters[section] == self.current_cluster if across
                       else self._ids[section] == self.current_indicator)
            return self._bold if current else None
        return None


class RugDelegate(QStyledItemDelegate):
    """Keeps the significance colour on the chosen cell and frames it, instead of the
    selection colour that would hide what the cell says."""

    def paint(self, painter, option, index) -> None:
        painter.save()
        rect = option.rect
        painter.fillRect(rect, index.data(Qt.ItemDataRole.BackgroundRole))
        painter.setPen(index.data(Qt.ItemDataRole.ForegroundRole).color())
        painter.drawText(rect, int(Qt.AlignmentFlag.AlignCenter),
                         str(index.data(Qt.ItemDataRole.DisplayRole)))
        if option.state & QStyle.StateFlag.State_Selected:
            painter.setPen(QPen(QColor("#000000"), 3))
            painter.drawRect(rect.adjusted(1, 1, -2, -2))
        painter.restore()


class UprightHeader(QHeaderView):
    """A horizontal header whose labels run bottom to top, so narrow columns keep full names."""

    def __init__(self, parent=None) -> None:
        super().__init__(Qt.Orientation.Horizontal, parent)

    def _label(self, section: int) -> str:
        return str(self.model().headerData(section, Qt.Orientation.Horizontal) or "")

    def sectionSizeFromContents(self, section: int) -> QSize:
        metrics = self.fontMetrics()
        bold = QFont(self.font())
        bold.setBold(True)
        width = max(metrics.horizontalAdvance(self._label(section)),
                    type(metrics)(bold).horizontalAdvance(self._label(section)))
        return QSize(metrics.height() + 8, width + 14)

    def paintSection(self, painter, rect: QRect, section: int) -> None:
        if not rect.isValid():
            return
        option = QStyleOptionHeader()
        self.initStyleOption(option)
        option.rect = rect
        option.section = section
        painter.save()
        self.style().drawControl(QStyle.ControlElement.CE_Header, option, painter, self)
        font = self.model().headerData(section, Qt.Orientation.Horizontal,
                                       Qt.ItemDataRole.FontRole)
        if isinstance(font, QFont):
            painter.setFont(font)
        painter.translate(rect.left(), rect.bottom())
        painter.rotate(-90)
        painter.drawText(QRect(6, 0, rect.height() - 10, rect.width()),
                         int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                         self._label(section))
        painter.restore()


class CompareView(QWidget):
    """The tartan rug with a legend line above it."""

    cell_selected = Signal(str, str)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._quiet = False
        self.model = TartanModel(self)
        self.legend = QLabel(colours.legend_html(with_symbols=True))
        self.legend.setTextFormat(Qt.TextFormat.RichText)
        self.legend.setWordWrap(True)
        self.table = QTableView()
        self.table.setAccessibleName("Clusters by indicators")
        self.table.setAccessibleDescription(DEFAULT.heading)
        self.table.setTabKeyNavigation(False)  # Tab leaves the rug; arrows move in it
        self.table.setHorizontalHeader(UprightHeader(self.table))
        self.table.setModel(self.model)
        self.table.setItemDelegate(RugDelegate(self.table))
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.horizontalHeader().setDefaultSectionSize(CELL_WIDTH)
        self.table.horizontalHeader().setMinimumSectionSize(CELL_WIDTH)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.verticalHeader().setDefaultSectionSize(
            self.table.fontMetrics().height() + 6)
        self.table.verticalHeader().setMaximumWidth(  # longer names: "…" and a tooltip
            NAME_CHARS * self.table.fontMetrics().averageCharWidth())
        self.table.verticalHeader().setTextElideMode(Qt.TextElideMode.ElideRight)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.legend)
        layout.addWidget(self.table, 1)
        self.table.selectionModel().selectionChanged.connect(self._on_selection)

    def set_tartan(self, tartan: pd.DataFrame, indicators: pd.DataFrame,
                   current_cluster: str | None = None,
                   current_indicator: str | None = None) -> None:
        """Show `tartan` (index indicator ids, columns clusters, cells significance)."""
        self._quiet = True
        try:
            self.model.set_tartan(tartan, indicators)
            self.set_current(current_cluster, current_indicator)
        finally:
            self._quiet = False

    def set_comparison(self, comparison: Comparison) -> None:
        """Word the legend and the cells for the comparison that judged them."""
        self.model.comparison = comparison
        self.legend.setText(colours.legend_html(with_symbols=True, comparison=comparison))
        self.table.setAccessibleDescription(comparison.heading)

    def clear(self) -> None:
        """Empty the rug (the window locks or closes the bundle)."""
        self.set_tartan(pd.DataFrame(), pd.DataFrame(columns=["id", "title", "theme"]))

    def set_current(self, cluster: str | None, indicator_id: str | None) -> None:
        """Mark and select the chosen cluster and indicator without emitting."""
        was, self._quiet = self._quiet, True
        try:
            self.model.current_cluster, self.model.current_indicator = cluster, indicator_id
            self.model.headerDataChanged.emit(Qt.Orientation.Horizontal, 0,
                                              max(self.model.columnCount() - 1, 0))
            self.model.headerDataChanged.emit(Qt.Orientation.Vertical, 0,
                                              max(self.model.rowCount() - 1, 0))
            index = self.model.index_of(cluster, indicator_id)
            selection = self.table.selectionModel()
            if index.isValid():
                selection.setCurrentIndex(index, QItemSelectionModel.SelectionFlag.ClearAndSelect)
                self.table.scrollTo(index)
            else:
                selection.clear()
        finally:
            self._quiet = was

    def _on_selection(self, selected, _deselected) -> None:
        # Selection, not the current index: Qt makes the first cell current on focus, and a
        # click on it must still count as a choice.
        if self._quiet or selected.isEmpty():
            return
        key = self.model.cell_key(selected.indexes()[0])
        if key is None:
            return
        self.model.current_cluster, self.model.current_indicator = key
        self.cell_selected.emit(*key)
