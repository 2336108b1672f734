"""Similar clusters: the chosen cluster and its nearest neighbours by context (stats.neighbours,
as CIPFA's nearest neighbours), each with its distance, their values of the chosen indicator
with 95% whiskers, and the similar clusters' pooled value (stats.peer_benchmark) beside the
county's: like compared with like.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from desktop.core.charts.common import axis_label, fmt, nonnegative_axis
from desktop.core.charts.options import ChartOptions
from desktop.core.errors import AtlasError
from desktop.core.format import MISSING
from desktop.core.model import COUNTY, NOT_APPLICABLE, SUPPRESSED, Bundle, Indicator
from desktop.core.plotting.annotate import annotate_chart
from desktop.core.plotting.style import (
    CLUSTER_COLOUR,
    COUNTY_COLOUR,
    MUTED_TEXT,
    prepare_axes,
    style_context,
)
from desktop.core.stats.neighbours import SimilarClusters, bundle_spec, similar_clusters

if TYPE_CHECKING:
    from desktop.core.stats.table import Statistics

PEER_COLOUR = "#8c8c8c"
POOL_COLOUR = "#e66100"
EXPLANATION = ("{cluster} and the clusters most like it, closest first; the orange line is "
               "their value taken together.")


def rows_shown(cluster: str, similar: SimilarClusters | None) -> pd.DataFrame:
    """The chosen cluster (rank 0, distance 0), then its similar clusters nearest first."""
    nearest = similar.nearest(cluster) if similar is not None else pd.DataFrame()
    first = pd.DataFrame({"rank": [0], "cluster": [cluster], "distance": [0.0]})
    return pd.concat([first, nearest], ignore_index=True) if len(nearest) else first


def neighbours_chart(ax: Axes, indicator: Indicator, period: str, cluster: str,
                     similar: SimilarClusters | None, values: pd.DataFrame, pooled: float,
                     county: float, reason: str = "") -> Axes:
    """Bars of the chosen indicator for `cluster` and its similar clusters."""
    prepare_axes(ax)
    with style_context():
        shown = rows_shown(cluster, similar)
        if reason or len(shown) == 1:
            ax.set_axis_off()
            why = reason or (f"{cluster} has no value of a context indicator, so it cannot be "
                             "placed among the clusters")
            ax.text(0.5, 0.5, f"No similar clusters: {why}.", ha="center", va="center",
                    wrap=True, color=MUTED_TEXT, transform=ax.transAxes, gid="no-chart")
        else:
            _bars(ax, indicator, shown, values, pooled, county)
        subtitle = f"{period}. " + EXPLANATION.format(cluster=cluster)
        annotate_chart(ax, indicator.title, subtitle, _notes(similar), indicator.source,
                       indicator.synthetic)
    return ax


def _bars(ax: Axes, indicator: Indicator, shown: pd.DataFrame, values: pd.DataFrame,
          pooled: float, county: float) -> None:
    frame = values.reindex(shown["cluster"])
    value = frame["value"].to_numpy(float)
    hidden = frame["suppressed"].fillna(False).to_numpy(bool)
    value = np.where(hidden, np.nan, value)
    y = np.arange(len(shown))
    colours = [CLUSTER_COLOUR] + [PEER_COLOUR] * (len(shown) - 1)
    drawn = np.isfinite(value)
    ax.barh(y[drawn], value[drawn], height=0.62, color=np.asarray(colours)[drawn],
            edgecolor="#4d4d4d", linewidth=0.4, zorder=2, gid="bars")
    lower, upper = frame["lower95"].to_numpy(float), frame["upper95"].to_numpy(float)
    ci = drawn & np.isfinite(lower) & np.isfinite(upper)
    if ci.any():
        ax.errorbar(value[ci], y[ci], xerr=[value[ci] - lower[ci], upper[ci] - value[ci]],
                    fmt="none", ecolor="#262626", elinewidth=0.9, capsize=2.5, zorder=4)
    for yi in y[~drawn]:
        ax.annotate(SUPPRESSED if hidden[yi] else "no value", xy=(0, yi),
                    xycoords=("axes fraction", "data"), xytext=(4, 0), color=MUTED_TEXT,
                    textcoords="offset points", va="center", gid="not-shown")
    handles = [Patch(facecolor=CLUSTER_COLOUR, label=shown["cluster"].iat[0]),
               Patch(facecolor=PEER_COLOUR, label="Similar clusters\n(distance)")]
    lines = ((pooled, POOL_COLOUR, "-", "Similar clusters together"),
             (county, COUNTY_COLOUR, "--", "County"))
    for level, colour, style, label in lines:
        if np.isfinite(level):
            ax.axvline(level, color=colour, linestyle=style, linewidth=1.3, zorder=3,
                       gid="pooled" if colour == POOL_COLOUR else "county")
            handles.append(Line2D([], [], color=colour, linestyle=style, label=label))
    labels = [f"{c}" if k == 0 else f"{c} ({d:.2f})"
              for k, (c, d) in enumerate(zip(shown["cluster"], shown["distance"]))]
    ax.set_yticks(y, labels=labels)
    ax.get_yticklabels()[0].set_fontweight("bold")
    ax.set_ylim(len(shown) - 0.5, -0.5)
    ax.tick_params(axis="y", length=0)
    ax.grid(axis="y", visible=False)
    nonnegative_axis(ax, np.r_[value, lower, upper, pooled, county], "x")
    ax.set_xlabel(axis_label(indicator))
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1))


def _notes(similar: SimilarClusters | None) -> list[str]:
    if similar is None:
        return []
    periods = ", ".join(f"{t} {similar.periods[i]}" for t, i in
                        zip(similar.titles, similar.spec.indicators))
    notes = [(f"Distance: the gap between two clusters' context values ({periods}), each "
              "standardised to a z-score across the clusters, as CIPFA's nearest neighbours "
              "model measures it; smaller is more alike. The pooled value sums the similar "
              "clusters' counts and denominators, and is not given when one is suppressed.")]
    if similar.unplaced:
        notes.append(f"Not placed (a context value missing or suppressed): "
                     f"{', '.join(similar.unplaced)}.")
    if similar.flat:
        notes.append(f"Left out of the distance (the same in every cluster): "
                     f"{', '.join(similar.flat)}.")
    return notes


def neighbours_table(indicator: Indicator, period: str, cluster: str,
                     similar: SimilarClusters | None, values: pd.DataFrame, pooled: float,
                     county: float, reason: str = "") -> pd.DataFrame:
    """The chosen cluster and its similar clusters: rank, distance, each context value and
    the chosen indicator's value and interval; then the pool and the county."""
    shown = rows_shown(cluster, similar)
    context = list(similar.indicators) if similar is not None else []
    rows = []
    for _, row in shown.iterrows():
        name = row["cluster"]
        stats = values.loc[name] if name in values.index else pd.Series(dtype=float)
        hidden = bool(stats.get("suppressed", False))
        rows.append([name, str(row["rank"]) if row["rank"] else "Chosen",
                     f"{row['distance']:.2f}" if row["rank"] else NOT_APPLICABLE,
                     *(fmt(c, similar.context.at[name, c.id]) for c in context),
                     fmt(indicator, stats.get("value", np.nan), hidden),
                     _interval(indicator, stats, hidden)])
    blank = [NOT_APPLICABLE] * (len(context) + 2)  # the rank, distance and context values
    rows.append(["Similar clusters together", *blank, fmt(indicator, pooled), NOT_APPLICABLE])
    rows.append(["County", *blank, fmt(indicator, county), NOT_APPLICABLE])
    columns = ["Cluster", "Rank", "Distance", *(c.title for c in context),
               f"{indicator.title} ({period})", "95% CI"]
    return pd.DataFrame(rows, columns=columns)


def _interval(indicator: Indicator, stats: pd.Series, hidden: bool) -> str:
    if hidden:
        return SUPPRESSED
    low, high = stats.get("lower95", np.nan), stats.get("upper95", np.nan)
    if not (np.isfinite(low) and np.isfinite(high)):
        return MISSING
    return f"{fmt(indicator, low)} to {fmt(indicator, high)}"


def neighbours_inputs(bundle: Bundle, statistics: Statistics, indicator: Indicator, period: str,
                      cluster: str | None, options: ChartOptions) -> dict:
    """The similar clusters of `cluster` (the bundle's first when none is chosen) by the
    options' context (the bundle's setting when none), with the indicator's values."""
    cluster = cluster or bundle.cluster_names[0]
    values = statistics.cluster_values(indicator.id, period)
    base = {"indicator": indicator, "period": period, "cluster": cluster,
            "values": values.drop(index=COUNTY), "county": float(values.at[COUNTY, "value"])}
    try:
        similar = similar_clusters(bundle, statistics, options.neighbours or bundle_spec(bundle))
    except AtlasError as error:
        return {**base, "similar": None, "pooled": np.nan, "reason": str(error).rstrip(".")}
    pooled = statistics.peer_values(indicator.id, period, similar.peers())
    return {**base, "similar": similar, "pooled": float(pooled.get(cluster, np.nan))}
