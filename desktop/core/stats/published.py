"""What the statistics publish about one counted indicator, as a Publication to audit.

Every count-based number the window and the exports show comes from the same rows: each area's,
each cluster's and the county's count (on the map, in hover texts, the profile, the charts and
their tables), with its denominator beside it. The attacker is assumed to know every shown count
exactly (a value with its interval gives the count away) and every denominator, and that
clusters are the sums of their areas and the county the sum of the clusters and the areas in no
cluster; a proportion's count is at most its denominator.

A table is one period of an indicator, or one window of pooled periods (stats.pooling). Cells
carry their true counts, summed from the areas as the statistics sum them: the audit never
reads a hidden one, but proofs that start from the true counts do (desktop.core.disclosure.
certify; stats.pooled_disclosure).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from desktop.core.disclosure.publication import Publication, PublicationBuilder
from desktop.core.disclosure.rule import required_width
from desktop.core.model import Bundle, Indicator, ValueType
from desktop.core.stats.table import Statistics

COUNTED = (ValueType.PROPORTION, ValueType.RATE, ValueType.COUNT)


def is_counted(indicator: Indicator) -> bool:
    """Whether the indicator's numbers are counts that suppression protects."""
    return ValueType(indicator.value_type) in COUNTED


@dataclass(frozen=True, eq=False)
class Codes:
    """The areas, clusters and county of a bundle numbered as one, as Statistics.suppressed
    numbers them: areas in bundle order, then clusters in display order, then the county.
    `cluster_of`: each area's cluster position, -1 for an area in no cluster (it counts towards
    the county directly)."""

    cluster_of: np.ndarray
    n_clusters: int
    labels: tuple[str, ...]

    @classmethod
    def of(cls, bundle: Bundle) -> Codes:
        clusters = pd.Index([str(c) for c in bundle.cluster_names])
        home = bundle.areas["cluster"].astype(object)
        cluster_of = clusters.get_indexer([None if pd.isna(c) else str(c) for c in home])
        labels = (*(f"area {a}" for a in bundle.areas["area_code"].astype(str)),
                  *(f"cluster {c}" for c in clusters), "the county")
        return cls(cluster_of, len(clusters), labels)

    @property
    def n_areas(self) -> int:
        return int(self.cluster_of.size)

    @property
    def n(self) -> int:
        return self.n_areas + self.n_clusters + 1

    @property
    def parent(self) -> np.ndarray:
        """The code each code is a part of: an area's cluster (or the county), a cluster's
        county; -1 for the county."""
        county = self.n - 1
        areas = np.where(self.cluster_of >= 0, self.n_areas + self.cluster_of, county)
        return np.concatenate([areas, np.full(self.n_clusters, county), [-1]])


def add_table(builder: PublicationBuilder, codes: Codes, stats: Statistics,
              indicator: Indicator, period: str, threshold: float) -> np.ndarray:
    """One indicator-period's cells (every area that enters the sums, every cluster and the
    county that have one) and their sums, in the builder's current table; the cell of each
    code, -1 for none."""
    inputs = stats.area_inputs(indicator.id, period)
    member = np.asarray(inputs["member"], dtype=bool)
    count = np.where(member, inputs["numerator"], 0.0)
    den = np.where(member, inputs["denominator"], np.nan)
    slot = np.where(codes.cluster_of >= 0, codes.cluster_of, codes.n_clusters)

    def by_slot(weights: np.ndarray) -> np.ndarray:
        per_slot = np.bincount(slot, weights, minlength=codes.n_clusters + 1)
        return np.append(per_slot[:-1], per_slot.sum())  # clusters, then the county

    present = np.concatenate([member, by_slot(member.astype(float)) > 0])
    has_den = ~np.isnan(den)
    dens = np.where(has_den, den, 0.0)
    proportion = ValueType(indicator.value_type) is ValueType.PROPORTION
    upper = np.where(proportion & np.concatenate([has_den, by_slot(has_den * 1.0) > 0]),
                     np.concatenate([dens, by_slot(dens)]), np.inf)
    where = np.flatnonzero(present)
    cell = np.full(codes.n, -1, dtype=np.int64)
    cell[where] = builder.add_cells(
        np.concatenate([count, by_slot(count)])[where],
        stats.suppressed(indicator.id, period)[where],
        [f"{indicator.id} {period}, {codes.labels[k]}" for k in where], upper=upper[where],
        protect=required_width(threshold, upper[where]))
    parent = codes.parent
    part = np.flatnonzero(present & (parent >= 0))
    totals = np.unique(parent[part])
    builder.add_sums(cell[totals], cell[part], np.searchsorted(totals, parent[part]))
    return cell


def hierarchy_publication(bundle: Bundle, stats: Statistics, indicator: Indicator,
                          period: str) -> Publication:
    """Areas, clusters and the county of one counted indicator and period, with their sums."""
    return hierarchy_builder(bundle, stats, indicator, period)[0].build()


def hierarchy_builder(bundle: Bundle, stats: Statistics, indicator: Indicator, period: str
                      ) -> tuple[PublicationBuilder, np.ndarray]:
    """The cells and sums of `hierarchy_publication`, still open for more tables that cut
    across them, and each area's cell (bundle order; -1 for an area with no count)."""
    builder = PublicationBuilder()
    builder.table(f"{indicator.title} ({indicator.id}), {period}")
    codes = Codes.of(bundle)
    cell = add_table(builder, codes, stats, indicator, period,
                     bundle.manifest.threshold_for(indicator))
    return builder, cell[:codes.n_areas]


def hierarchy_publications(bundle: Bundle, stats: Statistics) -> list[Publication]:
    """One Publication per counted indicator and period of the bundle."""
    return [hierarchy_publication(bundle, stats, ind, period)
            for ind in bundle.manifest.indicators if is_counted(ind)
            for period in stats.periods(ind.id)]
