"""Drive the real main window on the demo bundle, as an officer would."""

from __future__ import annotations

import gc
import weakref

import numpy as np
import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest

from desktop.core.model import COUNTY
from desktop.gui import settings
from desktop.gui.main_window import MainWindow
from tests.conftest import DEMO_PASSPHRASE

OPEN_TIMEOUT = 60_000


@pytest.fixture
def window(qtbot):
    w = MainWindow()
    qtbot.addWidget(w)
    w.resize(1400, 900)
    w.show()
    yield w
    w.opener.cancel()


def open_with(qtbot, window, path, passphrases):
    window.opener.ask_passphrase = passphrases
    with qtbot.waitSignal(window.opener.finished, timeout=OPEN_TIMEOUT):
        window.open_bundle(path)
    qtbot.waitUntil(lambda: not window.opener.busy, timeout=OPEN_TIMEOUT)


def click_area(qtbot, window, area_code):
    """Click the centre of an area's polygon on the map canvas."""
    areas = window.session.bundle.areas
    point = areas.loc[areas["area_code"] == area_code, "geometry"].iloc[0].representative_point()
    canvas = window.map_view.canvas
    window.map_view.render_now()
    x, y = window.map_view.ax.transData.transform((point.x, point.y))
    ratio = canvas.device_pixel_ratio or 1
    pos = QPoint(int(x / ratio), int(canvas.height() - y / ratio))
    QTest.mouseClick(canvas, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, pos)


def test_wrong_then_right_passphrase_opens_the_demo(qtbot, window, demo_bundle_path, scripted):
    ask = scripted("not the passphrase", DEMO_PASSPHRASE)
    open_with(qtbot, window, demo_bundle_path, ask)
    assert len(ask.calls) == 2
    assert ask.calls[0]["error"] == ""
    assert "passphrase" in ask.calls[1]["error"].lower()
    s = window.session
    assert s.is_open and len(s.bundle.areas) == 364
    assert window.stack.currentWidget() is window.main_splitter
    assert window.selection_bar.cluster_combo.count() == 12
    assert settings.recent_files() == [str(demo_bundle_path.resolve())]


def test_cancelled_passphrase_leaves_window_closed(qtbot, window, demo_bundle_path, scripted):
    open_with(qtbot, window, demo_bundle_path, scripted(None))
    assert not window.session.is_open
    assert window.stack.currentWidget() is window.cover


def test_officer_journey(qtbot, window, demo_bundle_path, scripted):
    open_with(qtbot, window, demo_bundle_path, scripted(DEMO_PASSPHRASE))
    s = window.session
    bundle = s.bundle

    # choose a cluster in the toolbar: profile, issues and map follow
    combo = window.selection_bar.cluster_combo
    target = bundle.cluster_names[3]
    combo.setCurrentIndex(combo.findData(target))
    combo.activated.emit(combo.currentIndex())
    assert s.cluster == target
    assert window.profile_view.model.rowCount() > 0 if hasattr(window.profile_view, "model") else True
    assert target in window.issues_view.header_label.text()

    # choose an indicator from the profile: the map recolours the same collection
    collection = window.map_view.artists.areas
    neet = next(i for i in bundle.manifest.indicators if "NEET" in i.title or "neet" in i.id)
    with qtbot.waitSignal(s.indicator_changed):
        window.profile_view.indicator_selected.emit(neet.id)
    assert s.indicator_id == neet.id
    assert window.map_view.artists.areas is collection
    faces = collection.get_facecolors()
    layer = window.sync.layer
    expected_first = layer.class_colours[layer.classification.class_index[
        layer.classification.class_index >= 0][0]]
    first_classed = int(np.flatnonzero(layer.classification.class_index >= 0)[0])
    assert np.allclose(faces[first_classed], expected_first)
    assert window.profile_view.current_indicator() == neet.id

    # search for an indicator
    window.profile_view.focus_search()
    QTest.keyClicks(window.profile_view.search, "conception")
    shown = window.profile_view.proxy.rowCount()
    assert 0 < shown < len(bundle.manifest.indicators)

    # click an LSOA on the map: area and its cluster follow
    other = bundle.areas[bundle.areas["cluster"] != s.cluster].iloc[0]
    with qtbot.waitSignal(s.area_selected, timeout=5000):
        click_area(qtbot, window, other["area_code"])
    assert s.area_code == other["area_code"]
    assert s.cluster == other["cluster"]
    assert window.selection_bar.cluster_combo.currentData() == other["cluster"]

    # classification and palette: legend texts and face colours
    window.session.set_classification(scheme="equal_interval", classes=4, palette="Greens")
    legend_texts = window.map_view.legend.labels()
    labels = window.sync.layer.classification.labels
    assert len(labels) == 4
    for label, count in zip(labels, window.sync.layer.classification.counts):
        assert any(label in text and str(count) in text for text in legend_texts)
    greens = window.sync.layer.class_colours
    assert greens[-1][1] > greens[-1][0]  # dark green: more green than red
    window.session.set_classification(scheme="significance")
    legend_texts = " ".join(window.map_view.legend.labels())
    assert any(word in legend_texts.lower() for word in ("better", "worse", "similar", "higher"))


def test_lock_drops_data_and_unlock_restores(qtbot, window, demo_bundle_path, scripted):
    open_with(qtbot, window, demo_bundle_path, scripted(DEMO_PASSPHRASE))
    s = window.session
    cluster = s.bundle.cluster_names[5]
    s.set_cluster(cluster)
    bundle_ref = weakref.ref(s.bundle)
    stats_ref = weakref.ref(s.statistics)

    QTest.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert s.locked and s.bundle is None and s.statistics is None
    assert window.stack.currentWidget() is window.cover
    assert "Locked" in window.cover_label.text()
    assert window.selection_bar.cluster_combo.count() == 0
    assert window.map_view.artists is None
    gc.collect()
    assert bundle_ref() is None, "the decrypted bundle is still referenced after locking"
    assert stats_ref() is None

    ask = scripted("wrong", DEMO_PASSPHRASE)
    window.opener.ask_passphrase = ask
    with qtbot.waitSignal(window.opener.finished, timeout=OPEN_TIMEOUT):
        window.cover_button.click()
    qtbot.waitUntil(lambda: s.is_open, timeout=OPEN_TIMEOUT)
    assert not s.locked and s.cluster == cluster


def test_idle_lock(qtbot, window, demo_bundle_path, scripted):
    open_with(qtbot, window, demo_bundle_path, scripted(DEMO_PASSPHRASE))
    window.idle_lock.set_timeout(200)
    window.idle_lock.start()
    qtbot.waitUntil(lambda: window.session.locked, timeout=5000)
    assert window.session.bundle is None


def test_reopen_from_open_recent(qtbot, window, demo_bundle_path, scripted):
    settings.add_recent_file(demo_bundle_path)
    window._fill_recent_menu()
    actions = [a for a in window.recent_menu.actions() if a.data()]
    assert [a.data() for a in actions] == [str(demo_bundle_path.resolve())]
    window.opener.ask_passphrase = scripted(DEMO_PASSPHRASE)
    with qtbot.waitSignal(window.opener.finished, timeout=OPEN_TIMEOUT):
        actions[0].trigger()
    assert window.session.is_open


def test_unreadable_file_shows_message_not_traceback(qtbot, window, tmp_path, scripted,
                                                     monkeypatch):
    bad = tmp_path / "notes.atlas"
    bad.write_text("just some text")
    shown = []
    monkeypatch.setattr(window, "_show_error", shown.append)
    window.opener.failed.disconnect()
    window.opener.failed.connect(window._show_error)
    open_with(qtbot, window, bad, scripted("anything"))
    assert len(shown) == 1 and "not a Cluster Atlas bundle" in shown[0]
    assert not window.session.is_open


def test_settings_hold_no_passphrase_or_data(qtbot, window, demo_bundle_path, scripted,
                                             temporary_settings):
    open_with(qtbot, window, demo_bundle_path, scripted(DEMO_PASSPHRASE))
    s = window.session
    s.set_cluster(s.bundle.cluster_names[2])
    window.save_layout()
    text = temporary_settings.read_text(errors="replace")
    assert DEMO_PASSPHRASE not in text
    assert s.cluster not in text
    assert s.bundle.manifest.title not in text
    assert COUNTY not in text
