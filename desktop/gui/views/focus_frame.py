"""FocusFrame: a visible keyboard focus for widgets that draw none of their own.

A matplotlib canvas paints its figure edge to edge, so a map or chart with the keyboard focus
looked exactly like one without it. The frame holds the widget with a small margin and draws
a ring in the theme's highlight colour there while the watched widget has the focus.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QPainter, QPalette, QPen
from PySide6.QtWidgets import QVBoxLayout, QWidget

RING = 2  # pixels


class FocusFrame(QWidget):
    """`content` inside a ring shown while `watched` (default: `content`) has the focus."""

    def __init__(self, content: QWidget, watched: QWidget | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.watched = watched or content
        layout = QVBoxLayout(self)
        layout.setContentsMargins(RING + 1, RING + 1, RING + 1, RING + 1)
        layout.addWidget(content)
        self.watched.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if event.type() in (QEvent.Type.FocusIn, QEvent.Type.FocusOut):
            self.update()
        return False

    def showing_focus(self) -> bool:
        return self.watched.hasFocus()

    def paintEvent(self, event) -> None:  # noqa: N802 - Qt API
        if not self.showing_focus():
            return
        painter = QPainter(self)
        pen = QPen(self.palette().color(QPalette.ColorRole.Highlight), RING)
        painter.setPen(pen)
        painter.drawRect(self.rect().adjusted(1, 1, -1, -1))
        painter.end()
