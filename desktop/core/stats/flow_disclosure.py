"""What the cross-border tables of one period publish, and their suppression, chosen by audit.

The flows form a two-way table: pupils by the cluster of their school (rows) and their home
place (columns: the clusters, then "In no cluster" if used, then "Outside the county"). Every
cluster's profile prints its row (where its pupils live, with the row total) and, for a home
cluster, its column (where its children go to school, with the column total), each cell with
its share of the table's total; sentences give the share of a cluster's pupils who live
outside it and of its children who cross to another cluster, and the county sentence the
grand total, the share living outside the county and the share crossing cluster borders. All
of it is one Publication: cells, row, column and grand totals and their sums, and every printed
share as a rounded ratio. Columns of pupils living outside the county or in no cluster have no
printed total.

Suppression: counts from 1 to the threshold are hidden; the rows and the columns are then each
protected as the statistics' sums are, and in tables of more than 400 cells each hidden cell is
put in a wide enough rectangle of hidden cells (a quick first pattern); more cells are hidden by
audit until it passes (desktop.core.disclosure.protect), cheapest first: non-zero cells by the
pupils they hold times the tables they appear in, then zero cells, then totals. Rectangles and
cycles of hidden cells prove most cells protected before the solver is asked. A share is
printed only beside a shown count and a shown total. The two county shares are printed only
when the audit still passes with them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import sparse

from desktop.core.disclosure.audit import Audit, audit
from desktop.core.disclosure.certify import cycle_moves
from desktop.core.disclosure.protect import protect
from desktop.core.disclosure.publication import Publication, PublicationBuilder
from desktop.core.disclosure.rule import required_width
from desktop.core.stats.suppression import Protection, primary_mask, protect_hierarchy

OUTSIDE_LABEL = "Outside the county"
NO_CLUSTER_LABEL = "In no cluster"
TOTALS_LAST = 1e12  # cost of hiding a total: only when no cell will do
ZEROS_AFTER = 1e9  # a zero cell hides no pupils but cannot widen a row's sum either
HYPERCUBES_ABOVE = 400  # cells: larger tables start from rectangles, or the solver is slow
MAX_RECTANGLES = 200_000  # moves proposed to the audit; the solver settles any cell left


@dataclass(frozen=True)
class FlowLayout:
    """Where each number of the flow tables sits in one vector: the cells row by row, the row
    totals, the totals of the home columns that are clusters (the first `n_rows` homes),
    then the grand total."""

    period: str
    schools: tuple[str, ...]
    homes: tuple[str, ...]
    outside: int  # the column of pupils living outside the county

    @property
    def n_rows(self) -> int:
        return len(self.schools)

    @property
    def n_cols(self) -> int:
        return len(self.homes)

    def cell(self, i: int, j: int) -> int:
        return i * self.n_cols + j

    def row_total(self, i: int) -> int:
        return self.n_rows * self.n_cols + i

    def col_total(self, j: int) -> int:
        return self.n_rows * self.n_cols + self.n_rows + j

    @property
    def grand_total(self) -> int:
        return self.n_rows * self.n_cols + 2 * self.n_rows

    def values(self, pupils: np.ndarray) -> np.ndarray:
        n = self.n_rows
        return np.concatenate([pupils.ravel(), pupils.sum(axis=1), pupils[:, :n].sum(axis=0),
                               [pupils.sum()]])

    def labels(self) -> list[str]:
        p = f"Flows {self.period}"
        where = {OUTSIDE_LABEL: "outside the county", NO_CLUSTER_LABEL: "in no cluster"}
        return ([f"{p}: pupils at {s}'s schools living {where.get(h, f'in {h}')}"
                 for s in self.schools for h in self.homes]
                + [f"{p}: all pupils at {s}'s schools" for s in self.schools]
                + [f"{p}: all children living in {h}" for h in self.homes[:self.n_rows]]
                + [f"{p}: all pupils at the county's schools"])


@dataclass(frozen=True)
class CountyShares:
    """Which parts of the county sentence may be printed."""

    living_outside: bool
    crossing: bool


def flow_publication(layout: FlowLayout, pupils: np.ndarray, hidden: np.ndarray,
                     threshold: int, shares: CountyShares = CountyShares(False, False)
                     ) -> Publication:
    """Everything the cross-border tables and sentences of one period show."""
    builder = PublicationBuilder()
    builder.table(f"Cross-border pupils, {layout.period}")
    values = layout.values(pupils)
    cells = builder.add_cells(values, hidden, layout.labels(),
                              protect=required_width(threshold, np.inf))
    n, m = layout.n_rows, layout.n_cols
    grid = cells[:n * m].reshape(n, m)
    builder.add_sums(cells[[layout.row_total(i) for i in range(n)]], grid.ravel(),
                     np.repeat(np.arange(n), m))
    builder.add_sums(cells[[layout.col_total(j) for j in range(n)]], grid[:, :n].T.ravel(),
                     np.repeat(np.arange(n), n))
    builder.add_sum(cells[layout.grand_total], [layout.row_total(i) for i in range(n)])
    shown = ~hidden
    for i in range(n):  # each profile's inflow table: its row, shares of the row total
        total = layout.row_total(i)
        for j in range(m):
            _share(builder, values, shown, {layout.cell(i, j): 1.0}, {total: 1.0})
        _share(builder, values, shown, {total: 1.0, layout.cell(i, i): -1.0}, {total: 1.0})
    for j in range(n):  # each home cluster's outflow table: its column
        total = layout.col_total(j)
        for i in range(n):
            _share(builder, values, shown, {layout.cell(i, j): 1.0}, {total: 1.0})
        _share(builder, values, shown, {total: 1.0, layout.cell(j, j): -1.0}, {total: 1.0})
    grand = {layout.grand_total: 1.0}
    if shares.living_outside:
        _share(builder, values, None, {layout.cell(i, layout.outside): 1.0 for i in range(n)},
               grand)
    if shares.crossing:
        resident = {layout.cell(i, j): 1.0 for i in range(n) for j in range(n)}
        crossing = {k: v for k, v in resident.items() if k not in
                    {layout.cell(i, i) for i in range(n)}}
        _share(builder, values, None, crossing, resident)
    return builder.build()


def _share(builder: PublicationBuilder, values: np.ndarray, shown: np.ndarray | None,
           numerator: dict[int, float], denominator: dict[int, float]) -> None:
    """A printed share (one decimal), as the tables print it: only where every count in it is
    shown (`shown` None: a sentence the audit decides on) and the total is above 0."""
    if shown is not None and not all(shown[k] for k in (*numerator, *denominator)):
        return
    total = sum(values[k] * c for k, c in denominator.items())
    if total <= 0:
        return
    part = sum(values[k] * c for k, c in numerator.items())
    builder.add_share(numerator, denominator, round(100.0 * part / total, 1))


def suppress_flows(layout: FlowLayout, pupils: np.ndarray, threshold: int
                   ) -> tuple[np.ndarray, CountyShares, Audit]:
    """Hidden numbers (in layout order), the county shares that may be printed, and the audit
    of what is then published."""
    values = layout.values(pupils)
    n, m = layout.n_rows, layout.n_cols
    tables = np.concatenate([np.where(np.arange(m) < n, 2.0, 1.0)] * n)  # inflow (+ outflow)
    cost = np.concatenate([np.where(values[:n * m] > 0, values[:n * m] * tables,
                                    ZEROS_AFTER + tables),
                           TOTALS_LAST + values[n * m:]])
    start = _lines(layout, values, primary_mask(values, threshold), threshold)
    if n * m > HYPERCUBES_ABOVE:
        start = hypercubes(layout, values, start, threshold, cost)

    def moves(publication: Publication) -> sparse.csr_matrix:
        return sparse.vstack([rectangles(layout, publication.hidden),
                              cycle_moves(publication)]).tocsr()

    hidden, result = protect(lambda h: flow_publication(layout, pupils, h, threshold), start,
                             cost, moves)
    proposed = moves(flow_publication(layout, pupils, hidden, threshold))
    for shares in (CountyShares(True, True), CountyShares(True, False),
                   CountyShares(False, True)):
        attempt = audit(flow_publication(layout, pupils, hidden, threshold, shares),
                        moves=proposed)
        if attempt.passed:
            return hidden, shares, attempt
    return hidden, CountyShares(False, False), result


def rectangles(layout: FlowLayout, hidden: np.ndarray) -> sparse.csr_matrix:
    """Moves of pupils around every rectangle of four hidden cells (rows i < l, columns
    j < k): +1 at (i, j) and (l, k), -1 at (i, k) and (l, j), which keeps every row and column
    total (desktop.core.disclosure.certify checks each and takes it as far as the counts and
    the printed shares allow)."""
    n, m = layout.n_rows, layout.n_cols
    grid = hidden[:n * m].reshape(n, m)
    shared = grid.astype(np.int32) @ grid.T.astype(np.int32)  # hidden columns in common
    corners = []
    for i, l in zip(*np.nonzero(np.triu(shared >= 2, 1))):
        cols = np.flatnonzero(grid[i] & grid[l])
        j, k = (cols[idx] for idx in np.triu_indices(cols.size, 1))
        corners.append(np.stack([i * m + j, i * m + k, l * m + k, l * m + j], axis=1))
        if sum(len(c) for c in corners) >= MAX_RECTANGLES:
            break
    if not corners:
        return sparse.csr_matrix((0, hidden.size))
    cells = np.concatenate(corners)
    return sparse.csr_matrix((np.tile([1.0, -1.0, 1.0, -1.0], len(cells)),
                              (np.repeat(np.arange(len(cells)), 4), cells.ravel())),
                             shape=(len(cells), hidden.size))


def hypercubes(layout: FlowLayout, values: np.ndarray, hidden: np.ndarray, threshold: int,
               cost: np.ndarray) -> np.ndarray:
    """Each hidden cell, smallest first, inside a rectangle of four hidden cells that lets
    pupils move far enough around it: the hypercube method of cell suppression for large
    tables (Hundepool et al. 2012, chapter 4; tau-ARGUS's "hypercube"), so that rectangles
    prove nearly every cell protected and the solver has little left to do. A rectangle (i, j), (i, k), (l, k), (l, j)
    moves each of its cells from min(x_ij, x_lk) below to min(x_ik, x_lj) above its count; the
    cheapest that spans the threshold is chosen (one already hidden costs nothing)."""
    n, m = layout.n_rows, layout.n_cols
    x = values[:n * m].reshape(n, m)
    grid = hidden[:n * m].reshape(n, m).copy()
    price = cost[:n * m].reshape(n, m)
    done = np.zeros((n, m), dtype=bool)
    for flat in np.argsort(np.where(grid, x, np.inf).ravel(), kind="stable"):
        i, j = divmod(int(flat), m)
        if not grid[i, j]:
            break
        if done[i, j]:
            continue
        width = np.minimum(x[i, j], x) + np.minimum(x[i, :][None, :], x[:, j][:, None])
        extra = (np.where(grid, 0.0, price) + np.where(grid[i, :], 0.0, price[i, :])[None, :]
                 + np.where(grid[:, j], 0.0, price[:, j])[:, None])
        extra[width < threshold] = np.inf
        extra[i, :], extra[:, j] = np.inf, np.inf
        best = int(np.argmin(extra))
        if not np.isfinite(extra.flat[best]):
            continue  # no rectangle will do: the solver decides
        l, k = divmod(best, m)
        grid[[i, i, l, l], [j, k, k, j]] = True
        done[[i, i, l, l], [j, k, k, j]] = True
    out = hidden.copy()
    out[:n * m] = grid.ravel()
    return out


def _lines(layout: FlowLayout, values: np.ndarray, hidden: np.ndarray,
           threshold: int) -> np.ndarray:
    """A quick first pattern for the audit to finish: the rows (with the grand total) and the
    home clusters' columns, each a tree of sums protected on its own as the statistics'
    hierarchy is, in turn until neither needs more."""
    n, m = layout.n_rows, layout.n_cols
    none_r, none_c = np.full(n, -1), np.full(n, -1)
    cell_row, cell_col = np.divmod(np.arange(n * m), m)
    rows = (np.concatenate([cell_row, np.full(n, n), none_c, [-1]]),
            np.concatenate([np.full(n * m, -1), np.arange(n), none_c, [n]]))
    cols = (np.concatenate([np.where(cell_col < n, cell_col, -1), none_r, none_c, [-1]]),
            np.concatenate([np.full(n * m + n, -1), np.arange(n), [-1]]))
    protection = Protection.uniform(values.size, threshold)
    while True:
        before = hidden
        for child, parent in (rows, cols):
            member = (child >= 0) | (parent >= 0)
            hidden = hidden | protect_hierarchy(hidden, values, member, protection, child,
                                                parent, n + 1)
        if np.array_equal(before, hidden):
            return hidden
