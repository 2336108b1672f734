"""Two indicators: every cluster (or small area) by its value of a second indicator across and
the chosen indicator up, with the least-squares line and Pearson's correlation with its 95%
interval (stats.correlation; Fingertips' compare-indicators scatter). Suppressed and missing
values are left out and counted; the chosen cluster is ringed; each point is named on hover
(`hover_label`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.collections import PathCollection
from matplotlib.lines import Line2D

from desktop.core.charts.common import axis_label, fmt, place_names
from desktop.core.charts.options import ChartOptions
from desktop.core.format import title_with_unit
from desktop.core.model import COUNTY, MAP_AREAS, NOT_APPLICABLE, SUPPRESSED, Bundle, Indicator
from desktop.core.plotting.annotate import annotate_chart
from desktop.core.plotting.style import (
    CLUSTER_COLOUR,
    HIGHLIGHT_COLOUR,
    MUTED_TEXT,
    prepare_axes,
    style_context,
)
from desktop.core.stats.correlation import Correlation, pearson, strength

if TYPE_CHECKING:
    from desktop.core.stats.table import Statistics

EXPLANATION = "Each dot is a {what}; an r near +1 or -1 means the two go together."
NAMED_UP_TO = 20  # clusters named beside their dots; more are named on hover only
OTHER_COLOUR = "#9a9a9a"


@dataclass(frozen=True)
class ScatterPoints:
    """One row per cluster or area: name, its cluster, x and y (NaN when left out), and why a
    point is left out ("" when drawn)."""

    frame: pd.DataFrame
    level: str

    @property
    def drawn(self) -> pd.DataFrame:
        return self.frame[self.frame["why"] == ""]

    def left_out(self) -> dict[str, int]:
        counts = self.frame.loc[self.frame["why"] != "", "why"].value_counts()
        return {str(k): int(v) for k, v in counts.items()}


def scatter_points(names, clusters, x: pd.DataFrame, y: pd.DataFrame, level: str
                   ) -> ScatterPoints:
    """From the statistics rows (value, suppressed) of the two indicators for the same
    clusters or areas."""
    hidden = x["suppressed"].to_numpy(bool) | y["suppressed"].to_numpy(bool)
    xv, yv = x["value"].to_numpy(float), y["value"].to_numpy(float)
    missing = ~hidden & ~(np.isfinite(xv) & np.isfinite(yv))
    why = np.where(hidden, "suppressed", np.where(missing, "no value", ""))
    keep = why == ""
    return ScatterPoints(pd.DataFrame({"name": list(map(str, names)), "cluster": list(clusters),
                                       "x": np.where(keep, xv, np.nan),
                                       "y": np.where(keep, yv, np.nan), "why": why}), level)


def scatter_chart(ax: Axes, indicator: Indicator, versus: Indicator, period: str,
                  versus_period: str, points: ScatterPoints, correlation: Correlation,
                  highlight: str | None = None) -> Axes:
    """The scatter of `points` with its line and correlation onto `ax`."""
    drawn = points.drawn
    areas = points.level == MAP_AREAS
    own = (drawn["cluster"] if areas else drawn["name"]).to_numpy(object) == highlight
    prepare_axes(ax)
    with style_context():
        colours = np.where(own, CLUSTER_COLOUR, OTHER_COLOUR if areas else CLUSTER_COLOUR)
        dots = ax.scatter(drawn["x"], drawn["y"], s=10 if areas else 36, c=list(colours),
                          alpha=0.75 if areas else 0.9, linewidths=0, zorder=4, gid="points",
                          picker=True)
        ax._atlas_hover = (dots, [_hover_text(indicator, versus, row, areas)
                                  for _, row in drawn.iterrows()])
        if own.any() and not areas:
            ax.scatter(drawn["x"][own], drawn["y"][own], s=130, facecolors="none",
                       edgecolors=HIGHLIGHT_COLOUR, linewidths=1.5, zorder=5, gid="highlight")
        if np.isfinite(correlation.r):
            slope, intercept = np.polyfit(drawn["x"], drawn["y"], 1)
            span = np.array([drawn["x"].min(), drawn["x"].max()])
            ax.plot(span, intercept + slope * span, color=MUTED_TEXT, linestyle="--",
                    linewidth=1, zorder=3, gid="fit")
        # the result in the legend, in view: on screen the notes become a tooltip
        ax.legend(handles=_legend(correlation, highlight, areas), loc="upper left",
                  bbox_to_anchor=(1.01, 1))
        ax.set_xlabel(f"{title_with_unit(versus.title, versus.unit)}, {versus_period}")
        ax.set_ylabel(axis_label(indicator))
        if not areas and len(drawn) <= NAMED_UP_TO:
            ax.margins(x=0.08, y=0.08)
            ax.autoscale_view()
            place_names(ax, drawn["x"], drawn["y"], drawn["name"], highlight, fontsize=7)
        what = "small area" if areas else "cluster"
        subtitle = f"{period}. {EXPLANATION.format(what=what)}"
        annotate_chart(ax, indicator.title, subtitle,
                       _notes(correlation, points, highlight, areas), indicator.source,
                       indicator.synthetic or versus.synthetic)
    return ax


def _legend(correlation: Correlation, highlight: str | None, areas: bool) -> list:
    def dot(colour: str, label: str) -> Line2D:
        return Line2D([], [], linestyle="none", marker="o", color=colour, label=label)

    if not areas:
        handles = [dot(CLUSTER_COLOUR, "Clusters")]
    elif highlight:
        handles = [dot(CLUSTER_COLOUR, f"Small areas of\n{highlight}"),
                   dot(OTHER_COLOUR, "Other small areas")]
    else:
        handles = [dot(OTHER_COLOUR, "Small areas")]
    if np.isfinite(correlation.r):
        interval = (f"\n95% CI {correlation.lower:.2f} to {correlation.upper:.2f}"
                    if np.isfinite(correlation.lower) else "")
        handles.append(Line2D([], [], color=MUTED_TEXT, linestyle="--",
                              label=f"Best fit, r = {correlation.r:.2f}{interval}"))
    return handles


def _hover_text(indicator: Indicator, versus: Indicator, row: pd.Series, areas: bool) -> str:
    where = f" ({row['cluster']})" if areas and isinstance(row["cluster"], str) else ""
    return (f"{row['name']}{where}\n{indicator.title}: {fmt(indicator, row['y'])}\n"
            f"{versus.title}: {fmt(versus, row['x'])}")


def hover_label(ax: Axes, event) -> str | None:
    """The name and values of the point under the mouse `event`, if any."""
    found = getattr(ax, "_atlas_hover", None)
    if found is None or event.inaxes is not ax:
        return None
    dots, texts = found
    if not isinstance(dots, PathCollection) or dots not in ax.collections:
        return None  # the Axes show another chart now
    hit, where = dots.contains(event)
    return texts[where["ind"][0]] if hit and len(where["ind"]) else None


def correlation_words(correlation: Correlation) -> str:
    """"r = 0.62 (95% CI 0.31 to 0.81), a strong positive correlation, 12 clusters"."""
    if not np.isfinite(correlation.r):
        return f"No correlation: {correlation.reason}"
    interval = (f" (95% CI {correlation.lower:.2f} to {correlation.upper:.2f})"
                if np.isfinite(correlation.lower) else "")
    return f"r = {correlation.r:.2f}{interval}: {strength(correlation.r)}"


def _notes(correlation: Correlation, points: ScatterPoints, highlight: str | None,
           areas: bool) -> list[str]:
    unit = "small areas" if areas else "clusters"
    notes = [(f"{correlation_words(correlation)}, from {correlation.n} {unit} "
              "(Pearson, Fisher's interval). A correlation shows the two go together, not "
              "that one causes the other.")]
    if highlight and areas:
        notes.append(f"Blue dots: the small areas of {highlight}.")
    left = points.left_out()
    if left:
        parts = [f"{n} {why}" + (f" ({SUPPRESSED})" if why == "suppressed" else "")
                 for why, n in left.items()]
        notes.append(f"Left out: {', '.join(parts)}.")
    return notes


def scatter_table(indicator: Indicator, versus: Indicator, period: str, versus_period: str,
                  points: ScatterPoints, correlation: Correlation,
                  highlight: str | None = None) -> pd.DataFrame:
    """One row per cluster or area (left-out ones marked), then the correlation."""
    areas = points.level == MAP_AREAS
    rows = []
    for _, row in points.frame.iterrows():
        hidden = row["why"] == "suppressed"
        rows.append([row["name"], *([row["cluster"] if isinstance(row["cluster"], str)
                                     else NOT_APPLICABLE] if areas else []),
                     fmt(versus, row["x"], hidden), fmt(indicator, row["y"], hidden)])
    blank = [NOT_APPLICABLE] * (2 if areas else 1)
    rows.append(["Correlation (r)", *blank[1:], correlation_words(correlation), NOT_APPLICABLE])
    return pd.DataFrame(rows, columns=["Small area" if areas else "Cluster",
                                       *(["Cluster"] if areas else []),
                                       f"{versus.title} ({versus_period})",
                                       f"{indicator.title} ({period})"])


def default_versus(bundle: Bundle, indicator: Indicator) -> Indicator:
    """The scatter's second indicator when none is chosen: the deprivation indicator, or the
    first other indicator."""
    manifest = bundle.manifest
    for candidate in (manifest.deprivation_indicator, *(i.id for i in manifest.indicators)):
        if candidate and candidate != indicator.id:
            return manifest.indicator(candidate)
    return indicator


def scatter_inputs(bundle: Bundle, statistics: Statistics, indicator: Indicator, period: str,
                   cluster: str | None, options: ChartOptions) -> dict:
    """Both indicators' values for every cluster (or area): the second in the same period
    when it has one, else its latest."""
    versus = (bundle.manifest.indicator(options.versus) if options.versus
              else default_versus(bundle, indicator))
    versus_periods = statistics.periods(versus.id)
    versus_period = period if period in versus_periods else versus_periods[-1]
    if options.scatter_level == MAP_AREAS:
        y = statistics.area_values(indicator.id, period)
        x = statistics.area_values(versus.id, versus_period)
        names, clusters = bundle.areas["area_name"], bundle.areas["cluster"]
    else:
        y = statistics.cluster_values(indicator.id, period).drop(index=COUNTY)
        x = statistics.cluster_values(versus.id, versus_period).drop(index=COUNTY)
        names = clusters = y.index
    points = scatter_points(names, clusters, x, y, options.scatter_level)
    drawn = points.drawn
    return {"indicator": indicator, "versus": versus, "period": period,
            "versus_period": versus_period, "points": points,
            "correlation": pearson(drawn["x"], drawn["y"]), "highlight": cluster}

