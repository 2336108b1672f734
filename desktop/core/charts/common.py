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
