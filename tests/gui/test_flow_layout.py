"""FlowLayout wraps widgets onto new rows instead of hiding any, and lets one grow."""

from __future__ import annotations

from PySide6.QtCore import QRect
from PySide6.QtWidgets import QLabel, QPushButton, QSizePolicy, QWidget

from desktop.gui.flow_layout import FlowLayout


def strip(qtbot, n: int = 8, *more: QWidget) -> tuple[QWidget, FlowLayout, list[QPushButton]]:
    host = QWidget()
    qtbot.addWidget(host)
    flow = FlowLayout(host)
    buttons = [QPushButton(f"Control number {i}") for i in range(n)]
    for widget in (*buttons, *more):
        flow.addWidget(widget)
    host.show()
    return host, flow, buttons


def lay_out(flow: FlowLayout, width: int) -> QRect:
    """Lay the widgets out in a strip `width` wide, as tall as the layout asks."""
    area = QRect(0, 0, width, flow.heightForWidth(width))
    flow.setGeometry(area)
    return area


def test_narrower_means_more_rows_never_a_hidden_widget(qtbot):
    _host, flow, buttons = strip(qtbot)
    one_row, narrowest = flow.sizeHint().width(), flow.minimumSize().width()
    rows = []
    for width in (one_row, one_row // 2, one_row // 4, narrowest):
        area = lay_out(flow, width)
        rows.append(len(flow.rows(width)))
        assert all(area.contains(b.geometry()) for b in buttons)  # every one placed in view
        assert sum(len(r) for r in flow.rows(width)) == len(buttons)
    assert rows[0] == 1 and rows == sorted(rows) and rows[-1] == len(buttons)
    assert flow.heightForWidth(narrowest) > flow.heightForWidth(one_row)


def test_an_expanding_widget_takes_the_room_left_in_its_row(qtbot):
    wide = QLabel("grows")
    wide.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
    wide.setMaximumWidth(400)
    _host, flow, buttons = strip(qtbot, 2, wide)
    lay_out(flow, flow.sizeHint().width() + 150)
    assert wide.width() == wide.sizeHint().width() + 150  # all the room left in the row
    assert [b.width() for b in buttons] == [b.sizeHint().width() for b in buttons]
    lay_out(flow, flow.sizeHint().width() + 2000)
    assert wide.width() == 400  # up to its maximum
