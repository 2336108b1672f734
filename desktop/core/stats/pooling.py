"""Pooled periods, as Fingertips pools small numbers: several periods of an indicator combined
into one, so that areas too small to show in one period can be shown over several.

`pool_periods(bundle, statistics, n)` combines each indicator's latest n periods, and the n
before them, and so on: windows that do not overlap, so no event is counted twice. Each area's
numerators and denominators are summed over its window first; means and scores are averaged
weighted by their denominators (1 where missing), as aggregation does across areas. An area
missing a period adds the periods it has, as a cluster adds the areas it has, so every pooled
cell, from an area to the county, is the sum of its single periods. The pooled values then go
through the very pipeline of the single periods (aggregate.compute_statistics): sums to
clusters and the county, intervals, significance and suppression. Pooled and single periods are
published together, so the pooled suppression respects the single periods' (stats.linked): no
pooled value minus single-period values can reveal a hidden count.

A window reads "2021/22 - 2023/24 combined"; an indicator with fewer periods than n pools all
it has, and one with a single period keeps it as it is.

Trends are not tested on pooled windows: six periods pooled in threes give two windows, too
few to test, and rolling windows would count each event up to n times. Pooled statistics keep
the single periods' trends.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from desktop.core.model import Bundle, ValueType
from desktop.core.stats import linked
from desktop.core.stats.aggregate import Statistics, compute_statistics
from desktop.core.stats.linked import HiddenParts
from desktop.core.stats.pooled_disclosure import protect_windows, published_windows
from desktop.core.tasks import Task

COUNTED = (ValueType.PROPORTION, ValueType.RATE, ValueType.COUNT)  # what suppression hides
MAX_POOL = 5  # periods pooled at most: the trend window; beyond it a "period" says little
# The one pooling the product publishes (window and exports). Each pooling is protected together
# with the single periods, but two poolings are not protected against each other: a window of 3
# minus the window of 2 ending with it is one period alone, so a hidden count would show.
PUBLISHED_POOL = 3
Windows = Mapping[str, Mapping[str, tuple[str, ...]]]  # indicator -> pooled label -> periods


def pooled_label(periods: Sequence[str]) -> str:
    """"2021/22 - 2023/24 combined"; a single period is its own label."""
    if len(periods) == 1:
        return periods[0]
    return f"{periods[0]} - {periods[-1]} combined"


def period_windows(periods: Sequence[str], n: int) -> dict[str, tuple[str, ...]]:
    """Consecutive windows of n periods ending with the latest, oldest first, by label; an
    earlier remainder too short for a window is left out."""
    size = min(n, len(periods))
    windows = [tuple(periods[end - size:end]) for end in range(len(periods), size - 1, -size)
               ] if size else []
    return {pooled_label(w): w for w in reversed(windows)}


@dataclass(frozen=True, eq=False)
class Pooled:
    """Periods pooled in windows of n: a bundle whose indicators' periods are the windows'
    labels and whose values are pooled, and its statistics."""

    n: int
    bundle: Bundle
    statistics: Statistics
    windows: Windows

    def window_of(self, indicator_id: str, period: str) -> str | None:
        """The label of the window holding a single `period` (None: in no window)."""
        for label, periods in self.windows.get(indicator_id, {}).items():
            if period in periods:
                return label
        return None

    def windows_frame(self) -> pd.DataFrame:
        """One row per single period in a window: indicator_id, pooled_period, period."""
        rows = [(ind, label, period) for ind, windows in self.windows.items()
                for label, periods in windows.items() for period in periods]
        return pd.DataFrame(rows, columns=["indicator_id", "pooled_period", "period"])


def _sum_present(stack: np.ndarray) -> np.ndarray:
    """Sum over periods (axis 0), NaN where no period has a number."""
    total = np.nansum(stack, axis=0)
    return np.where(np.isnan(stack).all(axis=0), np.nan, total)


def pool_inputs(frames: Sequence[Mapping[str, np.ndarray]], value_type: ValueType,
                multiplier: float) -> dict[str, np.ndarray]:
    """One window's pooled numerator, denominator and value per area from the single
    periods' `Statistics.area_inputs`: sums over the periods where the area enters the sums,
    as clusters sum the areas that do. `member`: the area enters in at least one period;
    `parts`: how many of those single periods are suppressed."""
    members = np.stack([f["member"] for f in frames])
    stack = {c: np.where(members, np.stack([f[c] for f in frames]), np.nan)
             for c in ("numerator", "denominator", "value")}
    numerator = _sum_present(stack["numerator"])
    denominator = _sum_present(stack["denominator"])
    kind = ValueType(value_type)
    with np.errstate(invalid="ignore", divide="ignore"):
        if kind.is_weighted_mean:
            weight = np.where(members, np.where(np.isnan(stack["denominator"]), 1.0,
                                                stack["denominator"]), 0.0)
            value = (np.nansum(stack["value"] * weight, axis=0) / weight.sum(axis=0))
            numerator = np.full(numerator.shape, np.nan)
        elif kind.has_ratio:
            value = numerator / denominator * multiplier
        else:
            value = numerator
    parts = (members & np.stack([f["suppressed"] for f in frames])).sum(axis=0)
    return {"numerator": numerator, "denominator": denominator, "value": value,
            "member": members.any(axis=0), "parts": parts}


def _pooled_values(bundle: Bundle, statistics: Statistics, windows: Windows,
                   task: Task) -> tuple[pd.DataFrame, HiddenParts, dict]:
    """The values table of the windows, the hidden parts of each of its cells, and the row of
    each area in it by (indicator, window) (-1: no row)."""
    ids = [ind.id for ind in bundle.manifest.indicators]
    labels = list(dict.fromkeys(label for w in windows.values() for label in w))
    areas = pd.Index(bundle.areas["area_code"].astype(str).to_numpy())
    columns: dict[str, list[np.ndarray]] = {c: [] for c in (
        "numerator", "denominator", "value", "parts", "ind", "label", "area")}
    aggregates, rows_of, n_rows = {}, {}, 0
    for k, ind in enumerate(bundle.manifest.indicators):
        task.report(k / max(len(ids), 1), "Pooling periods")
        for label, periods in windows[ind.id].items():
            pooled = pool_inputs([statistics.area_inputs(ind.id, p) for p in periods],
                                 ind.value_type, ind.multiplier)
            member = pooled["member"]
            rows_of[(ind.id, label)] = np.where(member, n_rows + np.cumsum(member) - 1, -1)
            n_rows += int(member.sum())
            pooled.update(ind=np.full(member.size, k), area=np.arange(member.size),
                          label=np.full(member.size, labels.index(label)))
            for c, column in columns.items():
                column.append(pooled[c][member])
            aggregates[(ind.id, label)] = _flags(statistics, ind.id, periods)[:, len(areas):
                                                                               ].sum(axis=0)
    table = {c: np.concatenate(column) if column else np.zeros(0)
             for c, column in columns.items()}
    values = pd.DataFrame({
        "indicator_id": pd.Categorical.from_codes(table["ind"].astype(int), ids),
        "area_code": pd.Categorical.from_codes(table["area"].astype(int), areas),
        "period": pd.Categorical.from_codes(table["label"].astype(int), labels),
        **{c: table[c].astype(float) for c in ("numerator", "denominator", "value")}})
    return values, HiddenParts(table["parts"].astype(np.int64), aggregates), rows_of


def _flags(statistics: Statistics, indicator_id: str, periods: Sequence[str]) -> np.ndarray:
    """Suppressed flags of an indicator's cells, periods x codes (areas, clusters, county)."""
    return np.stack([statistics.suppressed(indicator_id, p) for p in periods])


class _Links:
    """The pooled cells hidden beyond the per-sum rules of stats.linked, so that no hidden
    count follows from the single and pooled tables together (linked.determined)."""

    def __init__(self, bundle: Bundle, parts: HiddenParts, rows_of: dict) -> None:
        self.parts, self.rows_of = parts, rows_of
        clusters = pd.Index(bundle.cluster_names)
        self.cluster_of = clusters.get_indexer(bundle.areas["cluster"].astype(object)
                                               .where(bundle.areas["cluster"].notna(), None))
        self.n_areas, self.n_clusters = self.cluster_of.size, len(clusters)
        self.forced_areas = np.zeros(parts.areas.size, bool)
        self.forced_aggregates: dict[tuple[str, str], np.ndarray] = {}

    def hidden_parts(self) -> HiddenParts:
        return dataclasses.replace(self.parts, forced_areas=self.forced_areas,
                                   forced_aggregates=self.forced_aggregates)

    def protect(self, single: Statistics, pooled: Statistics, indicator_id: str, label: str,
                periods: Sequence[str]) -> bool:
        """Hide more pooled cells of one window where hidden counts are determined; whether
        any was hidden (the window must then be checked again)."""
        shown = ~_flags(pooled, indicator_id, [label])[0]
        rows = self.rows_of[(indicator_id, label)]
        parts = np.concatenate([np.where(rows >= 0, self.parts.areas[rows], 0),
                                self.parts.aggregates[(indicator_id, label)]])
        if not (shown & (parts >= 2)).any():
            # every shown pooled cell is the sum of shown parts: it tells nothing new
            return False
        lost_single, lost_pooled = linked.determined(
            _flags(single, indicator_id, periods), ~shown, self.cluster_of, self.n_clusters)
        lost = np.flatnonzero(lost_single.any(axis=0) | lost_pooled)
        if lost.size == 0:
            return False
        hideable = shown & linked.may_hide(parts)
        count = np.concatenate([pooled.area_inputs(indicator_id, label)["numerator"],
                                pooled.cluster_values(indicator_id, label)["numerator"]
                                .to_numpy()])
        chosen = {self._choice(code, hideable, count) for code in lost} - {None}
        hide = np.zeros(shown.size, bool)
        hide[list(chosen)] = True
        self.force(indicator_id, label, hide)
        return bool(chosen)

    def force(self, indicator_id: str, label: str, hide: np.ndarray) -> None:
        """Hide the pooled cells of one window that `hide` flags (codes: areas, clusters,
        the county)."""
        rows = self.rows_of[(indicator_id, label)]
        areas = hide[:self.n_areas] & (rows >= 0)
        self.forced_areas[rows[areas]] = True
        if hide[self.n_areas:].any():
            self.forced_aggregates.setdefault(
                (indicator_id, label), np.zeros(self.n_clusters + 1, bool)
            )[hide[self.n_areas:]] = True

    def _choice(self, code: int, hideable: np.ndarray, count: np.ndarray) -> int | None:
        """The pooled cell to hide for a determined cell of `code`: its own pooled cell, else
        the smallest hideable area of its cluster (or of no cluster), its cluster, the county."""
        if hideable[code]:
            return code
        county = self.n_areas + self.n_clusters
        cluster = (self.cluster_of[code] if code < self.n_areas else
                   code - self.n_areas if code < county else -1)
        areas = np.flatnonzero((self.cluster_of == cluster) & hideable[:self.n_areas])
        ranked = [*areas[np.lexsort((count[areas], count[areas] == 0))],
                  *([self.n_areas + cluster] if cluster >= 0 else []), county]
        return next((int(c) for c in ranked if hideable[c]), None)


def pool_periods(bundle: Bundle, statistics: Statistics, n: int,
                 task: Task | None = None) -> Pooled:
    """Every indicator pooled in windows of n periods (see the module's docstring), with
    statistics computed, suppressed and linked to the single periods' `statistics`."""
    if not 1 <= n <= MAX_POOL:
        raise ValueError(f"periods are pooled in windows of 1 to {MAX_POOL}, not {n}")
    if bundle.custom_areas:
        # no area is in a custom area's `cluster`: its pooled sum would be empty, and the
        # linked suppression below would choose to hide it, round after round, forever
        raise ValueError("pool the bundle as opened and add its custom areas to the pooled "
                         "periods (custom_stats.pool_with_custom_areas)")
    task = task or Task()
    windows = {ind.id: period_windows(statistics.periods(ind.id), n)
               for ind in bundle.manifest.indicators}
    values, parts, rows_of = _pooled_values(bundle, statistics, windows,
                                            task.part(0.0, 0.2))
    manifest = dataclasses.replace(bundle.manifest, indicators=tuple(
        dataclasses.replace(ind, periods=tuple(windows[ind.id]))
        for ind in bundle.manifest.indicators))
    pooled_bundle = dataclasses.replace(bundle, manifest=manifest, values=values)
    links = _Links(bundle, parts, rows_of)
    # windows of counts whose hidden cells could combine (a single period is its own window)
    pending = [(ind.id, label, periods) for ind in bundle.manifest.indicators
               if ind.value_type in COUNTED for label, periods in windows[ind.id].items()
               if len(periods) > 1]
    steps = task.part(0.2, 0.4)
    while True:
        pooled = compute_statistics(pooled_bundle, steps, parts=links.hidden_parts(),
                                    trends=statistics.trends)
        steps = task.part(0.4, 0.45)  # rounds after the first are short and rare
        pending = [w for w in pending if links.protect(statistics, pooled, *w)]
        if not pending:
            break
    # then the width rule, window by window with its periods (stats.pooled_disclosure); the
    # cells it hides are forced, so the statistics hide at least them and the audit passes
    forced = protect_windows(published_windows(bundle, statistics, pooled, windows),
                             task.part(0.45, 0.95))
    if forced:
        for (indicator_id, label), hide in forced.items():
            links.force(indicator_id, label, hide)
        pooled = compute_statistics(pooled_bundle, task.part(0.95, 1.0),
                                    parts=links.hidden_parts(), trends=statistics.trends)
    return Pooled(n, pooled_bundle, pooled, windows)


@dataclass(frozen=True, eq=False)
class PublishedTables:
    """What is published together when periods are pooled, for a disclosure audit: both
    statistics tables (STAT_COLUMNS; suppressed cells blanked) and which single periods each
    pooled period sums. Every pooled cell (area, cluster or county) equals the sum of the
    same code's cells over its single periods; both tables sum areas to clusters and clusters
    (with the areas in no cluster) to the county."""

    single: pd.DataFrame
    pooled: pd.DataFrame
    windows: pd.DataFrame  # indicator_id, pooled_period, period


def published_tables(bundle: Bundle, statistics: Statistics, n: int,
                     task: Task | None = None) -> PublishedTables:
    """The single-period and pooled tables of a bundle, as published together."""
    pooled = pool_periods(bundle, statistics, n, task)
    return PublishedTables(statistics.table, pooled.statistics.table, pooled.windows_frame())


__all__ = ["MAX_POOL", "PUBLISHED_POOL", "Pooled", "PublishedTables", "period_windows", "pool_inputs",
           "pool_periods", "pooled_label", "published_tables"]
