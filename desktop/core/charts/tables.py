"""The numbers behind each chart, as a table: the table alternative on screen and in exports,
and the registry of every chart (CHARTS).

Each `*_table` function takes the same arguments as its chart (without the Axes), so one set of
inputs gives both the picture and its table; `draw_chart` and `chart_table` choose by kind. The
analysis charts (funnel, inequality, scatter, neighbours) keep their table and inputs in their
own modules.
Numbers are formatted with `format_value`, so suppressed values read "[c]" here as on the
chart; `chart_table_notes` explains the markers a table uses, for under it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from desktop.core.charts.bars import bar_chart, fit_to_names, ordered_clusters
from desktop.core.charts.common import fmt
from desktop.core.charts.distribution import (
    SuppressedAreas,
    distribution_chart,
    finite_values,
    suppressed_areas,
    suppressed_range,
)
from desktop.core.charts.funnel import funnel_chart, funnel_inputs, funnel_table
from desktop.core.charts.inequality import (
    inequality_chart,
    inequality_inputs,
    inequality_table,
)
from desktop.core.charts.neighbours import neighbours_chart, neighbours_inputs, neighbours_table
from desktop.core.charts.options import DEFAULT_OPTIONS, ChartOptions
from desktop.core.charts.scatter import scatter_chart, scatter_inputs, scatter_table
from desktop.core.charts.trend import series_values, trend_chart, trend_periods
from desktop.core.format import marker_notes
from desktop.core.model import COUNTY, NOT_APPLICABLE, Bundle, Indicator
from desktop.core.plotting.style import new_figure
from desktop.core.stats.comparison import DEFAULT, SIMILAR, Comparison

if TYPE_CHECKING:
    from desktop.core.stats.aggregate import Statistics

INTERVAL = ("Lower 95% CI", "Upper 95% CI")
QUARTILES = (25, 50, 75)  # as matplotlib's box plot, so the table matches the boxes


def bar_table(indicator: Indicator, period: str, clusters: pd.DataFrame,
              county: Mapping | pd.Series, highlight: str | None = None,
              colours: Mapping | None = None, order: str = "bundle",
              comparison: Comparison = DEFAULT, benchmarks: pd.Series | None = None
              ) -> pd.DataFrame:
    """One row per cluster in the chart's order, then the county; with `benchmarks`, each
    cluster's similar clusters' pooled value before its verdict."""
    frame = ordered_clusters(clusters, order)
    county = pd.Series(county)
    own = ([] if benchmarks is None else
           [fmt(indicator, v) for v in benchmarks.reindex(frame.index.astype(str))])
    columns = zip(frame.index, frame["value"], frame["lower95"], frame["upper95"],
                  frame["suppressed"], frame["significance"])
    rows = [[str(name), *(fmt(indicator, v, hidden) for v in (value, lower, upper)),
             *own[k:k + 1], comparison.label(sig)]
            for k, (name, value, lower, upper, hidden, sig) in enumerate(columns)]
    rows.append(["County", *(fmt(indicator, county.get(c, np.nan))
                             for c in ("value", "lower95", "upper95")),
                 *([NOT_APPLICABLE] if own else []), NOT_APPLICABLE])
    return pd.DataFrame(rows, columns=["Cluster", "Value", *INTERVAL,
                                       *(["Similar clusters"] if own else []), comparison.column])


def trend_table(indicator: Indicator, cluster_name: str, series_cluster: pd.DataFrame,
                series_county: pd.DataFrame, trend=None) -> pd.DataFrame:
    """One row per period: the cluster's value and interval, then the county's."""
    periods = trend_periods(indicator, series_cluster, series_county)
    columns = {"Period": periods}
    for label, frame in ((cluster_name, series_cluster), ("County", series_county)):
        values = series_values(frame, periods)
        for column, heading in zip(("value", "lower95", "upper95"), ("", *INTERVAL)):
            columns[f"{label} {heading or 'value'}"] = [
                fmt(indicator, v, s) for v, s in zip(values[column], values["suppressed"])]
    return pd.DataFrame(columns)


def distribution_table(indicator: Indicator, period: str, cluster_name: str,
                       cluster_area_values, county_area_values, county_value: float,
                       cluster_suppressed: SuppressedAreas,
                       county_suppressed: SuppressedAreas) -> pd.DataFrame:
    """Summary of the area values drawn as boxes: count, range and quartiles, then the
    suppressed areas and where they lie (the chart's bands), cluster first."""
    rows = []
    for name, raw, hidden in ((cluster_name, cluster_area_values, cluster_suppressed),
                              ("County", county_area_values, county_suppressed)):
        vals, left_out = finite_values(raw)
        stats = ([vals.min(), *np.percentile(vals, QUARTILES), vals.max()] if vals.size
                 else [np.nan] * 5)
        rows.append([name, vals.size, *(fmt(indicator, v) for v in stats), hidden.count,
                     suppressed_range(indicator, hidden), left_out - hidden.count])
    return pd.DataFrame(rows, columns=["Areas of", "Areas shown", "Lowest", "Lower quartile",
                                       "Median", "Upper quartile", "Highest", "Suppressed",
                                       "Suppressed areas lie within", "No value"])


CHARTS: dict[str, tuple[Callable[..., Axes], Callable[..., pd.DataFrame]]] = {
    "bars": (bar_chart, bar_table),
    "trend": (trend_chart, trend_table),
    "distribution": (distribution_chart, distribution_table),
    "funnel": (funnel_chart, funnel_table),
    "inequality": (inequality_chart, inequality_table),
    "scatter": (scatter_chart, scatter_table),
    "neighbours": (neighbours_chart, neighbours_table),
}
CHART_TITLES = {"bars": "All clusters", "trend": "Trend", "distribution": "Distribution",
                "funnel": "Funnel", "inequality": "Inequality", "scatter": "Scatter",
                "neighbours": "Similar"}
CHART_TIPS = {
    "bars": "The indicator in every cluster, with the county",
    "trend": "The cluster over time, against the county",
    "distribution": "The small areas of the cluster and of the county",
    "funnel": "Funnel plot: is a cluster's value unusual for its size?",
    "inequality": "By deprivation decile, with the slope index of inequality",
    "scatter": "Two indicators: do they go together across the clusters or small areas?",
    "neighbours": "Similar clusters: the clusters most like this one, compared"}
# the inputs of the analysis charts, from an open bundle (the first three are made below)
ANALYSIS_INPUTS = {"funnel": funnel_inputs, "inequality": inequality_inputs,
                   "scatter": scatter_inputs, "neighbours": neighbours_inputs}


def chart_table_notes(table: pd.DataFrame) -> list[str]:
    """What each marker a chart's table uses stands for: the lines written under it."""
    return marker_notes(table.astype(str).to_numpy().ravel())


def draw_chart(kind: str, ax: Axes, **inputs) -> Axes:
    """Draw the chart of `kind` (a key of CHARTS) onto `ax`."""
    return CHARTS[kind][0](ax, **inputs)


def chart_figure(kind: str, width_cm: float = 16.0, height_cm: float = 10.0,
                 **inputs) -> Figure:
    """A fresh print-sized figure holding one chart: what every export draws. A bar chart
    of more clusters than `height_cm` can name grows taller, so every cluster is named."""
    figure = new_figure(width_cm, height_cm)
    ax = draw_chart(kind, figure.add_subplot(), **inputs)
    if kind == "bars":
        fit_to_names(ax, len(inputs["clusters"]))
    return figure


def chart_table(kind: str, **inputs) -> pd.DataFrame:
    """The numbers behind the chart of `kind`, from the same inputs as `draw_chart`."""
    return CHARTS[kind][1](**inputs)


def chart_inputs(kind: str, bundle: Bundle, statistics: Statistics, indicator: Indicator,
                 period: str, cluster: str | None,
                 options: ChartOptions = DEFAULT_OPTIONS) -> dict:
    """The keyword arguments of `draw_chart`/`chart_table` for one chart of an open bundle.

    Bars, funnel, inequality and scatter need no cluster (it is only highlighted, or shown
    beside the county); trend, distribution and similar clusters do, and take the bundle's
    first cluster when none is chosen. Areas of the county are all the bundle's areas,
    including any in no cluster, as in the county value. `options`: the scatter's second
    indicator and level, and the similar clusters' context.
    """
    if kind in ANALYSIS_INPUTS:
        return ANALYSIS_INPUTS[kind](bundle, statistics, indicator, period, cluster, options)
    if kind == "bars":
        values = statistics.cluster_values(indicator.id, period)
        comparison = statistics.comparison
        similar = (statistics.peer_values(indicator.id, period, comparison.peers)
                   if comparison.against == SIMILAR else None)
        return {"indicator": indicator, "period": period, "clusters": values.drop(index=COUNTY),
                "county": values.loc[COUNTY], "highlight": cluster,
                "comparison": comparison, "benchmarks": similar}
    cluster = cluster or bundle.cluster_names[0]
    if kind == "trend":
        return {"indicator": indicator, "cluster_name": cluster,
                "series_cluster": statistics.series(indicator.id, cluster, "cluster"),
                "series_county": statistics.series(indicator.id, COUNTY, "county"),
                "trend": statistics.trend(indicator.id, cluster)}
    if kind == "distribution":
        areas = statistics.area_values(indicator.id, period)
        values = areas["value"].to_numpy(float, na_value=np.nan)
        in_cluster = (bundle.areas["cluster"] == cluster).fillna(False).to_numpy(bool)
        county = statistics.cluster_values(indicator.id, period).loc[COUNTY, "value"]
        threshold = bundle.manifest.threshold_for(indicator)
        return {"indicator": indicator, "period": period, "cluster_name": cluster,
                "cluster_area_values": values[in_cluster], "county_area_values": values,
                "county_value": float(county),
                "cluster_suppressed": suppressed_areas(indicator, areas[in_cluster], threshold),
                "county_suppressed": suppressed_areas(indicator, areas, threshold)}
    raise KeyError(f"unknown chart kind {kind!r}; expected one of {', '.join(CHARTS)}")
