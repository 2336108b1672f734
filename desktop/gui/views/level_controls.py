"""LevelControls: what the map colours (small areas or clusters) and how many periods are
pooled, for the toolbar beside the period.

The map level goes straight to the session. Pooling needs statistics computed first, so the
widget asks for it (`pool_requested`) and the glue (view_sync) computes it off the GUI thread
and hands it to the session; the combo follows the session again once it has.
"""

from __future__ import annotations

from PySide6.QtCore import QSignalBlocker, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QWidget

from desktop.core.model import MAP_AREAS, MAP_CLUSTERS
from desktop.core.stats.pooling import PUBLISHED_POOL
from desktop.gui.session import Session
from desktop.gui.views.labels import buddy_label

LEVEL_LABELS = {MAP_AREAS: "Small areas", MAP_CLUSTERS: "Clusters"}
LEVEL_TIP = ("Colour the small areas (LSOAs), or whole clusters when most small areas are "
             "suppressed or zero")
POOL_TIP = ("Combine each indicator's latest periods, as Fingertips pools small numbers: "
            "counts and denominators are summed over the periods before values, intervals, "
            "comparisons and suppression, so fewer areas are hidden")


def pool_label(n: int) -> str:
    return "Single periods" if n == 1 else f"Latest {n} combined"


class LevelControls(QWidget):
    pool_requested = Signal(int)  # periods to pool (1: single periods)

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.level_combo = QComboBox()
        self.level_combo.setAccessibleName("Map level")
        self.level_combo.setToolTip(LEVEL_TIP)
        for level, label in LEVEL_LABELS.items():
            self.level_combo.addItem(label, level)
        self.pool_combo = QComboBox()
        self.pool_combo.setAccessibleName("Pool periods")
        self.pool_combo.setToolTip(POOL_TIP)
        for n in (1, PUBLISHED_POOL):
            self.pool_combo.addItem(pool_label(n), n)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        for text, combo in (("&Map", self.level_combo), ("P&ool", self.pool_combo)):
            layout.addWidget(buddy_label(text, combo))
            layout.addWidget(combo)

        self.level_combo.activated.connect(
            lambda i: session.set_map_level(self.level_combo.itemData(i)))
        self.pool_combo.activated.connect(
            lambda i: self.pool_requested.emit(self.pool_combo.itemData(i)))
        for signal in (session.bundle_opened, session.bundle_closed, session.pool_changed,
                       session.map_level_changed):
            signal.connect(self.sync)
        self.sync()

    def sync(self, *_args) -> None:
        """Model -> widgets."""
        s = self.session
        with QSignalBlocker(self.level_combo):
            self.level_combo.setCurrentIndex(self.level_combo.findData(s.map_level))
        with QSignalBlocker(self.pool_combo):
            self.pool_combo.setCurrentIndex(self.pool_combo.findData(s.pool))
        self.set_busy(False)

    def set_busy(self, busy: bool) -> None:
        """While pooled statistics are computed the choice waits; without a bundle, none."""
        self.pool_combo.setEnabled(self.session.is_open and not busy)
        self.level_combo.setEnabled(self.session.is_open)
