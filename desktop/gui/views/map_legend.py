"""MapLegend: the screen map's legend as a small Qt widget beside the canvas.

Drawing the legend with matplotlib (offsetbox layout and glyph rendering) cost most of a county
repaint; as Qt labels a switch only changes a few strings and swatches, and the canvas redraws
the map alone. The rows come from maps.legend.legend_entries, the same source as the exported
figure's legend, so screen and export cannot disagree.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPen, QPixmap
from PySide6.QtWidgets import QGridLayout, QLabel, QVBoxLayout, QWidget

from desktop.core.maps.legend import LegendEntry
from desktop.gui.text_room import scrolling
from desktop.gui.views.focus_frame import FocusFrame

SWATCH = (18, 12)  # width, height in pixels
WIDTH_CHARS = 30  # the legend's width in average characters: it grows with the text size


def qcolor(rgba: tuple[float, ...] | str) -> QColor:
    """A QColor of a matplotlib RGBA tuple (0..1) or a colour name."""
    if isinstance(rgba, str):
        return QColor(rgba)
    return QColor.fromRgbF(*(float(v) for v in rgba))


def swatch(entry: LegendEntry, ratio: float = 1.0) -> QPixmap:
    """The symbol of a legend row: a filled box, a line or a point."""
    w, h = SWATCH
    pixmap = QPixmap(int(w * ratio), int(h * ratio))
    pixmap.setDevicePixelRatio(ratio)
    # a line or a point on the map's white, as on the map, whatever the theme behind the legend
    pixmap.fill(Qt.GlobalColor.transparent if entry.kind == "patch" else Qt.GlobalColor.white)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    if entry.kind == "line":
        painter.setPen(QPen(qcolor(entry.colour), 1.4))
        painter.drawLine(QPointF(1, h / 2), QPointF(w - 1, h / 2))
    elif entry.kind == "marker":
        painter.setPen(QPen(qcolor(entry.edge), 1.0))
        painter.setBrush(qcolor(entry.colour))
        painter.drawEllipse(QPointF(w / 2, h / 2), 3.5, 3.5)
    else:
        painter.setPen(QPen(qcolor(entry.edge), 1.0))
        painter.setBrush(qcolor(entry.colour))
        painter.drawRect(QRectF(0.5, 0.5, w - 1, h - 1))
    painter.end()
    return pixmap


class MapLegend(QWidget):
    """Title, "period · scheme", an optional note, then one swatch and label per row."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Map legend")
        # a fixed width (a new title never resizes the map canvas), in the theme's colours
        self.setFixedWidth(WIDTH_CHARS * self.fontMetrics().averageCharWidth())
        self.title = QLabel()
        self.title.setWordWrap(True)
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        self.detail = QLabel()
        self.detail.setWordWrap(True)
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.setStyleSheet("font-style: italic")
        self._rows: list[tuple[QLabel, QLabel]] = []
        self._grid = QGridLayout()
        self._grid.setContentsMargins(0, 4, 0, 0)
        self._grid.setHorizontalSpacing(6)
        self._grid.setVerticalSpacing(3)
        self._grid.setColumnStretch(1, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.setSpacing(2)
        for label in (self.title, self.detail, self.note):
            layout.addWidget(label)
        layout.addLayout(self._grid)
        layout.addStretch(1)
        self.clear()

    def set_entries(self, heading: tuple[str, str, str], entries: list[LegendEntry]) -> None:
        """Show a heading (legend.legend_heading) and the rows (legend.legend_entries)."""
        title, detail, note = heading
        self.title.setText(title)
        self.detail.setText(detail)
        self.note.setText(note)
        self.note.setVisible(bool(note))
        while len(self._rows) < len(entries):
            row = (QLabel(), QLabel())
            row[1].setWordWrap(True)
            self._grid.addWidget(row[0], len(self._rows), 0, Qt.AlignmentFlag.AlignTop)
            self._grid.addWidget(row[1], len(self._rows), 1)
            self._rows.append(row)
        ratio = self.devicePixelRatioF()
        for i, (symbol, text) in enumerate(self._rows):
            shown = i < len(entries)
            symbol.setVisible(shown)
            text.setVisible(shown)
            if shown:
                symbol.setPixmap(swatch(entries[i], ratio))
                text.setText(entries[i].label)

    def labels(self) -> list[str]:
        """The row texts shown now (tests, accessibility)."""
        return [text.text() for _symbol, text in self._rows if not text.isHidden()]

    def clear(self) -> None:
        self.set_entries(("", "", ""), [])


def scrolling_legend(legend: MapLegend) -> QWidget:
    """The legend, scrolling (by keyboard too) when large text makes it taller than the map,
    never squeezing its rows into each other; framed when it has the focus."""
    box = scrolling(legend, "Map legend")
    box.setFixedWidth(legend.width() + box.verticalScrollBar().sizeHint().width())
    return FocusFrame(box)
