"""The profile's columns give way to the indicator names, and the officer chooses the rest."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from desktop.gui import settings
from desktop.gui.views.profile_columns import (
    GIVE_WAY,
    TITLE_CHARS,
    ColumnChoice,
    given_way,
    hidden_columns,
)
from desktop.gui.views.profile_rows import (
    COL_COUNT,
    COL_HIGHEST,
    COL_LOWEST,
    COL_PERIOD,
    COL_SIGNIFICANCE,
    COL_TITLE,
    COL_VALUE,
    COLUMNS,
)
from desktop.gui.views.profile_view import ProfileView
from tests.gui.profile_fixtures import make_profile

WIDTHS = {c: 60 for c in range(1, len(COLUMNS))}  # eleven columns of 60 px: 660 px


@pytest.mark.parametrize(("available", "hidden"), [
    (900, set()),  # 240 px left for the names: nothing gives way
    (850, {COL_LOWEST}),
    (780, {COL_LOWEST, COL_HIGHEST}),
    (700, {COL_LOWEST, COL_HIGHEST, COL_COUNT}),
    (500, set(GIVE_WAY)),  # all that can give way has, and the names still scroll
])
def test_the_least_needed_columns_give_way_first(available, hidden):
    assert hidden_columns(WIDTHS, available, 200) == hidden


def test_a_choice_beats_the_room():
    choice = ColumnChoice().toggled(COL_SIGNIFICANCE, False).toggled(COL_LOWEST, True)
    hidden = hidden_columns(WIDTHS, 800, 200, choice)
    assert COL_SIGNIFICANCE in hidden  # hidden by choice, which also frees room
    assert COL_LOWEST not in hidden  # pinned: the next in line gives way instead
    assert hidden == {COL_SIGNIFICANCE}  # 260 px left for the names: enough
    assert given_way(hidden_columns(WIDTHS, 700, 200, choice), choice) == \
        {COL_HIGHEST, COL_COUNT}  # Lowest stays: the next in line give way


@pytest.fixture
def view(qtbot):
    widget = ProfileView()
    qtbot.addWidget(widget)
    widget.set_profile(make_profile(), "Bromsgrove")
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def shown(view) -> set[str]:
    header = view.table.header()
    return {COLUMNS[c] for c in range(len(COLUMNS)) if not header.isSectionHidden(c)}


def test_a_narrow_pane_keeps_30_characters_of_every_name(view, qtbot):
    view.resize(1500, 600)
    qtbot.waitUntil(lambda: shown(view) == set(COLUMNS))  # wide: every column
    view.resize(760, 600)
    qtbot.waitUntil(lambda: "Lowest" not in shown(view))
    header, metrics = view.table.header(), view.table.fontMetrics()
    assert {"Indicator", "Value", "95% CI", "County", "Significance"} <= shown(view)
    for title in view.model.column_texts(COL_TITLE):
        text = metrics.elidedText(title, Qt.TextElideMode.ElideRight,
                                  header.sectionSize(COL_TITLE) - 12)
        assert len(text.removesuffix("…")) >= min(len(title), TITLE_CHARS)


def test_the_column_menu_says_what_gave_way_and_remembers_choices(view, qtbot):
    view.resize(760, 600)
    qtbot.waitUntil(lambda: "Lowest" not in shown(view))
    menu = view.columns.button.menu()
    menu.aboutToShow.emit()
    texts = {a.text(): a for a in menu.actions() if a.isCheckable()}
    lowest = next(a for t, a in texts.items() if t.startswith("Lowest"))
    assert "no room" in lowest.text() and not lowest.isChecked()
    lowest.setChecked(True)  # shown anyway: the names now scroll sideways if need be
    value = next(a for t, a in texts.items() if t == "Value")
    value.setChecked(False)
    assert "Lowest" in shown(view) and "Value" not in shown(view)
    assert settings.get("profile/shown_columns") == ["Lowest"]
    assert settings.get("profile/hidden_columns") == ["Value"]

    again = ProfileView()  # the next start: the same choice
    qtbot.addWidget(again)
    assert again.columns.choice == ColumnChoice(frozenset({COL_VALUE}), frozenset({COL_LOWEST}))
    reset = next(a for a in menu.actions() if "fit" in a.text())
    reset.trigger()
    assert settings.get("profile/hidden_columns") == [] and "Value" in shown(view)


def test_the_value_tooltip_gives_the_count_when_the_count_column_gave_way(view):
    rows = [view.model.row_at(view.model.index_for_indicator(i))
            for i in make_profile()["indicator_id"]]
    counted = [r for r in rows if r.texts[COL_COUNT][:1].isdigit()]
    assert counted and all(f"Count: {r.texts[COL_COUNT]}" in r.tips[COL_VALUE] for r in counted)


def test_the_period_note_says_the_table_shows_the_latest_and_links_back(view, qtbot):
    assert view.period_note.isHidden()
    view.set_period_note("2021/22", "2023/24", "Pupil absence")
    assert not view.period_note.isHidden()
    assert "2021/22" in view.period_note.text() and "latest period" in view.period_note.text()
    with qtbot.waitSignal(view.latest_period_requested):
        view.period_note.linkActivated.emit("latest")
    view.set_period_note("2023/24", "2023/24", "Pupil absence")
    assert view.period_note.isHidden()
    assert COL_PERIOD in GIVE_WAY  # the period column may give way: the note says it plainly
