"""ColumnChooser: the profile table's columns on screen, and the Columns menu that picks them.

It sizes the number columns to their text, hides the columns that give way to the indicator
names (desktop.gui.views.profile_columns decides which) whenever the table is resized or
refilled, stretches the names over what is left, and keeps the officer's choices in the
settings. The same menu opens from the Columns button and from the header's context menu.
"""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QHeaderView, QMenu, QToolButton, QTreeView

from desktop.gui import settings
from desktop.gui.views.profile_columns import (
    TITLE_CHARS,
    ColumnChoice,
    given_way,
    hidden_columns,
)
from desktop.gui.views.profile_rows import COL_SPARKLINE, COL_SPINE, COL_TITLE, COLUMNS

SPINE_WIDTH = 90
SPARKLINE_WIDTH = 76
MAX_NUMBER_CHARS = 28  # average characters: a wider text (an absurd number) is elided, whole
# in its tooltip; in characters, so larger text gets wider columns
CELL_PADDING = 12  # pixels around a cell's text


class ColumnChooser(QObject):
    def __init__(self, table: QTreeView, model, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.table, self.model = table, model
        self.choice = ColumnChoice(frozenset(_columns(settings.get("profile/hidden_columns"))),
                                   frozenset(_columns(settings.get("profile/shown_columns"))))
        self.given_way: frozenset[int] = frozenset()  # hidden for want of room, not by choice
        # every column's width but the title's: a hidden section's size reads 0
        self.widths = {COL_SPINE: SPINE_WIDTH, COL_SPARKLINE: SPARKLINE_WIDTH}
        header = table.header()
        for col, width in self.widths.items():
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Fixed)
            header.resizeSection(col, width)
        self.button = QToolButton()
        self.button.setText("Colum&ns")
        self.button.setToolTip("Choose the columns (also by right-clicking the header)")
        self.button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.button.setMenu(QMenu(self.button))
        self.button.menu().aboutToShow.connect(lambda: self.fill_menu(self.button.menu()))
        header.customContextMenuRequested.connect(self._header_menu)

    def fit(self) -> None:
        """Number columns as wide as their widest text or header label (up to a cap; longer
        texts elide and show whole in the tooltip), then share the width."""
        header = self.table.header()
        label_metrics, cell_metrics = header.fontMetrics(), self.table.fontMetrics()
        cap = MAX_NUMBER_CHARS * cell_metrics.averageCharWidth()
        for col in range(len(COLUMNS)):
            if col not in (COL_TITLE, COL_SPINE, COL_SPARKLINE):
                label = label_metrics.horizontalAdvance(COLUMNS[col]) + CELL_PADDING
                texts = self.model.column_texts(col)
                widest = max((cell_metrics.horizontalAdvance(t) for t in texts), default=0)
                self.widths[col] = min(max(widest + CELL_PADDING, label), cap)
                if not header.isSectionHidden(col):  # a hidden one takes its width when shown:
                    header.resizeSection(col, self.widths[col])  # resized, it left a gap
        self.share_width()

    def title_min_width(self) -> int:
        """Room for the first TITLE_CHARS characters (and "…") of every indicator's name."""
        metrics = self.table.fontMetrics()
        titles = self.model.column_texts(COL_TITLE) or ["x" * TITLE_CHARS]
        return max(metrics.horizontalAdvance(t[:TITLE_CHARS] + "…") for t in titles) + CELL_PADDING

    def share_width(self) -> None:
        """Give the names their room: hide the columns that give way, then stretch the title
        column over what is left, or scroll sideways when columns shown by choice leave it
        less than its minimum."""
        header = self.table.header()
        minimum = self.title_min_width()
        room = self.table.viewport().width()
        hidden = hidden_columns(self.widths, room, minimum, self.choice)
        self.given_way = given_way(hidden, self.choice)
        for col in range(1, len(COLUMNS)):
            if header.isSectionHidden(col) != (col in hidden):
                header.setSectionHidden(col, col in hidden)
                if col not in hidden:
                    header.resizeSection(col, self.widths[col])
        if header.length() != sum(header.sectionSize(c) for c in range(header.count())):
            # Qt can keep hidden sections' widths in the header's length (a blank gap where
            # they were, seen with the names' column not stretched): hiding them anew drops it
            for col in hidden:
                header.setSectionHidden(col, False)
                header.setSectionHidden(col, True)
        roomy = room - sum(w for c, w in self.widths.items() if c not in hidden) >= minimum
        mode = QHeaderView.ResizeMode.Stretch if roomy else QHeaderView.ResizeMode.Interactive
        if header.sectionResizeMode(COL_TITLE) != mode:
            header.setSectionResizeMode(COL_TITLE, mode)
        if not roomy and header.sectionSize(COL_TITLE) < minimum:
            header.resizeSection(COL_TITLE, minimum)

    def fill_menu(self, menu: QMenu) -> None:
        """Every column but the title, ticked when shown; one hidden for want of room says
        so, and ticking it shows it anyway."""
        menu.clear()
        header = self.table.header()
        for col in range(1, len(COLUMNS)):
            text = COLUMNS[col] + (" (no room: hidden to show the names)"
                                   if col in self.given_way else "")
            action = menu.addAction(text)
            action.setCheckable(True)
            action.setChecked(not header.isSectionHidden(col))
            action.toggled.connect(
                lambda on, c=col: self.set_choice(self.choice.toggled(c, on)))
        menu.addSeparator()
        menu.addAction("Show the columns that &fit", lambda: self.set_choice(ColumnChoice()))

    def set_choice(self, choice: ColumnChoice) -> None:
        self.choice = choice
        settings.set("profile/hidden_columns", [COLUMNS[c] for c in sorted(choice.hidden)])
        settings.set("profile/shown_columns", [COLUMNS[c] for c in sorted(choice.shown)])
        self.share_width()

    def _header_menu(self, pos) -> None:
        """Right-click on the header: the same menu as the Columns button."""
        menu = QMenu(self.table)
        self.fill_menu(menu)
        menu.exec(self.table.header().mapToGlobal(pos))


def _columns(names: list[str]) -> list[int]:
    """Column indices of saved column names (names no longer in the table are skipped)."""
    return [COLUMNS.index(name) for name in names if name in COLUMNS[1:]]
