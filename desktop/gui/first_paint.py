"""Running something once a widget has painted for the first time: the window shows its cover
and menus at once and builds the rest afterwards, so the officer sees it appear first."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget


def after_first_paint(widget: QWidget, then: Callable[[], None]) -> None:
    """Call `then` from the event loop once `widget` has painted (its first paint reaches the
    screen before `then` starts)."""
    widget.installEventFilter(_FirstPaint(widget, then))


class _FirstPaint(QObject):
    def __init__(self, widget: QWidget, then: Callable[[], None]) -> None:
        super().__init__(widget)
        self.then = then

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            self.deleteLater()
            QTimer.singleShot(0, self.then)
        return False
