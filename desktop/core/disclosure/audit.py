"""The attacker's problem, solved for every hidden cell of one or many Publications.

For each hidden cell the audit finds the smallest and the largest value it could take given
everything published: every relation of the Publication, every shown cell, counts 0 or more
and within their known upper bounds, and whole numbers wherever the published counts are whole.
Each bound is a mixed-integer linear programme solved by HiGHS through `scipy.optimize.milp`
(no solver of our own). A cell is protected when its range keeps the width the protection
rule asks for (desktop.core.disclosure.rule).

Three facts keep thousands of cells to a few solver calls. Hidden cells that share no
relation, even through other hidden cells, cannot inform each other, so each connected group is
solved on its own; its "min" and "max" problems for every cell are copies of the group stacked
block by block, many groups to one call (HiGHS' presolve takes the blocks apart again). Cells
that enter exactly the same relations with the same coefficients and bounds are
interchangeable, so they share one range and only one of them is solved. And a cell that other
tables printing the same already show to be protected (desktop.core.disclosure.certify: moves
the caller proposes, checked there) needs no solver at all: its range is reported as the part
so proven.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse.csgraph import connected_components

from desktop.core.disclosure.certify import certified_ranges
from desktop.core.disclosure.publication import Publication
from desktop.core.disclosure.rule import is_protected
from desktop.core.tasks import Task

BATCH_VARIABLES = 60_000  # variables per solver call: large enough to amortise each call
TIME_LIMIT = 600.0  # seconds for a whole audit; cells left unsolved are reported, not passed
WHOLE = 1e-9  # how far from a whole number a published count may be and still count as whole


@dataclass(frozen=True, eq=False)
class Audit:
    """The attacker's range of every hidden cell of one Publication.

    cells are indices of the hidden cells; low and high their ranges (high inf when nothing
    limits it): exact where `solved`, and where `certified` the part of the range that other
    tables printing the same prove (wide enough, so the solver was not asked). A cell neither
    solved nor certified got no answer within the time limit: it is neither protected nor
    pinned, and counts as a failure.
    """

    publication: Publication
    cells: np.ndarray
    low: np.ndarray
    high: np.ndarray
    solved: np.ndarray
    certified: np.ndarray

    @property
    def required(self) -> np.ndarray:
        return self.publication.protect[self.cells]

    @property
    def protected(self) -> np.ndarray:
        return self.certified | (self.solved & is_protected(self.low, self.high, self.required))

    @property
    def pinned(self) -> np.ndarray:
        """Cells whose value the attacker knows exactly."""
        with np.errstate(invalid="ignore"):
            return self.solved & (self.high - self.low < 0.5)

    @property
    def passed(self) -> bool:
        return bool(self.protected.all())

    def failures(self) -> list[str]:
        """A sentence for each cell that is not protected."""
        out = []
        for k in np.flatnonzero(~self.protected):
            label = self.publication.labels[self.cells[k]]
            if not self.solved[k]:
                out.append(f"{label}: not checked (no answer from the solver in time: the "
                           "published numbers may be inconsistent or out of range)")
                continue
            high = "no limit" if np.isinf(self.high[k]) else f"{self.high[k]:g}"
            out.append(f"{label}: an attacker can tell it lies from {self.low[k]:g} to {high}, "
                       f"a range narrower than the {self.required[k]:g} asked for")
        return out


def audit(publication: Publication, time_limit: float = TIME_LIMIT,
          moves: sparse.spmatrix | None = None) -> Audit:
    """The attacker's range of every hidden cell of `publication`; `moves` (one per row, over
    the cells) may prove some cells protected without the solver."""
    return audit_many([publication], time_limit, moves=[moves])[0]


def audit_many(publications: Sequence[Publication], time_limit: float = TIME_LIMIT,
               task: Task | None = None,
               moves: Sequence[sparse.spmatrix | None] | None = None) -> list[Audit]:
    """Audit several unrelated Publications together (faster than one by one)."""
    task = task or Task()
    proven = []
    for pub, move in zip(publications, moves or [None] * len(publications)):
        cells = np.flatnonzero(pub.hidden)
        if move is None:
            proven.append((np.full(cells.size, np.nan), np.full(cells.size, np.nan),
                           np.zeros(cells.size, dtype=bool)))
            continue
        low, high = (r[cells] for r in certified_ranges(pub, move))
        proven.append((low, high, is_protected(low, high, pub.protect[cells])))
    groups = _Groups([_reduce(p) for p in publications], [~ok for _, _, ok in proven])
    deadline = time.monotonic() + time_limit
    low, high = np.full(groups.n_targets, np.nan), np.full(groups.n_targets, np.nan)
    batches = groups.batches()
    for k, batch in enumerate(batches):
        task.report(k / max(len(batches), 1), "Solving the attacker's problems")
        groups.solve(batch, low, high, deadline)
    audits = []
    for p, (pub, reduced) in enumerate(zip(publications, groups.problems)):
        lo, hi = groups.results(p, low, high)
        solved = ~np.isnan(lo) & ~np.isnan(hi)
        c_lo, c_hi, certified = proven[p]
        audits.append(Audit(pub, reduced.cells, np.where(solved, lo, c_lo),
                            np.where(solved, hi, c_hi), solved, certified & ~solved))
    return audits


@dataclass(eq=False)
class _Reduced:
    """One publication's problem in its hidden cells only: A x = b, G x <= h, 0 <= x <= upper.
    Rows are split into groups of cells that share relations (`cell_group`, `eq_group`,
    `ineq_group`); `whole` says whether each group's counts are whole numbers."""

    cells: np.ndarray
    A: sparse.csc_matrix
    b: np.ndarray
    G: sparse.csc_matrix
    h: np.ndarray
    upper: np.ndarray
    capped: np.ndarray  # cells whose upper bound is only the solver's stand-in for no bound
    cell_group: np.ndarray
    eq_group: np.ndarray
    ineq_group: np.ndarray
    n_groups: int
    whole: np.ndarray


def _reduce(pub: Publication) -> _Reduced:
    cells = np.flatnonzero(pub.hidden)
    known = np.flatnonzero(~pub.hidden)
    shown = np.nan_to_num(pub.value[known])
    rows = []
    for matrix in (pub.equalities.tocsc(), pub.inequalities.tocsc()):
        unknown = matrix[:, cells].tocsr()
        constant = -(matrix[:, known] @ shown)
        used = np.flatnonzero(np.diff(unknown.indptr) > 0)
        rows.append((unknown[used], constant[used]))
    (A, b), (G, h) = rows
    n, m_eq = cells.size, A.shape[0]
    # rows and cells as one bipartite graph: its connected parts are the independent groups
    links = sparse.vstack([A, G]).tocoo()
    size = n + links.shape[0]
    graph = sparse.coo_matrix((np.ones(links.nnz), (links.col, n + links.row)),
                              shape=(size, size))
    n_groups, label = connected_components(graph, directed=False)
    finite = pub.upper[np.isfinite(pub.upper)]
    big = float(np.ceil(4.0 * (np.abs(shown).sum() + finite.sum()) + 1000.0))
    capped = pub.upper[cells] >= big
    upper = np.where(capped, big, pub.upper[cells])
    whole_group = np.ones(n_groups, dtype=bool)
    for values, where in ((b, label[n:n + m_eq]), (upper, label[:n])):
        fractional = np.abs(values - np.round(values)) > WHOLE
        whole_group[where[fractional]] = False
    return _Reduced(cells, A.tocsc(), b, G.tocsc(), h, upper, capped, label[:n],
                    label[n:n + m_eq], label[n + m_eq:], n_groups, whole_group)


class _Groups:
    """Every group of every publication, numbered globally, with what the solver calls need:
    each group's cells in order with their bounds, its rows and entries, and one target per
    class of interchangeable cells."""

    def __init__(self, problems: list[_Reduced], solve: list[np.ndarray]) -> None:
        self.problems = problems
        self.group_offset = np.cumsum([0] + [p.n_groups for p in problems])
        self.cell_offset = np.cumsum([0] + [p.cells.size for p in problems])
        n_groups = int(self.group_offset[-1])
        cell_group = _joined([p.cell_group + o for p, o in zip(problems, self.group_offset)],
                             np.int64)
        self.n_cells = np.bincount(cell_group, minlength=n_groups)
        self.cell_start = np.concatenate([[0], np.cumsum(self.n_cells)])
        order = np.argsort(cell_group, kind="stable")  # cells grouped, in publication order
        self.local = np.empty(order.size, dtype=np.int64)  # each cell's place in its group
        self.local[order] = np.arange(order.size) - self.cell_start[cell_group[order]]
        self.upper = _joined([p.upper for p in problems], float)[order]
        self.capped = _joined([p.capped for p in problems], bool)[order]
        self.whole = _joined([p.whole for p in problems], bool)
        self.eq = self._rows("A", "b", "eq_group", n_groups)
        self.ineq = self._rows("G", "h", "ineq_group", n_groups)
        self._targets(cell_group, _joined(solve, bool))

    def _rows(self, matrix: str, rhs: str, group: str, n_groups: int) -> dict[str, np.ndarray]:
        """Rows of one kind in group order: per group their number and entries, the right-hand
        sides, and each entry's (row within group, cell within group, coefficient)."""
        problems = self.problems
        row_group = _joined([getattr(p, group) + o
                             for p, o in zip(problems, self.group_offset)], np.int64)
        order = np.argsort(row_group, kind="stable")
        count = np.bincount(row_group, minlength=n_groups)
        start = np.concatenate([[0], np.cumsum(count)])
        local_row = np.empty(order.size, dtype=np.int64)
        local_row[order] = np.arange(order.size) - start[row_group[order]]
        row_offset = np.cumsum([0] + [len(getattr(p, rhs)) for p in problems])
        coo = [getattr(p, matrix).tocoo() for p in problems]
        e_row = _joined([m.row + r for m, r in zip(coo, row_offset)], np.int64)
        e_col = _joined([self.local[m.col + c] for m, c in zip(coo, self.cell_offset)],
                        np.int64)
        e_group = row_group[e_row]
        e_order = np.argsort(e_group, kind="stable")
        return {"count": count, "start": start,
                "rhs": _joined([getattr(p, rhs) for p in problems], float)[order],
                "entries": np.bincount(e_group, minlength=n_groups),
                "e_row": local_row[e_row][e_order], "e_col": e_col[e_order],
                "e_val": _joined([m.data for m in coo], float)[e_order]}

    def _targets(self, cell_group: np.ndarray, solve: np.ndarray) -> None:
        """Cells with the same group, relations, coefficients and bound share a range: one
        target per such class among the cells to `solve`, and each cell's target (-1: none)."""
        keys = [key for p in self.problems
                for key in zip(_columns(p.A), _columns(p.G), p.upper.tolist())]
        first: dict[tuple, int] = {}
        self.target_of = np.full(len(keys), -1, dtype=np.int64)
        for i in np.flatnonzero(solve):
            self.target_of[i] = first.setdefault((int(cell_group[i]), keys[i]), len(first))
        self.n_targets = len(first)
        rep = np.empty(self.n_targets, dtype=np.int64)
        solving = np.flatnonzero(self.target_of >= 0)
        rep[self.target_of[solving[::-1]]] = solving[::-1]  # the first cell of each class
        self.target_group = cell_group[rep]
        self.target_local = self.local[rep]

    def batches(self) -> list[np.ndarray]:
        """Targets cut into solver calls of about BATCH_VARIABLES variables (two copies of its
        group per target: the min and the max problem)."""
        size = 2 * self.n_cells[self.target_group]
        batch = (np.cumsum(size) - size) // BATCH_VARIABLES
        cuts = np.flatnonzero(np.diff(batch)) + 1
        return [part for part in np.split(np.arange(self.n_targets), cuts) if part.size]

    def solve(self, targets: np.ndarray, low: np.ndarray, high: np.ndarray,
              deadline: float) -> None:
        """Solve the min and max problems of `targets`: as linear programmes first (sums of
        whole counts have whole-number corners, so this is usually exact), then again in whole
        numbers where a solution came out fractional; group by group if a call fails."""
        fractional = self._solve(targets, low, high, deadline, whole=False)
        if fractional is None:
            for group in np.unique(self.target_group[targets]):
                part = targets[self.target_group[targets] == group]
                again = self._solve(part, low, high, deadline, whole=False)
                if again is not None and again.size:
                    self._solve(again, low, high, deadline, whole=True)
        elif fractional.size:
            self.solve_whole(fractional, low, high, deadline)

    def solve_whole(self, targets: np.ndarray, low: np.ndarray, high: np.ndarray,
                    deadline: float) -> None:
        if self._solve(targets, low, high, deadline, whole=True) is None:
            for group in np.unique(self.target_group[targets]):
                self._solve(targets[self.target_group[targets] == group], low, high, deadline,
                            whole=True)

    def _solve(self, targets: np.ndarray, low: np.ndarray, high: np.ndarray, deadline: float,
               whole: bool) -> np.ndarray | None:
        """Solve and store the ranges of `targets`; returns the targets whose solution was not
        in whole numbers although their group's counts are (to solve again with
        whole=True), or None when the solver gave no answer."""
        remaining = deadline - time.monotonic()
        if targets.size == 0 or remaining <= 0:
            return np.zeros(0, dtype=np.int64) if targets.size == 0 else None
        group = np.repeat(self.target_group[targets], 2)  # copy 2t: min, 2t+1: max
        n = self.n_cells[group]
        col_off = np.concatenate([[0], np.cumsum(n)])
        n_var = int(col_off[-1])
        pick = col_off[:-1] + np.repeat(self.target_local[targets], 2)
        objective = np.zeros(n_var)
        objective[pick] = np.tile([1.0, -1.0], targets.size)
        wants_whole = np.repeat(self.whole[group], n)
        constraints = []
        for rows, equal in ((self.eq, True), (self.ineq, False)):
            matrix, rhs = _stack(rows, group, col_off, n_var)
            if matrix.shape[0]:
                constraints.append(LinearConstraint(
                    matrix, rhs if equal else np.full(rhs.size, -np.inf), rhs))
        cols = _runs(self.cell_start[group], n)
        result = milp(objective, integrality=(wants_whole & whole).astype(np.int8),
                      bounds=Bounds(0.0, self.upper[cols]),
                      constraints=constraints,
                      options={"presolve": True, "mip_rel_gap": 0.0, "time_limit": remaining})
        if result.status != 0 or result.x is None:
            return None
        x = result.x
        off = np.abs(x - np.round(x)) > WHOLE * np.maximum(1.0, np.abs(x)) * 1e3
        copy_off = np.add.reduceat(off & wants_whole, col_off[:-1]) > 0
        value = np.where(wants_whole[pick], np.round(x[pick]), np.round(x[pick], 9))
        # a maximum past half the stand-in bound of a count that has none: no limit (the
        # stand-in is four times anything a bounded count could reach). Only the target's own
        # value says so: another count of its group resting on its stand-in says nothing.
        at_cap = self.capped[cols][pick] & (x[pick] >= self.upper[cols][pick] / 2)
        open_max = at_cap & (np.arange(group.size) % 2 == 1)
        value = np.where(open_max, np.inf, value)
        low[targets], high[targets] = value[0::2], value[1::2]
        return targets[copy_off[0::2] | copy_off[1::2]] if not whole else np.zeros(0, np.int64)

    def results(self, p: int, low: np.ndarray, high: np.ndarray
                ) -> tuple[np.ndarray, np.ndarray]:
        """The ranges of publication p's hidden cells, in its order."""
        target = self.target_of[self.cell_offset[p]:self.cell_offset[p + 1]]
        out = np.full((2, target.size), np.nan)
        solved = target >= 0
        out[0, solved], out[1, solved] = low[target[solved]], high[target[solved]]
        return out[0], out[1]


def _joined(arrays: list[np.ndarray], dtype) -> np.ndarray:
    return np.concatenate(arrays).astype(dtype) if arrays else np.zeros(0, dtype=dtype)


def _columns(matrix: sparse.csc_matrix) -> list[tuple]:
    """Each column's (rows, coefficients) as a hashable key."""
    indptr, indices, data = matrix.indptr, matrix.indices, matrix.data
    return [(indices[a:b].tobytes(), data[a:b].tobytes())
            for a, b in itertools.pairwise(indptr)]


def _runs(starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """np.concatenate([np.arange(s, s + n) for s, n in zip(starts, lengths)]), vectorised."""
    lengths = np.asarray(lengths, dtype=np.int64)
    total = int(lengths.sum())
    if total == 0:
        return np.zeros(0, dtype=np.int64)
    offsets = np.repeat(np.cumsum(lengths) - lengths, lengths)
    return np.repeat(np.asarray(starts, dtype=np.int64), lengths) + np.arange(total) - offsets


def _stack(rows: dict[str, np.ndarray], group: np.ndarray, col_off: np.ndarray,
           n_var: int) -> tuple[sparse.csr_matrix, np.ndarray]:
    """The rows of each copy's group, placed on the copy's own columns: a block-diagonal
    matrix and its right-hand side."""
    count = rows["count"][group]
    rhs = rows["rhs"][_runs(rows["start"][group], count)]
    row_off = np.concatenate([[0], np.cumsum(count)])
    n_ent = rows["entries"][group]
    ent_start = np.concatenate([[0], np.cumsum(rows["entries"])])
    ent = _runs(ent_start[group], n_ent)
    copy = np.repeat(np.arange(group.size), n_ent)
    r = row_off[copy] + rows["e_row"][ent]
    c = col_off[copy] + rows["e_col"][ent]
    matrix = sparse.csr_matrix((rows["e_val"][ent], (r, c)), shape=(int(row_off[-1]), n_var))
    return matrix, rhs
