"""Directly standardised rates by the Dobson method, as PHEindicatormethods' calculate_dsr.

DSR = sum_b(x_b / n_b x s_b) / sum_b(s_b) x multiplier, for age bands b with x_b events,
population n_b and standard population s_b (the 2013 European Standard Population). Its
variance is sum_b(x_b (s_b / n_b)^2) / sum_b(s_b)^2, and the Dobson interval scales Byar's limits
of the total count X: DSR + sqrt(var / X) (Byar(X) - X) x multiplier (Dobson AJ, Kuulasmaa K,
Eberle E, Scherer J, "Confidence intervals for weighted sums of Poisson parameters",
Statistics in Medicine 1991;10:457-462). As in PHEindicatormethods and Fingertips, no DSR is
calculated from fewer than 10 events.

Groups (areas, clusters, the county) are summed band by band first; these functions take the
per-group sums, so the same code serves every level.
"""

from __future__ import annotations

import numpy as np

from desktop.core.stats.intervals import byar_ci

MIN_EVENTS = 10  # fewer events: the DSR is not calculated


def band_terms(x: np.ndarray, n: np.ndarray, standard: np.ndarray
               ) -> tuple[np.ndarray, np.ndarray]:
    """Per band: the weighted rate x s / n and the variance term x (s / n)^2."""
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio = standard / n
        return x * ratio, x * ratio * ratio


def dsr_from_sums(total: np.ndarray, weighted: np.ndarray, squared: np.ndarray,
                  standard: np.ndarray, multiplier: np.ndarray | float
                  ) -> dict[str, np.ndarray]:
    """value, variance (of the value, in its units squared) and both intervals of groups from
    their summed events, weighted rates, variance terms and standard populations; all NaN
    below MIN_EVENTS events."""
    total, weighted, squared, standard = (np.asarray(a, dtype=float) for a in
                                          (total, weighted, squared, standard))
    with np.errstate(invalid="ignore", divide="ignore"):
        value = weighted / standard * multiplier
        variance = squared / (standard * standard)
        scale = np.sqrt(variance / total) * multiplier
    out = {"value": value, "variance": variance * np.square(multiplier)}
    for confidence, lo, hi in ((0.95, "lower95", "upper95"), (0.998, "lower998", "upper998")):
        lower, upper = byar_ci(total, confidence)
        out[lo], out[hi] = value + scale * (lower - total), value + scale * (upper - total)
    few = ~(total >= MIN_EVENTS)
    return {name: np.where(few, np.nan, column) for name, column in out.items()}
