"""How two indicators go together across clusters (or small areas): Pearson's correlation
coefficient with its confidence interval, for the two-indicator scatter.

The interval is Fisher's: z = artanh(r) is close to normal with standard error 1 / sqrt(n - 3),
so the limits are tanh(z -+ z_a / sqrt(n - 3)) (Fisher RA, "On the probable error of a
coefficient of correlation deduced from a small sample", Metron 1921;1:3-32; as
scipy.stats.pearsonr gives it). Points where either value is missing or suppressed are left
out and counted. A correlation needs 3 points, its interval 4; with fewer, or when every point
has the same value of an indicator, there is none, and the reason says why.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from desktop.core.stats.intervals import as_fraction

MIN_POINTS = 3  # a line through two points always fits
MIN_FOR_INTERVAL = 4  # Fisher's standard error 1 / sqrt(n - 3)


@dataclass(frozen=True)
class Correlation:
    """Pearson's r of the points used (n), its interval at `confidence`, and why there is no
    r (or no interval) when there is not."""

    r: float
    lower: float
    upper: float
    n: int
    confidence: float = 0.95
    reason: str = ""

    @property
    def r_squared(self) -> float:
        return self.r * self.r


def pearson(x, y, confidence: float = 0.95) -> Correlation:
    """Pearson's r of the finite pairs of x and y, with Fisher's interval at `confidence`."""
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    used = np.isfinite(x) & np.isfinite(y)
    n = int(used.sum())
    level = as_fraction(confidence)
    if n < MIN_POINTS:
        return Correlation(np.nan, np.nan, np.nan, n, level,
                           f"{n} point{'s' * (n != 1)} with both values: a correlation needs "
                           f"at least {MIN_POINTS}")
    x, y = x[used], y[used]
    if np.ptp(x) == 0 or np.ptp(y) == 0:
        return Correlation(np.nan, np.nan, np.nan, n, level,
                           "every point has the same value of one indicator")
    from scipy import stats as _sp  # lazily: scipy.stats is not needed to start

    result = _sp.pearsonr(x, y)
    r = float(result.statistic)
    if n < MIN_FOR_INTERVAL:
        return Correlation(r, np.nan, np.nan, n, level,
                           f"an interval needs at least {MIN_FOR_INTERVAL} points")
    interval = result.confidence_interval(confidence_level=level)
    return Correlation(r, float(interval.low), float(interval.high), n, level)


def strength(r: float) -> str:
    """Plain words for the size of r (Cohen's conventions: 0.1 small, 0.3 moderate, 0.5
    large), with its direction."""
    if not np.isfinite(r):
        return "no correlation can be calculated"
    size = abs(r)
    words = ("little or no" if size < 0.1 else "a weak" if size < 0.3 else
             "a moderate" if size < 0.5 else "a strong")
    direction = "" if size < 0.1 else (" positive" if r > 0 else " negative")
    return f"{words}{direction} correlation"
