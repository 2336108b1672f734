"""ProfileView: texts, colours, sorting, search, selection both ways, and the spine cells."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt
from PySide6.QtGui import QColor, QPalette

from desktop.gui import colours
from desktop.gui.views.profile_model import (
    COL_SIGNIFICANCE,
    COL_SPINE,
    COL_VALUE,
    COLUMNS,
    INDICATOR_ID_ROLE,
)
from desktop.gui.views.profile_view import ProfileView
from tests.gui.profile_fixtures import make_large_profile, make_profile

DISPLAY = Qt.ItemDataRole.DisplayRole


@pytest.fixture
def view(qtbot):
    widget = ProfileView()
    qtbot.addWidget(widget)
    widget.set_profile(make_profile(), "Bromsgrove")
    widget.resize(900, 600)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def rows_in_view(view: ProfileView) -> list[tuple[str, ...]]:
    """Every visible indicator row, top to bottom, as (id, text of each column)."""
    proxy, out = view.proxy, []
    for t in range(proxy.rowCount()):
        theme = proxy.index(t, 0)
        for r in range(proxy.rowCount(theme)):
            cells = [proxy.index(r, c, theme) for c in range(len(COLUMNS))]
            out.append((cells[0].data(INDICATOR_ID_ROLE),) + tuple(i.data(DISPLAY) for i in cells))
    return out


def cell(view: ProfileView, indicator_id: str, column: int) -> QModelIndex:
    source = view.model.index_for_indicator(indicator_id)
    return view.proxy.mapFromSource(source.siblingAtColumn(column))


def test_rows_grouped_by_theme_with_headers(view):
    assert view.model.indicator_count() == 18
    assert view.model.rowCount() == 7  # theme rows
    assert view.proxy.index(0, 0).data(DISPLAY) == "Population  (2)"
    headers = [view.model.headerData(c, Qt.Orientation.Horizontal) for c in range(len(COLUMNS))]
    assert headers == ["Indicator", "Period", "Count", "Value", "95% CI", "County", "Lowest",
                       "Highest", "Significance", "Trend", "Spine", "Over time"]
    assert view.title_label.text().startswith("Bromsgrove compared with the county (95% confidence)")


def test_display_texts_and_suppression(view):
    rows = {r[0]: r[1:] for r in rows_in_view(view)}
    title, period, count, value, ci, county, lowest, highest, sig, trend, *_ = rows["cin"]
    assert (title, period, count, value, ci, county) == (
        "Children in need †", "2022/23", "412", "289.9", "262.7 to 319.3", "231.4")
    assert (lowest, highest, sig, trend) == ("140.2", "402.6", "Worse", "↑")
    assert rows["pop_bme"][3] == "13.2%"
    suppressed = rows["u18_conc"]
    assert suppressed[2:5] == ("[c]", "[c]", "[c]")
    assert suppressed[5] == "16.4"  # the county is still shown
    assert "Confidential" in cell(view, "u18_conc", COL_VALUE).data(Qt.ItemDataRole.ToolTipRole)
    assert "synthetic" in cell(view, "cin", 0).data(Qt.ItemDataRole.ToolTipRole)
    assert rows["fsm"][0] == "Pupils eligible for free school meals"  # real data: no mark


@pytest.mark.parametrize("indicator_id, word", [
    ("cin", "worse"), ("breastfeed", "better"), ("obesity_y6", "similar"),
    ("pop_bme", "higher"), ("imd_score", "not compared")])
def test_significance_word_and_background(view, indicator_id, word):
    index = cell(view, indicator_id, COL_SIGNIFICANCE)
    assert index.data(DISPLAY) == word.capitalize()
    brush = index.data(Qt.ItemDataRole.BackgroundRole)
    assert brush.color() == QColor(colours.SIGNIFICANCE_HEX[word])
    assert colours.SIGNIFICANCE_HEX["worse"] != colours.SIGNIFICANCE_HEX["better"]


def test_sorting_by_value_is_numeric_within_themes(view):
    view.table.sortByColumn(COL_VALUE, Qt.SortOrder.AscendingOrder)
    ids = [r[0] for r in rows_in_view(view)]
    # Deprivation: 18.8 before 21.7; Enjoy and achieve: 3.7 < 12.9 < 54.6 < 69.9 (text would
    # put "12.9" before "3.7").
    assert ids.index("idaci") < ids.index("imd_score")
    enjoy = [i for i in ids if i in {"ks2_rwm", "gcse_eng_maths", "absence", "exclusions"}]
    assert enjoy == ["exclusions", "absence", "ks2_rwm", "gcse_eng_maths"]
    # Suppressed (no value) sorts last in its theme in either direction.
    healthy = [i for i in ids if i in {"obesity_y6", "u18_conc", "breastfeed"}]
    assert healthy == ["obesity_y6", "breastfeed", "u18_conc"]
    view.table.sortByColumn(COL_VALUE, Qt.SortOrder.DescendingOrder)
    ids = [r[0] for r in rows_in_view(view)]
    healthy = [i for i in ids if i in {"obesity_y6", "u18_conc", "breastfeed"}]
    assert healthy == ["breastfeed", "obesity_y6", "u18_conc"]
    themes = [view.proxy.index(t, 0).data(DISPLAY) for t in range(view.proxy.rowCount())]
    assert themes[0].startswith("Population")  # themes keep their order


def test_value_sort_orders_9_5_before_10_2(qtbot):
    profile = make_profile()
    profile.loc[profile["indicator_id"] == "idaci", "value"] = 10.2
    profile.loc[profile["indicator_id"] == "imd_score", "value"] = 9.5
    widget = ProfileView()
    qtbot.addWidget(widget)
    widget.set_profile(profile, "Bromsgrove")
    widget.table.sortByColumn(COL_VALUE, Qt.SortOrder.AscendingOrder)
    ids = [r[0] for r in rows_in_view(widget)]
    assert ids.index("imd_score") < ids.index("idaci")


def test_search_filters_as_you_type(qtbot):
    profile = make_large_profile(260)
    widget = ProfileView()
    qtbot.addWidget(widget)
    widget.set_profile(profile, "Bromsgrove")
    assert widget.count_label.text() == "260 of 260 indicators"

    def expected(needle: str) -> list[str]:
        text = profile["title"] + " " + profile["indicator_id"] + " " + profile["theme"]
        return sorted(profile.loc[text.str.lower().str.contains(needle), "indicator_id"])

    qtbot.keyClicks(widget.search, "NEED")  # case-insensitive, on the title
    assert widget.count_label.text() == "14 of 260 indicators"
    assert sorted(r[0] for r in rows_in_view(widget)) == expected("need")
    widget.search.clear()
    qtbot.keyClicks(widget.search, "enjoy")  # matches the theme
    assert sorted(r[0] for r in rows_in_view(widget)) == expected("enjoy")
    assert widget.count_label.text() == f"{len(expected('enjoy'))} of 260 indicators"
    widget.search.clear()
    qtbot.keyClicks(widget.search, "neet_016")  # matches the id
    assert [r[0] for r in rows_in_view(widget)] == ["neet_016"]
    qtbot.keyClicks(widget.search, "zz")
    assert widget.count_label.text() == "0 of 260 indicators"
    assert widget.proxy.rowCount() == 0  # theme rows vanish with their indicators


def test_theme_filter_and_search_combine(view, qtbot):
    view.theme_combo.setCurrentText("Stay safe")
    assert view.count_label.text() == "3 of 18 indicators"
    qtbot.keyClicks(view.search, "children")
    assert sorted(r[0] for r in rows_in_view(view)) == ["cin", "lac", "road_ksi"]
    view.search.setText("looked")
    assert [r[0] for r in rows_in_view(view)] == ["lac"]
    view.theme_combo.setCurrentIndex(0)
    assert view.count_label.text() == "1 of 18 indicators"


def test_click_and_keys_emit_indicator_selected(view, qtbot):
    rect = view.table.visualRect(cell(view, "idaci", 0))
    with qtbot.waitSignal(view.indicator_selected) as blocker:
        qtbot.mouseClick(view.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert blocker.args == ["idaci"]
    view.table.setFocus()
    # Down skips the "Be healthy" theme row to its first indicator.
    with qtbot.waitSignal(view.indicator_selected) as blocker:
        qtbot.keyClick(view.table, Qt.Key.Key_Down)
    assert blocker.args == ["obesity_y6"]
    assert view.current_indicator() == "obesity_y6"


def test_click_on_the_row_qt_made_current_emits(view, qtbot):
    first = cell(view, "pop_0_19", 0)
    view.table.selectionModel().setCurrentIndex(first, QItemSelectionModel.SelectionFlag.NoUpdate)
    rect = view.table.visualRect(first)
    with qtbot.waitSignal(view.indicator_selected) as blocker:
        qtbot.mouseClick(view.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert blocker.args == ["pop_0_19"]


def test_set_current_indicator_selects_without_emitting(view, qtbot):
    with qtbot.assertNotEmitted(view.indicator_selected):
        view.set_current_indicator("absence")
    selected = view.table.selectionModel().selectedRows()
    assert [i.data(INDICATOR_ID_ROLE) for i in selected] == ["absence"]


def test_set_profile_keeps_search_and_selection(view, qtbot):
    view.set_current_indicator("lac")
    qtbot.keyClicks(view.search, "after")
    other = make_profile()
    other.loc[other["indicator_id"] == "lac", "value"] = 75.0
    with qtbot.assertNotEmitted(view.indicator_selected):
        view.set_profile(other, "Malvern")
    assert view.search.text() == "after"
    assert view.count_label.text() == "1 of 18 indicators"
    assert [r[0] for r in rows_in_view(view)] == ["lac"]
    assert rows_in_view(view)[0][4] == "75.0"
    assert [i.data(INDICATOR_ID_ROLE) for i in view.table.selectionModel().selectedRows()] \
        == ["lac"]


def test_filtering_out_the_current_row_is_not_a_choice(view, qtbot):
    view.set_current_indicator("cin")
    with qtbot.assertNotEmitted(view.indicator_selected):
        qtbot.keyClicks(view.search, "absence")
        view.search.clear()
    assert view.current_indicator() == "cin"
    assert [i.data(INDICATOR_ID_ROLE) for i in view.table.selectionModel().selectedRows()] \
        == ["cin"]


def test_focus_search(view):
    view.activateWindow()
    view.table.setFocus()
    view.focus_search()
    assert view.search.hasFocus() or view.focusWidget() is view.search


def test_spine_cells_paint_the_county_line(view):
    view.set_current_indicator(None)
    image = view.table.viewport().grab().toImage()
    county = view.table.palette().color(QPalette.ColorRole.Text).rgb()  # the theme's ink
    spine = cell(view, "obesity_y6", COL_SPINE)
    rect = view.table.visualRect(spine)
    row_pixels = {image.pixel(x, rect.center().y()) for x in range(rect.left(), rect.right())}
    assert county in row_pixels
    marker = QColor(colours.SIGNIFICANCE_HEX["similar"]).rgb()
    assert marker in row_pixels
    # The suppressed row draws nothing: no county line in its spine cell.
    rect = view.table.visualRect(cell(view, "u18_conc", COL_SPINE))
    row_pixels = {image.pixel(x, rect.center().y()) for x in range(rect.left(), rect.right())}
    assert county not in row_pixels


def test_spine_puts_better_on_the_right(view):
    # Breastfeeding (higher is better, above the county) and persistent absence (higher is
    # worse, above the county): better is right of the centre, worse left of it.
    assert cell(view, "breastfeed", COL_SPINE).data(Qt.ItemDataRole.UserRole + 3).position(
        51.0) > 0
    assert cell(view, "absence", COL_SPINE).data(Qt.ItemDataRole.UserRole + 3).position(
        12.9) < 0


def test_screenshot(view):
    view.set_current_indicator("cin")
    assert view.grab().save("/tmp/profile_view.png")


def test_clear_drops_everything(view, qtbot):
    view.set_current_indicator("cin")
    qtbot.keyClicks(view.search, "child")
    with qtbot.assertNotEmitted(view.indicator_selected):
        view.clear()
    assert (view.model.rowCount(), view.proxy.rowCount()) == (0, 0)
    assert view.count_label.text() == "0 of 0 indicators"
    assert view.search.text() == "" and view.current_indicator() is None
    assert view.theme_combo.count() == 1
    view.set_profile(make_profile(), "Malvern")
    assert view.count_label.text() == "18 of 18 indicators"
