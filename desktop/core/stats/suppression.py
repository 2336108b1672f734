"""Small-number suppression, primary and secondary, over a hierarchy of sums.

Primary: a count from 1 to the disclosure threshold (0 is safe to show) is hidden with every
number derived from it. Secondary: the statistics form a tree of sum equations (the county is
the sum of its clusters plus the areas in no cluster; a cluster is the sum of its areas). A hidden
cell that is the only hidden member of an equation could be recovered by subtraction, so more
cells are hidden until no equation has exactly one hidden member.
"""

from __future__ import annotations

import numpy as np

# Columns blanked in a suppressed row; the denominator stays, as it discloses nothing.
BLANKED = ("numerator", "value", "lower95", "upper95", "lower998", "upper998")


def primary_mask(numerator: np.ndarray, threshold: np.ndarray | int,
                 suppressible: np.ndarray | bool = True) -> np.ndarray:
    """Rows whose count is from 1 to the threshold inclusive."""
    x = np.asarray(numerator, dtype=float)
    with np.errstate(invalid="ignore"):
        small = (x >= 1) & (x <= np.asarray(threshold, dtype=float))
    return small & np.asarray(suppressible, dtype=bool)


def secondary_mask(hidden: np.ndarray, numerator: np.ndarray, member: np.ndarray,
                   child_group: np.ndarray, parent_group: np.ndarray, n_groups: int) -> np.ndarray:
    """Extend `hidden` so that no sum equation has exactly one hidden member.

    Each row may be a child in one equation (`child_group`, -1 for none) and the total of another
    (`parent_group`, -1 for none). Only `member` rows (those with a count that enters the sums)
    take part. Where an equation has one hidden member, its smallest non-zero visible child is
    hidden too (a zero child only when nothing else is left); when it has no visible child left,
    its total is hidden instead, which then moves the problem one level up.
    """
    hidden = np.asarray(hidden, dtype=bool).copy()
    x = np.asarray(numerator, dtype=float)
    member = np.asarray(member, dtype=bool) & ~np.isnan(x)
    child_group = np.asarray(child_group)
    parent_group = np.asarray(parent_group)
    is_child = member & (child_group >= 0)
    is_parent = member & (parent_group >= 0)
    child_g = np.where(is_child, child_group, 0)
    parent_rows = np.flatnonzero(is_parent)
    parent_of_group = np.full(n_groups, -1)
    parent_of_group[parent_group[parent_rows]] = parent_rows
    while True:
        count = np.bincount(child_group[is_child & hidden], minlength=n_groups)
        count[parent_group[parent_rows]] += hidden[parent_rows]
        exposed = count == 1
        if not exposed.any():
            return hidden
        candidates = np.flatnonzero(is_child & ~hidden & exposed[child_g])
        order = np.lexsort((x[candidates], x[candidates] == 0, child_group[candidates]))
        ranked = candidates[order]
        groups = child_group[ranked]
        first = np.ones(ranked.size, dtype=bool)
        first[1:] = groups[1:] != groups[:-1]
        chosen = ranked[first]
        hidden[chosen] = True
        # Equations with no visible child left: hide their total if it is still shown.
        unresolved = exposed.copy()
        unresolved[child_group[chosen]] = False
        totals = parent_of_group[unresolved]
        totals = totals[totals >= 0]
        totals = totals[~hidden[totals]]
        hidden[totals] = True
        if chosen.size == 0 and totals.size == 0:
            return hidden  # only childless equations are left: nothing can be recovered there


def blank(columns: dict[str, np.ndarray], mask: np.ndarray) -> None:
    """Blank the derived numbers of suppressed rows in place (arrays owned by the caller)."""
    for name in BLANKED:
        columns[name][mask] = np.nan
