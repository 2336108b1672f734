"""An indicator or period switch recolours the map it has; it never rebuilds geometry, re-reads
the bundle or recomputes the statistics (what makes naive tools slow, see docs/benchmarks.md)."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest

import desktop.core.bundle.encrypted
import desktop.core.maps.mapplot
import desktop.core.maps.shapes
import desktop.core.stats.aggregate
import desktop.core.workspace
from desktop.core.bundle.encrypted import write_bundle
from desktop.core.maps.colours import face_colours
from desktop.gui.main_window import MainWindow
from tests.core.bundle_factory import PERIODS, make_bundle

PASSPHRASE = "switch-test-passphrase"


class Forbidden(AssertionError):
    pass


def _forbid(name: str):
    def called(*_args, **_kwargs):
        raise Forbidden(f"{name} was called by an indicator or period switch")
    return called


@pytest.fixture
def opened(qtbot, tmp_path):
    path = tmp_path / "small.atlas"
    write_bundle(make_bundle(), path, PASSPHRASE)
    window = MainWindow()
    qtbot.addWidget(window)
    window.resize(1200, 800)
    window.show()
    window.opener.ask_passphrase = lambda *_args: PASSPHRASE
    with qtbot.waitSignal(window.session.bundle_opened, timeout=60_000):
        window.open_bundle(path)
    qtbot.waitUntil(lambda: not window.opener.busy, timeout=60_000)
    window.map_view.render_now()
    yield window
    window.opener.cancel()


def test_switches_only_recolour_the_kept_collection(opened, monkeypatch):
    window = opened
    artists = window.map_view.artists
    collection, paths = artists.areas, artists.paths
    path_objects = list(collection.get_paths())
    for target, name in ((desktop.core.bundle.encrypted, "read_bundle"),
                         (desktop.core.workspace, "read_bundle"),
                         (desktop.core.workspace, "load_workspace"),
                         (desktop.core.stats.aggregate, "compute_statistics"),
                         (desktop.core.workspace, "compute_statistics"),
                         (desktop.core.maps.mapplot, "draw_map"),
                         (desktop.core.maps.shapes, "area_paths"),
                         (gpd.GeoDataFrame, "plot")):
        monkeypatch.setattr(target, name, _forbid(f"{target.__name__}.{name}"))

    session = window.session
    seen = [collection.get_facecolor().copy()]
    steps = [("cin", None), ("cin", PERIODS[0]), ("fsm", None), ("fsm", PERIODS[0]),
             ("imd_score", None), ("fsm", PERIODS[-1])]
    for indicator_id, period in steps:
        session.set_indicator(indicator_id, period)
        window.map_view.render_now()
        assert (session.indicator_id, session.period) == (indicator_id, period or session.period)
        assert window.map_view.artists is artists
        assert artists.areas is collection and collection.axes is window.map_view.ax
        assert artists.paths is paths
        assert all(a is b for a, b in zip(collection.get_paths(), path_objects))
        layer = window.sync.layer
        expected = face_colours(layer.classification, layer.class_colours)
        np.testing.assert_allclose(collection.get_facecolor(), expected)
        seen.append(collection.get_facecolor().copy())

    # the first period suppresses a small count in the first area: its colour must change
    assert any(not np.allclose(a, b) for a, b in zip(seen, seen[1:]))
    assert sum(c is collection for c in window.map_view.ax.collections) == 1


def test_the_analysis_charts_switch_in_the_same_window(opened, monkeypatch):
    """Each analysis chart follows an indicator, period or cluster switch on the one figure
    and canvas it has; nothing is read, summed or drawn afresh beyond the chart itself."""
    from desktop.core.stats.comparison import SIMILAR

    window = opened
    chart = window.chart_view
    figure, canvas, tabs, options = chart.figure, chart.canvas, chart.tabs, chart.options_bar
    for target, name in ((desktop.core.bundle.encrypted, "read_bundle"),
                         (desktop.core.workspace, "load_workspace"),
                         (desktop.core.stats.aggregate, "compute_statistics"),
                         (desktop.core.maps.mapplot, "draw_map")):
        monkeypatch.setattr(target, name, _forbid(f"{target.__name__}.{name}"))
    session = window.session
    clusters = session.bundle.cluster_names
    for kind in ("funnel", "inequality", "scatter", "neighbours"):
        chart.set_kind(kind)
        for indicator_id, period, cluster in (("cin", None, clusters[1]),
                                              ("fsm", PERIODS[0], clusters[0]),
                                              ("imd_score", None, clusters[-1])):
            session.set_indicator(indicator_id, period)
            session.set_cluster(cluster)
            assert chart.inputs()["indicator"].id == indicator_id
            assert chart.figure is figure and chart.canvas is canvas
            assert chart.tabs is tabs and chart.options_bar is options
            assert window.map_view.artists.areas in window.map_view.ax.collections
    # comparing with similar clusters, chosen in the toolbar, re-judges and rebuilds nothing
    from desktop.gui.views.comparison_bar import ComparisonBar

    combo = window.findChild(ComparisonBar).against_combo
    combo.setCurrentIndex(combo.findData(SIMILAR))
    assert session.comparison.against == SIMILAR and session.comparison.peers is not None
    chart.set_kind("bars")
    assert chart.inputs()["benchmarks"] is not None and chart.figure is figure


def test_a_context_that_places_nothing_is_refused_with_a_message(opened, qtbot, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    window = opened
    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *args: shown.append(args[2]))
    chart = window.chart_view
    chart.set_kind("neighbours")
    before = window.session.neighbour_spec()
    ticked = [a for a in chart.options_bar.context_actions() if a.isChecked()]
    assert ticked
    with qtbot.waitSignal(window.sync.failed):
        for action in ticked:  # the last one leaves no context at all
            action.setChecked(False)
    assert shown and "at least one context indicator" in shown[-1]
    assert window.session.neighbour_spec() == before
    # the menu shows the session's context again
    assert {a.data() for a in chart.options_bar.context_actions() if a.isChecked()} == \
        set(before.indicators)
