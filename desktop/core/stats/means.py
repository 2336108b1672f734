"""Intervals for means and scores, from a standard deviation or a standard error per area.

A values row of a mean or score may carry `sd`, the standard deviation of the individual
values behind the area's mean (its denominator is then the number of values), or `se`, the
standard error of the area's value (its denominator, if any, is the weight). One indicator uses
one of the two (docs/input-format.md); without either, means and scores have no interval and
are not compared, as before.

- sd: the area's interval is Student's t, mean +- t(n-1) sd / sqrt(n), as PHEindicatormethods'
  phe_mean. Areas add up exactly: from n, n x mean and (n-1) sd^2 + n mean^2 summed over the
  areas, the cluster's (or the county's) mean and standard deviation are those of all its
  individual values together, so its interval is phe_mean's over the pooled values.
- se: the area's interval is mean +- z se. A cluster's value is the weighted mean
  sum(w m) / sum(w) of its areas, whose standard error, the areas being independent, is
  sqrt(sum(w^2 se^2)) / sum(w); its interval is value +- z SE.

The sums are kept per cluster and for the county, so "the rest of the county" is the county's
sums minus the cluster's (for stats.two_sample).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from desktop.core.stats.intervals import as_fraction, z_value
from desktop.core.stats.meta import WEIGHTED, IndicatorMeta

NO_SPREAD, SD, SE = range(3)  # what an indicator's rows carry
SPREAD_NAMES = {SD: "sd", SE: "se"}
LEVELS = ((0.95, "lower95", "upper95"), (0.998, "lower998", "upper998"))


def spread_kinds(values: pd.DataFrame, meta: IndicatorMeta) -> np.ndarray:
    """NO_SPREAD, SD or SE per indicator position: what its rows carry (means and scores only;
    a bundle made by hand that gives both uses sd)."""
    kinds = np.full(len(meta.ids), NO_SPREAD, dtype=np.int8)
    for kind in (SE, SD):  # SD last: it wins where both are given
        name = SPREAD_NAMES[kind]
        if name not in values.columns:
            continue
        given = values.loc[values[name].notna(), "indicator_id"].astype(str).unique()
        positions = pd.Index(meta.ids).get_indexer(pd.Index(given))
        kinds[positions[positions >= 0]] = kind
    return np.where(WEIGHTED[meta.kind], kinds, NO_SPREAD).astype(np.int8)


def row_terms(kind: int, value: np.ndarray, weight: np.ndarray, spread: np.ndarray
              ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The three additive terms of each area row: (w, w x mean, spread term), where w is the
    count n (sd) or the weight (se) and the spread term (n-1) sd^2 + n mean^2 or w^2 se^2.
    NaN where the row lacks a number it needs."""
    if kind == SD:
        return weight, weight * value, (weight - 1.0) * spread * spread + weight * value * value
    return weight, weight * value, weight * weight * spread * spread


def from_sums(kind: int, w: np.ndarray, wm: np.ndarray, term: np.ndarray
              ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(mean, variance of the mean, number of values) of groups from their summed terms; the
    number of values is NaN for se (a normal interval)."""
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = wm / w
        if kind == SD:
            variance = np.maximum(term - w * mean * mean, 0.0) / (w - 1.0) / w
            return mean, np.where(w > 1, variance, np.nan), w
        return mean, term / (w * w), np.full(np.shape(w), np.nan)


def limits(mean: np.ndarray, variance: np.ndarray, n_values: np.ndarray, confidence: float
           ) -> tuple[np.ndarray, np.ndarray]:
    """mean +- t(n-1) (or z where n is NaN) x sqrt(variance)."""
    from scipy import stats as sp

    level = as_fraction(confidence)
    with np.errstate(invalid="ignore"):
        t = sp.t.ppf(level + (1.0 - level) / 2.0, np.where(n_values > 1, n_values - 1, np.nan))
    factor = np.where(np.isnan(n_values), z_value(confidence), t)
    half = factor * np.sqrt(variance)
    return mean - half, mean + half


def area_intervals(kind: int, value: np.ndarray, weight: np.ndarray, spread: np.ndarray,
                   cols: dict[str, np.ndarray], rows: np.ndarray) -> None:
    """Fill both intervals of area `rows` (in place) from their own sd or se."""
    w, wm, term = row_terms(kind, value, weight if kind == SD else np.ones_like(value), spread)
    mean, variance, n = from_sums(kind, w, wm, term)
    for confidence, lo, hi in LEVELS:
        cols[lo][rows], cols[hi][rows] = limits(mean, variance, n, confidence)


class GroupSpreads:
    """The summed terms of every cluster and the county for the indicators with a spread,
    filled one indicator-period at a time; rows are indicator-period codes, columns slots
    (clusters, then the areas in no cluster), as in aggregate's sums."""

    def __init__(self, n_ip: int, n_slots: int) -> None:
        self.sums = np.zeros((3, n_ip, n_slots))
        self.incomplete = np.zeros((n_ip, n_slots), bool)  # a member without its spread

    def add(self, ip: int, slot: np.ndarray, kind: int, value: np.ndarray, weight: np.ndarray,
            spread: np.ndarray, weighted: bool) -> None:
        """Add the area rows of one indicator-period (weighted: it gives denominators)."""
        member = ~np.isnan(value)
        w = weight if (kind == SD or weighted) else np.ones_like(value)
        terms = row_terms(kind, value[member], w[member], spread[member])
        complete = np.isfinite(terms[0]) & np.isfinite(terms[2])
        n_slots = self.sums.shape[2]
        for k, term in enumerate(terms):
            self.sums[k, ip] = np.bincount(slot[member][complete], term[complete],
                                           minlength=n_slots)
        self.incomplete[ip] = np.bincount(slot[member][~complete], minlength=n_slots) > 0

    def group(self, kind: np.ndarray, ip: np.ndarray, slot: np.ndarray | None,
              minus: np.ndarray | None = None) -> dict[str, np.ndarray]:
        """mean, variance and n_values of groups: a cluster (slot), the county (slot None) or
        the county less a cluster (slot None, minus the cluster's slot); NaN for groups with
        an incomplete member and for rows whose indicator has no spread."""
        sums = self.sums[:, ip].sum(axis=2) if slot is None else self.sums[:, ip, slot]
        broken = self.incomplete[ip].any(axis=1) if slot is None else self.incomplete[ip, slot]
        if minus is not None:
            sums = sums - self.sums[:, ip, minus]
        out = {"mean": np.full(ip.size, np.nan), "variance": np.full(ip.size, np.nan),
               "n_values": np.full(ip.size, np.nan)}
        for k in (SD, SE):
            rows = np.flatnonzero((kind == k) & ~broken)
            mean, variance, n = from_sums(k, *(s[rows] for s in sums))
            out["mean"][rows], out["variance"][rows], out["n_values"][rows] = mean, variance, n
        return out
