"""Indirectly standardised ratios (observed / expected), as PHEindicatormethods'
calculate_ISRatio.

The expected count of a group is sum_b(n_b x r_b): its population in each age band b times the
reference rate of that band. The ratio O / E (times the multiplier: 100 for the usual SMR
scale) has the interval of the observed count divided by E: exact (chi-squared) below 10
events, Byar's from 10, exactly as the product's rates (stats.intervals.poisson_ci).

Cluster Atlas takes the county's own age-specific rates of the same period as the reference,
so a cluster's ratio says how it compares with the county once age is allowed for, and the
county's ratio is 1 (x multiplier) by construction.
"""

from __future__ import annotations

import numpy as np

from desktop.core.stats.intervals import poisson_ci


def expected_counts(population: np.ndarray, reference_events: np.ndarray,
                    reference_population: np.ndarray) -> np.ndarray:
    """Per band: the population times the reference rate (a band the reference never saw an
    event in expects none)."""
    with np.errstate(invalid="ignore", divide="ignore"):
        rate = np.where(reference_population > 0, reference_events / reference_population, 0.0)
    return population * np.nan_to_num(rate)


def isr_from_sums(observed: np.ndarray, expected: np.ndarray, multiplier: np.ndarray | float
                  ) -> dict[str, np.ndarray]:
    """value and both intervals of groups from their observed and expected counts."""
    observed, expected = np.asarray(observed, float), np.asarray(expected, float)
    with np.errstate(invalid="ignore", divide="ignore"):
        scale = np.where(expected > 0, multiplier / expected, np.nan)
    out = {"value": observed * scale}
    for confidence, lo, hi in ((0.95, "lower95", "upper95"), (0.998, "lower998", "upper998")):
        lower, upper = poisson_ci(observed, confidence)
        out[lo], out[hi] = lower * scale, upper * scale
    return out
