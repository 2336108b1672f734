"""The funnel plot: every cluster's value against its size, with the county value and the 95%
and 99.8% control limits around it (stats.funnel, as PHEindicatormethods and Fingertips draw
them); the chosen cluster ringed, the clusters outside the limits named.

A small cluster's value wanders further from the county by chance alone than a large one's, so
the limits fan out to the left: a cluster outside them differs from the county by more than
chance would explain at its size.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.lines import Line2D

from desktop.core.charts.common import axis_label, fmt, place_names
from desktop.core.charts.options import ChartOptions
from desktop.core.format import MISSING, format_value
from desktop.core.model import NOT_APPLICABLE, SUPPRESSED, Bundle, Indicator, Polarity, Significance
from desktop.core.plotting.annotate import annotate_chart
from desktop.core.plotting.palettes import SIGNIFICANCE_COLOURS
from desktop.core.plotting.style import (
    COUNTY_COLOUR,
    HIGHLIGHT_COLOUR,
    MUTED_TEXT,
    prepare_axes,
    style_context,
)
from desktop.core.stats import funnel as fn

if TYPE_CHECKING:
    from desktop.core.stats.table import Statistics

EXPLANATION = ("Clusters outside the funnel differ from the county by more than chance "
               "would explain at their size.")
SIZE_WORDS = {fn.PROPORTION: "Denominator", fn.RATE: "Population", fn.RATIO: "Expected events"}
LIMIT_STYLES = {"95": ("--", 0.9), "99.8": ("-", 1.1)}  # line style and width
LIMIT_COLOUR = "#7f7f7f"


def verdict_significance(verdict: str | None, polarity: Polarity | str) -> Significance:
    """A funnel verdict ("High (0.001)" ...) as better / worse (or higher / lower)."""
    if verdict in (fn.HIGH_95, fn.HIGH_998, fn.LOW_95, fn.LOW_998):
        high = verdict in (fn.HIGH_95, fn.HIGH_998)
        polarity = Polarity(polarity)
        if polarity is Polarity.NO_JUDGEMENT:
            return Significance.HIGHER if high else Significance.LOWER
        worse = high == (polarity is Polarity.HIGHER_IS_WORSE)
        return Significance.WORSE if worse else Significance.BETTER
    if verdict == fn.SIMILAR:
        return Significance.SIMILAR
    return Significance.NOT_COMPARED


def verdict_words(verdict: str | None, polarity: Polarity | str) -> str:
    """"Worse: beyond the 99.8% limit", "Within the limits", "Not applicable: ..."."""
    sig = verdict_significance(verdict, polarity)
    if sig is Significance.SIMILAR:
        return "Within the limits"
    if sig is Significance.NOT_COMPARED:
        return "Not compared" if verdict is None else str(verdict)
    level = "99.8%" if verdict in (fn.HIGH_998, fn.LOW_998) else "95%"
    return f"{sig.value.capitalize()}: beyond the {level} limit"


def funnel_chart(ax: Axes, indicator: Indicator, period: str, funnel: fn.Funnel,
                 highlight: str | None = None) -> Axes:
    """The funnel of `funnel` (stats.funnel.cluster_funnel) onto `ax`."""
    prepare_axes(ax)
    with style_context():
        if funnel.reason:
            ax.set_axis_off()
            ax.text(0.5, 0.5, f"No funnel plot: {funnel.reason}.", ha="center", va="center",
                    wrap=True, color=MUTED_TEXT, transform=ax.transAxes, gid="no-chart")
        else:
            _draw(ax, indicator, funnel, highlight)
        annotate_chart(ax, indicator.title, f"{period}. {EXPLANATION}", _notes(funnel),
                       indicator.source, indicator.synthetic)
    return ax


def _draw(ax: Axes, indicator: Indicator, funnel: fn.Funnel, highlight: str | None) -> None:
    limits = funnel.limits
    size_column = "population" if funnel.statistic == fn.PROPORTION else "events"
    for level, (style, width) in LIMIT_STYLES.items():
        key = level.replace(".", "")
        for side in ("lower", "upper"):
            x = (limits[size_column] if funnel.statistic == fn.PROPORTION
                 else limits[f"{side}{key}_size"])
            ax.plot(x, limits[f"{side}{key}"], linestyle=style, linewidth=width,
                    color=LIMIT_COLOUR, gid=f"limit:{side}{key}", zorder=2)
    ax.axhline(funnel.baseline, color=COUNTY_COLOUR, linewidth=1.2, gid="county", zorder=3)
    points = funnel.points
    sig = [verdict_significance(v, indicator.polarity) for v in points["verdict"]]
    beyond = points["verdict"].isin((fn.HIGH_998, fn.LOW_998)).to_numpy()
    ax.scatter(points["size"], points["value"], s=np.where(beyond, 60, 38),
               c=[SIGNIFICANCE_COLOURS[s.value] for s in sig], edgecolors="#4d4d4d",
               linewidths=0.6, zorder=5, gid="points", picker=True)
    chosen = points["name"] == highlight
    if chosen.any():
        ax.scatter(points.loc[chosen, "size"], points.loc[chosen, "value"], s=150,
                   facecolors="none", edgecolors=HIGHLIGHT_COLOUR, linewidths=1.6, zorder=6,
                   gid="highlight")
    _frame(ax, funnel, limits, size_column)
    named = points[chosen.to_numpy() | np.array([s not in (Significance.SIMILAR,
                                                           Significance.NOT_COMPARED)
                                                 for s in sig])]
    place_names(ax, named["size"], named["value"], named["name"], highlight)
    ax.set_xlabel(f"{SIZE_WORDS[funnel.statistic]} (cluster size)")
    ax.set_ylabel(axis_label(indicator))
    ax.legend(handles=_legend(indicator), loc="upper left", bbox_to_anchor=(1.01, 1))


def _frame(ax: Axes, funnel: fn.Funnel, limits: pd.DataFrame, size_column: str) -> None:
    """Axes from the funnel's neat start to its end, tall enough for every point and for the
    99.8% limits where the smallest cluster sits (the limits run off further left)."""
    points = funnel.points
    sizes = (limits[size_column] if funnel.statistic == fn.PROPORTION else
             pd.concat([limits[c] for c in limits.columns if c.endswith("_size")]))
    ax.set_xlim(max(0.0, float(sizes.min())) if funnel.statistic == fn.PROPORTION else 0.0,
                float(points["size"].max()) * 1.08)
    smallest = float(points["size"].min())
    near = []
    for side in ("lower998", "upper998"):
        x = (limits[size_column] if funnel.statistic == fn.PROPORTION
             else limits[f"{side}_size"]).to_numpy(float)
        y = limits[side].to_numpy(float)
        order = np.argsort(x)
        near.append(float(np.interp(smallest, x[order], y[order])))
    values = np.r_[points["value"].to_numpy(float), near, funnel.baseline]
    low, high = np.nanmin(values), np.nanmax(values)
    pad = 0.08 * (high - low or abs(high) or 1.0)
    ax.set_ylim(max(low - pad, 0.0) if low >= 0 else low - pad, high + pad)


def _legend(indicator: Indicator) -> list:
    judged = (("higher", "lower") if Polarity(indicator.polarity) is Polarity.NO_JUDGEMENT
              else ("worse", "better"))
    dots = [Line2D([], [], linestyle="none", marker="o", markersize=6,
                   markerfacecolor=SIGNIFICANCE_COLOURS[key], markeredgecolor="#4d4d4d",
                   label=label) for key, label in
            ((judged[0], f"{judged[0].capitalize()}: outside the limits"),
             ("similar", "Within the limits"),
             (judged[1], f"{judged[1].capitalize()}: outside the limits"))]
    lines = [Line2D([], [], color=COUNTY_COLOUR, linewidth=1.2, label="County"),
             *(Line2D([], [], color=LIMIT_COLOUR, linestyle=style, linewidth=width,
                      label=f"{level}% limits") for level, (style, width) in LIMIT_STYLES.items())]
    return [*dots, *lines]


def _notes(funnel: fn.Funnel) -> list[str]:
    notes = []
    if not funnel.reason:
        method = ("Wilson score" if funnel.statistic == fn.PROPORTION else "exact Poisson")
        notes.append(f"Control limits ({method}) as PHEindicatormethods and Fingertips draw "
                     "them: 95% of clusters would lie inside the dashed lines, and 99.8% "
                     "inside the solid ones, if every cluster had the county's value. Larger "
                     "dots lie beyond the 99.8% limits.")
    left = funnel.left_out
    if left:
        parts = [f"{len(names)} {why}" + (f" ({SUPPRESSED})" if why == "suppressed" else "")
                 for why, names in left.items()]
        notes.append(f"Clusters not shown: {', '.join(parts)}.")
    return notes


def funnel_table(indicator: Indicator, period: str, funnel: fn.Funnel,
                 highlight: str | None = None) -> pd.DataFrame:
    """One row per cluster plotted (then those left out, and the county): its count, size,
    value and where it lies against the limits."""
    size = SIZE_WORDS.get(funnel.statistic, "Size")
    rows = [[row["name"], format_value(row["numerator"], "count"),
             format_value(row["size"], "count"), fmt(indicator, row["value"]),
             verdict_words(row["verdict"], indicator.polarity)]
            for _, row in funnel.points.iterrows()]
    for why, names in funnel.left_out.items():
        hidden = why == "suppressed"
        rows += [[name, SUPPRESSED if hidden else MISSING, MISSING,
                  SUPPRESSED if hidden else MISSING, f"Not shown: {why}"] for name in names]
    rows.append(["County", NOT_APPLICABLE, NOT_APPLICABLE, fmt(indicator, funnel.baseline),
                 "The funnel's centre line"])
    return pd.DataFrame(rows, columns=["Cluster", "Count", size, "Value",
                                       "Against the funnel"])


def funnel_inputs(bundle: Bundle, statistics: Statistics, indicator: Indicator, period: str,
                  cluster: str | None, options: ChartOptions) -> dict:
    return {"indicator": indicator, "period": period,
            "funnel": fn.cluster_funnel(statistics, indicator, period), "highlight": cluster}
