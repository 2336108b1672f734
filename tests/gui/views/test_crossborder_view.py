"""CrossBorderView on the demo bundle, and its tab in the main window."""

from __future__ import annotations

import dataclasses

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from desktop.core.model import SUPPRESSED
from desktop.core.stats import crossborder as cb
from desktop.gui.views.crossborder_view import CrossBorderView
from tests.conftest import DEMO_PASSPHRASE
from tests.gui.test_main_window import open_with, window  # noqa: F401 - fixture


@pytest.fixture
def view(qtbot, demo_bundle):
    v = CrossBorderView()
    qtbot.addWidget(v)
    v.resize(900, 800)
    v.show()
    v.set_bundle(demo_bundle)
    v.set_cluster("Malvern")
    return v


def table_rows(table):
    return [[table.item(r, c).text() for c in range(table.columnCount())]
            for r in range(table.rowCount())]


def by_hand(bundle, period, cluster):
    flows = bundle.flows[bundle.flows["period"] == period]
    home = flows["home_area_code"].map(dict(zip(bundle.areas["area_code"],
                                                bundle.areas["cluster"])))
    flows = flows.assign(home=home.fillna(cb.OUTSIDE_LABEL))
    inflow = flows[flows["school_cluster"] == cluster].groupby("home")["pupils"].sum()
    outflow = flows[flows["home"] == cluster].groupby("school_cluster")["pupils"].sum()
    return inflow, outflow


def check_table(rows, expected, threshold, places):
    """Every place in order (none left out for having no pupils), as counted by hand."""
    total = expected.sum()
    assert rows[-1][:2] == ["Total", f"{total:,.0f}"]
    shown = {r[0]: r for r in rows[:-1]}
    assert list(shown) == list(places)
    for place, (_, pupils, share) in shown.items():
        count = expected.get(place, 0.0)
        if pupils == SUPPRESSED:
            assert share == SUPPRESSED
        else:
            assert pupils == f"{count:,.0f}"
            assert share == f"{100 * count / total:.1f}%"
        if 1 <= count <= threshold:
            assert pupils == SUPPRESSED
    assert "0" in {r[1] for r in rows}  # places with no pupils read 0


def test_tables_match_flows_by_hand(view, demo_bundle):
    period = view.period_combo.currentText()
    assert period == "2023/24"
    inflow, outflow = by_hand(demo_bundle, period, "Malvern")
    threshold = demo_bundle.manifest.disclosure_threshold
    matrix = cb.flow_matrix(demo_bundle, period)
    check_table(table_rows(view.inflow_table), inflow, threshold, matrix.homes)
    check_table(table_rows(view.outflow_table), outflow, threshold, matrix.schools)
    assert "lived outside the county" in view.summary.text()


def test_period_and_cluster_switch(view, demo_bundle):
    view.period_combo.setCurrentText("2021/22")
    view.set_cluster("Redditch")
    inflow, outflow = by_hand(demo_bundle, "2021/22", "Redditch")
    matrix = cb.flow_matrix(demo_bundle, "2021/22")
    check_table(table_rows(view.inflow_table), inflow, 5, matrix.homes)
    check_table(table_rows(view.outflow_table), outflow, 5, matrix.schools)
    assert "2021/22" in view.summary.text()


def test_map_arrows_follow_direction(view, demo_bundle):
    inflow, outflow = by_hand(demo_bundle, "2023/24", "Malvern")
    base = view.flow_artists.base
    collection = base.areas

    def arrows():
        return {a.get_gid().removeprefix("flow:") for a in view.ax.patches}

    others = set(inflow[inflow > 0].index) - {"Malvern", cb.OUTSIDE_LABEL}
    assert arrows() == others
    QTest.mouseClick(view.out_button, Qt.MouseButton.LeftButton)
    assert view.direction == "out"
    assert arrows() == set(outflow[outflow > 0].index) - {"Malvern"}
    assert view.flow_artists.base.areas is collection  # reshaded, not rebuilt
    texts = [t.get_text() for t in base.legend.get_texts()]
    assert not any(t.startswith("Outside the county") for t in texts)


def test_no_flows_shows_nothing(qtbot, demo_bundle):
    v = CrossBorderView()
    qtbot.addWidget(v)
    v.set_bundle(dataclasses.replace(demo_bundle, flows=None))
    v.set_cluster("Malvern")
    assert v.inflow_table.rowCount() == 0 and v.period_combo.count() == 0
    assert v.summary.text() == ""


def test_tab_follows_the_session(qtbot, window, demo_bundle_path, scripted):  # noqa: F811
    open_with(qtbot, window, demo_bundle_path, scripted(DEMO_PASSPHRASE))
    tab = window.tabs.indexOf(window.crossborder_view)
    assert window.tabs.isTabVisible(tab) and window.tabs.isTabEnabled(tab)
    QTest.keyClick(window, Qt.Key.Key_4, Qt.KeyboardModifier.ControlModifier)
    assert window.tabs.currentWidget() is window.crossborder_view
    window.session.set_cluster("Evesham")
    assert "Evesham" in window.crossborder_view.heading.text()
    assert "Evesham" in window.crossborder_view.inflow_title.text()
    window.lock()
    assert window.crossborder_view.inflow_table.rowCount() == 0
    assert window.crossborder_view.flow_artists is None
