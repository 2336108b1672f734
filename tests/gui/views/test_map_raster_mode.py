"""MapView's raster mode (forced on small maps by a low threshold): the id raster is rendered
once per view, an indicator switch only recolours it, a view change renders it again after
the view settles, and what reaches the screen is each area's own colour."""

from __future__ import annotations

import threading

import numpy as np
import pytest
import shapely

from desktop.core.maps import raster as map_raster
from desktop.core.maps.classify import classify
from desktop.core.maps.colours import face_colours
from desktop.core.plotting.palettes import palette_colours
from desktop.gui.views import map_raster_layer
from desktop.gui.views.map_view import MapView


class Calls(list):
    threads: list


@pytest.fixture
def counted(monkeypatch):
    calls = Calls()
    real = map_raster.render_ids

    def render_ids(*args, **kwargs):
        calls.append(args[1])
        threads.append(threading.current_thread())
        return real(*args, **kwargs)

    threads = []

    monkeypatch.setattr(map_raster, "render_ids", render_ids)
    calls.threads = threads
    return calls


@pytest.fixture
def raster_view(qtbot, demo_bundle, counted):
    view = MapView()
    view.raster_limit = 10  # the demo's ~300 areas are drawn as a raster
    qtbot.addWidget(view)
    view.resize(900, 700)
    view.show()
    qtbot.waitExposed(view)
    view.set_geometry(demo_bundle.areas, demo_bundle.schools)
    show(view, np.arange(len(demo_bundle.areas), dtype=float), "Blues")
    view.render_now()
    return view


def show(view: MapView, values: np.ndarray, palette: str):
    c = classify(values, "quantiles", 5)
    colours = palette_colours(palette, c.k)
    view.show_values(values, c, colours, "Indicator", period="2024")
    return face_colours(c, colours)


def test_raster_mode_hides_the_vector_areas_and_shows_one_image(raster_view):
    view = raster_view
    assert view.raster_mode and view.raster_layer.raster is not None
    assert not view.artists.areas.get_visible() and view.raster_layer.image.get_visible()
    # cluster boundaries are drawn into the raster; the highlight and schools stay vectors
    assert not view.artists.boundaries.get_visible()
    assert view.artists.highlight.get_visible() and view.artists.schools.get_visible()
    assert (view.raster_layer.raster.ids == view.raster_layer.raster.boundary_code).sum() > 500
    assert list(view.ax.images) == [view.raster_layer.image]


def test_a_switch_recolours_without_rendering_the_raster_again(raster_view, counted):
    view = raster_view
    assert len(counted) == 1
    collection, raster = view.artists.areas, view.raster_layer.raster
    n = len(view.artists.paths)
    faces = show(view, np.arange(n, dtype=float)[::-1], "Oranges")
    view.render_now()
    assert len(counted) == 1 and view.raster_layer.raster is raster and view.artists.areas is collection
    np.testing.assert_allclose(collection.get_facecolor(), faces)
    # the image is the new colours gathered through the kept ids
    image = view.raster_layer.image.get_array()
    code = int(raster.ids[raster.ids.shape[0] // 2, raster.ids.shape[1] // 2])
    assert 0 < code <= n
    np.testing.assert_array_equal(image[raster.ids.shape[0] // 2, raster.ids.shape[1] // 2],
                                  np.round(faces[code - 1] * 255).astype(np.uint8))


def test_a_view_change_renders_the_raster_once_it_settles(raster_view, counted, qtbot):
    view = raster_view
    before = view.raster_layer.raster.extent
    view.zoom(0.5)
    view.pan(0.1, 0)
    assert len(counted) == 1  # not per step: only once the view has settled
    assert view.raster_layer.settle.isActive()
    qtbot.waitUntil(lambda: view.raster_layer.raster.extent != before, timeout=3000)
    assert len(counted) == 2
    # rendered away from the GUI thread (about 0.1 s at England scale)
    assert counted.threads[-1] is not threading.main_thread()
    np.testing.assert_allclose(view.raster_layer.raster.extent, _bounds(view))
    qtbot.wait(map_raster_layer.SETTLE_MS * 2)
    assert len(counted) == 2


def _bounds(view: MapView) -> tuple:
    (x0, x1), (y0, y1) = view.ax.get_xlim(), view.ax.get_ylim()
    return (x0, y0, x1, y1)


def test_each_area_interior_reaches_the_screen_in_its_own_colour(raster_view, demo_bundle):
    view = raster_view
    faces = show(view, np.sin(np.arange(len(demo_bundle.areas), dtype=float)), "Greens")
    view.set_cluster(None)
    view.render_now()
    raster = view.raster_layer.raster
    geometries = np.asarray(demo_bundle.areas.geometry.values, dtype=object)
    pixel = (raster.extent[2] - raster.extent[0]) / raster.ids.shape[1]
    circles = shapely.maximum_inscribed_circle(geometries, pixel / 4)
    inside = shapely.length(circles) > 4 * pixel  # well inside, clear of edges and outlines
    assert inside.sum() >= 80  # areas at least eight pixels across somewhere
    points = shapely.get_coordinates(shapely.get_point(circles, 0))
    # the id under each interior point decodes to the area itself
    x0, y0, x1, y1 = raster.extent
    height, width = raster.ids.shape
    cols = np.floor((points[:, 0] - x0) / (x1 - x0) * width).astype(int)
    rows = np.floor((y1 - points[:, 1]) / (y1 - y0) * height).astype(int)
    np.testing.assert_array_equal(raster.ids[rows, cols][inside], np.flatnonzero(inside) + 1)
    # and the canvas shows the area's face colour there
    screen = np.asarray(view.canvas.buffer_rgba())
    display = view.ax.transData.transform(points)
    sx = np.floor(display[:, 0]).astype(int)
    sy = (screen.shape[0] - 1 - np.floor(display[:, 1])).astype(int)
    school_xy = shapely.get_coordinates(np.asarray(demo_bundle.schools.geometry.values))
    near_school = np.array([np.hypot(*(school_xy - p).T).min() < 6 * pixel for p in points])
    check = inside & ~near_school
    got = screen[sy[check], sx[check], :3].astype(int)
    want = np.round(faces[check, :3] * 255).astype(int)
    assert np.abs(got - want).max() <= 1


def test_a_raster_rendered_for_a_dropped_view_is_not_installed(raster_view, qtbot, counted):
    """A lock (or a new bundle) while a raster renders: the late result is thrown away."""
    view = raster_view
    raster = view.raster_layer.raster
    view.zoom(0.5)
    view.raster_layer.settle.timeout.emit()  # the settled view starts rendering in its thread
    view.raster_layer.generation += 1  # ...and is dropped before it arrives
    qtbot.waitUntil(lambda: len(counted) == 2, timeout=3000)
    qtbot.wait(200)
    assert view.raster_layer.raster is raster


def test_cluster_level_hides_the_raster_and_coming_back_repaints_it(raster_view, counted,
                                                                    demo_bundle):
    """The cluster map is vectors (a dozen shapes): the areas' image hides and stops
    rendering; back at small areas the image shows again, recoloured by the areas' classes."""
    layer = raster_view.raster_layer
    artists = raster_view.artists
    raster_view.set_level("clusters")
    assert not layer.image.get_visible() and not layer.pending
    assert artists.cluster_fills.get_visible() and not artists.areas.get_visible()
    rendered = len(counted)
    raster_view.zoom(0.5)  # a view change at cluster level renders no raster
    raster_view.render_now()
    assert len(counted) == rendered
    show(raster_view, np.arange(12, dtype=float), "Greens")  # clusters, not areas
    raster_view.set_level("areas")
    assert not artists.areas.get_visible()  # still the raster's job
    expected = show(raster_view, np.arange(len(demo_bundle.areas), dtype=float)[::-1], "Blues")
    raster_view.render_now()
    assert layer.image.get_visible() and len(counted) == rendered + 1
    np.testing.assert_allclose(artists.areas.get_facecolor(), expected)
