"""Each chart in words, for alt text in Word and the window's description of a chart: what it
is, what it shows (findings) and then every number it is drawn from (tables), so a reader who
cannot see the chart misses nothing.

Takes the same inputs as `tables.draw_chart`, so the words describe exactly the chart drawn.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from desktop.core.charts.analysis_words import ANALYSIS_WORDS
from desktop.core.charts.bars import ordered_clusters
from desktop.core.charts.distribution import finite_values
from desktop.core.charts.findings import bar_finding, distribution_finding, trend_finding
from desktop.core.charts.tables import chart_table
from desktop.core.charts.trend import series_values, trend_periods
from desktop.core.plotting.annotate import Finding
from desktop.core.stats.comparison import DEFAULT

CHART_WORDS = {"bars": "Bar chart", "trend": "Line chart", "distribution": "Box plot",
               "funnel": "Funnel plot", "inequality": "Bar chart by deprivation decile",
               "scatter": "Scatter plot", "neighbours": "Bar chart of similar clusters"}
WORDED = ("bars", "trend", "distribution")  # the charts whose finding is written here


def chart_finding(kind: str, **inputs) -> Finding:
    """The message of the chart of `kind` drawn from `inputs` (its title says the same)."""
    indicator = inputs["indicator"]
    if kind == "bars":
        frame = ordered_clusters(inputs["clusters"], inputs.get("order", "bundle"))
        county = float(pd.Series(inputs["county"]).get("value", np.nan))
        return bar_finding(indicator, frame, county, inputs.get("highlight"),
                           inputs.get("comparison", DEFAULT))
    if kind == "trend":
        periods = trend_periods(indicator, inputs["series_cluster"], inputs["series_county"])
        return trend_finding(indicator, inputs["cluster_name"], periods,
                             series_values(inputs["series_cluster"], periods),
                             series_values(inputs["series_county"], periods),
                             inputs.get("trend"))
    if kind == "distribution":
        hidden = inputs["cluster_suppressed"]
        return distribution_finding(indicator, inputs["cluster_name"],
                                    finite_values(inputs["cluster_area_values"])[0],
                                    finite_values(inputs["county_area_values"])[0],
                                    hidden.count)
    raise KeyError(f"unknown chart kind {kind!r}")


def chart_description(kind: str, **inputs) -> str:
    """Alt text: the kind of chart and what it measures, its finding, then its numbers."""
    indicator = inputs["indicator"]
    head = f"{CHART_WORDS.get(kind, 'Chart')} of {indicator.title}"
    table = chart_table(kind, **inputs)
    if kind not in WORDED:  # the analysis charts: their finding and numbers
        return ANALYSIS_WORDS[kind](CHART_WORDS[kind], indicator, table)
    finding = chart_finding(kind, **inputs).sentence
    if kind == "bars":
        verdict = table.columns[-1]  # "Compared with county" or "... rest of county"
        parts = [f"{name} {value}" + (f" ({said.lower()})" if said else "")
                 for name, value, said in zip(table["Cluster"], table["Value"], table[verdict])]
        return (f"{head}, {inputs['period']}, for every cluster with 95% confidence "
                f"intervals and the county as a dashed line. {finding} Values: "
                + "; ".join(parts) + ".")
    if kind == "trend":
        cluster_col, county_col = table.columns[1], table.columns[4]
        parts = [f"{r['Period']}: {r[cluster_col]} against county {r[county_col]}"
                 for _, r in table.iterrows()]
        return (f"{head} over time, {inputs['cluster_name']} against the county. {finding} "
                "Values: " + "; ".join(parts) + ".")
    rows = [f"{r['Areas of']}: median {r['Median']}, from {r['Lowest']} to {r['Highest']}"
            + (f"; {r['Suppressed']} suppressed "
               f"{'area' if r['Suppressed'] == 1 else 'areas'} lying within "
               f"{r['Suppressed areas lie within']}" if r["Suppressed"] else "")
            for _, r in table.iterrows()]
    return f"{head} in small areas, {inputs['period']}. {finding} " + "; ".join(rows) + "."
