"""The row of options under the chart tabs, shown for the chart that uses them: the two-indicator
scatter's second indicator and whether it plots clusters or small areas; the similar clusters'
number and the context indicators that find them. The row wraps (a FlowLayout) when large text
makes it wider than the chart's pane; the chart view adds its table switch at the end.

The scatter's choices belong to the chart view (`options_changed`); the similar clusters'
belong to the session, since comparisons use them too, so a change is asked for
(`neighbours_requested`) and comes back through `set_neighbours` inside QSignalBlocker.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QSignalBlocker, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QHBoxLayout,
    QLabel,
    QMenu,
    QSpinBox,
    QToolButton,
    QWidget,
)

from desktop.core.charts.options import ChartOptions
from desktop.core.model import MAP_AREAS, MAP_CLUSTERS, Indicator
from desktop.core.stats.neighbours import NeighbourSpec
from desktop.gui.flow_layout import FlowLayout

VERSUS_CHARS = 30


def labelled(text: str, widget: QWidget) -> QWidget:
    """A caption with a mnemonic and its control, kept together on one row."""
    group = QWidget()
    layout = QHBoxLayout(group)
    layout.setContentsMargins(0, 0, 0, 0)
    caption = QLabel(text)
    caption.setBuddy(widget)
    layout.addWidget(caption)
    layout.addWidget(widget)
    return group


class ChartOptionsBar(QWidget):
    options_changed = Signal()
    neighbours_requested = Signal(object)  # a NeighbourSpec

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._spec: NeighbourSpec | None = None
        self.versus_combo = QComboBox()
        self.versus_combo.setAccessibleName("Second indicator")
        self.versus_combo.setToolTip("The indicator across the bottom of the scatter")
        self.versus_combo.setEditable(True)
        self.versus_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.versus_combo.setMinimumContentsLength(VERSUS_CHARS)
        self.versus_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        completer = self.versus_combo.completer()
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.areas_check = QCheckBox("Small &areas")
        self.areas_check.setToolTip("Plot every small area (LSOA) instead of the clusters")
        self.count_spin = QSpinBox()
        self.count_spin.setAccessibleName("Number of similar clusters")
        self.count_spin.setToolTip("How many similar clusters each cluster is compared with")
        self.context_button = QToolButton()
        self.context_button.setText("Conte&xt")
        self.context_button.setToolTip("The indicators that decide which clusters are alike "
                                       "(deprivation, population, rurality...)")
        self.context_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.context_menu = QMenu(self)
        self.context_button.setMenu(self.context_menu)
        self.scatter_widgets = (labelled("Ag&ainst", self.versus_combo), self.areas_check)
        self.neighbour_widgets = (labelled("Si&milar clusters", self.count_spin),
                                  self.context_button)
        self.flow = FlowLayout(self)
        self.flow.setContentsMargins(4, 0, 4, 0)
        for widget in (*self.scatter_widgets, *self.neighbour_widgets):
            self.flow.addWidget(widget)
        self.versus_combo.currentIndexChanged.connect(lambda *_: self.options_changed.emit())
        self.areas_check.toggled.connect(lambda *_: self.options_changed.emit())
        self.count_spin.valueChanged.connect(self._ask)
        self.set_kind("")

    def add_trailing(self, widget: QWidget) -> None:
        """Put `widget` after the options, on their row while there is room."""
        self.flow.addWidget(widget)

    def set_kind(self, kind: str) -> None:
        """Show the options of the chart `kind` (none for the other charts)."""
        for widget in self.scatter_widgets:
            widget.setVisible(kind == "scatter")
        for widget in self.neighbour_widgets:
            widget.setVisible(kind == "neighbours")

    def set_indicators(self, indicators: Sequence[Indicator], versus: str | None,
                       clusters: int) -> None:
        """The bundle's indicators (offered as the second indicator and as context) and its
        number of clusters; `versus` is chosen."""
        with QSignalBlocker(self.versus_combo):
            self.versus_combo.clear()
            for indicator in indicators:
                self.versus_combo.addItem(indicator.title, indicator.id)
            self.versus_combo.setCurrentIndex(max(self.versus_combo.findData(versus), 0))
        with QSignalBlocker(self.count_spin):
            self.count_spin.setRange(1, max(clusters - 1, 1))
        self.context_menu.clear()
        themes: dict[str, QMenu] = {}
        for indicator in indicators:
            if indicator.theme not in themes:
                themes[indicator.theme] = self.context_menu.addMenu(indicator.theme)
            action = themes[indicator.theme].addAction(indicator.title)
            action.setCheckable(True)
            action.setData(indicator.id)
            action.toggled.connect(self._ask)

    def set_neighbours(self, spec: NeighbourSpec | None) -> None:
        """Show the session's similar-clusters context (model -> widgets)."""
        self._spec = spec
        chosen = set(spec.indicators) if spec is not None else set()
        with QSignalBlocker(self.count_spin):
            self.count_spin.setValue(spec.count if spec is not None else 1)
        for action in self.context_actions():
            with QSignalBlocker(action):
                action.setChecked(action.data() in chosen)
        self.context_button.setToolTip("Similar clusters are found by: " + (
            ", ".join(a.text() for a in self.context_actions() if a.isChecked()) or "nothing"))

    def options(self, neighbours: NeighbourSpec | None, single=None) -> ChartOptions:
        """The chart options chosen here, with the session's similar-clusters context and
        (with pooled periods) the single periods."""
        return ChartOptions(versus=self.versus_combo.currentData(),
                            scatter_level=MAP_AREAS if self.areas_check.isChecked()
                            else MAP_CLUSTERS, neighbours=neighbours, single=single)

    def context_actions(self) -> list[QAction]:
        """The context menu's indicators, in the bundle's order."""
        return [action for menu in self.context_menu.findChildren(QMenu)
                for action in menu.actions()]

    def _ask(self, *_args) -> None:
        """Widgets -> the session: the context ticked (those chosen before keep their order
        and weights) and the count."""
        ticked = [a.data() for a in self.context_actions() if a.isChecked()]
        before = self._spec.indicators if self._spec is not None else ()
        chosen = (*(i for i in before if i in ticked), *(i for i in ticked if i not in before))
        weights = self._spec.weights if self._spec and chosen == before else ()
        self.neighbours_requested.emit(NeighbourSpec(chosen, self.count_spin.value(), weights))
