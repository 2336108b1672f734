"""What the published tables tell about the hidden small areas of one indicator and period:
their pools.

Hidden areas whose nearest shown total is the same form a pool (desktop.core.stats.suppression
explains why suppression keeps them so): under a shown cluster, the cluster's hidden areas,
whose sum is the cluster less its shown areas; under a hidden cluster (or in no cluster), every
hidden area under the hidden clusters and in no cluster, whose sum is the county less every
shown cluster and every shown area beneath the county's hidden parts. Under a hidden county a
pool has no known sum. Denominators are published for every area, so a pool's denominator is
always known.

Anything made only from shown numbers and whole pools is made of published figures and can
reveal nothing new, however many such things are published: a custom area is shown only when it
holds each pool it touches whole (desktop.core.stats.custom_stats), and a school's profile
weighs a hidden area by its pool's rate (desktop.core.stats.school_profile). Built from the
statistics' public accessors, reading no hidden count, so it sees exactly what a reader sees.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from desktop.core.model import COUNTY, Bundle
from desktop.core.stats.table import Statistics

SHOWN = -1  # pool of an area that is shown (or has no value)


@dataclass(frozen=True, eq=False)
class Pools:
    """The pools of one indicator-period.

    pool: per area in bundle order, its pool's number, or SHOWN. total: per pool, the sum of
    its hidden counts (NaN when no shown total fixes it); denominator: the sum of its areas'
    denominators; size: its number of areas. shown: per area, its published count (NaN where
    hidden or missing).
    """

    pool: np.ndarray
    total: np.ndarray
    denominator: np.ndarray
    size: np.ndarray
    shown: np.ndarray

    def known(self, members: np.ndarray) -> bool:
        """Whether the areas marked in `members` hold every pool they touch whole, each of
        known sum: then their total count is made of published figures."""
        touched = np.unique(self.pool[members & (self.pool != SHOWN)])
        if touched.size == 0:
            return True
        whole = np.bincount(self.pool[members & (self.pool != SHOWN)],
                            minlength=self.size.size)[touched] == self.size[touched]
        return bool(whole.all() and np.isfinite(self.total[touched]).all())

    def count(self, members: np.ndarray) -> float:
        """The total count of the areas in `members` from published figures (NaN unless
        `known(members)`)."""
        if not self.known(members):
            return float("nan")
        touched = np.unique(self.pool[members & (self.pool != SHOWN)])
        return float(np.nansum(self.shown[members]) + self.total[touched].sum())


def hidden_pools(bundle: Bundle, stats: Statistics, indicator_id: str, period: str) -> Pools:
    """The pools of the hidden areas of one indicator and period (see the module docstring)."""
    areas = stats.area_inputs(indicator_id, period)  # the sums' own inputs: no intervals made
    levels = stats.cluster_values(indicator_id, period)
    hidden = areas["suppressed"]
    shown = np.where(hidden | ~areas["member"], np.nan, areas["numerator"])  # never a hidden one
    denominator = areas["denominator"]
    cluster = pd.Index(levels.index.drop(COUNTY)).get_indexer(
        bundle.areas["cluster"].astype(object).to_numpy())  # -1: in no cluster
    n_clusters = len(levels) - 1
    cl_hidden = levels["suppressed"].to_numpy(bool)[:n_clusters]
    cl_count = levels["numerator"].to_numpy(float)[:n_clusters]
    county_hidden = bool(levels.loc[COUNTY, "suppressed"])
    county_count = float(levels.loc[COUNTY, "numerator"])
    # pool of each hidden area: its own cluster's when the cluster is shown, else the county's
    own = (cluster >= 0) & ~cl_hidden[np.maximum(cluster, 0)]
    pool = np.where(hidden, np.where(own, cluster, n_clusters), SHOWN)
    in_own = np.bincount(np.where(own, cluster, n_clusters), np.nan_to_num(shown),
                         minlength=n_clusters + 1)
    total = np.full(n_clusters + 1, np.nan)
    total[:n_clusters] = np.where(cl_hidden, np.nan, cl_count - in_own[:n_clusters])
    if not county_hidden and np.isfinite(county_count):
        total[n_clusters] = (county_count - np.nansum(np.where(cl_hidden, 0.0, cl_count))
                             - in_own[n_clusters])
    counted = pool != SHOWN
    size = np.bincount(pool[counted], minlength=n_clusters + 1)
    den = np.bincount(pool[counted], np.nan_to_num(denominator[counted]),
                      minlength=n_clusters + 1)
    return Pools(pool.astype(np.int64), total, den, size, shown)
