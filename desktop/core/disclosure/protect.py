"""Secondary suppression of a small set of tables, chosen until their audit passes.

`protect(build, hidden, cost)` audits the Publication `build(hidden)` makes and, while a hidden
cell is not protected, hides more shown cells: beside each cell that fails, the cheapest shown
cell sharing a relation with it (failing that, with any hidden cell linked to it). `cost` ranks
the cells: the caller puts small counts and
cells that appear in few tables first, totals last. Hiding a cell only takes information away,
so every range stays at least as wide as before and the loop ends, at worst with all hidden.
`build` is called again each round because what is shown can depend on what is hidden (a
share of a hidden total is not printed).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from scipy import sparse
from scipy.sparse.csgraph import connected_components

from desktop.core.disclosure.audit import Audit, audit
from desktop.core.disclosure.certify import cycle_moves
from desktop.core.disclosure.publication import Publication


def protect(build: Callable[[np.ndarray], Publication], hidden: np.ndarray, cost: np.ndarray,
            moves: Callable[[Publication], sparse.spmatrix] = cycle_moves,
            eligible: np.ndarray | None = None) -> tuple[np.ndarray, Audit]:
    """The hidden cells after secondary suppression, and the audit that passed (or, if even
    hiding every linked cell cannot protect a cell, the last audit, which says so). `moves`
    of a publication (desktop.core.disclosure.certify; by default the cycles of its hidden
    cells) prove cells protected before the solver is asked. Only `eligible` cells (all when
    None) are hidden: the others are published as they are elsewhere."""
    hidden = np.asarray(hidden, dtype=bool).copy()
    while True:
        publication = build(hidden)
        result = audit(publication, moves=moves(publication))
        if result.passed:
            return hidden, result
        chosen = next_cells(publication, result, np.asarray(cost, dtype=float),
                            np.ones(hidden.size, bool) if eligible is None else eligible)
        if chosen.size == 0:
            return hidden, result
        hidden[chosen] = True


def next_cells(publication: Publication, result: Audit, cost: np.ndarray,
               eligible: np.ndarray) -> np.ndarray:
    """A shown `eligible` cell to hide beside each cell `result` does not find protected
    (the same cell may serve several), the cheapest by `cost`: one round of `protect`, for
    callers that audit many publications together."""
    relations = sparse.vstack([publication.equalities, publication.inequalities]).tocsr()
    relations.data = np.ones_like(relations.data)
    hidden = publication.hidden
    n_cells, n_rows = publication.n_cells, relations.shape[0]
    # cells and relations as one graph, hidden cells linked only through relations
    coo = relations.tocoo()
    through_hidden = hidden[coo.col]
    graph = sparse.coo_matrix((np.ones(int(through_hidden.sum())),
                               (coo.col[through_hidden], n_cells + coo.row[through_hidden])),
                              shape=(n_cells + n_rows, n_cells + n_rows))
    _, label = connected_components(graph, directed=False)
    failing = result.cells[~result.protected]
    chosen = set()
    for cell in failing:
        near = _shown_beside(relations, np.array([cell]), hidden, eligible)
        if near.size == 0:
            members = np.flatnonzero(hidden & (label[:n_cells] == label[cell]))
            near = _shown_beside(relations, members, hidden, eligible)
        if near.size:
            chosen.add(int(near[np.argmin(cost[near])]))
    return np.array(sorted(chosen), dtype=np.int64)


def _shown_beside(relations: sparse.csr_matrix, cells: np.ndarray, hidden: np.ndarray,
                  eligible: np.ndarray) -> np.ndarray:
    """Shown `eligible` cells that share a relation with any of `cells`."""
    rows = np.unique(relations[:, cells].tocoo().row)
    if rows.size == 0:
        return np.zeros(0, dtype=np.int64)
    neighbours = np.unique(relations[rows].tocoo().col)
    return neighbours[~hidden[neighbours] & eligible[neighbours]]
