"""Inequality across deprivation: an indicator by the county's IMD deciles and its slope index
of inequality (stats.sii), for the inequalities view.

The county's small areas are grouped by their national IMD decile (the bundle's `imd_decile`
indicator; 1 = the most deprived tenth of areas in England) and summed decile by decile exactly
as areas are summed into clusters: numerators and denominators for proportions and rates, sd or
se terms for means and scores, age bands for standardised rates. Each decile gets its value and
intervals by the indicator's own method, then small-number suppression (primary, and secondary
so that no hidden decile is the county less the others). The SII runs from decile 1 to decile
10: a positive SII means higher values in less deprived areas.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from desktop.core.errors import AtlasError
from desktop.core.model import Bundle, ValueType
from desktop.core.stats import means, sii, suppression
from desktop.core.stats.intervals import ci_for
from desktop.core.stats.meta import IndicatorMeta, key_codes
from desktop.core.stats.standardised import VALUE_COLUMNS, AgeBands

DECILE_INDICATOR = "imd_decile"
DECILE_COLUMNS = ("decile", "areas", "numerator", "denominator", *VALUE_COLUMNS, "suppressed")
SII_TYPES = {ValueType.PROPORTION: sii.PROPORTION, ValueType.RATE: sii.RATE,
             ValueType.DSR: sii.RATE, ValueType.ISR: sii.RATE, ValueType.MEAN: sii.NORMAL,
             ValueType.SCORE: sii.NORMAL}


@dataclass(frozen=True)
class DecileInequality:
    """The indicator by decile (DECILE_COLUMNS, suppressed values blanked) and its SII, or
    None with the reason it cannot be calculated."""

    indicator_id: str
    period: str
    deciles: pd.DataFrame
    result: sii.SiiResult | None
    reason: str = ""


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


def county_inequality(bundle: Bundle, indicator_id: str, period: str,
                      confidence: tuple[float, ...] = (0.95, 0.998)) -> DecileInequality:
    """The indicator by IMD decile in `period`, and its SII and RII with simulated limits."""
    meta = IndicatorMeta(bundle)
    indicator = bundle.manifest.indicator(indicator_id)
    kind = ValueType(indicator.value_type)
    decile = area_deciles(bundle)
    slot = np.where(np.isnan(decile), 10, decile - 1).astype(np.int64)  # slot 10: no decile
    table = _by_decile(bundle, meta, indicator_id, period, kind, slot)
    threshold = bundle.manifest.threshold_for(indicator)
    if kind is not ValueType.MEAN and kind is not ValueType.SCORE:
        _suppress(table, threshold)
    shown = table[table["areas"] > 0]
    result, reason = None, _why_not(kind, shown)
    if not reason:
        scale = indicator.multiplier if kind is ValueType.PROPORTION else 1.0
        result = sii.phe_sii(shown["denominator"].to_numpy(float),
                             shown["value"].to_numpy(float) / scale, SII_TYPES[kind],
                             lower=shown["lower95"].to_numpy(float) / scale,
                             upper=shown["upper95"].to_numpy(float) / scale,
                             multiplier=scale, confidence=confidence)
    hidden = table["suppressed"].to_numpy()
    table.loc[hidden, ["numerator", *VALUE_COLUMNS]] = np.nan
    return DecileInequality(indicator_id, period, table, result, reason)


def _why_not(kind: ValueType, shown: pd.DataFrame) -> str:
    if kind not in SII_TYPES:
        return "no slope index for counts (a count depends on the size of each decile)"
    if len(shown) < sii.MIN_QUANTILES:
        return f"fewer than {sii.MIN_QUANTILES} deciles have areas in the county"
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


def _by_decile(bundle: Bundle, meta: IndicatorMeta, indicator_id: str, period: str,
               kind: ValueType, slot: np.ndarray) -> pd.DataFrame:
    """Values and intervals of the ten deciles, summed from the areas (slot 10 left out)."""
    values = bundle.values
    rows = ((values["indicator_id"] == indicator_id) & (values["period"] == period)).to_numpy()
    codes, mapping = key_codes(values.loc[rows, "area_code"],
                               pd.Index(bundle.areas["area_code"].astype(str)))
    area = mapping[codes]
    keep = area >= 0
    group = slot[area[keep]]
    frame = values.loc[rows].iloc[np.flatnonzero(keep)]
    num, den, val = (frame[c].to_numpy(float) for c in ("numerator", "denominator", "value"))
    table = pd.DataFrame({"decile": np.arange(1, 11)})
    table["areas"] = np.bincount(group, minlength=11)[:10]
    member = ~np.isnan(num if kind not in (ValueType.MEAN, ValueType.SCORE) else val)
    table["numerator"] = np.bincount(group[member], num[member], minlength=11)[:10]
    table["denominator"] = np.bincount(group[member], np.nan_to_num(den[member]),
                                       minlength=11)[:10]
    for c in VALUE_COLUMNS:
        table[c] = np.nan
    ip = meta.ids.index(indicator_id) * len(meta.all_periods) + meta.all_periods.index(period)
    if kind in (ValueType.PROPORTION, ValueType.RATE):
        value, lower, upper = ci_for(kind, table["numerator"], table["denominator"],
                                     meta.multiplier[meta.ids.index(indicator_id)], 0.95)
        _, lower998, upper998 = ci_for(kind, table["numerator"], table["denominator"],
                                       meta.multiplier[meta.ids.index(indicator_id)], 0.998)
        table["value"], table["lower95"], table["upper95"] = value, lower, upper
        table["lower998"], table["upper998"] = lower998, upper998
    elif kind.is_standardised:
        bands = AgeBands(bundle.age_bands, meta, pd.Index(bundle.areas["area_code"].astype(str)),
                         slot, 11)
        if bands:
            positions, own, _ = bands.aggregates(
                np.full(10, meta.ids.index(indicator_id)), np.full(10, ip), np.arange(10),
                np.zeros(10, bool))
            for c in VALUE_COLUMNS:
                table.loc[positions, c] = own[c]
    else:
        _mean_deciles(table, bundle, indicator_id, frame, group, meta)
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
    w = np.bincount(group[member], weight[member], minlength=11)[:10]
    with np.errstate(invalid="ignore", divide="ignore"):
        table["value"] = np.bincount(group[member], (weight * val)[member], minlength=11)[:10] / w
    if spread == means.NO_SPREAD:
        return
    groups = means.GroupSpreads(1, 11)
    groups.add(0, group, spread, val, den, frame[means.SPREAD_NAMES[spread]].to_numpy(float),
               bool(np.isfinite(den).any()))
    summary = groups.group(np.full(10, spread), np.zeros(10, np.int64), np.arange(10))
    for confidence, lo, hi in means.LEVELS:
        table[lo], table[hi] = means.limits(summary["mean"], summary["variance"],
                                            summary["n_values"], confidence)


def _suppress(table: pd.DataFrame, threshold: int) -> None:
    """Primary and secondary suppression of the deciles, whose sum is the county's (with the
    areas of no decile)."""
    count = table["numerator"].to_numpy(float)
    n = count.size
    # the deciles are the parts of one sum whose total, the county's count, is published: it
    # is the last row here, shown, so every hidden decile keeps the range the rule asks for
    rows = np.append(count, np.nansum(count))
    hidden = np.append(suppression.primary_mask(count, threshold), False)
    hidden = suppression.protect_hierarchy(
        hidden, rows, ~np.isnan(rows), suppression.Protection.uniform(n + 1, threshold),
        child_group=np.append(np.zeros(n, np.int64), -1),
        parent_group=np.append(np.full(n, -1), 0), n_groups=1)
    table["suppressed"] = hidden[:n]
