"""The cluster's value per period with 95% whiskers, against the county and its band.

The title states the message (desktop.core.charts.findings: "Stourport rose from 14.2% in 2018
to 36.1% in 2023"); the two lines are named where they end, not in a legend, and differ in
marker and dash as well as colour.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

import matplotlib
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.font_manager import FontProperties

from desktop.core.charts.common import SUPPRESSION_NOTE, axis_label, nonnegative_axis
from desktop.core.charts.findings import trend_finding
from desktop.core.format import title_with_unit
from desktop.core.model import SUPPRESSED, Indicator, Trend
from desktop.core.plotting.annotate import annotate_chart
from desktop.core.plotting.style import (
    CLUSTER_COLOUR,
    COUNTY_COLOUR,
    MUTED_TEXT,
    prepare_axes,
    style_context,
)
from desktop.core.stats.changes import gap_change
from desktop.core.stats.trend import trend_words


def trend_periods(indicator: Indicator, *series: pd.DataFrame) -> list[str]:
    """Periods in chronological order: the indicator's own list, then any others as given."""
    present = dict.fromkeys(str(p) for frame in series for p in frame.index)
    known = [p for p in indicator.periods if p in present]
    return known + [p for p in present if p not in known]


def series_values(frame: pd.DataFrame, periods: Sequence[str]) -> pd.DataFrame:
    """value/lower95/upper95 by period with suppressed periods blanked, plus `suppressed`."""
    frame = frame.set_axis(frame.index.astype(str)).reindex(list(periods))
    suppressed = frame.get("suppressed", pd.Series(False, index=frame.index))
    suppressed = suppressed.astype("boolean").fillna(False).to_numpy(bool)
    numbers = frame[["value", "lower95", "upper95"]].astype(float)
    numbers.loc[suppressed] = np.nan
    return numbers.assign(suppressed=suppressed)


CHAR_PT = 0.62  # the average width of a character, in font sizes
AROUND_PT = 80  # the value axis' labels and the gaps, in points
LINE_LABEL = "line-label"  # the gid of the names at the lines' ends
LABEL_CHARS = 18  # a longer name at a line's end wraps onto more lines
LABEL_GAP_PT = 2  # between a line's end and its name above or below it


def line_label_text(name: str) -> str:
    return textwrap.fill(name, LABEL_CHARS)


def periods_fit_across(ax: Axes, periods: Sequence[str], cluster_name: str) -> bool:
    """Whether the period labels fit side by side under the Axes, which share the figure's
    width with the value axis and the names at the lines' ends (the longest being the
    cluster's); otherwise they are turned, so no two run into each other."""
    size = FontProperties(size=matplotlib.rcParams["xtick.labelsize"]).get_size_in_points()
    names = max(len(line) for line in line_label_text(cluster_name).splitlines())
    room = ax.get_figure(root=True).get_figwidth() * 72 - names * size * CHAR_PT - AROUND_PT
    return sum(len(p) + 2 for p in periods) * size * CHAR_PT <= room


def label_line_ends(ax: Axes, ends: Sequence[tuple[str, float, float, str]]) -> None:
    """Name each line just right of its last point (name, x, y, colour). Two names stand
    above and below the higher and the lower end, so they never touch, however close the
    values and however small the chart."""
    order = sorted(range(len(ends)), key=lambda k: -ends[k][2])
    for rank, k in enumerate(order):
        name, x, y, colour = ends[k]
        va, dy = (("center", 0) if len(ends) == 1 else
                  ("bottom", LABEL_GAP_PT) if rank == 0 else ("top", -LABEL_GAP_PT))
        ax.annotate(line_label_text(name), xy=(x, y), xytext=(7, dy), textcoords="offset points",
                    ha="left", va=va, fontsize="small", color=colour,
                    annotation_clip=False, gid=LINE_LABEL)


def _end(values: pd.Series, x: np.ndarray) -> tuple[float, float] | None:
    valid = np.flatnonzero(np.isfinite(values.to_numpy(float)))
    return None if valid.size == 0 else (float(x[valid[-1]]), float(values.iat[valid[-1]]))


def trend_chart(ax: Axes, indicator: Indicator, cluster_name: str, series_cluster: pd.DataFrame,
                series_county: pd.DataFrame, trend: Trend | str | None = None) -> Axes:
    """The cluster's value per period with 95% whiskers, against the county and its band.

The title states the message (desktop.core.charts.findings: "Stourport rose from 14.2% in 2018
to 36.1% in 2023"); the two lines are named where they end, not in a legend, and differ in
marker and dash as well as colour.
"""
    periods = trend_periods(indicator, series_cluster, series_county)
    x = np.arange(len(periods))
    cl = series_values(series_cluster, periods)
    co = series_values(series_county, periods)
    prepare_axes(ax)
    with style_context():
        ax.fill_between(x, co["lower95"], co["upper95"], color=COUNTY_COLOUR, alpha=0.12,
                        linewidth=0)
        ax.plot(x, co["value"], color=COUNTY_COLOUR, linestyle="--", marker="s", markersize=3.5,
                label="County", gid="county", zorder=3)
        err = np.vstack([cl["value"] - cl["lower95"], cl["upper95"] - cl["value"]])
        ax.errorbar(x, cl["value"], yerr=np.nan_to_num(err, nan=0.0), fmt="none",
                    ecolor=CLUSTER_COLOUR, elinewidth=0.9, capsize=2.5, zorder=4)
        ax.plot(x, cl["value"], color=CLUSTER_COLOUR, marker="o", label=cluster_name,
                gid="cluster", zorder=5)
        hidden = [p for p, s in zip(periods, cl["suppressed"]) if s]
        for xi in x[cl["suppressed"].to_numpy()]:
            ax.annotate(SUPPRESSED, xy=(xi, 0), xycoords=("data", "axes fraction"),
                        xytext=(0, 3), textcoords="offset points", ha="center", va="bottom",
                        color=MUTED_TEXT, gid="suppressed")
        long_labels = not periods_fit_across(ax, periods, cluster_name)
        ax.set_xticks(x, labels=periods, rotation=45 if long_labels else 0,
                      ha="right" if long_labels else "center",
                      rotation_mode="anchor" if long_labels else "default")
        ax.set_xlim(-0.5, max(len(periods), 1) - 0.5)
        ax.grid(axis="x", visible=False)
        if periods:  # the baseline: the first period shown, which later ones are read against
            ax.axvline(0, color=MUTED_TEXT, linewidth=0.8, linestyle=":", gid="baseline",
                       zorder=1)
            # above the Axes, where no point or whisker can run into it
            ax.annotate("Baseline", xy=(0, 1), xycoords=("data", "axes fraction"),
                        xytext=(0, 2), textcoords="offset points", ha="center", va="bottom",
                        fontsize=7, color=MUTED_TEXT, gid="baseline-label",
                        annotation_clip=False)
        nonnegative_axis(ax, np.concatenate([cl.to_numpy(float).ravel(),
                                              co.to_numpy(float).ravel()]), "y")
        ax.set_ylabel(axis_label(indicator))
        ax.set_xlabel("Period")
        label_line_ends(ax, [(name, *end, colour) for name, series, colour in
                             ((cluster_name, cl["value"], CLUSTER_COLOUR),
                              ("County", co["value"], COUNTY_COLOUR))
                             if (end := _end(series, x)) is not None])
        subtitle = f"{title_with_unit(indicator.title, indicator.unit)}: {cluster_name} " \
                   "against the county"
        if periods:
            subtitle += f", {periods[0]} to {periods[-1]}"
        if trend is not None:
            subtitle += f"; recent trend: {trend_words(trend, indicator.polarity).lower()}"
        notes = ["Whiskers: the cluster's 95% confidence intervals; shaded band: the county's."]
        if hidden:
            notes.append(f"{SUPPRESSION_NOTE} ({', '.join(hidden)}), not plotted.")
        gap = gap_change(cl, co)
        if gap is not None:
            notes.append(gap.note(indicator))
        finding = trend_finding(indicator, cluster_name, periods, cl, co, trend)
        annotate_chart(ax, finding.title, subtitle, notes, indicator.source, indicator.synthetic)
    return ax
