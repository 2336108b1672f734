"""The "Over time" cell of the profile table: a small line of the cluster's value over every
period of the indicator, oldest on the left, the latest period as a dot.

Gaps (suppressed or missing periods) break the line rather than join across them, so a hidden
value is never implied by a straight segment. The scale is the row's own range: the line shows
the shape of the change, the Trend column says whether it is significant. The line takes the
table's text colour, so it reads in any system theme.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QPainter, QPalette, QPen
from PySide6.QtWidgets import QStyleOptionViewItem

from desktop.gui.views.chart_cell import ChartCellDelegate
from desktop.gui.views.profile_model import SPARKLINE_ROLE

MARGIN = 6


def sparkline_points(values, rect: QRectF) -> list[list[QPointF]]:
    """Runs of consecutive finite values as points inside `rect` (one list per run)."""
    finite = [v for v in values if math.isfinite(v)]
    if not finite or len(values) < 2:
        return []
    lo, hi = min(finite), max(finite)
    span = hi - lo if hi > lo else 1.0
    step = rect.width() / (len(values) - 1)
    runs: list[list[QPointF]] = [[]]
    for k, v in enumerate(values):
        if not math.isfinite(v):
            if runs[-1]:
                runs.append([])
            continue
        y = rect.bottom() - (v - lo) / span * rect.height() if hi > lo else rect.center().y()
        runs[-1].append(QPointF(rect.left() + k * step, y))
    return [run for run in runs if run]


class SparklineDelegate(ChartCellDelegate):
    """Paints the values from SPARKLINE_ROLE; an empty cell when there are none."""

    min_width = 70

    def paint_chart(self, painter: QPainter, opt: QStyleOptionViewItem, index) -> None:
        values = index.data(SPARKLINE_ROLE)
        if not values:
            return
        rect = QRectF(opt.rect).adjusted(MARGIN, 4, -MARGIN, -4)
        if rect.width() < 10 or rect.height() < 4:
            return
        painter.save()
        try:
            painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
            colour = opt.palette.color(QPalette.ColorRole.Text)
            painter.setPen(QPen(colour, 1.3))
            runs = sparkline_points(values, rect)
            for run in runs:
                if len(run) > 1:
                    painter.drawPolyline(run)
            if runs and math.isfinite(values[-1]):
                painter.setBrush(colour)
                painter.drawEllipse(runs[-1][-1], 2.2, 2.2)
        finally:
            painter.restore()
