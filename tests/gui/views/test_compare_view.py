"""CompareView: the tartan rug's symbols, colours, headers and its cell_selected signal."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from desktop.gui import colours
from desktop.gui.views.compare_view import CompareView
from tests.gui.profile_fixtures import CLUSTERS, make_tartan


@pytest.fixture
def view(qtbot):
    widget = CompareView()
    qtbot.addWidget(widget)
    tartan, indicators = make_tartan()
    widget.set_tartan(tartan, indicators, "Bromsgrove", "ks2_rwm")
    widget.resize(900, 600)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def test_shape_and_headers(view):
    model = view.model
    assert (model.rowCount(), model.columnCount()) == (18, 12)
    assert [model.headerData(c, Qt.Orientation.Horizontal) for c in range(12)] == list(CLUSTERS)
    assert model.headerData(0, Qt.Orientation.Vertical) == "Children and young people aged 0-19"
    assert "Population" in model.headerData(0, Qt.Orientation.Vertical,
                                            Qt.ItemDataRole.ToolTipRole)


def test_cells_have_symbol_colour_and_word(view):
    index = view.model.index_of("Bromsgrove", "ks2_rwm")
    assert index.data() == "W"
    assert index.data(Qt.ItemDataRole.BackgroundRole).color() == QColor(
        colours.SIGNIFICANCE_HEX["worse"])
    assert index.data(Qt.ItemDataRole.ToolTipRole).endswith(": Worse 95%")
    missing = view.model.index_of("Tenbury", "u18_conc")
    assert missing.data() == "[z]"
    assert missing.data(Qt.ItemDataRole.ToolTipRole).endswith(": Not compared")


def test_current_cluster_and_indicator_marked_without_emitting(view, qtbot):
    bold = view.model.headerData(0, Qt.Orientation.Horizontal, Qt.ItemDataRole.FontRole)
    assert bold is not None and bold.bold()
    assert view.model.headerData(1, Qt.Orientation.Horizontal, Qt.ItemDataRole.FontRole) is None
    assert view.table.currentIndex() == view.model.index_of("Bromsgrove", "ks2_rwm")
    with qtbot.assertNotEmitted(view.cell_selected):
        view.set_current("Malvern", "cin")
    assert view.table.currentIndex() == view.model.index_of("Malvern", "cin")


def test_click_emits_cluster_and_indicator(view, qtbot):
    rect = view.table.visualRect(view.model.index_of("Evesham", "absence"))
    with qtbot.waitSignal(view.cell_selected) as blocker:
        qtbot.mouseClick(view.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert blocker.args == ["Evesham", "absence"]


def test_click_on_the_current_but_unselected_cell_emits(view, qtbot):
    view.set_current("Droitwich", "pop_0_19")
    view.table.selectionModel().clearSelection()
    rect = view.table.visualRect(view.model.index_of("Droitwich", "pop_0_19"))
    with qtbot.waitSignal(view.cell_selected) as blocker:
        qtbot.mouseClick(view.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert blocker.args == ["Droitwich", "pop_0_19"]


def test_legend_names_every_category(view):
    text = view.legend.text()
    for word in ("Better 95%", "Similar", "Worse 95%", "Higher 95%", "Lower 95%",
                 "Not compared"):
        assert word in text
    assert text.startswith("Compared with the county at 95% confidence")


def test_legend_and_cells_follow_the_comparison(view):
    from desktop.core.stats.comparison import Comparison

    view.set_comparison(Comparison(99.8, "rest"))
    text = view.legend.text()
    assert text.startswith("Compared with the rest of the county at 99.8% confidence")
    assert "Worse 99.8%" in text and "95%" not in text
    index = view.model.index_of("Bromsgrove", "ks2_rwm")
    assert index.data(Qt.ItemDataRole.ToolTipRole).endswith(": Worse 99.8%")


def test_upright_header_fits_names(view):
    header = view.table.horizontalHeader()
    name_width = header.fontMetrics().horizontalAdvance("Redditch South")
    assert header.height() >= name_width
    assert header.sectionSize(0) < name_width  # narrow columns: the names run upright


def test_screenshot(view):
    assert view.grab().save("/tmp/compare_view.png")


def test_clear_empties_the_rug(view):
    view.clear()
    assert (view.model.rowCount(), view.model.columnCount()) == (0, 0)
