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
