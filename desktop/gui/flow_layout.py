"""FlowLayout: widgets laid out left to right, wrapping onto a new row when the width runs out.

The window's toolbar uses it so that every control stays reachable at any width: at 1280
logical pixels (a 1920x1080 screen at 150%) the controls take two rows, on a wide screen one,
and nothing ever hides behind an overflow menu. Within a row, widgets whose horizontal size
policy can expand share the width left over, up to their maximum width. The layout reports its
height for a given width, so the window gives it exactly the rows it needs.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtWidgets import QLayout, QLayoutItem, QWidget


class FlowLayout(QLayout):
    def __init__(self, parent: QWidget | None = None, spacing: int = 6,
                 row_spacing: int = 4) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self._row_spacing = row_spacing
        self.setSpacing(spacing)  # between the items of a row

    # --- QLayout --------------------------------------------------------------------------
    def addItem(self, item: QLayoutItem) -> None:  # noqa: N802 - Qt API
        self._items.append(item)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:  # noqa: N802 - Qt API
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:  # noqa: N802 - Qt API
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self) -> Qt.Orientation:  # noqa: N802 - Qt API
        return Qt.Orientation.Horizontal

    def hasHeightForWidth(self) -> bool:  # noqa: N802 - Qt API
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802 - Qt API
        return self._place(QRect(0, 0, width, 0), move=False)

    def setGeometry(self, rect: QRect) -> None:  # noqa: N802 - Qt API
        super().setGeometry(rect)
        self._place(rect, move=True)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt API
        """One row of every item (what a wide enough window shows)."""
        shown = self._shown()
        left, top, right, bottom = self.getContentsMargins()
        width = sum(i.sizeHint().width() for i in shown) + self.spacing() * max(len(shown) - 1, 0)
        height = max((i.sizeHint().height() for i in shown), default=0)
        return QSize(width + left + right, height + top + bottom)

    def minimumSize(self) -> QSize:  # noqa: N802 - Qt API
        """The widest single item: narrower than that, one item would be cut."""
        size = QSize()
        for item in self._shown():
            size = size.expandedTo(item.minimumSize())
        left, top, right, bottom = self.getContentsMargins()
        return size + QSize(left + right, top + bottom)

    # --- placing --------------------------------------------------------------------------
    def rows(self, width: int) -> list[list[QLayoutItem]]:
        """The items of each row at `width` (tests and the toolbar's own checks)."""
        left, _top, right, _bottom = self.getContentsMargins()
        return self._rows(width - left - right)

    def _shown(self) -> list[QLayoutItem]:
        return [i for i in self._items if not (i.widget() is not None and i.widget().isHidden())]

    def _rows(self, width: int) -> list[list[QLayoutItem]]:
        rows: list[list[QLayoutItem]] = []
        used = 0
        for item in self._shown():
            w = item.sizeHint().width()
            if rows and used + self.spacing() + w <= width:
                rows[-1].append(item)
                used += self.spacing() + w
            else:
                rows.append([item])
                used = w
        return rows

    def _place(self, rect: QRect, move: bool) -> int:
        """Lay the rows out in `rect` (when `move`); the height they take."""
        left, top, right, bottom = self.getContentsMargins()
        inner = rect.adjusted(left, top, -right, -bottom)
        y = inner.y()
        rows = self._rows(inner.width())
        for n, row in enumerate(rows):
            widths = self._widths(row, inner.width())
            height = max(i.sizeHint().height() for i in row)
            x = inner.x()
            for item, w in zip(row, widths):
                if move:
                    h = min(height, item.maximumSize().height())
                    item.setGeometry(QRect(QPoint(x, y + (height - h) // 2), QSize(w, h)))
                x += w + self.spacing()
            y += height + (self._row_spacing if n < len(rows) - 1 else 0)
        return y - rect.y() + bottom

    def _widths(self, row: list[QLayoutItem], width: int) -> list[int]:
        """Each item's width: its size hint, plus a share of what is left for expanding items
        (up to their maximum); an item alone in a row too narrow for it is squeezed."""
        widths = [i.sizeHint().width() for i in row]
        spare = width - sum(widths) - self.spacing() * (len(row) - 1)
        # the widget's own policy: an item's expandingDirections() would also count a
        # widget whose layout merely holds an expanding child (a slider)
        growing = [k for k, i in enumerate(row) if i.widget() is not None
                   and i.widget().sizePolicy().expandingDirections() & Qt.Orientation.Horizontal]
        while spare > 0 and growing:
            share = max(spare // len(growing), 1)
            for k in list(growing):
                room = row[k].maximumSize().width() - widths[k]
                grow = min(share, room, spare)
                widths[k] += grow
                spare -= grow
                if grow < share or widths[k] >= row[k].maximumSize().width():
                    growing.remove(k)
        if spare < 0 and len(row) == 1:
            widths[0] = max(width, row[0].minimumSize().width())
        return widths
