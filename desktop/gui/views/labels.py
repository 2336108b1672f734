"""Labels of toolbar controls, made alike for every view that puts controls in the toolbar."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QWidget


def buddy_label(text: str, widget: QWidget) -> QLabel:
    """A label with a mnemonic ("Pe&riod") that moves the focus to `widget`, spaced to sit
    before it in a row of controls."""
    label = QLabel(text)
    label.setBuddy(widget)
    label.setContentsMargins(8, 0, 4, 0)
    return label
