"""Suppression of the counts by IMD decile, under the same protection rule as every other count.

The inequalities view publishes, for one indicator and period, the county's count in each
national IMD decile and every cluster's count in each decile. Each is a sum of small areas,
cut across the sums published already (areas to clusters to the county): the county's decile 3
less the shown areas in decile 3 is the sum of the hidden areas there, which is one hidden
area exactly when only one lies in decile 3, and narrows the others' ranges when several do.

The decile counts are therefore added to the Publication of the indicator-period's areas,
clusters and county (stats.published): a cell for each cluster's decile and for each of the
county's deciles, each the sum of its areas. A decile count from 1 to the threshold is hidden
(primary suppression, with the indicator's complement rule), and more decile counts are
hidden, the smallest first, until the audit of the whole publication passes
(desktop.core.disclosure.protect, which hides only decile counts here: the areas, clusters
and county stay as every other view shows them). With every decile count hidden the
publication says no more than the areas, clusters and county alone, so the loop ends with the
rule met wherever those alone meet it. docs/disclosure.md gives the rule.

Pooled periods publish decile counts that are sums of the single periods' (stats.pooling):
a pooled count with exactly one hidden single-period part would reveal it, so it is hidden
too (`forced`), before the audit protects what that hides.

Most hidden counts are proved protected without the solver (`decile_moves`): the true counts
are at hand, so moves that keep every published sum (desktop.core.disclosure.certify) show
how far each hidden count can go; HiGHS is asked only about the cells they leave unproved.
A proof by moves is exact (the range it shows is part of the attacker's), so the counts hidden
are the same as with the solver alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np
from scipy import sparse

from desktop.core.disclosure.audit import Audit, audit
from desktop.core.disclosure.certify import cycle_moves
from desktop.core.disclosure.protect import protect
from desktop.core.disclosure.publication import Publication, PublicationBuilder
from desktop.core.disclosure.rule import required_width
from desktop.core.stats import suppression

N_DECILES = 10


@dataclass(frozen=True)
class DecileCells:
    """Where the decile counts sit in a Publication: `by_cluster` (clusters x deciles) and
    `county` (deciles) hold cell indices, -1 where no area of the publication falls;
    `closed` those that are sums of shown areas only (published already, so never hidden);
    `single` those holding exactly one hidden area (which they would give away when shown)."""

    by_cluster: np.ndarray
    county: np.ndarray
    closed: np.ndarray
    single: np.ndarray

    def indices(self) -> np.ndarray:
        cells = np.r_[self.by_cluster.ravel(), self.county]
        return cells[cells >= 0]


def add_decile_cells(builder: PublicationBuilder, area_cell: np.ndarray, area_hidden: np.ndarray,
                     count: np.ndarray, upper: np.ndarray, row: np.ndarray, column: np.ndarray,
                     clusters: Sequence[str], threshold: float, complement: bool = False, name: str = "") -> DecileCells:
    """Add every decile count to `builder`, each the sum of its areas' cells. Per area (in the
    same order): `area_cell` its cell in the builder (-1 when it has none), `area_hidden`
    whether it is suppressed, `count` its true
    count, `upper` its count's upper bound (inf when none; a proportion's denominator), `row`
    its position in `clusters` (len(clusters) when in none), `column` its decile - 1 (N_DECILES
    when unknown). Decile counts from 1 to `threshold` are hidden, and with `complement`
    those whose bound less their count is too."""
    builder.table(f"{name}, by IMD decile" if name else "by IMD decile")
    member = (area_cell >= 0) & (column < N_DECILES)
    value, bound = np.nan_to_num(count), np.asarray(upper, float)
    n_clusters = len(clusters)
    open_ = np.asarray(area_hidden, bool)
    closed: list[int] = []
    single: list[int] = []
    by_cluster = np.full((n_clusters, N_DECILES), -1, np.int64)
    county = np.full(N_DECILES, -1, np.int64)
    groups = [(("county", k), member & (column == k)) for k in range(N_DECILES)]
    groups += [(("cluster", (r, k)), member & (row == r) & (column == k))
               for r in range(n_clusters) for k in range(N_DECILES)]
    for (kind, at), areas in groups:
        if not areas.any():
            continue
        total, cap = value[areas].sum(), bound[areas].sum()
        # a sum of shown areas is published already: hiding it would protect nothing
        hidden = open_[areas].any() & (suppression.primary_mask(total, threshold)
                                       | suppression.complement_mask(total, cap, threshold,
                                                                     complement))
        label = (f"{name}, the county's decile {at + 1}" if kind == "county"
                 else f"{name}, {clusters[at[0]]}'s decile {at[1] + 1}")
        cell = builder.add_cells([total], [bool(hidden)], [label], upper=cap,
                                 protect=required_width(threshold, cap))[0]
        builder.add_sum(cell, area_cell[areas])
        hidden_areas = int(open_[areas].sum())
        if hidden_areas == 0:
            closed.append(cell)
        elif hidden_areas == 1:
            single.append(cell)
        if kind == "county":
            county[at] = cell
        else:
            by_cluster[at] = cell
    return DecileCells(by_cluster, county, np.array(closed, np.int64),
                       np.array(single, np.int64))


def hide_decile_counts(publication: Publication, cells: DecileCells,
                       forced: tuple[np.ndarray, np.ndarray] | None = None
                       ) -> tuple[np.ndarray, np.ndarray, Audit]:
    """Which decile counts to hide: (clusters x deciles, deciles), and the audit of the
    publication (with the widths of `as_protected_as_alone`) with them hidden. `forced`: counts to hide besides, in the same shapes (a
    pooled count with one hidden single-period part)."""
    hidden = publication.hidden.copy()
    hidden[cells.single] = True  # the audit would ask for each of them: one round, not many
    if forced is not None:
        for at, force in zip((cells.by_cluster, cells.county), forced):
            hidden[at[(at >= 0) & np.asarray(force, bool)]] = True
    eligible = np.zeros(publication.n_cells, bool)
    eligible[cells.indices()] = True
    eligible[cells.closed] = False
    hidden, result = protect(lambda h: replace(publication, hidden=h), hidden,
                             np.nan_to_num(publication.value, nan=np.inf),
                             moves=lambda p: decile_moves(p, cells), eligible=eligible)
    return (np.where(cells.by_cluster >= 0, hidden[cells.by_cluster], False),
            np.where(cells.county >= 0, hidden[cells.county], False), result)


def as_protected_as_alone(publication: Publication, cells: DecileCells) -> Publication:
    """`publication` asking of each decile count no more width than the areas, clusters and
    county alone leave it (every decile count hidden): a sum of few hidden areas, each
    bounded by its own denominator, may be narrower than the threshold however much is
    hidden beside it."""
    every = publication.hidden.copy()
    every[cells.indices()] = True
    alone = replace(publication, hidden=every)
    alone = audit(alone, moves=decile_moves(alone, cells))
    asked = publication.protect.copy()
    decile = np.isin(alone.cells, cells.indices()) & alone.solved
    at = alone.cells[decile]
    asked[at] = np.minimum(asked[at], alone.high[decile] - alone.low[decile])
    return replace(publication, protect=asked)


def decile_moves(publication: Publication, cells: DecileCells) -> sparse.csr_matrix:
    """Moves of the hidden counts that keep every sum of `publication` (for
    desktop.core.disclosure.certify): the cycles of its hidden cells once each area enters at
    most two sums. An area enters four: its cluster's, its cluster's decile, the county's
    decile and (through its cluster) the county's. A hidden decile count is its areas' sum and
    enters no other, so its sum is set aside and the count moved with its areas afterwards; a
    shown cluster's decile fixes what its hidden areas add up to, so it is taken out of the
    cluster's and the county decile's sums, which then hold the other areas only. What is left
    is a two-way table of clusters by deciles (with the county above the clusters), whose
    cycles cycle_moves finds: rectangles of hidden areas in two clusters and two deciles,
    pairs of hidden areas in one cluster's decile, and the like through hidden totals."""
    equalities = publication.equalities.tocsr()
    decile = cells.indices()
    entries = equalities.tocoo()
    own_row = np.full(publication.n_cells, -1, np.int64)
    total = entries.data > 0  # each sum has +1 on its total, -1 on its parts
    own_row[entries.col[total]] = entries.row[total]
    hidden = publication.hidden[decile]
    lifted, nested = decile[hidden], cells.by_cluster[cells.by_cluster >= 0]
    nested = nested[~publication.hidden[nested]]
    # the sums holding every part of a shown cluster's decile: its cluster's, its county decile's
    support = equalities.astype(bool).astype(np.int64)
    shared = (support @ support[own_row[nested]].T).tocoo()
    n_parts = np.diff(support.indptr)[own_row[nested]] - 1
    within = (shared.data == n_parts[shared.col]) & (shared.row != own_row[nested][shared.col])
    take = sparse.csr_matrix((np.ones(int(within.sum())),
                              (shared.row[within], own_row[nested][shared.col[within]])),
                             shape=(equalities.shape[0],) * 2)
    kept = np.ones(equalities.shape[0])
    kept[own_row[lifted]] = 0.0
    folded = sparse.diags(kept) @ (equalities - take @ equalities)
    moves = cycle_moves(replace(publication, equalities=sparse.csr_matrix(folded)))
    if moves.shape[0] == 0 or lifted.size == 0:
        return moves
    parts = equalities[own_row[lifted]].tolil()
    parts[np.arange(lifted.size), lifted] = 0.0
    counts = -(moves @ sparse.csr_matrix(parts).T)  # each lifted count: the sum of its parts
    placed = sparse.csr_matrix(counts) @ sparse.csr_matrix(
        (np.ones(lifted.size), (np.arange(lifted.size), lifted)),
        shape=(lifted.size, publication.n_cells))
    return sparse.csr_matrix(moves + placed)
