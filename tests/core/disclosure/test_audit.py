"""The audit against hand-worked attacks and against brute force."""

from __future__ import annotations

import itertools

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop.core.disclosure.audit import audit, audit_many
from desktop.core.disclosure.publication import PublicationBuilder
from tests.core.disclosure.tables import two_way


def _ranges(result) -> dict[str, tuple[float, float]]:
    labels = result.publication.labels
    return {labels[c]: (float(lo), float(hi))
            for c, lo, hi in zip(result.cells, result.low, result.high)}


def test_a_hidden_cell_alone_beside_a_shown_total_is_pinned():
    result = audit(two_way([[3, 10], [20, 30]], [[True, False], [False, False]]))
    assert _ranges(result) == {"cell 0,0": (3, 3)}
    assert result.pinned.all() and not result.passed
    assert "from 3 to 3" in result.failures()[0]


def test_a_loop_of_four_hidden_cells_leaves_each_a_range():
    result = audit(two_way([[3, 40], [50, 7]], np.ones((2, 2), bool)))
    # row 0 = 43, column 0 = 53, row 1 = 57: cell 0,0 = a, 1,1 = 4 + a, 0 <= a <= 43
    assert _ranges(result) == {"cell 0,0": (0, 43), "cell 0,1": (0, 43),
                               "cell 1,0": (10, 53), "cell 1,1": (4, 47)}
    assert result.passed and not result.pinned.any()


def test_a_cell_bridging_two_loops_is_pinned_though_no_line_has_one_hidden_cell():
    """The issue's first attack: every row and column has two or more hidden cells, but the
    cell joining two separate loops lies on no loop of its own, so it is determined."""
    cells = np.array([[3, 40, 2, 9], [50, 7, 8, 6], [11, 12, 4, 30], [13, 14, 60, 1]])
    hidden = np.zeros((4, 4), bool)
    hidden[np.ix_([0, 1], [0, 1])] = True  # loop one
    hidden[np.ix_([2, 3], [2, 3])] = True  # loop two
    hidden[0, 2] = True  # the bridge
    assert (hidden.sum(axis=0) >= 2).all() and (hidden.sum(axis=1) >= 2).all()
    ranges = _ranges(audit(two_way(cells, hidden)))
    assert ranges["cell 0,2"] == (2, 2)
    assert all(hi > lo for label, (lo, hi) in ranges.items() if label != "cell 0,2")


def test_shares_beside_a_hidden_total_give_it_away():
    """The issue's second attack: 113 = 34.1% and 141 = 42.6% admit one whole total, 331,
    and from it the hidden cell; the linear relaxation alone would leave half a pupil."""
    b = PublicationBuilder()
    cells = b.add_cells([113, 141, 77], [False, False, True], ["p", "q", "r"], protect=5)
    total = b.add_cells([331], [True], ["total"], protect=5)[0]
    b.add_sum(total, cells)
    b.add_share({cells[0]: 1}, {total: 1}, 34.1)
    b.add_share({cells[1]: 1}, {total: 1}, 42.6)
    assert _ranges(audit(b.build())) == {"r": (77, 77), "total": (331, 331)}
    # without the shares the total is free
    b = PublicationBuilder()
    cells = b.add_cells([113, 141, 77], [False, False, True], ["p", "q", "r"], protect=5)
    total = b.add_cells([331], [True], ["total"], protect=5)[0]
    b.add_sum(total, cells)
    assert _ranges(audit(b.build()))["r"] == (0, np.inf)


def test_a_known_upper_bound_narrows_the_range():
    b = PublicationBuilder()
    cells = b.add_cells([2, 10], [True, True], ["two of three", "ten of fifty"],
                        upper=[3, 50], protect=[3, 5])
    total = b.add_cells([12], [False], ["cluster"])[0]
    b.add_sum(total, cells)
    ranges = _ranges(audit(b.build()))
    assert ranges == {"two of three": (0, 3), "ten of fifty": (9, 12)}


def test_fractional_counts_are_not_taken_for_whole_numbers():
    b = PublicationBuilder()
    cells = b.add_cells([1.5, 2.5], [True, True], ["a", "b"], protect=1)
    b.add_sum(b.add_cells([4.0], [False], ["t"])[0], cells)
    assert _ranges(audit(b.build())) == {"a": (0, 4), "b": (0, 4)}


def test_auditing_together_gives_what_auditing_alone_gives():
    tables = [two_way([[3, 40], [50, 7]], np.ones((2, 2), bool)),
              two_way([[3, 10], [20, 30]], [[True, True], [False, False]]),
              two_way([[1, 2, 3], [4, 5, 6]], [[True, False, True], [True, False, True]])]
    together = audit_many(tables)
    for table, joint in zip(tables, together):
        alone = audit(table)
        np.testing.assert_array_equal(alone.low, joint.low)
        np.testing.assert_array_equal(alone.high, joint.high)


def test_nothing_hidden_passes():
    result = audit(two_way([[3, 4]], np.zeros((1, 2), bool)))
    assert result.cells.size == 0 and result.passed


def _brute_force(cells: np.ndarray, hidden: np.ndarray, hidden_rows: np.ndarray,
                 hidden_cols: np.ndarray) -> dict[str, tuple[int, int]]:
    """Every whole-number table that prints the same: the range of each hidden number."""
    total = int(cells.sum())
    free = list(zip(*np.nonzero(hidden)))
    seen: dict[str, set[int]] = {}
    for guess in itertools.product(range(total + 1), repeat=len(free)):
        table = cells.copy()
        for (i, j), v in zip(free, guess):
            table[i, j] = v
        rows, cols = table.sum(axis=1), table.sum(axis=0)
        if (rows[~hidden_rows] != cells.sum(axis=1)[~hidden_rows]).any() or \
                (cols[~hidden_cols] != cells.sum(axis=0)[~hidden_cols]).any() or \
                table.sum() != total:
            continue
        for (i, j), v in zip(free, guess):
            seen.setdefault(f"cell {i},{j}", set()).add(v)
        for i in np.flatnonzero(hidden_rows):
            seen.setdefault(f"row {i}", set()).add(int(rows[i]))
        for j in np.flatnonzero(hidden_cols):
            seen.setdefault(f"column {j}", set()).add(int(cols[j]))
    return {k: (min(v), max(v)) for k, v in seen.items()}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(2, 3), st.integers(2, 3), st.data())
def test_ranges_match_brute_force_on_small_tables(n, m, data):
    cells = np.array(data.draw(st.lists(st.integers(0, 3), min_size=n * m, max_size=n * m)),
                     dtype=float).reshape(n, m)
    flat = data.draw(st.lists(st.booleans(), min_size=n * m, max_size=n * m))
    hidden = np.array(flat).reshape(n, m)
    if hidden.sum() > 3:
        hidden[np.unravel_index(np.flatnonzero(hidden)[3:], hidden.shape)] = False
    hidden_rows = np.array(data.draw(st.lists(st.booleans(), min_size=n, max_size=n)))
    hidden_cols = np.array(data.draw(st.lists(st.booleans(), min_size=m, max_size=m)))
    result = audit(two_way(cells, hidden, hidden_rows=hidden_rows, hidden_cols=hidden_cols))
    expected = _brute_force(cells.astype(int), hidden, hidden_rows, hidden_cols)
    assert _ranges(result) == expected


def test_a_pinned_cell_stays_pinned_beside_counts_with_no_limit():
    """x is pinned to 0 by a shown sum of it alone; a, the totals and a's decile have no upper
    limit, and the solver may leave them at its stand-in bound while maximising x: that must
    not be read as x having no limit."""
    builder = PublicationBuilder()
    a, x = builder.add_cells([np.nan, np.nan], [True, True], ["a", "x"], protect=5)
    one = builder.add_cells([1.0], [False], ["one"])[0]
    total, county, part = builder.add_cells([np.nan] * 3, [True] * 3,
                                            ["total", "county", "part"], protect=5)
    zero = builder.add_cells([0.0], [False], ["zero"])[0]
    builder.add_sum(total, [a, x, one])
    builder.add_sum(county, [total])
    builder.add_sum(part, [a, one])
    builder.add_sum(zero, [x])
    result = audit(builder.build())
    assert _ranges(result)["x"] == (0, 0)
    assert _ranges(result)["a"] == (0, np.inf) and not result.passed
