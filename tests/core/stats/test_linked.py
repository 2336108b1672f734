"""The graph of sums behind linked suppression: bridges are exactly the determined cells."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import sparse
from scipy.sparse.csgraph import connected_components

from desktop.core.stats.linked import bridges, determined, may_hide, must_hide


def _bridges_by_removal(n, edges):
    """An edge is a bridge when removing it leaves its two ends apart."""
    out = []
    for k, (a, b) in enumerate(edges):
        rest = [e for j, e in enumerate(edges) if j != k]
        u, v = (np.array([e[0] for e in rest], int), np.array([e[1] for e in rest], int))
        graph = sparse.csr_matrix((np.ones(len(rest)), (u, v)), shape=(n, n))
        _, label = connected_components(graph, directed=False)
        out.append(label[a] != label[b])
    return np.array(out, bool)


def test_bridges_of_a_small_graph():
    # two cycles joined by 3-4, a leaf 6-7, a lone edge 8-9 and a triangle apart
    edges = [(0, 1), (1, 2), (2, 3), (3, 0), (3, 4), (4, 5), (5, 6), (6, 4), (6, 7), (8, 9),
             (10, 11), (11, 12), (12, 10)]
    u, v = np.array(edges).T
    assert list(np.flatnonzero(bridges(14, u, v))) == [4, 8, 9]
    assert bridges(3, np.array([], int), np.array([], int)).size == 0


@settings(max_examples=150, deadline=None)
@given(st.integers(2, 14).flatmap(lambda n: st.tuples(
    st.just(n), st.sets(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1))
                        .filter(lambda e: e[0] < e[1]), max_size=25))))
def test_bridges_match_removing_each_edge(graph):
    n, edges = graph
    edges = sorted(edges)
    if not edges:
        return
    u, v = np.array(edges).T
    np.testing.assert_array_equal(bridges(n, u, v), _bridges_by_removal(n, edges))


def test_a_count_pinned_through_two_period_totals_is_found():
    """Three areas of one cluster over three periods and pooled, clusters and county shown.
    X is hidden in every period and shown pooled, Y hidden in the first two, Z and W in the
    third and pooled: X's third period = X pooled - (total 1 + total 2 - Y pooled's rest)."""
    cluster_of = np.array([0, 0, 0, 0, 0])  # X, Y, Z, W, and a fifth area always shown
    single = np.zeros((3, 5 + 1 + 1), bool)  # areas, one cluster, the county
    single[:, 0] = True  # X
    single[:2, 1] = True  # Y
    single[2, 2] = single[2, 3] = True  # Z, W
    pooled = np.zeros(7, bool)
    pooled[[2, 3]] = True  # Z and W pooled: each had exactly one hidden period
    lost_single, lost_pooled = determined(single, pooled, cluster_of, 1)
    assert lost_single[2, 0] and lost_single.sum() == 1 and not lost_pooled.any()
    pooled[0] = True  # hiding X's pooled count closes the cycle through its third period
    lost_single, lost_pooled = determined(single, pooled, cluster_of, 1)
    assert not lost_single.any() and not lost_pooled.any()


def test_rules_one_sum_at_a_time():
    parts = np.array([-1, 0, 1, 2, 3])
    assert list(must_hide(parts)) == [False, False, True, False, False]
    assert list(must_hide(parts, np.array([0, 1, 0, 0, 1], bool))) == [False, True, True,
                                                                       False, True]
    assert list(may_hide(parts)) == [True, False, True, True, True]
