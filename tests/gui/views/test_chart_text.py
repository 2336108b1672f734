"""Texts painted by Qt over the chart (chart_text) land where Agg draws them, at their size."""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib.figure import Figure
from PySide6.QtGui import QImage

from desktop.gui.views.chart_text import TextCanvas, paintable

SIZE = (400, 200)
TEXTS = [  # (x, y in figure fraction, text, properties)
    (0.05, 0.9, "Cluster 001 is significantly higher", dict(ha="left", va="top", size=12,
                                                            weight="bold")),
    (0.5, 0.5, "14.0% Higher", dict(ha="center", va="center", size=9)),
    (0.95, 0.2, "Per cent (%)", dict(ha="right", va="bottom", size=10)),
    (0.1, 0.5, "Rate per 1,000\nall clusters, 2023/24", dict(ha="left", va="center", size=10,
                                                              color="#505a5f")),
    (0.3, 0.3, "\nValues range from 48.2 to 54.2\n", dict(ha="left", va="top", size=11)),
    (0.5, 0.4, "County 13.5%", dict(ha="center", va="baseline", size=8)),
]


def _image(canvas) -> np.ndarray:
    image = canvas.grab().toImage().convertToFormat(QImage.Format.Format_Grayscale8)
    rows = np.frombuffer(image.constBits(), np.uint8).reshape(image.height(),
                                                             image.bytesPerLine())
    return rows[:, :image.width()].copy()


def _ink(pixels: np.ndarray) -> tuple[int, int, int, int]:
    rows, cols = np.nonzero(pixels < 160)
    return cols.min(), rows.min(), cols.max(), rows.max()


def _canvas(qtbot) -> tuple[TextCanvas, Figure]:
    figure = Figure()
    canvas = TextCanvas(figure)
    qtbot.addWidget(canvas)
    canvas.resize(*SIZE)
    canvas.show()
    qtbot.waitExposed(canvas)
    return canvas, figure


@pytest.mark.parametrize("x, y, text, props", TEXTS)
def test_qt_paints_a_text_where_and_as_large_as_agg_draws_it(qtbot, x, y, text, props):
    canvas, figure = _canvas(qtbot)
    artist = figure.text(x, y, text, **props)
    canvas.draw()
    agg = _ink(_image(canvas))
    artist.set_animated(True)  # left out of Agg's picture, painted by Qt
    canvas.draw()
    canvas.set_texts([artist], canvas.get_renderer())
    assert canvas.painted_texts() == [text]
    qt = _ink(_image(canvas))
    # the same anchor and lines within 2 px; Qt's hinting may make a long line up to 3%
    # narrower or wider than FreeType's in Agg
    left, top, right, bottom = np.abs(np.subtract(qt, agg))
    assert max(top, bottom) <= 2, (agg, qt)
    width = agg[2] - agg[0]
    if props["ha"] == "left":
        assert left <= 2 and right <= max(2, 0.03 * width), (agg, qt)
    elif props["ha"] == "right":
        assert right <= 2 and left <= max(2, 0.03 * width), (agg, qt)
    else:
        assert max(left, right) <= max(2, 0.015 * width), (agg, qt)


def test_only_plain_horizontal_text_is_painted_by_qt(qtbot):
    _canvas_, figure = _canvas(qtbot)
    assert paintable(figure.text(0, 0, "12.5% Worse"))
    assert not paintable(figure.text(0, 0, r"$\alpha$ rate"))  # mathtext: Agg draws it
    assert not paintable(figure.text(0, 0, "Per cent", rotation=90))
    assert not paintable(figure.text(0, 0, ""))
    hidden = figure.text(0, 0, "hidden")
    hidden.set_visible(False)
    assert not paintable(hidden)
