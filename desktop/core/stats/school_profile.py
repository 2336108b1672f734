"""A school's own profile: every area indicator over the mix of its pupils' home areas.

A school's value of an indicator is the pupil-weighted mean of its pupils' home areas' values:
sum over areas of w_a x v_a, where w_a is the share of the school's pupils living in the county
who live in area a (desktop.core.stats.school_homes), among the areas with a value. Its
variance is the weighted sum of the areas' variances, sum of w_a^2 x var_a (the areas are
independent samples), and its interval the normal one at the comparison's level, so the
interval says how precisely the mix of areas is measured; it is compared with the county's
value and with the school's cluster's value as Fingertips compares an area with its benchmark
(the benchmark outside the interval). Counts have no such mean ([z]). docs/methods.md gives
the method.

Only published figures go in, so a school's profile reveals nothing the tables keep hidden,
and no school's profile can unpick its cluster's figures:
- an area's value is the one shown; a hidden area's count is replaced by its pool's rate
  (desktop.core.stats.pools: the hidden areas under one shown total, whose sum that total
  gives), the pool counted once however many of its areas the school draws on; when no shown
  total fixes the pool, the school's value is hidden ([c]);
- the weights are the shown home-area counts of the protected table; the pupils of its hidden
  home areas (their sum is published) are spread over those areas in proportion to the
  indicator's denominator there, never by their own hidden counts.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from desktop.core.model import COUNTY, Bundle, Polarity, ValueType
from desktop.core.stats.comparison import Comparison
from desktop.core.stats.intervals import SIGNIFICANCE_ORDER, compare_with_benchmark, z_value
from desktop.core.stats.meta import COUNTED, KINDS, PROPORTION, RATE, RATIO
from desktop.core.stats.pools import SHOWN, hidden_pools
from desktop.core.stats.profile import indicators_in_theme_order
from desktop.core.stats.school_homes import SchoolHomes
from desktop.core.stats.table import Statistics

SCHOOL_PROFILE_COLUMNS = (
    "indicator_id", "theme", "title", "period", "unit", "value_type", "polarity", "value",
    "lower", "upper", "county_value", "cluster_value", "significance", "vs_cluster",
    "suppressed", "applicable", "coverage")
COUNT = KINDS.index(ValueType.COUNT.value)


def area_weights(bundle: Bundle, homes: SchoolHomes, denominator: np.ndarray) -> np.ndarray:
    """Pupils per area in bundle order from published figures only: shown home areas their
    count, the hidden ones together their published sum spread by `denominator` (see the
    module docstring). Pupils outside the county are left out."""
    codes = bundle.areas["area_code"].astype(str)
    table = homes.homes[homes.homes["home_area_code"].isin(set(codes))]
    position = pd.Index(codes).get_indexer(table["home_area_code"])
    weights = np.zeros(len(codes))
    shown = ~table["hidden"].to_numpy(bool)
    weights[position[shown]] = table["pupils"].to_numpy(float)[shown]
    hidden_at = position[~shown]
    if hidden_at.size:
        spread = np.nan_to_num(denominator[hidden_at])
        if spread.sum() <= 0:
            spread = np.ones(hidden_at.size)
        weights[hidden_at] += table.loc[~shown, "pupils"].sum() * spread / spread.sum()
    return weights


def _area_estimates(bundle: Bundle, stats: Statistics, ind_id: str, period: str,
                    kind: int, multiplier: float, z: float
                    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Per area: published value, its variance, its unit (a pool counts once: the pool's
    number offset past the areas) and the indicator's denominator."""
    n = len(bundle.areas)
    unit = np.arange(n)
    if COUNTED[kind] and RATIO[kind] and kind in (PROPORTION, RATE):
        pools = hidden_pools(bundle, stats, ind_id, period)
        inputs = stats.area_inputs(ind_id, period)
        num, den = pools.shown.copy(), inputs["denominator"].copy()
        pooled = pools.pool != SHOWN
        num[pooled] = pools.total[pools.pool[pooled]]
        den[pooled] = pools.denominator[pools.pool[pooled]]
        unit[pooled] = n + pools.pool[pooled]
        with np.errstate(divide="ignore", invalid="ignore"):
            rate = num / den
            variance = rate * (1 - rate) / den if kind == PROPORTION else num / den ** 2
        return rate * multiplier, variance * multiplier ** 2, unit, inputs["denominator"]
    values = stats.area_values(ind_id, period)
    value = values["value"].to_numpy(float, copy=True)
    value[values["suppressed"].to_numpy(bool)] = np.nan
    se = (values["upper95"].to_numpy(float) - values["lower95"].to_numpy(float)) / (
        2 * z_value(0.95))
    return value, se ** 2, unit, values["denominator"].to_numpy(float)


def _school_row(bundle: Bundle, stats: Statistics, homes: SchoolHomes, indicator,
                period: str, z: float) -> dict:
    kind = KINDS.index(ValueType(indicator.value_type).value)
    value, variance, unit, denominator = _area_estimates(
        bundle, stats, indicator.id, period, kind, indicator.multiplier, z)
    weights = area_weights(bundle, homes, denominator)
    used = (weights > 0) & np.isfinite(value)
    drawn = weights > 0
    out = {"value": np.nan, "lower": np.nan, "upper": np.nan, "suppressed": False,
           "coverage": float(weights[used].sum() / weights.sum()) if weights.sum() else 0.0}
    hidden_here = drawn & ~np.isfinite(value) & np.isfinite(denominator) & (
        stats.suppressed(indicator.id, period)[:len(weights)])
    if hidden_here.any():  # a hidden area no shown total fixes: no value from published ones
        out["suppressed"] = True
        return out
    if not used.any():
        return out
    w = weights[used] / weights[used].sum()
    estimate = float(np.sum(w * value[used]))
    by_unit = np.bincount(unit[used], w)  # a pool's areas move together: weigh the pool once
    unit_variance = np.zeros(by_unit.size)
    unit_variance[unit[used]] = variance[used]
    spread = float(np.sum(by_unit ** 2 * unit_variance))
    out["value"] = estimate
    if np.isfinite(spread) and spread > 0:
        half = z * np.sqrt(spread)
        low = estimate - half
        out.update(lower=max(low, 0.0) if kind in (PROPORTION, RATE) else low,
                   upper=estimate + half)
    return out


def school_profile(bundle: Bundle, stats: Statistics, homes: SchoolHomes,
                   comparison: Comparison | None = None) -> pd.DataFrame:
    """One row per residence indicator in theme order (its latest period), columns
    SCHOOL_PROFILE_COLUMNS: the school's value and interval, the county's and the cluster's
    values, the verdict against the county (`significance`) and against the cluster
    (`vs_cluster`), whether it is hidden, whether a school value applies (not to counts),
    and the share of the school's pupils in the county whose areas have a value."""
    comparison = comparison or stats.comparison
    z = z_value(comparison.fraction)
    rows = []
    for indicator in indicators_in_theme_order(bundle):
        if indicator.basis_of:
            continue  # a school-basis twin: a cluster's schools, not a school's homes
        period = indicator.latest_period
        kind = KINDS.index(ValueType(indicator.value_type).value)
        levels = stats.cluster_values(indicator.id, period)
        row = {"indicator_id": indicator.id, "theme": indicator.theme, "title": indicator.title,
               "period": period, "unit": indicator.unit,
               "value_type": ValueType(indicator.value_type).value,
               "polarity": Polarity(indicator.polarity).value,
               "county_value": levels.loc[COUNTY, "value"] if COUNTY in levels.index else np.nan,
               "cluster_value": (levels.loc[homes.cluster, "value"]
                                 if homes.cluster in levels.index else np.nan),
               "applicable": kind != COUNT}
        if kind == COUNT:
            row.update(value=np.nan, lower=np.nan, upper=np.nan, suppressed=False, coverage=1.0)
        else:
            row.update(_school_row(bundle, stats, homes, indicator, period, z))
        rows.append(row)
    frame = pd.DataFrame(rows, columns=[c for c in SCHOOL_PROFILE_COLUMNS
                                        if c not in ("significance", "vs_cluster")])
    for column, against in (("significance", "county_value"), ("vs_cluster", "cluster_value")):
        codes = compare_with_benchmark(frame["lower"], frame["upper"], frame[against],
                                       frame["polarity"].to_numpy(object))
        frame[column] = np.asarray(SIGNIFICANCE_ORDER, dtype=object)[codes]
    return frame[list(SCHOOL_PROFILE_COLUMNS)].astype({"suppressed": bool, "applicable": bool})
