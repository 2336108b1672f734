"""ComparisonBar: the confidence level (95% or 99.8%) and the benchmark (the county, the rest
of the county, or each cluster's similar clusters) that decide better and worse, as two small
combo boxes for the toolbar.

Writes to the session's setter; the session's choice comes back inside QSignalBlocker.
"""

from __future__ import annotations

from PySide6.QtCore import QSignalBlocker
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QWidget

from desktop.core.stats.comparison import COUNTY, LEVELS, REST, SIMILAR, level_text
from desktop.gui.session import Session

LEVEL_TIP = ("Confidence level that decides \"better\" and \"worse\": 95% (as Fingertips by "
             "default) or the stricter 99.8%, which flags fewer differences by chance")
AGAINST_LABELS = {COUNTY: "vs county", REST: "vs rest of county",
                  SIMILAR: "vs similar clusters"}
AGAINST_TIP = ("Compare each cluster with the whole county (as Fingertips), with the rest "
               "of the county without the cluster by a two-sample test (fairer for a large "
               "cluster, which is much of the county it is compared with), or with its similar "
               "clusters taken together, to compare like with like (the Similar clusters chart "
               "shows and sets them)")


class ComparisonBar(QWidget):
    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.level_combo = QComboBox()
        for level in LEVELS:
            self.level_combo.addItem(level_text(level), level)
        self.level_combo.setAccessibleName("Confidence level")
        self.level_combo.setToolTip(LEVEL_TIP)
        self.against_combo = QComboBox()
        for key, label in AGAINST_LABELS.items():
            self.against_combo.addItem(label, key)
        self.against_combo.setAccessibleName("Compare clusters with")
        self.against_combo.setToolTip(AGAINST_TIP)
        label = QLabel("Si&gnificance")
        label.setBuddy(self.level_combo)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        for widget in (label, self.level_combo, self.against_combo):
            layout.addWidget(widget)
        self.level_combo.currentIndexChanged.connect(self._chosen)
        self.against_combo.currentIndexChanged.connect(self._chosen)
        for signal in (session.comparison_changed, session.bundle_opened,
                       session.neighbours_changed):
            signal.connect(self._sync)
        self._sync()

    def _sync(self) -> None:
        """Model -> widgets; similar clusters are offered when the bundle's can be found."""
        similar = self.session.bundle is not None and self.session.similar() is not None
        item = self.against_combo.model().item(self.against_combo.findData(SIMILAR))
        item.setEnabled(similar)
        item.setToolTip("" if similar else "This bundle names no context (deprivation, "
                        "population, rurality) to find similar clusters by")
        comparison = self.session.comparison
        for combo, value in ((self.level_combo, comparison.level),
                             (self.against_combo, comparison.against)):
            with QSignalBlocker(combo):
                combo.setCurrentIndex(combo.findData(value))

    def _chosen(self, *_args) -> None:
        """Widgets -> model."""
        self.session.set_comparison(self.level_combo.currentData(),
                                    self.against_combo.currentData())
