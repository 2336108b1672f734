"""Small-number suppression over the sums areas -> clusters -> county, vectorised.

Primary: a count from 1 to the disclosure threshold t is hidden with every number derived from
it (0 is shown: it counts nobody). With an indicator's complement rule, a proportion whose
denominator minus numerator is from 1 to t is hidden too (7 of 11 would tell of 4 without).

Secondary: every hidden count must keep the range the protection rule asks for
(desktop.core.disclosure.rule) against an attacker holding every published number. In this
hierarchy that range has a closed form, so no solver is needed here. Hidden areas whose
nearest shown ancestor is the same total form a pool: their sum S is known (the total less
everything shown beneath it), and nothing else ties them, so each hidden count c with bound u
(a proportion's denominator; no bound otherwise) ranges exactly from max(0, S - what the
others can hold) to min(S, u), whole numbers included; a hidden cluster ranges as the sum of
its hidden areas in its pool does; a pool under a hidden county has no known sum. More cells
are hidden until every range is wide enough: in a pool that is too narrow its smallest shown
non-zero area first (then zeros, then clusters); under a hidden total with no hidden area of
its own, one of its areas; when a pool has nothing left to hide, its total. Each step only
widens ranges, so the loop ends. `cluster-atlas audit` checks the result with the solver.
"""

from __future__ import annotations

import numpy as np

from desktop.core.disclosure.rule import TOLERANCE

# Columns blanked in a suppressed row; the denominator stays (see docs/disclosure.md).
BLANKED = ("numerator", "value", "lower95", "upper95", "lower998", "upper998")


def primary_mask(numerator: np.ndarray, threshold: np.ndarray | int,
                 suppressible: np.ndarray | bool = True) -> np.ndarray:
    """Rows whose count is from 1 to the threshold inclusive."""
    x = np.asarray(numerator, dtype=float)
    with np.errstate(invalid="ignore"):
        small = (x >= 1) & (x <= np.asarray(threshold, dtype=float))
    return small & np.asarray(suppressible, dtype=bool)


def complement_mask(numerator: np.ndarray, denominator: np.ndarray,
                    threshold: np.ndarray | int, applies: np.ndarray | bool) -> np.ndarray:
    """Proportions (where `applies`) whose denominator minus numerator is from 1 to the
    threshold: the complement rule."""
    with np.errstate(invalid="ignore"):
        rest = np.asarray(denominator, dtype=float) - np.asarray(numerator, dtype=float)
    return primary_mask(rest, threshold, applies)


def protect_hierarchy(hidden: np.ndarray, numerator: np.ndarray, member: np.ndarray,
                      upper: np.ndarray, required: np.ndarray, child_group: np.ndarray,
                      parent_group: np.ndarray, n_groups: int) -> np.ndarray:
    """Extend `hidden` until every hidden member row keeps the width `required` asks for.

    Each row may be a part of one sum (`child_group`, -1 for none) and the total of another
    (`parent_group`, -1 for none); only `member` rows (a count that enters the sums) take part.
    `upper` bounds each count (inf for none).
    """
    x = np.asarray(numerator, dtype=float)
    member = np.asarray(member, dtype=bool) & ~np.isnan(x)
    child = np.where(member, child_group, -1)
    parent = np.where(member, parent_group, -1)
    hidden = np.asarray(hidden, dtype=bool) & member
    # Sums only meet inside one tree (an indicator-period): after the first round only the
    # trees where something was hidden can still need more, so each round works on those.
    tree = _tops(np.where(child >= 0, child, parent), child, parent, n_groups)
    order = np.argsort(tree, kind="stable")
    bounds = np.searchsorted(tree[order], np.arange(n_groups + 1))
    active = np.unique(tree[hidden])
    while active.size:
        rows = order[np.concatenate([np.arange(bounds[t], bounds[t + 1]) for t in active])]
        part = _Tree(x[rows], upper[rows], required[rows], child[rows], parent[rows], n_groups)
        chosen = rows[part.next_cells(hidden[rows])]
        chosen = chosen[~hidden[chosen]]
        hidden[chosen] = True
        active = np.unique(tree[chosen])
    return hidden


def _tops(eq: np.ndarray, child: np.ndarray, parent: np.ndarray, n_groups: int) -> np.ndarray:
    """The top sum of each row's tree (-1 for rows in no sum)."""
    totals = np.flatnonzero(parent >= 0)
    up = np.full(n_groups, -1)
    up[parent[totals]] = child[totals]
    top = eq.copy()
    while True:
        climb = (top >= 0) & (up[np.maximum(top, 0)] >= 0)
        if not climb.any():
            return top
        top[climb] = up[top[climb]]


def blank(columns: dict[str, np.ndarray], mask: np.ndarray) -> None:
    """Blank the derived numbers of suppressed rows in place (arrays owned by the caller)."""
    for name in BLANKED:
        columns[name][mask] = np.nan


class _Tree:
    """Rows of some trees of sums (only rows that enter a sum), and the closed-form ranges
    of a suppression pattern over them."""

    def __init__(self, x: np.ndarray, upper: np.ndarray, required: np.ndarray,
                 child: np.ndarray, parent: np.ndarray, n_groups: int) -> None:
        self.x, self.upper, self.required = x, upper, required
        self.child, self.parent, self.n = child, parent, n_groups
        self.member = (child >= 0) | (parent >= 0)
        totals = np.flatnonzero(parent >= 0)
        self.total_of = np.full(n_groups, -1)  # the row each sum adds up to
        self.total_of[parent[totals]] = totals
        has = self.total_of >= 0
        self.up = np.full(n_groups, -1)  # the sum a sum's total is part of
        self.up[has] = child[self.total_of[has]]
        self.leaf = (parent < 0) & (child >= 0)
        self.is_total = parent >= 0

    def pools(self, hidden: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """For each sum, the sum whose total is the nearest shown one above it (its pool), and
        whether there is none (a hidden top total: the pool's sum is not known)."""
        root = np.arange(self.n)
        open_top = np.zeros(self.n, dtype=bool)
        while True:
            total = self.total_of[root]
            climb = (total >= 0) & ~open_top
            climb[climb] = hidden[total[climb]]
            if not climb.any():
                return root, open_top | (self.total_of[root] < 0)
            rows = np.flatnonzero(climb)
            above = self.up[root[rows]]
            open_top[rows[above < 0]] = True
            root[rows[above >= 0]] = above[above >= 0]

    def next_cells(self, hidden: np.ndarray) -> np.ndarray:
        """Rows to hide next: one for each place where a range is too narrow."""
        root, open_top = self.pools(hidden)
        leaves = np.flatnonzero(self.leaf & hidden)
        pool = root[self.child[leaves]]
        finite = np.isfinite(self.upper)
        cap = np.where(finite, self.upper, 0.0)
        pool_sum = np.bincount(pool, self.x[leaves], minlength=self.n)
        pool_cap = np.bincount(pool, cap[leaves], minlength=self.n)
        pool_open = np.bincount(pool, ~finite[leaves], minlength=self.n)
        # hidden totals: the hidden areas below them through hidden totals only
        under_cap, under_open, under_n = (np.zeros(self.x.size) for _ in range(3))
        rows, eq = leaves, self.child[leaves]
        while rows.size:
            total = self.total_of[eq]
            keep = (total >= 0) & hidden[np.maximum(total, 0)]
            rows, total = rows[keep], total[keep]
            under_cap += np.bincount(total, cap[rows], minlength=self.x.size)
            under_open += np.bincount(total, ~finite[rows], minlength=self.x.size)
            under_n += np.bincount(total, minlength=self.x.size)
            eq = self.child[total]
            rows, eq = rows[eq >= 0], eq[eq >= 0]
        totals = np.flatnonzero(self.is_total & hidden)
        subject = np.concatenate([leaves, totals])
        where = np.concatenate([pool, root[self.parent[totals]]])
        low, high = _range(pool_sum[where], pool_cap[where], pool_open[where],
                           np.concatenate([cap[leaves], under_cap[totals]]),
                           np.concatenate([~finite[leaves], under_open[totals]]),
                           open_top[where])
        with np.errstate(invalid="ignore"):
            bad = np.where(np.isinf(high), False, high - low < self.required[subject] - TOLERANCE)
        if not bad.any():
            return np.zeros(0, dtype=np.int64)
        row, pool, low, high = subject[bad], where[bad], low[bad], high[bad]
        # What widens each range: a hidden total with no hidden part of its own, in a pool of
        # unknown sum, or held by what its own parts can take, needs one of its parts hidden;
        # a range held at 0..sum needs a larger sum (a non-zero count); one held above 0 needs
        # room elsewhere in the pool (any count outside the total's own parts).
        total = self.is_total[row]
        inside = total & ((under_n[row] == 0) | open_top[pool]
                          | ((low <= TOLERANCE) & (high < pool_sum[pool] - TOLERANCE)))
        sums = np.unique(self.parent[row[inside]])
        by_sum = self._cheapest(hidden, self.child, sums)
        stuck = np.isin(self.parent[row], sums[by_sum < 0])
        need_sum = ~inside & (low <= TOLERANCE)
        need_room = (~inside & (low > TOLERANCE)) | (inside & stuck)
        in_pool = np.where(self.child >= 0, root[np.maximum(self.child, 0)], -1)
        non_zero = np.where(self.x > 0, in_pool, -1)
        outside = in_pool.copy()
        outside[np.isin(self.child, self.parent[row[need_room & total]])] = -1
        chosen = [by_sum[by_sum >= 0]]
        for key, pools in ((non_zero, np.unique(pool[need_sum])),
                           (outside, np.unique(pool[need_room]))):
            found = self._cheapest(hidden, key, pools)
            retry = pools[found < 0]
            again = self._cheapest(hidden, in_pool, retry)
            # a pool with nothing left to hide: its total, which joins the pool above
            empty = self.total_of[retry[again < 0]]
            chosen += [found[found >= 0], again[again >= 0], empty[empty >= 0]]
        return np.unique(np.concatenate(chosen))

    def _cheapest(self, hidden: np.ndarray, key: np.ndarray, wanted: np.ndarray) -> np.ndarray:
        """For each value in `wanted`, the cheapest shown member row whose `key` equals it
        (areas before totals, non-zero before zero, smallest first); -1 when there is none."""
        out = np.full(wanted.size, -1)
        if wanted.size == 0:
            return out
        rows = np.flatnonzero(self.member & ~hidden & np.isin(key, wanted))
        order = np.lexsort((self.x[rows], self.x[rows] == 0, self.is_total[rows], key[rows]))
        rows = rows[order]
        first = np.r_[True, key[rows][1:] != key[rows][:-1]] if rows.size else rows.astype(bool)
        found = rows[first]
        out[np.searchsorted(wanted, key[found])] = found
        return out


def _range(pool_sum: np.ndarray, pool_cap: np.ndarray, pool_open: np.ndarray,
           own_cap: np.ndarray, own_open: np.ndarray, unknown_sum: np.ndarray
           ) -> tuple[np.ndarray, np.ndarray]:
    """The range of a part of a pool (one hidden count, or the hidden counts under a hidden
    total), less its shown part: from what the part's counts can hold (own_cap, or no limit
    when own_open), what the rest of the pool can hold, and the pool's sum (unknown_sum: none).
    """
    own = np.where(own_open > 0, np.inf, own_cap)
    rest = np.where(pool_open - own_open > 0, np.inf, pool_cap - own_cap)
    high = np.where(unknown_sum, own, np.minimum(pool_sum, own))
    low = np.where(unknown_sum, 0.0, np.maximum(0.0, pool_sum - rest))
    return low, high
