"""Confidence intervals as PHEindicatormethods 2.1.0 computes them (the Fingertips methods).

Every function takes arrays (or scalars) and returns float arrays of the same shape; a NaN or
impossible input gives NaN out, never an exception, so whole columns can be passed at once.
Confidence may be given as a fraction (0.95, 0.998) or as a percentage (95, 99.8).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from desktop.core.model import Polarity, Significance, ValueType

EXACT_BELOW = 10  # Poisson intervals: exact (chi-squared) below this many events, Byar's from it

FloatArray = np.ndarray


def as_fraction(confidence: float) -> float:
    """0.95 or 95 -> 0.95; anything outside (0, 1) after that is a programming error."""
    level = float(confidence) / 100.0 if confidence > 1 else float(confidence)
    if not 0.0 < level < 1.0:
        raise ValueError(f"confidence must be in (0, 1) or (0, 100), got {confidence!r}")
    return level


def z_value(confidence: float) -> float:
    """Two-sided normal quantile, qnorm(confidence + (1 - confidence) / 2) as in PHE's code."""
    from scipy import stats as _sp  # lazily: scipy.stats is not needed to start
    level = as_fraction(confidence)
    return float(_sp.norm.ppf(level + (1.0 - level) / 2.0))


def _floats(values: ArrayLike) -> FloatArray:
    return np.asarray(values, dtype=float)


def wilson_ci(numerator: ArrayLike, denominator: ArrayLike,
              confidence: float = 0.95) -> tuple[FloatArray, FloatArray]:
    """Wilson score interval of numerator/denominator, as proportions of 1."""
    x, n = np.broadcast_arrays(_floats(numerator), _floats(denominator))
    z = z_value(confidence)
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        valid = (n > 0) & (x >= 0) & (x <= n)
        spread = z * np.sqrt(z * z + 4.0 * x * (1.0 - x / n))
        lower = (2.0 * x + z * z - spread) / (2.0 * (n + z * z))
        upper = (2.0 * x + z * z + spread) / (2.0 * (n + z * z))
    return np.where(valid, lower, np.nan), np.where(valid, upper, np.nan)


def byar_ci(count: ArrayLike, confidence: float = 0.95) -> tuple[FloatArray, FloatArray]:
    """Byar's approximation to the Poisson interval of a count.

    The lower limit is NaN where Byar's cubic base goes negative (very small counts at 99.8%),
    as in the PHE reference vectors; use `poisson_ci` to get exact limits for small counts.
    """
    x = _floats(count)
    z = z_value(confidence)
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        base = 1.0 - 1.0 / (9.0 * x) - z / (3.0 * np.sqrt(x))
        lower = np.where((x > 0) & (base >= 0), x * base**3, np.nan)
        x1 = x + 1.0
        upper = x1 * (1.0 - 1.0 / (9.0 * x1) + z / (3.0 * np.sqrt(x1))) ** 3
    return lower, np.where(x >= 0, upper, np.nan)


def exact_poisson_ci(count: ArrayLike, confidence: float = 0.95) -> tuple[FloatArray, FloatArray]:
    """Exact Poisson interval from chi-squared quantiles: qchisq(a/2, 2x)/2, qchisq(1-a/2, 2x+2)/2.

    Quantiles are computed once per distinct count: they are slow and counts repeat a lot.
    """
    from scipy import stats as _sp  # lazily: scipy.stats is not needed to start
    x = _floats(count)
    alpha = 1.0 - as_fraction(confidence)
    lower, upper = np.full(x.shape, np.nan), np.full(x.shape, np.nan)
    valid = x >= 0
    distinct, inverse = np.unique(x[valid], return_inverse=True)
    with np.errstate(invalid="ignore", over="ignore"):
        lo = _sp.chi2.ppf(alpha / 2.0, 2.0 * np.where(distinct > 0, distinct, 1.0)) / 2.0
        hi = _sp.chi2.ppf(1.0 - alpha / 2.0, 2.0 * distinct + 2.0) / 2.0
    lower[valid] = np.where(distinct > 0, lo, 0.0)[inverse]
    upper[valid] = hi[inverse]
    return lower, upper


def poisson_ci(count: ArrayLike, confidence: float = 0.95) -> tuple[FloatArray, FloatArray]:
    """PHE's choice for counts and rates: exact below 10 events, Byar's from 10 upwards."""
    x = _floats(count)
    lower, upper = byar_ci(x, confidence)
    small = x < EXACT_BELOW
    lower[small], upper[small] = exact_poisson_ci(x[small], confidence)
    return lower, upper


def mean_ci_from_summary(value_sum: ArrayLike, value_count: ArrayLike, stdev: ArrayLike,
                         confidence: float = 0.95
                         ) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Mean and Student's t interval from per-group sums, counts and standard deviations."""
    from scipy import stats as _sp  # lazily: scipy.stats is not needed to start
    total, n, sd = np.broadcast_arrays(_floats(value_sum), _floats(value_count), _floats(stdev))
    level = as_fraction(confidence)
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        mean = np.where(n > 0, total / n, np.nan)
        t = _sp.t.ppf(level + (1.0 - level) / 2.0, np.where(n > 1, n - 1.0, np.nan))
        half = t * sd / np.sqrt(n)
    return mean, mean - half, mean + half


def mean_ci(values: ArrayLike, confidence: float = 0.95) -> tuple[float, float, float]:
    """Mean of one sample (NaNs ignored) with its Student's t interval."""
    x = _floats(values).ravel()
    x = x[~np.isnan(x)]
    sd = float(np.std(x, ddof=1)) if x.size > 1 else np.nan
    mean, lower, upper = mean_ci_from_summary(x.sum(), x.size, sd, confidence)
    return float(mean), float(lower), float(upper)


def ci_for(value_type: ValueType | str, numerator: ArrayLike, denominator: ArrayLike,
           multiplier: float | ArrayLike = 1.0, confidence: float = 0.95,
           value: ArrayLike | None = None) -> tuple[FloatArray, FloatArray, FloatArray]:
    """(value, lower, upper) for one value type, in the indicator's units (x multiplier).

    Means and scores carry no counts: their `value` passes through with a NaN interval.
    """
    kind = ValueType(value_type)
    x, n, m = np.broadcast_arrays(_floats(numerator), _floats(denominator), _floats(multiplier))
    nan = np.full(x.shape, np.nan)
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        if kind is ValueType.PROPORTION:
            lower, upper = wilson_ci(x, n, confidence)
            ratio = np.where(n > 0, x / n, np.nan)
            return ratio * m, lower * m, upper * m
        if kind is ValueType.RATE:
            lower, upper = poisson_ci(x, confidence)
            scale = np.where(n > 0, m / n, np.nan)
            return x * scale, lower * scale, upper * scale
        if kind is ValueType.COUNT:
            lower, upper = poisson_ci(x, confidence)
            return x.copy(), lower, upper
    passed = nan.copy() if value is None else np.broadcast_to(_floats(value), x.shape).copy()
    return passed, nan, nan.copy()


SIGNIFICANCE_ORDER = tuple(s.value for s in Significance)  # codes index into this


def compare_with_benchmark(lower: ArrayLike, upper: ArrayLike, benchmark: ArrayLike,
                           polarity: ArrayLike) -> np.ndarray:
    """Significance codes (indices into SIGNIFICANCE_ORDER) of intervals against a benchmark.

    The benchmark outside the interval makes the row significantly higher or lower, which the
    polarity (model.Polarity value, one or one per row; anything else: none) turns into better or
    worse; inside is "similar"; a missing interval or benchmark is "not compared". Codes rather
    than strings keep millions of rows small.
    """
    lo, hi, bench = np.broadcast_arrays(_floats(lower), _floats(upper), _floats(benchmark))
    comparable = np.isfinite(lo) & np.isfinite(hi) & np.isfinite(bench)
    sign = np.where(bench < lo, 1.0, np.where(bench > hi, -1.0, 0.0))
    return significance_codes(np.where(comparable, sign, np.nan), polarity)


def significance_codes(direction: ArrayLike, polarity: ArrayLike) -> np.ndarray:
    """Codes into SIGNIFICANCE_ORDER from a direction per row (+1 significantly higher, -1
    lower, 0 no significant difference, NaN not compared) and the polarity, which turns higher
    and lower into better and worse."""
    sign = _floats(direction)
    pol = np.asarray(polarity, dtype=object)  # one value or one per row
    comparable = np.isfinite(sign)
    higher, lower_ = comparable & (sign > 0), comparable & (sign < 0)
    good_high = pol == Polarity.HIGHER_IS_BETTER.value
    bad_high = pol == Polarity.HIGHER_IS_WORSE.value
    code = {s: np.int8(SIGNIFICANCE_ORDER.index(s.value)) for s in Significance}
    return np.select(
        [higher & good_high, higher & bad_high, higher, lower_ & good_high, lower_ & bad_high,
         lower_, comparable],
        [code[Significance.BETTER], code[Significance.WORSE], code[Significance.HIGHER],
         code[Significance.WORSE], code[Significance.BETTER], code[Significance.LOWER],
         code[Significance.SIMILAR]], code[Significance.NOT_COMPARED]).astype(np.int8)
