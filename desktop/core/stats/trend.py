"""Recent trend over the five most recent valid points, exactly as Fingertips' recent trend.

The method is that of Fingertips' TrendMarkerCalculator and TrendRequest (fingertips-open,
PholioVisualisationWS/Analysis/TrendMarkers), described in docs/methods.md:

- Points: a series' periods with a row, newest first; the run of valid points (value, count,
  denominator and 95% interval present, not suppressed) from the newest backwards must reach
  five, else the trend cannot be calculated; the five newest are used, oldest first.
- Proportions: the chi-squared test for trend (Cochran-Armitage) on counts and denominators.
- Crude rates: a regression of the value on time weighted by 1/SE^2, with SE taken from the 95%
  limits as (upper - lower) / 3.92; chi-squared = (slope / SE(slope))^2.
- Significant only if chi-squared > 9.5495 (1 df, 99.8%) AND the slope keeps its sign when
  each of the five points is dropped in turn (for proportions the slope of the log-odds on
  time, as Fingertips checks it).
- Counts, means, scores and standardised values get no trend ("not calculated for this value
  type"), as in Fingertips, which calculates recent trends for proportions and crude rates only.

Arrays in, arrays out: every series is computed at once, with a reason code for each series
whose trend cannot be calculated.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from desktop.core.model import Polarity, Trend, ValueType
from desktop.core.stats.intervals import ci_for

TREND_POINTS = 5
TREND_PERIODS = TREND_POINTS  # the name the profile's words use
CHI2_998 = 9.54953570608324  # chi-squared with 1 df at 99.8%, Fingertips' ChiSquareConfidence
SE_FROM_95 = 3.92  # 95% limits span 2 x 1.96 standard errors
TREND_CODES = (Trend.INCREASING, Trend.DECREASING, Trend.NO_CHANGE, Trend.CANNOT)
INCREASING, DECREASING, NO_CHANGE, CANNOT = range(4)

# Methods (codes index METHODS); "" for value types that get no trend.
NO_METHOD, CHI2_FOR_TREND, WEIGHTED_REGRESSION = range(3)
METHODS = ("", "chi-squared test for trend", "weighted regression (1/SE squared)")
METHOD_OF_TYPE = {ValueType.PROPORTION.value: CHI2_FOR_TREND,
                  ValueType.RATE.value: WEIGHTED_REGRESSION}

# Why a trend cannot be calculated (codes index REASONS); "" when it was calculated.
(CALCULATED, NOT_FOR_TYPE, TOO_FEW_POINTS, TOO_FEW_VALID, ZERO_OR_ALL,
 NO_INTERVAL) = range(6)
REASONS = (
    "",
    "not calculated for this value type (only proportions and crude rates)",
    f"fewer than {TREND_POINTS} periods",
    (f"fewer than {TREND_POINTS} valid values in a row up to the latest period (a suppressed "
     "or missing value ends the run)"),
    "a count of 0 or equal to the denominator among the points (0% or 100%)",
    "a point without a confidence interval",
)

_TREND_WORDS = {
    Polarity.HIGHER_IS_WORSE.value: {Trend.INCREASING: "Increasing and getting worse",
                                     Trend.DECREASING: "Decreasing and getting better"},
    Polarity.HIGHER_IS_BETTER.value: {Trend.INCREASING: "Increasing and getting better",
                                      Trend.DECREASING: "Decreasing and getting worse"},
}


@dataclass(frozen=True)
class TrendResult:
    """One series' recent trend, the method used and, when it cannot be calculated, why."""

    trend: Trend
    method: str = ""
    reason: str = ""

    def words(self, polarity: Polarity | str) -> str:
        """Fingertips' words: "Increasing and getting worse", "No significant change", ..."""
        return trend_words(self.trend, polarity)


_SHORT = {Trend.NO_CHANGE: "No change", Trend.CANNOT: "-"}


def trend_words(trend: Trend | str, polarity: Polarity | str, short: bool = False) -> str:
    """The trend as Fingertips words it, judged by polarity where the indicator has one;
    `short` for narrow table columns: "Increasing (worse)", "No change", "-" (cannot be
    calculated)."""
    trend = Trend(trend)
    words = _TREND_WORDS.get(Polarity(polarity).value, {}).get(
        trend, trend.value[:1].upper() + trend.value[1:])
    if not short:
        return words
    if trend in _SHORT:
        return _SHORT[trend]
    head, _, judgement = words.partition(" and getting ")
    return f"{head} ({judgement})" if judgement else head


def _slopes(y: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Weighted least-squares slopes of y on time 1..5, for all five points (column 0) and with
    each point left out in turn (columns 1..5); rows are series."""
    t = np.arange(1.0, TREND_POINTS + 1)
    keep = np.vstack([np.ones(TREND_POINTS), 1.0 - np.eye(TREND_POINTS)])  # (6, 5)
    s1 = np.einsum("nj,vj->nv", w, keep)
    s2 = np.einsum("nj,vj->nv", w * y * t, keep)
    s3 = np.einsum("nj,vj->nv", w * t, keep)
    s4 = np.einsum("nj,vj->nv", w * y, keep)
    s5 = np.einsum("nj,vj->nv", w * t * t, keep)
    return (s1 * s2 - s3 * s4) / (s1 * s5 - s3 * s3)


def _consistent(slopes: np.ndarray) -> np.ndarray:
    """The six slopes share their sign (zero counting as positive, as in Fingertips)."""
    signs = np.where(slopes < 0, -1, 1)
    return np.abs(signs.sum(axis=1)) == slopes.shape[1]


def _proportion_test(x: np.ndarray, n: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Chi-squared for trend of five proportions and the log-odds slopes (full, leave-one-out)."""
    t = np.arange(1.0, TREND_POINTS + 1)
    total_n, total_x = n.sum(axis=1), x.sum(axis=1)
    snt = (n * t).sum(axis=1)
    score = total_n * (x * t).sum(axis=1) - total_x * snt
    spread = total_n * (n * t * t).sum(axis=1) - snt * snt
    chi2 = total_n * score * score / (total_x * (total_n - total_x) * spread)
    return chi2, _slopes(np.log(x / (n - x)), np.ones_like(x))


def _rate_test(value: np.ndarray, lower: np.ndarray, upper: np.ndarray
               ) -> tuple[np.ndarray, np.ndarray]:
    """Chi-squared of the 1/SE^2-weighted regression slope and the slopes (full, leave-one-out)."""
    w = 1.0 / ((upper - lower) / SE_FROM_95) ** 2
    t = np.arange(1.0, TREND_POINTS + 1)
    s1, s3, s5 = w.sum(axis=1), (w * t).sum(axis=1), (w * t * t).sum(axis=1)
    slopes = _slopes(value, w)
    standard_error = np.sqrt(s1 / (s1 * s5 - s3 * s3))
    return (slopes[:, 0] / standard_error) ** 2, slopes


def recent_trends(method: np.ndarray, value: np.ndarray, count: np.ndarray,
                  denominator: np.ndarray, lower: np.ndarray, upper: np.ndarray,
                  present: np.ndarray, valid: np.ndarray
                  ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(trend code, reason code, chi-squared) of many series at once.

    method: one METHODS code per series (METHOD_OF_TYPE of its value type, else NO_METHOD).
    The other arrays are (series, periods), oldest period first, in the indicator's units
    (lower and upper are the 95% limits); present: the series has a row for that period;
    valid: that row has every number the test needs and is not suppressed. Codes index
    TREND_CODES and REASONS; chi-squared is NaN where no test was made.
    """
    method = np.asarray(method)
    present = np.asarray(present, dtype=bool)
    n_series = method.size
    # The five newest periods with a row, oldest first (periods without a row are no point).
    order = np.argsort(present, axis=1, kind="stable")[:, -TREND_POINTS:]
    if order.shape[1] < TREND_POINTS:  # indicators with fewer periods than points
        order = np.zeros((n_series, TREND_POINTS), dtype=np.int64)

    def newest(a: np.ndarray) -> np.ndarray:
        a = np.asarray(a)
        if a.shape[1] < TREND_POINTS:
            return np.zeros((n_series, TREND_POINTS), dtype=a.dtype)
        return np.take_along_axis(a, order, axis=1)

    reason = np.full(n_series, CALCULATED, dtype=np.int8)
    reason[present.sum(axis=1) < TREND_POINTS] = TOO_FEW_POINTS
    reason[(reason == CALCULATED) & ~newest(np.asarray(valid, dtype=bool)).all(axis=1)] = \
        TOO_FEW_VALID
    x, n = newest(count).astype(float), newest(denominator).astype(float)
    v, lo, hi = (newest(a).astype(float) for a in (value, lower, upper))
    proportion, rate = method == CHI2_FOR_TREND, method == WEIGHTED_REGRESSION
    reason[(reason == CALCULATED) & proportion & ((x <= 0) | (x >= n)).any(axis=1)] = ZERO_OR_ALL
    reason[(reason == CALCULATED) & rate & ~(hi - lo > 0).all(axis=1)] = NO_INTERVAL
    reason[method == NO_METHOD] = NOT_FOR_TYPE

    chi2 = np.full(n_series, np.nan)
    code = np.full(n_series, CANNOT, dtype=np.int8)
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        for rows, test in ((np.flatnonzero(proportion & (reason == CALCULATED)),
                            lambda r: _proportion_test(x[r], n[r])),
                           (np.flatnonzero(rate & (reason == CALCULATED)),
                            lambda r: _rate_test(v[r], lo[r], hi[r]))):
            if rows.size == 0:
                continue
            chi2[rows], slopes = test(rows)
            significant = (chi2[rows] > CHI2_998) & _consistent(slopes)
            code[rows] = np.where(significant,
                                  np.where(slopes[:, 0] > 0, INCREASING, DECREASING), NO_CHANGE)
    return code, reason, chi2


def trend_of(value_type: ValueType | str, numerators, denominators, multiplier: float = 1.0,
             suppressed=None) -> TrendResult:
    """The trend of one series given its counts and denominators, oldest period first
    (intervals made as everywhere else: Wilson for proportions, Byar's/exact for rates).
    NaN marks a period with no row; `suppressed` (booleans) marks suppressed ones."""
    kind = ValueType(value_type).value
    x = np.asarray(numerators, dtype=float)
    n = np.asarray(denominators, dtype=float)
    value, lower, upper = ci_for(kind, x, n, multiplier)
    present = ~(np.isnan(x) & np.isnan(n))
    hidden = np.zeros(x.shape, bool) if suppressed is None else np.asarray(suppressed, bool)
    valid = present & ~hidden & np.isfinite(value) & np.isfinite(lower) & np.isfinite(upper)
    method = METHOD_OF_TYPE.get(kind, NO_METHOD)
    code, reason, _ = recent_trends(np.array([method]), value[None], x[None], n[None],
                                    lower[None], upper[None], present[None], valid[None])
    return TrendResult(TREND_CODES[code[0]], METHODS[method], REASONS[reason[0]])
