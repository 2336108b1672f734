"""HoverReadout: the map's line of text about the area under the pointer, in a fixed space."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget


class HoverReadout(QLabel):
    """The hovered area's text in a fixed space: a long text is cut with "…" (the tooltip
    has it whole), so hovering never widens the map's pane or moves anything."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.full_text = ""

    def set_readout(self, text: str) -> None:
        self.full_text = text
        self.setToolTip(text)
        self._elide()

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt override)
        super().resizeEvent(event)
        self._elide()

    def _elide(self) -> None:
        self.setText(self.fontMetrics().elidedText(self.full_text or " ",
                                                   Qt.TextElideMode.ElideRight, self.width()))
