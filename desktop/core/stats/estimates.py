"""Values and intervals that need more than a group's summed numerator and denominator:
means and scores with a spread (stats.means) and standardised rates (stats.standardised).

`Estimates` is made once when a bundle opens. It fills the intervals of the cluster and county
rows, with what the two-sample comparison needs of each cluster and of the rest of the county
(`COMPARISON_INPUTS`), and the values and intervals of area rows one slice at a time.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import numpy as np
import pandas as pd

from desktop.core.model import Bundle
from desktop.core.stats import means
from desktop.core.stats.meta import STANDARDISED, IndicatorMeta
from desktop.core.stats.standardised import VALUE_COLUMNS, AgeBands

# Per aggregate row (NaN where they do not apply): the variance of the value and, for means
# with an sd, the number of values behind it; the expected count of an ISR; and the same for
# the rest of the county (clusters only).
COMPARISON_INPUTS = ("variance", "n_values", "expected", "rest_value", "rest_variance",
                     "rest_n_values", "rest_count", "rest_expected")


class Estimates:
    """Spread kinds, group spreads and age bands of one bundle."""

    def __init__(self, bundle: Bundle, meta: IndicatorMeta, area_codes: pd.Index,
                 slot_of_area: np.ndarray, n_slots: int,
                 spread_views: Mapping[str, np.ndarray]) -> None:
        self.meta = meta
        self.kind = means.spread_kinds(bundle.values, meta)
        self.views = spread_views
        self.bands = AgeBands(bundle.age_bands, meta, area_codes, slot_of_area, n_slots)
        n_ip = len(meta.ids) * len(meta.all_periods) if self.kind.any() else 0
        self.groups = means.GroupSpreads(n_ip, n_slots)  # empty without any spread

    def _spread(self, kind: int, sl: slice) -> np.ndarray:
        return self.views[means.SPREAD_NAMES[kind]][sl].astype(float)

    def add_spreads(self, bounds: Mapping[int, slice], slot_of: Callable[[slice], np.ndarray],
                    value: np.ndarray, denominator: np.ndarray) -> None:
        """Sum the spread terms of every indicator-period of a mean with a spread."""
        n_per = len(self.meta.all_periods)
        for ip, sl in bounds.items():
            kind = int(self.kind[ip // n_per])
            if kind == means.NO_SPREAD:
                continue
            weight = denominator[sl].astype(float)
            self.groups.add(ip, slot_of(sl), kind, value[sl].astype(float), weight,
                            self._spread(kind, sl), bool(np.isfinite(weight).any()))

    def fill_aggregates(self, cols: dict[str, np.ndarray], ind: np.ndarray, ip: np.ndarray,
                        slot: np.ndarray, county: np.ndarray) -> dict[str, np.ndarray]:
        """Fill the values and intervals of standardised rows and the intervals of means with
        a spread (in place); return COMPARISON_INPUTS for every row."""
        inputs = {c: np.full(ind.size, np.nan) for c in COMPARISON_INPUTS}
        spread = np.flatnonzero(self.kind[ind] != means.NO_SPREAD)  # usually few or none
        kind, at, county_ = self.kind[ind[spread]], ip[spread], county[spread]
        cluster = np.where(county_, 0, slot[spread])
        own = _pick(county_, self.groups.group(kind, at, None),
                    self.groups.group(kind, at, cluster))
        rest = self.groups.group(np.where(county_, means.NO_SPREAD, kind), at, None,
                                 minus=cluster)
        for confidence, lo, hi in means.LEVELS:
            cols[lo][spread], cols[hi][spread] = means.limits(
                own["mean"], own["variance"], own["n_values"], confidence)
        for name in ("variance", "n_values"):
            inputs[name][spread] = own[name]
            inputs["rest_" + name][spread] = rest[name]
        inputs["rest_value"][spread] = rest["mean"]
        if self.bands:
            rows, own, rest = self.bands.aggregates(ind, ip, slot, county)
            for c in VALUE_COLUMNS:
                cols[c][rows] = own[c]
            inputs["variance"][rows], inputs["expected"][rows] = own["variance"], own["expected"]
            inputs["rest_value"][rows], inputs["rest_variance"][rows] = (rest["value"],
                                                                         rest["variance"])
            inputs["rest_expected"][rows] = rest["expected"]
            inputs["rest_count"][rows] = rest["observed"]
        return inputs

    def fill_areas(self, cols: dict[str, np.ndarray], ind: np.ndarray, ip: np.ndarray,
                   area: np.ndarray, sl: slice) -> None:
        """Fill the values and intervals of area rows `sl` of the values table (in place; cols
        are indexed from the slice's start) whose indicator, indicator-period code and area
        position are given per row."""
        kind = self.kind[ind]
        for k in (means.SD, means.SE):
            rows = np.flatnonzero(kind == k)
            if rows.size:
                lo, hi = sl.start + rows.min(), sl.start + rows.max() + 1
                spread = self._spread(k, slice(lo, hi))[rows - rows.min()]
                means.area_intervals(k, cols["value"][rows], cols["denominator"][rows],
                                     spread, cols, rows)
        standardised = np.flatnonzero(STANDARDISED[self.meta.kind[ind]])
        for code in np.unique(ip[standardised]):
            if int(code) not in self.bands.compact:
                continue
            rows = standardised[ip[standardised] == code]
            values = self.bands.areas(int(code))
            for c in VALUE_COLUMNS:
                cols[c][rows] = values[c][area[rows]]


def _pick(county: np.ndarray, whole: dict[str, np.ndarray], cluster: dict[str, np.ndarray]
          ) -> dict[str, np.ndarray]:
    return {c: np.where(county, whole[c], cluster[c]) for c in whole}
