"""The protection rule: how much an attacker may learn about a hidden count.

The attacker holds everything published and works out, for each hidden count, the smallest and
largest whole number 0 or more it could be (the attacker's problem of cell suppression:
Hundepool et al., Statistical Disclosure Control, Wiley 2012, chapter 4, doi
10.1002/9781118348239; sdcTable's `attack()` computes the same bounds). A hidden count is
protected when that range is at least as wide as the threshold t, as [0, t] is: the attacker
cannot narrow it to fewer than t + 1 possible counts. A count whose own published bound is
narrower keeps that whole width instead: a proportion's count lies between 0 and its printed
denominator whatever else is hidden, so 2 out of 3 is protected when nothing narrows it below
[0, 3].

The threshold is the bundle's (or the indicator's own) `disclosure_threshold`, the same number
that decides which counts are hidden in the first place (primary suppression of counts from 1
to t, as ONS and DfE tables do). docs/disclosure.md explains the rule for readers.
"""

from __future__ import annotations

import numpy as np

TOLERANCE = 1e-6  # solver round-off allowed when a width is compared with the protection


def required_width(threshold: np.ndarray | float, upper: np.ndarray | float) -> np.ndarray:
    """The width of range each hidden count must keep: the threshold, or its own upper bound
    (0 up to that bound) when that is narrower."""
    return np.minimum(np.asarray(threshold, dtype=float), np.asarray(upper, dtype=float))


def is_protected(low: np.ndarray, high: np.ndarray, required: np.ndarray) -> np.ndarray:
    """Whether each range [low, high] is wide enough (high may be inf: no upper limit)."""
    with np.errstate(invalid="ignore"):
        return (np.asarray(high) - np.asarray(low)) >= np.asarray(required) - TOLERANCE
