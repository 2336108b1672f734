"""The benchmark of a cluster compared with its similar clusters: their pooled value.

A cluster's similar clusters (stats.neighbours; the comparison's `Peers`) are pooled as if they
were one group, from what they publish, never by averaging their values:

- proportions and rates: their counts and denominators summed (sum x / sum n x multiplier);
- indirectly standardised ratios: their observed and expected counts summed;
- directly standardised rates: their events and populations summed age band by age band, then
  standardised (stats.standardised);
- means and scores: the mean of their values weighted by their denominators (1 each where a
  cluster has none), as the county is made from its areas;
- counts: none (a count depends on the size of the group).

The pool is given only when every similar cluster has a value that is shown: a suppressed
similar cluster would otherwise be the pool less the others. Arrays in, arrays out.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from desktop.core.stats.comparison import Peers
from desktop.core.stats.meta import DSR, ISR, MEAN, PROPORTION, RATE, SCORE, IndicatorMeta
from desktop.core.stats.standardised import AgeBands

CLUSTER_LEVEL = 1  # Statistics' level code of cluster rows


def peer_matrix(peers: Peers, clusters: pd.Index) -> np.ndarray:
    """M[i, j] = 1 when cluster j is one of cluster i's similar clusters (display order)."""
    matrix = np.zeros((len(clusters), len(clusters)))
    for name, group in zip(peers.clusters, peers.groups):
        i = clusters.get_indexer([name])[0]
        found = clusters.get_indexer(list(group))
        if i >= 0 and group:
            matrix[i, found[found >= 0]] = 1.0
    return matrix


def peer_benchmarks(peers: Peers, rows: np.ndarray, cols: Mapping[str, np.ndarray],
                    keys: Mapping[str, np.ndarray], inputs: Mapping[str, np.ndarray],
                    meta: IndicatorMeta, clusters: pd.Index, bands: AgeBands | None
                    ) -> np.ndarray:
    """The pooled value of each aggregate row's similar clusters, for the rows `rows` of the
    Statistics' aggregate arrays (cols: the rows' statistics, suppressed ones blanked; keys:
    "ind", "ip", "level", "pos"; inputs: stats.estimates' COMPARISON_INPUTS). NaN for the
    county, for counts, for a cluster without similar clusters, and where one of them has no
    shown value."""
    rows = np.asarray(rows)
    out = np.full(rows.size, np.nan)
    cluster = keys["level"][rows] == CLUSTER_LEVEL
    if not cluster.any():
        return out
    rows_c = rows[cluster]
    ip, pos = keys["ip"][rows_c], keys["pos"][rows_c]
    codes, at = np.unique(ip, return_inverse=True)
    n_cl = len(clusters)

    def dense(values: np.ndarray) -> np.ndarray:
        grid = np.full((codes.size, n_cl), np.nan)
        grid[at, pos] = values[rows_c]
        return grid

    matrix = peer_matrix(peers, clusters)
    has_peers = matrix.sum(axis=1) > 0
    num, den, value = dense(cols["numerator"]), dense(cols["denominator"]), dense(cols["value"])

    def pooled(grid: np.ndarray) -> np.ndarray:
        return np.nan_to_num(grid) @ matrix.T

    missing = (np.isnan(value) | dense(np.asarray(cols["suppressed"], float)).astype(bool)
               ) @ matrix.T > 0
    kind = meta.kind[codes // len(meta.all_periods)][:, None]
    multiplier = meta.multiplier[codes // len(meta.all_periods)][:, None]
    with np.errstate(invalid="ignore", divide="ignore"):
        weight = np.where(np.isfinite(den) & (den > 0), den, 1.0)
        grid = np.select(
            [np.isin(kind, (PROPORTION, RATE)), kind == ISR, np.isin(kind, (MEAN, SCORE))],
            [pooled(num) / pooled(den) * multiplier,
             pooled(num) / pooled(dense(inputs["expected"])) * multiplier,
             pooled(value * weight) / pooled(np.where(np.isnan(value), 0.0, weight))],
            np.nan)
    if bands:
        dsr = np.flatnonzero((kind[:, 0] == DSR) & np.isin(codes, list(bands.compact)))
        if dsr.size:
            grid[dsr] = bands.pooled_values(codes[dsr], matrix)
    grid[missing | ~has_peers[None, :]] = np.nan
    out[cluster] = grid[at, pos]
    return out
