"""Every cluster as a bar with its 95% interval, coloured by significance (at the comparison's
level, against the county or the rest of it) and labelled with its value and verdict, with the
county value as a line; the title states the message (desktop.core.charts.findings); clusters in bundle order (the same place for every indicator,
so a reader finds their cluster at once) unless `order="value"`. The switch's fast path updates
a drawn chart in place (desktop.core.charts.bar_update); the numbers behind it come from
desktop.core.charts.tables.

Every cluster is named, always: a chart with more clusters grows taller instead
(`fit_to_names` for a figure of its own, `height_for_names` for a screen that scrolls), so 150
clusters at England scale read as 150 names, not every tenth.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import matplotlib
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.container import BarContainer, ErrorbarContainer
from matplotlib.font_manager import FontProperties

from desktop.core.charts.common import (
    MISSING_NOTE,
    SUPPRESSION_NOTE,
    axis_label,
    county_line,
    fmt,
    nonnegative_axis,
    significance_of,
)
from desktop.core.charts.findings import bar_finding, verdict_word
from desktop.core.format import MISSING, title_with_unit
from desktop.core.model import SUPPRESSED, Indicator, Significance
from desktop.core.plotting.annotate import annotate_chart
from desktop.core.plotting.palettes import SIGNIFICANCE_COLOURS
from desktop.core.plotting.style import (
    HIGHLIGHT_COLOUR,
    MUTED_TEXT,
    prepare_axes,
    style_context,
)
from desktop.core.stats.comparison import DEFAULT, Comparison

NAME_LINE = 1.25  # the height of one cluster name down a bar chart, in font sizes
VALUE_LABEL = "value-label"  # the gid of the value and verdict beside each bar
BENCHMARK_COLOUR = "#ffffff"  # with a dark edge: seen on every bar colour
ORDERS = ("bundle", "value")


def ordered_clusters(clusters: pd.DataFrame, order: str = "bundle") -> pd.DataFrame:
    """Clusters with a boolean `suppressed` and `significance` members, in the chart's order."""
    if order not in ORDERS:
        raise ValueError(f"order must be one of {ORDERS}, not {order!r}")
    suppressed = (clusters["suppressed"].fillna(False).astype(bool)
                  if "suppressed" in clusters else pd.Series(False, index=clusters.index))
    sig = clusters["significance"] if "significance" in clusters else [None] * len(clusters)
    hidden = suppressed.to_numpy()
    # Series.where, not .loc[mask] = nan: this runs several times in every indicator switch
    frame = clusters.assign(suppressed=hidden, significance=significance_of(sig),
                            **{col: clusters[col].where(~hidden)
                               for col in ("value", "lower95", "upper95")})
    if order == "value":
        frame = frame.sort_values("value", ascending=False, na_position="last", kind="stable")
    return frame


def bar_palette(colours: Mapping | None = None) -> dict[Significance, str]:
    """Bar colours by significance: `colours` (keys members or their values) or the default."""
    return {Significance(k): v for k, v in (colours or SIGNIFICANCE_COLOURS).items()}


def bar_chart(ax: Axes, indicator: Indicator, period: str, clusters: pd.DataFrame,
              county: Mapping | pd.Series, highlight: str | None = None,
              colours: Mapping | None = None, order: str = "bundle",
              comparison: Comparison = DEFAULT, benchmarks: pd.Series | None = None) -> Axes:
    """Horizontal bars of every cluster with 95% whiskers, coloured by significance as judged
    by `comparison` (the subtitle says which level and benchmark; each bar is labelled with
    its value and verdict, "36.1% Worse"). `benchmarks` (by cluster): each cluster's own
    benchmark, marked on its row (its similar clusters' pooled value, when compared with them).

    `clusters` is indexed by cluster name with columns value, lower95, upper95, suppressed and
    significance; `county` has value (lower95, upper95 optional). Suppressed clusters get no bar
    but a "[c]", clusters with no value an "[x]"; the `highlight` cluster gets a bold label and
    a black edge. Bars carry the
    cluster name as gid and are pickable, so a view can tell which cluster was clicked.
    """
    palette = bar_palette(colours)
    frame = ordered_clusters(clusters, order)
    names = [str(name) for name in frame.index]
    y = np.arange(len(frame))
    values = frame["value"].to_numpy(float)
    lower, upper = frame["lower95"].to_numpy(float), frame["upper95"].to_numpy(float)
    drawn = np.isfinite(values)
    prepare_axes(ax)
    with style_context():
        bars = ax.barh(y[drawn], values[drawn], height=0.68, zorder=2,
                       color=[palette[s] for s in frame["significance"][drawn]],
                       edgecolor="#7f7f7f", linewidth=0.4)
        for bar, name in zip(bars, np.asarray(names)[drawn]):
            bar.set_gid(name)
            bar.set_picker(True)
            if name == highlight:
                bar.set_edgecolor(HIGHLIGHT_COLOUR)
                bar.set_linewidth(1.6)
        ci = drawn & np.isfinite(lower) & np.isfinite(upper)
        whiskers = None
        if ci.any():
            whiskers = ax.errorbar(values[ci], y[ci],
                                   xerr=[values[ci] - lower[ci], upper[ci] - values[ci]],
                                   fmt="none", ecolor="#262626", elinewidth=0.9, capsize=2.5,
                                   zorder=4)
        for yi, marked in zip(y, frame["suppressed"].to_numpy()):
            if not np.isfinite(values[yi]):
                ax.annotate(SUPPRESSED if marked else MISSING, xy=(0, yi),
                            xycoords=("axes fraction", "data"), xytext=(4, 0),
                            textcoords="offset points", va="center", color=MUTED_TEXT,
                            gid="suppressed" if marked else "missing")
        county_value = float(pd.Series(county).get("value", np.nan))
        county_line(ax, indicator, county_value)
        if benchmarks is not None:
            ax.scatter(_benchmarks(frame, benchmarks), y, marker="D", s=22, zorder=5,
                       color=BENCHMARK_COLOUR, edgecolors="#262626", linewidths=0.9,
                       gid="benchmarks")
        ax.set_yticks(y, labels=names)
        ax.set_ylim(max(len(frame), 1) - 0.5, -0.5)
        for label in ax.get_yticklabels():
            if label.get_text() == highlight:
                label.set_fontweight("bold")
        ax.tick_params(axis="y", length=0)
        ax.grid(axis="y", visible=False)
        bar_texts(ax, indicator, period, frame, county_value, highlight, comparison,
                  benchmarks is not None)
    structure = bar_structure(frame, county_value, highlight, palette, benchmarks is not None)
    ax._atlas_bars = BarArtists(structure, bars, whiskers)
    return ax


def name_line_pt(ax: Axes) -> float:
    """The height a cluster name needs down the chart, in points."""
    labels = ax.get_yticklabels()
    size = (labels[0].get_fontsize() if labels else
            FontProperties(size=matplotlib.rcParams["ytick.labelsize"]).get_size_in_points())
    return size * NAME_LINE


def height_for_names(ax: Axes, n: int) -> float:
    """The figure height (inches) at which the Axes hold `n` names, one line each: the
    figure's height less the Axes' (what titles, value axis and notes take) plus the lines.
    Read after the figure has been laid out (drawn), when the Axes are where they show."""
    fig = ax.get_figure(root=True)
    height = fig.get_figheight()
    return height - ax.get_position().height * height + n * name_line_pt(ax) / 72


def fit_to_names(ax: Axes, n: int, max_height_in: float | None = None) -> None:
    """Lay out the figure of a bar chart of `n` clusters, growing it until every name has a
    line of its own. Past `max_height_in` (a page) the names get smaller instead: all are
    still there."""
    fig = ax.get_figure(root=True)
    engine = fig.get_layout_engine()
    with style_context():
        if engine is not None:
            engine.execute(fig)
        needed = height_for_names(ax, n)
        if needed <= fig.get_figheight():
            return
        height = needed if max_height_in is None else min(needed, max_height_in)
        fig.set_figheight(height, forward=False)
        if engine is not None:
            engine.execute(fig)
        if height < needed:
            room_pt = ax.get_position().height * height * 72
            ax.tick_params(axis="y", labelsize=room_pt / n / NAME_LINE)


def _benchmarks(frame: pd.DataFrame, benchmarks: pd.Series) -> np.ndarray:
    """Each cluster's benchmark in the chart's order (NaN where it has none)."""
    return benchmarks.reindex(frame.index.astype(str)).to_numpy(float)


def benchmark_offsets(frame: pd.DataFrame, benchmarks: pd.Series) -> np.ndarray:
    """Where the benchmark marks sit: (value, row) per cluster in the chart's order."""
    return np.column_stack([_benchmarks(frame, benchmarks), np.arange(len(frame))])


def bar_texts(ax: Axes, indicator: Indicator, period: str, frame: pd.DataFrame,
              county_value: float, highlight: str | None = None,
              comparison: Comparison = DEFAULT, benchmarks: bool = False) -> None:
    """The value axis, the value and verdict beside each bar, titles and notes of a bar chart
    of `ordered_clusters`: the part that follows the numbers, shared by `bar_chart` and the
    in-place update.

    As the Government Analysis Function asks, the title states the message
    (findings.bar_finding), the subtitle what is measured, and the bars are labelled directly
    ("36.1% Worse") instead of through a legend, so no verdict is told by colour alone."""
    values = frame["value"].to_numpy(float)
    lower, upper = frame["lower95"].to_numpy(float), frame["upper95"].to_numpy(float)
    drawn = np.isfinite(values)
    nonnegative_axis(ax, np.concatenate([values, lower, upper, [county_value]]), "x")
    ax.set_xlabel(axis_label(indicator))
    value_labels(ax, indicator, frame, highlight)
    compared = any(sig != Significance.NOT_COMPARED for sig in frame["significance"][drawn])
    notes = []
    if (drawn & np.isfinite(lower) & np.isfinite(upper)).any():
        notes.append("Whiskers show 95% confidence intervals.")
    if compared:
        notes.append(f"Colours and the words beside the bars compare each cluster with "
                     f"{comparison.benchmark} at {comparison.level_text} confidence.")
    if benchmarks:
        notes.append("Diamonds: each cluster's similar clusters taken together, the value it "
                     "is compared with.")
    if frame["suppressed"].any():
        notes.append(SUPPRESSION_NOTE)
    if (~drawn & ~frame["suppressed"].to_numpy(bool)).any():
        notes.append(MISSING_NOTE)
    against = (f", against {comparison.benchmark} at {comparison.level_text} confidence"
               if compared else "")
    finding = bar_finding(indicator, frame, county_value, highlight, comparison)
    annotate_chart(ax, finding.title,
                   f"{title_with_unit(indicator.title, indicator.unit)}: {period}, all "
                   f"clusters{against}", notes, indicator.source, indicator.synthetic)


def value_labels(ax: Axes, indicator: Indicator, frame: pd.DataFrame,
                 highlight: str | None = None) -> None:
    """Each shown value and its verdict ("36.1% Worse") in a column right of the bars,
    replacing the labels of the numbers before (their texts changed in place when they sit on
    the same rows in the same weights: 150 new annotations took 70 ms of a switch)."""
    values = frame["value"].to_numpy(float)
    rows = [(yi, f"{fmt(indicator, value)} {verdict_word(sig)}".strip(),
             "bold" if name == highlight else "normal")
            for yi, (name, value, sig) in enumerate(zip(frame.index, values,
                                                        frame["significance"]))
            if np.isfinite(value)]
    old = [t for t in ax.texts if t.get_gid() == VALUE_LABEL]
    if [(t.xy[1], t.get_fontweight()) for t in old] == [(yi, w) for yi, _, w in rows]:
        for text, (_yi, words, _weight) in zip(old, rows):
            text.set_text(words)
        return
    for text in old:
        text.remove()
    for yi, words, weight in rows:
        ax.annotate(words, xy=(1, yi), xycoords=("axes fraction", "data"), xytext=(4, 0),
                    textcoords="offset points", va="center", ha="left", fontsize="small",
                    fontweight=weight, annotation_clip=False, gid=VALUE_LABEL)


@dataclass(frozen=True, eq=False)
class BarArtists:
    """What `bar_chart` drew that a new indicator can update in place (desktop.core.charts.bar_update):
    the structure it was drawn for, the bars and the whiskers' container (None without any)."""
    structure: tuple
    bars: BarContainer
    whiskers: ErrorbarContainer | None


def bar_structure(frame: pd.DataFrame, county_value: float, highlight: str | None,
                  palette: Mapping[Significance, str], benchmarks: bool = False) -> tuple:
    """Everything but the numbers and texts that shapes a bar chart of `ordered_clusters`:
    charts with equal structures have the same artists, so one can be updated into the other."""
    values = frame["value"].to_numpy(float)
    ci = (np.isfinite(values) & np.isfinite(frame["lower95"].to_numpy(float))
          & np.isfinite(frame["upper95"].to_numpy(float)))
    return (tuple(map(str, frame.index)), tuple(np.isfinite(values)),
            tuple(frame["suppressed"].to_numpy(bool)), tuple(ci), highlight,
            bool(np.isfinite(county_value)), tuple(sorted((str(k), v) for k, v in palette.items())),
            benchmarks)
