"""The spine chart cell of the profile table (Fingertips style).

The county sits on the centre line; the grey bar runs from the lowest to the highest cluster and
the dot is the chosen cluster, coloured by its significance. The scale is the widest deviation
from the county on either side, so every mark fits. For "higher is worse" indicators the axis
is mirrored, so better is always to the right. Suppressed rows draw nothing. The county line,
the range and the dot's outline take the table's text colour (the range a pale mix of it), so
the chart reads in light, dark and high-contrast themes alike.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QPainter, QPalette, QPen
from PySide6.QtWidgets import QStyleOptionViewItem

from desktop.gui import colours
from desktop.gui.views.chart_cell import ChartCellDelegate
from desktop.gui.views.profile_model import SPINE_ROLE, SpineData

MARGIN = 8  # pixels kept free at each end of the cell


class SpineDelegate(ChartCellDelegate):
    """Paints `SpineData` from SPINE_ROLE; falls back to the plain cell when there is none."""

    min_width = 120

    def paint_chart(self, painter: QPainter, opt: QStyleOptionViewItem, index) -> None:
        spine = index.data(SPINE_ROLE)
        if isinstance(spine, SpineData):
            self._draw(painter, QRectF(opt.rect), spine, opt.palette)

    def _draw(self, painter: QPainter, rect: QRectF, spine: SpineData,
              palette: QPalette) -> None:
        inner = rect.adjusted(MARGIN, 3, -MARGIN, -3)
        if inner.width() < 10 or inner.height() < 4:
            return
        centre = inner.center().x()
        half = inner.width() / 2

        def x_of(v: float) -> float:
            return centre + spine.position(v) * half

        ink = palette.color(QPalette.ColorRole.Text)
        painter.save()
        try:
            bar_h = max(4.0, inner.height() * 0.5)
            bar_top = inner.center().y() - bar_h / 2
            ends = [x_of(v) for v in (spine.lowest, spine.highest) if math.isfinite(v)]
            if len(ends) == 2:
                left, right = min(ends), max(ends)
                painter.fillRect(QRectF(left, bar_top, max(right - left, 1.0), bar_h),
                                 colours.mix(palette.color(QPalette.ColorRole.Base), ink, 0.3))
            painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
            painter.fillRect(QRectF(round(centre) - 1, inner.top(), 2, inner.height()), ink)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
            radius = max(3.0, min(inner.height() * 0.38, 6.0))
            painter.setPen(QPen(ink, 1.0))
            painter.setBrush(spine.colour)
            painter.drawEllipse(QPointF(x_of(spine.value), inner.center().y()), radius, radius)
        finally:
            painter.restore()
