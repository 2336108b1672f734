"""The slope index of inequality (SII) and relative index (RII), as PHEindicatormethods' phe_sii.

Quantiles of deprivation (deciles, 5 to 100 of them) are placed at the midpoint of their
cumulative share of the population (0 for the most deprived end of the scale given first, 1
for the other), and the indicator's values are regressed on that position, weighting each
quantile by its population share (the regression of sqrt(a) x value on sqrt(a) and
b x sqrt(a), with no constant). The SII is the slope (the modelled gap between the two ends of
the scale) times the multiplier; the RII is (intercept + slope) / intercept. Rates and
proportions may be modelled on the log or logit scale (`transform`), the SII then being the
difference of the back-transformed ends.

Confidence limits are simulated, as in phe_sii: each quantile's value is drawn from a normal
distribution with its standard error (on the log or logit scale for rates and proportions),
the regression repeated for every draw, and the limits read from the sorted results. The
random generator is seeded, so a result is reproducible; the limits agree with phe_sii's to
the tolerance its own tests allow (they are simulated there too).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

NORMAL, RATE, PROPORTION = 0, 1, 2  # phe_sii's value_type
REPETITIONS = 100_000
SEED = 20_240_917  # any fixed seed: limits are reproducible from one run to the next
MIN_QUANTILES, MAX_QUANTILES = 5, 100


@dataclass(frozen=True)
class SiiResult:
    """SII and RII with limits per confidence level (as fractions: {0.95: (lower, upper)}),
    and the intercept (the modelled value at the first end of the scale)."""

    sii: float
    rii: float
    intercept: float
    sii_limits: dict[float, tuple[float, float]] = field(default_factory=dict)
    rii_limits: dict[float, tuple[float, float]] = field(default_factory=dict)


def _forward(values: np.ndarray, value_type: int) -> np.ndarray:
    with np.errstate(invalid="ignore", divide="ignore"):
        if value_type == RATE:
            return np.log(values)
        if value_type == PROPORTION:
            return np.log(values / (1 - values))
    return values


def _back(values: np.ndarray, value_type: int) -> np.ndarray:
    if value_type == RATE:
        return np.exp(values)
    if value_type == PROPORTION:
        return np.exp(values) / (1 + np.exp(values))
    return values


def positions(population: np.ndarray) -> np.ndarray:
    """Midpoint of each quantile's cumulative population share (phe_sii's FindXValues)."""
    share = population / population.sum()
    return np.cumsum(share) - share / 2


def phe_sii(population, value, value_type: int = NORMAL, se=None, lower=None, upper=None,
            multiplier: float = 1.0, confidence=(0.95,), transform: bool = False,
            repetitions: int = REPETITIONS, seed: int = SEED) -> SiiResult:
    """SII of one set of quantiles in order (most deprived first, or however the scale runs).

    Give either `se` (on the log or logit scale for rates and proportions) or the `lower` and
    `upper` 95% limits (on the value's own scale; they are transformed with the value).
    `value` is a proportion of 1 for PROPORTION. Confidence as fractions or percentages.
    """
    from scipy import stats as _sp  # lazily: scipy.stats is not needed to start
    population = np.asarray(population, float)
    if not MIN_QUANTILES <= population.size <= MAX_QUANTILES:
        raise ValueError(f"phe_sii needs {MIN_QUANTILES} to {MAX_QUANTILES} quantiles")
    if transform and value_type == NORMAL:
        raise ValueError("transform applies to rates and proportions only")
    y = _forward(np.asarray(value, float), value_type)
    if se is None:
        z = _sp.norm.ppf(0.975)  # phe_sii: the limits given are 95% limits
        lo, hi = (_forward(np.asarray(a, float), value_type) for a in (lower, upper))
        se = (hi - lo) / z / 2
    se = np.asarray(se, float)
    sqrt_a = np.sqrt(population / population.sum())
    design = np.vstack([sqrt_a, positions(population) * sqrt_a])  # 2 x quantiles
    solve = np.linalg.solve(design @ design.T, design)  # least squares, no constant
    fit = y if transform else _back(y, value_type)
    intercept, slope = solve @ (fit * sqrt_a)
    rng = np.random.default_rng(seed)
    draws = rng.normal(y[:, None], se[:, None], size=(y.size, repetitions))
    if not transform:
        draws = _back(draws, value_type)
    sim_intercept, sim_slope = solve @ (draws * sqrt_a[:, None])
    levels = [float(c) / 100 if c > 1 else float(c) for c in np.atleast_1d(confidence)]
    if not transform:
        rii = (intercept + slope) / intercept
        sim_rii = (sim_intercept + sim_slope) / sim_intercept
        if multiplier < 0:
            rii, sim_rii = 1 / rii, 1 / sim_rii
        sii_draws = np.sort(sim_slope * multiplier)
        sim_rii = np.sort(sim_rii)
        return SiiResult(slope * multiplier, rii, intercept,
                         {c: _percentiles(sii_draws, c) for c in levels},
                         {c: _percentiles(sim_rii, c) for c in levels})
    return _transformed(intercept, slope, np.sort(sim_slope), levels, value_type, multiplier)


def _percentiles(ordered: np.ndarray, confidence: float) -> tuple[float, float]:
    """phe_sii's limits: the sorted results at positions round(n x (1 -/+ c) / 2 ...), 1-based."""
    upper_share = confidence + (1 - confidence) / 2
    n = ordered.size
    low, high = round(n * (1 - upper_share)), round(n * upper_share)
    return float(ordered[low - 1]), float(ordered[high - 1])


def _transformed(intercept: float, slope: float, sim_slope: np.ndarray, levels: list[float],
                 value_type: int, multiplier: float) -> SiiResult:
    """Back-transform a model fitted on the log or logit scale, as phe_sii does: the ends of
    the fitted line, and the simulated slope's limits placed symmetrically about its middle."""
    end = intercept + slope
    middle = (intercept + end) / 2
    low_end, high_end = _back(np.array([intercept, end]), value_type)
    sii = (high_end - low_end) * multiplier
    rii = high_end / low_end if multiplier >= 0 else low_end / high_end
    sii_limits, rii_limits = {}, {}
    for c in levels:
        limits = []
        for slope_limit in _percentiles(sim_slope, c):
            start, stop = _back(np.array([middle - slope_limit / 2, middle + slope_limit / 2]),
                                value_type)
            limits.append((stop - start, stop / start))
        (d_low, r_low), (d_high, r_high) = limits
        if multiplier < 0:
            sii_limits[c] = (d_high * multiplier, d_low * multiplier)
            rii_limits[c] = (1 / r_high, 1 / r_low)
        else:
            sii_limits[c] = (d_low * multiplier, d_high * multiplier)
            rii_limits[c] = (r_low, r_high)
    return SiiResult(sii, rii, low_end * abs(multiplier), sii_limits, rii_limits)
