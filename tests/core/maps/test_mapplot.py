"""The map drawn onto an Axes: one kept collection, recolouring, legend, hit-testing."""

from __future__ import annotations

import dataclasses

import geopandas as gpd
import numpy as np
import pytest
import shapely
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from desktop.core.geometry import display as display_geometry
from desktop.core.maps import mapplot, shapes
from desktop.core.maps.classify import SUPPRESSED_LABEL, classify
from desktop.core.plotting.palettes import NoData, palette_colours


def squares_frame() -> gpd.GeoDataFrame:
    """Six unit squares in a row (x from 0 to 12, gaps of 1), three per cluster; the last has a
    hole, the fifth is a multipolygon."""
    geoms = [shapely.box(2 * i, 0, 2 * i + 1, 1) for i in range(6)]
    geoms[4] = shapely.MultiPolygon([shapely.box(8, 0, 9, 0.4), shapely.box(8, 0.6, 9, 1)])
    geoms[5] = shapely.Polygon([(10, 0), (11, 0), (11, 1), (10, 1)],
                               [[(10.25, 0.25), (10.75, 0.25), (10.75, 0.75), (10.25, 0.75)]])
    return gpd.GeoDataFrame({"area_code": [f"E0{i}" for i in range(6)],
                             "area_name": [f"Area {i}" for i in range(6)],
                             "cluster": ["West"] * 3 + ["East"] * 3}, geometry=geoms,
                            crs="EPSG:27700")


@pytest.fixture
def drawn():
    fig = Figure(figsize=(6, 3))
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    schools = gpd.GeoDataFrame({"name": ["A", "B"]},
                               geometry=[shapely.Point(0.5, 0.5), shapely.Point(6.5, 0.5)],
                               crs="EPSG:27700")
    return mapplot.draw_map(ax, squares_frame(), schools=schools)


VALUES = np.array([1.0, 2.0, 3.0, 4.0, np.nan, 6.0])
SUPPRESSED = np.array([0, 0, 0, 1, 0, 0], bool)


def test_recolour_gives_each_area_its_class_colour_on_the_same_collection(drawn):
    collection = drawn.areas
    c = classify(VALUES, "equal_interval", 3, suppressed=SUPPRESSED)
    colours = palette_colours("Greens", c.k)
    mapplot.show_classes(drawn, c, colours, "Test indicator", period="2024")
    faces = drawn.areas.get_facecolor()
    assert drawn.areas is collection
    assert drawn.ax.collections.count(collection) == 1
    for area in (0, 1, 2, 5):
        np.testing.assert_allclose(faces[area], colours[c.class_index[area]])
    np.testing.assert_allclose(faces[3], NoData.SUPPRESSED_COLOUR)
    np.testing.assert_allclose(faces[4], NoData.MISSING_COLOUR)
    # the hatched overlays reuse the very Path objects of the suppressed and missing areas
    assert drawn.suppressed_overlay.get_paths() == [drawn.paths[3]]
    assert drawn.missing_overlay.get_paths() == [drawn.paths[4]]

    other = classify(VALUES[::-1].copy(), "quantiles", 4)
    greens = palette_colours("Blues", other.k)
    mapplot.show_classes(drawn, other, greens, "Another")
    assert drawn.areas is collection
    np.testing.assert_allclose(drawn.areas.get_facecolor()[5], greens[other.class_index[5]])
    assert drawn.suppressed_overlay.get_paths() == []


def test_legend_lists_classes_with_counts_and_no_data(drawn):
    c = classify(VALUES, "equal_interval", 3, suppressed=SUPPRESSED)
    mapplot.show_classes(drawn, c, palette_colours("Greens", c.k), "Children in need",
                         period="2023/24", note="synthetic, for demonstration")
    texts = [t.get_text() for t in drawn.legend.get_texts()]
    for label, count in zip(c.labels, c.counts):
        assert f"{label} ({count})" in texts
    assert "[c] confidential: small numbers (1)" in texts
    assert "[x] not available: no value (1)" in texts
    assert "School" in texts and "Cluster boundary" in texts
    title = drawn.legend.get_title().get_text()
    assert "Children in need" in title and "2023/24" in title and "synthetic" in title
    assert drawn.ax.get_legend() is drawn.legend


def test_rendered_areas_keep_holes_and_gaps_between_parts(drawn):
    ax = drawn.ax
    ax.set_position((0, 0, 1, 1))
    drawn.areas.set_facecolor("red")
    drawn.areas.set_edgecolor("none")
    mapplot.zoom_to(ax, (8, 0, 11, 1), margin=0)
    ax.figure.canvas.draw()
    image = np.asarray(ax.figure.canvas.buffer_rgba())

    def red_at(x: float, y: float) -> bool:
        px, py = ax.transData.transform((x, y))
        r, g, b, _ = image[int(image.shape[0] - py), int(px)]
        return r > 200 and g < 50

    assert red_at(10.1, 0.5) and not red_at(10.5, 0.5)  # the hole is cut out
    assert red_at(8.5, 0.2) and red_at(8.5, 0.8) and not red_at(8.5, 0.5)  # two parts


def test_hit_test_finds_each_square_and_nothing_outside(drawn):
    for i in range(5):
        assert drawn.area_at(2 * i + 0.5, 0.2) == i
    assert drawn.area_at(10.1, 0.1) == 5
    assert drawn.area_at(10.5, 0.5) is None  # inside the hole
    assert drawn.area_at(1.5, 0.5) is None  # between squares
    assert drawn.area_at(50, 50) is None


def test_cluster_boundaries_highlight_and_selection(drawn):
    assert set(drawn.cluster_rings) == {"West", "East"}
    assert drawn.cluster_bounds("East") == (6.0, 0.0, 11.0, 1.0)
    mapplot.set_highlight(drawn, "West")
    assert len(drawn.highlight.get_segments()) == 3  # three separate squares
    mapplot.set_highlight(drawn, None)
    assert drawn.highlight.get_segments() == []
    mapplot.set_selected_area(drawn, 5)
    assert len(drawn.selected.get_segments()) == 2  # exterior and hole
    assert drawn.schools is not None and len(drawn.schools.get_offsets()) == 2


def test_zoom_to_keeps_aspect_and_covers_the_box(drawn):
    ax = drawn.ax
    mapplot.zoom_to(ax, (0, 0, 1, 1), margin=0)
    x0, y0, x1, y1 = mapplot.view_bounds(ax)
    assert x0 <= 0 and x1 >= 1 and y0 <= 0 and y1 >= 1
    box = ax.get_position(original=True).transformed(ax.figure.transFigure)
    assert (y1 - y0) / (x1 - x0) == pytest.approx(box.height / box.width)


def test_fit_axes_leaves_room_for_the_legend(drawn):
    c = classify(VALUES, "quantiles", 3)
    mapplot.show_classes(drawn, c, palette_colours("Blues", c.k), "A long indicator title")
    mapplot.fit_axes(drawn)
    fig = drawn.ax.figure
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    assert drawn.legend.get_window_extent(renderer).x1 <= fig.bbox.x1
    assert drawn.ax.get_position().x1 < 0.9


def _wiggly_grid(n: int = 3) -> gpd.GeoDataFrame:
    """n x n squares of side 1000 m sharing edges, each edge a zigzag of 1 m teeth every 10 m."""
    def edge(a, b, vertical):
        t = np.arange(0, 1000, 10.0)
        wiggle = np.where(np.arange(t.size) % 2, 1.0, 0.0)
        return [(b + w, a + s) if vertical else (a + s, b + w) for s, w in zip(t, wiggle)]
    # shared edges must have identical vertices: build every horizontal and vertical edge once
    h = {(i, j): edge(1000 * i, 1000 * j, False) for i in range(n) for j in range(n + 1)}
    v = {(i, j): edge(1000 * j, 1000 * i, True) for i in range(n + 1) for j in range(n)}
    geoms = []
    for i in range(n):
        for j in range(n):
            ring = (h[(i, j)] + [(1000 * (i + 1), 1000 * j)] + v[(i + 1, j)]
                    + [(1000 * (i + 1), 1000 * (j + 1))] + h[(i, j + 1)][::-1] + v[(i, j)][::-1])
            geoms.append(shapely.make_valid(shapely.Polygon(ring)))
    return gpd.GeoDataFrame({"area_code": [f"E{k}" for k in range(n * n)],
                             "cluster": ["A"] * (n * n)}, geometry=geoms, crs="EPSG:27700")


def test_simplify_draws_fewer_vertices_without_gaps_and_keeps_full_geometry(monkeypatch):
    monkeypatch.setattr(display_geometry, "SIMPLIFY_LIMIT", 4)
    frame = _wiggly_grid()
    full = mapplot.draw_map(Figure().add_subplot(), frame)
    simple = mapplot.draw_map(Figure().add_subplot(), frame, simplify=50.0)
    full_vertices = sum(len(p.vertices) for p in full.paths)
    simple_vertices = sum(len(p.vertices) for p in simple.paths)
    assert simple_vertices < full_vertices / 5
    # hit-tests and bounds use the full geometry, whatever is drawn
    assert simple.geometries is not None and all(
        shapely.equals_exact(a, b, 0) for a, b in zip(simple.geometries, frame.geometry))
    assert simple.bounds == full.bounds
    assert simple.area_at(1500.5, 1500.5) == full.area_at(1500.5, 1500.5) == 4
    # coverage-preserving: the drawn shapes tile the same square with no gaps or overlaps
    drawn = shapely.polygons([shapely.linearrings(p.vertices[:-1]) for p in simple.paths])
    assert sum(shapely.area(drawn)) == pytest.approx(3000 * 3000, rel=1e-3)
    assert shapely.area(shapely.union_all(drawn)) == pytest.approx(3000 * 3000, rel=1e-3)


def test_small_maps_and_exports_draw_the_full_geometry(monkeypatch):
    frame = _wiggly_grid()  # 9 areas: under the default limit, so simplify changes nothing
    plain = mapplot.draw_map(Figure().add_subplot(), frame)
    asked = mapplot.draw_map(Figure().add_subplot(), frame, simplify=50.0)
    assert [len(p.vertices) for p in plain.paths] == [len(p.vertices) for p in asked.paths]


def test_screen_maps_use_flat_no_data_fills_and_exports_hatch(drawn):
    """Hatching is for print; on screen it cost two thirds of a repaint, so it is off there."""
    c = classify(VALUES, "equal_interval", 3, suppressed=SUPPRESSED)
    fig = Figure(figsize=(6, 3))
    FigureCanvasAgg(fig)
    screen = mapplot.draw_map(fig.add_subplot(), squares_frame(), hatch=False)
    for artists in (drawn, screen):
        mapplot.show_classes(artists, c, palette_colours("Greens", c.k), "Title")
    suppressed_face = screen.areas.get_facecolors()[3]
    assert np.allclose(suppressed_face, NoData.SUPPRESSED_COLOUR)  # still told apart by fill
    assert not screen.suppressed_overlay.get_visible()
    assert drawn.suppressed_overlay.get_visible()
    assert drawn.suppressed_overlay.get_hatch() == NoData.SUPPRESSED_HATCH
    hatches = {p.get_label(): p.get_hatch() for p in screen.legend.get_patches()}
    assert hatches["[c] confidential: small numbers (1)"] is None
    hatches = {p.get_label(): p.get_hatch() for p in drawn.legend.get_patches()}
    assert hatches["[c] confidential: small numbers (1)"] == NoData.SUPPRESSED_HATCH


def test_a_large_bundle_stores_its_display_shapes_and_opening_draws_them(monkeypatch,
                                                                          demo_bundle):
    """write_bundle simplifies a large map's shapes once and stores them; prepare_geometry
    then draws the stored shapes (no simplification at open) and dissolves cluster outlines
    from them; a bundle whose display table lists other areas is refused by name."""
    from desktop.core.bundle import archive as bundle_io
    from desktop.core.errors import BundleContentError

    monkeypatch.setattr(display_geometry, "SIMPLIFY_LIMIT", 100)  # the demo's 364 areas
    opened = bundle_io.bundle_from_zip(bundle_io.bundle_to_zip(demo_bundle), "demo.atlas")
    display = opened.display
    assert display is not None and list(display["area_code"]) == list(opened.areas["area_code"])
    full_vertices = shapely.get_num_coordinates(opened.areas.geometry.values).sum()
    # (the demo's boundaries are generalised already: 50 m removes a few vertices only)
    assert shapely.get_num_coordinates(display.geometry.values).sum() < full_vertices

    def refuse(*_args, **_kwargs):
        raise AssertionError("simplified again at open")

    monkeypatch.setattr(shapely, "coverage_simplify", refuse)
    prepared = shapes.prepare_geometry(opened.areas, simplify=50.0, display=display)
    drawn = [len(p.vertices) for p in prepared.paths]
    stored = [len(shapely.get_coordinates(g)) for g in display.geometry.values]
    assert sum(drawn) <= sum(stored) + 4 * len(stored)  # the stored shapes (+ closing codes)
    # outlines of every cluster, dissolved from the stored coverage, cover their areas
    for name in opened.cluster_names:
        rings = prepared.outlines[name]
        assert rings and all(len(r) >= 4 for r in rings)
    # hit-tests still use the full geometry
    assert prepared.geometries[0] is not None and shapely.equals(
        prepared.geometries[0], opened.areas.geometry.values[0])

    wrong = display.assign(area_code=display["area_code"].iloc[::-1].to_numpy())
    bad = bundle_io.bundle_to_zip(dataclasses.replace(demo_bundle, display=wrong))
    with pytest.raises(BundleContentError, match="display table"):
        bundle_io.bundle_from_zip(bad, "demo.atlas")


def test_cluster_level_recolours_the_kept_cluster_collection(drawn):
    """The clusters are drawn once with the areas (hidden): switching level only changes what
    is visible, and colouring them keeps the same collection and paths."""
    fills, paths = drawn.cluster_fills, drawn.cluster_paths
    assert drawn.cluster_names == ("West", "East") and len(paths) == 2
    assert not fills.get_visible() and drawn.areas.get_visible()
    mapplot.set_level(drawn, "clusters")
    assert fills.get_visible() and not drawn.areas.get_visible()
    assert not drawn.schools.get_visible()
    assert [t.get_text() for t in drawn.cluster_labels if t.get_visible()] == ["West", "East"]
    c = classify(np.array([2.0, np.nan]), "equal_interval", 3,
                 suppressed=np.array([False, True]))
    colours = palette_colours("Greens", c.k)
    mapplot.show_classes(drawn, c, colours, "By cluster")
    assert drawn.cluster_fills is fills and all(a is b for a, b in zip(fills.get_paths(), paths))
    np.testing.assert_allclose(fills.get_facecolor()[0], colours[0])
    np.testing.assert_allclose(fills.get_facecolor()[1], NoData.SUPPRESSED_COLOUR)
    assert drawn.suppressed_overlay.get_paths()[0] is paths[1]  # East, hatched
    labels = [t.get_text() for t in drawn.legend.get_texts()]
    assert f"{SUPPRESSED_LABEL} (1)" in labels and "School" not in labels
    # each cluster's label sits inside it; a point finds its cluster
    for name, label in zip(drawn.cluster_names, drawn.cluster_labels):
        x, y = label.get_position()
        assert drawn.cluster_names[drawn.cluster_at(x, y)] == name
    assert drawn.cluster_at(20.0, 0.5) is None
    mapplot.set_level(drawn, "areas")
    assert drawn.areas.get_visible() and not fills.get_visible()
    assert not any(t.get_visible() for t in drawn.cluster_labels)
    with pytest.raises(ValueError, match="unknown map level"):
        mapplot.set_level(drawn, "wards")
