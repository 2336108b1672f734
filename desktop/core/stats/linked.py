"""Suppression of a table whose cells are sums of cells published in another table.

A pooled period is published beside the single periods it combines: an area's "2021/22 -
2023/24 combined" count is the sum of its three single-period counts, and so for every
cluster and the county. The single periods' suppression is final (they are published as they
are), so the pooled table's suppression has to respect it, cell by cell:

- a cell with exactly one hidden part would reveal that part by subtraction: it is hidden;
- a cell whose parts are all shown can be worked out from them, so hiding it protects
  nothing: it is never chosen to protect another cell (secondary suppression);
- a cell with two or more hidden parts may be shown (it tells only their sum, as any total
  with two hidden members does) or hidden.

`HiddenParts` carries, for every cell, how many of its parts are hidden, and the cells hidden
besides (`forced`); aggregate.py applies the rules inside its usual primary and secondary
suppression.

Those rules look at one sum at a time, and sums can combine: a pooled count minus two period
totals can pin a count that no single sum reveals. `determined` finds every such cell exactly.
The sums of one indicator's window form a graph: each sum is a vertex (a cluster in one
period or the pooled one, the county in one of them, an area's or the county's window), each
hidden cell an edge between the two sums it enters (the cluster window sums follow from the
others and are left out, which leaves every cell in exactly two). A hidden cell is then
determined by the published numbers exactly when its edge lies on no cycle of hidden cells:
a bridge of the graph.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
from scipy import sparse
from scipy.sparse.csgraph import breadth_first_order, connected_components

UNLINKED = -1  # a cell that is no sum of cells published elsewhere


@dataclass(frozen=True, eq=False)
class HiddenParts:
    """How many of each cell's published parts are hidden, and the cells to hide besides.

    areas, forced_areas: one entry per row of the values table the statistics come from.
    aggregates, forced_aggregates: (indicator_id, period) -> one entry per cluster in display
        order, then the county; an indicator-period not listed is unlinked / not forced.
    """

    areas: np.ndarray
    aggregates: Mapping[tuple[str, str], np.ndarray] = field(default_factory=dict)
    forced_areas: np.ndarray | None = None
    forced_aggregates: Mapping[tuple[str, str], np.ndarray] = field(default_factory=dict)


def must_hide(parts: np.ndarray, forced: np.ndarray | bool = False) -> np.ndarray:
    """Cells that would reveal their only hidden part, and the forced ones."""
    return (np.asarray(parts) == 1) | np.asarray(forced, dtype=bool)


def may_hide(parts: np.ndarray) -> np.ndarray:
    """Cells that hiding protects: not those whose parts are all shown."""
    return np.asarray(parts) != 0


def bridges(n_vertices: int, u: np.ndarray, v: np.ndarray, seed: int = 0) -> np.ndarray:
    """Which edges (u[i], v[i]) of an undirected simple graph lie on no cycle.

    A breadth-first forest is grown from one extra vertex joined to every component; an edge
    off the forest closes a cycle, and a forest edge is a bridge when no such edge leaves the
    subtree below it. Each off-forest edge gets a random 64-bit key XORed into both its ends:
    a subtree's XOR is then zero exactly when no key crosses its boundary (a wrong zero has
    odds of 2^-64, and would only hide one cell more).
    """
    u, v = np.asarray(u, dtype=np.int64), np.asarray(v, dtype=np.int64)
    if u.size == 0:
        return np.zeros(0, bool)
    ones = np.ones(u.size)
    _, label = connected_components(
        sparse.csr_matrix((ones, (u, v)), shape=(n_vertices, n_vertices)), directed=False)
    roots = np.full(label.max() + 1, n_vertices)
    np.minimum.at(roots, label, np.arange(n_vertices))  # the first vertex of each component
    root, n = n_vertices, n_vertices + 1
    joined = sparse.csr_matrix(
        (np.ones(u.size + roots.size), (np.r_[u, np.full(roots.size, root)], np.r_[v, roots])),
        shape=(n, n))
    order, parent = breadth_first_order(joined, root, directed=False)
    # in a simple graph an edge is on the forest exactly when one end is the other's parent
    child = np.where(parent[u] == v, u, np.where(parent[v] == u, v, -1))
    off_tree = child < 0
    keys = np.random.default_rng(seed).integers(1, 2**63 - 1, size=u.size, dtype=np.int64)
    acc = np.zeros(n, dtype=np.int64)
    np.bitwise_xor.at(acc, u[off_tree], keys[off_tree])
    np.bitwise_xor.at(acc, v[off_tree], keys[off_tree])
    depth = np.full(n, -1)
    depth[root] = 0
    waiting = order[1:]
    while waiting.size:  # level by level: a parent's depth is known one round before
        ready = depth[parent[waiting]] >= 0
        depth[waiting[ready]] = depth[parent[waiting[ready]]] + 1
        waiting = waiting[~ready]
    for level in range(int(depth.max()), 1, -1):  # fold each subtree into its parent
        at = order[depth[order] == level]
        np.bitwise_xor.at(acc, parent[at], acc[at])
    return ~off_tree & (acc[np.maximum(child, 0)] == 0)


def determined(single: np.ndarray, pooled: np.ndarray, cluster_of: np.ndarray,
               n_clusters: int) -> tuple[np.ndarray, np.ndarray]:
    """The hidden cells of one indicator's window that the published numbers determine.

    single: hidden flags, periods x codes; pooled: hidden flags of the pooled cells; codes are
    the areas, then the clusters, then the county (a cell that does not exist is not hidden).
    cluster_of: each area's cluster position, -1 for none. Returns masks shaped like the two.
    """
    single, pooled = np.asarray(single, bool), np.asarray(pooled, bool)
    n_periods, n_codes = single.shape
    n_areas, views = cluster_of.size, n_periods + 1
    county_window = n_areas  # vertices: areas' windows, the county's, cluster sums, county sums
    cluster_sum = n_areas + 1 + np.arange(n_clusters)[:, None] * views + np.arange(views)
    county_sum = n_areas + 1 + n_clusters * views + np.arange(views)
    cluster_of = np.asarray(cluster_of)
    flags = np.vstack([single, pooled])  # views x codes
    view, code = np.nonzero(flags)
    area, county = code < n_areas, code == n_codes - 1
    aggregate = ~area & ~county
    cl = np.where(area, cluster_of[np.minimum(code, n_areas - 1)], code - n_areas)
    u = np.where(area, code, county_window)
    u[aggregate] = cluster_sum[cl[aggregate], view[aggregate]]
    v = county_sum[view]
    own = area & (cl >= 0)
    v[own] = cluster_sum[cl[own], view[own]]
    found = bridges(county_sum[-1] + 1, u, v)
    out = np.zeros(flags.shape, bool)
    out[view[found], code[found]] = True
    return out[:n_periods], out[n_periods]
