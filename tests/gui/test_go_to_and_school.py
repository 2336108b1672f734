"""The Go to box and the School tab in the real window on the demo bundle: typing a school's
name, a postcode or a small area's code takes the window there; a school's own profile fills
the School tab off the window's thread; a lock empties both."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from desktop.core.model import SUPPRESSED
from desktop.gui.main_window import MainWindow
from tests.conftest import DEMO_PASSPHRASE
from tests.gui.test_main_window import open_with

URN = "139001"


@pytest.fixture
def window(qtbot, demo_bundle_path, scripted):
    w = MainWindow()
    qtbot.addWidget(w)
    w.resize(1400, 900)
    w.show()
    open_with(qtbot, w, demo_bundle_path, scripted(DEMO_PASSPHRASE))
    yield w
    w.opener.cancel()


def go(qtbot, window, text: str) -> None:
    """Ctrl+G, type, Enter: as an officer would."""
    QTest.keyClick(window, Qt.Key.Key_G, Qt.KeyboardModifier.ControlModifier)
    box = window.go_to_box
    assert box.hasFocus()
    QTest.keyClicks(box, text)
    QTest.keyClick(box, Qt.Key.Key_Return)


def test_a_school_by_name_fills_the_school_tab(qtbot, window):
    go(qtbot, window, "perry wood")
    s = window.session
    assert s.school_id == URN and s.cluster == "Worcester South"
    assert window.tabs.currentWidget() is window.school_view
    view = window.school_view
    qtbot.waitUntil(lambda: view.table.rowCount() > 0, timeout=30_000)
    assert "URN 139001" in view.heading.text() and "360 pupils" in view.heading.text()
    residence = [i for i in s.bundle.manifest.indicators if not i.basis_of]
    assert view.table.rowCount() == len(residence) < len(s.bundle.manifest.indicators)
    assert view.brief_button.isEnabled()
    (x0, x1), (y0, y1) = window.map_view.ax.get_xlim(), window.map_view.ax.get_ylim()
    school = s.bundle.schools.loc[s.bundle.schools["school_id"] == URN].geometry.iloc[0]
    assert x0 < school.x < x1 and y0 < school.y < y1 and x1 - x0 < 10_000  # zoomed to it


def test_a_postcode_selects_its_area_and_cluster(qtbot, window):
    said = []
    window.schools.message.connect(said.append)
    go(qtbot, window, "WR5 2AA")
    s = window.session
    postcodes = s.bundle.postcodes
    area = postcodes.loc[postcodes["postcode"] == "WR5 2AA", "area_code"].iloc[0]
    assert s.area_code == area
    assert s.cluster == s.bundle.areas.set_index("area_code").at[area, "cluster"]
    assert said == [f"Showing WR5 2AA · postcode in Worcester 011A ({area}), Worcester South"]


def test_nothing_found_says_what_to_type(qtbot, window):
    said = []
    window.schools.message.connect(said.append)
    go(qtbot, window, "zzzz nothing")
    assert said and "Nothing matches" in said[-1]
    assert window.session.school_id == ""


def test_the_comparison_recomputes_and_a_lock_empties_the_tab(qtbot, window):
    go(qtbot, window, URN)
    view = window.school_view
    qtbot.waitUntil(lambda: view.table.rowCount() > 0, timeout=30_000)
    window.session.set_comparison(level=99.8)
    qtbot.waitUntil(lambda: view.table.rowCount() > 0
                    and "99.8%" in view.notes.text(), timeout=30_000)
    window.lock()
    assert view.table.rowCount() == 0 and not view.brief_button.isEnabled()
    assert not window.go_to_box.isEnabled() and window.go_to_box.text() == ""
    assert SUPPRESSED not in view.heading.text()
