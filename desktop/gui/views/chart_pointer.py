"""The chart's mouse and scrolling keys: clicking a bar, or a cluster's dot on the funnel or the
scatter, names the cluster (ChartView.cluster_clicked); the scatter names the point under the
mouse in a tooltip; the wheel and the arrow and page keys scroll a chart taller than its pane
(the canvas takes them from matplotlib, as any scrolled view would)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QPoint, Qt
from PySide6.QtWidgets import QApplication, QToolTip

from desktop.core.charts.scatter import hover_label
from desktop.core.model import MAP_CLUSTERS

CLICKABLE_DOTS = ("funnel", "scatter")  # charts whose dots are clusters to click
SCROLL_KEYS = (Qt.Key.Key_Up, Qt.Key.Key_Down, Qt.Key.Key_PageUp, Qt.Key.Key_PageDown,
               Qt.Key.Key_Home, Qt.Key.Key_End)  # move a tall chart, as in any scrolled view


class ChartPointer(QObject):
    """Connects a ChartView's canvas (`view.canvas`, in `view.scroll`) to its clicks,
    hovers and scrolling."""

    def __init__(self, view) -> None:
        super().__init__(view)
        self.view = view
        view.canvas.mpl_connect("pick_event", self._on_pick)
        view.canvas.mpl_connect("motion_notify_event", self._on_motion)
        view.canvas.installEventFilter(self)  # wheel and keys scroll the chart, not matplotlib

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if watched is self.view.canvas and (event.type() == QEvent.Type.Wheel or (
                event.type() == QEvent.Type.KeyPress and event.key() in SCROLL_KEYS)):
            QApplication.sendEvent(self.view.scroll.verticalScrollBar(), event)
            return True
        return super().eventFilter(watched, event)

    def _on_pick(self, event) -> None:
        view, name = self.view, event.artist.get_gid()
        if view.kind == "bars" and name and name in set(map(str, view.inputs()["clusters"].index)):
            view.cluster_clicked.emit(name)
        elif view.kind in CLICKABLE_DOTS and name == "points" and len(event.ind):
            inputs = view.inputs()
            if view.kind == "funnel":
                view.cluster_clicked.emit(str(inputs["funnel"].points["name"].iat[event.ind[0]]))
            elif inputs["points"].level == MAP_CLUSTERS:
                view.cluster_clicked.emit(str(inputs["points"].drawn["name"].iat[event.ind[0]]))

    def _on_motion(self, event) -> None:
        """On the scatter, the point under the mouse named in a tooltip."""
        view = self.view
        if view.kind != "scatter" or view.table_toggle.isChecked():
            return
        text = hover_label(view.axes, event)
        canvas = view.canvas
        if text:
            ratio = canvas.device_pixel_ratio
            at = QPoint(int(event.x / ratio), int(canvas.height() - event.y / ratio))
            QToolTip.showText(canvas.mapToGlobal(at), text, canvas)
        else:
            QToolTip.hideText()
