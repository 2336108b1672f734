"""PeriodSlider: step the chosen indicator's periods with a slider (mouse or Left/Right/Home/
End), writing to the session; the map only recolours on each step (ViewSync). It sits beside
the toolbar's period box, which names the period chosen; its tooltip names it too."""

from __future__ import annotations

from PySide6.QtCore import QSignalBlocker, Qt
from PySide6.QtWidgets import QHBoxLayout, QSlider, QWidget

from desktop.gui.session import Session


class PeriodSlider(QWidget):
    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.periods: tuple[str, ...] = ()
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setAccessibleName("Step through the periods")
        self.slider.setTickPosition(QSlider.TickPosition.TicksBelow)
        self.slider.setPageStep(1)
        self.slider.setFixedWidth(120)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 0, 4, 0)
        layout.addWidget(self.slider)
        self.slider.valueChanged.connect(self._moved)
        for signal in (session.bundle_opened, session.indicator_changed, session.period_changed):
            signal.connect(self._sync)
        session.bundle_closed.connect(self._sync)
        self._sync()

    def _sync(self, *_args) -> None:
        """Model -> widget: the indicator's periods and the chosen one."""
        s = self.session
        self.periods = s.indicator.periods if s.is_open and s.indicator_id else ()
        with QSignalBlocker(self.slider):
            self.slider.setRange(0, max(len(self.periods) - 1, 0))
            if s.period in self.periods:
                self.slider.setValue(self.periods.index(s.period))
        self.slider.setEnabled(len(self.periods) > 1)
        shown = f"{s.period}: " if self.periods else ""
        self.slider.setToolTip(f"{shown}step through the periods (Left/Right, Home/End)")

    def _moved(self, position: int) -> None:
        """Widget -> model."""
        if 0 <= position < len(self.periods):
            self.session.set_period(self.periods[position])
