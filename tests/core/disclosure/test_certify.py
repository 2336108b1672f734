"""Certificates: other tables that print the same prove part of each hidden cell's range."""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy import sparse

from desktop.core.disclosure.audit import audit
from desktop.core.disclosure.certify import certified_ranges, cycle_moves
from tests.core.disclosure.tables import two_way


def test_a_loop_of_four_is_certified_exactly():
    table = two_way([[3, 40], [50, 7]], np.ones((2, 2), bool))
    low, high = certified_ranges(table, cycle_moves(table))
    assert list(low[:4]) == [0, 0, 10, 4] and list(high[:4]) == [43, 43, 53, 47]
    assert np.isnan(low[4:]).all()  # shown cells have no range
    result = audit(table, moves=cycle_moves(table))
    assert result.certified.all() and not result.solved.any() and result.passed


def test_moves_that_break_a_sum_or_touch_a_shown_cell_are_dropped():
    table = two_way([[3, 40], [50, 7]], [[True, True], [True, False]])
    broken = sparse.csr_matrix(np.array([[1.0, -1.0, 0, 0, 0, 0, 0, 0, 0],  # column sums
                                         [1.0, -1.0, -1.0, 1.0, 0, 0, 0, 0, 0]]))  # shown
    low, high = certified_ranges(table, broken)
    assert list(low[:3]) == [3, 40, 50] and list(high[:3]) == [3, 40, 50]


def test_a_bridge_gets_no_cycle():
    cells = np.array([[3, 40, 2, 9], [50, 7, 8, 6], [11, 12, 4, 30], [13, 14, 60, 1]])
    hidden = np.zeros((4, 4), bool)
    hidden[np.ix_([0, 1], [0, 1])] = True
    hidden[np.ix_([2, 3], [2, 3])] = True
    hidden[0, 2] = True  # the bridge between the two loops
    table = two_way(cells, hidden)
    low, high = certified_ranges(table, cycle_moves(table))
    assert (low[2], high[2]) == (2, 2)
    result = audit(table, moves=cycle_moves(table))
    assert not result.certified[list(result.cells).index(2)]
    assert result.pinned[list(result.cells).index(2)]  # the solver settles it: pinned


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(2, 4), st.integers(2, 4), st.data())
def test_certified_ranges_lie_inside_the_solved_ones(n, m, data):
    """A certificate never claims more than the attacker's exact range."""
    cells = np.array(data.draw(st.lists(st.integers(0, 9), min_size=n * m, max_size=n * m)),
                     dtype=float).reshape(n, m)
    hidden = np.array(data.draw(st.lists(st.booleans(), min_size=n * m,
                                         max_size=n * m))).reshape(n, m)
    table = two_way(cells, hidden)
    low, high = certified_ranges(table, cycle_moves(table))
    exact = audit(table)
    for cell, lo, hi in zip(exact.cells, exact.low, exact.high):
        assert lo <= low[cell] <= cells.ravel()[cell] <= high[cell] <= hi
