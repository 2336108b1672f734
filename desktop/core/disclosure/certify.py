"""Proof without a solver that hidden cells keep a wide range: other tables that print the same.

A move changes hidden counts so that every sum still holds: a vector in the kernel of the
publication's sums, such as moving pupils around a rectangle of four hidden cells of a two-way
table (+1, -1 along one row, -1, +1 along another). From the true counts each move is taken
forwards and backwards in whole steps as far as the bounds (0 or more, at most a known upper
bound) and the printed shares allow. Every table so reached prints exactly what was published,
so the attacker cannot rule it out: the values it gives each cell are part of that cell's range.
When that part is already as wide as the protection asks, the solver is not needed for the
cell. The moves are checked here, not trusted: one that breaks a sum or touches a shown cell is
dropped.

Hidden cells that enter every relation alike (the same sums and shares, with the same
coefficients: small areas of one cluster in one decile) are interchangeable: any share-out of
their total keeps everything printed. So they are proved together: the moves reach a range of
their total, and each of them can hold anything from what the others cannot take of the lowest
total up to the highest total (within its own bounds). One unit moved between two of them is a
special case, and a cell of eight hidden ones reaches the whole of their sum, not one step.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
from scipy import sparse

from desktop.core.disclosure.publication import Publication

STEP_LIMIT = 1e12  # a move nothing bounds: the cells it changes have no limit that way


def certified_ranges(publication: Publication, moves: sparse.csr_matrix
                     ) -> tuple[np.ndarray, np.ndarray]:
    """The lowest and highest value the moves, and shares among interchangeable cells, reach
    for each cell (its own value where nothing moves it; NaN for shown cells)."""
    first = interchangeable(publication)
    pooled = publication.hidden & (first != np.arange(first.size))  # moved with their first
    value = publication.value.copy()
    upper = np.asarray(publication.upper, float).copy()
    total = np.bincount(first, np.where(publication.hidden, value, 0.0), minlength=first.size)
    own_cap = np.where(publication.hidden, upper, 0.0)
    bounded = np.where(np.isinf(own_cap), 0.0, own_cap)
    unbounded = np.bincount(first, np.isinf(own_cap), minlength=first.size)
    cap = np.where(unbounded > 0, np.inf, np.bincount(first, bounded, minlength=first.size))
    # what the other cells of each one's class can hold between them
    others = np.where(unbounded[first] > np.isinf(own_cap), np.inf,
                      np.bincount(first, bounded, minlength=first.size)[first] - bounded)
    lead = publication.hidden & ~pooled
    value[lead], upper[lead] = total[lead], cap[lead]
    value[pooled] = 0.0
    merged = sparse.csr_matrix(moves, dtype=float) @ sparse.csr_matrix(
        (np.ones(first.size), (np.arange(first.size), first)), shape=(first.size,) * 2)
    merged.eliminate_zeros()
    low, high = _move_ranges(replace(publication, value=value, upper=upper,
                                     hidden=publication.hidden & ~pooled), merged)
    with np.errstate(invalid="ignore"):
        low = np.where(publication.hidden, np.maximum(low[first] - others, 0.0), np.nan)
        high = np.where(publication.hidden, np.minimum(high[first], publication.upper), np.nan)
    return low, high


def interchangeable(publication: Publication) -> np.ndarray:
    """For each hidden cell the first hidden cell that enters every relation as it does (the
    same rows, the same coefficients); each shown cell itself."""
    first = np.arange(publication.n_cells)
    hidden = np.flatnonzero(publication.hidden)
    seen: dict[tuple, int] = {}
    columns = [publication.equalities.tocsc(), publication.inequalities.tocsc()]
    for cell in hidden.tolist():
        key = tuple((m.indices[m.indptr[cell]:m.indptr[cell + 1]].tobytes(),
                     m.data[m.indptr[cell]:m.indptr[cell + 1]].tobytes()) for m in columns)
        first[cell] = seen.setdefault(key, cell)
    return first


def _move_ranges(publication: Publication, moves: sparse.csr_matrix
                 ) -> tuple[np.ndarray, np.ndarray]:
    """The lowest and highest value the moves reach for each cell, one move at a time."""
    value = publication.value
    low = np.where(publication.hidden, value, np.nan)
    high = low.copy()
    moves = sparse.csr_matrix(moves, dtype=float)
    if moves.shape[0] == 0:
        return low, high
    touched = moves.tocoo()
    bad = np.zeros(moves.shape[0], dtype=bool)
    bad[touched.row[~publication.hidden[touched.col]]] = True  # moves a shown cell
    bad[touched.row[~np.isfinite(value[touched.col])]] = True  # no true value to move from
    kept = (publication.equalities @ moves.T).tocsc()
    bad |= np.abs(kept).max(axis=0).toarray().ravel() > 1e-9  # breaks a sum
    moves = moves[np.flatnonzero(~bad)].tocoo()
    if moves.nnz == 0:
        return low, high
    n_moves = int(moves.row.max()) + 1
    start = np.nan_to_num(value)
    slack = -(publication.inequalities @ start)  # how far each printed share may still move
    steps = []
    for sign in (1.0, -1.0):
        change = moves.data * sign
        room = np.where(change < 0, start[moves.col] / -change,
                        (publication.upper[moves.col] - start[moves.col]) / change)
        step = np.full(n_moves, STEP_LIMIT)
        np.minimum.at(step, moves.row, room)
        drift = sign * (publication.inequalities @ sparse.csr_matrix(
            (moves.data, (moves.col, moves.row)), shape=(value.size, n_moves))).tocoo()
        rising = drift.data > 0
        np.minimum.at(step, drift.col[rising],
                      np.maximum(slack[drift.row[rising]], 0.0) / drift.data[rising])
        steps.append(np.floor(step + 1e-9))
    forward, backward = steps
    reach_up = np.maximum(moves.data * forward[moves.row], -moves.data * backward[moves.row])
    reach_down = np.maximum(-moves.data * forward[moves.row], moves.data * backward[moves.row])
    up, down = np.zeros(value.size), np.zeros(value.size)
    np.maximum.at(up, moves.col, reach_up)
    np.maximum.at(down, moves.col, reach_down)
    high = np.where(up >= STEP_LIMIT / 2, np.inf, high + up)
    return low - down, high


def cycle_moves(publication: Publication) -> sparse.csr_matrix:
    """Moves along cycles of hidden cells, for publications whose hidden cells each enter at
    most two sums (two-way tables, trees of sums): the sums are nodes, each hidden cell an edge
    between its two (or from its one to a shared "open" node), and every cycle gives a move
    that keeps each sum. One cycle per edge that is not a spanning-tree edge (the fundamental
    cycles of a breadth-first forest); a cell on none is a bridge, and no move can change it."""
    hidden = np.flatnonzero(publication.hidden)
    sums = publication.equalities.tocsc()[:, hidden].tocoo()
    n_sums = publication.equalities.shape[0]
    if sums.nnz == 0:
        return sparse.csr_matrix((0, publication.n_cells))
    count = np.bincount(sums.col, minlength=hidden.size)
    edges = np.flatnonzero((count >= 1) & (count <= 2))
    ends = np.full((hidden.size, 2), n_sums)  # node n_sums: the open node
    coef = np.zeros((hidden.size, 2))
    order = np.lexsort((sums.row, sums.col))
    col, row, val = sums.col[order], sums.row[order], sums.data[order]
    first = np.r_[True, col[1:] != col[:-1]]
    ends[col[first], 0], coef[col[first], 0] = row[first], val[first]
    ends[col[~first], 1], coef[col[~first], 1] = row[~first], val[~first]
    parent, via, depth = _forest(ends[edges], n_sums + 1)
    moves: list[tuple[np.ndarray, np.ndarray]] = []
    tree_edge = np.zeros(edges.size, dtype=bool)
    tree_edge[via[via >= 0]] = True
    for e in np.flatnonzero(~tree_edge):
        path = _cycle(ends[edges], parent, via, depth, e)
        weights = _weights(path, ends[edges], coef[edges])
        if weights is not None:
            moves.append((hidden[edges[path]], weights))
    if not moves:
        return sparse.csr_matrix((0, publication.n_cells))
    cells = np.concatenate([c for c, _ in moves])
    data = np.concatenate([w for _, w in moves])
    rows = np.repeat(np.arange(len(moves)), [c.size for c, _ in moves])
    return sparse.csr_matrix((data, (rows, cells)), shape=(len(moves), publication.n_cells))


def _forest(ends: np.ndarray, n_nodes: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A breadth-first spanning forest of the graph: each node's parent, the edge to it and
    its depth (-1 for roots)."""
    adjacency: list[list[tuple[int, int]]] = [[] for _ in range(n_nodes)]
    for e, (a, b) in enumerate(ends.tolist()):
        adjacency[a].append((b, e))
        adjacency[b].append((a, e))
    parent = np.full(n_nodes, -1)
    via = np.full(n_nodes, -1)
    depth = np.full(n_nodes, -1)
    for root in range(n_nodes):
        if depth[root] >= 0 or not adjacency[root]:
            continue
        depth[root] = 0
        queue = [root]
        for node in queue:
            for other, e in adjacency[node]:
                if depth[other] < 0:
                    depth[other], parent[other], via[other] = depth[node] + 1, node, e
                    queue.append(other)
    return parent, via, depth


def _cycle(ends: np.ndarray, parent: np.ndarray, via: np.ndarray, depth: np.ndarray,
           e: int) -> list[int]:
    """The edges of the cycle that edge `e` closes in the forest, in order around it."""
    a, b = ends[e]
    left, right = [], []
    while a != b:
        if depth[a] >= depth[b]:
            left.append(int(via[a]))
            a = parent[a]
        else:
            right.append(int(via[b]))
            b = parent[b]
    return [*left, *reversed(right), e]  # up from one end, down to the other, back by e


def _weights(path: list[int], ends: np.ndarray, coef: np.ndarray) -> np.ndarray | None:
    """Amounts along a cycle that keep every sum it passes through (+1 on its first edge),
    or None when they are not whole numbers of one size (coefficients other than 1 and -1)."""
    weights = [1.0]
    for k in range(1, len(path)):
        prev, cur = path[k - 1], path[k]
        shared = set(ends[prev].tolist()) & set(ends[cur].tolist())
        node = min(shared)
        a = coef[prev][list(ends[prev]).index(node)]
        b = coef[cur][list(ends[cur]).index(node)]
        if a == 0 or b == 0:  # the open node: no sum to keep
            other = shared - {node}
            if not other:
                weights.append(-weights[-1])
                continue
            node = min(other)
            a = coef[prev][list(ends[prev]).index(node)]
            b = coef[cur][list(ends[cur]).index(node)]
        weights.append(-weights[-1] * a / b)
    w = np.array(weights)
    return w if np.all(np.abs(np.abs(w) - 1.0) < 1e-9) else None
