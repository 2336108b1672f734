"""Charts of one indicator, drawn onto a given Axes so the screen and every export share them.

- `bar_chart`: every cluster as a bar with its 95% interval, coloured by significance against
  the county, the county value as a line; clusters in bundle order (the same place for every
  indicator, so a reader finds their cluster at once) unless `order="value"`.
- `trend_chart`: the cluster against the county over all periods, with intervals.
- `distribution_chart`: the small-area (LSOA) values in the cluster against the county.

Each function takes plain DataFrames/arrays and an `Indicator`, returns the Axes, and writes
titles, subtitles and notes with `annotate_chart`, which the map export uses too. The numbers
behind each chart come from `desktop.core.chart_tables` (the table alternative to a chart).
Suppressed values never reach an artist: they are drawn as "*" with a footnote.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import matplotlib
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.container import BarContainer, ErrorbarContainer
from matplotlib.font_manager import FontProperties
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.text import Annotation

from desktop.core.changes import gap_change
from desktop.core.format import format_value
from desktop.core.model import (SUPPRESSED, SYNTHETIC_LABEL, Indicator, Polarity, Significance,
                                 Trend)
from desktop.core.palettes import SIGNIFICANCE_COLOURS
from desktop.core.style import (CLUSTER_COLOUR, COUNTY_COLOUR, HIGHLIGHT_COLOUR, MUTED_TEXT,
                                prepare_axes, style_context)

SUPPRESSION_NOTE = f"{SUPPRESSED} suppressed: small numbers"
SIGNIFICANCE_LABELS: dict[Significance, str] = {
    Significance.BETTER: "Better than county",
    Significance.SIMILAR: "Similar to county",
    Significance.WORSE: "Worse than county",
    Significance.HIGHER: "Higher than county",
    Significance.LOWER: "Lower than county",
    Significance.NOT_COMPARED: "Not compared",
}
LABEL_LINE = 1.25  # the height of one cluster name down a bar chart, in font sizes
LINES_AROUND = 9  # lines of text above and below a bar chart's Axes
LEFT_MARGIN = 0.012  # figure fraction before the title and notes
ORDERS = ("bundle", "value")


def annotate_chart(ax: Axes, title: str, subtitle: str = "", notes: Iterable[str] = (),
                   source: str = "", synthetic: bool = False) -> None:
    """Title and subtitle at the top of the figure; notes, source and the synthetic label below.

    They are figure-level texts (suptitle and supxlabel) aligned with the figure's left edge,
    so constrained layout reserves their height without squeezing the axes to fit their width;
    lines are wrapped to the figure width. Meant for one chart (or map) per figure.
    """
    fig = ax.get_figure(root=True)
    width_pt = fig.get_figwidth() * 72
    with style_context():
        base = matplotlib.rcParams["font.size"]
        # The title's empty last line reserves the room where the subtitle is drawn.
        heading = _wrap(title, width_pt, base * 1.2 * 0.62) + ("\n" if subtitle else "")
        top = fig.suptitle(heading, x=LEFT_MARGIN, ha="left", fontsize=base * 1.2,
                           fontweight="bold")
        for old in [a for a in fig.artists if a.get_gid() == "subtitle"]:
            old.remove()
        if subtitle:
            # anchored to the title's bottom-left corner, inside its reserved empty line
            fig.add_artist(Annotation(
                _wrap(subtitle, width_pt, base * 0.55), xy=(0, 0), xycoords=top,
                xytext=(0, 2), textcoords="offset points", ha="left", va="bottom",
                color=MUTED_TEXT, gid="subtitle", annotation_clip=False)).set_in_layout(False)
        lines = [line for line in notes if line]
        if source:
            lines.append(f"Source: {source}")
        if synthetic:
            lines.append(f"Data: {SYNTHETIC_LABEL}.")
        small = base * 0.85
        fig.supxlabel("\n".join(_wrap(line, width_pt, small * 0.55) for line in lines),
                      x=LEFT_MARGIN, ha="left", fontsize=small, color=MUTED_TEXT,
                      linespacing=1.4)


def figure_title(figure) -> str:
    """The title `annotate_chart` gave a figure, on one line (for alt text and file metadata)."""
    return " ".join(figure.get_suptitle().split())


def _wrap(text: str, width_pt: float, char_pt: float) -> str:
    return textwrap.fill(text, max(20, int(width_pt * (1 - 2 * LEFT_MARGIN) / char_pt)))


def axis_label(indicator: Indicator) -> str:
    """What the value axis measures, from the unit (or the value type when there is none)."""
    if indicator.unit == "%":
        return "Per cent (%)"
    label = indicator.unit or indicator.value_type.value
    return label[:1].upper() + label[1:]


def significance_of(values: Iterable) -> list[Significance]:
    """Significance members from strings or members; missing values are 'not compared'."""
    known = {s.value for s in Significance}
    return [Significance(v) if isinstance(v, str) and v in known else Significance.NOT_COMPARED
            for v in values]


def fmt(indicator: Indicator, value: float, suppressed: bool = False) -> str:
    return format_value(value, indicator.value_type, indicator.unit, suppressed)


def ordered_clusters(clusters: pd.DataFrame, order: str = "bundle") -> pd.DataFrame:
    """Clusters with a boolean `suppressed` and `significance` members, in the chart's order."""
    if order not in ORDERS:
        raise ValueError(f"order must be one of {ORDERS}, not {order!r}")
    suppressed = (clusters["suppressed"].fillna(False).astype(bool)
                  if "suppressed" in clusters else pd.Series(False, index=clusters.index))
    sig = clusters["significance"] if "significance" in clusters else [None] * len(clusters)
    frame = clusters.assign(suppressed=suppressed.to_numpy(),
                            significance=significance_of(sig))
    frame.loc[frame["suppressed"], ["value", "lower95", "upper95"]] = np.nan
    if order == "value":
        frame = frame.sort_values("value", ascending=False, na_position="last", kind="stable")
    return frame


def _county_line(ax: Axes, indicator: Indicator, value: float) -> None:
    """The county value as a dashed vertical line, labelled just above the axes."""
    if not np.isfinite(value):
        return
    ax.axvline(value, color=COUNTY_COLOUR, linestyle="--", linewidth=1.1, zorder=3, gid="county")
    ax.annotate(f"County {fmt(indicator, value)}", xy=(value, 1), xycoords=("data", "axes fraction"),
                xytext=(0, 2), textcoords="offset points", ha="center", va="bottom",
                fontsize="small", color=COUNTY_COLOUR, annotation_clip=False, gid="county-label")


def _nonnegative_axis(ax: Axes, values: np.ndarray, axis: str) -> None:
    """Start the value axis at zero when every value is zero or more (honest bar lengths)."""
    finite = values[np.isfinite(values)]
    if finite.size and finite.min() >= 0:
        (ax.set_xlim if axis == "x" else ax.set_ylim)(0, None)


def bar_palette(colours: Mapping | None = None) -> dict[Significance, str]:
    """Bar colours by significance: `colours` (keys members or their values) or the default."""
    return {Significance(k): v for k, v in (colours or SIGNIFICANCE_COLOURS).items()}


def bar_chart(ax: Axes, indicator: Indicator, period: str, clusters: pd.DataFrame,
              county: Mapping | pd.Series, highlight: str | None = None,
              colours: Mapping | None = None, order: str = "bundle") -> Axes:
    """Horizontal bars of every cluster with 95% whiskers, coloured by significance.

    `clusters` is indexed by cluster name with columns value, lower95, upper95, suppressed and
    significance; `county` has value (lower95, upper95 optional). Suppressed clusters get no bar
    but a "*"; the `highlight` cluster gets a bold label and a black edge. Bars carry the
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
                ax.annotate(SUPPRESSED if marked else "no value", xy=(0, yi),
                            xycoords=("axes fraction", "data"), xytext=(4, 0),
                            textcoords="offset points", va="center", color=MUTED_TEXT,
                            gid="suppressed" if marked else "missing")
        county_value = float(pd.Series(county).get("value", np.nan))
        _county_line(ax, indicator, county_value)
        ax.set_yticks(y, labels=thinned_names(ax, names, highlight))
        ax.set_ylim(max(len(frame), 1) - 0.5, -0.5)
        for label in ax.get_yticklabels():
            if label.get_text() == highlight:
                label.set_fontweight("bold")
        ax.tick_params(axis="y", length=0)
        ax.grid(axis="y", visible=False)
        bar_texts(ax, indicator, period, frame, palette, county_value)
    structure = bar_structure(frame, county_value, highlight, palette)
    ax._atlas_bars = BarArtists(structure, bars, whiskers)
    return ax


def thinned_names(ax: Axes, names: list[str], highlight: str | None = None) -> list[str]:
    """Cluster names for the bars, every n-th one blanked when more bars than lines of text fit
    down the Axes (150 clusters on a screen chart): the chosen cluster is always named, and
    the names nearest it give way to it. Each bar keeps its name for clicks and the table."""
    fig = ax.get_figure(root=True)
    # from the figure's height alone (not the Axes', which the layout moves), so the same
    # figure names the same clusters and a switch can update the bars in place: the Axes
    # get about the figure less the lines of text around them (titles, value axis, footnote)
    base = matplotlib.rcParams["font.size"]
    height_pt = fig.get_figheight() * 72 - LINES_AROUND * base * 1.3
    size = FontProperties(size=matplotlib.rcParams["ytick.labelsize"]).get_size_in_points()
    fits = max(1, int(height_pt / (size * LABEL_LINE)))
    if len(names) <= fits:
        return list(names)
    step = math.ceil(len(names) / fits)
    keep = set(range(0, len(names), step))
    if highlight in names:
        chosen = names.index(highlight)
        keep = {i for i in keep if abs(i - chosen) >= step} | {chosen}
    return [name if i in keep else "" for i, name in enumerate(names)]


def bar_texts(ax: Axes, indicator: Indicator, period: str, frame: pd.DataFrame,
              palette: Mapping[Significance, str], county_value: float) -> None:
    """The value axis, legend, titles and notes of a bar chart of `ordered_clusters`: the part
    that follows the numbers, shared by `bar_chart` and the in-place update."""
    values = frame["value"].to_numpy(float)
    lower, upper = frame["lower95"].to_numpy(float), frame["upper95"].to_numpy(float)
    drawn = np.isfinite(values)
    _nonnegative_axis(ax, np.concatenate([values, lower, upper, [county_value]]), "x")
    ax.set_xlabel(axis_label(indicator))
    shown = dict.fromkeys(frame["significance"][drawn])
    keys = [s for s in legend_categories(indicator, shown) if s in palette]
    labels = [SIGNIFICANCE_LABELS[s] for s in keys] + ["County"]
    legend = ax.get_legend()
    if legend is None or [t.get_text() for t in legend.get_texts()] != labels:
        handles = [Patch(facecolor=palette[s], edgecolor="#7f7f7f", linewidth=0.4,
                         label=SIGNIFICANCE_LABELS[s]) for s in keys]
        handles.append(Line2D([], [], color=COUNTY_COLOUR, linestyle="--", label="County"))
        ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1))
    notes = []
    if (drawn & np.isfinite(lower) & np.isfinite(upper)).any():
        notes.append("Whiskers show 95% confidence intervals.")
    if any(sig != Significance.NOT_COMPARED for sig in shown):
        notes.append("Colours compare each cluster with the county at 95% confidence.")
    if frame["suppressed"].any():
        notes.append(SUPPRESSION_NOTE)
    annotate_chart(ax, indicator.title, f"{period}, all clusters", notes, indicator.source,
                   indicator.synthetic)


def legend_categories(indicator: Indicator, shown: Iterable) -> list[Significance]:
    """The comparison colours a bar chart's legend explains: all three of the indicator's
    polarity whenever any cluster was compared (as Fingertips does), so the key reads the same
    for every indicator of that kind and does not change as the numbers do; "Not compared"
    when some cluster was not."""
    shown = {Significance(s) for s in shown}
    compared = shown - {Significance.NOT_COMPARED}
    if compared and Polarity(indicator.polarity) == Polarity.NO_JUDGEMENT:
        keys = [Significance.HIGHER, Significance.SIMILAR, Significance.LOWER]
    elif compared:
        keys = [Significance.BETTER, Significance.SIMILAR, Significance.WORSE]
    else:
        keys = []
    keys += [s for s in SIGNIFICANCE_LABELS if s in shown and s not in keys]
    return keys


@dataclass(frozen=True, eq=False)
class BarArtists:
    """What `bar_chart` drew that a new indicator can update in place (desktop.core.bar_update):
    the structure it was drawn for, the bars and the whiskers' container (None without any)."""
    structure: tuple
    bars: BarContainer
    whiskers: ErrorbarContainer | None


def bar_structure(frame: pd.DataFrame, county_value: float, highlight: str | None,
                  palette: Mapping[Significance, str]) -> tuple:
    """Everything but the numbers and texts that shapes a bar chart of `ordered_clusters`:
    charts with equal structures have the same artists, so one can be updated into the other."""
    values = frame["value"].to_numpy(float)
    ci = (np.isfinite(values) & np.isfinite(frame["lower95"].to_numpy(float))
          & np.isfinite(frame["upper95"].to_numpy(float)))
    return (tuple(map(str, frame.index)), tuple(np.isfinite(values)),
            tuple(frame["suppressed"].to_numpy(bool)), tuple(ci), highlight,
            bool(np.isfinite(county_value)), tuple(sorted((str(k), v) for k, v in palette.items())))


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


def trend_chart(ax: Axes, indicator: Indicator, cluster_name: str, series_cluster: pd.DataFrame,
                series_county: pd.DataFrame, trend: Trend | str | None = None) -> Axes:
    """The cluster's value per period with 95% whiskers, against the county and its band."""
    periods = trend_periods(indicator, series_cluster, series_county)
    x = np.arange(len(periods))
    cl = series_values(series_cluster, periods)
    co = series_values(series_county, periods)
    prepare_axes(ax)
    with style_context():
        ax.fill_between(x, co["lower95"], co["upper95"], color=COUNTY_COLOUR, alpha=0.12,
                        linewidth=0, label="County 95% interval")
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
        long_labels = sum(len(p) for p in periods) > 48
        ax.set_xticks(x, labels=periods, rotation=45 if long_labels else 0,
                      ha="right" if long_labels else "center",
                      rotation_mode="anchor" if long_labels else "default")
        ax.set_xlim(-0.5, max(len(periods), 1) - 0.5)
        ax.grid(axis="x", visible=False)
        if periods:  # the baseline: the first period shown, which later ones are read against
            ax.axvline(0, color=MUTED_TEXT, linewidth=0.8, linestyle=":", gid="baseline",
                       zorder=1)
            ax.annotate("Baseline", xy=(0, 1), xycoords=("data", "axes fraction"),
                        xytext=(3, -3), textcoords="offset points", ha="left", va="top",
                        fontsize=7, color=MUTED_TEXT, gid="baseline-label")
        _nonnegative_axis(ax, np.concatenate([cl.to_numpy(float).ravel(),
                                              co.to_numpy(float).ravel()]), "y")
        ax.set_ylabel(axis_label(indicator))
        ax.set_xlabel("Period")
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1))
        subtitle = f"{cluster_name} against the county"
        if periods:
            subtitle += f", {periods[0]} to {periods[-1]}"
        if trend is not None:
            subtitle += f"; recent trend: {Trend(trend).value}"
        notes = ["Whiskers and band show 95% confidence intervals."]
        if hidden:
            notes.append(f"{SUPPRESSION_NOTE} ({', '.join(hidden)}), not plotted.")
        gap = gap_change(cl, co)
        if gap is not None:
            notes.append(gap.note(indicator))
        annotate_chart(ax, indicator.title, subtitle, notes, indicator.source,
                       indicator.synthetic)
    return ax


def finite_values(values) -> tuple[np.ndarray, int]:
    """The finite values of an array, and how many were left out (suppressed or missing)."""
    arr = np.asarray(values, dtype=float).ravel()
    keep = np.isfinite(arr)
    return arr[keep], int((~keep).sum())


def distribution_chart(ax: Axes, indicator: Indicator, period: str, cluster_name: str,
                       cluster_area_values, county_area_values, county_value: float) -> Axes:
    """Box plots with every LSOA as a point: the cluster's areas above the county's.

    NaN marks a suppressed or missing area value; such areas are left out and counted in a
    note. Jitter is seeded so the screen and the export show the same picture.
    """
    rows = [("County", *finite_values(county_area_values), "#7f7f7f"),
            (cluster_name, *finite_values(cluster_area_values), CLUSTER_COLOUR)]
    rng = np.random.default_rng(0)
    prepare_axes(ax)
    with style_context():
        for pos, (name, vals, _, colour) in enumerate(rows):
            if vals.size == 0:
                continue
            ax.boxplot([vals], positions=[pos], orientation="horizontal", widths=0.55,
                       showfliers=False, patch_artist=True, zorder=2,
                       boxprops={"facecolor": "none", "edgecolor": colour, "linewidth": 1.1},
                       medianprops={"color": colour, "linewidth": 2},
                       whiskerprops={"color": colour}, capprops={"color": colour})
            ax.scatter(vals, pos + rng.uniform(-0.2, 0.2, vals.size), s=9, color=colour,
                       alpha=0.55, linewidths=0, zorder=3, gid=f"points:{name}")
        _county_line(ax, indicator, float(county_value))
        ax.set_yticks([0, 1], labels=[f"{name}\n{vals.size} areas" for name, vals, *_ in rows])
        ax.set_ylim(-0.6, 1.6)
        ax.tick_params(axis="y", length=0)
        ax.grid(axis="y", visible=False)
        ax.set_xlabel(axis_label(indicator))
        notes = ["Each point is one LSOA; boxes show the median and quartiles, whiskers reach "
                 "the furthest values within 1.5 times the interquartile range."]
        left_out = [f"{n} in {name}" for name, _, n, _ in reversed(rows) if n]
        if left_out:
            notes.append(f"Areas suppressed (small numbers) or without a value, not shown: "
                         f"{' and '.join(left_out)}.")
        annotate_chart(ax, indicator.title, f"{period}, small areas in {cluster_name} and the "
                       "county", notes, indicator.source, indicator.synthetic)
    return ax
