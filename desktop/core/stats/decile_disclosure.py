"""Suppression of the counts by IMD decile, so that no hidden count can be worked out from them.

The inequalities view publishes, for one indicator and period, the county's count in each
national IMD decile and every cluster's count in each decile. Each is a sum of small areas,
cut across the sums published already (areas to clusters to the county): the county's decile 3
less the shown areas in decile 3 is the sum of the hidden areas there, which is one hidden
area exactly when only one lies in decile 3. The decile counts are therefore suppressed
together with everything else published, by the rule of stats.linked: no hidden count may be
determined by the published numbers.

The published numbers form a signed graph, which keeps this exact and fast. Areas fall into
groups by (cluster, decile); the clusters' areas in no decile and the areas in no cluster make
one more column and one more row. Hidden areas of one group enter every sum together, so they
act as one unknown, their total: an edge from the group's cluster (a row) to its decile (a
column) whenever the group's own count is not shown. A row's vertex is its cluster's sum, a
column's the county's decile sum; a hidden cluster total is an edge from its row to the
county's vertex of rows, a hidden county decile an edge from its column to the county's vertex
of columns, and a hidden county total joins those two. Every cycle of this graph is balanced,
so an unknown is determined exactly when its edge is a bridge (stats.linked.bridges).

A hidden count that is determined (a group with one hidden area, a hidden decile count, a
hidden cluster or county total) is protected by hiding one more decile count, the smallest
first, next to it, until none is, or until all are hidden, which publishes nothing more than
the areas, clusters and county already do: what those alone determine is not made worse here.
Counts from 1 to the threshold are hidden first (primary suppression), and a decile count
with exactly one hidden area always.

Pooled periods publish decile counts that are sums of the single periods' (stats.pooling):
a pooled count with exactly one hidden single-period part would reveal it, so it is hidden
too (stats.linked's rule for pooled cells), before the graph above protects what that hides.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from desktop.core.stats import suppression
from desktop.core.stats.linked import bridges

N_DECILES = 10


@dataclass(frozen=True)
class DecileCells:
    """The counts of one indicator-period by cluster and decile, and what is hidden.

    count: (clusters + 1) x (deciles + 1) summed counts, the last row for areas in no
    cluster, the last column for areas of no known decile; hidden_areas: the number of hidden
    areas in each of those groups; members: the number of areas counted in each.
    """

    count: np.ndarray
    hidden_areas: np.ndarray
    members: np.ndarray


def decile_cells(count: np.ndarray, hidden: np.ndarray, member: np.ndarray, row: np.ndarray,
                 column: np.ndarray, n_clusters: int) -> DecileCells:
    """Sum areas into their (cluster, decile) groups: `row` each area's cluster position
    (n_clusters for none), `column` its decile - 1 (N_DECILES for none)."""
    shape = (n_clusters + 1, N_DECILES + 1)
    key = np.ravel_multi_index((row[member], column[member]), shape)
    size = shape[0] * shape[1]
    return DecileCells(
        np.bincount(key, np.nan_to_num(count[member]), size).reshape(shape),
        np.bincount(key, hidden[member].astype(float), size).reshape(shape).astype(int),
        np.bincount(key, minlength=size).reshape(shape))


def hide_decile_counts(cells: DecileCells, cluster_hidden: np.ndarray, county_hidden: bool,
                       threshold: float, forced: tuple[np.ndarray, np.ndarray] | None = None
                       ) -> tuple[np.ndarray, np.ndarray]:
    """Which decile counts to hide: (clusters x deciles, deciles) for the clusters' and the
    county's decile counts, given the areas' groups and which cluster totals (and whether the
    county's) are hidden already; `forced`: counts to hide besides, in the same shapes (a
    pooled count with one hidden single-period part)."""
    n_cl = cells.count.shape[0] - 1
    exists = cells.members[:n_cl, :N_DECILES] > 0
    county_count = cells.count[:, :N_DECILES].sum(axis=0)
    county_exists = cells.members[:, :N_DECILES].sum(axis=0) > 0
    group_hidden = cells.hidden_areas[:n_cl, :N_DECILES]
    cluster = exists & (suppression.primary_mask(cells.count[:n_cl, :N_DECILES], threshold)
                        | (group_hidden == 1))
    county = county_exists & (suppression.primary_mask(county_count, threshold)
                              | (cells.hidden_areas[:, :N_DECILES].sum(axis=0) == 1))
    if forced is not None:
        cluster |= exists & forced[0]
        county |= county_exists & forced[1]
    graph = _Graph(cells, np.asarray(cluster_hidden, bool), bool(county_hidden))
    every = graph.determined(exists, county_exists)  # with every decile count hidden
    while True:
        worse = graph.determined(cluster, county) & ~every
        if not worse.any():
            return cluster, county
        chosen = graph.next_to_hide(np.flatnonzero(worse)[0], cluster & exists,
                                    county & county_exists, county_count)
        if chosen is None:
            return cluster, county
        kind, at = chosen
        (cluster if kind == "cluster" else county)[at] = True


class _Graph:
    """The published sums of one indicator-period as a graph: vertices are the rows
    (clusters, then no cluster), the columns (deciles, then no decile), the county's sum of
    rows and its sum of columns; edges are the unknowns."""

    def __init__(self, cells: DecileCells, cluster_hidden: np.ndarray, county_hidden: bool):
        self.cells = cells
        self.n_rows, self.n_cols = cells.count.shape
        self.rows_total = self.n_rows + self.n_cols
        self.cols_total = self.rows_total + 1
        self.cluster_hidden, self.county_hidden = cluster_hidden, county_hidden

    def edges(self, cluster: np.ndarray, county: np.ndarray):
        """(u, v, secret, label) of every unknown; label (kind, index) names what it is."""
        n_cl = self.n_rows - 1
        shown = np.zeros((self.n_rows, self.n_cols), bool)
        shown[:n_cl, :N_DECILES] = ~cluster & (self.cells.members[:n_cl, :N_DECILES] > 0)
        unknown = (self.cells.hidden_areas > 0) & ~shown
        r, c = np.nonzero(unknown)
        published_hidden = np.zeros_like(shown)
        published_hidden[:n_cl, :N_DECILES] = cluster
        secret = (self.cells.hidden_areas[r, c] == 1) | published_hidden[r, c]
        u, v, keys = [r], [self.n_rows + c], [secret]
        labels = [("group", int(i) * self.n_cols + int(j)) for i, j in zip(r, c)]
        hidden_totals = np.r_[np.flatnonzero(self.cluster_hidden), n_cl]  # and no cluster's
        u.append(hidden_totals)
        v.append(np.full(hidden_totals.size, self.rows_total))
        keys.append(hidden_totals < n_cl)
        labels += [("total", int(i)) for i in hidden_totals]
        columns = np.r_[np.flatnonzero(county), N_DECILES]  # and no decile's
        u.append(self.n_rows + columns)
        v.append(np.full(columns.size, self.cols_total))
        keys.append(columns < N_DECILES)
        labels += [("county decile", int(j)) for j in columns]
        if self.county_hidden:
            u.append(np.array([self.rows_total]))
            v.append(np.array([self.cols_total]))
            keys.append(np.array([True]))
            labels.append(("county", 0))
        return np.concatenate(u), np.concatenate(v), np.concatenate(keys), labels

    def determined(self, cluster: np.ndarray, county: np.ndarray) -> np.ndarray:
        """Flags over every possible unknown (self.slots) that the published numbers fix."""
        u, v, secret, labels = self.edges(cluster, county)
        fixed = bridges(self.cols_total + 1, u, v) & secret
        out = np.zeros(len(self.slots()), bool)
        index = {label: k for k, label in enumerate(self.slots())}
        out[[index[labels[k]] for k in np.flatnonzero(fixed)]] = True
        return out

    def slots(self) -> list[tuple[str, int]]:
        """Every unknown there could be, in a fixed order."""
        return ([("group", k) for k in range(self.n_rows * self.n_cols)]
                + [("total", i) for i in range(self.n_rows)]
                + [("county decile", j) for j in range(self.n_cols)] + [("county", 0)])

    def next_to_hide(self, slot: int, cluster: np.ndarray, county: np.ndarray,
                     county_count: np.ndarray) -> tuple[str, int | tuple[int, int]] | None:
        """The decile count to hide next for the determined unknown `slot`: the smallest shown
        count of its cluster or decile that has hidden areas (so that hiding it adds an
        unknown), else that decile's county count, else the smallest anywhere."""
        kind, index = self.slots()[slot]
        n_cl = self.n_rows - 1
        row, column = -1, -1
        if kind == "group":
            row, column = divmod(index, self.n_cols)
        elif kind == "total":
            row = index
        elif kind == "county decile":
            column = index
        useful = (~cluster & (self.cells.hidden_areas[:n_cl, :N_DECILES] > 0)
                  & (self.cells.members[:n_cl, :N_DECILES] > 0))
        counts = self.cells.count[:n_cl, :N_DECILES]
        near = useful.copy()
        near[:] = False
        if 0 <= row < n_cl:
            near[row] = useful[row]
        if 0 <= column < N_DECILES:
            near[:, column] |= useful[:, column]
        for pool in (near, useful):
            if pool.any():
                flat = np.flatnonzero(pool)
                best = flat[np.argmin(counts.ravel()[flat])]
                return "cluster", np.unravel_index(best, counts.shape)
            if pool is near and 0 <= column < N_DECILES and not county[column]:
                return "county", column
        open_ = np.flatnonzero(~county & (self.cells.members[:, :N_DECILES].sum(axis=0) > 0))
        if open_.size:
            return "county", int(open_[np.argmin(county_count[open_])])
        return None
