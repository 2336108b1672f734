"""MapView under pytest-qt: recolouring, clicks, hover, wheel zoom, keys and reset."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from desktop.core.geometry.display import SCREEN_SIMPLIFY_METRES
from desktop.core.maps import shapes
from desktop.core.maps.classify import classify, scheme_title
from desktop.core.plotting.palettes import palette_colours
from desktop.gui.views.map_view import MapView
from tests.core.maps.test_mapplot import squares_frame


@pytest.fixture
def view(qtbot):
    widget = MapView()
    qtbot.addWidget(widget)
    widget.resize(800, 400)
    widget.show()
    qtbot.waitExposed(widget)
    widget.set_geometry(squares_frame())
    values = np.array([1.0, 2.0, 3.0, 4.0, 5.0, 6.0])
    c = classify(values, "quantiles", 3)
    widget.show_values(values, c, palette_colours("Blues", c.k), "Test indicator", period="2024")
    widget.render_now()
    return widget


def canvas_point(view: MapView, x: float, y: float) -> QPoint:
    """Widget pixel position of a point in data coordinates."""
    view.render_now()
    px, py = view.ax.transData.transform((x, y))
    ratio = view.canvas.device_pixel_ratio
    return QPoint(int(round(px / ratio)), int(round(view.canvas.height() - py / ratio)))


def test_click_on_a_square_emits_its_code_and_outlines_it(view, qtbot):
    for index in (1, 4):
        with qtbot.waitSignal(view.area_clicked, timeout=2000) as blocker:
            QTest.mouseClick(view.canvas, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                             canvas_point(view, 2 * index + 0.5, 0.2))
        assert blocker.args == [f"E0{index}"]
    assert len(view.artists.selected.get_segments()) == 2  # E04 is in two parts


def test_click_between_squares_selects_nothing(view, qtbot):
    with qtbot.assertNotEmitted(view.area_clicked):
        QTest.mouseClick(view.canvas, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                         canvas_point(view, 1.5, 0.5))


def test_hover_reports_area_and_default_text(view, qtbot):
    with qtbot.waitSignal(view.area_hovered, timeout=2000) as blocker:
        QTest.mouseMove(view.canvas, canvas_point(view, 4.5, 0.5))
    assert blocker.args == ["E02"]
    assert view.status.full_text.startswith("Area 2 · West · 3 (")
    view.hover_text_for = lambda i: f"custom {i}"
    with qtbot.waitSignal(view.area_hovered, timeout=2000) as blocker:
        QTest.mouseMove(view.canvas, canvas_point(view, 6.5, 0.5))
    assert blocker.args == ["E03"] and view.status.full_text == "custom 3"


def test_a_long_hover_text_moves_nothing_and_is_cut_visibly(view, qtbot):
    """The readout has a fixed place: the longest area text neither widens the map's pane
    nor moves a button, the legend or the canvas; it is cut with "…" and whole in the tooltip."""
    widgets = [view, view.canvas, view.legend, view.status, view.reset_button]
    before = [w.geometry() for w in widgets]
    hints = (view.sizeHint(), view.minimumSizeHint())
    long_text = "Worcester 010A · Worcester North · " + "a very long readout " * 12
    view.hover_text_for = lambda i: long_text
    with qtbot.waitSignal(view.area_hovered, timeout=2000):
        QTest.mouseMove(view.canvas, canvas_point(view, 4.5, 0.5))
    QApplication.processEvents()
    assert [w.geometry() for w in widgets] == before
    assert view.status.text().endswith("…") and view.status.toolTip() == long_text
    assert (view.sizeHint(), view.minimumSizeHint()) == hints  # nothing asks its pane for more


def test_hover_text_follows_new_values_under_a_resting_pointer(view, qtbot):
    QTest.mouseMove(view.canvas, canvas_point(view, 8.5, 0.5))  # wherever an earlier test left it
    with qtbot.waitSignal(view.area_hovered, timeout=2000):
        QTest.mouseMove(view.canvas, canvas_point(view, 4.5, 0.5))
    assert view.status.full_text.startswith("Area 2 · West · 3 (")
    values = np.array([10.0, 20.0, 30.0, 40.0, 50.0, 60.0])
    c = classify(values, "quantiles", 3)
    view.show_values(values, c, palette_colours("Blues", c.k), "Other indicator", period="2024")
    assert view.status.full_text.startswith("Area 2 · West · 30 (")


def wheel(view: MapView, pos: QPoint, steps: int) -> None:
    event = QWheelEvent(QPointF(pos), QPointF(view.canvas.mapToGlobal(pos)), QPoint(0, 0),
                        QPoint(0, 120 * steps), Qt.MouseButton.NoButton,
                        Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(view.canvas, event)


def test_wheel_zooms_about_the_cursor_and_reset_restores(view):
    full = view.ax.get_xlim()
    point = canvas_point(view, 2.5, 0.5)
    wheel(view, point, 1)
    zoomed = view.ax.get_xlim()
    assert zoomed[1] - zoomed[0] < full[1] - full[0]
    assert zoomed[0] < 2.5 < zoomed[1]
    # the point under the cursor stays under the cursor
    assert abs(canvas_point(view, 2.5, 0.5).x() - point.x()) <= 1
    view.reset_button.click()
    np.testing.assert_allclose(view.ax.get_xlim(), full)


def test_drag_pans_without_selecting(view, qtbot):
    before = view.ax.get_xlim()
    start = canvas_point(view, 4.5, 0.5)
    with qtbot.assertNotEmitted(view.area_clicked):
        QTest.mousePress(view.canvas, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                         start)
        QTest.mouseMove(view.canvas, start + QPoint(60, 0))
        QTest.mouseRelease(view.canvas, Qt.MouseButton.LeftButton,
                           Qt.KeyboardModifier.NoModifier, start + QPoint(60, 0))
    after = view.ax.get_xlim()
    assert after[0] < before[0]  # content moved right: the view moved left


def test_keyboard_zoom_pan_and_reset(view):
    full = view.ax.get_xlim()
    view.setFocus()
    QTest.keyClick(view, Qt.Key.Key_Plus)
    assert np.ptp(view.ax.get_xlim()) < np.ptp(full)
    QTest.keyClick(view, Qt.Key.Key_Right)
    assert view.ax.get_xlim()[0] > full[0]
    QTest.keyClick(view, Qt.Key.Key_0)
    np.testing.assert_allclose(view.ax.get_xlim(), full)


def test_zoom_to_cluster_and_highlight(view):
    assert not view.cluster_button.isEnabled()
    view.set_cluster("East")
    assert view.cluster_button.isEnabled()
    assert len(view.artists.highlight.get_segments()) == 5  # square, two parts, ring and hole
    view.cluster_button.click()
    x0, x1 = view.ax.get_xlim()
    assert x0 > 4 and x1 > 11  # East spans x 6..11
    view.set_cluster(None)
    assert view.artists.highlight.get_segments() == []


def test_show_values_recolours_the_same_collection(view):
    collection = view.artists.areas
    values = np.array([6.0, 5, 4, 3, 2, 1])
    c = classify(values, "equal_interval", 3)
    colours = palette_colours("Oranges", c.k)
    view.show_values(values, c, colours, "Other")
    assert view.artists.areas is collection
    np.testing.assert_allclose(collection.get_facecolor()[0], colours[c.class_index[0]])
    assert view.legend.title.text() == "Other"
    assert view.artists.legend is None  # the screen legend is the Qt widget, not matplotlib's


def test_legend_widget_shows_the_classification_labels_and_colours(view):
    values = np.array([1.0, 2.0, np.nan, 4.0, 5.0, 6.0])
    suppressed = np.array([0, 1, 0, 0, 0, 0], bool)
    c = classify(values, "equal_interval", 3, suppressed=suppressed)
    colours = palette_colours("Purples", c.k)
    view.show_values(values, c, colours, "Rate per 1,000", period="2023", note="synthetic")
    legend = view.legend
    assert legend.title.text() == "Rate per 1,000"
    assert legend.detail.text() == f"2023 · {scheme_title('equal_interval')}"
    assert legend.note.text() == "(synthetic)" and not legend.note.isHidden()
    expected = [f"{lab} ({n:,})" for lab, n in zip(c.labels, c.counts)]
    assert legend.labels() == [*expected, "[c] confidential: small numbers (1)",
                               "[x] not available: no value (1)",
                               "Cluster boundary"]
    # each class swatch is filled with its class colour
    for (symbol, _text), colour in zip(legend._rows, colours):
        image = symbol.pixmap().toImage()
        centre = image.pixelColor(image.width() // 2, image.height() // 2)
        assert [centre.red(), centre.green(), centre.blue()] == [
            round(v * 255) for v in colour[:3]]
    # fewer rows later: the extra rows are hidden, the note goes
    c3 = classify(np.arange(6.0), "quantiles", 3)
    view.show_values(np.arange(6.0), c3, palette_colours("Blues", 3), "Other")
    assert len(legend.labels()) == 4 and legend.note.isHidden()


def test_set_geometry_draws_geometry_prepared_off_the_gui_thread(view, monkeypatch):
    areas = squares_frame()
    prepared = shapes.prepare_geometry(areas, simplify=SCREEN_SIMPLIFY_METRES)

    def forbidden(*_args, **_kwargs):
        raise AssertionError("prepare_geometry ran on the GUI thread")

    monkeypatch.setattr(shapes, "prepare_geometry", forbidden)
    view.use_prepared(prepared)
    view.set_geometry(areas)
    assert view.artists.paths is prepared.paths and view.artists.tree is prepared.tree
    # geometry prepared for another frame is not used for this one
    view.use_prepared(prepared)
    with pytest.raises(AssertionError, match="GUI thread"):
        view.set_geometry(squares_frame())
