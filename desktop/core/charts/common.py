"""What every chart of one indicator shares: axis labels, value texts, the county line.

The charts (bars, trend, distribution) take plain DataFrames and an `Indicator`, draw onto a
given Axes and return it; the screen and every export call the same functions. Suppressed
values never reach an artist: they are drawn as the suppression marker ("[c]") with a
footnote, and missing ones as "[x]".
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
from matplotlib.axes import Axes

from desktop.core.format import MISSING, format_value
from desktop.core.model import SUPPRESSED, Indicator, Significance
from desktop.core.plotting.style import COUNTY_COLOUR

SUPPRESSION_NOTE = f"{SUPPRESSED} confidential: not shown to protect small numbers"
MISSING_NOTE = f"{MISSING} not available: no value"


VALUE_TYPE_WORDS = {"dsr": "directly standardised rate", "isr": "indirectly standardised ratio"}


def axis_label(indicator: Indicator) -> str:
    """What the value axis measures, from the unit (or the value type when there is none)."""
    if indicator.unit == "%":
        return "Per cent (%)"
    kind = indicator.value_type.value
    label = indicator.unit or VALUE_TYPE_WORDS.get(kind, kind)
    return label[:1].upper() + label[1:]


def significance_of(values: Iterable) -> list[Significance]:
    """Significance members from strings or members; missing values are 'not compared'."""
    known = {s.value for s in Significance}
    return [Significance(v) if isinstance(v, str) and v in known else Significance.NOT_COMPARED
            for v in values]


def fmt(indicator: Indicator, value: float, suppressed: bool = False) -> str:
    return format_value(value, indicator.value_type, indicator.unit, suppressed)


def county_line(ax: Axes, indicator: Indicator, value: float) -> None:
    """The county value as a dashed vertical line, labelled just above the axes."""
    if not np.isfinite(value):
        return
    ax.axvline(value, color=COUNTY_COLOUR, linestyle="--", linewidth=1.1, zorder=3, gid="county")
    ax.annotate(f"County {fmt(indicator, value)}", xy=(value, 1), xycoords=("data", "axes fraction"),
                xytext=(0, 2), textcoords="offset points", ha="center", va="bottom",
                fontsize="small", color=COUNTY_COLOUR, annotation_clip=False, gid="county-label")


def nonnegative_axis(ax: Axes, values: np.ndarray, axis: str) -> None:
    """Start the value axis at zero when every value is zero or more (honest bar lengths)."""
    finite = values[np.isfinite(values)]
    if finite.size and finite.min() >= 0:
        (ax.set_xlim if axis == "x" else ax.set_ylim)(0, None)


# where a name may sit beside its point, in points, tried in this order
NAME_PLACES = ((5, 3, "left", "bottom"), (5, -3, "left", "top"), (-5, 3, "right", "bottom"),
               (-5, -3, "right", "top"))


def place_names(ax: Axes, xs: Iterable[float], ys: Iterable[float], names: Iterable[str],
                bold: str | None = None, fontsize: float = 7.5) -> None:
    """Each name beside its point, on the first side (NAME_PLACES) where it covers no other
    point or name placed before and stays inside the Axes (else the first side); call once
    the Axes' limits are set. Text sizes are estimated from the number of characters, which
    is close enough to keep names apart."""
    figure = ax.get_figure(root=True)
    to_points = 72.0 / figure.dpi
    right = ax.get_window_extent().x1 * to_points
    xs, ys, names = list(xs), list(ys), list(names)
    anchors = (ax.transData.transform(np.column_stack([xs, ys])) * to_points) if xs else []
    placed = [(px - 4, py - 4, px + 4, py + 4) for px, py in anchors]  # the dots themselves
    for (px, py), x, y, name in zip(anchors, xs, ys, names):
        width, height = len(name) * fontsize * 0.6, fontsize * 1.2
        choice = NAME_PLACES[0]
        for dx, dy, ha, va in NAME_PLACES:
            left = px + dx - (width if ha == "right" else 0)
            bottom = py + dy - (height if va == "top" else 0)
            rect = (left, bottom, left + width, bottom + height)
            if rect[2] <= right and not any(_overlap(rect, other) for other in placed):
                choice = (dx, dy, ha, va)
                break
        dx, dy, ha, va = choice
        left = px + dx - (width if ha == "right" else 0)
        bottom = py + dy - (height if va == "top" else 0)
        placed.append((left, bottom, left + width, bottom + height))
        ax.annotate(name, xy=(x, y), xytext=(dx, dy), textcoords="offset points", ha=ha,
                    va=va, fontsize=fontsize, color="#262626", gid=f"name:{name}",
                    fontweight="bold" if name == bold else "normal", zorder=7)


def _overlap(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]
