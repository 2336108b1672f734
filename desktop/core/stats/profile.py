"""A cluster's profile: every indicator against the county and the other clusters.

Built from Statistics (desktop.core.stats.aggregate), so suppression and significance are already
applied; these functions only select, arrange and rank. The screen, the tartan rug and the
Word export all read the same frames.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from desktop.core.model import (
    BASIS_RESIDENCE,
    BASIS_SCHOOL,
    COUNTY,
    NOT_AVAILABLE,
    PROFILE_COLUMNS,
    SUPPRESSED,
    Bundle,
    Indicator,
    Polarity,
    Significance,
)
from desktop.core.stats.aggregate import Statistics
from desktop.core.stats.intervals import SIGNIFICANCE_ORDER
from desktop.core.stats.trend import trend_words

DEPRIVED_COLUMNS = ("area_code", "area_name", "value", "decile")
DECILE_INDICATOR = "imd_decile"


def indicators_in_theme_order(bundle: Bundle) -> list[Indicator]:
    """The manifest's indicators grouped by theme (themes in first-appearance order)."""
    manifest = bundle.manifest
    rank = {theme: k for k, theme in enumerate(manifest.themes)}
    return sorted(manifest.indicators, key=lambda ind: rank[ind.theme])  # sorted() is stable


def indicators_for_basis(bundle: Bundle, basis: str = BASIS_RESIDENCE) -> list[Indicator]:
    """The indicators shown on one basis, in theme order: those without a basis plus those of
    `basis` ("residence" or "school"), so each pupil flag appears once, on the chosen basis."""
    if basis not in (BASIS_RESIDENCE, BASIS_SCHOOL):
        raise ValueError(f"unknown basis {basis!r}")
    return [ind for ind in indicators_in_theme_order(bundle) if ind.basis in ("", basis)]


def twin_for_basis(bundle: Bundle, indicator_id: str, basis: str) -> str:
    """The id of `indicator_id`'s counterpart on `basis`, or `indicator_id` when it has none."""
    indicators = bundle.manifest.indicators
    ind = bundle.manifest.indicator(indicator_id)
    if basis == BASIS_SCHOOL and ind.basis == BASIS_RESIDENCE:
        return next((i.id for i in indicators if i.basis_of == ind.id), ind.id)
    if basis == BASIS_RESIDENCE and ind.basis == BASIS_SCHOOL and ind.basis_of:
        return ind.basis_of
    return ind.id


def has_school_basis(bundle: Bundle) -> bool:
    """Whether the bundle carries any indicator by where pupils go to school."""
    return any(ind.basis == BASIS_SCHOOL for ind in bundle.manifest.indicators)


def with_basis(bundle: Bundle, profile: pd.DataFrame) -> pd.DataFrame:
    """The profile plus a "basis" column ("residence", "school" or "" when it does not apply),
    so a view can say on which basis each value is counted."""
    basis = {ind.id: ind.basis for ind in bundle.manifest.indicators}
    return profile.assign(basis=profile["indicator_id"].map(basis).fillna("").astype(object))


def with_labels(profile: pd.DataFrame, stats: Statistics, cluster: str) -> pd.DataFrame:
    """The profile plus the words a view shows beside the keys: `significance_label` in
    Fingertips' words at the statistics' comparison ("Worse 99.8%"), `significance_tip` (a
    sentence naming the benchmark and level) and `trend_label` (the trend judged by polarity,
    with the reason when it cannot be calculated)."""
    comparison = stats.comparison
    trends = []
    for ind_id, polarity in zip(profile["indicator_id"], profile["polarity"]):
        result = stats.trend_result(ind_id, cluster)
        words = trend_words(result.trend, polarity)
        trends.append(f"{words}: {result.reason}" if result.reason else words)
    return profile.assign(significance_label=profile["significance"].map(comparison.label),
                          significance_tip=profile["significance"].map(comparison.describe),
                          trend_label=trends)


def _period_for(indicator: Indicator, period: str | None) -> str | None:
    return indicator.latest_period if period is None else period


def _profile_row(indicator: Indicator, period: str | None, cluster: str, names: list[str],
                 stats: Statistics) -> dict:
    """One indicator's row; `names`: stats.cluster_names, then COUNTY (the columns' rows)."""
    row = dict.fromkeys(PROFILE_COLUMNS, np.nan)
    row.update(indicator_id=indicator.id, theme=indicator.theme, title=indicator.title,
               period=period, unit=indicator.unit, value_type=indicator.value_type.value,
               polarity=Polarity(indicator.polarity).value, synthetic=indicator.synthetic,
               significance=Significance.NOT_COMPARED.value, suppressed=False,
               lowest_cluster=None, highest_cluster=None,
               trend=stats.trend(indicator.id, cluster).value)
    if period is None:
        return row
    # numpy columns, not .loc on a frame per indicator: 250 rows of .loc took most of a
    # Word profile's second
    column = stats.cluster_columns(indicator.id, period)
    own, county = names.index(cluster), len(names) - 1
    row.update(count=column["numerator"][own], denominator=column["denominator"][own],
               value=column["value"][own], lower95=column["lower95"][own],
               upper95=column["upper95"][own], county_value=column["value"][county],
               county_lower95=column["lower95"][county],
               county_upper95=column["upper95"][county],
               significance=SIGNIFICANCE_ORDER[column["significance"][own]],
               suppressed=bool(column["suppressed"][own]))
    values = column["value"]
    shown = np.flatnonzero(~np.isnan(values[:county]))  # suppressed values are already NaN
    if shown.size:  # the first of equals, as idxmin and idxmax
        low, high = shown[np.argmin(values[shown])], shown[np.argmax(values[shown])]
        row.update(lowest=values[low], lowest_cluster=names[low],
                   highest=values[high], highest_cluster=names[high])
    return row


def cluster_profile(bundle: Bundle, stats: Statistics, cluster: str,
                    period: str | None = None, basis: str = BASIS_RESIDENCE) -> pd.DataFrame:
    """One row per indicator shown on `basis` (indicators_for_basis), in theme order, columns
    PROFILE_COLUMNS.

    period None takes each indicator's latest period; a period an indicator lacks gives a row
    with no numbers rather than another period's numbers.
    """
    if cluster not in bundle.cluster_names:
        raise KeyError(cluster)
    names = [*stats.cluster_names, COUNTY]
    rows = [_profile_row(ind, _period_for(ind, period), cluster, names, stats)
            for ind in indicators_for_basis(bundle, basis)]
    frame = pd.DataFrame(rows, columns=list(PROFILE_COLUMNS))
    return frame.astype({"suppressed": bool, "synthetic": bool})


def relative_difference(profile: pd.DataFrame) -> pd.Series:
    """|cluster - county| / |county|: how far each indicator is from the county."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return (profile["value"] - profile["county_value"]).abs() / profile["county_value"].abs()


def potential_issues(profile: pd.DataFrame) -> pd.DataFrame:
    """Indicators where the cluster is significantly worse, most different first."""
    worse = profile[profile["significance"] == Significance.WORSE.value]
    order = relative_difference(worse).sort_values(ascending=False, kind="stable").index
    return worse.loc[order].reset_index(drop=True)


def summary_counts(profile: pd.DataFrame) -> dict[str, int]:
    """Indicators by significance, every category present (zero when none), plus "total"."""
    counts = {s.value: int((profile["significance"] == s.value).sum()) for s in Significance}
    counts["total"] = len(profile)
    return counts


def most_deprived_areas(bundle: Bundle, stats: Statistics, cluster: str,
                        n: int = 10) -> pd.DataFrame:
    """The cluster's areas with the highest deprivation score (the manifest's indicator)."""
    ids = {ind.id: ind for ind in bundle.manifest.indicators}
    deprivation = ids.get(bundle.manifest.deprivation_indicator or "")
    if deprivation is None or deprivation.latest_period is None:
        return pd.DataFrame({c: pd.Series(dtype=float if c in ("value", "decile") else object)
                             for c in DEPRIVED_COLUMNS})
    areas = bundle.areas
    in_cluster = (areas["cluster"] == cluster).fillna(False).to_numpy(dtype=bool)
    scores = stats.area_values(deprivation.id, deprivation.latest_period)["value"].to_numpy()
    decile_ind = ids.get(DECILE_INDICATOR)
    deciles = (stats.area_values(decile_ind.id, decile_ind.latest_period)["value"].to_numpy()
               if decile_ind is not None and decile_ind.latest_period else
               np.full(len(areas), np.nan))
    frame = pd.DataFrame({"area_code": areas["area_code"].to_numpy(dtype=object),
                          "area_name": areas["area_name"].to_numpy(dtype=object),
                          "value": scores, "decile": deciles})[in_cluster]
    frame = frame.dropna(subset=["value"])
    return frame.sort_values("value", ascending=False, kind="stable").head(n).reset_index(
        drop=True)


def tartan(bundle: Bundle, stats: Statistics, period: str | None = None,
           basis: str = BASIS_RESIDENCE) -> pd.DataFrame:
    """Significance of every cluster (columns) for every indicator shown on `basis` (rows,
    theme order): each pupil indicator once, counted where pupils live or go to school. A
    cluster whose value is suppressed reads SUPPRESSED ("[c]"), one with no value
    NOT_AVAILABLE ("[x]"), instead of "not compared"."""
    clusters = list(bundle.cluster_names)
    # each bundle cluster's row in the statistics; -1 (which reads the county's) when it has none
    at = pd.Index(stats.cluster_names).get_indexer(clusters)
    known = at >= 0
    verdicts = np.array(SIGNIFICANCE_ORDER, dtype=object)
    rows = {}
    for ind in indicators_for_basis(bundle, basis):
        chosen = _period_for(ind, period)
        if chosen is None:
            rows[ind.id] = [NOT_AVAILABLE] * len(clusters)
            continue
        # numpy columns, not a frame per indicator: building 250 frames held the GUI thread
        # for 0.8 s when a county bundle opened
        values = {c: a[at] for c, a in stats.cluster_columns(ind.id, chosen).items()}
        cells = np.where(known & values["suppressed"], SUPPRESSED,
                         np.where(~known | np.isnan(values["value"]), NOT_AVAILABLE,
                                  verdicts[values["significance"]]))
        rows[ind.id] = cells.tolist()
    frame = pd.DataFrame.from_dict(rows, orient="index", columns=clusters)
    frame.index.name = "indicator_id"
    return frame
