"""The map's legend: its rows and heading, for the screen widget and the exported figure alike.

`legend_entries` is the one source of legend rows, so the screen (gui/views/map_legend.py)
and every export say the same; `set_legend` draws them as a matplotlib legend beside an Axes.
Suppressed areas carry a hatch as well as a darker grey, on the map and in the legend, so they
cannot be mistaken for areas "not compared" with the county (a pale grey class).
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from matplotlib.colors import to_rgba
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from desktop.core.maps.classify import MISSING_LABEL, SUPPRESSED_LABEL, Classification
from desktop.core.plotting.palettes import NoData

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.legend import Legend

BOUNDARY_COLOUR = "#303030"
SCHOOL_COLOUR = "#1A1A1A"


@dataclass(frozen=True)
class LegendEntry:
    """One legend row: a filled patch, a line or a point marker, with its colour and text."""

    kind: str  # "patch", "line" or "marker"
    label: str
    colour: tuple[float, float, float, float]
    edge: str = "#9A9A9A"
    hatch: str | None = None  # the hatch of a no-data patch, as the map draws it


def legend_entries(classification: Classification, class_colours: np.ndarray, *,
                   boundaries: bool, schools: bool, hatch: bool = True) -> list[LegendEntry]:
    """Class patches "range (count)", the no-data entries that occur, then the map symbols;
    no-data patches hatched as the map is (`hatch`: exports are, the screen is not)."""
    entries = [LegendEntry("patch", f"{lab} ({n:,})", tuple(float(v) for v in to_rgba(c)))
               for c, lab, n in zip(class_colours, classification.labels, classification.counts)]
    if classification.n_suppressed:
        entries.append(LegendEntry(
            "patch", f"{SUPPRESSED_LABEL} ({classification.n_suppressed:,})",
            NoData.SUPPRESSED_COLOUR, NoData.HATCH_COLOUR,
            NoData.SUPPRESSED_HATCH if hatch else None))
    if classification.n_missing:
        entries.append(LegendEntry("patch", f"{MISSING_LABEL} ({classification.n_missing:,})",
                                   NoData.MISSING_COLOUR, NoData.HATCH_COLOUR,
                                   NoData.MISSING_HATCH if hatch else None))
    if boundaries:
        entries.append(LegendEntry("line", "Cluster boundary", to_rgba(BOUNDARY_COLOUR)))
    if schools:
        entries.append(LegendEntry("marker", "School", to_rgba(SCHOOL_COLOUR), "white"))
    return entries


def legend_heading(title: str, period: str, scheme: str, note: str | None) -> tuple[str, str, str]:
    """The legend's title, its "period · scheme" line and the bracketed note ("" if none)."""
    return title, " · ".join(p for p in (period, scheme) if p), f"({note})" if note else ""


def legend_title(title: str, period: str, scheme: str, note: str | None) -> str:
    """The export legend's title: the wrapped title, the period and scheme, the note."""
    title, detail, note_line = legend_heading(title, period, scheme, note)
    lines = [*(textwrap.wrap(title, 30) or [""]), detail]
    return "\n".join(lines + [note_line] if note_line else lines)


def set_legend(ax: "Axes", entries: list[LegendEntry], title: str) -> "Legend":
    """The rows as a matplotlib legend to the right of the Axes, under `title`."""
    return ax.legend(
        handles=[_handle(e) for e in entries], loc="upper left", bbox_to_anchor=(1.01, 1.0),
        borderaxespad=0.0, frameon=False, fontsize=8, title_fontsize=8.5, alignment="left",
        handlelength=1.6, title=title)


def _handle(entry: LegendEntry) -> "Patch | Line2D":
    if entry.kind == "line":
        return Line2D([], [], color=entry.colour, lw=0.9, label=entry.label)
    if entry.kind == "marker":
        return Line2D([], [], ls="", marker="o", ms=4.5, mfc=entry.colour, mec=entry.edge,
                      label=entry.label)
    return Patch(facecolor=entry.colour, edgecolor=entry.edge, linewidth=0.5, label=entry.label,
                 hatch=entry.hatch)
