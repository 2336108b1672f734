"""Redrawing only what an indicator switch changes on the screen's bar chart (blitting).

Most of a bar chart's drawing time is text, and most of its text does not change when the
indicator does: the cluster names down the side, the legend and the footnote. A full draw
renders those once and keeps the picture (the "background"); a switch restores it and draws
on top only the artists that follow the numbers (bars, whiskers, the value axis, the county
line, the title), then repaints the canvas. The background is reused only while everything it
shows is unchanged (`static_key`); otherwise the canvas draws in full, as before.

A few backgrounds are kept, one per static look (the legend of an indicator with a polarity
differs from one without), so alternating between kinds of indicator stays on the fast path.

The dynamic artists are marked `animated`, so a full draw (a resize, a draw_idle from anywhere)
leaves them out of the background and this class draws them straight after, in the draw
event: what is on screen is always complete. Of them, the texts (titles, values and verdicts,
the county label) are painted by Qt over the picture (chart_text), not rasterised by Agg.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Iterable

from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.axis import Axis
from matplotlib.figure import Figure
from matplotlib.text import Text

from desktop.gui.views.chart_text import TextCanvas, paintable


class Blitter:
    """Keeps a figure's static backgrounds and redraws its dynamic artists over one."""

    KEPT = 4  # backgrounds kept (each is one canvas-sized RGBA buffer)

    def __init__(self, canvas: TextCanvas,
                 static_key: Callable[[], tuple]) -> None:
        self.canvas = canvas
        self._static_key = static_key
        self._dynamic: list[Artist] = []
        self._backgrounds: OrderedDict[tuple, object] = OrderedDict()
        canvas.mpl_connect("draw_event", self._on_draw)

    @property
    def figure(self) -> Figure:
        return self.canvas.figure  # the canvas may adopt a figure drawn off the GUI thread

    def set_dynamic(self, artists: Iterable[Artist]) -> None:
        """The artists that change on a switch; every other artist is background."""
        for artist in self._dynamic:
            artist.set_animated(False)
        self.canvas.set_texts((), None)  # Agg draws every text again until the next refresh
        self._dynamic = sorted(artists, key=_draw_order)
        for artist in self._dynamic:
            artist.set_animated(True)

    def forget(self) -> None:
        """Drop every background (the next refresh draws in full)."""
        self._backgrounds.clear()

    def refresh(self) -> bool:
        """Restore the background and draw the dynamic artists over it; False (nothing done)
        when there is no background for what the figure shows now, so the caller draws."""
        background = self._backgrounds.get(self._key()) if self._dynamic else None
        if background is None:
            return False
        self.canvas.restore_region(background)
        self._draw_dynamic(full=False)
        self.canvas.blit(self.figure.bbox)
        return True

    def _key(self) -> tuple:
        return (tuple(self.figure.bbox.bounds), self._static_key())

    def _on_draw(self, _event) -> None:
        if not self._dynamic:
            self.forget()
            return
        key = self._key()
        self._backgrounds.pop(key, None)
        self._backgrounds[key] = self.canvas.copy_from_bbox(self.figure.bbox)
        while len(self._backgrounds) > self.KEPT:
            self._backgrounds.popitem(last=False)
        self._draw_dynamic(full=True)

    def _draw_dynamic(self, full: bool) -> None:
        renderer = self.canvas.get_renderer()
        texts = []
        for artist in self._dynamic:
            if artist.get_visible() and artist.get_figure(root=True) is self.figure:
                if paintable(artist):
                    texts.append(artist)
                elif isinstance(artist, Axis):
                    texts.extend(_draw_without_labels(artist, renderer, place_label=full))
                else:
                    artist.draw(renderer)
        self.canvas.set_texts(texts, renderer)


def _draw_without_labels(axis: Axis, renderer, place_label: bool) -> list[Text]:
    """Draw an axis' ticks and grid lines; return its tick labels (those in view, as its draw
    shows them) and its label, for Qt to paint. The label goes below the tick labels when
    `place_label` (a full draw: measuring them costs most of what drawing them would), and
    otherwise stays where it was (the draw would place it as if there were no tick labels): a
    switch keeps the layout, and tick labels of one line take the same room whatever they say."""
    if place_label:
        axis.get_tightbbox(renderer)  # places the label below the measured tick labels
    low, high = sorted(axis.get_view_interval())
    slack = 1e-10 * (high - low)
    ticks = [t for t in axis.get_majorticklabels()  # sets the ticks the draw will use
             if low - slack <= t.get_position()[axis.axis_name == "y"] <= high + slack]
    texts = [t for t in (*ticks, axis.label) if paintable(t)]
    where = axis.label.get_position()
    for text in texts:
        text.set_visible(False)
    try:
        axis.draw(renderer)
    finally:
        for text in texts:
            text.set_visible(True)
        axis.label.set_position(where)
    return texts


def _draw_order(artist: Artist) -> tuple[int, float]:
    """Axes content first by zorder (as an Axes draws it), figure texts last."""
    return (0 if isinstance(artist.axes, Axes) else 1, artist.get_zorder())


def bar_chart_dynamic(figure: Figure, ax: Axes) -> list[Artist]:
    """What a bar chart's in-place update changes: bars, whiskers, county line and label,
    the value axis (ticks, grid, label), the spines drawn over the bars, and the titles."""
    texts = [figure._suptitle] + [a for a in figure.artists if a.get_gid() == "subtitle"]
    return [*ax.patches, *ax.lines, *ax.collections, *ax.texts, ax.xaxis,
            *ax.spines.values(), *(t for t in texts if t is not None)]


def bar_chart_static_key(figure: Figure, ax: Axes) -> tuple:
    """Everything the background of a bar chart shows: the Axes' place, the cluster names
    (and which is bold), the legend's entries and the footnote."""
    legend = ax.get_legend()
    footnote = figure._supxlabel
    return (tuple(ax.get_position().bounds),
            tuple((t.get_text(), t.get_fontweight()) for t in ax.get_yticklabels()),
            tuple(ax.get_ylim()),
            None if legend is None else tuple(t.get_text() for t in legend.get_texts()),
            None if footnote is None else footnote.get_text())
