"""Statistics for every indicator, period and level, computed once when a bundle opens.

Areas are summed to clusters and the county from numerators and denominators (never by
averaging percentages); means and scores are denominator-weighted (weight 1 where the
denominator is missing). Every row gets its 95% and 99.8% intervals, small-number suppression
and significance against the county at 95%; trends are computed for clusters and the county.
A table whose cells are sums of cells published elsewhere (pooled periods) is suppressed with
their hidden parts in mind (stats.linked).

The values table is read in place through its integer key codes, in blocks of whole
indicator-periods (about 130,000 rows each): every sum and suppression equation lies inside
one indicator-period, so each block is summed and suppressed on its own, vectorised, and only
small temporaries exist beside the bundle (41 M rows at England scale).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator

import numpy as np
import pandas as pd

from desktop.core import bigarrays
from desktop.core.model import COUNTY, SPREAD_COLUMNS, Bundle
from desktop.core.stats import linked, suppression
from desktop.core.stats.area_stats import (
    FLOATS,
    LEVELS,
    VIEW_COLUMNS,
    AreaRows,
    counted_inputs,
    intervals,
    significance,
    widen,
)
from desktop.core.stats.estimates import Estimates
from desktop.core.stats.linked import UNLINKED, HiddenParts
from desktop.core.stats.meta import (
    COUNTED,
    KINDS,
    PROPORTION,
    WEIGHTED,
    IndicatorMeta,
    key_codes,
)
from desktop.core.stats.table import Statistics
from desktop.core.stats.trend import (
    METHOD_OF_TYPE,
    METHODS,
    NO_METHOD,
    REASONS,
    TREND_CODES,
    recent_trends,
)
from desktop.core.tasks import Task

__all__ = ["LEVELS", "TREND_COLUMNS", "VIEW_COLUMNS", "Statistics", "compute_statistics"]
TREND_COLUMNS = ("indicator_id", "level", "code", "trend", "method", "reason")
BLOCK_ROWS = 1 << 17  # rows summed and suppressed at once (whole indicator-periods): small
# enough that temporaries stay under the 4 MB where numpy asks for huge pages (see bigarrays)


def _float_view(column: pd.Series) -> np.ndarray:
    """A column's numbers without a copy when they are float32 or float64 already."""
    array = column.to_numpy()
    return array if array.dtype in (np.float32, np.float64) else array.astype(np.float64)


class _Rows:
    """The values table as views and integer keys, in runs of rows of one indicator-period.

    Bundles are written grouped by indicator and period with every row known, and are used in
    place. Otherwise (rows of an unknown area, an indicator-period split in several runs) the
    known rows are copied out in indicator-period order once.
    """

    def __init__(self, values: pd.DataFrame, meta: IndicatorMeta, area_codes: pd.Index,
                 parts: HiddenParts | None = None) -> None:
        n_per = len(meta.all_periods)
        # each row's hidden parts and whether it is forced hidden (stats.linked), or None
        self.parts = None if parts is None else (
            parts.areas, np.zeros(len(values), bool) if parts.forced_areas is None
            else parts.forced_areas)
        ind_codes, ind_map = key_codes(values["indicator_id"], pd.Index(meta.ids))
        per_codes, per_map = key_codes(values["period"], pd.Index(meta.all_periods))
        self.area_codes, self.area_map = key_codes(values["area_code"], area_codes)
        # views of the table's columns, float64 or (large bundles, see bundle_columns._Floats)
        # exact float32, widened a block at a time by `widen`
        self.num, self.den, self.val = (_float_view(values[c])
                                        for c in ("numerator", "denominator", "value"))
        self.spread = {c: _float_view(values[c]) for c in SPREAD_COLUMNS if c in values}
        change = np.ones(len(values), dtype=bool)
        change[1:] = (ind_codes[1:] != ind_codes[:-1]) | (per_codes[1:] != per_codes[:-1])
        starts = np.flatnonzero(change)
        ind, per = ind_map[ind_codes[starts]], per_map[per_codes[starts]]
        self.ip = np.where((ind >= 0) & (per >= 0), ind.astype(np.int64) * n_per + per, -1)
        self.edges = np.append(starts, len(values))
        unknown_area = np.flatnonzero(self.area_map[:-1] < 0)
        if ((self.ip < 0).any() or np.unique(self.ip).size != self.ip.size
                or (self.area_codes < 0).any()
                or (unknown_area.size and np.isin(self.area_codes, unknown_area).any())):
            self._reorder()

    def _reorder(self) -> None:
        """Keep the rows with a known indicator, period and area, in indicator-period order."""
        ip = np.repeat(self.ip, np.diff(self.edges))
        known = np.flatnonzero((ip >= 0) & (self.area_map[self.area_codes] >= 0))
        order = known[np.argsort(ip[known], kind="stable")]
        ip = ip[order]
        self.num, self.den, self.val, self.area_codes = (
            a[order] for a in (self.num, self.den, self.val, self.area_codes))
        self.spread = {c: a[order] for c, a in self.spread.items()}
        if self.parts is not None:
            self.parts = tuple(a[order] for a in self.parts)
        starts = np.flatnonzero(np.r_[True, ip[1:] != ip[:-1]]) if ip.size else np.array([], int)
        self.ip, self.edges = ip[starts], np.append(starts, ip.size)

    def blocks(self) -> Iterator[tuple[int, int, np.ndarray, np.ndarray]]:
        """(first row, end row, indicator-period of each run, run lengths) of consecutive runs
        of about BLOCK_ROWS rows together."""
        edges = self.edges
        cuts = np.unique(np.r_[0, np.searchsorted(edges, np.arange(BLOCK_ROWS, edges[-1],
                                                                   BLOCK_ROWS)), self.ip.size])
        for k0, k1 in itertools.pairwise(cuts):
            yield int(edges[k0]), int(edges[k1]), self.ip[k0:k1], np.diff(edges[k0:k1 + 1])

    def bounds(self) -> dict[int, slice]:
        """Row slice of each indicator-period code."""
        return {int(ip): slice(int(a), int(b))
                for ip, a, b in zip(self.ip, self.edges[:-1], self.edges[1:])}


def _group_sums(group: np.ndarray, n_slots: int, run_weighted: np.ndarray,
                rows: dict[str, np.ndarray], run: np.ndarray
                ) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    """Sums per (run, slot) and per run, in one pass over the rows.

    group is run * n_slots + slot (`run` the run of each row), where the last slot collects
    the areas in no cluster; the
    county is the sum over all slots. Numerators and denominators are summed, means and scores
    (runs where `run_weighted`) weighted by the denominator; NaN where a group has no rows. A
    run of a mean whose rows give no denominator at all is weighted equally; in a run where
    some rows give one, a row without it has no weight, and the groups it belongs to get no
    value rather than a wrong one (pack refuses such inputs; see docs/input-format.md). A run is
    of one indicator, so a weighted run's numerator sums and an unweighted run's weighted
    values are zero: one pass over the rows sums both.
    """
    num, den, val, member = rows["numerator"], rows["denominator"], rows["value"], rows["member"]
    has_den = member & ~np.isnan(den)

    def total(weights: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        sums = np.bincount(group, weights, minlength=run_weighted.size * n_slots)
        sums = sums.reshape(-1, n_slots)
        return sums, sums.sum(axis=1)

    members = total(member.astype(float))
    dens = total(has_den.astype(float))
    sums = {"denominator": total(np.where(has_den, den, 0.0))}
    if run_weighted.any():
        weighted = run_weighted[run]
        run_has_den = dens[1] > 0  # consulted for weighted runs only
        weight = np.where(weighted & member, np.where(run_has_den[run], den, 1.0), 0.0)
        both = total(np.where(member & ~weighted, num,
                              weight * np.where(member & weighted, val, 0.0)))
        sums["w"] = total(weight)
    else:  # no mean or score: every weight is 0, and the pass over them is skipped
        both = total(np.where(member, num, 0.0))
        sums["w"] = (np.zeros_like(both[0]), np.zeros_like(both[1]))
    out = []
    for k, flag in ((0, run_weighted[:, None]), (1, run_weighted)):
        present, den_present = members[k] > 0, dens[k] > 0
        with np.errstate(invalid="ignore", divide="ignore"):
            mean = np.where(flag, both[k], 0.0) / sums["w"][k]
        out.append({"numerator": np.where(present & ~flag, both[k], np.nan),
                    "denominator": np.where(den_present, sums["denominator"][k], np.nan),
                    "value": np.where(present, mean, np.nan), "present": present})
    return out[0], out[1]


class _Sums:
    """Cluster (by slot) and county sums and suppression of every indicator-period, filled
    block by block; rows are indicator-period codes."""

    def __init__(self, n_ip: int, n_slots: int, n_rows: int) -> None:
        self.slot = {c: np.full((n_ip, n_slots), np.nan) for c in ("numerator", "denominator",
                                                                  "value")}
        self.county = {c: np.full(n_ip, np.nan) for c in ("numerator", "denominator", "value")}
        self.slot["present"], self.county["present"] = (np.zeros((n_ip, n_slots), bool),
                                                        np.zeros(n_ip, bool))
        self.slot_hidden, self.county_hidden = np.zeros((n_ip, n_slots), bool), np.zeros(n_ip, bool)
        self.area_hidden = bigarrays.zeros(n_rows, np.bool_)
        # hidden parts of each cluster (by slot) and the county, and which are forced hidden
        self.slot_parts = np.full((n_ip, n_slots), UNLINKED, dtype=np.int64)
        self.county_parts = np.full(n_ip, UNLINKED, dtype=np.int64)
        self.slot_forced, self.county_forced = (np.zeros((n_ip, n_slots), bool),
                                                np.zeros(n_ip, bool))

    def link(self, parts: HiddenParts, meta: IndicatorMeta) -> None:
        """Take the hidden parts of the clusters and the county (areas come with the rows)."""
        n_per, n_cl = len(meta.all_periods), self.slot_parts.shape[1] - 1
        for target, source in (((self.slot_parts, self.county_parts), parts.aggregates),
                               ((self.slot_forced, self.county_forced),
                                parts.forced_aggregates)):
            for (indicator_id, period), cells in source.items():
                ip = meta.ids.index(indicator_id) * n_per + meta.all_periods.index(period)
                target[0][ip, :n_cl] = cells[:n_cl]
                target[1][ip] = cells[n_cl]

    def add_block(self, rows: _Rows, block: tuple[int, int, np.ndarray, np.ndarray],
                  slot_of_code: np.ndarray, meta: IndicatorMeta) -> None:
        """Sum one block of runs and suppress it: its areas, clusters and county together."""
        start, stop, run_ip, lengths = block
        n_slots, n_runs, n_per = self.slot_hidden.shape[1], run_ip.size, len(meta.all_periods)
        n_cl = n_slots - 1
        run_ind = run_ip // n_per
        run = np.repeat(np.arange(n_runs, dtype=np.int64), lengths)
        ind = run_ind[run]
        kind = meta.kind[ind]
        den, val = widen(rows.den[start:stop]), widen(rows.val[start:stop])
        num, member = counted_inputs(widen(rows.num[start:stop]), den, val, kind)
        slot = slot_of_code[rows.area_codes[start:stop]]
        # Equation run*n_slots+c sums cluster c over its areas; +n_cl sums the county over the
        # clusters and the areas in no cluster.
        equation = run * n_slots
        by_slot, by_county = _group_sums(equation + slot, n_slots, WEIGHTED[meta.kind[run_ind]],
                                         {"numerator": num, "denominator": den, "value": val,
                                          "member": member}, run)
        for c, array in by_slot.items():
            self.slot[c][run_ip] = array
            self.county[c][run_ip] = by_county[c]
        cl_run, cl_pos = np.divmod(np.flatnonzero(by_slot["present"][:, :n_cl].ravel()), n_cl)
        co_run = np.flatnonzero(by_county["present"])
        n_agg = cl_run.size + co_run.size
        all_ind = np.concatenate([ind, run_ind[cl_run], run_ind[co_run]])
        all_kind = meta.kind[all_ind]
        run_counted = COUNTED[meta.kind[run_ind]]
        counted = np.concatenate([run_counted[run], run_counted[cl_run], run_counted[co_run]])
        all_num = np.concatenate([num, by_slot["numerator"][cl_run, cl_pos],
                                  by_county["numerator"][co_run]])
        all_den = np.concatenate([den, by_slot["denominator"][cl_run, cl_pos],
                                  by_county["denominator"][co_run]])
        area_parts, area_forced = ((np.full(stop - start, UNLINKED), False)
                                   if rows.parts is None else
                                   (rows.parts[0][start:stop], rows.parts[1][start:stop]))
        parts = np.concatenate([area_parts, self.slot_parts[run_ip[cl_run], cl_pos],
                                self.county_parts[run_ip[co_run]]])
        forced = np.concatenate([np.broadcast_to(area_forced, stop - start),
                                 self.slot_forced[run_ip[cl_run], cl_pos],
                                 self.county_forced[run_ip[co_run]]])
        hidden = (suppression.primary_mask(all_num, meta.threshold[all_ind], counted)
                  | (linked.must_hide(parts, forced) & counted))
        if meta.complement.any():
            hidden |= suppression.complement_mask(
                all_num, all_den, meta.threshold[all_ind],
                (all_kind == PROPORTION) & meta.complement[all_ind])
        # a proportion's count is at most its denominator, which stays shown
        protection = suppression.Protection(all_den, all_ind, meta.threshold,
                                            meta.kind == PROPORTION)
        hidden = suppression.protect_hierarchy(
            hidden, all_num, np.concatenate([member, np.ones(n_agg, bool)]) & counted,
            protection,
            child_group=np.concatenate([equation + slot, cl_run * n_slots + n_cl,
                                        np.full(co_run.size, -1)]),
            parent_group=np.concatenate([np.full(stop - start, -1), cl_run * n_slots + cl_pos,
                                         co_run * n_slots + n_cl]),
            n_groups=n_runs * n_slots,
            # a cell its shown parts give away protects nothing when hidden, but stays in
            # its sums as a known number
            hideable=linked.may_hide(parts) | hidden)
        self.area_hidden[start:stop] = hidden[:stop - start]
        self.slot_hidden[run_ip[cl_run], cl_pos] = hidden[stop - start:stop - start + cl_run.size]
        self.county_hidden[run_ip[co_run]] = hidden[stop - start + cl_run.size:]


def compute_statistics(bundle: Bundle, task: Task | None = None, *,
                       parts: HiddenParts | None = None,
                       trends: pd.DataFrame | None = None) -> Statistics:
    """Every area, cluster and county statistic of the bundle, with trends (see Statistics).

    `parts`: the hidden parts of each cell when its parts are published in another table
    (stats.linked; pooled periods). `trends`: trends to keep instead of testing these periods
    (pooled periods keep the single periods' trends: stats.pooling says why).
    """
    task = task or Task()
    meta = IndicatorMeta(bundle)
    area_codes = pd.Index(bundle.areas["area_code"].astype(str).to_numpy(), name="area_code")
    clusters = pd.Index([str(c) for c in bundle.cluster_names], name="cluster")
    n_ind, n_per, n_cl = len(meta.ids), len(meta.all_periods), len(clusters)
    task.report(0.05, "Reading values")
    rows = _Rows(bundle.values, meta, area_codes, parts)
    area_cluster = clusters.get_indexer(
        [None if pd.isna(c) else str(c) for c in bundle.areas["cluster"]]).astype(np.int32)
    slot_of_code = np.where(area_cluster >= 0, area_cluster, n_cl).astype(np.int32)[rows.area_map]

    estimates = Estimates(bundle, meta, area_codes, np.where(area_cluster >= 0, area_cluster,
                                                             n_cl), n_cl + 1, rows.spread)
    sums = _Sums(n_ind * n_per, n_cl + 1, rows.num.size)
    if parts is not None:
        sums.link(parts, meta)
    blocks = list(rows.blocks())
    for k, block in enumerate(blocks):
        task.report(0.1 + 0.6 * k / len(blocks), "Summing and suppressing small numbers")
        sums.add_block(rows, block, slot_of_code, meta)
    by_cluster = {c: a[:, :n_cl].ravel() for c, a in sums.slot.items()}
    cl_groups = np.flatnonzero(by_cluster["present"])
    co_groups = np.flatnonzero(sums.county["present"])
    n_agg = cl_groups.size + co_groups.size
    # Aggregate rows (clusters, then the county) are computed in full now; area rows keep only
    # what suppression decided, their statistics are made per slice on demand (AreaRows).
    a_level = np.concatenate([np.ones(cl_groups.size, np.int8),
                              np.full(co_groups.size, 2, np.int8)])
    a_ind = np.concatenate([cl_groups // (n_per * n_cl), co_groups // n_per])
    a_per = np.concatenate([(cl_groups // n_cl) % n_per, co_groups % n_per])
    a_pos = np.concatenate([cl_groups % n_cl, np.full(co_groups.size, n_cl)])
    a_ip = a_ind * n_per + a_per
    cols = {c: np.concatenate([by_cluster[c][cl_groups], sums.county[c][co_groups]])
            for c in ("numerator", "denominator", "value")}
    cols.update({c: np.full(n_agg, np.nan) for c in FLOATS[3:]})

    task.report(0.75, "Confidence intervals")
    intervals(cols, meta.kind[a_ind], meta.multiplier[a_ind], np.ones(n_agg, bool))
    estimates.add_spreads(rows.bounds(), lambda sl: slot_of_code[rows.area_codes[sl]],
                          rows.val, rows.den)
    inputs = estimates.fill_aggregates(cols, a_ind, a_ip, a_pos, a_level == 2)
    a_hidden = np.concatenate([sums.slot_hidden[:, :n_cl].ravel()[cl_groups],
                               sums.county_hidden[co_groups]])
    suppression.blank(cols, a_hidden)

    task.report(0.85, "Significance and trends")
    county_value = np.full(n_ind * n_per, np.nan)
    county_value[a_ip[a_level == 2]] = cols["value"][a_level == 2]
    codes = significance(cols, a_hidden, a_ind, a_ip, a_level < 2, county_value, meta)
    if trends is None:
        trends = _trends(cols, a_hidden, a_ind, a_per, a_pos, meta, clusters)

    task.report(0.95, "Indexing")
    areas = AreaRows(rows.num, rows.den, rows.val, rows.area_codes, rows.area_map,
                     sums.area_hidden, rows.bounds(), county_value, meta, estimates)
    return Statistics.from_columns({**cols, "suppressed": a_hidden, "significance": codes},
                                   a_ind, a_per, a_level, a_pos, meta, area_codes, clusters,
                                   trends, areas, inputs)


def _trends(cols: dict[str, np.ndarray], hidden: np.ndarray, ind: np.ndarray, per: np.ndarray,
            pos: np.ndarray, meta: IndicatorMeta, clusters: pd.Index) -> pd.DataFrame:
    """Recent trend of every cluster and the county (stats.trend), one row per series."""
    n_ind, n_cl = len(meta.ids), len(clusters)
    series = ind * (n_cl + 1) + pos
    column = meta.position[ind, per]
    shape = (n_ind * (n_cl + 1), max(int(meta.n_periods.max(initial=0)), 1))

    def matrix(values: np.ndarray, fill: object = np.nan) -> np.ndarray:
        out = np.full(shape, fill, dtype=np.asarray(values).dtype)
        out[series, column] = values
        return out

    finite = ~hidden & np.logical_and.reduce(
        [np.isfinite(cols[c]) for c in ("numerator", "denominator", "value", "lower95",
                                        "upper95")])
    kinds = np.array(KINDS, dtype=object)[meta.kind]
    method = np.repeat([METHOD_OF_TYPE.get(k, NO_METHOD) for k in kinds], n_cl + 1)
    code, reason, _ = recent_trends(
        method, matrix(cols["value"]), matrix(cols["numerator"]), matrix(cols["denominator"]),
        matrix(cols["lower95"]), matrix(cols["upper95"]), matrix(np.ones(ind.size, bool), False),
        matrix(finite, False))
    return pd.DataFrame({
        "indicator_id": np.repeat(np.array(meta.ids, dtype=object), n_cl + 1),
        "level": np.tile(np.array(["cluster"] * n_cl + ["county"], dtype=object), n_ind),
        "code": np.tile(np.array([*clusters, COUNTY], dtype=object), n_ind),
        "trend": np.array([c.value for c in TREND_CODES], dtype=object)[code],
        "method": np.array(METHODS, dtype=object)[method],
        "reason": np.array(REASONS, dtype=object)[reason]})
