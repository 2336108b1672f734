"""Custom areas beside the clusters: the same sums, intervals, comparisons and trends, and
only figures made of what the tables publish already.

A custom area's statistics are a cluster's: its small areas are summed by
desktop.core.stats.aggregate.compute_statistics, run on the bundle with the custom area as its
only cluster, so every value type (standardised rates, means with a spread) and every
comparison works exactly as for a cluster, and a custom area made of one cluster's areas gives
that cluster's profile. The result joins the bundle's own statistics as one more cluster
(`Statistics.with_clusters_of`), judged against the same county, so the profile, the charts,
the tartan rug and the Word export show it like any cluster.

Disclosure: anyone can draw any custom area, so a custom area must never print a count the
published tables do not give already; otherwise two custom areas differing by one hidden area
would reveal it. A custom area's count of an indicator and period is shown only when it holds
every pool of hidden areas it touches whole (desktop.core.stats.pools): it is then the sum of
shown areas and pools' published totals. It is hidden besides when that count is from 1 to
the threshold (or, for an indicator with the complement rule, its complement is). Hidden
custom rows read [c] and are not compared, and their trends leave them out, as a cluster's do.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd

from desktop.core.model import CUSTOM_AREAS, Bundle, ValueType
from desktop.core.stats.aggregate import compute_statistics
from desktop.core.stats.custom_areas import CustomArea
from desktop.core.stats.linked import UNLINKED, HiddenParts
from desktop.core.stats.meta import COUNTED, KINDS
from desktop.core.stats.pooling import Pooled
from desktop.core.stats.pools import hidden_pools
from desktop.core.stats.suppression import complement_mask, primary_mask
from desktop.core.stats.table import Statistics
from desktop.core.tasks import Task


def hidden_cells(bundle: Bundle, stats: Statistics, area: CustomArea
                 ) -> dict[tuple[str, str], bool]:
    """(indicator id, period) -> whether the custom area's count must be hidden, for every
    counted indicator and period (see the module docstring)."""
    members = bundle.areas["area_code"].isin(area.area_codes).to_numpy(bool)
    out = {}
    for ind in bundle.manifest.indicators:
        if not COUNTED[KINDS.index(ValueType(ind.value_type).value)]:
            continue
        threshold = bundle.manifest.threshold_for(ind)
        for period in stats.periods(ind.id):
            pools = hidden_pools(bundle, stats, ind.id, period)
            count = pools.count(members)
            if np.isnan(count):  # not made of published figures alone
                out[(ind.id, period)] = True
                continue
            hidden = bool(primary_mask(np.array([count]), threshold)[0])
            if ind.disclosure_complement and ind.value_type is ValueType.PROPORTION:
                den = np.nansum(stats.area_inputs(ind.id, period)["denominator"][members])
                hidden |= bool(complement_mask(np.array([count]), np.array([den]), threshold,
                                               True)[0])
            out[(ind.id, period)] = hidden
    return out


def custom_statistics(bundle: Bundle, stats: Statistics, area: CustomArea,
                      trends: pd.DataFrame | None = None) -> Statistics:
    """The statistics of a bundle whose only cluster is `area` (its other areas in no
    cluster), suppressed as the module docstring says; its county is the bundle's. `trends`:
    the area's trends to keep instead of testing these periods (pooled periods)."""
    members = bundle.areas["area_code"].isin(area.area_codes).to_numpy(bool)
    manifest = bundle.manifest
    open_manifest = dataclasses.replace(  # the rule below decides alone what is hidden
        manifest, disclosure_threshold=0,
        indicators=tuple(dataclasses.replace(i, disclosure_threshold=0,
                                             disclosure_complement=False)
                         for i in manifest.indicators))
    own = dataclasses.replace(
        bundle, manifest=open_manifest,
        areas=bundle.areas.assign(cluster=np.where(members, area.name, None)),
        clusters=pd.DataFrame({"cluster": [area.name], "description": [""]}),
        flows=None, school_pupils=None, extras={})
    forced = {key: np.array([hidden, False]) for key, hidden in
              hidden_cells(bundle, stats, area).items()}
    parts = HiddenParts(np.full(len(bundle.values), UNLINKED), forced_aggregates=forced)
    return compute_statistics(own, parts=parts, trends=trends)


def with_custom_areas(bundle: Bundle, stats: Statistics, areas: list[CustomArea],
                      task: Task | None = None, trends: pd.DataFrame | None = None
                      ) -> tuple[Bundle, Statistics]:
    """The bundle and statistics with each custom area listed after the clusters, as a
    cluster (Bundle.custom_areas names their areas); unchanged without custom areas.
    `trends`: trends to keep for the custom areas (rows whose code is an area's name) instead
    of testing these periods."""
    task = task or Task()
    if not areas:
        return bundle, stats
    joined = stats
    for k, area in enumerate(areas):
        task.report(k / len(areas), f"Summing {area.name}")
        kept = None if trends is None else trends[trends["code"] == area.name]
        joined = joined.with_clusters_of(custom_statistics(bundle, stats, area, kept))
    described = pd.DataFrame({
        "cluster": [a.name for a in areas],
        "description": [f"Custom area of {len(a.area_codes):,} small areas" for a in areas]})
    view = dataclasses.replace(
        bundle, clusters=pd.concat([bundle.clusters, described], ignore_index=True),
        extras={**bundle.extras, CUSTOM_AREAS: {a.name: a.area_codes for a in areas}})
    task.report(1.0, "Custom areas ready")
    return view, joined


def pool_with_custom_areas(pooled: Pooled, shown: tuple[Bundle, Statistics],
                           task: Task | None = None) -> Pooled:
    """Periods pooled beside custom areas. `pooled`: the bundle as opened, pooled
    (stats.pooling.pool_periods; a caller that keeps it pools once however often custom areas
    change); `shown`: the bundle as opened with its custom areas (with_custom_areas).

    Each custom area is summed from the pooled areas and suppressed by this module's rule against the pooled tables: a pooled
    count is shown only when it is made of published pooled figures, as a single period's is
    of published single ones, so neither table nor their difference tells anything new. The
    custom areas keep their single periods' trends, as pooled clusters do. (Pooling the
    bundle with its custom areas as clusters would be wrong: no area is in a custom area's
    `cluster`, so its pooled sum would be empty and the linked suppression of stats.pooling
    could never hide it.)"""
    bundle, stats = shown
    areas = [CustomArea(name, codes) for name, codes in bundle.custom_areas.items()]
    view, joined = with_custom_areas(pooled.bundle, pooled.statistics, areas, task,
                                     trends=stats.trends)
    return dataclasses.replace(pooled, bundle=view, statistics=joined)
