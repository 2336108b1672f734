"""A table cell that paints a small chart instead of text (spine charts, sparklines)."""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QApplication, QStyle, QStyledItemDelegate, QStyleOptionViewItem


class ChartCellDelegate(QStyledItemDelegate):
    """Draws the cell's background and selection as usual, then `paint_chart` on top."""

    min_width = 70

    def sizeHint(self, option, index) -> QSize:  # noqa: N802 - Qt API
        hint = super().sizeHint(option, index)
        return QSize(max(hint.width(), self.min_width), hint.height())

    def paint(self, painter: QPainter, option, index) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        style = opt.widget.style() if opt.widget is not None else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        self.paint_chart(painter, opt, index)

    def paint_chart(self, painter: QPainter, option: QStyleOptionViewItem, index) -> None:
        raise NotImplementedError
