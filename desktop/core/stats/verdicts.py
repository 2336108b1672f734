"""The verdict of every cluster for one Comparison (stats.comparison): better, similar, worse
(or higher, lower), or not compared.

Against the county, the county value is compared with the cluster's interval at the chosen
level, as Fingertips does. Against the rest of the county, the cluster and the county less the
cluster are compared as two independent samples (stats.two_sample), the method chosen by the
value type. Against similar clusters, the pooled value of each cluster's similar clusters
(stats.peer_benchmark) is compared with the cluster's interval, as the county is. Counts,
suppressed clusters and clusters of a suppressed county are not compared. Computed from the
aggregate rows held by Statistics, once per comparison and then kept.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from desktop.core.stats import two_sample
from desktop.core.stats.area_stats import NOT_COMPARED, significance
from desktop.core.stats.comparison import COUNTY, SIMILAR, Comparison
from desktop.core.stats.intervals import significance_codes
from desktop.core.stats.means import SD, SE
from desktop.core.stats.meta import DSR, ISR, PROPORTION, RATE, IndicatorMeta
from desktop.core.stats.peer_benchmark import peer_benchmarks
from desktop.core.stats.standardised import AgeBands

CLUSTER_LEVEL, COUNTY_LEVEL = 1, 2  # Statistics' level codes of aggregate rows


def cluster_verdicts(comparison: Comparison, cols: Mapping[str, np.ndarray],
                     keys: Mapping[str, np.ndarray], inputs: Mapping[str, np.ndarray],
                     spread_kind: np.ndarray, meta: IndicatorMeta,
                     clusters: pd.Index | None = None, bands: AgeBands | None = None
                     ) -> np.ndarray:
    """Significance codes of the aggregate rows (clusters and the county) for `comparison`.

    cols: the rows' statistics (suppressed rows blanked) with "suppressed"; keys: "ind",
    "ip", "level" and "pos" per row; inputs: the two-sample inputs of stats.estimates;
    spread_kind: stats.means kind per indicator; clusters (display order) and the age bands:
    what the similar clusters' pool needs.
    """
    ind, ip, level = keys["ind"], keys["ip"], keys["level"]
    hidden = np.asarray(cols["suppressed"], bool)
    if comparison.against == SIMILAR:
        rows = np.arange(ind.size)
        benchmark = peer_benchmarks(comparison.peers, rows, cols, keys, inputs, meta,
                                    clusters, bands)
        return significance(cols, hidden, ind, rows, level == CLUSTER_LEVEL, benchmark, meta,
                            comparison.limits)
    county = level == COUNTY_LEVEL
    county_row = np.full(int(ip.max(initial=-1)) + 1, -1)
    county_row[ip[county]] = np.flatnonzero(county)
    if comparison.against == COUNTY:
        county_value = np.full(county_row.size, np.nan)
        county_value[ip[county]] = cols["value"][county]
        return significance(cols, hidden, ind, ip, level == CLUSTER_LEVEL, county_value, meta,
                            comparison.limits)
    rows = np.flatnonzero((level == CLUSTER_LEVEL) & ~hidden)
    whole = county_row[ip[rows]]
    rows, whole = rows[whole >= 0], whole[whole >= 0]
    rows, whole = rows[~hidden[whole]], whole[~hidden[whole]]
    direction = np.full(ind.size, np.nan)
    direction[rows] = _directions(comparison.fraction, meta.kind[ind[rows]],
                                  spread_kind[ind[rows]], cols, inputs, rows, whole)
    codes = significance_codes(direction, meta.polarity[ind])
    codes[level != CLUSTER_LEVEL] = NOT_COMPARED
    return codes


def _directions(confidence: float, kind: np.ndarray, spread: np.ndarray,
                cols: Mapping[str, np.ndarray], inputs: Mapping[str, np.ndarray],
                rows: np.ndarray, whole: np.ndarray) -> np.ndarray:
    """+1 / -1 / 0 / NaN of each cluster row against the rest of its county row."""
    out = np.full(rows.size, np.nan)
    num, den = cols["numerator"], cols["denominator"]

    def pick(mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return rows[mask], whole[mask]

    r, w = pick(kind == PROPORTION)
    lower, upper = two_sample.newcombe_difference(num[r], den[r], num[w] - num[r],
                                                  den[w] - den[r], confidence)
    out[kind == PROPORTION] = two_sample.direction(lower, upper, 0.0)
    r, w = pick(kind == RATE)
    lower, upper = two_sample.rate_ratio_exact(num[r], den[r], num[w] - num[r],
                                               den[w] - den[r], confidence)
    out[kind == RATE] = two_sample.direction(lower, upper, 1.0)
    r, _ = pick(kind == ISR)
    lower, upper = two_sample.rate_ratio_exact(num[r], inputs["expected"][r],
                                               inputs["rest_count"][r],
                                               inputs["rest_expected"][r], confidence)
    out[kind == ISR] = two_sample.direction(lower, upper, 1.0)
    estimate = (cols["value"], inputs["variance"], inputs["rest_value"],
                inputs["rest_variance"])
    r, _ = pick(kind == DSR)
    out[kind == DSR] = two_sample.log_ratio_direction(*(a[r] for a in estimate), confidence)
    r, _ = pick(spread == SE)
    out[spread == SE] = two_sample.z_direction(*(a[r] for a in estimate), confidence)
    r, _ = pick(spread == SD)
    out[spread == SD] = two_sample.welch_direction(
        cols["value"][r], inputs["variance"][r], inputs["n_values"][r],
        inputs["rest_value"][r], inputs["rest_variance"][r], inputs["rest_n_values"][r],
        confidence)
    return out
