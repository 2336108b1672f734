"""ProfileView: the chosen cluster's indicators against the county, grouped by theme.

A search box and a theme filter narrow the 250+ rows as you type (through the proxy, never by
rebuilding the model); clicking a header sorts within each theme by the underlying numbers;
choosing a row (mouse or Up/Down) emits `indicator_selected`, which the window turns into a
session change that repaints the map and the chart.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from html import escape

import pandas as pd
from PySide6.QtCore import QItemSelectionModel, QModelIndex, QSignalBlocker, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHeaderView,
    QLabel,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from desktop.core.format import marker_notes
from desktop.core.model import NOT_APPLICABLE, NOT_AVAILABLE, SUPPRESSED
from desktop.core.stats.comparison import DEFAULT, Comparison
from desktop.gui import colours
from desktop.gui.flow_layout import FlowLayout
from desktop.gui.text_room import PlaceholderEdit
from desktop.gui.views.labels import note_label
from desktop.gui.views.profile_column_menu import ColumnChooser
from desktop.gui.views.profile_model import (
    COL_SPARKLINE,
    COL_SPINE,
    COL_TITLE,
    SYNTHETIC_MARK,
    ProfileFilterProxy,
    ProfileModel,
)
from desktop.gui.views.sparkline_delegate import SparklineDelegate
from desktop.gui.views.spine_delegate import SpineDelegate

ALL_THEMES = "All themes"


class _ProfileTree(QTreeView):
    """A QTreeView that says when it is resized, so the columns can share the new width."""

    resized = Signal()

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().resizeEvent(event)
        self.resized.emit()


class _SearchBox(PlaceholderEdit):
    """A line edit that hands Down/Enter over to the table, so search-then-browse needs no mouse."""

    def __init__(self, on_leave, parent=None) -> None:
        super().__init__(parent)
        self._on_leave = on_leave

    def keyPressEvent(self, event) -> None:
        if event.key() in (Qt.Key.Key_Down, Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self._on_leave()
            return
        if event.key() == Qt.Key.Key_Escape and self.text():
            self.clear()
            return
        super().keyPressEvent(event)


class ProfileView(QWidget):
    """The profile table with its search box, theme filter and "N of M indicators" label."""

    indicator_selected = Signal(str)
    latest_period_requested = Signal()  # the link in the period note

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._current_id: str | None = None
        self._quiet = False  # True while the view itself moves rows or the current index
        self.model = ProfileModel(self)
        self.proxy = ProfileFilterProxy(self)
        self.proxy.setSourceModel(self.model)

        self.title_label = QLabel("No cluster chosen")
        self.title_label.setStyleSheet("font-weight: bold;")
        self.title_label.setWordWrap(True)  # large text: two lines, never a wider window
        self.period_note = note_label()
        self.period_note.setAccessibleDescription("Which period the table shows")
        self.period_note.linkActivated.connect(lambda _link: self.latest_period_requested.emit())
        self.period_note.hide()
        self.search = _SearchBox(self._focus_table)
        self.search.setPlaceholderText("Search indicators (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName("Search indicators")
        self.theme_combo = QComboBox()
        self.theme_combo.setAccessibleName("Filter by theme")
        self.theme_combo.addItem(ALL_THEMES)
        self.count_label = QLabel("0 of 0 indicators")
        self.count_label.setAccessibleDescription("Number of indicators shown")
        self._comparison = DEFAULT
        self.legend = QLabel(self._legend_text())
        self.legend.setToolTip("\
".join(marker_notes([SUPPRESSED, NOT_AVAILABLE,
                                                        NOT_APPLICABLE])))
        self.legend.setTextFormat(Qt.TextFormat.RichText)
        self.legend.setWordWrap(True)
        self.table = self._make_table()
        self.columns = ColumnChooser(self.table, self.model, self)
        self.table.resized.connect(self.columns.share_width)


        bar = FlowLayout(spacing=4)  # wraps when large text makes it wider than the tab
        bar.setContentsMargins(0, 0, 0, 0)
        for widget in (self.search, self.theme_combo, self.columns.button, self.count_label):
            bar.addWidget(widget)  # the search box takes the room left on its row
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.title_label)
        layout.addWidget(self.period_note)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.legend)

        self.search.textChanged.connect(self._on_search)
        self.theme_combo.currentIndexChanged.connect(self._on_theme)
        self.table.selectionModel().selectionChanged.connect(self._on_selection)
        for sig in (self.proxy.modelReset, self.proxy.layoutChanged, self.proxy.rowsInserted):
            sig.connect(self._regroup)

    def _make_table(self) -> QTreeView:
        table = _ProfileTree()
        table.setAccessibleName("Cluster profile table")
        table.setModel(self.proxy)
        table.setRootIsDecorated(False)
        table.setItemsExpandable(False)
        table.setExpandsOnDoubleClick(False)
        table.setIndentation(0)
        table.setUniformRowHeights(True)
        table.setAlternatingRowColors(True)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        table.setItemDelegateForColumn(COL_SPINE, SpineDelegate(table))
        table.setItemDelegateForColumn(COL_SPARKLINE, SparklineDelegate(table))
        header = table.header()
        header.setStretchLastSection(False)
        header.setSectionsMovable(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(COL_TITLE, QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(36)
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)  # start in theme order
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)  # ColumnChooser's
        table.setSortingEnabled(True)
        return table

    # --- public API -------------------------------------------------------------------------
    def set_profile(self, profile: pd.DataFrame, cluster_name: str) -> None:
        """Show `profile` (model.PROFILE_COLUMNS) for `cluster_name`; keeps search and selection."""
        with self._quietly():
            self.model.set_profile(profile)
            self._fill_themes()
            self.title_label.setText(f"{cluster_name} compared with "
                                     f"{self._comparison.benchmark} "
                                     f"({self._comparison.level_text} confidence), in each "
                                     "indicator's latest period")
            self.columns.fit()
            self._restore_selection()
        self._update_count()

    def set_comparison(self, comparison: Comparison) -> None:
        """Word the legend (and the heading, from the next profile) for the comparison that
        judged the verdicts: "Worse 99.8%", "compared with the rest of the county"."""
        self._comparison = comparison
        self.legend.setText(self._legend_text())

    def _legend_text(self) -> str:
        return (colours.legend_html(comparison=self._comparison)
                + f"&nbsp;&nbsp; {SYNTHETIC_MARK} synthetic &nbsp; " + colours.markers_html())

    def clear(self) -> None:
        """Forget the profile, the search and the choice: nothing of the bundle stays shown."""
        with self._quietly():
            self._current_id = None
            self.model.clear()
            self.search.clear()
            self._fill_themes()
            self.title_label.setText("No cluster chosen")
            self.period_note.hide()
        self._update_count()

    def set_current_indicator(self, indicator_id: str | None) -> None:
        """Select `indicator_id`'s row (if shown) without emitting `indicator_selected`."""
        with QSignalBlocker(self), self._quietly():
            self._current_id = indicator_id
            self._restore_selection()

    def set_period_note(self, chosen: str, latest: str, title: str) -> None:
        """Say plainly, while the map and chart show an earlier period of the chosen
        indicator (`chosen`), that this table shows each indicator's latest; hidden when
        they agree."""
        if not chosen or chosen == latest:
            self.period_note.hide()
            return
        self.period_note.setText(
            f"The map and chart show <b>{escape(chosen)}</b>; this table shows each "
            f"indicator's latest period ({escape(latest)} for {escape(title)}). "
            "<a href='latest'>Show the latest period</a>")
        self.period_note.show()

    def current_indicator(self) -> str | None:
        return self._current_id

    def focus_search(self) -> None:
        """Put the cursor in the search box, its text selected (the window's Ctrl+F)."""
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    # --- internals --------------------------------------------------------------------------
    @contextmanager
    def _quietly(self) -> Iterator[None]:
        """Changes made by the view itself: current-row moves are neither choices nor emitted."""
        was, self._quiet = self._quiet, True
        try:
            yield
        finally:
            self._quiet = was

    def _fill_themes(self) -> None:
        chosen = self.theme_combo.currentText()
        with QSignalBlocker(self.theme_combo):
            self.theme_combo.clear()
            self.theme_combo.addItem(ALL_THEMES)
            self.theme_combo.addItems(self.model.themes)
            at = self.theme_combo.findText(chosen)
            self.theme_combo.setCurrentIndex(max(at, 0))
        self.proxy.set_theme(None if self.theme_combo.currentIndex() <= 0 else
                             self.theme_combo.currentText())

    def _regroup(self, *args) -> None:
        """Span and expand the theme rows the proxy shows (new after every filter change)."""
        root = QModelIndex()
        for r in range(self.proxy.rowCount(root)):
            self.table.setFirstColumnSpanned(r, root, True)
        self.table.expandAll()

    def _on_search(self, text: str) -> None:
        with self._quietly():  # the current row may move while rows vanish: not a choice
            self.proxy.set_search_text(text)
            self._restore_selection()
        self._update_count()

    def _on_theme(self, index: int) -> None:
        with self._quietly():
            self.proxy.set_theme(None if index <= 0 else self.theme_combo.itemText(index))
            self._restore_selection()
        self._update_count()

    def _update_count(self) -> None:
        shown, total = self.proxy.visible_indicator_count(), self.model.indicator_count()
        self.count_label.setText(f"{shown} of {total} indicators")

    def _restore_selection(self) -> None:
        source = self.model.index_for_indicator(self._current_id) if self._current_id else None
        index = self.proxy.mapFromSource(source) if source is not None else QModelIndex()
        selection = self.table.selectionModel()
        if not index.isValid():
            selection.clear()  # also the current index, so a click on any row is a choice
            return
        selection.setCurrentIndex(index, QItemSelectionModel.SelectionFlag.ClearAndSelect
                                  | QItemSelectionModel.SelectionFlag.Rows)
        self.table.scrollTo(index)

    def _on_selection(self, selected, _deselected) -> None:
        # Selection rather than the current index: a click on the row that is current but not
        # selected (Qt makes the first row current on focus) is still a choice.
        if self._quiet or selected.isEmpty():
            return
        row = self.model.row_at(self.proxy.mapToSource(selected.indexes()[0]))
        if row is None or row.indicator_id == self._current_id:
            return
        self._current_id = row.indicator_id
        self.indicator_selected.emit(row.indicator_id)

    def _focus_table(self) -> None:
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)
        if not self.table.selectionModel().hasSelection():
            first = self.proxy.index(0, 0, self.proxy.index(0, 0))
            if first.isValid():
                self.table.selectionModel().setCurrentIndex(
                    first, QItemSelectionModel.SelectionFlag.ClearAndSelect
                    | QItemSelectionModel.SelectionFlag.Rows)

