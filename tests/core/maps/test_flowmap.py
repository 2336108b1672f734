"""The flow map's shading and arrows against flows computed by hand from the demo bundle."""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib.figure import Figure

from desktop.core.maps import flowmap
from desktop.core.plotting.palettes import NoData
from desktop.core.stats import crossborder as cb

CLUSTER = "Malvern"


@pytest.fixture(scope="module")
def drawn(demo_bundle):
    ax = Figure(figsize=(6, 5)).add_subplot()
    return flowmap.draw_flow_map(ax, demo_bundle.areas), cb.flow_matrix(demo_bundle, "2023/24")


def _by_hand(bundle, direction):
    flows = bundle.flows[bundle.flows["period"] == "2023/24"]
    home = flows["home_area_code"].map(dict(zip(bundle.areas["area_code"],
                                                bundle.areas["cluster"])))
    flows = flows.assign(home=home.fillna(cb.OUTSIDE_LABEL))
    if direction == "in":
        sel = flows[flows["school_cluster"] == CLUSTER]
        return sel.groupby("home")["pupils"].sum()
    return flows[flows["home"] == CLUSTER].groupby("school_cluster")["pupils"].sum()


@pytest.mark.parametrize("direction", ["in", "out"])
def test_arrows_follow_the_flows(demo_bundle, drawn, direction):
    artists, matrix = drawn
    arrows = flowmap.show_flows(artists, matrix, CLUSTER, direction)
    expected = _by_hand(demo_bundle, direction).drop([CLUSTER, cb.OUTSIDE_LABEL],
                                                     errors="ignore")
    expected = expected[expected > 0]
    table = flowmap.flow_table(matrix, CLUSTER, direction).set_index("place")
    by_place = {a.get_gid().removeprefix("flow:"): a for a in arrows}
    assert set(by_place) == set(expected.index)
    visible = [p for p in expected.index if not table.loc[p, "suppressed"]]
    top = expected[visible].max()
    here = np.array(artists.centroids[CLUSTER])
    for place in expected.index:
        arrow = by_place[place]
        if table.loc[place, "suppressed"]:
            assert arrow.get_linestyle() == "--" and arrow.get_linewidth() == flowmap.MIN_WIDTH
        else:
            assert arrow.get_linewidth() == pytest.approx(
                max(flowmap.MIN_WIDTH, flowmap.MAX_WIDTH * expected[place] / top))
        start, end = (np.array(p) for p in arrow._posA_posB)
        there = np.array(artists.centroids[place])
        assert np.allclose((start, end), (there, here) if direction == "in" else (here, there))
    assert len(artists.base.ax.patches) == len(arrows)  # the previous arrows are gone


def test_areas_are_shaded_by_share(demo_bundle, drawn):
    artists, matrix = drawn
    flowmap.show_flows(artists, matrix, CLUSTER, "in")
    faces = artists.base.areas.get_facecolor()
    expected = _by_hand(demo_bundle, "in")
    share = 100 * expected / expected.sum()
    table = flowmap.flow_table(matrix, CLUSTER, "in").set_index("place")
    colours = flowmap.share_colours()
    clusters = artists.base.area_clusters
    for name in ("Worcester South", "Pershore", "Redditch", "Kidderminster"):
        face = faces[np.flatnonzero(clusters == name)[0]]
        if table.loc[name, "suppressed"]:
            assert np.allclose(face, NoData.SUPPRESSED_COLOUR)
        else:
            k = flowmap.share_classes(np.array([share.get(name, 0.0)]))[0]
            assert np.allclose(face, colours[k])
    assert np.allclose(faces[np.flatnonzero(clusters == CLUSTER)[0]], flowmap.CLUSTER_COLOUR)
    texts = [t.get_text() for t in artists.base.legend.get_texts()]
    assert any(t.startswith("Outside the county: ") for t in texts)


def test_share_classes_edges():
    assert flowmap.share_classes(np.array([0.0, 0.5, 1.0, 2.0, 4.0, 80.0, np.nan])).tolist() \
        == [0, 1, 1, 2, 3, 4, -1]


def test_centroids_lie_inside_their_clusters(demo_bundle, drawn):
    import shapely
    artists, _ = drawn
    areas = demo_bundle.areas
    for name, (x, y) in artists.centroids.items():
        union = shapely.union_all(np.asarray(areas.geometry[areas["cluster"] == name].values))
        assert union.buffer(1).contains(shapely.Point(x, y))
