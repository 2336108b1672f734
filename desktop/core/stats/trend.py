"""Recent trend over the latest five periods, as Fingertips' "recent trend" at 99.8%.

Proportions: chi-squared test for trend (Cochran-Armitage) on numerators and denominators.
Rates: Poisson score test for a log-linear trend in the rate, with the denominators as exposure.
Counts: the same Poisson test with equal exposure in every period.
Means and scores carry no counts, so no trend is calculated for them.
"""

from __future__ import annotations

import numpy as np
from scipy import stats as _sp

from desktop.core.model import Trend, ValueType

TREND_PERIODS = 5
TREND_CONFIDENCE = 0.998
TREND_CODES = (Trend.INCREASING, Trend.DECREASING, Trend.NO_CHANGE, Trend.CANNOT)
_INCREASING, _DECREASING, _NO_CHANGE, _CANNOT = range(4)


def chi2_for_trend(numerators: np.ndarray, denominators: np.ndarray,
                   binomial: np.ndarray | bool) -> tuple[np.ndarray, np.ndarray]:
    """Chi-squared (1 df) and the signed score of a linear trend, one series per row.

    numerators, denominators: shape (series, periods), oldest period first, periods scored
    0, 1, 2, ...; binomial: per series, True for a proportion (variance p(1-p)), False for a
    Poisson count or rate (variance p).
    """
    x = np.atleast_2d(np.asarray(numerators, dtype=float))
    n = np.atleast_2d(np.asarray(denominators, dtype=float))
    t = np.arange(x.shape[1], dtype=float)
    total_n = n.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        p = x.sum(axis=1) / total_n
        tn = (n * t).sum(axis=1)
        score = (x * t).sum(axis=1) - p * tn
        spread = (n * t * t).sum(axis=1) - tn * tn / total_n
        variance = np.where(np.asarray(binomial, dtype=bool), p * (1.0 - p), p) * spread
        chi2 = np.where(variance > 0, score * score / variance, 0.0)
    return chi2, score


def trend_codes(numerators: np.ndarray, denominators: np.ndarray, value_types: np.ndarray,
                complete: np.ndarray) -> np.ndarray:
    """Index into TREND_CODES for each series (rows of the latest five periods, oldest first).

    value_types: ValueType value per series; complete: False where any of the five periods is
    missing or suppressed, which makes the trend impossible to calculate.
    """
    kinds = np.asarray(value_types, dtype=object)
    binomial = kinds == ValueType.PROPORTION.value
    counted = binomial | (kinds == ValueType.RATE.value) | (kinds == ValueType.COUNT.value)
    exposure = np.where((kinds == ValueType.COUNT.value)[:, None], 1.0, denominators)
    chi2, score = chi2_for_trend(numerators, exposure, binomial)
    critical = _sp.chi2.ppf(TREND_CONFIDENCE, 1)
    codes = np.full(kinds.shape, _NO_CHANGE, dtype=np.int8)
    significant = chi2 > critical
    codes[significant & (score > 0)] = _INCREASING
    codes[significant & (score < 0)] = _DECREASING
    valid = counted & np.asarray(complete, dtype=bool) & np.isfinite(chi2)
    codes[~valid] = _CANNOT
    return codes


def trend_of(value_type: ValueType | str, numerators, denominators) -> Trend:
    """Trend of one series (all its periods, oldest first); only the latest five are used."""
    x = np.asarray(numerators, dtype=float)[-TREND_PERIODS:]
    n = np.asarray(denominators, dtype=float)[-TREND_PERIODS:]
    kind = ValueType(value_type).value
    counted = ~np.isnan(x) & (~np.isnan(n) | (kind == ValueType.COUNT.value))
    complete = x.size == TREND_PERIODS and bool(counted.all())
    code = trend_codes(x[None, :], n[None, :], np.array([kind], dtype=object),
                       np.array([complete]))[0]
    return TREND_CODES[code]


def window_trends(series: np.ndarray, slot: np.ndarray, numerator: np.ndarray,
                  denominator: np.ndarray, usable: np.ndarray,
                  series_kinds: np.ndarray) -> np.ndarray:
    """Trend codes of many series from long rows (one row per series and period).

    series: series index of each row; slot: 0..4 for the latest five periods of the row's
    indicator, oldest first, negative for older periods; usable: False where suppressed;
    series_kinds: ValueType value of each series. A series short of five usable periods in its
    window gets CANNOT.
    """
    n_series = len(series_kinds)
    take = (slot >= 0) & usable & ~np.isnan(numerator)
    x = np.full((n_series, TREND_PERIODS), np.nan)
    n = np.full((n_series, TREND_PERIODS), np.nan)
    x[series[take], slot[take]] = numerator[take]
    n[series[take], slot[take]] = denominator[take]
    complete = np.bincount(series[take], minlength=n_series) == TREND_PERIODS
    return trend_codes(x, n, np.asarray(series_kinds, dtype=object), complete)
