"""A chart fitted to the window's pane: which of its texts need a new layout, the notes under
it moved to a tooltip, a title block of steady height, and a canvas tall enough for its names.
Exports keep every note and take their own layout; these serve only the screen (chart_view)."""

from __future__ import annotations

from matplotlib.figure import Figure

from desktop.core.charts.bars import VALUE_LABEL, height_for_names
from desktop.core.model import SYNTHETIC_LABEL

SCREEN_TITLE_LINES = 3  # two lines of title and the subtitle's line


def compact_notes(figure: Figure) -> str:
    """Leave only the synthetic-data label under the chart; the notes it had, for the
    canvas' tooltip ("" when none), leaving room for the chart."""
    label = figure._supxlabel  # set by desktop.core.plotting.annotate.annotate_chart
    if label is None or not label.get_text():
        return ""
    lines = label.get_text().splitlines()
    label.set_text("\n".join(line for line in lines if SYNTHETIC_LABEL in line))
    return "\n".join(lines)


def steady_title(figure: Figure) -> None:
    """Keep the title block the height of a two-line title (blank lines above a shorter one),
    so switching between short and long titles needs no new layout and the bars stay put."""
    title = figure._suptitle
    if title is None or not title.get_text():
        return
    text = title.get_text().lstrip("\n")
    lines = text.count("\n") + 1
    title.set_text("\n" * max(0, SCREEN_TITLE_LINES - lines) + text)


def fit_canvas(canvas, ax, names: int, pane: int) -> bool:
    """Make the canvas as tall as the pane (`pane` pixels), or taller (it scrolls) when the
    chart laid out with `names` on its axis needs a line per name; True when its height
    changes (a resize, and a redraw, follow)."""
    figure = ax.get_figure(root=True)
    needed = (round(height_for_names(ax, names) * figure.dpi / canvas.device_pixel_ratio)
              if names else 0)
    minimum = needed if needed > pane else 0
    changed = canvas.minimumHeight() != minimum
    canvas.setMinimumHeight(minimum)
    return changed


def label_width(ax) -> float:
    """The widest label right of the bars, in pixels: measured for the two longest texts
    only (the others are shorter), so a switch does not measure 150 labels."""
    labels = sorted((t for t in ax.texts if t.get_gid() == VALUE_LABEL),
                    key=lambda t: len(t.get_text()), reverse=True)[:2]
    return max((t.get_window_extent().width for t in labels), default=0.0)


def layout_texts(artist) -> tuple:
    """What constrained layout makes room for, besides the labels right of the bars: the y
    tick labels, whether there is a y label, and the lines of titles and notes. The x label and
    tick labels take the same height whatever they say, so a new indicator needs no new
    layout."""
    if hasattr(artist, "get_yticklabels"):
        return (tuple(t.get_text() for t in artist.get_yticklabels()),
                bool(artist.get_ylabel()))
    label = artist._supxlabel
    return (artist.get_suptitle().count("\n"),
            0 if label is None else label.get_text().count("\n") + bool(label.get_text()))
