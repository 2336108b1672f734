"""What a set of published tables tells a reader, written as linear constraints on counts.

A Publication lists cells, every number some table shows or hides (counts, totals, a total's
parts), and the relations a reader knows hold between them:

- sums: a total is the sum of its parts (a two-way table's rows and columns, the areas of a
  cluster, the clusters of the county);
- ratios: a percentage shown rounded lies within half a unit of its last decimal of the true
  ratio of two sums of cells (a share of a total, "x% live outside the cluster");
- bounds: every count is 0 or more, and at most its upper bound where the reader knows one
  (the denominator printed beside a proportion's count).

Shown cells are known to the reader exactly; hidden cells are the unknowns. A cell's value is
the true one where the caller has it and NaN where it does not: the audit never reads a hidden
value, so it can run on what was published alone.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np
from scipy import sparse

SHARE_SCALE = 100.0  # shares are written as percentages


@dataclass(frozen=True, eq=False)
class Publication:
    """Cells and the relations between them (see the module docstring).

    equalities: rows of coefficients a with a.x = 0 (a sum: +1 on the total, -1 on its parts).
    inequalities: rows g with g.x <= 0 (the two sides of a rounded ratio).
    protect: the width of range each hidden cell must keep (desktop.core.disclosure.rule).
    tables: the table each cell belongs to (an index into `table_names`), for reports.
    """

    value: np.ndarray
    hidden: np.ndarray
    upper: np.ndarray
    protect: np.ndarray
    labels: tuple[str, ...]
    tables: np.ndarray
    table_names: tuple[str, ...]
    equalities: sparse.csr_matrix
    inequalities: sparse.csr_matrix

    @property
    def n_cells(self) -> int:
        return int(self.value.size)

    @property
    def n_hidden(self) -> int:
        return int(self.hidden.sum())


class PublicationBuilder:
    """Collects cells and relations, then `build()` gives the frozen Publication."""

    def __init__(self) -> None:
        self._cells: list[tuple[np.ndarray, ...]] = []
        self._labels: list[str] = []
        self._table_names: list[str] = []
        self._n = 0
        self._eq: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
        self._n_eq = 0
        self._ineq: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
        self._n_ineq = 0

    def table(self, name: str) -> int:
        """Start a table: the cells added next belong to it (its index is returned)."""
        self._table_names.append(name)
        return len(self._table_names) - 1

    def add_cells(self, values: Iterable[float], hidden: Iterable[bool], labels: Iterable[str],
                  *, upper: Iterable[float] | float = np.inf,
                  protect: Iterable[float] | float = 0.0) -> np.ndarray:
        """Cells of the current table; returns their indices."""
        value = np.asarray(list(values) if not isinstance(values, np.ndarray) else values,
                           dtype=float)
        n = value.size
        hide = np.broadcast_to(np.asarray(hidden, dtype=bool), n).copy()
        cap = np.broadcast_to(np.asarray(upper, dtype=float), n).copy()
        need = np.broadcast_to(np.asarray(protect, dtype=float), n).copy()
        if not self._table_names:
            self.table("table")
        table = np.full(n, len(self._table_names) - 1, dtype=np.int32)
        self._cells.append((value, hide, cap, need, table))
        self._labels.extend(str(s) for s in labels)
        if len(self._labels) != self._n + n:
            raise ValueError("one label per cell")
        self._n += n
        return np.arange(self._n - n, self._n)

    def add_sums(self, totals: np.ndarray, parts: np.ndarray, part_of: np.ndarray) -> None:
        """For each k: cell totals[k] = the sum of cells parts[part_of == k]."""
        totals, parts = np.asarray(totals, dtype=np.int64), np.asarray(parts, dtype=np.int64)
        part_of = np.asarray(part_of, dtype=np.int64)
        rows = np.arange(self._n_eq, self._n_eq + totals.size)
        self._eq.append((np.concatenate([rows, rows[part_of]]),
                         np.concatenate([totals, parts]),
                         np.concatenate([np.ones(totals.size), -np.ones(parts.size)])))
        self._n_eq += totals.size

    def add_sum(self, total: int, parts: Iterable[int]) -> None:
        parts = np.fromiter(parts, dtype=np.int64)
        self.add_sums(np.array([total]), parts, np.zeros(parts.size, dtype=np.int64))

    def add_ratio(self, numerator: Mapping[int, float], denominator: Mapping[int, float],
                  low: float, high: float) -> None:
        """low <= (sum of numerator coef x cell) / (sum of denominator coef x cell) <= high,
        for a positive denominator: two linear inequalities."""
        keys = sorted(set(numerator) | set(denominator))
        cols = np.array(keys, dtype=np.int64)
        num = np.array([numerator.get(k, 0.0) for k in keys])
        den = np.array([denominator.get(k, 0.0) for k in keys])
        for coef in (num - high * den, low * den - num):  # num <= high den; low den <= num
            self._ineq.append((np.full(cols.size, self._n_ineq), cols, coef))
            self._n_ineq += 1

    def add_share(self, numerator: Mapping[int, float], denominator: Mapping[int, float],
                  shown: float, decimals: int = 1) -> None:
        """A percentage shown as `shown` with `decimals` decimals: the true one is within half
        a unit of the last decimal (a tie may have been rounded either way)."""
        half = 0.5 * 10.0 ** -decimals
        slack = 1e-9 * max(1.0, abs(shown))  # the printed number came from a float
        self.add_ratio({k: SHARE_SCALE * v for k, v in numerator.items()}, denominator,
                       shown - half - slack, shown + half + slack)

    def build(self) -> Publication:
        parts = list(zip(*self._cells)) if self._cells else [[np.zeros(0)]] * 5
        value, hidden, upper, protect, table = (np.concatenate(p) for p in parts)
        return Publication(value, hidden.astype(bool), upper, protect,
                           tuple(self._labels), table.astype(np.int32),
                           tuple(self._table_names), _matrix(self._eq, self._n_eq, self._n),
                           _matrix(self._ineq, self._n_ineq, self._n))


def _matrix(entries: list[tuple[np.ndarray, np.ndarray, np.ndarray]], n_rows: int,
            n_cols: int) -> sparse.csr_matrix:
    if not entries:
        return sparse.csr_matrix((n_rows, n_cols))
    rows, cols, data = (np.concatenate(p) for p in zip(*entries))
    return sparse.csr_matrix((data, (rows, cols)), shape=(n_rows, n_cols))
