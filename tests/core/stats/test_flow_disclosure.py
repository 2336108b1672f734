"""The cross-border tables as one Publication, and their suppression by audit."""

from __future__ import annotations

import numpy as np

from desktop.core.disclosure.audit import audit
from desktop.core.stats.flow_disclosure import (
    CountyShares,
    FlowLayout,
    flow_publication,
    suppress_flows,
)
from tests.core.disclosure.attacker import Attack

LAYOUT = FlowLayout("2030", ("A", "B", "C"), ("A", "B", "C", "Outside the county"), 3)
# pupils by school cluster (rows) and home (columns; the last: outside the county)
PUPILS = np.array([[120, 2, 9, 120], [0, 2, 0, 9], [300, 0, 4, 4]], dtype=float)


def test_a_county_share_that_would_narrow_a_cell_is_left_out():
    """570 pupils in all: "x% lived outside" gives the outside column's sum to a third of a
    pupil, and its hidden cells (9 and 4) would follow; so that share is not printed."""
    hidden, shares, result = suppress_flows(LAYOUT, PUPILS, 5)
    assert result.passed
    assert not shares.living_outside
    with_share = audit(flow_publication(LAYOUT, PUPILS, hidden, 5, CountyShares(True, False)))
    assert not with_share.passed
    assert any("living outside the county" in f for f in with_share.failures())


def test_the_suppressed_tables_resist_an_attacker_reading_them():
    """The tests' own attacker on every number the tables show: rows with totals, the home
    clusters' columns with totals, the grand total and the printed shares."""
    hidden, shares, _ = suppress_flows(LAYOUT, PUPILS, 5)
    values = LAYOUT.values(PUPILS)
    labels = LAYOUT.labels()
    attack = Attack()
    item = [attack.unknown(label) if h else float(v)
            for label, v, h in zip(labels, values, hidden)]
    n, m = PUPILS.shape
    grid = np.array(item[:n * m], dtype=object).reshape(n, m)
    for i in range(n):
        attack.total(list(grid[i]), item[LAYOUT.row_total(i)])
        for j in range(m):
            if not isinstance(grid[i, j], str) and not isinstance(item[LAYOUT.row_total(i)], str):
                total = item[LAYOUT.row_total(i)]
                if total > 0:
                    attack.share(grid[i, j], total, round(100 * grid[i, j] / total, 1))
    for j in range(n):
        attack.total(list(grid[:, j]), item[LAYOUT.col_total(j)])
    attack.total([item[LAYOUT.row_total(i)] for i in range(n)], item[LAYOUT.grand_total])
    ranges = attack.ranges()
    assert len(ranges) == int(hidden.sum()) > 0
    assert all(high - low >= 5 for low, high in ranges.values()), ranges
    assert shares == CountyShares(False, False) or audit(
        flow_publication(LAYOUT, PUPILS, hidden, 5, shares)).passed


def test_layout_numbers_and_labels_line_up():
    values = LAYOUT.values(PUPILS)
    assert values[LAYOUT.cell(1, 3)] == 9
    assert values[LAYOUT.row_total(0)] == PUPILS[0].sum()
    assert values[LAYOUT.col_total(2)] == PUPILS[:, 2].sum()
    assert values[LAYOUT.grand_total] == PUPILS.sum() == 570
    labels = LAYOUT.labels()
    assert len(labels) == values.size
    assert labels[LAYOUT.cell(1, 3)] == "Flows 2030: pupils at B's schools living outside " \
                                        "the county"
    assert labels[LAYOUT.cell(0, 1)] == "Flows 2030: pupils at A's schools living in B"
    assert labels[LAYOUT.grand_total] == "Flows 2030: all pupils at the county's schools"


def test_a_large_table_is_protected_by_rectangles_without_waiting_for_the_solver():
    """60 clusters, pupils crossing to nearby clusters in small numbers: the hypercube method
    puts every small count in a rectangle of hidden cells wide enough, the rectangles prove
    almost every hidden cell protected, and the audit passes."""
    rng = np.random.default_rng(3)
    n = 60
    names = tuple(f"C{i}" for i in range(n))
    layout = FlowLayout("2030", names, (*names, "Outside the county"), n)
    pupils = np.zeros((n, n + 1))
    for i in range(n):
        pupils[i, i] = rng.integers(2000, 9000)
        for j in (i - 3, i - 2, i - 1, i + 1, i + 2, i + 3):
            if 0 <= j < n:
                pupils[i, j] = rng.choice([0, 1, 2, 3, 6, 12, 40, 120])
        pupils[i, n] = rng.integers(20, 400)
    hidden, _, result = suppress_flows(layout, pupils, 5)
    assert result.passed
    assert result.certified.sum() >= 0.9 * result.cells.size
    assert hidden[:n * (n + 1)].reshape(n, n + 1)[(pupils >= 1) & (pupils <= 5)].all()
