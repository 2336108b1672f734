"""The analysis charts in the chart view, on the demo bundle: tabs and their options, the table
twins, hover names, clicking a cluster's dot, and the similar-clusters choice asked of the
session."""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib.backend_bases import MouseEvent
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QToolTip

from desktop.core.charts.tables import chart_table
from desktop.core.model import MAP_AREAS
from desktop.core.stats.neighbours import NeighbourSpec, bundle_spec
from desktop.gui.views.chart_view import KINDS, ChartView


@pytest.fixture
def view(qtbot, demo_bundle, stats):
    v = ChartView()
    qtbot.addWidget(v)
    v.resize(760, 560)
    v.show()
    qtbot.waitExposed(v)
    indicator = demo_bundle.manifest.indicator("children_in_need")
    v.show_for(demo_bundle, stats, indicator, indicator.latest_period, "Redditch",
               bundle_spec(demo_bundle))
    return v


def _gids(view) -> set[str]:
    return {a.get_gid() for a in view.axes.get_children() if a.get_gid()}


def test_every_analysis_chart_has_a_tab_with_its_options(view, qtbot):
    assert KINDS[3:] == ("funnel", "inequality", "scatter", "neighbours")
    assert [view.tabs.tabText(i) for i in range(view.tabs.count())][3:] == [
        "Funnel", "Inequality", "Scatter", "Similar"]
    assert "unusual for its size" in view.tabs.tabToolTip(3)
    options = view.options_bar
    expected = {"funnel": (False, False), "inequality": (False, False),
                "scatter": (True, False), "neighbours": (False, True)}
    for kind, (scatter, neighbours) in expected.items():
        view.set_kind(kind)
        assert options.versus_combo.isVisible() is scatter
        assert options.count_spin.isVisible() is neighbours
        assert view.table_toggle.isVisible()
    view.set_kind("funnel")
    assert {"points", "county", "limit:upper998"} <= _gids(view)
    view.set_kind("inequality")  # its decile counts are audited in the background
    qtbot.waitUntil(lambda: {"bars:County", "bars:Redditch"} <= _gids(view), timeout=120_000)
    view.set_kind("neighbours")
    assert view.axes.get_yticklabels()[0].get_text() == "Redditch"


def test_the_table_twin_of_each_analysis_chart(view, qtbot):
    view.table_toggle.setChecked(True)
    for kind in ("funnel", "inequality", "scatter", "neighbours"):
        view.set_kind(kind)
        expected = chart_table(kind, **view.inputs())
        model = view.table_page.model
        assert [model.horizontalHeaderItem(c).text() for c in range(model.columnCount())] == \
            list(expected.columns)
        assert model.rowCount() == len(expected)
        assert model.item(0, 0).text() == str(expected.iat[0, 0])


def test_the_scatter_follows_its_second_indicator_and_level(view, qtbot):
    view.set_kind("scatter")
    options = view.options_bar
    assert options.versus_combo.currentData() == "imd_score"  # the deprivation indicator
    options.versus_combo.setCurrentIndex(options.versus_combo.findData("income_deprivation"))
    assert view.inputs()["versus"].id == "income_deprivation"
    assert "Income deprivation" in view.axes.get_xlabel()
    options.areas_check.setChecked(True)
    points = view.inputs()["points"]
    assert points.level == MAP_AREAS and len(points.frame) == 364


def test_the_scatter_names_the_point_under_the_mouse(view, qtbot):
    view.set_kind("scatter")
    view.canvas.draw()
    row = view.inputs()["points"].drawn.iloc[0]
    x, y = view.axes.transData.transform((row["x"], row["y"]))
    view.canvas.callbacks.process("motion_notify_event",
                                  MouseEvent("motion_notify_event", view.canvas, x, y))
    qtbot.waitUntil(QToolTip.isVisible, timeout=2000)
    assert QToolTip.text().startswith(row["name"])


def test_clicking_a_funnel_dot_selects_its_cluster(view, qtbot):
    view.set_kind("funnel")
    view.canvas.draw()
    points = view.inputs()["funnel"].points
    row = points.iloc[2]
    x, y = view.axes.transData.transform((row["size"], row["value"]))
    ratio = view.canvas.device_pixel_ratio
    point = QPoint(int(x / ratio), int(view.canvas.height() - y / ratio))
    with qtbot.waitSignal(view.cluster_clicked) as signal:
        qtbot.mouseClick(view.canvas, Qt.MouseButton.LeftButton, pos=point)
    assert signal.args == [row["name"]]


def test_similar_clusters_are_asked_of_the_session(view, qtbot):
    view.set_kind("neighbours")
    options = view.options_bar
    assert options.count_spin.value() == 5
    ticked = {a.data() for a in options.context_actions() if a.isChecked()}
    assert ticked == {"imd_score", "total_population", "population_density"}
    with qtbot.waitSignal(options.neighbours_requested) as signal:
        options.count_spin.setValue(3)
    assert signal.args == [NeighbourSpec(("imd_score", "total_population",
                                          "population_density"), 3)]
    density = next(a for a in options.context_actions() if a.data() == "population_density")
    with qtbot.waitSignal(options.neighbours_requested) as signal:
        density.setChecked(False)
    assert signal.args[0].indicators == ("imd_score", "total_population")


def test_the_inputs_of_a_hidden_chart_are_not_computed(view, monkeypatch, qtbot):
    from desktop.core.charts import tables

    calls = []
    real = tables.ANALYSIS_INPUTS["inequality"]
    monkeypatch.setitem(tables.ANALYSIS_INPUTS, "inequality",
                        lambda *a: calls.append(a) or real(*a))
    view.set_kind("funnel")
    assert calls == []
    view.set_kind("inequality")
    qtbot.waitUntil(lambda: "bars:County" in _gids(view), timeout=120_000)
    assert len(calls) == 1
    view.set_kind("funnel")
    view.set_kind("inequality")
    assert len(calls) == 1  # kept until the indicator, period or cluster changes
    assert np.isfinite(view.inputs()["county"].deciles["value"]).any()


def test_the_inequality_chart_is_worked_out_without_holding_the_window(view, monkeypatch,
                                                                       qtbot, demo_bundle,
                                                                       stats):
    """While its decile counts are audited the chart says so and the window answers; the
    chart follows when they are done, and a request overtaken by another is dropped."""
    import threading

    from desktop.core.charts import tables

    release = threading.Event()
    real = tables.ANALYSIS_INPUTS["inequality"]

    def held(*args):
        assert release.wait(60)
        return real(*args)

    monkeypatch.setitem(tables.ANALYSIS_INPUTS, "inequality", held)
    view.set_kind("inequality")  # returns at once: the audit waits for `release`
    assert _gids(view) == {"working"}
    assert "small number" in view.axes.texts[0].get_text()
    indicator = demo_bundle.manifest.indicator("children_in_need")
    view.show_for(demo_bundle, stats, indicator, indicator.latest_period, "Bromsgrove",
                  bundle_spec(demo_bundle))  # overtakes the first request
    release.set()
    qtbot.waitUntil(lambda: {"bars:County", "bars:Bromsgrove"} <= _gids(view),
                    timeout=120_000)
    assert "bars:Redditch" not in _gids(view)
