"""Moves found by maximum flows, for publications whose hidden cells each enter at most two sums.

When every hidden cell enters two sums (or one) with coefficients 1 or -1, and the sums can be
given signs so that each cell is +1 in one and -1 in the other, the sums are the vertices of a
directed graph and the hidden cells its arcs: keeping every sum is keeping flow in balance at
every vertex (the publication's equalities are then a network matrix). A hidden count x with
upper bound u can rise along its arc by u - x and fall by x, and the most it can rise while
every published number holds is the largest flow that can go round from its arc's head back to
its tail through the other hidden cells (the residual graph, as in Ford and Fulkerson's method;
the attacker's problem of a two-way table solved as a network flow: Cox, "Network models for
complementary cell suppression", JASA 90, 1995).

`flow_moves` asks scipy's `maximum_flow` for that flow for each hidden cell, capped at the
width the cell must keep, and returns each flow with its cell as a move: a change of hidden
counts that keeps every sum (desktop.core.disclosure.certify checks it, and takes it as far as
the bounds allow). Several cells usually ride on one flow, so a cell already moved far enough
by earlier flows gets none of its own. A cell the flows leave short is left to the solver;
so is any cell where printed shares (the publication's inequalities, which the network leaves
out) stop certify taking a flow far enough. With sums and bounds alone the flows are exact.
Each call of `maximum_flow` costs a fixed ~0.3 ms besides the work, so the flows of many
publications go into one call, each in its own part of one graph (`flow_moves_many`).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Generator, Sequence

import numpy as np
from scipy import sparse
from scipy.sparse.csgraph import connected_components, maximum_flow

from desktop.core.disclosure.publication import Publication
from desktop.core.tasks import Task

CAPACITY = 2**30  # a capacity nothing limits (maximum_flow takes 32-bit whole numbers)
# flows asked of each publication in one call: each call of maximum_flow costs ~10 ms beyond
# its work on a few hundred tables, so many at once; a cell a flow of the same call would
# have moved far enough is asked for anyway, so not too many
REPLICAS = 8


def flow_moves(publication: Publication) -> sparse.csr_matrix:
    """Moves of the hidden cells (one per row, over all cells) from maximum flows, as far as
    each cell's protection needs (see the module's docstring); none where the publication's
    hidden cells do not form such a network or their true counts are not known."""
    return flow_moves_many([publication])[0]


def flow_moves_many(publications: Sequence[Publication],
                    targets: Sequence[np.ndarray | None] | None = None,
                    task: Task | None = None) -> list[sparse.csr_matrix]:
    """`flow_moves` of each publication, their flows found together; only for its `targets`
    (cells; None: every hidden cell) where they are given."""
    task = task or Task()
    networks = [_Network.of(p) for p in publications]
    total = sum(0 if n is None else n.cells.size for n in networks)
    targets = targets or [None] * len(publications)
    searches = {i: net.search(targets[i]) for i, net in enumerate(networks)
                if net is not None}
    asks = {i: next(search, None) for i, search in searches.items()}
    asks = {i: ask for i, ask in asks.items() if ask}
    union: _Union | None = None
    while asks:
        asked = sum(n.asked for n in networks if n is not None)
        task.report(asked / max(total, 1), "Checking that hidden counts stay hidden")
        if union is None or len(asks) < len(union.members) // (2 * REPLICAS):
            members = [(i, r) for i in asks for r in range(REPLICAS)]
            union = _Union([networks[i] for i, _ in members], members)
        results = union.solve({(i, r): ask for i, batch in asks.items()
                               for r, ask in enumerate(batch)})
        asks = {i: ask for i, ask in ((i, _send(searches[i], [results[(i, r)] for r in
                                                              range(len(batch))]))
                                      for i, batch in asks.items()) if ask}
    return [sparse.csr_matrix((0, p.n_cells)) if net is None else net.moves()
            for p, net in zip(publications, networks)]


def _send(search: Generator, result: list[tuple[int, np.ndarray]]) -> list | None:
    try:
        return search.send(result)
    except StopIteration:
        return None


class _Network:
    """The hidden cells as arcs tail -> head between sums (vertex n_sums: the open vertex of
    cells in one sum), each forwards (as far as it may rise) and backwards (as far as it may
    fall), with a source feeding, and a sink draining, any vertex (capacity 0 until asked)."""

    def __init__(self, publication: Publication, cells: np.ndarray, tail: np.ndarray,
                 head: np.ndarray, n_vertices: int) -> None:
        self.publication, self.cells = publication, cells
        value = publication.value[cells]
        self.need = publication.protect[cells]
        self.rise = np.minimum(publication.upper[cells] - value, CAPACITY)
        self.fall = value
        self.tail, self.head = tail, head
        self.source, self.sink, self.n_nodes = n_vertices, n_vertices + 1, n_vertices + 2
        every = np.arange(n_vertices)
        self.arc_from = np.r_[tail, head, np.full(n_vertices, self.source), every]
        self.arc_to = np.r_[head, tail, every, np.full(n_vertices, self.sink)]
        self.capacity = np.maximum(np.r_[np.ceil(self.rise), np.floor(value),
                                         np.zeros(2 * n_vertices)], 0)
        self.entries: list[tuple[np.ndarray, np.ndarray]] = []
        self.asked = 0  # cells whose flows have been asked for so far

    def arcs(self, k: int, start: int, end: int) -> np.ndarray:
        """The arcs one flow changes: cell k's two, the feed of `start`, the drain of `end`."""
        n = self.cells.size
        return np.array([k, n + k, 2 * n + start, 2 * n + self.source + end])

    @classmethod
    def of(cls, publication: Publication) -> _Network | None:
        cells = np.flatnonzero(publication.hidden)
        if cells.size == 0 or not np.isfinite(publication.value[cells]).all():
            return None
        sums = publication.equalities.tocsc()[:, cells].tocoo()
        count = np.bincount(sums.col, minlength=cells.size)
        if count.max() > 2 or not np.all(np.abs(sums.data) == 1.0):
            return None
        n_sums = publication.equalities.shape[0]
        order = np.lexsort((sums.row, sums.col))
        col, row, coef = sums.col[order], sums.row[order], sums.data[order]
        first = np.r_[True, col[1:] != col[:-1]]
        ends = np.full((cells.size, 2), n_sums)  # an open end: the open vertex
        signs = np.zeros((cells.size, 2))
        ends[col[first], 0], signs[col[first], 0] = row[first], coef[first]
        ends[col[~first], 1], signs[col[~first], 1] = row[~first], coef[~first]
        sign = _vertex_signs(ends, signs, n_sums)
        if sign is None:
            return None
        oriented = signs * sign[ends]  # +1 at the head, -1 at the tail (0: the open end)
        head_first = (oriented[:, 0] > 0) | ((oriented[:, 0] == 0) & (oriented[:, 1] < 0))
        tail = np.where(head_first, ends[:, 1], ends[:, 0])
        head = np.where(head_first, ends[:, 0], ends[:, 1])
        return cls(publication, cells, tail, head, n_sums + 1)

    def search(self, targets: np.ndarray | None = None) -> Generator[
            list[tuple[int, int, int, int]], list[tuple[int, np.ndarray]], None]:
        """Asks for flows (cell, start, end, capacity), up to REPLICAS at a time, smallest
        margin first, and is sent the flows found (each one's size, and how much it changes
        every cell: 0 for the asking cell); keeps each flow with its cell as a move."""
        reached = np.zeros((2, self.cells.size))  # how far earlier flows move each cell
        tried = np.zeros((2, self.cells.size), bool)
        wanted = (np.arange(self.cells.size) if targets is None else
                  np.flatnonzero(np.isin(self.cells, targets)))
        waiting = deque(wanted[np.argsort(self.need[wanted] - self.fall[wanted],
                                          kind="stable")].tolist())
        while waiting:
            batch: list[tuple[int, int, int, int, int]] = []
            while waiting and len(batch) < REPLICAS:
                k = waiting.popleft()
                ask = self._ask(k, reached, tried)
                if ask is None:
                    self.asked += 1
                else:
                    batch.append(ask)
            if not batch:
                return
            found = yield [ask[1:] for ask in batch]
            for (way, k, *_), (size, change) in zip(batch, found):
                change[k] = size if way == 0 else -size
                moved = np.flatnonzero(change)
                if moved.size:
                    self.entries.append((self.cells[moved], change[moved]))
                    reached[0, moved] = np.maximum(reached[0, moved], change[moved])
                    reached[1, moved] = np.maximum(reached[1, moved], -change[moved])
            waiting.extendleft(reversed([k for _, k, *_ in batch]))  # the other way, maybe

    def _ask(self, k: int, reached: np.ndarray, tried: np.ndarray
             ) -> tuple[int, int, int, int, int] | None:
        """The flow cell k still needs (way, cell, start, end, capacity), None if none."""
        for way, room in ((0, self.rise[k]), (1, self.fall[k])):
            if reached[0, k] + reached[1, k] >= self.need[k]:
                return None
            # one flow must carry the cell as far as the other way leaves short: the moves'
            # reaches are not added up (certify takes the furthest of each way)
            cap = int(min(self.need[k] - reached[1 - way, k], room))
            if tried[way, k] or cap <= reached[way, k]:
                continue
            tried[way, k] = True
            start, end = ((self.head[k], self.tail[k]) if way == 0 else
                          (self.tail[k], self.head[k]))
            return way, int(k), int(start), int(end), cap
        return None

    def moves(self) -> sparse.csr_matrix:
        if not self.entries:
            return sparse.csr_matrix((0, self.publication.n_cells))
        rows = np.repeat(np.arange(len(self.entries)), [c.size for c, _ in self.entries])
        return sparse.csr_matrix(
            (np.concatenate([d for _, d in self.entries]).astype(float),
             (rows, np.concatenate([c for c, _ in self.entries]))),
            shape=(len(self.entries), self.publication.n_cells))


class _Union:
    """Networks side by side in one graph, with one source feeding each network's source and
    each network's sink drained into one sink: one call of maximum_flow finds a flow in each."""

    def __init__(self, networks: list[_Network], members: list[tuple[int, int]]) -> None:
        self.networks, self.members = networks, members
        self.place = {key: m for m, key in enumerate(members)}
        self.node_offset = np.cumsum([0] + [n.n_nodes for n in networks])
        self.arc_offset = np.cumsum([0] + [n.arc_from.size for n in networks])
        source = int(self.node_offset[-1])
        self.source, self.sink = source, source + 1
        starts = self.node_offset[:-1]
        rows = np.concatenate([n.arc_from + o for n, o in zip(networks, starts)]
                              + [np.full(len(networks), source),
                                 [n.sink + o for n, o in zip(networks, starts)]])
        cols = np.concatenate([n.arc_to + o for n, o in zip(networks, starts)]
                              + [[n.source + o for n, o in zip(networks, starts)],
                                 np.full(len(networks), self.sink)])
        capacity = np.concatenate([n.capacity for n in networks]
                                  + [np.full(2 * len(networks), CAPACITY)])
        size = source + 2
        graph = sparse.csr_matrix((np.arange(rows.size) + 1, (rows, cols)), shape=(size, size))
        self.slot = np.empty(rows.size, dtype=np.int64)  # where each arc sits in graph.data
        self.slot[graph.data - 1] = np.arange(rows.size)
        graph.data = np.empty(rows.size, dtype=np.int32)
        graph.data[self.slot] = capacity
        self.graph = graph
        self.tails = [n.tail + o for n, o in zip(networks, starts)]
        self.heads = [n.head + o for n, o in zip(networks, starts)]

    def solve(self, asks: dict[tuple[int, int], tuple[int, int, int, int]]
              ) -> dict[tuple[int, int], tuple[int, np.ndarray]]:
        """The flow each member asks for (cell, start, end, capacity), all in one call."""
        data, touched = self.graph.data, []
        for key, (k, start, end, cap) in asks.items():
            m = self.place[key]
            local = self.networks[m].arcs(k, start, end)
            arcs = self.slot[self.arc_offset[m] + local]
            data[arcs] = [0, 0, cap, cap]
            touched.append((arcs, self.networks[m].capacity[local]))
        flow = maximum_flow(self.graph, self.source, self.sink).flow
        for arcs, capacity in touched:
            data[arcs] = capacity
        places = [self.place[key] for key in asks]
        feeds = [self.node_offset[m] + self.networks[m].source for m in places]
        starts = [self.node_offset[m] + start for m, (_, start, _, _) in zip(places, asks.values())]
        rows = np.concatenate([feeds, *(self.tails[m] for m in places)]).astype(np.int64)
        cols = np.concatenate([starts, *(self.heads[m] for m in places)]).astype(np.int64)
        values = np.asarray(flow[rows, cols]).ravel()
        sizes = values[:len(places)]
        split = np.cumsum([self.networks[m].cells.size for m in places])[:-1]
        return {key: (int(size), part.copy())
                for key, size, part in zip(asks, sizes, np.split(values[len(places):], split))}



def _vertex_signs(ends: np.ndarray, signs: np.ndarray, n_sums: int) -> np.ndarray | None:
    """A sign for each sum (and +1 for the open vertex) so that every cell enters one sum
    with +1 and the other with -1 once each sum is multiplied by its sign; None if there is
    none. Each sum is two vertices, itself and its negation, in a graph whose components are
    the choices that go together: a sum and its negation in one component have no sign."""
    both = (ends[:, 1] < n_sums)
    a, b = ends[both, 0], ends[both, 1]
    same = signs[both, 0] * signs[both, 1] < 0  # opposite coefficients: the same sign
    u = np.r_[a, a + n_sums]
    v = np.r_[np.where(same, b, b + n_sums), np.where(same, b + n_sums, b)]
    graph = sparse.coo_matrix((np.ones(u.size), (u, v)), shape=(2 * n_sums, 2 * n_sums))
    _, label = connected_components(graph, directed=False)
    if np.any(label[:n_sums] == label[n_sums:]):
        return None
    return np.r_[np.where(label[:n_sums] < label[n_sums:], 1.0, -1.0), 1.0]
