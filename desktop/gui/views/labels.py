"""Labels made alike across the views: toolbar captions, and notes set apart from the text
around them in the colours of the system's theme (its tooltip colours), never fixed ones."""

from __future__ import annotations

from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QFrame, QLabel, QWidget


def buddy_label(text: str, widget: QWidget) -> QLabel:
    """A label with a mnemonic ("Pe&riod") that moves the focus to `widget`, spaced to sit
    before it in a row of controls."""
    label = QLabel(text)
    label.setBuddy(widget)
    label.setContentsMargins(8, 0, 4, 0)
    return label


def note_label(parent: QWidget | None = None, framed: bool = False) -> QLabel:
    """A wrapped note on the theme's tooltip background (pale yellow in a light theme, what
    the theme chooses in a dark or high-contrast one), framed for a caution."""
    label = QLabel(parent)
    label.setWordWrap(True)
    label.setAutoFillBackground(True)
    label.setBackgroundRole(QPalette.ColorRole.ToolTipBase)
    label.setForegroundRole(QPalette.ColorRole.ToolTipText)
    label.setMargin(4)
    if framed:
        label.setFrameShape(QFrame.Shape.Box)
    return label
