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

from dataclasses import dataclass

import numpy as np

from desktop.core.disclosure.rule import TOLERANCE, required_width

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


@dataclass(frozen=True)
class Protection:
    """What each row's count can be at most and the width of range it must keep, looked up
    for the rows that need it (41 million rows at England scale: no array of them is made).

    Each row follows a rule (`rule`: an indicator): its threshold, and whether its count is a
    proportion's, at most its denominator.
    """

    denominator: np.ndarray  # per row
    rule: np.ndarray  # per row: index into the two below
    threshold: np.ndarray  # per rule
    bounded: np.ndarray  # per rule: the count is at most its denominator

    @classmethod
    def uniform(cls, n_rows: int, threshold: float) -> Protection:
        """The same threshold for every row, and no bound."""
        return cls(np.full(n_rows, np.nan), np.zeros(n_rows, dtype=np.int64),
                   np.array([float(threshold)]), np.array([False]))

    def upper(self, rows: np.ndarray) -> np.ndarray:
        den = self.denominator[rows]
        return np.where(self.bounded[self.rule[rows]] & ~np.isnan(den), den, np.inf)

    def required(self, rows: np.ndarray) -> np.ndarray:
        return required_width(self.threshold[self.rule[rows]], self.upper(rows))


def protect_hierarchy(hidden: np.ndarray, numerator: np.ndarray, member: np.ndarray,
                      protection: Protection, child_group: np.ndarray,
                      parent_group: np.ndarray, n_groups: int,
                      hideable: np.ndarray | None = None) -> np.ndarray:
    """Extend `hidden` until every hidden member row keeps the width its protection asks for.

    Each row may be a part of one sum (`child_group`, -1 for none) and the total of another
    (`parent_group`, -1 for none); only `member` rows (a count that enters the sums) take part.
    Only `hideable` rows (default: every member) are chosen to hide: a shown row that is not
    still counts as known in every sum it enters. Where nothing hideable is left to widen a
    range, the range stays as it is. Each round looks at the hidden rows and the totals only;
    shown rows are gathered only for the places that need one more hidden.
    """
    tree = _Tree(numerator, member, protection, child_group, parent_group, n_groups, hideable)
    hidden = np.asarray(hidden, dtype=bool) & tree.member
    while True:
        chosen = tree.next_cells(hidden)
        if chosen.size == 0:
            return hidden
        hidden[chosen] = True


def blank(columns: dict[str, np.ndarray], mask: np.ndarray) -> None:
    """Blank the derived numbers of suppressed rows in place (arrays owned by the caller)."""
    for name in BLANKED:
        columns[name][mask] = np.nan


class _Tree:
    """The sums as arrays, and the closed-form ranges of a suppression pattern over them."""

    def __init__(self, numerator: np.ndarray, member: np.ndarray, protection: Protection,
                 child: np.ndarray, parent: np.ndarray, n_groups: int,
                 hideable: np.ndarray | None) -> None:
        self.x = np.asarray(numerator, dtype=float)
        self.member = np.asarray(member, dtype=bool) & ~np.isnan(self.x)
        self.hideable = self.member if hideable is None else (
            self.member & np.asarray(hideable, dtype=bool))
        self.protection = protection
        self.child, self.parent, self.n = np.asarray(child), np.asarray(parent), n_groups
        totals = np.flatnonzero(self.member & (self.parent >= 0))
        self.total_of = np.full(n_groups, -1)  # the row each sum adds up to
        self.total_of[self.parent[totals]] = totals
        has = self.total_of >= 0
        self.up = np.full(n_groups, -1)  # the sum a sum's total is part of
        self.up[has] = self.child[self.total_of[has]]

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
        rows = np.flatnonzero(hidden)
        is_total = self.parent[rows] >= 0
        leaves, totals = rows[~is_total], rows[is_total]
        pool = root[self.child[leaves]]
        upper = self.protection.upper(leaves)
        finite = np.isfinite(upper)
        cap = np.where(finite, upper, 0.0)
        pool_sum = np.bincount(pool, self.x[leaves], minlength=self.n)
        pool_cap = np.bincount(pool, cap, minlength=self.n)
        pool_open = np.bincount(pool, ~finite, minlength=self.n)
        # hidden totals: the hidden areas below them through hidden totals only
        under_cap, under_open, under_n = (np.zeros(totals.size) for _ in range(3))
        k, eq = np.arange(leaves.size), self.child[leaves]
        while k.size:
            total = self.total_of[eq]
            keep = (total >= 0) & hidden[np.maximum(total, 0)]
            k, total = k[keep], total[keep]
            at = np.searchsorted(totals, total)
            under_cap += np.bincount(at, cap[k], minlength=totals.size)
            under_open += np.bincount(at, ~finite[k], minlength=totals.size)
            under_n += np.bincount(at, minlength=totals.size)
            eq = self.child[total]
            k, eq = k[eq >= 0], eq[eq >= 0]
        subject = np.concatenate([leaves, totals])
        where = np.concatenate([pool, root[self.parent[totals]]])
        low, high = _range(pool_sum[where], pool_cap[where], pool_open[where],
                           np.concatenate([cap, under_cap]),
                           np.concatenate([~finite, under_open]), open_top[where])
        with np.errstate(invalid="ignore"):
            bad = np.where(np.isinf(high), False,
                           high - low < self.protection.required(subject) - TOLERANCE)
        if not bad.any():
            return np.zeros(0, dtype=np.int64)
        # What widens each range: a hidden total with no hidden part of its own, in a pool of
        # unknown sum, or held by what its own parts can take, needs one of its parts hidden;
        # a range held at 0..sum needs a larger sum (a non-zero count); one held above 0 needs
        # room elsewhere in the pool (any count outside the total's own parts).
        row, pool, low, high = subject[bad], where[bad], low[bad], high[bad]
        total = np.concatenate([np.zeros(leaves.size, bool), np.ones(totals.size, bool)])[bad]
        own_none = np.concatenate([np.zeros(leaves.size, bool), under_n == 0])[bad]
        inside = total & (own_none | open_top[pool]
                          | ((low <= TOLERANCE) & (high < pool_sum[pool] - TOLERANCE)))
        sums = np.unique(self.parent[row[inside]])
        by_sum = self._cheapest(hidden, sums, sums)
        stuck = np.isin(self.parent[row], sums[by_sum < 0])
        need_sum = ~inside & (low <= TOLERANCE)
        need_room = (~inside & (low > TOLERANCE)) | (inside & stuck)
        chosen = [by_sum[by_sum >= 0]]
        for pools, rule in ((np.unique(pool[need_sum]), "non-zero"),
                            (np.unique(pool[need_room]), "outside")):
            members = np.flatnonzero(np.isin(root, pools))  # the sums in those pools
            skip = self.parent[row[need_room & total]] if rule == "outside" else None
            found = self._cheapest(hidden, members, root[members], pools, rule, skip)
            retry = pools[found < 0]
            again = self._cheapest(hidden, members, root[members], retry)
            # a pool with nothing left to hide: its total, which joins the pool above
            empty = self.total_of[retry[again < 0]]
            empty = empty[empty >= 0]
            chosen += [found[found >= 0], again[again >= 0], empty[self.hideable[empty]]]
        chosen = np.unique(np.concatenate(chosen))
        return chosen[~hidden[chosen]]

    def _cheapest(self, hidden: np.ndarray, sums: np.ndarray, target_of_sum: np.ndarray,
                  targets: np.ndarray | None = None, rule: str = "any",
                  skip: np.ndarray | None = None) -> np.ndarray:
        """For each target (default: each sum), the cheapest shown part of the sums mapped to
        it (areas before totals, non-zero before zero, smallest first; "non-zero": non-zero
        only; "outside": not a part of the sums in `skip`); -1 when there is none."""
        targets = np.unique(target_of_sum) if targets is None else targets
        out = np.full(targets.size, -1)
        if targets.size == 0:
            return out
        wanted = np.isin(target_of_sum, targets)
        target_of = np.full(self.n + 1, -1)  # by sum; the extra last one for rows in no sum
        target_of[sums[wanted]] = target_of_sum[wanted]
        target = target_of[self.child]
        rows = np.flatnonzero((target >= 0) & self.hideable)
        target = target[rows]
        keep = ~hidden[rows]
        if rule == "non-zero":
            keep &= self.x[rows] > 0
        elif rule == "outside":
            keep &= ~np.isin(self.child[rows], skip)
        rows, target = rows[keep], target[keep]
        x = self.x[rows]
        order = np.lexsort((x, x == 0, self.parent[rows] >= 0, target))
        rows, target = rows[order], target[order]
        first = np.r_[True, target[1:] != target[:-1]] if rows.size else rows.astype(bool)
        out[np.searchsorted(targets, target[first])] = rows[first]
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
