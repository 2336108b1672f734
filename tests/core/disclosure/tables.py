"""Two-way tables with margins as Publications, for the disclosure tests."""

from __future__ import annotations

import numpy as np

from desktop.core.disclosure.publication import Publication, PublicationBuilder


def two_way(cells: np.ndarray, hidden_cells: np.ndarray, *, hidden_rows=None,
            hidden_cols=None, hidden_total: bool = False, protect: float = 5.0) -> Publication:
    """A table of counts with its row, column and grand totals (cells, rows, columns, total,
    in that order), with the given cells hidden."""
    cells = np.asarray(cells, dtype=float)
    n, m = cells.shape
    hidden_rows = np.zeros(n, bool) if hidden_rows is None else np.asarray(hidden_rows, bool)
    hidden_cols = np.zeros(m, bool) if hidden_cols is None else np.asarray(hidden_cols, bool)
    b = PublicationBuilder()
    b.table("two-way")
    grid = b.add_cells(cells.ravel(), np.asarray(hidden_cells, bool).ravel(),
                       [f"cell {i},{j}" for i in range(n) for j in range(m)],
                       protect=protect).reshape(n, m)
    rows = b.add_cells(cells.sum(axis=1), hidden_rows, [f"row {i}" for i in range(n)],
                       protect=protect)
    cols = b.add_cells(cells.sum(axis=0), hidden_cols, [f"column {j}" for j in range(m)],
                       protect=protect)
    total = b.add_cells([cells.sum()], [hidden_total], ["total"], protect=protect)
    for i in range(n):
        b.add_sum(rows[i], grid[i])
    for j in range(m):
        b.add_sum(cols[j], grid[:, j])
    b.add_sum(total[0], rows)
    b.add_sum(total[0], cols)
    return b.build()
