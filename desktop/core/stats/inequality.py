"""Inequality across deprivation: an indicator by national IMD decile and its slope index of
inequality (stats.sii), for the county and for a cluster, for the inequalities view.

Small areas are grouped by their national IMD decile (the bundle's `imd_decile` indicator;
1 = the most deprived tenth of areas in England) and summed decile by decile exactly as areas
are summed into clusters: numerators and denominators for proportions and rates, sd or se
terms for means and scores, age bands for standardised rates. Each decile gets its value and
intervals by the indicator's own method. Counts are suppressed across everything the view
publishes (the county's deciles and every cluster's, beside the areas, clusters and county
already shown): stats.decile_disclosure. The SII runs from decile 1 to decile 10: a positive
SII means higher values in less deprived areas. A cluster gets one when its areas lie in at
least five deciles.
"""

from __future__ import annotations

import weakref
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from desktop.core.disclosure.publication import Publication
from desktop.core.errors import AtlasError
from desktop.core.model import COUNTY, Bundle, ValueType
from desktop.core.stats import means, sii
from desktop.core.stats.decile_disclosure import (
    N_DECILES,
    DecileCells,
    add_decile_cells,
    as_protected_as_alone,
    hide_decile_counts,
)
from desktop.core.stats.intervals import ci_for
from desktop.core.stats.meta import COUNTED, IndicatorMeta, key_codes
from desktop.core.stats.published import hierarchy_builder
from desktop.core.stats.standardised import VALUE_COLUMNS, AgeBands

if TYPE_CHECKING:
    from desktop.core.stats.table import Statistics

DECILE_INDICATOR = "imd_decile"
DECILE_COLUMNS = ("decile", "areas", "numerator", "denominator", *VALUE_COLUMNS, "suppressed",
                  "position")
SII_TYPES = {ValueType.PROPORTION: sii.PROPORTION, ValueType.RATE: sii.RATE,
             ValueType.DSR: sii.RATE, ValueType.ISR: sii.RATE, ValueType.MEAN: sii.NORMAL,
             ValueType.SCORE: sii.NORMAL}
NO_DECILE = N_DECILES  # the slot of areas of no known decile (or outside the group shown)
# the decile counts' suppression of each Statistics, by indicator, period and what pooling forces
_MASKS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


@dataclass(frozen=True)
class DecileInequality:
    """The indicator by decile (DECILE_COLUMNS, suppressed values blanked; `position` the
    midpoint of each decile's cumulative population share, 0 at the most deprived end) in
    `area` (COUNTY or a cluster's name) and its SII, or None with the reason it cannot be
    calculated; `start` is the fitted line's value at position 0, in the indicator's units."""

    indicator_id: str
    period: str
    deciles: pd.DataFrame
    result: sii.SiiResult | None
    reason: str = ""
    area: str = COUNTY
    start: float = float("nan")

    def fitted(self) -> np.ndarray:
        """The fitted line's value at each decile's position (NaN without an SII)."""
        if self.result is None:
            return np.full(len(self.deciles), np.nan)
        return self.start + self.result.sii * self.deciles["position"].to_numpy(float)


def area_deciles(bundle: Bundle) -> np.ndarray:
    """The national IMD decile of every area (NaN where unknown), from `imd_decile`."""
    try:
        indicator = bundle.manifest.indicator(DECILE_INDICATOR)
    except KeyError:
        raise AtlasError("This bundle has no IMD decile indicator (id imd_decile), so values "
                         "cannot be shown by deprivation decile.") from None
    values = bundle.values
    rows = ((values["indicator_id"] == indicator.id)
            & (values["period"] == indicator.latest_period)).to_numpy()
    codes = pd.Index(bundle.areas["area_code"].astype(str))
    found = codes.get_indexer(values.loc[rows, "area_code"].astype(str))
    deciles = np.full(len(codes), np.nan)
    deciles[found[found >= 0]] = values.loc[rows, "value"].to_numpy(float)[found >= 0]
    return np.where(np.isin(deciles, np.arange(1, 11)), deciles, np.nan)


@dataclass(frozen=True, eq=False)
class SinglePeriods:
    """What pooled statistics were pooled from: the single periods' bundle and statistics,
    and each indicator's windows (stats.pooling.Pooled.windows: label -> periods)."""

    bundle: Bundle
    statistics: Statistics
    windows: Mapping[str, Mapping[str, tuple[str, ...]]]


def inequality(bundle: Bundle, statistics: Statistics, indicator_id: str, period: str,
               cluster: str | None = None, confidence: tuple[float, ...] = (0.95, 0.998),
               single: SinglePeriods | None = None) -> DecileInequality:
    """The indicator by IMD decile in `period` in the county (or in `cluster`), and its SII
    and RII with simulated limits. For pooled statistics, `single` says what they were
    pooled from, so that no pooled decile count gives away a hidden single-period one."""
    meta = IndicatorMeta(bundle)
    indicator = bundle.manifest.indicator(indicator_id)
    kind = ValueType(indicator.value_type)
    decile = area_deciles(bundle)
    column = np.where(np.isnan(decile), NO_DECILE, decile - 1).astype(np.int64)
    in_group = np.ones(column.size, bool) if cluster is None else \
        (bundle.areas["cluster"] == cluster).fillna(False).to_numpy(bool)
    slot = np.where(in_group, column, NO_DECILE)
    frame, area = _rows(bundle, indicator_id, period)
    table = _by_decile(bundle, meta, indicator_id, period, kind, slot, frame, area)
    if COUNTED[meta.kind[meta.ids.index(indicator_id)]]:
        forced = None
        if single is not None and period in single.windows.get(indicator_id, {}):
            parts = [decile_masks(single.bundle, single.statistics, indicator, p, column)
                     for p in single.windows[indicator_id][period]]
            forced = tuple(np.sum([part[k] for part in parts], axis=0) == 1 for k in (0, 1))
        by_cluster, county = decile_masks(bundle, statistics, indicator, period, column, forced)
        table["suppressed"] = county if cluster is None else \
            by_cluster[bundle.cluster_names.index(cluster)]
    shown = table[table["areas"] > 0]
    table["position"] = np.nan
    result, reason, start = None, _why_not(kind, shown, cluster), np.nan
    if not reason:
        scale = indicator.multiplier if kind is ValueType.PROPORTION else 1.0
        result = sii.phe_sii(shown["denominator"].to_numpy(float),
                             shown["value"].to_numpy(float) / scale, SII_TYPES[kind],
                             lower=shown["lower95"].to_numpy(float) / scale,
                             upper=shown["upper95"].to_numpy(float) / scale,
                             multiplier=scale, confidence=confidence)
        table.loc[shown.index, "position"] = sii.positions(shown["denominator"].to_numpy(float))
        start = result.intercept * scale  # phe_sii's intercept is on the scale it was given
    hidden = table["suppressed"].to_numpy()
    table.loc[hidden, ["numerator", *VALUE_COLUMNS]] = np.nan
    return DecileInequality(indicator_id, period, table, result, reason,
                            COUNTY if cluster is None else cluster, start)


def _why_not(kind: ValueType, shown: pd.DataFrame, cluster: str | None) -> str:
    if kind not in SII_TYPES:
        return "no slope index for counts (a count depends on the size of each decile)"
    if len(shown) < sii.MIN_QUANTILES:
        where = "the county" if cluster is None else "the cluster"
        return (f"the areas of {where} lie in {len(shown)} decile{'s' * (len(shown) != 1)}: "
                f"a slope needs at least {sii.MIN_QUANTILES}")
    if shown["suppressed"].any():
        # the SII is linear in the deciles' values: with the others shown it would give away
        # a suppressed one
        return "a decile is suppressed for small numbers"
    finite = shown[["value", "lower95", "upper95", "denominator"]].notna().all(axis=None)
    if not finite:
        return "a decile has no value or no confidence interval"
    if kind is not ValueType.MEAN and kind is not ValueType.SCORE and \
            not (shown["lower95"] > 0).all():
        return "a decile's value or lower limit is 0, which the log or logit scale cannot take"
    return ""


def _rows(bundle: Bundle, indicator_id: str, period: str) -> tuple[pd.DataFrame, np.ndarray]:
    """The values rows of one indicator-period that belong to an area, and each one's area
    position in bundle order."""
    values = bundle.values
    rows = ((values["indicator_id"] == indicator_id) & (values["period"] == period)).to_numpy()
    codes, mapping = key_codes(values.loc[rows, "area_code"],
                               pd.Index(bundle.areas["area_code"].astype(str)))
    area = mapping[codes]
    keep = area >= 0
    return values.loc[rows].iloc[np.flatnonzero(keep)], area[keep]


def decile_masks(bundle: Bundle, statistics: Statistics, indicator, period: str,
                 column: np.ndarray, forced: tuple[np.ndarray, np.ndarray] | None = None
                 ) -> tuple[np.ndarray, np.ndarray]:
    """Which decile counts of every cluster (clusters x deciles) and of the county are
    suppressed, decided over every decile count the view publishes beside the areas,
    clusters and county (stats.decile_disclosure); `column` is each area's decile - 1
    (NO_DECILE when unknown). Kept per statistics: the audit behind it takes a second or
    two, and every cluster's view of the indicator-period shares it."""
    key = (indicator.id, period, None if forced is None else
           tuple(np.asarray(f, bool).tobytes() for f in forced))
    known = _MASKS.setdefault(statistics, {})
    if key not in known:
        publication, cells = decile_publication(bundle, statistics, indicator, period, column)
        masks = hide_decile_counts(publication, cells, forced)[:2]
        for mask in masks:
            mask.flags.writeable = False  # shared by every caller
        known[key] = masks
    return known[key]


def decile_publication(bundle: Bundle, statistics: Statistics, indicator, period: str,
                       column: np.ndarray) -> tuple[Publication, DecileCells]:
    """The areas, clusters and county of one counted indicator-period (stats.published) with
    the counts by decile the inequalities view adds, primary suppression only, and the
    width each hidden count must keep; every cell holds its true count (which the audit never
    reads for a hidden one), from which moves prove most of them protected."""
    builder, area_cell = hierarchy_builder(bundle, statistics, indicator, period)
    frame, area = _rows(bundle, indicator.id, period)
    n_areas = len(bundle.areas)
    count, upper = np.full(n_areas, np.nan), np.full(n_areas, np.inf)
    kind = ValueType(indicator.value_type)
    numerator = frame["numerator"].to_numpy(float)
    if kind is ValueType.COUNT:
        numerator = np.where(np.isnan(numerator), frame["value"].to_numpy(float), numerator)
    count[area] = numerator
    proportion = kind is ValueType.PROPORTION
    if proportion:
        upper[area] = np.nan_to_num(frame["denominator"].to_numpy(float), nan=np.inf)
    names = list(bundle.cluster_names)
    row = pd.Index(names).get_indexer(bundle.areas["cluster"].astype(object))
    row = np.where(row >= 0, row, len(names))
    hidden = statistics.suppressed(indicator.id, period)[:n_areas]
    cells = add_decile_cells(builder, area_cell, hidden, count, upper, row, column, names,
                             bundle.manifest.threshold_for(indicator),
                             proportion and indicator.disclosure_complement,
                             f"{indicator.title} ({indicator.id}), {period}")
    return as_protected_as_alone(builder.build(), cells), cells


def _by_decile(bundle: Bundle, meta: IndicatorMeta, indicator_id: str, period: str,
               kind: ValueType, slot: np.ndarray, frame: pd.DataFrame, area: np.ndarray
               ) -> pd.DataFrame:
    """Values and intervals of the ten deciles, summed from the areas (slot NO_DECILE left
    out)."""
    group = slot[area]
    num, den, val = (frame[c].to_numpy(float) for c in ("numerator", "denominator", "value"))
    if kind is ValueType.COUNT:
        num = np.where(np.isnan(num), val, num)
    table = pd.DataFrame({"decile": np.arange(1, N_DECILES + 1)})
    weighted = kind in (ValueType.MEAN, ValueType.SCORE)
    member = ~np.isnan(val if weighted else num)
    table["areas"] = np.bincount(group[member], minlength=N_DECILES + 1)[:N_DECILES]
    table["numerator"] = np.bincount(group[member], num[member], minlength=11)[:N_DECILES]
    table["denominator"] = np.bincount(group[member], np.nan_to_num(den[member]),
                                       minlength=11)[:N_DECILES]
    for c in VALUE_COLUMNS:
        table[c] = np.nan
    position = meta.ids.index(indicator_id)
    ip = position * len(meta.all_periods) + meta.all_periods.index(period)
    if kind in (ValueType.PROPORTION, ValueType.RATE, ValueType.COUNT):
        for confidence, lo, hi in means.LEVELS:
            value, lower, upper = ci_for(kind, table["numerator"], table["denominator"],
                                         meta.multiplier[position], confidence)
            table["value"], table[lo], table[hi] = value, lower, upper
    elif kind.is_standardised:
        bands = AgeBands(bundle.age_bands, meta, pd.Index(bundle.areas["area_code"].astype(str)),
                         slot, N_DECILES + 1)
        if bands:
            positions, own, _ = bands.aggregates(
                np.full(N_DECILES, position), np.full(N_DECILES, ip), np.arange(N_DECILES),
                np.zeros(N_DECILES, bool))
            for c in VALUE_COLUMNS:
                table.loc[positions, c] = own[c]
    else:
        _mean_deciles(table, bundle, indicator_id, frame, group, meta)
    table.loc[table["areas"] == 0, ["numerator", "denominator"]] = np.nan
    table["suppressed"] = False
    return table


def _mean_deciles(table: pd.DataFrame, bundle: Bundle, indicator_id: str, frame: pd.DataFrame,
                  group: np.ndarray, meta: IndicatorMeta) -> None:
    """Weighted means by decile, with intervals when the indicator gives sd or se."""
    position = meta.ids.index(indicator_id)
    spread = int(means.spread_kinds(bundle.values, meta)[position])
    val = frame["value"].to_numpy(float)
    den = frame["denominator"].to_numpy(float)
    weight = den if np.isfinite(den).any() else np.ones_like(val)
    member = ~np.isnan(val)
    w = np.bincount(group[member], weight[member], minlength=11)[:N_DECILES]
    with np.errstate(invalid="ignore", divide="ignore"):
        table["value"] = np.bincount(group[member], (weight * val)[member],
                                     minlength=11)[:N_DECILES] / w
    if spread == means.NO_SPREAD:
        return
    groups = means.GroupSpreads(1, 11)
    groups.add(0, group, spread, val, den, frame[means.SPREAD_NAMES[spread]].to_numpy(float),
               bool(np.isfinite(den).any()))
    summary = groups.group(np.full(N_DECILES, spread), np.zeros(N_DECILES, np.int64),
                           np.arange(N_DECILES))
    for confidence, lo, hi in means.LEVELS:
        table[lo], table[hi] = means.limits(summary["mean"], summary["variance"],
                                            summary["n_values"], confidence)
