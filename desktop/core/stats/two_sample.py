"""Two-sample comparisons: a cluster against the rest of the county (the county without it).

Fingertips compares an area with a benchmark by asking whether the benchmark value lies
outside the area's interval, which treats the benchmark as fixed. A cluster is part of the
county, so for "against the rest of the county" the two disjoint groups are compared as two
independent samples, each method from the literature:

- proportions: Newcombe's hybrid score interval for p1 - p2 (method 10 of Newcombe RG,
  "Interval estimation for the difference between independent proportions: comparison of
  eleven methods", Statistics in Medicine 1998;17:873-890), built from the Wilson intervals;
- rates (events per person-time or population) and indirectly standardised ratios (observed
  per expected): the exact conditional interval for the ratio of two Poisson rates: given the
  total, the first count is binomial, and its Clopper-Pearson interval gives the ratio's
  (Armitage P, Berry G, Matthews JNS, Statistical Methods in Medical Research, 4th ed. 2002,
  section 5.2; Breslow NE, Day NE, Statistical Methods in Cancer Research vol. II, 1987);
- means with a standard deviation: Welch's t-test (Welch BL, Biometrika 1947;34:28-35);
- means and scores with a standard error, and directly standardised rates: a z-test on the
  difference (for DSRs on the log of their ratio, with variances by the delta method, as in
  Eayres D, "Technical Briefing 3: Commonly used public health statistics and their confidence
  intervals", APHO 2008).

Every function takes arrays and returns the interval (or statistic) per row, NaN where the
input cannot be compared; `direction` turns them into +1 (higher), -1 (lower), 0 (no
significant difference) or NaN (not compared).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from desktop.core.stats.intervals import as_fraction, wilson_ci, z_value


def _floats(*arrays: ArrayLike) -> list[np.ndarray]:
    return [np.asarray(a, dtype=float) for a in np.broadcast_arrays(*arrays)]


def newcombe_difference(x1: ArrayLike, n1: ArrayLike, x2: ArrayLike, n2: ArrayLike,
                        confidence: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """Newcombe's hybrid score interval (method 10) for x1/n1 - x2/n2, as proportions of 1."""
    x1, n1, x2, n2 = _floats(x1, n1, x2, n2)
    l1, u1 = wilson_ci(x1, n1, confidence)
    l2, u2 = wilson_ci(x2, n2, confidence)
    with np.errstate(invalid="ignore", divide="ignore"):
        p1, p2 = x1 / n1, x2 / n2
    d = p1 - p2
    return (d - np.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2),
            d + np.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2))


def rate_ratio_exact(x1: ArrayLike, n1: ArrayLike, x2: ArrayLike, n2: ArrayLike,
                     confidence: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """Exact conditional (Clopper-Pearson) interval for (x1/n1) / (x2/n2), x Poisson counts
    and n their person-time, populations or expected counts."""
    from scipy import stats as _sp  # lazily: scipy.stats is not needed to start
    x1, n1, x2, n2 = _floats(x1, n1, x2, n2)
    alpha = 1.0 - as_fraction(confidence)
    total = x1 + x2
    valid = (x1 >= 0) & (x2 >= 0) & (n1 > 0) & (n2 > 0) & np.isfinite(total)
    with np.errstate(invalid="ignore", divide="ignore"):
        low = np.where(x1 > 0, _sp.beta.ppf(alpha / 2, np.maximum(x1, 1e-300),
                                            total - x1 + 1), 0.0)
        high = np.where(x1 < total, _sp.beta.ppf(1 - alpha / 2, x1 + 1,
                                                 np.maximum(total - x1, 1e-300)), 1.0)
        scale = n2 / n1
        lower = low / (1.0 - low) * scale
        upper = np.where(high < 1.0, high / (1.0 - high) * scale, np.inf)
    return np.where(valid, lower, np.nan), np.where(valid, upper, np.nan)


def welch_t(mean1: ArrayLike, variance1: ArrayLike, n1: ArrayLike, mean2: ArrayLike,
            variance2: ArrayLike, n2: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    """Welch's t statistic for mean1 - mean2 and its Welch-Satterthwaite degrees of freedom,
    from the means, the variances of the means (sd^2 / n) and the numbers of values."""
    m1, v1, n1, m2, v2, n2 = _floats(mean1, variance1, n1, mean2, variance2, n2)
    with np.errstate(invalid="ignore", divide="ignore"):
        t = (m1 - m2) / np.sqrt(v1 + v2)
        df = (v1 + v2) ** 2 / (v1 * v1 / (n1 - 1) + v2 * v2 / (n2 - 1))
    ok = (n1 > 1) & (n2 > 1) & (v1 + v2 > 0)
    return np.where(ok, t, np.nan), np.where(ok, df, np.nan)


def welch_direction(mean1: ArrayLike, variance1: ArrayLike, n1: ArrayLike, mean2: ArrayLike,
                    variance2: ArrayLike, n2: ArrayLike, confidence: float = 0.95
                    ) -> np.ndarray:
    """+1 / -1 / 0 / NaN from Welch's two-sided t-test at `confidence`."""
    from scipy import stats as _sp  # lazily: scipy.stats is not needed to start
    t, df = welch_t(mean1, variance1, n1, mean2, variance2, n2)
    level = as_fraction(confidence)
    with np.errstate(invalid="ignore"):
        critical = _sp.t.ppf(level + (1 - level) / 2, df)
    return _signed(t, critical)


def z_direction(estimate1: ArrayLike, variance1: ArrayLike, estimate2: ArrayLike,
                variance2: ArrayLike, confidence: float = 0.95) -> np.ndarray:
    """+1 / -1 / 0 / NaN from a two-sided z-test of estimate1 - estimate2."""
    e1, v1, e2, v2 = _floats(estimate1, variance1, estimate2, variance2)
    with np.errstate(invalid="ignore", divide="ignore"):
        z = (e1 - e2) / np.sqrt(v1 + v2)
    return _signed(np.where(v1 + v2 > 0, z, np.nan), z_value(confidence))


def log_ratio_direction(estimate1: ArrayLike, variance1: ArrayLike, estimate2: ArrayLike,
                        variance2: ArrayLike, confidence: float = 0.95) -> np.ndarray:
    """+1 / -1 / 0 / NaN from a z-test of log(estimate1 / estimate2), the variances of the logs
    being variance / estimate^2 (delta method): for two directly standardised rates."""
    e1, v1, e2, v2 = _floats(estimate1, variance1, estimate2, variance2)
    ok = (e1 > 0) & (e2 > 0)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(ok, z_direction(np.log(e1), v1 / (e1 * e1), np.log(e2),
                                        v2 / (e2 * e2), confidence), np.nan)


def _signed(statistic: np.ndarray, critical: ArrayLike) -> np.ndarray:
    with np.errstate(invalid="ignore"):
        out = np.where(statistic > critical, 1.0, np.where(statistic < -np.asarray(critical),
                                                           -1.0, 0.0))
    return np.where(np.isfinite(statistic), out, np.nan)


def direction(lower: ArrayLike, upper: ArrayLike, null: float) -> np.ndarray:
    """+1 where the interval lies above `null` (0 for differences, 1 for ratios), -1 below,
    0 where it contains it, NaN where it is missing."""
    lo, hi = _floats(lower, upper)
    out = np.where(lo > null, 1.0, np.where(hi < null, -1.0, 0.0))
    return np.where(np.isnan(lo) | np.isnan(hi), np.nan, out)
