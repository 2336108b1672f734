"""Benchmark measurements in the real main window (offscreen): open, indicator switch until
painted, hover/click hit-tests, and the .docx exports when the exporter exists."""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

import numpy as np

from bench.timing import own_memory_mb, repeat, summary

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
WINDOW_SIZE = (1440, 900)


def _app():
    from PySide6.QtWidgets import QApplication

    return QApplication.instance() or QApplication([])


def _settle(app, canvases, turns: list[float] | None = None, limit: float = 120.0) -> None:
    """Run the event loop until no canvas (or view: the chart's `draw_pending`) has a draw
    pending, then once more for the paint; the length of each turn of the loop goes into
    `turns` when given."""
    turns = [] if turns is None else turns
    deadline = time.perf_counter() + limit
    turns.append(_timed(app.processEvents))
    while True:
        queued = any(getattr(c, "_draw_pending", False) for c in canvases)
        if not (queued or any(getattr(c, "draw_pending", False) for c in canvases)):
            break
        if time.perf_counter() > deadline:
            raise TimeoutError("the window did not finish drawing")
        if not queued:  # a timer or a drawing thread: wait as an idle event loop waits, so
            time.sleep(0.001)  # the thread gets the interpreter
        turns.append(_timed(app.processEvents))
    turns.append(_timed(app.processEvents))


def open_window(path: Path, passphrase: str):
    """A shown MainWindow with the bundle open; returns (window, seconds to open, the longest
    the window did not respond meanwhile: the longest single turn of its event loop)."""
    from PySide6.QtCore import Qt

    from desktop.gui import settings
    from desktop.gui.main_window import MainWindow

    settings.use_settings_file(Path(tempfile.mkdtemp()) / "settings.ini")
    app = _app()
    window = MainWindow()
    window.setWindowState(Qt.WindowState.WindowNoState)  # not fitted to the offscreen screen
    window.resize(*WINDOW_SIZE)
    window.show()
    _settle(app, [])
    window.opener.ask_passphrase = lambda *_args: passphrase
    failures: list[str] = []
    window.opener.failed.connect(failures.append)
    window.opener.crashed.connect(failures.append)
    start = time.perf_counter()
    turns: list[float] = []
    window.open_bundle(path)
    turns.append(time.perf_counter() - start)
    while window.session.bundle is None and not failures:
        turns.append(_timed(app.processEvents))
        time.sleep(0.002)
    if failures:
        raise RuntimeError(failures[0])
    _settle(app, _canvases(window), turns)
    return window, time.perf_counter() - start, max(turns)


def _timed(call) -> float:
    start = time.perf_counter()
    call()
    return time.perf_counter() - start


def _canvases(window) -> list:
    return [window.map_view.canvas, window.chart_view.canvas, window.chart_view]


def switch_timings(window, runs: int) -> dict:
    """Indicator switches and period switches, each until the window has painted, plus the
    map alone (recolour + synchronous draw)."""
    app = _app()
    session, canvases = window.session, _canvases(window)
    ids = [i.id for i in session.bundle.manifest.indicators]
    picks = [ids[(7 * k + 3) % len(ids)] for k in range(runs + 1)]

    def indicator(i: int) -> None:
        session.set_indicator(picks[i])
        _settle(app, canvases)

    indicator(runs)  # warm-up
    switch = repeat(indicator, runs)
    periods = session.indicator.periods

    def period(i: int) -> None:
        session.set_period(periods[(i % (len(periods) - 1))] if i % 2 == 0 else periods[-1])
        _settle(app, canvases)

    period_switch = repeat(period, runs)
    map_only = []
    for i in range(runs):
        session.indicator_id = picks[i]  # no signal: the map alone is timed below
        start = time.perf_counter()
        window.sync._refresh_map()
        window.map_view.render_now()
        map_only.append(time.perf_counter() - start)
    parts = _breakdown(window, picks[:runs])
    return {"switch": switch, "period": period_switch, "map": summary(map_only), **parts}


def _breakdown(window, picks: list[str]) -> dict:
    """Where a switch goes: chart draw and profile paint on their own."""
    app = _app()
    session = window.session
    chart = []
    profile = []
    for ind in picks:
        start = time.perf_counter()
        window.chart_view.show_for(session.bundle, session.statistics,
                                   session.bundle.manifest.indicator(ind), session.period,
                                   session.cluster)
        chart.append(time.perf_counter() - start)
        start = time.perf_counter()
        window.profile_view.set_current_indicator(ind)
        window.tabs.repaint()
        app.processEvents()
        profile.append(time.perf_counter() - start)
    return {"chart": summary(chart), "profile": summary(profile)}


def hit_test_timings(window, runs: int) -> dict:
    """Hover over random points: the area under the pointer and its hover text."""
    artists = window.map_view.artists
    rng = np.random.default_rng(11)
    minx, miny, maxx, maxy = artists.bounds
    xs, ys = rng.uniform(minx, maxx, runs), rng.uniform(miny, maxy, runs)

    def hover(i: int) -> None:
        index = artists.area_at(xs[i], ys[i])
        if index is not None:
            window.map_view.hover_text(index)

    return {"hover": repeat(hover, runs)}


def picking_timings(window, runs: int) -> dict:
    """Picking areas on the map (map_picking): starting it (the areas' inside points, once per
    map), then a rectangle and a lasso over a random tenth of the map each time: the areas
    picked and their outlines handed to the canvas, which paints when idle, as on screen."""
    view = window.map_view
    picking = view.picking
    start = repeat(lambda i: (picking.stop(), picking.forget_map(), picking.start()), 3)
    rng = np.random.default_rng(13)
    minx, miny, maxx, maxy = view.artists.bounds
    w, h = (maxx - minx) / 10, (maxy - miny) / 10
    corners = np.column_stack([rng.uniform(minx, maxx - w, runs),
                               rng.uniform(miny, maxy - h, runs)])
    turn = np.linspace(0, 2 * np.pi, 60)

    def rectangle(i: int) -> None:
        x, y = corners[i]
        picking.pick_rectangle((x, y), (x + w, y + h))

    def lasso(i: int) -> None:
        x, y = corners[i]
        picking.pick_lasso(np.column_stack([x + w / 2 * (1 + np.cos(turn)),
                                            y + h / 2 * (1 + np.sin(turn))]))

    result = {"pick_start": start, "pick_rectangle": repeat(rectangle, runs),
              "pick_lasso": repeat(lasso, runs)}
    picking.stop()
    return result


def export_timings(window, all_clusters: bool) -> dict:
    """The cluster .docx profile, one and all (desktop.core.report.document), when it exists."""
    try:
        from desktop.core.report.document import export_all_profiles, export_profile_docx
    except ImportError:
        return {}
    session, out = window.session, Path(tempfile.mkdtemp())
    one = repeat(lambda i: export_profile_docx(session.bundle, session.statistics,
                                               session.cluster, out / f"one{i}.docx"), 3)
    result = {"docx_one": one}
    if all_clusters:
        def export_all(i: int) -> None:
            (out / f"all{i}").mkdir()
            export_all_profiles(session.bundle, session.statistics, out / f"all{i}")
        result["docx_all"] = repeat(export_all, 1)
    return result


def gui_benchmark(path: Path, passphrase: str, runs: int, exports: bool) -> dict:
    window, opened, unresponsive = open_window(path, passphrase)
    result = {"open_in_window": summary([opened]), "open_unresponsive": summary([unresponsive]),
              "map_size_in": [window.map_view.figure.get_figwidth(),
                              window.map_view.figure.get_figheight()]}
    result["memory_open"] = own_memory_mb()  # steady: opened and painted
    result.update(switch_timings(window, runs))
    for i in range(20):  # twenty more switches (with the timed ones, over forty)
        window.session.set_indicator(window.session.bundle.manifest.indicators[i].id)
        _settle(_app(), _canvases(window))
    result["memory_switched"] = own_memory_mb()
    result.update(hit_test_timings(window, 200))
    result.update(picking_timings(window, 50))
    if exports:
        result.update(export_timings(window, all_clusters=True))
    window.close()
    return result
