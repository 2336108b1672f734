"""Updating a drawn bar chart in place for new numbers: the indicator switch's fast path.

A new indicator or period keeps the clusters, so `bar_chart`'s bars, whiskers and county line
can take the new numbers instead of being cleared and rebuilt (which recreates every artist and
tick label, most of a switch's time). The result looks as `bar_chart` would draw it; when the
chart's structure differs (other clusters, a bar or whisker appearing or going, another
highlighted cluster) nothing is touched and the caller draws afresh. Exports always draw afresh.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from desktop.core.charts.bars import (
    BarArtists,
    bar_palette,
    bar_structure,
    bar_texts,
    benchmark_offsets,
    ordered_clusters,
)
from desktop.core.charts.common import fmt
from desktop.core.model import Indicator
from desktop.core.plotting.style import style_context
from desktop.core.stats.comparison import DEFAULT, Comparison


def update_bar_chart(ax: Axes, indicator: Indicator, period: str, clusters: pd.DataFrame,
                     county: Mapping | pd.Series, highlight: str | None = None,
                     colours: Mapping | None = None, order: str = "bundle",
                     comparison: Comparison = DEFAULT, benchmarks: pd.Series | None = None
                     ) -> bool:
    """Give the bar chart `bar_chart` drew on `ax` new numbers (same arguments as `bar_chart`).

    Returns False, leaving `ax` untouched, when `ax` holds no bar chart of the same structure.
    """
    artists: BarArtists | None = getattr(ax, "_atlas_bars", None)
    frame = ordered_clusters(clusters, order)
    county_value = float(pd.Series(county).get("value", np.nan))
    palette = bar_palette(colours)
    if (artists is None or artists.bars not in ax.containers
            or artists.structure != bar_structure(frame, county_value, highlight, palette,
                                                  benchmarks is not None)):
        return False
    values = frame["value"].to_numpy(float)
    lower, upper = frame["lower95"].to_numpy(float), frame["upper95"].to_numpy(float)
    drawn = np.isfinite(values)
    ci = drawn & np.isfinite(lower) & np.isfinite(upper)
    for bar, value, sig in zip(artists.bars, values[drawn], frame["significance"][drawn]):
        bar.set_width(value)
        bar.set_facecolor(palette[sig])
    if artists.whiskers is not None:
        _move_whiskers(artists.whiskers, ci, lower, upper)
    _move_county(ax, indicator, county_value)
    if benchmarks is not None:
        marks = next(c for c in ax.collections if c.get_gid() == "benchmarks")
        marks.set_offsets(benchmark_offsets(frame, benchmarks))
    with style_context():
        # the x data limits from the numbers (bars start at 0), cheaper than ax.relim()
        marked = [] if benchmarks is None else benchmarks.to_numpy(float)
        ends = np.concatenate([[0.0, county_value], values, lower[ci], upper[ci], marked])
        ends = ends[np.isfinite(ends)]
        ax.dataLim.intervalx = (ends.min(), ends.max())
        ax.set_autoscalex_on(True)
        ax.autoscale_view(scaley=False)
        fig = ax.get_figure(root=True)
        # the layout placed the title and footnote; setting their texts puts them back at
        # matplotlib's defaults, and no layout runs on an in-place update to place them again
        placed = [(t, t.get_position()) for t in (fig._suptitle, fig._supxlabel) if t is not None]
        bar_texts(ax, indicator, period, frame, county_value, highlight, comparison,
                  benchmarks is not None)
        for text, position in placed:
            text.set_position(position)
    return True


def _move_whiskers(whiskers, ci: np.ndarray, lower: np.ndarray, upper: np.ndarray) -> None:
    """The 95% whiskers and their caps at new ends (rows `ci` have them, as when drawn)."""
    y = np.flatnonzero(ci).astype(float)
    lo, hi = lower[ci], upper[ci]
    _data_line, caplines, (segments,) = whiskers.lines
    segments.set_segments(np.stack([np.column_stack([lo, y]), np.column_stack([hi, y])], axis=1))
    low_caps, high_caps = caplines
    low_caps.set_data(lo, y)
    high_caps.set_data(hi, y)


def _move_county(ax: Axes, indicator: Indicator, value: float) -> None:
    """The dashed county line and its label at the new county value."""
    if not np.isfinite(value):
        return
    for line in ax.lines:
        if line.get_gid() == "county":
            line.set_xdata([value, value])
    for text in ax.texts:
        if text.get_gid() == "county-label":
            text.xy = (value, 1)
            text.set_text(f"County {fmt(indicator, value)}")
