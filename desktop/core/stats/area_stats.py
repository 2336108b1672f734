"""Statistics of single rows (values with their intervals and significance), and the area rows
of a bundle kept lazily: at England scale there are 41 M of them, so only what suppression
decided is stored and the rest is computed one indicator and period at a time, on demand.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from desktop.core.model import STAT_COLUMNS, Polarity
from desktop.core.stats import suppression
from desktop.core.stats.intervals import SIGNIFICANCE_ORDER, ci_for, compare_with_benchmark
from desktop.core.stats.meta import COUNT, KINDS, PROPORTION, RATE, RATIO, IndicatorMeta

if TYPE_CHECKING:
    from desktop.core.stats.estimates import Estimates

LEVELS = ("area", "cluster", "county")
VIEW_COLUMNS = STAT_COLUMNS[4:]  # numerator .. significance: what the accessors return
FLOATS = STAT_COLUMNS[4:11]
NOT_COMPARED = SIGNIFICANCE_ORDER.index("not compared")


def counted_inputs(num: np.ndarray, den: np.ndarray, val: np.ndarray, kind: np.ndarray
                   ) -> tuple[np.ndarray, np.ndarray]:
    """The numerator used for sums (a count's value where its numerator is missing) and which
    rows enter the sums (ratios need both numbers, counts a count, means and scores a value).
    The numerator returned is a new array (callers blank it), never a view of `num`."""
    if kind.size and (kind == kind[0]).all():  # one kind (one indicator): no per-row choice
        one = kind[0]
        num = np.where(np.isnan(num), val, num) if one == COUNT else num.copy()
        if one == COUNT:
            return num, ~np.isnan(num)
        return num, (~np.isnan(num) & ~np.isnan(den)) if RATIO[one] else ~np.isnan(val)
    num = np.where((kind == COUNT) & np.isnan(num), val, num)
    member = np.select([RATIO[kind], kind == COUNT],
                       [~np.isnan(num) & ~np.isnan(den), ~np.isnan(num)], ~np.isnan(val))
    return num, member


def intervals(cols: dict[str, np.ndarray], kind: np.ndarray, multiplier: np.ndarray,
              member: np.ndarray) -> None:
    """Fill value and both intervals for counted rows that enter the sums (in place)."""
    for k in (PROPORTION, RATE, COUNT):
        rows = np.flatnonzero((kind == k) & member)
        if rows.size == 0:
            continue
        for confidence, lo, hi in ((0.95, "lower95", "upper95"), (0.998, "lower998", "upper998")):
            value, lower, upper = ci_for(KINDS[k], cols["numerator"][rows],
                                         cols["denominator"][rows], multiplier[rows], confidence)
            cols["value"][rows], cols[lo][rows], cols[hi][rows] = value, lower, upper


def significance(cols: dict[str, np.ndarray], hidden: np.ndarray, ind: np.ndarray,
                 ip: np.ndarray, compared: np.ndarray | bool, county_value: np.ndarray,
                 meta: IndicatorMeta, limits: tuple[str, str] = ("lower95", "upper95")
                 ) -> np.ndarray:
    """Significance codes against the county of each row (hidden rows: not compared), judged
    by the interval in columns `limits` (95% unless said otherwise).

    A cluster's count is part of the county's: comparing the two says nothing, so counts are
    not compared; every other row with an interval is.
    """
    codes = np.full(ind.size, NOT_COMPARED, dtype=np.int8)
    kind, polarity = meta.kind[ind], meta.polarity_code[ind]
    lower, upper = (cols[c] for c in limits)
    for code, pol in enumerate(Polarity):
        rows_ = np.flatnonzero(compared & (kind != COUNT) & (polarity == code))
        codes[rows_] = compare_with_benchmark(
            lower[rows_], upper[rows_], county_value[ip[rows_]], pol.value)
    codes[hidden] = NOT_COMPARED
    return codes


def widen(array: np.ndarray) -> np.ndarray:
    """float64 numbers of a slice of the values table (a view when they are float64)."""
    return array.astype(np.float64, copy=False)


class AreaRows:
    """Area rows as the bundle holds them (views of its values table, nothing copied) and the
    suppression decided when it opened; statistics made on demand.

    Intervals and significance depend on one row alone (and the county value) and suppression
    is already final, so computing them per slice gives exactly the eager result.
    """

    def __init__(self, num: np.ndarray, den: np.ndarray, val: np.ndarray,
                 area_codes: np.ndarray, area_map: np.ndarray, hidden: np.ndarray,
                 bounds: dict[int, slice], county_value: np.ndarray, meta: IndicatorMeta,
                 estimates: Estimates) -> None:
        self.num, self.den, self.val, self.hidden = num, den, val, hidden
        self.area_codes, self.area_map = area_codes, area_map
        self.bounds, self.county_value, self.meta = bounds, county_value, meta
        self.estimates = estimates

    def pos(self, sl: slice) -> np.ndarray:
        """Position in the bundle's areas of each row of `sl`."""
        return self.area_map[self.area_codes[sl]]

    def inputs(self, sl: slice, ind: int) -> dict[str, np.ndarray]:
        """What the sums start from for rows `sl` of one indicator: the counted numerator,
        the denominator and value, whether each row enters the sums (`member`) and whether
        suppression hid it (`suppressed`)."""
        n = sl.stop - sl.start
        den, val = widen(self.den[sl]), widen(self.val[sl])
        num, member = counted_inputs(widen(self.num[sl]), den, val,
                                     np.full(n, self.meta.kind[ind]))
        return {"numerator": num, "denominator": den, "value": val, "member": member,
                "suppressed": np.asarray(self.hidden[sl], dtype=bool)}

    def columns(self, sl: slice, ind: np.ndarray, per: np.ndarray,
                limits: tuple[str, str] = ("lower95", "upper95")) -> dict[str, np.ndarray]:
        """Every statistic column (significance as codes, judged by the interval in columns
        `limits`) of rows `sl`, whose indicator and period positions are `ind` and `per`
        (arrays, or scalars for one slice)."""
        n = sl.stop - sl.start
        ind = np.broadcast_to(ind, n)
        kind = self.meta.kind[ind]
        den, val = widen(self.den[sl]), widen(self.val[sl])
        num, member = counted_inputs(widen(self.num[sl]), den, val, kind)
        cols = {"numerator": num, "denominator": den.copy(),
                "value": val.copy(), **{c: np.full(n, np.nan) for c in FLOATS[3:]}}
        intervals(cols, kind, self.meta.multiplier[ind], member)
        ip = ind * len(self.meta.all_periods) + per
        self.estimates.fill_areas(cols, ind, np.broadcast_to(ip, n), self.pos(sl), sl)
        hidden = self.hidden[sl]
        suppression.blank(cols, hidden)
        cols["significance"] = significance(cols, hidden, ind, np.broadcast_to(ip, n), True,
                                            self.county_value, self.meta, limits)
        cols["suppressed"] = hidden.copy()
        return cols
