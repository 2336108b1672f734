"""The toolbar's "Map: small areas / clusters" and "Pool" controls on the demo bundle: both
directions of each binding, the linked views, and that switching only recolours."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest

import desktop.core.maps.mapplot
import desktop.core.maps.shapes
from desktop.core.maps.colours import face_colours
from desktop.core.model import MAP_AREAS, MAP_CLUSTERS
from desktop.core.plotting.palettes import NoData
from desktop.gui import settings
from desktop.gui.main_window import MainWindow
from desktop.gui.views.profile_rows import COL_PERIOD
from tests.conftest import DEMO_PASSPHRASE
from tests.gui.test_main_window import open_with, window  # noqa: F401 - fixture

NEET = "neet_16_17"
TIMEOUT = 120_000  # pooling audits every window with its periods: ~20 s at load 4


@pytest.fixture
def opened(qtbot, window, demo_bundle_path):  # noqa: F811 - the imported fixture
    """The main window on the demo bundle, Redditch and NEET chosen."""
    open_with(qtbot, window, demo_bundle_path, lambda *_args: DEMO_PASSPHRASE)
    window.session.set_cluster("Redditch")
    window.session.set_indicator(NEET)
    yield window
    window.sync.cancel_pooling()


def choose(combo, data) -> None:
    """Pick an item as a person does: the combo's activated signal, not a setter."""
    combo.setCurrentIndex(combo.findData(data))
    combo.activated.emit(combo.currentIndex())


def click_at(main, x: float, y: float) -> None:
    view = main.map_view
    view.render_now()
    px, py = view.ax.transData.transform((x, y))
    ratio = view.canvas.device_pixel_ratio or 1
    QTest.mouseClick(view.canvas, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                     QPoint(int(px / ratio), int(view.canvas.height() - py / ratio)))


def test_cluster_map_from_the_toolbar_colours_every_cluster_and_follows_the_session(qtbot,
                                                                                   opened):
    s, view, controls = opened.session, opened.map_view, opened.level_controls
    artists = view.artists
    assert not view.warning.isHidden()  # NEET's small areas: too few to map
    assert view.warning.text().startswith("Too few areas to map at this level")
    # the warning is a strip above the map, never over it: the map gives it room
    def canvas_top() -> int:
        return view.canvas.mapTo(view, view.canvas.rect().topLeft()).y()

    assert view.warning.geometry().bottom() < canvas_top()
    height = view.canvas.height()
    s.set_indicator("imd_score")
    qtbot.waitUntil(lambda: view.canvas.height() > height)  # the room goes back to the map
    assert view.warning.isHidden()
    s.set_indicator(NEET)
    qtbot.waitUntil(lambda: view.canvas.height() == height)
    assert view.warning.isVisible() and view.warning.geometry().bottom() < canvas_top()
    choose(controls.level_combo, MAP_CLUSTERS)
    assert s.map_level == MAP_CLUSTERS and view.level == MAP_CLUSTERS
    assert artists.cluster_fills.get_visible() and not artists.areas.get_visible()
    assert view.warning.isHidden()
    faces = artists.cluster_fills.get_facecolor()
    layer = opened.sync.layer
    assert len(faces) == 12 and (layer.classification.class_index >= 0).all()
    np.testing.assert_allclose(faces, face_colours(layer.classification, layer.class_colours))
    assert not any(np.allclose(f, NoData.SUPPRESSED_COLOUR) for f in faces)
    assert "School" not in view.legend.labels()
    # session -> widget: the combo follows a change made elsewhere
    s.set_map_level(MAP_AREAS)
    assert controls.level_combo.currentData() == MAP_AREAS and artists.areas.get_visible()


def test_cluster_map_hover_and_click_speak_of_clusters(opened):
    s, view = opened.session, opened.map_view
    artists = view.artists
    area = s.bundle.areas.loc[s.bundle.areas["cluster"] == "Redditch", "area_code"].iloc[0]
    s.select_area(area)
    outline = [seg.copy() for seg in artists.selected.get_segments()]
    assert outline
    s.set_map_level(MAP_CLUSTERS)
    bewdley = artists.cluster_names.index("Bewdley")
    x, y = artists.cluster_labels[bewdley].get_position()
    area = artists.area_at(x, y)
    text = view.hover_text(area)
    value = s.statistics.cluster_values(NEET, s.period).loc["Bewdley"]
    assert text.startswith("Bewdley cluster · ") and f"{value['value']:.1f}%" in text
    click_at(opened, x, y)
    assert s.cluster == "Bewdley"
    assert opened.profile_view.current_indicator() == NEET
    assert len(artists.selected.get_segments()) == 0  # no area outlined on the cluster map
    s.set_map_level(MAP_AREAS)  # the chosen area is outlined again
    assert all(np.array_equal(a, b) for a, b in zip(artists.selected.get_segments(), outline))
    assert len(artists.selected.get_segments()) == len(outline)


def test_pooling_from_the_toolbar_moves_every_view_to_pooled_periods(qtbot, opened):
    s, controls, bar = opened.session, opened.level_controls, opened.selection_bar
    # one pooling only: two published together could be subtracted to reveal a hidden count
    offered = [controls.pool_combo.itemText(i) for i in range(controls.pool_combo.count())]
    assert offered == ["Single periods", "Latest 3 combined"]
    single_count = s.statistics.cluster_values(NEET, "2023/24").loc["Redditch", "numerator"]
    with qtbot.waitSignal(s.pool_changed, timeout=TIMEOUT):
        choose(controls.pool_combo, 3)
    assert s.pool == 3 and s.period == "2021/22 - 2023/24 combined"
    assert controls.pool_combo.isEnabled() and controls.pool_combo.currentData() == 3
    assert opened.status.label.text() == "Showing the latest 3 periods combined"
    assert opened.status.progress_bar.isHidden()
    periods = [bar.period_combo.itemData(i) for i in range(bar.period_combo.count())]
    assert periods == ["2018/19 - 2020/21 combined", "2021/22 - 2023/24 combined"]
    # the map: dozens of areas graded, no warning
    assert opened.map_view.warning.isHidden()
    assert opened.sync.layer.classification.n_graded > 50
    # the chart's bars are the pooled cluster values
    bars = opened.chart_view.inputs("bars")["clusters"]
    pooled = s.pooled.statistics.cluster_values(NEET, s.period)
    assert bars.loc["Redditch", "numerator"] == pooled.loc["Redditch", "numerator"] \
        > single_count
    # the profile's period column
    model = opened.profile_view.model
    index = model.index_for_indicator(NEET)
    assert model.index(index.row(), COL_PERIOD, index.parent()).data() == s.period
    # back to single periods: the latest period of the opened, straight from the cache
    choose(controls.pool_combo, 1)
    assert s.pool == 1 and s.period == "2023/24"
    choose(controls.pool_combo, 3)
    assert s.pool == 3  # computed once, reused without a worker
    assert opened.sync.pooling is None


def test_pooled_period_steps_and_lock_drops_pooled_data(qtbot, opened):
    s = opened.session
    with qtbot.waitSignal(s.pool_changed, timeout=TIMEOUT):
        opened.sync.request_pool(2)
    assert s.period == "2022/23 - 2023/24 combined"
    s.set_period("2018/19 - 2019/20 combined")
    assert opened.selection_bar.period_combo.currentData() == s.period
    opened.lock()
    assert s.pooled is None and s.pooled_for(2) is None and s.pool == 1
    assert opened.level_controls.pool_combo.currentData() == 1
    assert not opened.level_controls.pool_combo.isEnabled()


def test_level_switches_and_switches_at_cluster_level_only_recolour(opened, monkeypatch):
    s, view = opened.session, opened.map_view
    artists = view.artists
    fills, paths = artists.cluster_fills, artists.cluster_paths

    def forbidden(*_args, **_kwargs):
        raise AssertionError("the map was rebuilt")

    for target, name in ((desktop.core.maps.mapplot, "draw_map"),
                         (desktop.core.maps.shapes, "prepare_geometry"),
                         (desktop.core.maps.shapes, "area_paths")):
        monkeypatch.setattr(target, name, forbidden)
    seen = []
    for level, indicator in ((MAP_CLUSTERS, NEET), (MAP_CLUSTERS, "looked_after"),
                             (MAP_AREAS, "looked_after"), (MAP_CLUSTERS, "imd_score")):
        s.set_map_level(level)
        s.set_indicator(indicator)
        view.render_now()
        assert view.artists is artists and artists.cluster_fills is fills
        assert all(a is b for a, b in zip(fills.get_paths(), paths))
        seen.append(fills.get_facecolor().copy())
    assert not np.allclose(seen[0], seen[1])
    assert sum(c is fills for c in view.ax.collections) == 1


def test_the_map_level_is_remembered(qtbot, opened):
    opened.session.set_map_level(MAP_CLUSTERS)
    opened.save_layout()
    assert settings.get("map_level") == MAP_CLUSTERS
    again = MainWindow()
    qtbot.addWidget(again)
    assert again.session.map_level == MAP_CLUSTERS
    assert again.level_controls.level_combo.currentData() == MAP_CLUSTERS


def test_exporting_the_map_keeps_the_level_and_the_pooling(qtbot, opened, tmp_path):
    from PIL import Image

    s = opened.session
    s.set_map_level(MAP_CLUSTERS)
    with qtbot.waitSignal(s.pool_changed, timeout=TIMEOUT):
        opened.sync.request_pool(3)
    out = tmp_path / "map.png"
    opened.exports.ask_path = lambda *_args: str(out)
    opened.exports.export_map()
    with Image.open(out) as image:
        description = image.info["Description"]
    assert "2021/22 - 2023/24 combined, for each cluster of" in description
    assert "the Redditch cluster is outlined" in description
