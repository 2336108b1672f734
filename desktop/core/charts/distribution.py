"""The small-area (LSOA) values of a cluster against the county's: box plots with every area
as a point, and the suppressed areas as a hatched band where their values can lie. The title
states the message (desktop.core.charts.findings), the subtitle what is shown.

A suppressed area is not a zero: for a rare event the areas with events are the very ones
hidden, and a chart of the shown areas alone (all at zero, say, against a county of 14.6 per
1,000) would say the opposite of the truth. With a count from 1 to the disclosure threshold
and its published denominator, each suppressed area's value lies in a known range; the band
spans them all, labelled with how many areas it stands for.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from desktop.core.charts.common import axis_label, county_line, fmt
from desktop.core.charts.findings import distribution_finding
from desktop.core.format import title_with_unit
from desktop.core.model import Indicator, ValueType
from desktop.core.plotting.annotate import annotate_chart
from desktop.core.plotting.palettes import NoData
from desktop.core.plotting.style import CLUSTER_COLOUR, prepare_axes, style_context


@dataclass(frozen=True)
class SuppressedAreas:
    """How many areas are suppressed and where their values lie if each counts from 1 to
    `threshold` (low and high: NaN when it cannot be said, e.g. without denominators)."""

    count: int
    low: float
    high: float
    threshold: int


def suppressed_areas(indicator: Indicator, areas: pd.DataFrame,
                     threshold: int) -> SuppressedAreas:
    """From area statistics (value, suppressed, denominator): the suppressed areas' count and
    the range 1 to `threshold` events over their denominators gives."""
    hidden = areas.loc[areas["suppressed"].to_numpy(bool)]
    low = high = np.nan
    kind = ValueType(indicator.value_type)
    if kind is ValueType.COUNT:
        low, high = 1.0, float(threshold)
    elif kind.has_ratio:
        den = hidden["denominator"].to_numpy(float)
        den = den[np.isfinite(den) & (den > 0)]
        if den.size:
            most = np.minimum(threshold / den, 1.0) if kind is ValueType.PROPORTION \
                else threshold / den
            low = float((1 / den).min() * indicator.multiplier)
            high = float(most.max() * indicator.multiplier)
    return SuppressedAreas(len(hidden), low, high, int(threshold))


def finite_values(values) -> tuple[np.ndarray, int]:
    """The finite values of an array, and how many were left out (suppressed or missing)."""
    arr = np.asarray(values, dtype=float).ravel()
    keep = np.isfinite(arr)
    return arr[keep], int((~keep).sum())


def distribution_chart(ax: Axes, indicator: Indicator, period: str, cluster_name: str,
                       cluster_area_values, county_area_values, county_value: float,
                       cluster_suppressed: SuppressedAreas,
                       county_suppressed: SuppressedAreas) -> Axes:
    """Box plots with every LSOA as a point: the cluster's areas above the county's.

    NaN marks a suppressed or missing area value; such areas are left out of the boxes. The
    suppressed ones (`*_suppressed`) are drawn as a hatched band where their values lie, the
    others counted in a note. Jitter is seeded so the screen and the export show the same
    picture.
    """
    rows = [("County", *finite_values(county_area_values), "#7f7f7f", county_suppressed),
            (cluster_name, *finite_values(cluster_area_values), CLUSTER_COLOUR,
             cluster_suppressed)]
    rng = np.random.default_rng(0)
    prepare_axes(ax)
    with style_context():
        for pos, (name, vals, _, colour, hidden) in enumerate(rows):
            if hidden.count and np.isfinite(hidden.low):
                ax.barh(pos, hidden.high - hidden.low, left=hidden.low, height=0.5,
                        color=NoData.SUPPRESSED_COLOUR, alpha=0.45, hatch=NoData.SUPPRESSED_HATCH,
                        edgecolor=NoData.HATCH_COLOUR, linewidth=0, zorder=1,
                        gid=f"suppressed:{name}")
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
        _label_bands(ax, rows)
        ax.set_yticks([0, 1], labels=[
            f"{name}\n{vals.size} shown, {hidden.count} suppressed" if hidden.count
            else f"{name}\n{vals.size} areas" for name, vals, _, _, hidden in rows])
        ax.set_ylim(-0.6, 1.6)
        ax.tick_params(axis="y", length=0)
        ax.grid(axis="y", visible=False)
        ax.set_xlabel(axis_label(indicator))
        finding = distribution_finding(indicator, cluster_name, rows[1][1], rows[0][1],
                                       cluster_suppressed.count)
        annotate_chart(ax, finding.title, f"{title_with_unit(indicator.title, indicator.unit)}: "
                       f"{period}, small areas in {cluster_name} and the county",
                       _notes(indicator, rows), indicator.source, indicator.synthetic)
    return ax


def _label_bands(ax: Axes, rows: list) -> None:
    """"N suppressed" over the right end of a wide band, or just right of a narrow one (where
    it would run into the axis labels)."""
    x0, x1 = ax.get_xlim()
    for pos, (_, _, _, _, hidden) in enumerate(rows):
        if not (hidden.count and np.isfinite(hidden.low)):
            continue
        wide = hidden.high - hidden.low > 0.3 * (x1 - x0)
        ax.annotate(f"{hidden.count} suppressed",
                    xy=(hidden.high, pos + 0.25 if wide else pos),
                    xytext=(-2, 2) if wide else (4, 0), textcoords="offset points",
                    ha="right" if wide else "left", va="bottom" if wide else "center",
                    fontsize="small", color="#3A3A3A")


def suppressed_range(indicator: Indicator, *hidden: SuppressedAreas) -> str:
    """"33.3 to 250.0": the span of the bands, for notes and tables ("-" when unknown)."""
    lows = [h.low for h in hidden if h.count and np.isfinite(h.low)]
    highs = [h.high for h in hidden if h.count and np.isfinite(h.high)]
    if not lows:
        return "-"
    return f"{fmt(indicator, min(lows))} to {fmt(indicator, max(highs))}"


def _notes(indicator: Indicator, rows: list) -> list[str]:
    notes = ["Each point is one LSOA; boxes show the median and quartiles, whiskers reach "
             "the furthest values within 1.5 times the interquartile range."]
    banded = [(name, hidden) for name, *_, hidden in reversed(rows) if hidden.count]
    if banded:
        counts = " and ".join(f"{h.count} in {name}" for name, h in banded)
        span = suppressed_range(indicator, *(h for _, h in banded))
        where = (f": with 1 to {banded[0][1].threshold} events each their values lie in the "
                 f"band ({span}); a few may be hidden only to protect others" if span != "-"
                 else "")
        notes.append(f"Hatched bands: suppressed areas ({counts}), not zeros{where}.")
    missing = [f"{left - hidden.count} in {name}" for name, _, left, _, hidden in reversed(rows)
               if left > hidden.count]
    if missing:
        notes.append(f"Areas without a value, not shown: {' and '.join(missing)}.")
    return notes
