"""The screen bar chart's changing words painted by Qt over the Agg picture.

An indicator switch redraws only what follows the numbers (chart_blit), and most of that was
text: the title and subtitle, each bar's value and verdict, the county line's label. Agg lays
out and rasterises every glyph of every string again (about 1 ms a string), while Qt keeps its
glyphs cached. So those texts stay matplotlib artists, placed by the figure's layout as
before (the layout, the hit-tests and the exports see them as always), but the canvas paints
them with QPainter after the picture, in the same font, size, weight, colour and alignment.

Only plain horizontal text is painted this way; mathtext or rotated text is left to Agg.
Nothing here touches exports: they draw the chart on a figure of their own.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from matplotlib.backend_bases import DrawEvent
from matplotlib.backends.backend_agg import RendererAgg
from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
from matplotlib.cbook import is_math_text
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure
from matplotlib.font_manager import findfont, get_font
from matplotlib.text import Annotation, Text
from PySide6.QtCore import QPointF
from PySide6.QtGui import QColor, QFont, QFontDatabase, QFontMetricsF, QPainter, QPaintEvent

_FAMILIES: dict[str, str] = {}  # font file -> the family Qt knows it by


@dataclass(frozen=True)
class PlacedText:
    """One text as Qt paints it: its anchor in the canvas' logical pixels (origin top left)."""

    x: float
    y: float
    lines: tuple[str, ...]
    font: QFont
    colour: QColor
    ha: str  # the block's and each line's (none of these texts sets another multialignment)
    va: str
    linespacing: float | str  # "normal": the font's own line gap
    ascent: float  # the font's, in logical pixels, as matplotlib lays lines out with them
    descent: float
    gap: float


def paintable(artist) -> bool:
    """Whether Qt can paint the artist as Agg would: visible plain horizontal text."""
    return (isinstance(artist, Text) and artist.get_visible() and artist.get_rotation() == 0
            and bool(artist.get_text()) and not is_math_text(artist.get_text()))


def place(artist: Text, renderer, dpi: float, ratio: float, height: float,
          logical_dpi: float) -> PlacedText:
    """Where and how the canvas paints `artist` (its position as the figure's last draw left
    it; an annotation's is worked out from what it points at, as its own draw does)."""
    if isinstance(artist, Annotation):
        artist.update_positions(renderer)
    x, y = artist.get_transform().transform(artist.get_unitless_position())
    props = artist.get_fontproperties()
    path = findfont(props)
    # points at the figure's dpi -> logical pixels (the canvas' ratio) -> Qt's points at the
    # canvas' logical dpi (not a whole pixel size: rounding made the subtitle 7% narrower)
    font = _font(path, props.get_size_in_points() * dpi / ratio / logical_dpi,
                 props.get_weight(), props.get_style() != "normal")
    colour = QColor.fromRgbF(*to_rgba(artist.get_color(), artist.get_alpha()))
    metrics = _line_metrics(path, props.get_size_in_points() * dpi / 72 / ratio)
    return PlacedText(x / ratio, height - y / ratio, tuple(artist.get_text().split("\n")), font,
                      colour, artist.get_horizontalalignment(),
                      artist.get_verticalalignment(), artist.get_linespacing(), *metrics)


@lru_cache(maxsize=64)  # a few fonts at a few sizes: 150 value labels share one
def _font(path: str, points: float, weight: str | int, italic: bool) -> QFont:
    """The QFont of a font file at a size in Qt's points, bold or not as matplotlib's weight."""
    font = QFont(_family(path))
    font.setPointSizeF(points)
    font.setBold(weight == "bold" or (isinstance(weight, int) and weight >= 600)
                 or weight in ("semibold", "demibold", "demi", "heavy", "extra bold", "black"))
    font.setItalic(italic)
    return font


@lru_cache(maxsize=64)  # a few fonts at a few sizes, asked for every text of every switch
def _line_metrics(path: str, pixels_per_em: float) -> tuple[float, float, float]:
    """Ascent, descent and line gap of a font file at a size, from the tables matplotlib
    reads for its line layout (OS/2's typographic metrics, else hhea's)."""
    font = get_font(path)
    scale = pixels_per_em / font.get_sfnt_table("head")["unitsPerEm"]
    for table, gap, ascent, descent in (("OS/2", "sTypoLineGap", "sTypoAscender",
                                         "sTypoDescender"),
                                        ("hhea", "lineGap", "ascent", "descent")):
        values = font.get_sfnt_table(table)
        if values is not None:
            return values[ascent] * scale, -values[descent] * scale, values[gap] * scale
    metrics = QFontMetricsF(QFont())
    return metrics.ascent(), metrics.descent(), metrics.leading()


def _family(path: str) -> str:
    """The family of a font file as Qt knows it, the file added to Qt's fonts the first time
    (the same file matplotlib draws with, so the glyphs are the same)."""
    if path not in _FAMILIES:
        families = QFontDatabase.applicationFontFamilies(QFontDatabase.addApplicationFont(path))
        _FAMILIES[path] = families[0] if families else QFont().family()
    return _FAMILIES[path]


def paint(painter: QPainter, text: PlacedText) -> None:
    """One text block, laid out as matplotlib lays it out: each line as tall as the font's
    ascent and descent (with the font's line gap between lines, for "normal" spacing, or
    stretched to the spacing asked for), the block's top, centre, baseline or bottom on the
    anchor, each line aligned within the block as the block is on its anchor."""
    metrics = QFontMetricsF(text.font)
    n = len(text.lines)
    if text.linespacing == "normal":
        extra = text.gap / 2 if n > 1 else 0.0
    else:
        extra = (float(text.linespacing) - 1) * (text.ascent + text.descent) / 2
    above, below = text.ascent + extra, text.descent + extra
    step = above + below
    top = {"top": text.y, "bottom": text.y - n * step,
           "baseline": text.y - (n - 1) * step - above}.get(text.va, text.y - n * step / 2)
    widths = [metrics.horizontalAdvance(line) for line in text.lines]
    width = max(widths)
    left = {"left": text.x, "right": text.x - width}.get(text.ha, text.x - width / 2)
    painter.setFont(text.font)
    painter.setPen(text.colour)
    for i, (line, w) in enumerate(zip(text.lines, widths)):
        offset = {"left": 0.0, "right": width - w}.get(text.ha, (width - w) / 2)
        painter.drawText(QPointF(left + offset, top + above + i * step), line)


class TextCanvas(FigureCanvasQTAgg):
    """A Qt-Agg canvas that paints the texts handed to it (`set_texts`) over its picture, and
    can show a figure drawn elsewhere (`adopt`: a tall chart drawn off the GUI thread)."""

    def __init__(self, figure) -> None:
        super().__init__(figure)
        self._texts: list[PlacedText] = []
        # id given -> (event, handler, its id on the figure now): moved to an adopted figure
        self._connections: dict[int, tuple[str, Callable, int]] = {}
        self._adopted: tuple | None = None  # the adopted picture's size, while it is current

    def mpl_connect(self, s: str, func: Callable) -> int:
        """Connect as matplotlib does; the handler follows the canvas to an adopted figure."""
        cid = super().mpl_connect(s, func)
        self._connections[cid] = (s, func, cid)
        return cid

    def mpl_disconnect(self, cid: int) -> None:
        """Disconnect a handler by the id mpl_connect gave, whichever figure it is on now."""
        if cid in self._connections:
            cid = self._connections.pop(cid)[2]
        super().mpl_disconnect(cid)

    def adopt(self, figure: Figure, renderer: RendererAgg) -> None:
        """Show `figure`, already laid out and drawn into `renderer` at this canvas' width (off
        the GUI thread), as if this canvas had drawn it: the handlers connected here move to
        it and hear its draw_event (chart_blit keeps the picture and draws the switch's
        artists over it); no draw follows while the canvas keeps its size."""
        figure._original_dpi = self.figure._original_dpi  # as the canvas' pixel ratio expects
        figure.set_canvas(self)
        self.figure = figure
        for given, (name, func, _old) in self._connections.items():
            self._connections[given] = (name, func, super().mpl_connect(name, func))
        self.renderer = renderer
        self._lastKey = (*figure.bbox.size, figure.dpi)  # get_renderer() reuses it
        self._adopted = tuple(figure.bbox.size)
        DrawEvent("draw_event", self, renderer)._process()
        self.update()

    def draw(self) -> None:
        self._adopted = None
        super().draw()

    @property
    def adopted(self) -> bool:
        """Whether the canvas shows an adopted picture of its figure at its size now."""
        return self._adopted is not None and self._adopted == tuple(self.figure.bbox.size)

    def draw_idle(self) -> None:
        """Draw when idle, unless the picture adopted is of the figure at its size now (the
        resize to the height it was drawn for asks for a draw that would change nothing)."""
        if self.adopted:
            return
        self._adopted = None
        super().draw_idle()

    def release(self) -> None:
        """The figure is about to change: the adopted picture is no longer current."""
        self._adopted = None

    def set_texts(self, artists, renderer) -> None:
        """Paint these (paintable) texts from the next paint on, where the figure puts them."""
        ratio, height = self.device_pixel_ratio, self.figure.bbox.height / self.device_pixel_ratio
        self._texts = [place(a, renderer, self.figure.dpi, ratio, height, self.logicalDpiY())
                       for a in artists]

    def painted_texts(self) -> list[str]:
        """The texts Qt paints over the picture now."""
        return ["\n".join(text.lines) for text in self._texts]

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt API
        super().paintEvent(event)
        if self._texts:
            painter = QPainter(self)
            painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
            try:
                for text in self._texts:
                    paint(painter, text)
            finally:
                painter.end()
