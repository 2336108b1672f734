"""The real window on the demo bundle, in a process of its own, on a screen the caller chose.

A Qt application picks its screen once, when it starts, so the screen-size tests run this
module in a subprocess (`python -m tests.gui.window_probe SCENARIO`) with the screen set in
its environment: an offscreen screen of a given size, QT_SCALE_FACTOR for 150% scaling, or a
real X server. It prints what an officer would see, measured, as one JSON object on the last
line of its output; tests/gui/test_screen_fit.py asserts on it. Settings go to a temporary
file; the network is blocked as in every test.

Scenarios (`python -m tests.gui.window_probe SCENARIO [TEXT_SCALE]`):
  layout     window and screen, toolbar, map hover, profile names, bar chart names, zooms
  shortcuts  window commands pressed while the search box has the focus
  text_fit   every text of the window (each tab, each chart, the status line while busy) and
             of the passphrase, custom area and about dialogs: cut or not (tests/gui/text_fit)

TEXT_SCALE (1 unless given) sets the text size as an officer's system does: 2 is text at 200%.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QEventLoop, QPoint, QRect, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QComboBox, QSlider, QSpinBox, QToolBar, QWidget

from desktop.gui.views.chart_view import KINDS
from tests import conftest
from tests.gui import text_fit

TITLE_PADDING = 12  # pixels a tree view cell keeps around its text


def wait(ms: int) -> None:
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def rect(r: QRect) -> list[int]:
    return [r.x(), r.y(), r.width(), r.height()]


def open_window():
    from desktop.gui import settings
    from desktop.gui.main_window import MainWindow

    settings.use_settings_file(Path(tempfile.mkdtemp()) / "settings.ini")
    window = MainWindow()
    window.show()
    window.opener.ask_passphrase = lambda *_args: conftest.DEMO_PASSPHRASE
    window.open_bundle(conftest.DEMO_BUNDLE)
    for _ in range(600):
        if window.session.is_open and not window.opener.busy:
            break
        wait(100)
    if not window.session.is_open:
        raise SystemExit("the demo bundle did not open")
    wait(600)  # resizes settle and the chart's redraw after them runs
    return window


# --- layout --------------------------------------------------------------------------------
def toolbar(window) -> dict:
    bar = window.selection_bar
    rows = bar.flow.rows(bar.contentsRect().width())
    inside = window.rect()
    controls = [w for group in bar.groups
                for w in group.findChildren(QWidget)
                if isinstance(w, (QComboBox, QSpinBox, QSlider))]
    return {
        "controls": [{"name": w.accessibleName(), "visible": w.isVisible(),
                      "inside": inside.contains(QRect(w.mapTo(window, QPoint(0, 0)), w.size())),
                      "enabled": w.isEnabled()} for w in controls],
        "rows": len(rows),
        "spare_on_last_row": bar.contentsRect().width() - sum(
            item.sizeHint().width() + bar.flow.spacing() for item in rows[-1]),
        "qtoolbars": len(window.findChildren(QToolBar)),
    }


def widget_geometries(window) -> dict[QWidget, list[int]]:
    """Each visible widget's place in the window, by the widget itself (an index would shift
    when a widget elsewhere comes or goes, e.g. a tooltip)."""
    return {w: rect(QRect(w.mapTo(window, QPoint(0, 0)), w.size()))
            for w in window.findChildren(QWidget) if w.isVisible()}


def hover_changes(window) -> dict:
    """Move the pointer over the areas with the longest names and texts: which widgets moved
    or changed size, and the longest readout shown."""
    view = window.map_view
    view.reset_view()
    view.render_now()
    areas = window.session.bundle.areas
    order = sorted(range(len(areas)), key=lambda i: -len(view.hover_text(i)))[:8]
    before = widget_geometries(window)
    longest = ""
    for i in order:
        point = areas.geometry.iloc[i].representative_point()
        x, y = view.ax.transData.transform((point.x, point.y))
        ratio = view.canvas.device_pixel_ratio or 1
        QTest.mouseMove(view.canvas, QPoint(int(x / ratio), int(view.canvas.height() - y / ratio)))
        wait(30)
        longest = max(longest, view.status.full_text, key=len)
    after = widget_geometries(window)
    changed = sorted(f"{type(w).__name__}:{w.objectName() or w.accessibleName()}"
                     for w in before if w in after and before[w] != after[w])
    return {"changed": changed, "longest_readout": longest}


def profile_names(window) -> dict:
    view = window.profile_view
    header = view.table.header()
    metrics = view.table.fontMetrics()
    width = header.sectionSize(0) - TITLE_PADDING
    shown = {}
    for title in view.model.column_texts(0):
        elided = metrics.elidedText(title, Qt.TextElideMode.ElideRight, width)
        shown[title] = len(elided.removesuffix("…"))
    return {"fewest_characters": min(shown.values()),
            "cut_short": [t for t, n in shown.items() if n < min(len(t), 30)],
            "names_cut": sum(n < len(t) for t, n in shown.items()), "names": len(shown),
            "title_width": header.sectionSize(0),
            "hidden": [view.model.headerData(c, Qt.Orientation.Horizontal)
                       for c in range(1, header.count()) if header.isSectionHidden(c)],
            "scrolls_sideways": view.table.horizontalScrollBar().maximum() > 0}


def bar_names(window) -> dict:
    chart = window.chart_view
    chart.set_kind("bars")
    wait(400)
    chart.canvas.draw()
    labels = chart.axes.get_yticklabels()
    boxes = sorted((t.get_window_extent() for t in labels), key=lambda b: b.y0)
    return {"names": [t.get_text() for t in labels],
            "clusters": list(window.session.bundle.cluster_names),
            "overlaps": int(sum(a.y1 > b.y0 + 1 for a, b in zip(boxes, boxes[1:]))),
            "font_sizes": sorted({t.get_fontsize() for t in labels}),
            "scrolls": chart.scroll.verticalScrollBar().maximum() > 0}


def zooms(window) -> dict:
    """Zoom to each cluster: how much of the cluster's box falls outside the view."""
    view, outside = window.map_view, {}
    for name in window.session.bundle.cluster_names:
        window.session.set_cluster(name)
        view.zoom_to_cluster()
        view.render_now()
        x0, y0, x1, y1 = view.artists.cluster_bounds(name)
        vx0, vy0, vx1, vy1 = view.ax.get_xlim()[0], view.ax.get_ylim()[0], \
            view.ax.get_xlim()[1], view.ax.get_ylim()[1]
        outside[name] = float(max(0.0, vx0 - x0, vy0 - y0, x1 - vx1, y1 - vy1))
    return outside


def layout(window) -> dict:
    screen = window.screen()
    frame = window.frameGeometry()
    return {
        "screen": rect(screen.availableGeometry()), "scale": screen.devicePixelRatio(),
        "frame": rect(frame), "maximised": window.isMaximized(),
        "fits": screen.availableGeometry().contains(frame),
        "minimum": [window.minimumSizeHint().width(), window.minimumSizeHint().height()],
        "toolbar": toolbar(window), "hover": hover_changes(window),
        "profile": profile_names(window), "bars": bar_names(window), "zoom": zooms(window),
    }


# --- shortcuts -----------------------------------------------------------------------------
def shortcuts(window) -> dict:
    """Ctrl+E and Ctrl+K pressed while typing in the profile's search box."""
    asked = []
    window.exports.ask_path = lambda caption, *_args: asked.append(caption) or ""
    window.session.set_cluster("Malvern")
    window.map_view.reset_view()
    search = window.profile_view.search
    window.activateWindow()
    window.profile_view.focus_search()
    QTest.keyClicks(search, "admissions")
    search.setCursorPosition(3)
    wait(100)
    before = window.map_view.ax.get_xlim()
    QTest.keyClick(search, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    QTest.keyClick(search, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    wait(100)
    return {"platform": QApplication.platformName(),
            "focus_in_search": QApplication.focusWidget() is search,
            "export_asked": asked, "zoomed": window.map_view.ax.get_xlim() != before,
            "search_text": search.text(), "cursor": search.cursorPosition()}


# --- text_fit ------------------------------------------------------------------------------
FONT_POINTS: list[float] = []  # the application font's size: the system's, and as scaled


def scale_text(app: QApplication, factor: float) -> None:
    """Text at `factor` times the system's size, as Windows' Settings > Accessibility > Text
    size hands it to Qt: a larger application font, before any window is made, while the
    style's margins, icons and scroll bars keep their size. (QT_FONT_DPI=192 is not that: Qt 6
    takes it for a 192 dpi screen and scales everything, as QT_SCALE_FACTOR=2 does.)"""
    font = app.font()
    FONT_POINTS[:] = [font.pointSizeF(), font.pointSizeF() * factor]
    font.setPointSizeF(FONT_POINTS[1])
    app.setFont(font)


def dialogs(window) -> dict:
    from desktop.gui.dialogs.about_dialog import AboutDialog
    from desktop.gui.dialogs.custom_area_dialog import CustomAreaDialog
    from desktop.gui.dialogs.passphrase_dialog import PassphraseDialog

    bundle = window.session.bundle
    made = {"passphrase": PassphraseDialog(window.session.path.name, "That passphrase did not "
                                           "open the bundle: check it and try again.", 30, window),
            "custom area": CustomAreaDialog(bundle, (), (), window),
            "about": AboutDialog(bundle.manifest, window)}
    seen = {}
    for name, dialog in made.items():
        dialog.show()
        wait(200)
        measure = text_fit.Measure()
        measure.window(dialog)
        seen[name] = {**measure.result(), **text_fit.fit(dialog)}
        dialog.close()
    return seen


def choose_a_school(window, name: str = "perry wood") -> None:
    """Go to a school as an officer would (Ctrl+G's box, Enter): the School tab fills."""
    box = window.go_to_box
    box.setFocus()
    QTest.keyClicks(box, name)
    QTest.keyClick(box, Qt.Key.Key_Return)
    for _ in range(300):
        if window.school_view.table.rowCount():
            return
        wait(100)
    raise SystemExit(f"going to {name} did not fill the School tab")


def text_fits(window) -> dict:
    measure = text_fit.Measure()
    measure.window(window)  # the Go to box's hint, before a school is chosen with it
    choose_a_school(window)
    chart = window.chart_view
    for i in range(window.tabs.count()):
        if window.tabs.isTabVisible(i):
            window.tabs.setCurrentIndex(i)
            wait(200)
            measure.window(window)
    window.tabs.setCurrentIndex(0)
    for kind in KINDS:
        chart.set_kind(kind)
        for as_table in (False, True):
            chart.table_toggle.setChecked(as_table)
            wait(200)
            measure.window(window)
    window.status.start("Exporting the profile of Worcester South for Word…")
    wait(100)
    measure.window(window)
    window.status.stop()
    return {"font_points": [*FONT_POINTS, QApplication.font().pointSizeF()],
            **measure.result(),
            **text_fit.fit(window), "maximised": window.isMaximized(),
            "map": [window.map_view.canvas.width(), window.map_view.canvas.height()],
            "profile_rows_shown": window.profile_view.table.viewport().height()
            // max(window.profile_view.table.sizeHintForRow(0), 1),
            "dialogs": dialogs(window)}


SCENARIOS = {"layout": layout, "shortcuts": shortcuts, "text_fit": text_fits}


def main(scenario: str, text_scale: float = 1.0) -> int:
    conftest.block_network_in_this_process()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    scale_text(app, text_scale)
    window = open_window()
    result = SCENARIOS[scenario](window)
    window.close()
    app.processEvents()
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1], *map(float, sys.argv[2:3])))
