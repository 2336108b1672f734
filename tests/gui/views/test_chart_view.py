"""ChartView: switching charts, the table alternative, clicking a bar, export and clearing."""

from __future__ import annotations

import threading

import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure
from PIL import Image
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QImage, QWheelEvent
from PySide6.QtWidgets import QApplication

from desktop.core.charts.distribution import SuppressedAreas
from desktop.core.charts.tables import chart_figure, chart_table
from desktop.core.model import Indicator, Polarity, ValueType
from desktop.core.plotting.annotate import figure_title
from desktop.gui.views.chart_view import ChartView

IND = Indicator(id="abs", title="Pupil absence", theme="Enjoy and achieve",
                value_type=ValueType.PROPORTION, polarity=Polarity.HIGHER_IS_WORSE,
                multiplier=100, unit="%", source="Synthetic", synthetic=True,
                periods=("2020/21", "2021/22", "2022/23"))
NAMES = ["Bromsgrove", "Redditch", "Kidderminster", "Evesham"]


def bar_inputs(highlight="Redditch") -> dict:
    values = np.array([5.0, 7.5, np.nan, 4.0])
    clusters = pd.DataFrame({"value": values, "lower95": values - 1, "upper95": values + 1,
                             "suppressed": [False, False, True, False],
                             "significance": ["similar", "worse", "not compared", "better"]},
                            index=pd.Index(NAMES, name="cluster"))
    return {"indicator": IND, "period": "2022/23", "clusters": clusters,
            "county": pd.Series({"value": 5.5, "lower95": 5.3, "upper95": 5.7}),
            "highlight": highlight}


def trend_inputs() -> dict:
    frame = lambda v: pd.DataFrame(  # noqa: E731
        {"value": v, "lower95": np.subtract(v, 1), "upper95": np.add(v, 1), "suppressed": False},
        index=pd.Index(IND.periods, name="period"))
    return {"indicator": IND, "cluster_name": "Redditch", "series_cluster": frame([7., 7.2, 7.5]),
            "series_county": frame([5., 5.2, 5.5]), "trend": "increasing"}


def dist_inputs() -> dict:
    return {"indicator": IND, "period": "2022/23", "cluster_name": "Redditch",
            "cluster_area_values": np.array([6.0, 7.0, 9.0]),
            "county_area_values": np.array([3.0, 4.0, 6.0, 7.0, 9.0, np.nan]),
            "county_value": 5.5, "cluster_suppressed": SuppressedAreas(0, np.nan, np.nan, 5),
            "county_suppressed": SuppressedAreas(1, 2.0, 10.0, 5)}


@pytest.fixture
def view(qtbot):
    v = ChartView()
    qtbot.addWidget(v)
    v.resize(900, 560)
    v.show()
    qtbot.waitExposed(v)
    v.show_bars(**bar_inputs())
    v.show_trend(**trend_inputs())
    v.show_distribution(**dist_inputs())
    return v


def subtitle_of(figure) -> str:
    return next(a.get_text() for a in figure.artists if a.get_gid() == "subtitle")


def table_texts(view) -> list[list[str]]:
    m = view.table_page.model
    return [[m.item(r, c).text() for c in range(m.columnCount())] for r in range(m.rowCount())]


def test_tabs_switch_the_drawn_chart(view, qtbot):
    assert view.kind == "bars"
    assert {p.get_gid() for p in view.axes.patches if p.get_gid()} == {
        "Bromsgrove", "Redditch", "Evesham"}
    with qtbot.waitSignal(view.kind_changed) as signal:
        view.tabs.setCurrentIndex(1)
    assert signal.args == ["trend"]
    lines = {ln.get_gid(): ln for ln in view.axes.lines if ln.get_gid()}
    assert list(lines["cluster"].get_ydata()) == [7.0, 7.2, 7.5]
    assert not [p for p in view.axes.patches if p.get_gid()]  # the bars are gone
    view.set_kind("distribution")
    assert "points:Redditch" in {c.get_gid() for c in view.axes.collections}
    # the title states the message; the canvas is named by it and described in words
    message = "Redditch's 3 small areas range from 6.0% to 9.0%, median 7.0%"
    assert figure_title(view.figure) == message
    assert view.canvas.accessibleName() == f"Chart: {message}"
    boxes = "Box plot of Pupil absence in small areas"
    assert not view.canvas.accessibleDescription().startswith(boxes)  # worded after the paint
    qtbot.waitUntil(lambda: view.canvas.accessibleDescription().startswith(boxes))
    description = view.canvas.accessibleDescription()
    assert description.startswith("Box plot of Pupil absence in small areas, 2022/23. "
                                  f"{message}, against a median of 6.0% across the county's")
    assert description.endswith("Show as table (Alt+T) lists the numbers.")


def test_table_toggle_shows_the_same_numbers(view, qtbot):
    assert view.stack.currentWidget() is view.chart_frame
    qtbot.mouseClick(view.table_toggle, Qt.MouseButton.LeftButton)
    assert view.stack.currentWidget() is view.table_page
    expected = chart_table("bars", **bar_inputs())
    assert [view.table_page.model.horizontalHeaderItem(c).text()
            for c in range(view.table_page.model.columnCount())] == list(expected.columns)
    assert table_texts(view) == expected.astype(str).values.tolist()
    assert table_texts(view)[2][1] == "[c]"  # Kidderminster, suppressed
    assert view.table_page.notes.text().startswith("[c] confidential: not shown to protect")
    assert "[z] not applicable" in view.table_page.notes.text()  # the county's comparison
    view.tabs.setCurrentIndex(1)  # switching chart while in table mode refreshes the table
    assert table_texts(view) == chart_table("trend", **trend_inputs()).values.tolist()
    qtbot.mouseClick(view.table_toggle, Qt.MouseButton.LeftButton)
    assert view.stack.currentWidget() is view.chart_frame
    assert any(ln.get_gid() == "cluster" for ln in view.axes.lines)


def test_new_inputs_for_a_hidden_chart_do_not_redraw_the_visible_one(view):
    view.show_trend(**{**trend_inputs(), "cluster_name": "Evesham"})
    assert {p.get_gid() for p in view.axes.patches if p.get_gid()} == {
        "Bromsgrove", "Redditch", "Evesham"}
    view.set_kind("trend")
    assert "Evesham" in [t.get_text() for t in view.axes.texts if t.get_gid() == "line-label"]


def test_clicking_a_bar_emits_its_cluster(view, qtbot):
    bar = next(p for p in view.axes.patches if p.get_gid() == "Evesham")
    x, y = view.axes.transData.transform((bar.get_x() + bar.get_width() / 2,
                                          bar.get_y() + bar.get_height() / 2))
    ratio = view.canvas.device_pixel_ratio
    point = QPoint(int(x / ratio), int(view.canvas.height() - y / ratio))
    with qtbot.waitSignal(view.cluster_clicked) as signal:
        qtbot.mouseClick(view.canvas, Qt.MouseButton.LeftButton, pos=point)
    assert signal.args == ["Evesham"]


def test_export_draws_the_current_chart_at_print_size(view, tmp_path):
    view.set_kind("trend")
    view.export(tmp_path / "trend.png")
    with Image.open(tmp_path / "trend.png") as img:
        assert img.width == 1890
        assert img.info["dpi"] == pytest.approx((300, 300), abs=0.01)
        assert img.text["Title"] == "Redditch rose from 7.0% in 2020/21 to 7.5% in 2022/23"
    assert view.figure.get_size_inches()[0] == pytest.approx(view.canvas.width() / 100, rel=0.05)


def test_copy_puts_the_table_or_the_chart_on_the_clipboard(view, qtbot):
    from PySide6.QtWidgets import QApplication
    view.copy_to_clipboard()
    image = QApplication.clipboard().image()
    assert image.width() == 1890
    view.table_toggle.setChecked(True)
    view.copy_to_clipboard()
    text = QApplication.clipboard().text()
    assert text.splitlines()[0].split("\t") == list(chart_table("bars", **bar_inputs()).columns)
    assert "Kidderminster\t[c]\t[c]\t[c]" in text
    assert text.rstrip().splitlines()[-1].startswith("[z] not applicable")


def test_clear_forgets_everything(view):
    view.clear()
    assert view.inputs() is None
    assert not view.axes.patches and not view.figure.get_suptitle()
    view.table_toggle.setChecked(True)
    assert view.table_page.model.rowCount() == 0


def test_a_new_indicator_updates_the_same_bars_in_place(view):
    bars = [p for p in view.axes.patches if p.get_gid()]
    inputs = bar_inputs()
    values = np.array([12.0, 3.0, np.nan, 20.0])
    inputs["clusters"] = inputs["clusters"].assign(value=values, lower95=values - 2,
                                                   upper95=values + 2)
    inputs["county"] = pd.Series({"value": 9.0})
    view.show_bars(**inputs)
    assert [p for p in view.axes.patches if p.get_gid()] == bars  # the same artists
    assert [bar.get_width() for bar in bars] == [12.0, 3.0, 20.0]
    county = next(ln for ln in view.axes.lines if ln.get_gid() == "county")
    assert list(county.get_xdata()) == [9.0, 9.0]
    assert "County 9.0%" in [t.get_text() for t in view.axes.texts]
    updated_xlim = view.axes.get_xlim()
    # a fresh drawing of the same numbers looks the same: bars, whisker caps and value axis
    fresh = chart_figure("bars", 16, 10, **inputs).axes[0]
    assert [p.get_width() for p in fresh.patches if p.get_gid()] == [12.0, 3.0, 20.0]
    assert updated_xlim == pytest.approx(fresh.get_xlim())
    caps = lambda ax: sorted(x for ln in ax.lines if ln.get_gid() is None  # noqa: E731
                             for x in ln.get_xdata())
    assert caps(view.axes) == caps(fresh) == [1.0, 5.0, 10.0, 14.0, 18.0, 22.0]


def test_another_highlighted_cluster_redraws_the_bars(view):
    bars = [p for p in view.axes.patches if p.get_gid()]
    view.show_bars(**bar_inputs(highlight="Evesham"))
    assert not set(bars) & set(view.axes.patches)
    bold = [t.get_text() for t in view.axes.get_yticklabels() if t.get_fontweight() == "bold"]
    assert bold == ["Evesham"]


def _pixels(view) -> np.ndarray:
    """The canvas as it shows: the Agg picture with the texts Qt paints over it."""
    image = view.canvas.grab().toImage().convertToFormat(QImage.Format.Format_RGBA8888)
    return np.frombuffer(image.constBits(), np.uint8).reshape(
        image.height(), image.bytesPerLine() // 4, 4)[:, :image.width()].copy()


def test_a_switch_redraws_only_the_changing_artists_and_looks_like_a_full_draw(view, qtbot,
                                                                             monkeypatch):
    """The fast path restores the kept background (cluster names, legend, footnote) and draws
    the bars, whiskers, value axis and titles over it: the picture must be the one a full draw
    of the same numbers makes, and the cluster names must not be drawn again."""
    view.show_bars(**bar_inputs())  # a full draw keeps the background for the next switch
    inputs = bar_inputs()
    values = np.array([6.0, 3.0, np.nan, 8.0])  # labels no wider than laid out for
    inputs["clusters"] = inputs["clusters"].assign(value=values, lower95=values - 2,
                                                   upper95=values + 2)
    inputs["county"] = pd.Series({"value": 9.0})
    inputs["indicator"] = IND.__class__(**{**IND.__dict__, "title": "Another title"})
    full_draws = []
    monkeypatch.setattr(view.canvas, "draw", lambda: full_draws.append(1))
    names_drawn = []
    label = view.axes.get_yticklabels()[0]
    original = type(label).draw
    monkeypatch.setattr(type(label), "draw", lambda self, renderer: (
        names_drawn.append(self.get_text()), original(self, renderer))[1])
    view.show_bars(**inputs)
    assert full_draws == []
    assert not set(names_drawn) & set(NAMES)  # cluster names came from the background
    # the title, values and value axis are painted afresh by Qt, not rasterised by Agg
    assert not any("Another title" in t for t in names_drawn)
    assert any("Another title" in t for t in view.canvas.painted_texts())
    assert {"8.0% Better", "County 9.0%", "Per cent (%)"} <= set(view.canvas.painted_texts())
    assert set(view.canvas.painted_texts()) >= {t.get_text() for t in
                                               view.axes.xaxis.get_majorticklabels()
                                               if view.axes.get_xlim()[0] <= t.get_position()[0]
                                               <= view.axes.get_xlim()[1]}
    fast = _pixels(view)
    monkeypatch.undo()
    view.blitter.forget()
    view.figure.set_layout_engine("constrained")  # a fresh full draw, laid out
    view.canvas.draw()
    full = _pixels(view)
    assert fast.shape == full.shape
    differing = np.any(fast != full, axis=2).mean()
    assert differing == 0, f"{differing:.2%} of the pixels differ from a full draw"


def test_wider_labels_beside_the_bars_get_a_fresh_layout(view, monkeypatch):
    """A switch whose values and verdicts need more room right of the bars than the layout
    left lays the chart out afresh, so no label runs off the canvas."""
    view.show_bars(**bar_inputs())
    inputs = bar_inputs()
    values = np.array([1234.5, 3.0, np.nan, 20.0])
    inputs["clusters"] = inputs["clusters"].assign(value=values, lower95=values - 2,
                                                   upper95=values + 2)
    full_draws = []
    draw = view.canvas.draw
    monkeypatch.setattr(view.canvas, "draw", lambda: (full_draws.append(1), draw())[1])
    view.show_bars(**inputs)
    assert full_draws == [1]
    renderer = view.canvas.get_renderer()
    right = max(t.get_window_extent(renderer).x1 for t in view.axes.texts
                if t.get_gid() == "value-label")
    assert "1,234.5% Similar" in [t.get_text() for t in view.axes.texts]
    assert right <= view.figure.bbox.x1


def test_a_full_draw_still_shows_the_dynamic_artists(view, qtbot):
    """Bars are `animated` for blitting; a plain draw (resize, draw_idle) must still show them."""
    view.show_bars(**bar_inputs())
    before = _pixels(view)
    view.blitter.forget()
    view.canvas.draw()
    assert np.array_equal(before, _pixels(view))
    bar_colour = np.array([int(view.axes.patches[0].get_facecolor()[i] * 255) for i in range(3)])
    assert (np.abs(before[..., :3].astype(int) - bar_colour).sum(axis=2) < 6).sum() > 200


def test_short_and_long_titles_keep_the_bars_in_place(view):
    """On screen the title block is always two lines high, so a switch between a short and a
    long title needs no new layout and the bars do not jump."""
    short = bar_inputs()
    long = bar_inputs()
    long["indicator"] = IND.__class__(**{**IND.__dict__, "title": "A much longer indicator "
                                         "title that wraps onto a second line of the chart " * 2})
    view.show_bars(**short)
    view.canvas.draw()
    position = view.axes.get_position().bounds
    view.show_bars(**long)
    view.canvas.draw()
    assert view.axes.get_position().bounds == pytest.approx(position)
    assert "wraps" in subtitle_of(view.figure)
    view.show_bars(**short)
    assert view.figure.get_suptitle().startswith("\n")  # the short title sits a line lower


def many_clusters(n: int, highlight: str) -> dict:
    names = [f"Cluster {i:03d}" for i in range(n)]
    values = np.linspace(5, 20, n)
    inputs = bar_inputs(highlight=highlight)
    inputs["clusters"] = pd.DataFrame(
        {"value": values, "lower95": values - 1, "upper95": values + 1, "suppressed": False,
         "significance": "similar"}, index=pd.Index(names, name="cluster"))
    return inputs


def drawn_names(view) -> list:
    """The cluster names as drawn: each one's text and its box on the canvas."""
    view.canvas.draw()
    return [(t.get_text(), t.get_window_extent()) for t in view.axes.get_yticklabels()]


def test_150_clusters_scroll_every_one_named_and_a_tall_pane_needs_no_scrolling(view, qtbot):
    """England scale: the canvas grows taller than the pane and scrolls, so every cluster is
    named in the chart's own font, none running into the next; with a dozen clusters in a
    pane tall enough, the canvas fits the pane and nothing scrolls."""
    view.resize(700, 360)
    view.show_bars(**many_clusters(150, "Cluster 010"))  # drawn in a thread: seconds when busy
    qtbot.waitUntil(lambda: view.canvas.height() > 3 * view.scroll.viewport().height(),
                    timeout=30_000)
    assert view.scroll.verticalScrollBar().maximum() > 0
    names = drawn_names(view)
    assert [text for text, _box in names] == [f"Cluster {i:03d}" for i in range(150)]
    boxes = sorted((box for _text, box in names), key=lambda b: b.y0)
    assert all(a.y1 <= b.y0 + 1 for a, b in zip(boxes, boxes[1:]))
    assert {t.get_fontsize() for t in view.axes.get_yticklabels()} == {8.0}
    bar = view.scroll.verticalScrollBar()  # the wheel over the chart scrolls it
    wheel = QWheelEvent(QPointF(50, 50), QPointF(view.canvas.mapToGlobal(QPoint(50, 50))),
                        QPoint(0, 0), QPoint(0, -120), Qt.MouseButton.NoButton,
                        Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(view.canvas, wheel)
    assert bar.value() > 0

    view.resize(700, 900)
    view.show_bars(**many_clusters(12, "Cluster 003"))
    qtbot.waitUntil(lambda: view.scroll.verticalScrollBar().maximum() == 0, timeout=5000)
    assert view.canvas.height() == view.scroll.viewport().height()
    assert all(text for text, _box in drawn_names(view))


def test_a_chart_that_grows_for_its_names_is_drawn_once_off_the_gui_thread(view, qtbot,
                                                                           monkeypatch):
    """150 clusters in a short pane: built, laid out and drawn once, in a thread, at the height
    its names need; the canvas grows to that height and shows that picture, and the GUI thread
    draws the chart no time at all (drawn first at the pane's height, then again after growing,
    cost a second a draw at England scale, the window not responding meanwhile)."""
    view.resize(700, 360)
    qtbot.wait(300)  # the resize settles: its redraw is not the one counted
    drawn = []
    full_draw = Figure.draw

    def counted(figure, renderer):
        drawn.append((threading.current_thread() is threading.main_thread(), figure.bbox.height))
        full_draw(figure, renderer)

    monkeypatch.setattr(Figure, "draw", counted)
    view.show_bars(**many_clusters(150, "Cluster 010"))
    assert view.draw_pending
    qtbot.waitUntil(lambda: view.canvas.height() > 3 * view.scroll.viewport().height(),
                    timeout=30_000)
    qtbot.wait(500)  # longer than any redraw the resize asks for
    ratio = view.canvas.device_pixel_ratio
    assert drawn == [(False, view.canvas.height() * ratio)] and not view.draw_pending
    assert view.canvas.figure is view.figure and view.axes.figure is view.figure
    assert len(view.axes.get_yticklabels()) == 150
    picture = np.asarray(view.canvas.get_renderer().buffer_rgba()).copy()
    view.canvas.draw()  # the same chart drawn here: the same picture
    assert np.array_equal(picture, np.asarray(view.canvas.get_renderer().buffer_rgba()))


def test_a_resize_wraps_the_title_to_the_new_width(view, qtbot):
    """Titles are wrapped to the figure's width when drawn: after the pane narrows, the chart
    is drawn again and no title line runs past the canvas' right edge."""
    inputs = bar_inputs()
    inputs["indicator"] = IND.__class__(**{**IND.__dict__, "title": "Hospital admissions "
                                           "caused by unintentional and deliberate injuries in "
                                           "children and young people aged 0 to 14 years"})
    view.resize(1000, 560)
    view.show_bars(**inputs)
    wide_lines = view.figure.get_suptitle().strip().count("\n") + 1
    view.resize(420, 560)
    qtbot.waitUntil(lambda: view.figure.get_suptitle().strip().count("\n") + 1 > wide_lines,
                    timeout=3000)
    view.canvas.draw()
    assert view.figure._suptitle.get_window_extent().x1 <= view.canvas.width() * \
        view.canvas.device_pixel_ratio


def test_a_chart_given_while_hidden_is_drawn_once_when_shown_at_its_shown_size(qtbot):
    """Opening fills the views under the window's cover: the chart is drawn when it shows,
    once, at the size it shows at (it was drawn hidden at 640x480 and again once shown: two
    seconds of the GUI thread at England scale)."""
    v = ChartView()
    qtbot.addWidget(v)
    drawn = []
    v.canvas.mpl_connect("draw_event", lambda _e: drawn.append(
        (v.canvas.width(), v.figure.get_suptitle().strip())))
    v.show_bars(**bar_inputs())
    assert drawn == [] and v.draw_pending and v.figure.get_suptitle() == ""
    v.resize(900, 560)
    v.show()
    qtbot.waitUntil(lambda: not v.draw_pending, timeout=5000)
    qtbot.wait(300)  # longer than any redraw a resize asks for
    charts = [d for d in drawn if d[1]]  # a blank figure drawn on the resize costs nothing
    assert [width for width, _title in charts] == [v.canvas.width()]


def test_a_tall_chart_needing_a_new_layout_on_a_switch_is_drawn_off_the_gui_thread(
        view, qtbot, monkeypatch):
    """England's chart updated for an indicator with wider labels needs a new layout: that
    draw (a second) goes to the thread too, and the chart shows the new values."""
    view.resize(700, 360)
    view.show_bars(**many_clusters(150, "Cluster 010"))
    qtbot.waitUntil(lambda: not view.draw_pending, timeout=30_000)
    drawn = []
    full_draw = Figure.draw

    def counted(figure, renderer):
        drawn.append(threading.current_thread() is threading.main_thread())
        full_draw(figure, renderer)

    monkeypatch.setattr(Figure, "draw", counted)
    heard = []  # a handler connected before follows the canvas to the adopted figure
    cid = view.canvas.mpl_connect("draw_event", lambda _event: heard.append(view.figure))
    wider = many_clusters(150, "Cluster 010")
    wider["clusters"][["value", "lower95", "upper95"]] *= 100_000
    view.show_bars(**wider)
    qtbot.waitUntil(lambda: not view.draw_pending, timeout=30_000)
    assert drawn == [False]
    labels = [t.get_text() for t in view.axes.texts]
    assert any("2,000,000" in text for text in labels)
    assert heard == [view.figure]
    view.canvas.mpl_disconnect(cid)  # by the id it was given, though on another figure now
    view.canvas.draw()
    assert heard == [view.figure]


def test_a_switch_while_a_tall_chart_is_drawing_waits_for_no_thread(view, qtbot, monkeypatch):
    """A switch while England's chart is drawing in its thread (which holds the style lock
    that an in-place update takes) goes to the thread too: the GUI thread neither draws nor
    waits for the lock, and the chart shown is the last one asked for."""
    from desktop.gui.views import chart_view

    view.resize(700, 360)
    view.show_bars(**many_clusters(150, "Cluster 010"))
    qtbot.waitUntil(lambda: not view.draw_pending, timeout=30_000)
    updates, drawn = [], []
    update, full_draw = chart_view.update_bar_chart, Figure.draw

    def counted(figure, renderer):
        drawn.append(threading.current_thread() is threading.main_thread())
        full_draw(figure, renderer)

    monkeypatch.setattr(chart_view, "update_bar_chart",
                        lambda *args, **kwargs: updates.append(1) or update(*args, **kwargs))
    monkeypatch.setattr(Figure, "draw", counted)
    wider = many_clusters(150, "Cluster 010")
    wider["clusters"][["value", "lower95", "upper95"]] *= 100_000
    view.show_bars(**wider)  # updated in place, then laid out and drawn in the thread
    assert view.draw_pending
    view.show_bars(**many_clusters(150, "Cluster 010"))  # while it draws: to the thread
    qtbot.waitUntil(lambda: not view.draw_pending, timeout=30_000)
    assert updates == [1] and True not in drawn
    assert not any("2,000,000" in t.get_text() for t in view.axes.texts)
