"""IssuesView: the sentence, the issues and deprived-area tables, and their signals."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from desktop.gui.views.issues_view import IssuesView, issues_sentence
from tests.gui.profile_fixtures import make_deprived, make_issues, make_profile


@pytest.fixture
def view(qtbot):
    widget = IssuesView()
    qtbot.addWidget(widget)
    widget.set_issues(make_issues(), make_deprived(), "Bromsgrove")
    widget.resize(900, 600)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def texts(table) -> list[list[str]]:
    model = table.model()
    return [[model.index(r, c).data() for c in range(model.columnCount())]
            for r in range(model.rowCount())]


def test_header_sentence(view):
    assert view.header_label.text() == (
        "5 indicators where Bromsgrove is significantly worse than the county")
    assert issues_sentence(1, "Tenbury") == (
        "1 indicator where Tenbury is significantly worse than the county")
    assert issues_sentence(0, "Tenbury").startswith("No indicators where Tenbury")


def test_issue_rows_in_given_order_with_differences(view):
    rows = texts(view.issues_table)
    assert [r[0] for r in rows] == [
        "16-17 year olds not in education, employment or training",
        "Children in income-deprived families (IDACI)", "Persistent absence",
        "Children in need", "Key Stage 2: reading, writing and maths expected standard"]
    assert rows[0][2:] == ["5.2%", "3.6%", "+1.6 pts"]
    assert rows[3][2:] == ["289.9", "231.4", "+58.5"]
    assert rows[4][4] == "−5.5 pts"  # lower attainment is worse: a negative difference


def test_sorting_by_difference_is_numeric(view):
    view.issues_table.sortByColumn(4, Qt.SortOrder.DescendingOrder)
    assert [r[4] for r in texts(view.issues_table)] == [
        "+58.5", "−5.5 pts", "+4.2 pts", "+2.7 pts", "+1.6 pts"]


def test_deprived_areas_table(view):
    rows = texts(view.areas_table)
    assert rows[0] == ["Bromsgrove 009B", "E01032155", "42.3", "1"]
    assert len(rows) == 5
    assert view.areas_label.text() == "Most deprived areas (LSOAs) in Bromsgrove"


def test_choosing_rows_emits(view, qtbot):
    table = view.issues_table
    rect = table.visualRect(table.model().index(3, 0))
    with qtbot.waitSignal(view.indicator_selected) as blocker:
        qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert blocker.args == ["cin"]
    table = view.areas_table
    rect = table.visualRect(table.model().index(1, 2))
    with qtbot.waitSignal(view.area_selected) as blocker:
        qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert blocker.args == ["E01032160"]


def test_click_on_the_row_qt_made_current_emits(view, qtbot):
    table = view.issues_table
    table.setFocus()
    table.setCurrentIndex(table.model().index(0, 0))  # what focus does: current, not selected
    table.selectionModel().clearSelection()
    rect = table.visualRect(table.model().index(0, 1))
    with qtbot.waitSignal(view.indicator_selected) as blocker:
        qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert blocker.args == ["neet"]


def test_sorted_rows_keep_their_keys(view, qtbot):
    view.issues_table.sortByColumn(2, Qt.SortOrder.DescendingOrder)  # Children in need first
    table = view.issues_table
    rect = table.visualRect(table.model().index(0, 2))
    with qtbot.waitSignal(view.indicator_selected) as blocker:
        qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert blocker.args == ["cin"]


def test_no_issues(view):
    profile = make_profile()
    view.set_issues(profile.iloc[0:0], make_deprived().iloc[0:0], "Tenbury")
    assert view.header_label.text().startswith("No indicators where Tenbury")
    assert view.issues_table.model().rowCount() == 0


def test_screenshot(view):
    assert view.grab().save("/tmp/issues_view.png")


def test_clear_empties_both_tables(view):
    view.clear()
    assert view.issues_table.model().rowCount() == 0
    assert view.areas_table.model().rowCount() == 0
    assert "Bromsgrove" not in view.header_label.text() + view.areas_label.text()


def test_a_missing_decile_reads_x_and_is_explained_under_the_tables(view):
    assert view.notes.isHidden()  # no marker in the tables: no notes
    deprived = make_deprived()
    deprived.loc[0, "decile"] = float("nan")
    view.set_issues(make_issues(), deprived, "Bromsgrove")
    assert texts(view.areas_table)[0][3] == "[x]"
    assert not view.notes.isHidden()
    assert view.notes.text() == "[x] not available: there is no value for it."
    view.clear()
    assert view.notes.isHidden()
