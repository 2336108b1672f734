"""Statistics for every indicator, period and level, computed once when a bundle opens.

Areas are summed to clusters and the county from numerators and denominators (never by
averaging percentages); means and scores are denominator-weighted (weight 1 where the
denominator is missing). Every row gets its 95% and 99.8% intervals, small-number suppression
and significance against the county at 95%; trends are computed for clusters and the county.
Everything is vectorised over the whole values table at once.
"""

from __future__ import annotations

from collections import OrderedDict

import numpy as np
import pandas as pd

from desktop.core import suppression
from desktop.core.model import COUNTY, STAT_COLUMNS, Bundle, Polarity, Trend, ValueType
from desktop.core.stats import SIGNIFICANCE_ORDER, ci_for, compare_with_benchmark
from desktop.core.tasks import Task
from desktop.core.trend import TREND_CODES, TREND_PERIODS, window_trends

LEVELS = ("area", "cluster", "county")
VIEW_COLUMNS = STAT_COLUMNS[4:]  # numerator .. significance: what the accessors return
TREND_COLUMNS = ("indicator_id", "level", "code", "trend")
KINDS = tuple(v.value for v in ValueType)
_PROPORTION, _RATE, _COUNT, _MEAN, _SCORE = range(5)
_FLOATS = STAT_COLUMNS[4:11]
_NOT_COMPARED = SIGNIFICANCE_ORDER.index("not compared")


class _Meta:
    """Indicator metadata as arrays indexed by indicator position, and the period orders."""

    def __init__(self, bundle: Bundle) -> None:
        manifest = bundle.manifest
        indicators = manifest.indicators
        self.ids = tuple(ind.id for ind in indicators)
        self.kind = np.array([KINDS.index(ValueType(i.value_type).value) for i in indicators],
                             dtype=np.int8)
        self.multiplier = np.array([i.multiplier for i in indicators], dtype=float)
        self.polarity = np.array([Polarity(i.polarity).value for i in indicators], dtype=object)
        self.polarity_code = np.array([list(Polarity).index(Polarity(i.polarity))
                                       for i in indicators], dtype=np.int8)
        self.threshold = np.array([manifest.threshold_for(i) for i in indicators], dtype=float)
        declared = pd.Index(list(dict.fromkeys(p for i in indicators for p in i.periods)))
        undeclared = _codes(bundle.values["period"], declared) < 0
        found = _found_periods(bundle.values) if undeclared.any() else {}
        self.periods: dict[str, tuple[str, ...]] = {
            i.id: tuple(dict.fromkeys([*i.periods, *found.get(i.id, ())])) for i in indicators}
        self.all_periods = tuple(dict.fromkeys(p for ps in self.periods.values() for p in ps))
        lookup = {p: j for j, p in enumerate(self.all_periods)}
        self.position = np.full((len(self.ids), len(self.all_periods)), -1, dtype=np.int64)
        for i, ind_id in enumerate(self.ids):
            for k, period in enumerate(self.periods[ind_id]):
                self.position[i, lookup[period]] = k
        self.n_periods = np.array([len(self.periods[i]) for i in self.ids], dtype=np.int64)


def _found_periods(values: pd.DataFrame) -> dict[str, list[str]]:
    """Periods present for each indicator, in order of first appearance (vectorised)."""
    ind_codes, ind_names = pd.factorize(values["indicator_id"])
    per_codes, per_names = pd.factorize(values["period"])
    ok = (ind_codes >= 0) & (per_codes >= 0)
    present = np.bincount(ind_codes[ok] * len(per_names) + per_codes[ok],
                          minlength=len(ind_names) * len(per_names)) > 0
    present = present.reshape(len(ind_names), len(per_names))
    labels = np.array([str(p) for p in per_names], dtype=object)
    return {str(name): list(labels[present[i]]) for i, name in enumerate(ind_names)}


def _codes(column: pd.Series, categories: pd.Index) -> np.ndarray:
    """Positions of column values in `categories` (-1 where absent), cheap for categoricals."""
    if isinstance(column.dtype, pd.CategoricalDtype):  # int32: 41 M rows at England scale
        mapping = np.append(categories.get_indexer(column.cat.categories.astype(str)), -1)
        return mapping.astype(np.int32)[column.cat.codes.to_numpy()]
    return categories.get_indexer(column.astype(str)).astype(np.int32)


def _group_sums(group: np.ndarray, n_slots: int, rows: dict[str, np.ndarray],
                kind: np.ndarray) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    """Sums per (indicator-period, cluster) and per indicator-period, in one pass over the rows.

    group is ip * n_slots + slot, where the last slot collects the areas in no cluster; the
    county is the sum over all slots. Numerators and denominators are summed, means and scores
    weighted by the denominator (1 where missing); NaN where a group has no rows.
    """
    num, den, val, member = rows["numerator"], rows["denominator"], rows["value"], rows["member"]
    weighted = kind >= _MEAN
    has_den = member & ~np.isnan(den)
    weight = np.where(weighted & member, np.where(np.isnan(den), 1.0, den), 0.0)
    size = int(group.max()) + 1 if group.size else 0
    size = -(-size // n_slots) * n_slots

    def total(weights: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        sums = np.bincount(group, weights, minlength=size).reshape(-1, n_slots)
        return sums, sums.sum(axis=1)

    members = total(member.astype(float))
    means = total((member & weighted).astype(float))  # groups of mean/score rows: no count
    dens = total(has_den.astype(float))
    sums = {"numerator": total(np.where(member & ~weighted, num, 0.0)),
            "denominator": total(np.where(has_den, den, 0.0)),
            "wv": total(weight * np.where(member & weighted, val, 0.0)), "w": total(weight)}
    out = []
    for k in (0, 1):
        present, den_present = members[k] > 0, dens[k] > 0
        with np.errstate(invalid="ignore", divide="ignore"):
            mean = sums["wv"][k] / sums["w"][k]
        out.append({"numerator": np.where(present & (means[k] == 0), sums["numerator"][k],
                                          np.nan),
                    "denominator": np.where(den_present, sums["denominator"][k], np.nan),
                    "value": np.where(present, mean, np.nan), "present": present})
    return out[0], out[1]


def _intervals(cols: dict[str, np.ndarray], kind: np.ndarray, multiplier: np.ndarray,
               member: np.ndarray) -> None:
    """Fill value and both intervals for counted rows that enter the sums (in place)."""
    for k in (_PROPORTION, _RATE, _COUNT):
        rows = np.flatnonzero((kind == k) & member)
        if rows.size == 0:
            continue
        for confidence, lo, hi in ((0.95, "lower95", "upper95"), (0.998, "lower998", "upper998")):
            value, lower, upper = ci_for(KINDS[k], cols["numerator"][rows],
                                         cols["denominator"][rows], multiplier[rows], confidence)
            cols["value"][rows], cols[lo][rows], cols[hi][rows] = value, lower, upper


def compute_statistics(bundle: Bundle, task: Task | None = None) -> Statistics:
    """Every area, cluster and county statistic of the bundle, with trends (see Statistics)."""
    task = task or Task()
    meta = _Meta(bundle)
    area_codes = pd.Index(bundle.areas["area_code"].astype(str).to_numpy(), name="area_code")
    clusters = pd.Index([str(c) for c in bundle.cluster_names], name="cluster")
    n_ind, n_per, n_cl = len(meta.ids), len(meta.all_periods), len(clusters)
    task.report(0.05, "Reading values")

    values = bundle.values
    ind = _codes(values["indicator_id"], pd.Index(meta.ids))
    per = _codes(values["period"], pd.Index(meta.all_periods))
    area = _codes(values["area_code"], area_codes)
    keep = (ind >= 0) & (per >= 0) & (area >= 0)
    ip = ind * n_per + per
    # Rows of one indicator and period must be contiguous: sort only when the input is not,
    # and copy nothing when every row is kept in its order (large bundles usually are).
    order = None if keep.all() else np.flatnonzero(keep)
    kept = ip if order is None else ip[order]
    if np.any(kept[1:] < kept[:-1]):
        order = np.argsort(kept, kind="stable") if order is None else \
            order[np.argsort(kept, kind="stable")]

    def take(array: np.ndarray) -> np.ndarray:
        return array if order is None else array[order]

    ind, area, ip = take(ind), take(area), take(ip)
    del per, keep
    kind = meta.kind[ind]
    num, den, val = (take(values[c].to_numpy(dtype=float))
                     for c in ("numerator", "denominator", "value"))
    num = np.where((kind == _COUNT) & np.isnan(num), val, num)
    member = np.select([kind <= _RATE, kind == _COUNT],
                       [~np.isnan(num) & ~np.isnan(den), ~np.isnan(num)], ~np.isnan(val))
    rows = {"numerator": num, "denominator": den, "value": val, "member": member}
    area_cluster = clusters.get_indexer(
        [None if pd.isna(c) else str(c) for c in bundle.areas["cluster"]]).astype(np.int32)

    task.report(0.2, "Summing clusters and the county")
    slot = np.where(area_cluster >= 0, area_cluster, n_cl).astype(np.int32)[area]
    by_slot, by_county = _group_sums(ip * (n_cl + 1) + slot, n_cl + 1, rows, kind)
    by_cluster = {c: a[:, :n_cl].ravel() for c, a in by_slot.items()}
    cl_groups = np.flatnonzero(by_cluster["present"])
    co_groups = np.flatnonzero(by_county["present"])
    n_area, n_agg = area.size, cl_groups.size + co_groups.size
    # Aggregate rows (clusters, then the county) are computed in full now; area rows keep only
    # what suppression needs, their intervals and significance are made per slice on demand.
    a_level = np.concatenate([np.ones(cl_groups.size, np.int8), np.full(co_groups.size, 2, np.int8)])
    a_ind = np.concatenate([cl_groups // (n_per * n_cl), co_groups // n_per])
    a_per = np.concatenate([(cl_groups // n_cl) % n_per, co_groups % n_per])
    a_pos = np.concatenate([cl_groups % n_cl, np.full(co_groups.size, n_cl)])
    a_ip = a_ind * n_per + a_per
    cols = {c: np.concatenate([by_cluster[c][cl_groups], by_county[c][co_groups]])
            for c in ("numerator", "denominator", "value")}
    cols.update({c: np.full(n_agg, np.nan) for c in _FLOATS[3:]})
    a_kind = meta.kind[a_ind]

    task.report(0.4, "Confidence intervals")
    _intervals(cols, a_kind, meta.multiplier[a_ind], np.ones(n_agg, bool))
    task.report(0.6, "Suppressing small numbers")
    all_ind = np.concatenate([ind, a_ind])
    counted = meta.kind[all_ind] <= _COUNT
    all_num = np.concatenate([num, cols["numerator"]])
    hidden = suppression.primary_mask(all_num, meta.threshold[all_ind], counted)
    # Equation ip*(n_cl+1)+c sums cluster c over its areas; +n_cl sums the county over the
    # clusters and the areas in no cluster.
    equation = ip * (n_cl + 1)
    a_equation = (a_ip * (n_cl + 1)).astype(np.int32)  # group codes: int32 like the rows'
    hidden = suppression.secondary_mask(
        hidden, all_num, np.concatenate([member, np.ones(n_agg, bool)]) & counted,
        child_group=np.concatenate([equation + slot,
                                    np.where(a_level == 2, -1, a_equation + n_cl)]),
        parent_group=np.concatenate([np.full(n_area, -1, np.int32),
                                     (a_equation + a_pos).astype(np.int32)]),
        n_groups=n_ind * n_per * (n_cl + 1))
    del all_ind, counted, all_num, equation, slot, kind
    a_hidden = hidden[n_area:]
    suppression.blank(cols, a_hidden)

    task.report(0.75, "Significance and trends")
    county_value = np.full(n_ind * n_per, np.nan)
    county_value[a_ip[a_level == 2]] = cols["value"][a_level == 2]
    significance = _significance(cols, a_hidden, a_ind, a_ip, a_level < 2, county_value, meta)

    position = meta.position[a_ind, a_per]
    window = np.where(position >= 0, position - (meta.n_periods[a_ind] - TREND_PERIODS), -1)
    series = a_ind * (n_cl + 1) + a_pos
    series_kind = np.repeat(np.array(KINDS, dtype=object)[meta.kind], n_cl + 1)
    trend = window_trends(series, window, cols["numerator"], cols["denominator"], ~a_hidden,
                          series_kind)
    trends = pd.DataFrame({
        "indicator_id": np.repeat(np.array(meta.ids, dtype=object), n_cl + 1),
        "level": np.tile(np.array(["cluster"] * n_cl + ["county"], dtype=object), n_ind),
        "code": np.tile(np.array([*clusters, COUNTY], dtype=object), n_ind),
        "trend": np.array([c.value for c in TREND_CODES], dtype=object)[trend]})

    task.report(0.9, "Indexing")
    areas = _AreaRows(num, den, val, member, hidden[:n_area].copy(), area,
                      _bounds(ip), county_value, meta)
    return Statistics._build({**cols, "suppressed": a_hidden, "significance": significance},
                             a_ind, a_per, a_level, a_pos, meta, area_codes, clusters, trends,
                             areas)


def _bounds(ip: np.ndarray) -> dict[int, slice]:
    """Row slice of each indicator-period code in `ip` (rows grouped by code)."""
    change = np.flatnonzero(ip[1:] != ip[:-1]) + 1
    edges = np.r_[0, change, ip.size] if ip.size else np.array([0])
    return {int(ip[a]): slice(int(a), int(b)) for a, b in zip(edges[:-1], edges[1:])}


def _significance(cols: dict[str, np.ndarray], hidden: np.ndarray, ind: np.ndarray,
                  ip: np.ndarray, compared: np.ndarray | bool, county_value: np.ndarray,
                  meta: _Meta) -> np.ndarray:
    """Significance codes against the county of each row (hidden rows: not compared).

    A cluster's count is part of the county's: comparing the two says nothing, so counts are
    not compared; ratios, rates and proportions are.
    """
    significance = np.full(ind.size, _NOT_COMPARED, dtype=np.int8)
    kind, polarity = meta.kind[ind], meta.polarity_code[ind]
    for code, pol in enumerate(Polarity):
        rows_ = np.flatnonzero(compared & (kind <= _RATE) & (polarity == code))
        significance[rows_] = compare_with_benchmark(
            cols["lower95"][rows_], cols["upper95"][rows_], county_value[ip[rows_]], pol.value)
    significance[hidden] = _NOT_COMPARED
    return significance


class _AreaRows:
    """Area rows as the sums and suppression left them; statistics made on demand.

    Intervals and significance depend on one row alone (and the county value) and suppression
    is already final, so computing them per slice gives exactly the eager result.
    """

    def __init__(self, num: np.ndarray, den: np.ndarray, val: np.ndarray, member: np.ndarray,
                 hidden: np.ndarray, pos: np.ndarray, bounds: dict[int, slice],
                 county_value: np.ndarray, meta: _Meta) -> None:
        self.num, self.den, self.val, self.member, self.hidden = num, den, val, member, hidden
        self.pos, self.bounds, self.county_value, self.meta = pos, bounds, county_value, meta

    def columns(self, sl: slice, ind: np.ndarray, per: np.ndarray) -> dict[str, np.ndarray]:
        """Every statistic column (significance as codes) of rows `sl`, whose indicator and
        period positions are `ind` and `per` (arrays, or scalars for one slice)."""
        n = sl.stop - sl.start
        ind = np.broadcast_to(ind, n)
        cols = {"numerator": self.num[sl].copy(), "denominator": self.den[sl].copy(),
                "value": self.val[sl].copy(), **{c: np.full(n, np.nan) for c in _FLOATS[3:]}}
        _intervals(cols, self.meta.kind[ind], self.meta.multiplier[ind], self.member[sl])
        hidden = self.hidden[sl]
        suppression.blank(cols, hidden)
        ip = ind * len(self.meta.all_periods) + per
        cols["significance"] = _significance(cols, hidden, ind, np.broadcast_to(ip, n), True,
                                             self.county_value, self.meta)
        cols["suppressed"] = hidden.copy()
        return cols


class Statistics:
    """All statistics of a bundle, read-only: cluster and county rows held in full, area rows
    computed one indicator and period at a time (a few ms for 33,000 areas) and cached.

    The accessors are what views call on every indicator switch: each touches only the rows of
    one indicator and period.
    """

    CACHE_SIZE = 16  # area slices kept: a few indicators over all their periods

    def __init__(self, aggregates: pd.DataFrame, trends: pd.DataFrame, index: dict,
                 areas: _AreaRows) -> None:
        self._aggregates, self._trends, self._index, self._areas = aggregates, trends, index, areas
        self._arrays = {c: aggregates[c].to_numpy() for c in VIEW_COLUMNS[:-1]}
        self._arrays["significance"] = aggregates["significance"].cat.codes.to_numpy()
        self._trend_of = {(i, c): Trend(t) for i, c, t in
                          zip(trends["indicator_id"], trends["code"], trends["trend"])}
        self._cache: OrderedDict[tuple[str, str], pd.DataFrame] = OrderedDict()
        self._table: pd.DataFrame | None = None

    @classmethod
    def _build(cls, cols: dict[str, np.ndarray], ind: np.ndarray, per: np.ndarray,
               level: np.ndarray, pos: np.ndarray, meta: _Meta, area_codes: pd.Index,
               clusters: pd.Index, trends: pd.DataFrame, areas: _AreaRows) -> Statistics:
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
                                 for ip, sl in areas.bounds.items()}}
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
            bounds = sorted(areas.bounds.items(), key=lambda item: item[1].start)
            ip = np.repeat([b for b, _ in bounds], [sl.stop - sl.start for _, sl in bounds])
            ind, per = ip // n_per, ip % n_per
            cols = areas.columns(slice(0, ip.size), ind, per)
            codes = self._index["codes"]
            area_table = _long_table(cols, ind, per, np.zeros(ip.size, np.int8),
                                     codes.get_indexer(self._index["areas"])[areas.pos], meta,
                                     codes)
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
        """Trend of a cluster (or COUNTY) over the indicator's latest five periods."""
        return self._trend_of.get((indicator_id, code), Trend.CANNOT)

    @staticmethod
    def _view(rows: list[tuple[dict[str, np.ndarray], slice, np.ndarray]],
              index: pd.Index) -> pd.DataFrame:
        """VIEW_COLUMNS for `index`, filled from (arrays, slice, target positions) triples."""
        out = {c: np.full(len(index), np.nan) for c in _FLOATS}
        out["suppressed"] = np.zeros(len(index), bool)
        out["significance"] = np.full(len(index), _NOT_COMPARED, np.int8)
        for arrays, sl, target in rows:
            for c in VIEW_COLUMNS:
                out[c][target] = arrays[c][sl]
        out["significance"] = pd.Categorical.from_codes(out["significance"], SIGNIFICANCE_ORDER)
        return pd.DataFrame(out, index=index)

    def _slice(self, indicator_id: str, period: str, level: str) -> slice | None:
        if level == "area":
            return self._index["area_slices"].get((indicator_id, period))
        return self._index["slices"].get((indicator_id, period, level))

    def _area_rows(self, indicator_id: str, period: str, sl: slice) -> dict[str, np.ndarray]:
        meta = self._index["meta"]
        return self._areas.columns(sl, np.int64(meta.ids.index(indicator_id)),
                                   np.int64(meta.all_periods.index(period)))

    def area_values(self, indicator_id: str, period: str) -> pd.DataFrame:
        """Every area in bundle order (missing: NaN, not suppressed, not compared)."""
        key = (indicator_id, period)
        if key in self._cache:
            self._cache.move_to_end(key)
        else:
            sl = self._slice(indicator_id, period, "area")
            rows = [] if sl is None else [(self._area_rows(indicator_id, period, sl),
                                           slice(None), self._areas.pos[sl])]
            self._cache[key] = self._view(rows, self._index["areas"])
            if len(self._cache) > self.CACHE_SIZE:
                self._cache.popitem(last=False)
        return self._cache[key].copy(deep=False)  # copy-on-write: the cache stays intact

    def cluster_values(self, indicator_id: str, period: str) -> pd.DataFrame:
        """Every cluster in display order, then a final COUNTY row."""
        rows = [(self._arrays, sl, self._index["pos"][sl]) for sl in
                (self._slice(indicator_id, period, lv) for lv in ("cluster", "county"))
                if sl is not None]
        return self._view(rows, pd.Index([*self._index["clusters"], COUNTY], name="cluster"))

    def series(self, indicator_id: str, code: str, level: str) -> pd.DataFrame:
        """One area, cluster or the county (code COUNTY) over the indicator's periods."""
        target = {"area": lambda: self._index["areas"].get_loc(code),
                  "cluster": lambda: self._index["clusters"].get_loc(code),
                  "county": lambda: len(self._index["clusters"])}[level]()
        positions = self._areas.pos if level == "area" else self._index["pos"]
        periods = self.periods(indicator_id)
        rows = []
        for k, period in enumerate(periods):
            sl = self._slice(indicator_id, period, level)
            if sl is None:
                continue
            hit = np.flatnonzero(positions[sl] == target)
            if hit.size:
                one = slice(sl.start + hit[0], sl.start + hit[0] + 1)
                arrays = self._arrays if level != "area" else \
                    self._area_rows(indicator_id, period, one)
                rows.append((arrays, one if level != "area" else slice(None), np.array([k])))
        return self._view(rows, pd.Index(periods, name="period"))


def _long_table(cols: dict[str, np.ndarray], ind: np.ndarray, per: np.ndarray,
                level: np.ndarray, code: np.ndarray, meta: _Meta, codes: pd.Index
                ) -> pd.DataFrame:
    """Rows in STAT_COLUMNS with categorical keys (code: positions in `codes`)."""
    return pd.DataFrame({
        "indicator_id": pd.Categorical.from_codes(ind, meta.ids),
        "period": pd.Categorical.from_codes(per, meta.all_periods),
        "level": pd.Categorical.from_codes(level, LEVELS),
        "code": pd.Categorical.from_codes(code, codes),
        **{c: cols[c] for c in _FLOATS},
        "suppressed": cols["suppressed"],
        "significance": pd.Categorical.from_codes(cols["significance"], SIGNIFICANCE_ORDER)},
        copy=False)
