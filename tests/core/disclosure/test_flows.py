"""Moves from maximum flows: proofs found as far as the solver's exact ranges, and left to the
solver where the hidden cells do not form a network."""

from __future__ import annotations

import dataclasses

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop.core.disclosure.audit import audit
from desktop.core.disclosure.certify import certified_ranges, cycle_moves
from desktop.core.disclosure.flows import flow_moves, flow_moves_many
from desktop.core.disclosure.publication import PublicationBuilder
from tests.core.disclosure.tables import two_way

# a hidden 3 x 3 block, 1s on its diagonal and 3s beside: a cycle of four through cell 0,0
# (a 1) lowers two 3s, so it moves that cell from 0 to 4 at most, short of a width of 5; two
# cycles together (a flow) take it from 0 to 7
SMALL = np.array([[1, 3, 3, 40], [3, 1, 3, 50], [3, 3, 1, 60], [30, 20, 10, 70]])
SMALL_HIDDEN = np.zeros((4, 4), bool)
SMALL_HIDDEN[:3, :3] = True


def test_flows_prove_what_no_single_cycle_does():
    table = two_way(SMALL, SMALL_HIDDEN)
    low, high = certified_ranges(table, cycle_moves(table))
    assert high[0] - low[0] < 5  # the cycles alone fall short
    result = audit(table, moves=flow_moves(table))
    assert result.passed and result.certified.all() and not result.solved.any()
    # as far as the width asked for (the flows stop about there), within the solver's range
    exact = audit(table)
    assert (exact.low[0], exact.high[0]) == (0, 7)
    assert result.low[0] == 0 and 5 <= result.high[0] <= 7


def test_a_cell_in_three_sums_is_left_to_the_solver():
    """A diagonal total printed besides puts the hidden cells in three sums each: no network,
    no flows, and the solver settles every cell."""
    cells = np.array([[3, 4, 40], [5, 2, 50], [30, 20, 10]])
    hidden = np.zeros((3, 3), bool)
    hidden[:2, :2] = True
    table = two_way(cells, hidden)
    b = PublicationBuilder()
    b.table("two-way with its diagonal")
    grid = b.add_cells(table.value, table.hidden, table.labels, protect=table.protect,
                       upper=table.upper)
    diagonal = b.add_cells([3 + 2], [False], ["diagonal"])
    b.add_sum(int(diagonal[0]), [int(grid[0]), int(grid[4])])
    for row in table.equalities.toarray():
        total = int(np.flatnonzero(row > 0)[0])
        b.add_sum(total, np.flatnonzero(row < 0))
    linked = b.build()
    assert flow_moves(linked).shape[0] == 0
    result = audit(linked, moves=flow_moves(linked))
    assert result.solved.all() and not result.certified.any()
    # rows 7 and 7, columns 8 and 6, diagonal 5: cell 0,1 is 7 - x, cell 1,1 is 6 - (7 - x),
    # and x + x - 1 = 5 pins cell 0,0 at 3
    assert (result.low[0], result.high[0]) == (3, 3) and result.pinned[0]


@st.composite
def small_tables(draw):
    n, m = draw(st.integers(2, 4)), draw(st.integers(2, 4))
    cells = np.array(draw(st.lists(st.integers(0, 7), min_size=n * m, max_size=n * m)))
    hidden = np.array(draw(st.lists(st.booleans(), min_size=n * m, max_size=n * m)))
    upper = np.where(np.array(draw(st.lists(st.booleans(), min_size=n * m, max_size=n * m))),
                     cells + draw(st.integers(0, 3)), np.inf)
    table = two_way(cells.reshape(n, m), hidden.reshape(n, m),
                    hidden_rows=draw(st.lists(st.booleans(), min_size=n, max_size=n)),
                    protect=float(draw(st.integers(1, 6))))
    full_upper = table.upper.copy()
    full_upper[:n * m] = upper
    return dataclasses.replace(table, upper=full_upper)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_tables())
def test_flows_reach_as_far_as_the_solver_within_what_is_asked(table):
    """Every flow is a move the published numbers allow (inside the solver's exact range), and
    the flows carry each cell as far as its protection asks, or as far as the solver says it
    can go: they miss nothing a network of sums allows."""
    exact = audit(table)
    cells = exact.cells
    low, high = (r[cells] for r in certified_ranges(table, flow_moves(table)))
    assert np.all(low >= exact.low - 1e-9) and np.all(high <= exact.high + 1e-9)
    wanted = np.minimum(exact.high - exact.low, table.protect[cells])
    assert np.all(high - low >= wanted - 1e-9)


def test_many_publications_get_the_flows_each_would_alone():
    tables = [two_way(SMALL, SMALL_HIDDEN), two_way(SMALL.T, SMALL_HIDDEN.T, protect=3.0)]
    together = flow_moves_many(tables)
    for table, moves in zip(tables, together):
        alone = flow_moves(table)
        assert (moves != alone).nnz == 0
