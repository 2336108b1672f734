"""The map geometry is prepared in the opening worker (load_workspace) and draws the same map
as one derived from the areas on the spot."""

from __future__ import annotations

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from desktop.core.maps import mapplot, shapes
from desktop.core.workspace import load_workspace
from tests.conftest import DEMO_PASSPHRASE


def test_load_workspace_prepares_the_screen_map_geometry(demo_bundle_path):
    workspace = load_workspace(demo_bundle_path, DEMO_PASSPHRASE)
    g = workspace.map_geometry
    areas = workspace.bundle.areas
    assert g.source is areas and g.schools_source is workspace.bundle.schools
    assert len(g.paths) == len(areas) == len(g.geometries)
    np.testing.assert_array_equal(g.area_codes, areas["area_code"].astype(str).to_numpy())
    assert set(g.outlines) == set(areas["cluster"].dropna())
    assert g.school_xy.shape == (len(workspace.bundle.schools), 2)
    # the tree finds the area under its own representative point
    point = areas.geometry.iloc[7].representative_point()
    assert 7 in g.tree.query(point, predicate="intersects")


def test_drawing_prepared_geometry_matches_drawing_the_frame(demo_bundle):
    def draw(source, **kwargs):
        fig = Figure(figsize=(5, 4))
        FigureCanvasAgg(fig)
        return mapplot.draw_map(fig.add_subplot(), source, **kwargs)

    prepared = shapes.prepare_geometry(demo_bundle.areas, demo_bundle.schools)
    a = draw(prepared)
    b = draw(demo_bundle.areas, schools=demo_bundle.schools)
    assert a.paths is prepared.paths and a.tree is prepared.tree
    assert a.bounds == b.bounds and a.cluster_rings.keys() == b.cluster_rings.keys()
    np.testing.assert_array_equal(a.area_codes, b.area_codes)
    for p, q in zip(a.paths, b.paths):
        np.testing.assert_array_equal(p.vertices, q.vertices)
    np.testing.assert_array_equal(a.schools.get_offsets(), b.schools.get_offsets())
