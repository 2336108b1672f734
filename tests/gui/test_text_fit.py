"""The measure behind the 200% text tests (tests/gui/text_fit.py): it must see a cut text as
cut, a text cut on purpose with its tooltip as elided, and a text with room as fitting."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTabBar,
    QVBoxLayout,
    QWidget,
)

from tests.gui.text_fit import Measure

LONG = "Children aged 0-15 as a share of the population"


def measured(qtbot, *widgets, width: int | None = None) -> Measure:
    box = QWidget()
    layout = QVBoxLayout(box)
    for widget in widgets:
        if width is not None:
            widget.setFixedWidth(width)
        layout.addWidget(widget)
    qtbot.addWidget(box)
    box.show()
    qtbot.waitExposed(box)
    measure = Measure()
    measure.window(box)
    return measure


def controls() -> list[QWidget]:
    combo = QComboBox()
    combo.addItem(LONG)
    edit = QLineEdit()
    edit.setPlaceholderText(LONG)
    tabs = QTabBar()
    tabs.setElideMode(Qt.TextElideMode.ElideRight)
    tabs.setUsesScrollButtons(False)
    tabs.addTab(LONG)
    return [QLabel(LONG), QPushButton(LONG), combo, edit, tabs]


def test_texts_with_room_fit(qtbot):
    measure = measured(qtbot, *controls())
    assert measure.checked == 5
    assert measure.clipped == [] and measure.elided == []


def test_every_kind_of_squeezed_text_is_clipped(qtbot):
    measure = measured(qtbot, *controls(), width=60)
    kinds = sorted(e["widget"].split(":")[0] for e in measure.clipped)
    assert kinds == ["QComboBox", "QLabel", "QLineEdit", "QPushButton", "QTabBar"]
    assert all(e["need"][0] > e["room"][0] for e in measure.clipped)


def test_a_text_cut_on_purpose_is_elided_when_its_tooltip_holds_it_whole(qtbot):
    whole, cut = QLabel(LONG), QLabel(LONG)
    whole.setToolTip(LONG)
    row = QWidget()
    layout = QHBoxLayout(row)
    for label in (whole, cut):
        label.setFixedWidth(60)
        layout.addWidget(label)
    measure = measured(qtbot, row)
    assert len(measure.elided) == 1 and len(measure.clipped) == 1
    assert measure.elided[0]["text"] == measure.clipped[0]["text"] == LONG
