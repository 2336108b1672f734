"""The statistics of an open bundle, read-only, and the accessors views call on every switch.

Cluster and county rows are held in full (desktop.core.stats.aggregate computes them); area rows are
made one indicator and period at a time from desktop.core.stats.area_stats.AreaRows and cached.
"""

from __future__ import annotations

import copy
import itertools
from collections import OrderedDict
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from desktop.core.model import COUNTY, Trend
from desktop.core.stats.area_stats import FLOATS, LEVELS, NOT_COMPARED, VIEW_COLUMNS, AreaRows
from desktop.core.stats.comparison import DEFAULT, Comparison, Peers
from desktop.core.stats.intervals import SIGNIFICANCE_ORDER
from desktop.core.stats.peer_benchmark import peer_benchmarks
from desktop.core.stats.trend import TrendResult
from desktop.core.stats.verdicts import cluster_verdicts

if TYPE_CHECKING:
    from desktop.core.stats.meta import IndicatorMeta


TREND_COLUMNS_USED = ("indicator_id", "code", "trend", "method", "reason")


class Statistics:
    """All statistics of a bundle, read-only: cluster and county rows held in full, area rows
    computed one indicator and period at a time (a few ms for 33,000 areas) and cached.

    The accessors are what views call on every indicator switch: each touches only the rows of
    one indicator and period.
    """

    CACHE_SIZE = 16  # area slices kept: a few indicators over all their periods

    def __init__(self, aggregates: pd.DataFrame, trends: pd.DataFrame, index: dict,
                 areas: AreaRows) -> None:
        self._aggregates, self._trends, self._index, self._areas = aggregates, trends, index, areas
        self._arrays = {c: aggregates[c].to_numpy() for c in VIEW_COLUMNS[:-1]}
        self._arrays["significance"] = aggregates["significance"].cat.codes.to_numpy()
        self._trend_of = {(i, c): TrendResult(Trend(t), m, r) for i, c, t, m, r in
                          zip(*(trends[k].tolist() for k in TREND_COLUMNS_USED))}
        self._cache: OrderedDict[tuple[str, str, float], pd.DataFrame] = OrderedDict()
        self._table: pd.DataFrame | None = None
        self.comparison = DEFAULT  # what the significance columns and accessors give

    def with_comparison(self, comparison: Comparison) -> Statistics:
        """The same statistics with every significance judged by `comparison` (a level of 95
        or 99.8%, against the county or the rest of the county); small areas are judged at
        the level, against the county. Cheap: the numbers are shared, the cluster verdicts
        are computed once per comparison and kept."""
        if comparison == self.comparison:
            return self
        verdicts = self._index["verdicts"]
        if comparison not in verdicts:
            verdicts[comparison] = cluster_verdicts(
                comparison, self._arrays, self._index["keys"], self._index["inputs"],
                self._index["spread"], self._index["meta"], self._index["clusters"],
                self._areas.estimates.bands)
        other = copy.copy(self)
        other.comparison = comparison
        other._arrays = {**self._arrays, "significance": verdicts[comparison]}
        other._aggregates = self._aggregates.assign(significance=pd.Categorical.from_codes(
            verdicts[comparison], SIGNIFICANCE_ORDER))
        other._table = None
        return other

    @classmethod
    def from_columns(cls, cols: dict[str, np.ndarray], ind: np.ndarray, per: np.ndarray,
               level: np.ndarray, pos: np.ndarray, meta: IndicatorMeta, area_codes: pd.Index,
               clusters: pd.Index, trends: pd.DataFrame, areas: AreaRows,
               inputs: dict[str, np.ndarray]) -> Statistics:
        """From the aggregate rows' columns (significance: codes at 95% against the county)
        and keys, the trends, the area rows and the two-sample inputs (stats.estimates)."""
        n_per = len(meta.all_periods)
        slices = {}
        for lv in (1, 2):
            offset = int(np.argmax(level == lv)) if (level == lv).any() else 0
            for code, sl in _bounds(ind[level == lv].astype(np.int64) * n_per
                                    + per[level == lv]).items():
                i, p = divmod(code, n_per)
                slices[(meta.ids[i], meta.all_periods[p], LEVELS[lv])] = \
                    slice(sl.start + offset, sl.stop + offset)
        codes = pd.Index(list(dict.fromkeys([*area_codes, *clusters, COUNTY])))
        index = {"slices": slices, "pos": pos, "areas": area_codes, "clusters": clusters,
                 "periods": meta.periods, "codes": codes, "meta": meta,
                 "area_slices": {(meta.ids[ip // n_per], meta.all_periods[ip % n_per]): sl
                                 for ip, sl in areas.bounds.items()},
                 "keys": {"ind": ind, "ip": ind.astype(np.int64) * n_per + per, "level": level,
                          "pos": pos},
                 "inputs": inputs, "spread": areas.estimates.kind,
                 "verdicts": {DEFAULT: cols["significance"]}}
        code_of = codes.get_indexer([*clusters, COUNTY])
        return cls(_long_table(cols, ind, per, level, code_of[pos], meta, codes), trends, index,
                   areas)

    @property
    def table(self) -> pd.DataFrame:
        """The long table, columns STAT_COLUMNS: areas, then clusters, then the county, each
        grouped by indicator and period. Expensive: every area row's statistics are computed
        on first use (tens of millions of rows at England scale) and then kept; views use the
        accessors or `aggregate_table` instead."""
        if self._table is None:
            meta, areas = self._index["meta"], self._areas
            n_per = len(meta.all_periods)
            bounds = sorted(areas.bounds.items())  # indicator-period order, whatever the file's
            ip = np.repeat([b for b, _ in bounds], [sl.stop - sl.start for _, sl in bounds])
            rows = slice(0, ip.size)
            order = np.concatenate([np.arange(sl.start, sl.stop) for _, sl in bounds]
                                   or [np.zeros(0, np.int64)])
            ind, per = ip // n_per, ip % n_per
            row_ip = np.empty_like(ip)
            row_ip[order] = ip  # the code of each row in the values table's own order
            cols = {c: a[order] for c, a in areas.columns(rows, row_ip // n_per, row_ip % n_per,
                                                         self.comparison.limits).items()}
            codes = self._index["codes"]
            area_codes = codes.get_indexer(self._index["areas"])[areas.pos(rows)[order]]
            area_table = _long_table(cols, ind, per, np.zeros(ip.size, np.int8), area_codes,
                                     meta, codes)
            self._table = pd.concat([area_table, self._aggregates], ignore_index=True)
        return self._table

    @property
    def aggregate_table(self) -> pd.DataFrame:
        """The cluster and county rows of `table` (cheap: built when the bundle opened)."""
        return self._aggregates

    @property
    def trends(self) -> pd.DataFrame:
        """One row per indicator and cluster (and the county), columns TREND_COLUMNS."""
        return self._trends

    def periods(self, indicator_id: str) -> tuple[str, ...]:
        return self._index["periods"][indicator_id]

    def trend(self, indicator_id: str, code: str) -> Trend:
        """Recent trend of a cluster (or COUNTY) over its five most recent valid points."""
        return self.trend_result(indicator_id, code).trend

    def trend_result(self, indicator_id: str, code: str) -> TrendResult:
        """The recent trend with its method and, when it cannot be calculated, the reason."""
        return self._trend_of.get((indicator_id, code), TrendResult(Trend.CANNOT))

    @staticmethod
    def _columns(rows: list[tuple[dict[str, np.ndarray], slice, np.ndarray]],
                 n: int) -> dict[str, np.ndarray]:
        """VIEW_COLUMNS of `n` rows (significance as codes into SIGNIFICANCE_ORDER), filled
        from (arrays, slice, target positions) triples."""
        out = {c: np.full(n, np.nan) for c in FLOATS}
        out["suppressed"] = np.zeros(n, bool)
        out["significance"] = np.full(n, NOT_COMPARED, np.int8)
        for arrays, sl, target in rows:
            for c in VIEW_COLUMNS:
                out[c][target] = arrays[c][sl]
        return out

    @classmethod
    def _view(cls, rows: list[tuple[dict[str, np.ndarray], slice, np.ndarray]],
              index: pd.Index) -> pd.DataFrame:
        """VIEW_COLUMNS for `index`, filled from (arrays, slice, target positions) triples."""
        out = cls._columns(rows, len(index))
        out["significance"] = pd.Categorical.from_codes(out["significance"], SIGNIFICANCE_ORDER)
        return pd.DataFrame(out, index=index)

    def _slice(self, indicator_id: str, period: str, level: str) -> slice | None:
        if level == "area":
            return self._index["area_slices"].get((indicator_id, period))
        return self._index["slices"].get((indicator_id, period, level))

    def _area_rows(self, indicator_id: str, period: str, sl: slice) -> dict[str, np.ndarray]:
        meta = self._index["meta"]
        return self._areas.columns(sl, np.int64(meta.ids.index(indicator_id)),
                                   np.int64(meta.all_periods.index(period)),
                                   self.comparison.limits)

    def area_values(self, indicator_id: str, period: str) -> pd.DataFrame:
        """Every area in bundle order (missing: NaN, not suppressed, not compared), compared
        with the county at the comparison's level."""
        key = (indicator_id, period, self.comparison.level)
        if key in self._cache:
            self._cache.move_to_end(key)
        else:
            sl = self._slice(indicator_id, period, "area")
            rows = [] if sl is None else [(self._area_rows(indicator_id, period, sl),
                                           slice(None), self._areas.pos(sl))]
            self._cache[key] = self._view(rows, self._index["areas"])
            if len(self._cache) > self.CACHE_SIZE:
                self._cache.popitem(last=False)
        return self._cache[key].copy(deep=False)  # copy-on-write: the cache stays intact

    def area_inputs(self, indicator_id: str, period: str) -> dict[str, np.ndarray]:
        """What one indicator-period's sums start from, for every area in bundle order
        (AreaRows.inputs; an area without a row: NaN, not a member, not suppressed). Pooling
        periods sums these."""
        n = len(self._index["areas"])
        out = {c: np.full(n, np.nan) for c in ("numerator", "denominator", "value")}
        out.update(member=np.zeros(n, bool), suppressed=np.zeros(n, bool))
        sl = self._slice(indicator_id, period, "area")
        if sl is not None:
            target = self._areas.pos(sl)
            for c, array in self._areas.inputs(
                    sl, self._index["meta"].ids.index(indicator_id)).items():
                out[c][target] = array
        return out

    def suppressed(self, indicator_id: str, period: str) -> np.ndarray:
        """Which cells of one indicator-period are suppressed: every area in bundle order,
        every cluster, then the county (cheap: no statistics are computed)."""
        n_areas = len(self._index["areas"])
        flags = np.zeros(n_areas + len(self._index["clusters"]) + 1, bool)
        sl = self._slice(indicator_id, period, "area")
        if sl is not None:
            flags[self._areas.pos(sl)] = self._areas.hidden[sl]
        for level in ("cluster", "county"):
            sl = self._slice(indicator_id, period, level)
            if sl is not None:
                flags[n_areas + self._index["pos"][sl]] = self._arrays["suppressed"][sl]
        return flags

    def cluster_values(self, indicator_id: str, period: str) -> pd.DataFrame:
        """Every cluster in display order, then a final COUNTY row."""
        return self._view(self._cluster_rows(indicator_id, period),
                          pd.Index([*self._index["clusters"], COUNTY], name="cluster"))

    def cluster_columns(self, indicator_id: str, period: str) -> dict[str, np.ndarray]:
        """`cluster_values` as numpy columns in the same row order (`cluster_names`, then
        the county), significance as codes into intervals.SIGNIFICANCE_ORDER: for code that
        reads hundreds of indicators, where building each frame would cost more than the
        reading."""
        return self._columns(self._cluster_rows(indicator_id, period),
                             len(self._index["clusters"]) + 1)

    @property
    def cluster_names(self) -> list[str]:
        """The clusters in display order: the rows of `cluster_values` before the county."""
        return list(self._index["clusters"])

    def _cluster_rows(self, indicator_id: str, period: str) -> list:
        return [(self._arrays, sl, self._index["pos"][sl]) for sl in
                (self._slice(indicator_id, period, lv) for lv in ("cluster", "county"))
                if sl is not None]

    def peer_values(self, indicator_id: str, period: str, peers: Peers) -> pd.Series:
        """Each cluster's similar clusters pooled (stats.peer_benchmark), in display order:
        the benchmark of the comparison against similar clusters."""
        sl = self._slice(indicator_id, period, "cluster")
        out = pd.Series(np.nan, index=self._index["clusters"], name="similar")
        if sl is not None:
            rows = np.arange(sl.start, sl.stop)
            values = peer_benchmarks(peers, rows, self._arrays, self._index["keys"],
                                     self._index["inputs"], self._index["meta"],
                                     self._index["clusters"], self._areas.estimates.bands)
            out.iloc[self._index["pos"][sl]] = values
        return out

    def series(self, indicator_id: str, code: str, level: str) -> pd.DataFrame:
        """One area, cluster or the county (code COUNTY) over the indicator's periods."""
        target = {"area": lambda: self._index["areas"].get_loc(code),
                  "cluster": lambda: self._index["clusters"].get_loc(code),
                  "county": lambda: len(self._index["clusters"])}[level]()
        periods = self.periods(indicator_id)
        rows = []
        for k, period in enumerate(periods):
            sl = self._slice(indicator_id, period, level)
            if sl is None:
                continue
            positions = self._areas.pos(sl) if level == "area" else self._index["pos"][sl]
            hit = np.flatnonzero(positions == target)
            if hit.size:
                one = slice(sl.start + hit[0], sl.start + hit[0] + 1)
                arrays = self._arrays if level != "area" else \
                    self._area_rows(indicator_id, period, one)
                rows.append((arrays, one if level != "area" else slice(None), np.array([k])))
        return self._view(rows, pd.Index(periods, name="period"))


def _long_table(cols: dict[str, np.ndarray], ind: np.ndarray, per: np.ndarray,
                level: np.ndarray, code: np.ndarray, meta: IndicatorMeta, codes: pd.Index
                ) -> pd.DataFrame:
    """Rows in STAT_COLUMNS with categorical keys (code: positions in `codes`)."""
    return pd.DataFrame({
        "indicator_id": pd.Categorical.from_codes(ind, meta.ids),
        "period": pd.Categorical.from_codes(per, meta.all_periods),
        "level": pd.Categorical.from_codes(level, LEVELS),
        "code": pd.Categorical.from_codes(code, codes),
        **{c: cols[c] for c in FLOATS},
        "suppressed": cols["suppressed"],
        "significance": pd.Categorical.from_codes(cols["significance"], SIGNIFICANCE_ORDER)},
        copy=False)


def _bounds(ip: np.ndarray) -> dict[int, slice]:
    """Row slice of each indicator-period code in `ip` (rows grouped by code)."""
    change = np.flatnonzero(ip[1:] != ip[:-1]) + 1
    edges = np.r_[0, change, ip.size] if ip.size else np.array([0])
    return {int(ip[a]): slice(int(a), int(b)) for a, b in itertools.pairwise(edges)}
