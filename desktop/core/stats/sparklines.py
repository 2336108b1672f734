"""The values of every indicator over its periods for one cluster, for the profile's
sparklines: computed once per cluster from the statistics table, in one pass.

Suppressed values are NaN in the statistics table already, so a sparkline can never show a
number that the table hides; it simply has a gap there.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from desktop.core.model import Bundle
from desktop.core.stats.aggregate import Statistics


def cluster_sparklines(bundle: Bundle, stats: Statistics, cluster: str
                       ) -> dict[str, np.ndarray]:
    """{indicator_id: values over the indicator's periods, oldest first} for a cluster;
    only indicators with two or more periods (one point is no line)."""
    table = stats.aggregate_table  # cluster and county rows: no area statistics computed
    rows = table[(table["level"] == "cluster") & (table["code"] == cluster)]
    # one dict, not a MultiIndex per indicator: 250 reindexes held the GUI thread for 0.5 s
    lookup = dict(zip(zip(rows["indicator_id"].astype(str), rows["period"].astype(str)),
                      rows["value"].to_numpy(dtype=float)))
    out: dict[str, np.ndarray] = {}
    for indicator in bundle.manifest.indicators:
        periods = stats.periods(indicator.id)
        if len(periods) < 2:
            continue
        out[indicator.id] = np.array([lookup.get((indicator.id, p), np.nan) for p in periods],
                                     dtype=float)
    return out


def with_sparklines(profile: pd.DataFrame, sparklines: dict[str, np.ndarray]) -> pd.DataFrame:
    """The profile with a "sparkline" column (an array or None per row) for the table."""
    return profile.assign(sparkline=[sparklines.get(i) for i in profile["indicator_id"]])
