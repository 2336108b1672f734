"""Funnel plot control limits and significance, as PHEindicatormethods' funnel functions
(`calculate_funnel_limits`, `assign_funnel_significance`; the Fingertips technical guidance).

A funnel plot draws each area's value against its size, with the average as a line and the
limits within which 95% and 99.8% of areas would fall by chance alone if they all had the
average value. The limits narrow as the size grows, hence the funnel.

- Proportions: at a population n the limits are the values whose Wilson score interval just
  reaches the average: the Wilson interval inverted in closed form (`proportion_limit`, the
  package's `sigma_adjustment`).
- Rates (crude or directly standardised) and ratios (indirectly standardised, observed /
  expected): for an observed count k, the expected count at which k is just significant is the
  exact Poisson quantile (`poisson_expected`): the package finds it by bisection, here it is
  read from the incomplete gamma function, the same number to the bisection's tolerance
  (about 1e-7 relative). The limit is k over that expected count.

The limits are tabulated at 100 points from the axis' start to its end, spaced more closely
for small sizes (`axis_points`, as the package), which a chart joins into curves. Points are
judged as the package judges them (`funnel_significance`): a proportion against the limits at
its own denominator; a count against the average by its exact (below 10) or Byar's interval.

Arrays in, arrays out; the z values are PHEindicatormethods' (qnorm of 0.975 and 0.999).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from scipy import special as _special

from desktop.core.model import COUNTY, Indicator, ValueType
from desktop.core.stats.intervals import EXACT_BELOW

if TYPE_CHECKING:
    from desktop.core.stats.table import Statistics

PROPORTION, RATE, RATIO = "proportion", "rate", "ratio"
STATISTICS = (PROPORTION, RATE, RATIO)
# one-sided tail of each limit: 0.025 each side for 95%, 0.001 for 99.8%
TAILS = {"95": 0.025, "99.8": 0.001}
POINTS = 100
HIGH_998, HIGH_95, LOW_998, LOW_95, SIMILAR = (
    "High (0.001)", "High (0.025)", "Low (0.001)", "Low (0.025)", "Not significant")
NOT_APPLICABLE = "Not applicable for events less than 10 for dsrs"
DSR_MIN_EVENTS = 10  # as the package: no DSR point, nor verdict, below 10 events
LIMIT_COLUMNS = ("lower95", "upper95", "lower998", "upper998")
COUNT_REACH = 1.25


def proportion_limit(tail: float, population, average: float, side: str,
                     multiplier: float = 1.0) -> np.ndarray:
    """The value at `population` whose Wilson interval (one-sided `tail`) just reaches
    `average` (a proportion of 1), times `multiplier`: PHEindicatormethods' sigma_adjustment."""
    from scipy import stats as _sp  # lazily: scipy.stats is not needed to start

    n = np.asarray(population, dtype=float)
    z2 = _sp.norm.ppf(1.0 - tail) ** 2
    first = average * (n / z2 + 1)
    with np.errstate(invalid="ignore", divide="ignore"):
        adj = np.sqrt((-8 * average * (n / z2 + 1)) ** 2
                      - 64 * (1 / z2 + 1 / n) * average
                      * (n * (average * (n / z2 + 2) - 1) + z2 * (average - 1)))
        last = 1 / z2 + 1 / n
        count = (first - adj / 8) / last if side == "low" else (first + adj / 8) / last
        return count / n * multiplier


def poisson_expected(observed, tail: float, side: str) -> np.ndarray:
    """The Poisson mean at which `observed` events are just significant (one-sided `tail`):
    side "low" gives the mean below which observing this many or more has chance `tail`, side
    "high" the mean above which observing this many or fewer has that chance
    (PHEindicatormethods' poisson_funnel)."""
    k = np.asarray(observed, dtype=float)
    if side == "low":
        return _special.gammaincinv(k, tail)  # P(X >= k | mean) = tail
    return _special.gammainccinv(k + 1, tail)  # P(X <= k | mean) = tail


def _r_nchar(x: float) -> int:
    """nchar() of a whole number in R: its shorter printed form, fixed or scientific (R prints
    100000 as "1e+05"), fixed when they tie."""
    fixed = str(int(x))
    digits = fixed.rstrip("0") or "0"
    mantissa = digits[0] + ("." + digits[1:] if len(digits) > 1 else "")
    exponent = len(fixed) - 1
    science = f"{mantissa}e+{exponent:02d}"
    return min(len(fixed), len(science))


def _floor_neat(x: float, share: float = 0.95) -> float:
    """x lowered by 5% and rounded down to its first digit (the package's signif.floor)."""
    if x == 0:
        return 0.0
    n = _r_nchar(math.floor(x * share)) - 1
    return math.floor(x * share / 10 ** n) * 10 ** n


def _ceiling_neat(x: float, share: float = 1.05) -> float:
    """x raised by 5% and rounded up to its second digit (the package's signif.ceiling)."""
    if x == 0:
        return 0.0
    n = _r_nchar(math.ceil(x * share)) - 2
    return math.ceil(x * share / 10 ** n) * 10 ** n


def axis_points(statistic: str, smallest: float, largest: float, average: float = 1.0,
                years: float = 1.0) -> np.ndarray:
    """The 100 sizes at which the limits are tabulated: populations (proportions), events
    (rates) or observed events (ratios), from the axis' neat start to its neat end, closer
    together for small sizes, as calculate_funnel_limits places them."""
    per_year = years if statistic == RATE else 1.0
    start = 0.0 if largest > 2 * smallest else _floor_neat(smallest / per_year) * per_year
    end = _ceiling_neat(largest / per_year) * per_year
    if statistic == RATE:
        start, end = math.floor(start * average), math.ceil(end * average)
    points = [max(1.0, start)]
    for j in range(2, POINTS + 1):
        offset = j - 1 if statistic == RATIO else j
        step = (end / points[-1]) ** (1 / (101 - offset)) * points[-1]
        points.append(max(float(np.round(step)), points[-1] + 1))
    return np.array(points)


def limits_table(statistic: str, sizes: np.ndarray, average: float, multiplier: float,
                 years: float = 1.0) -> pd.DataFrame:
    """The limits at each size of `axis_points`: columns size (the population, or for rates
    and ratios the expected events, of each limit; one column per limit, since a count's
    lower and upper limits sit at different sizes), value columns LIMIT_COLUMNS and
    baseline. `average` is a proportion of 1, a rate per unit, or 1 for ratios; values are
    times `multiplier` (ratios: the limits of observed / expected, times it). For rates the
    sizes are per year of data (`years`), as the package's charts show them."""
    out = {}
    if statistic == PROPORTION:
        for level, tail in TAILS.items():
            low = proportion_limit(tail, sizes, average, "low", multiplier)
            high = proportion_limit(tail, sizes, average, "high", multiplier)
            out[f"lower{level.replace('.', '')}"] = np.maximum(0.0, low)
            out[f"upper{level.replace('.', '')}"] = np.minimum(multiplier, high)
            for side in ("lower", "upper"):
                out[f"{side}{level.replace('.', '')}_size"] = sizes
    else:
        scale = average if statistic == RATE else 1.0
        for level, tail in TAILS.items():
            key = level.replace(".", "")
            for side, mean_side in (("lower", "high"), ("upper", "low")):
                size = poisson_expected(sizes, tail, mean_side) / scale
                out[f"{side}{key}"] = sizes / size * multiplier
                out[f"{side}{key}_size"] = size / (years if statistic == RATE else 1.0)
    frame = pd.DataFrame({"events" if statistic != PROPORTION else "population": sizes, **out})
    frame["baseline"] = average * multiplier if statistic != RATIO else multiplier
    return frame


def funnel_significance(statistic: str, numerator, denominator, average: float,
                        dsr: bool = False) -> np.ndarray:
    """Each point against the funnel's limits, in the package's words (HIGH_998 ...
    SIMILAR). numerator and denominator: counts and populations (proportions), events and
    populations (rates: for a DSR the population its events and rate imply), observed and
    expected counts (ratios). `average`: a proportion of 1, events per unit of denominator,
    or 1 for ratios. With `dsr`, points of fewer than 10 events are NOT_APPLICABLE."""
    num = np.asarray(numerator, dtype=float)
    den = np.asarray(denominator, dtype=float)
    labels = np.full(num.shape, SIMILAR, dtype=object)
    with np.errstate(invalid="ignore", divide="ignore"):
        if statistic == PROPORTION:
            value = num / den
            checks = ((value > proportion_limit(0.025, den, average, "high"), HIGH_95),
                      (value < proportion_limit(0.025, den, average, "low"), LOW_95),
                      (value > proportion_limit(0.001, den, average, "high"), HIGH_998),
                      (value < proportion_limit(0.001, den, average, "low"), LOW_998))
        else:
            checks = ((_count_limit(num, den, 0.95, "low") > average, HIGH_95),
                      (_count_limit(num, den, 0.95, "high") < average, LOW_95),
                      (_count_limit(num, den, 0.998, "low") > average, HIGH_998),
                      (_count_limit(num, den, 0.998, "high") < average, LOW_998))
    for hit, label in checks:  # the later (stricter) checks win, as case_when's order does
        labels[hit] = label
    labels[~(np.isfinite(num) & np.isfinite(den) & (den > 0))] = None
    if dsr:
        labels[num < DSR_MIN_EVENTS] = NOT_APPLICABLE
    return labels


def _count_limit(observed: np.ndarray, exposure: np.ndarray, confidence: float,
                 side: str) -> np.ndarray:
    """The lower or upper limit of observed / exposure by the exact method below 10 events
    and Byar's from 10 (PHEindicatormethods' funnel_ratio_significance)."""
    from scipy import stats as _sp  # lazily: scipy.stats is not needed to start

    z = _sp.norm.ppf(0.5 + confidence / 2)
    k = observed
    with np.errstate(invalid="ignore", divide="ignore"):
        if side == "low":
            exact = np.where(k > 0, _sp.chi2.isf(0.5 + confidence / 2, 2 * k) / 2, 0.0)
            byar = k * (1 - 1 / (9 * k) - z / 3 / np.sqrt(k)) ** 3
        else:
            exact = _sp.chi2.ppf(0.5 + confidence / 2, 2 * k + 2) / 2
            byar = (k + 1) * (1 - 1 / (9 * (k + 1)) + z / 3 / np.sqrt(k + 1)) ** 3
        return np.where(k < EXACT_BELOW, exact, byar) / exposure


STATISTIC_OF = {ValueType.PROPORTION: PROPORTION, ValueType.RATE: RATE, ValueType.DSR: RATE,
                ValueType.ISR: RATIO}
POINT_COLUMNS = ("name", "numerator", "size", "value", "verdict")


@dataclass(frozen=True)
class Funnel:
    """A funnel plot's numbers: `points` (POINT_COLUMNS, one row per plotted cluster: its
    count, size, value and verdict), the limits (`limits_table`), the baseline (the county,
    times the multiplier), the clusters left out by why, or the reason there is no funnel at
    all."""

    indicator_id: str
    period: str
    statistic: str = ""
    points: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=POINT_COLUMNS))
    limits: pd.DataFrame | None = None
    baseline: float = float("nan")
    left_out: dict[str, tuple[str, ...]] = field(default_factory=dict)
    reason: str = ""

    @property
    def outside(self) -> pd.DataFrame:
        """The points beyond the 95% limits (the 99.8% ones among them)."""
        return self.points[self.points["verdict"].isin((HIGH_95, HIGH_998, LOW_95, LOW_998))]


def cluster_funnel(statistics: Statistics, indicator: Indicator, period: str) -> Funnel:
    """Every cluster's value against its size, with limits around the county's value.

    Proportions and crude rates plot the denominator; directly standardised rates the
    population their events and rate imply (no point below 10 events, as no DSR is given
    there); indirectly standardised ratios the expected count (observed x multiplier / ratio).
    Suppressed clusters and clusters without a value are left out and counted.
    """
    kind = ValueType(indicator.value_type)
    empty = Funnel(indicator.id, period)
    if kind not in STATISTIC_OF:
        return _without(empty, "a funnel plot needs a proportion, a rate or a ratio: this "
                               f"indicator is a {kind.value}")
    statistic = STATISTIC_OF[kind]
    values = statistics.cluster_values(indicator.id, period)
    county = values.loc[COUNTY]
    clusters = values.drop(index=COUNTY)
    multiplier = float(indicator.multiplier)
    num = clusters["numerator"].to_numpy(float)
    value = clusters["value"].to_numpy(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        if kind in (ValueType.PROPORTION, ValueType.RATE):
            size = clusters["denominator"].to_numpy(float)
            average = float(county["numerator"] / county["denominator"])
        elif kind is ValueType.DSR:
            size = np.where(num > 0, multiplier * num / value, np.nan)
            average = float(county["value"]) / multiplier
        else:
            size = np.where((num > 0) & (value > 0), num * multiplier / value, np.nan)
            average = 1.0
    hidden = clusters["suppressed"].to_numpy(bool)
    few = (kind is ValueType.DSR) & ~hidden & (num < DSR_MIN_EVENTS)
    plotted = ~hidden & ~few & np.isfinite(value) & np.isfinite(size) & (size > 0)
    names = clusters.index.astype(str)
    left_out = {why: tuple(names[mask]) for why, mask in (
        ("suppressed", hidden), ("fewer than 10 events", few),
        ("no value", ~hidden & ~few & ~plotted)) if mask.any()}
    funnel = Funnel(indicator.id, period, statistic, left_out=left_out)
    if not np.isfinite(average) or average <= 0 or (statistic == PROPORTION and average >= 1):
        return _without(funnel, "the county value is missing, suppressed or at an extreme "
                                "(0 or 100%), so there are no limits to draw")
    if not plotted.any():
        return _without(funnel, "no cluster has a value to plot")
    # a count's upper limit sits left of its events over the average: tabulate further, so
    # that every curve runs past the largest cluster
    reach = 1.0 if statistic == PROPORTION else COUNT_REACH
    sizes = axis_points(statistic, size[plotted].min(), size[plotted].max() * reach, average)
    verdict = funnel_significance(statistic, num, size, average)
    points = pd.DataFrame({"name": names, "numerator": num, "size": size,
                           "value": value, "verdict": verdict})[plotted].reset_index(drop=True)
    return Funnel(indicator.id, period, statistic, points,
                  limits_table(statistic, sizes, average, multiplier),
                  average * multiplier, left_out)


def _without(funnel: Funnel, reason: str) -> Funnel:
    return Funnel(funnel.indicator_id, funnel.period, funnel.statistic,
                  left_out=funnel.left_out, reason=reason)
