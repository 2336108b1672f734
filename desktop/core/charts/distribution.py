"""The small-area (LSOA) values of a cluster against the county's: box plots with every area
as a point, suppressed and missing areas counted in a note."""

from __future__ import annotations

import numpy as np
from matplotlib.axes import Axes

from desktop.core.charts.common import axis_label, county_line
from desktop.core.model import Indicator
from desktop.core.plotting.annotate import annotate_chart
from desktop.core.plotting.style import CLUSTER_COLOUR, prepare_axes, style_context


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
        county_line(ax, indicator, float(county_value))
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
