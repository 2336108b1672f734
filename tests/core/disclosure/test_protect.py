"""Secondary suppression by audit: hidden until the attacker's problem finds nothing."""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop.core.disclosure.protect import protect
from desktop.core.stats.suppression import primary_mask
from tests.core.disclosure.attacker import Attack
from tests.core.disclosure.tables import two_way

THRESHOLD = 5


def _protect_table(cells: np.ndarray):
    n, m = cells.shape
    values = np.concatenate([cells.ravel(), cells.sum(axis=1), cells.sum(axis=0), [cells.sum()]])
    cost = np.where(np.arange(values.size) < n * m, values, 1e9 + values)

    def build(hidden):
        return two_way(cells, hidden[:n * m].reshape(n, m), hidden_rows=hidden[n * m:n * m + n],
                       hidden_cols=hidden[n * m + n:-1], hidden_total=bool(hidden[-1]),
                       protect=THRESHOLD)

    return protect(build, primary_mask(values, THRESHOLD), cost), values


def _attack(cells: np.ndarray, hidden: np.ndarray) -> dict[str, tuple[float, float]]:
    """The test's own attacker on what the table shows."""
    n, m = cells.shape
    values = np.concatenate([cells.ravel(), cells.sum(axis=1), cells.sum(axis=0), [cells.sum()]])
    names = ([f"c{i},{j}" for i in range(n) for j in range(m)] + [f"r{i}" for i in range(n)]
             + [f"k{j}" for j in range(m)] + ["t"])
    attack = Attack()
    item = [attack.unknown(name) if h else float(v) for name, v, h in zip(names, values, hidden)]
    grid = np.array(item[:n * m], dtype=object).reshape(n, m)
    for i in range(n):
        attack.total(list(grid[i]), item[n * m + i])
    for j in range(m):
        attack.total(list(grid[:, j]), item[n * m + n + j])
    attack.total(item[n * m:n * m + n], item[-1])
    return attack.ranges()


def test_the_bridge_between_two_loops_gets_protected():
    cells = np.array([[3, 40, 2, 9], [50, 7, 8, 6], [11, 12, 4, 30], [13, 14, 60, 1]], float)
    (hidden, result), values = _protect_table(cells)
    assert result.passed
    assert hidden[primary_mask(values, THRESHOLD)].all()
    ranges = _attack(cells, hidden)
    assert all(hi - lo >= THRESHOLD for lo, hi in ranges.values()), ranges


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(2, 5), st.integers(2, 5), st.data())
def test_random_tables_resist_the_attack_after_suppression(n, m, data):
    counts = st.one_of(st.integers(0, 6), st.integers(7, 60))
    cells = np.array(data.draw(st.lists(counts, min_size=n * m, max_size=n * m)),
                     dtype=float).reshape(n, m)
    (hidden, result), values = _protect_table(cells)
    assert result.passed, result.failures()
    assert hidden[primary_mask(values, THRESHOLD)].all()
    if hidden.any():
        ranges = _attack(cells, hidden)
        assert all(hi - lo >= THRESHOLD for lo, hi in ranges.values()), ranges
