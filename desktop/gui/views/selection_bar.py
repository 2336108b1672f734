"""The toolbar of choices: cluster, basis, indicator, period and how the map is classified.

The bar is a strip of labelled groups in a FlowLayout, not a QToolBar: when the window is too
narrow for one row (1366x768, or 1920x1080 at 150%) the groups wrap onto a second row instead
of hiding behind an overflow menu. The window assembles the groups in reading order with
`add_group`, one line each (desktop.gui.main_window.MainWindow._make_toolbar).

Each widget writes to the session through its setters; session changes come back into the
widgets inside QSignalBlocker so nothing echoes.
"""

from __future__ import annotations

from PySide6.QtCore import QSignalBlocker, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QFrame,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QSpinBox,
    QWidget,
)

from desktop.core.maps.classify import SCHEMES
from desktop.core.model import BASIS_RESIDENCE, BASIS_SCHOOL
from desktop.core.plotting.palettes import PALETTES, palette_label
from desktop.core.stats.profile import has_school_basis, indicators_for_basis
from desktop.gui.flow_layout import FlowLayout
from desktop.gui.session import Session

SCHEME_LABELS = {
    "quantiles": "Quantiles",
    "equal_interval": "Equal intervals",
    "natural_breaks": "Natural breaks (Jenks)",
    "significance": "Significance vs county",
}
BASIS_LABELS = {BASIS_RESIDENCE: "Where pupils live", BASIS_SCHOOL: "Where pupils go to school"}
BASIS_TIP = ("Count pupils in the area where they live or where their school stands (for "
             "indicators the bundle carries both ways)")


def _combo(name: str, minimum_chars: int = 0) -> QComboBox:
    combo = QComboBox()
    combo.setAccessibleName(name)
    combo.setToolTip(name)
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
    if minimum_chars:
        combo.setMinimumContentsLength(minimum_chars)
        combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    return combo


INDICATOR_CHARS = 34  # the indicator box's width in characters; it grows on wide screens
INDICATOR_MAX_CHARS = 100  # average characters: wider, the box would show empty space


class SelectionBar(QFrame):
    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("selection_bar")
        self.setAccessibleName("Selection")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.flow = FlowLayout(self)
        self.flow.setContentsMargins(6, 4, 6, 4)
        self.groups: list[QWidget] = []
        self.session = session
        self.cluster_combo = _combo("Cluster", 12)
        self.basis_combo = _combo("Basis")
        for key, label in BASIS_LABELS.items():
            self.basis_combo.addItem(label, key)
        self.basis_combo.setToolTip(BASIS_TIP)
        self.indicator_combo = _combo("Indicator", INDICATOR_CHARS)
        self.indicator_combo.setEditable(True)
        self.indicator_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.indicator_combo.lineEdit().setAccessibleName("Indicator")
        completer = self.indicator_combo.completer()
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.period_combo = _combo("Period", 8)
        self.scheme_combo = _combo("Classification")
        for key in SCHEMES:
            self.scheme_combo.addItem(SCHEME_LABELS.get(key, key), key)
        self.classes_spin = QSpinBox()
        self.classes_spin.setRange(3, 9)
        self.classes_spin.setAccessibleName("Number of classes")
        self.classes_spin.setToolTip("Number of classes")
        self.palette_combo = _combo("Palette")
        for name in PALETTES:
            self.palette_combo.addItem(palette_label(name), name)


        self.cluster_combo.activated.connect(
            lambda i: session.set_cluster(self.cluster_combo.itemData(i)))
        self.basis_combo.activated.connect(
            lambda i: session.set_basis(self.basis_combo.itemData(i)))
        self.indicator_combo.activated.connect(self._indicator_chosen)
        self.period_combo.activated.connect(
            lambda i: session.set_period(self.period_combo.itemData(i)))
        self.scheme_combo.activated.connect(
            lambda i: session.set_classification(scheme=self.scheme_combo.itemData(i)))
        self.classes_spin.valueChanged.connect(
            lambda k: session.set_classification(classes=k))
        self.palette_combo.activated.connect(
            lambda i: session.set_classification(palette=self.palette_combo.itemData(i)))

        session.bundle_opened.connect(self.fill)
        session.bundle_closed.connect(self.clear)
        session.cluster_changed.connect(self.sync)
        session.indicator_changed.connect(self.sync)
        session.period_changed.connect(self.sync)
        session.classification_changed.connect(self.sync)
        session.basis_changed.connect(self._fill_indicators)
        self.clear()

    def add_group(self, label: str | None, *widgets: QWidget, expanding: bool = False) -> QWidget:
        """Add a labelled group of controls at the end of the bar (`label` with a mnemonic,
        its buddy the first widget). An `expanding` group takes the room a row has left."""
        group = QWidget(self)
        layout = QHBoxLayout(group)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        if label:
            caption = QLabel(label, group)
            caption.setBuddy(widgets[0])
            layout.addWidget(caption)
        for widget in widgets:
            layout.addWidget(widget, 1 if expanding else 0)
        if expanding:
            group.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            group.setMaximumWidth(INDICATOR_MAX_CHARS * group.fontMetrics().averageCharWidth())
        self.flow.addWidget(group)
        self.groups.append(group)
        return group

    def _indicator_chosen(self, index: int) -> None:
        indicator_id = self.indicator_combo.itemData(index)
        if indicator_id:
            self.session.set_indicator(indicator_id)

    def clear(self) -> None:
        for combo in (self.cluster_combo, self.indicator_combo, self.period_combo):
            with QSignalBlocker(combo):
                combo.clear()
        for widget in (self.cluster_combo, self.basis_combo, self.indicator_combo,
                       self.period_combo, self.scheme_combo, self.classes_spin,
                       self.palette_combo):
            widget.setEnabled(False)

    def fill(self) -> None:
        bundle = self.session.bundle
        assert bundle is not None
        with QSignalBlocker(self.cluster_combo):
            self.cluster_combo.clear()
            for name in bundle.cluster_names:
                self.cluster_combo.addItem(name, name)
        for widget in (self.cluster_combo, self.indicator_combo, self.period_combo,
                       self.scheme_combo, self.classes_spin, self.palette_combo):
            widget.setEnabled(True)
        self.basis_combo.setEnabled(has_school_basis(bundle))
        self._fill_indicators()

    def _fill_indicators(self, *_args) -> None:
        """The indicators shown on the session's basis (each pupil indicator once)."""
        s = self.session
        if s.bundle is None:
            return
        with QSignalBlocker(self.indicator_combo):
            self.indicator_combo.clear()
            for ind in indicators_for_basis(s.bundle, s.basis):
                self.indicator_combo.addItem(f"{ind.title}  [{ind.theme}]", ind.id)
        self.sync()

    def sync(self, *_args) -> None:
        s = self.session
        if s.bundle is None:
            return
        with QSignalBlocker(self.cluster_combo):
            self.cluster_combo.setCurrentIndex(self.cluster_combo.findData(s.cluster))
        with QSignalBlocker(self.basis_combo):
            self.basis_combo.setCurrentIndex(self.basis_combo.findData(s.basis))
        with QSignalBlocker(self.indicator_combo):
            self.indicator_combo.setCurrentIndex(self.indicator_combo.findData(s.indicator_id))
            self.indicator_combo.lineEdit().setCursorPosition(0)  # show the title's start
            self.indicator_combo.setToolTip(self.indicator_combo.currentText())  # all of it
        with QSignalBlocker(self.period_combo):
            self.period_combo.clear()
            for period in s.indicator.periods:
                self.period_combo.addItem(period, period)
            self.period_combo.setCurrentIndex(self.period_combo.findData(s.period))
        with QSignalBlocker(self.scheme_combo):
            self.scheme_combo.setCurrentIndex(self.scheme_combo.findData(s.scheme))
        with QSignalBlocker(self.classes_spin):
            self.classes_spin.setValue(s.classes)
        with QSignalBlocker(self.palette_combo):
            self.palette_combo.setCurrentIndex(self.palette_combo.findData(s.palette))
