"""Room for large text: sizes counted in characters and lines, never in pixels.

An officer with low vision sets the system's text size to 200% (on Windows, Settings >
Accessibility > Text size): Qt then starts with an application font twice the size while the
style's margins and scroll bars keep theirs. What is measured here grows with the font, so
dialogs, line edits and pages make room for the text instead of cutting it.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtGui import QFontMetricsF
from PySide6.QtWidgets import (
    QLineEdit,
    QScrollArea,
    QStyle,
    QStyleOptionFrame,
    QVBoxLayout,
    QWidget,
)

LINE_EDIT_MARGIN = 2  # pixels QLineEdit keeps each side of its text (its horizontalMargin)
SCREEN_SHARE = 0.9  # of the screen's available width and height a dialog may take at most


def text_size(widget: QWidget, columns: int, lines: int) -> QSize:
    """A size of `columns` average characters by `lines` lines of `widget`'s font, no larger
    than most of its screen: a dialog's first size, at any text size."""
    metrics = widget.fontMetrics()
    size = QSize(columns * metrics.averageCharWidth(), lines * metrics.lineSpacing())
    screen = widget.screen()
    if screen is None:
        return size
    room = screen.availableGeometry().size()
    return size.boundedTo(QSize(int(room.width() * SCREEN_SHARE),
                                int(room.height() * SCREEN_SHARE)))


class PlaceholderEdit(QLineEdit):
    """A line edit at least wide enough for its whole placeholder text (QLineEdit's own size
    hint is about 17 "x" wide whatever the hint says, so large text cut it short)."""

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt API
        hint = super().sizeHint()
        option = QStyleOptionFrame()
        self.initStyleOption(option)
        option.rect = QRect(QPoint(0, 0), hint)
        contents = self.style().subElementRect(QStyle.SubElement.SE_LineEditContents, option,
                                               self)
        margins = self.textMargins()
        room = contents.width() - margins.left() - margins.right() - 2 * LINE_EDIT_MARGIN
        text = QFontMetricsF(self.font()).horizontalAdvance(self.placeholderText())
        missing = math.ceil(text) - room  # the exact width: elidedText cuts a fraction over
        return QSize(hint.width() + max(missing, 0), hint.height())

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt API
        return QSize(self.sizeHint().width(), super().minimumSizeHint().height())


def scrolling(widget: QWidget, name: str) -> QScrollArea:
    """`widget` in a frameless area that scrolls up and down when large text makes it taller
    than the room it is given, instead of squeezing its lines into each other; `name` is the
    area's accessible name."""
    area = QScrollArea()
    area.setAccessibleName(name)
    area.setWidget(widget)
    area.setWidgetResizable(True)
    area.setFrameShape(QScrollArea.Shape.NoFrame)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    return area


def scrolling_page(owner: QWidget, name: str) -> QScrollArea:
    """A scrolling area filling `owner`, its page (`.widget()`) empty for `owner`'s content:
    a tab whose text grows taller than the tab scrolls instead of squeezing."""
    area = scrolling(QWidget(), name)
    layout = QVBoxLayout(owner)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(area)
    return area
