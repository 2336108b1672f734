"""Picking small areas on the map (Areas > Pick areas on the map) in the real window on the demo
bundle: clicks, a lasso and a rectangle drawn with the mouse, Space from the keyboard, and the
custom area the picks make, whose profile (single and pooled periods) is the cluster's."""

from __future__ import annotations

import pytest
import shapely
from matplotlib.backend_bases import MouseEvent
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QDialog

from desktop.core.model import MAP_AREAS, MAP_CLUSTERS
from desktop.core.stats.pooling import pool_periods
from desktop.gui import view_sync
from desktop.gui.dialogs import custom_area_dialog
from tests.gui.test_custom_areas_window import NAME as AREA_NAME
from tests.gui.test_custom_areas_window import make_area, opened_window
from tests.gui.test_main_window import click_area

NAME = "Picked Pershore"
PROFILE = ["value", "lower95", "upper95", "suppressed", "significance"]


@pytest.fixture
def window(qtbot, demo_bundle_path, scripted, monkeypatch):
    w = opened_window(qtbot, demo_bundle_path, scripted, monkeypatch)
    w.session.set_cluster("Pershore")
    w.session.set_map_level(MAP_CLUSTERS)  # picking brings the small areas back
    w.custom_areas.pick_on_map()
    w.map_view.zoom_to_cluster()
    w.map_view.render_now()
    yield w
    w.opener.cancel()


def pershore(window) -> list[str]:
    areas = window.session.bundle.areas
    return areas.loc[areas["cluster"] == "Pershore", "area_code"].tolist()


def canvas_pos(view, x: float, y: float) -> QPoint:
    """The widget position of a point in map coordinates."""
    px, py = view.ax.transData.transform((x, y))
    ratio = view.canvas.device_pixel_ratio or 1
    return QPoint(round(px / ratio), round(view.canvas.height() - py / ratio))


def drag(view, points) -> None:
    """A left drag through `points` (map coordinates), with Qt's own mouse events."""
    canvas, positions = view.canvas, [canvas_pos(view, x, y) for x, y in points]
    QTest.mousePress(canvas, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                     positions[0])
    for pos in positions[1:]:
        QTest.mouseMove(canvas, pos)
    QTest.mouseRelease(canvas, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                       positions[-1])


def make(qtbot, window) -> list[str]:
    """The bar's Make custom area…, the dialog named and accepted; the codes it was given."""
    given = []

    def fill(dialog) -> QDialog.DialogCode:
        given.extend(dialog.entries.toPlainText().split())
        dialog.name.setText(NAME)
        dialog._make()
        return QDialog.DialogCode.Accepted

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(custom_area_dialog.CustomAreaDialog, "exec", fill)
        window.map_view.picking.make_button.click()
    qtbot.waitUntil(lambda: window.custom_areas.worker is None
                    and NAME in window.session.bundle.cluster_names, timeout=60_000)
    return given


def profiles_equal(window, a: str, b: str) -> None:
    mine, theirs = window.sync.profile_for(a)[PROFILE], window.sync.profile_for(b)[PROFILE]
    assert mine.equals(theirs)
    assert mine["suppressed"].any()  # hidden rows too, not only easy ones


def test_clicks_pick_pershore_and_make_a_custom_area_with_its_profile(qtbot, window):
    picking = window.map_view.picking
    assert window.session.map_level == MAP_AREAS and picking.active and picking.isVisible()
    assert picking.count.text().startswith("No areas picked")
    assert not picking.make_button.isEnabled()
    codes = pershore(window)
    for code in codes:
        click_area(qtbot, window, code)
    assert picking.count.text() == f"{len(codes)} areas picked"
    assert set(picking.picked_codes()) == set(codes)
    assert len(picking._collection.get_paths()) == len(codes)  # each picked area drawn
    assert window.session.area_code == ""  # a click while picking chooses no area
    click_area(qtbot, window, codes[0])  # a second click takes it away
    assert codes[0] not in picking.picked_codes()
    click_area(qtbot, window, codes[0])
    assert make(qtbot, window) == codes  # the dialog is given the picks, in bundle order
    assert not picking.active and not picking.isVisible()  # made: picking ends
    assert window.session.cluster == NAME
    profiles_equal(window, NAME, "Pershore")


def test_a_lasso_round_pershore_picks_exactly_its_areas(qtbot, window):
    view, picking = window.map_view, window.map_view.picking
    areas = window.session.bundle.areas
    codes = pershore(window)
    outline = shapely.union_all(areas.loc[areas["cluster"] == "Pershore", "geometry"].values)
    parts = sorted(shapely.get_parts(outline), key=lambda p: -p.area)
    inside = [c for c, g in zip(areas["area_code"], areas.geometry)
              if g.representative_point().within(parts[0])]
    assert len(inside) > 5
    picking.lasso_button.click()
    ring = shapely.get_coordinates(parts[0].exterior.simplify(50))
    drag(view, ring)
    assert set(picking.picked_codes()) == set(inside)
    if len(parts) == 1:
        assert set(inside) == set(codes)
    # a rectangle holds at least every area wholly inside it, and only areas it touches
    picking.rectangle_button.click()
    picking.clear()
    x0, y0, x1, y1 = shapely.total_bounds(areas.loc[areas["area_code"].isin(codes), "geometry"])
    box = shapely.box(x0, y0, x1, y1)
    drag(view, [(x0, y0), ((x0 + x1) / 2, (y0 + y1) / 2), (x1, y1)])
    picked = set(picking.picked_codes())
    assert set(codes) <= picked  # every Pershore area lies within its own bounds
    assert {c for c, g in zip(areas["area_code"], areas.geometry) if g.within(box)} <= picked
    assert picked <= {c for c, g in zip(areas["area_code"], areas.geometry)
                      if g.intersects(box)}
    # with Ctrl the same rectangle takes them away (Qt's test events carry no modifier to
    # matplotlib, which asks the keyboard: the canvas' event is given it here)
    canvas = view.canvas
    a, b = view.ax.transData.transform([(x0, y0), (x1, y1)])
    MouseEvent("button_press_event", canvas, *a, 1, modifiers=frozenset({"ctrl"}))._process()
    MouseEvent("motion_notify_event", canvas, *b)._process()
    MouseEvent("button_release_event", canvas, *b, 1)._process()
    assert picking.picked_codes() == ()
    drawn = picking._collection
    picking.cancel_button.click()
    assert not picking.active and not picking.isVisible()
    assert drawn not in view.ax.collections  # the picks' drawing went with them


def test_space_adds_and_removes_the_area_stepped_to(qtbot, window):
    view, picking = window.map_view, window.map_view.picking
    view.setFocus()
    QTest.keyClick(view, Qt.Key.Key_PageDown)  # the chosen cluster's areas come first
    first = str(view.artists.area_codes[view.keys.current])
    assert first in pershore(window)
    QTest.keyClick(view, Qt.Key.Key_Space)
    assert picking.picked_codes() == (first,)
    assert view.accessibleDescription().endswith(": picked (1 area picked)")
    QTest.keyClick(view, Qt.Key.Key_PageDown)
    QTest.keyClick(view, Qt.Key.Key_Space)
    assert len(picking.picked_codes()) == 2
    QTest.keyClick(view, Qt.Key.Key_PageUp)
    QTest.keyClick(view, Qt.Key.Key_Space)
    assert first not in picking.picked_codes() and len(picking.picked_codes()) == 1
    assert "not picked" in view.accessibleDescription()


def test_the_cluster_map_pauses_picking_with_the_picks_kept_and_a_lock_ends_it(qtbot, window):
    picking, first = window.map_view.picking, pershore(window)[0]
    click_area(qtbot, window, first)
    window.custom_areas.pick_on_map()  # asked again while picking: the picks stay
    assert picking.picked_codes() == (first,)
    window.session.set_map_level(MAP_CLUSTERS)
    assert not picking.active and picking.isVisible()  # waiting: a click selects a cluster
    assert picking.count.text().startswith("1 area picked: show small areas")
    assert picking.make_button.isEnabled() and not picking.lasso_button.isEnabled()
    window.session.set_map_level(MAP_AREAS)
    assert picking.active and picking.picked_codes() == (first,)
    click_area(qtbot, window, pershore(window)[1])
    assert picking.picked_codes() == tuple(pershore(window)[:2])
    window.session.set_map_level(MAP_CLUSTERS)
    window.custom_areas.pick_on_map()  # the menu brings the small areas and the picks back
    assert picking.active and window.session.map_level == MAP_AREAS
    assert picking.picked_codes() == tuple(pershore(window)[:2])
    window.lock()
    assert not picking.active and picking.picked_codes() == ()


def test_the_pooled_custom_area_is_pershores_pooled_profile(qtbot, window, monkeypatch):
    pooled_plain = []  # the bundle as opened is pooled once, however often custom areas change
    monkeypatch.setattr(view_sync, "pool_periods",
                        lambda *args: pooled_plain.append(args[2]) or pool_periods(*args))
    for code in pershore(window):
        click_area(qtbot, window, code)
    make(qtbot, window)
    s = window.session
    s.set_indicator(next(i.id for i in s.bundle.manifest.indicators if len(i.periods) >= 6))
    window.sync.request_pool(3)
    qtbot.waitUntil(lambda: s.pool == 3, timeout=120_000)
    assert s.period.endswith("combined")  # the chosen indicator's window
    profiles_equal(window, NAME, "Pershore")
    assert window.sync.profile_for(NAME)["period"].str.endswith("combined").sum() > 30
    # another custom area while pooled: pooled again, with it
    make_area(qtbot, window, "\n".join(pershore(window)[:3]))
    qtbot.waitUntil(lambda: window.session.pool == 3, timeout=120_000)
    assert window.session.view_bundle.custom_areas.keys() == {NAME, AREA_NAME}
    assert window.sync.profile_for(AREA_NAME)["period"].str.endswith("combined").any()
    profiles_equal(window, NAME, "Pershore")
    assert pooled_plain == [3]
