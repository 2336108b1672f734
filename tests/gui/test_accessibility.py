"""The window without a mouse or sight (issue 21), on the demo bundle.

Qt's accessibility tree (QAccessible, what a screen reader reads) names every control; Tab
visits the controls in reading order with a visible focus; the map is usable and spoken from
the keyboard; tartan and profile cells say what they show; a dark theme keeps every text
readable; no two visible controls share an Alt key.
"""

from __future__ import annotations

import time
from collections import Counter

import pytest
from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QAccessible, QColor, QPalette
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QLabel,
    QTabBar,
    QWidget,
)

from desktop.core.model import MAP_AREAS, MAP_CLUSTERS, ValueType
from desktop.gui import colours, settings
from desktop.gui.main_window import MainWindow
from desktop.gui.views.focus_frame import FocusFrame
from tests.conftest import DEMO_BUNDLE, DEMO_PASSPHRASE
from tests.gui.window_probe import wait

Role = QAccessible.Role
CONTROLS = {Role.PushButton, Role.CheckBox, Role.RadioButton, Role.ComboBox, Role.SpinBox,
            Role.Slider, Role.EditableText, Role.PageTab, Role.PageTabList, Role.Table,
            Role.Tree, Role.ButtonMenu, Role.ButtonDropDown, Role.ColumnHeader}
ITEMS = {Role.Cell, Role.TreeItem, Role.ListItem}  # named when they can be chosen
DARK = {"Window": "#202124", "WindowText": "#e8eaed", "Base": "#18191b",
        "AlternateBase": "#26272a", "Text": "#e8eaed", "Button": "#2d2e31",
        "ButtonText": "#e8eaed", "ToolTipBase": "#3c3c00", "ToolTipText": "#f5f5dc",
        "Highlight": "#8ab4f8", "HighlightedText": "#202124", "PlaceholderText": "#9aa0a6",
        "Link": "#8ab4f8", "BrightText": "#ffffff"}


def settle(ms: int = 50) -> None:
    """Run the event loop for `ms` (QTest.qWait keeps Python's lock in PySide 6.11, which
    starves the worker that opens the bundle: opening then took minutes, not seconds)."""
    wait(ms)


def until(condition, timeout_s: float = 90) -> None:
    start = time.monotonic()
    while not condition():
        settle()
        if time.monotonic() - start > timeout_s:
            raise AssertionError("timed out")


@pytest.fixture(scope="module")
def window(qapp, tmp_path_factory):
    settings.use_settings_file(tmp_path_factory.mktemp("a11y") / "settings.ini")
    w = MainWindow()
    w.resize(1400, 900)
    w.show()
    w.opener.ask_passphrase = lambda *_args: DEMO_PASSPHRASE
    w.open_bundle(DEMO_BUNDLE)
    until(lambda: w.session.is_open and not w.opener.busy)
    w.session.set_cluster("Stourport")
    # a proportion over several periods: a spine chart, a line over time, an earlier period
    w.session.set_indicator(next(i.id for i in w.session.bundle.manifest.indicators
                                 if i.value_type == ValueType.PROPORTION and len(i.periods) > 2
                                 and not i.basis_of))
    w.activateWindow()
    QTest.qWaitForWindowActive(w)
    settle(300)
    yield w
    w.close()
    settings.use_settings_file(None)


def interfaces(iface, seen=None):
    """Every interface under `iface` that is not invisible (depth first)."""
    seen = [] if seen is None else seen
    if iface is None or not iface.isValid() or iface.state().invisible:
        return seen
    seen.append(iface)
    for k in range(iface.childCount()):
        interfaces(iface.child(k), seen)
    return seen


def nameless(window) -> list[str]:
    """The visible controls (and the focusable custom widgets) without a name or role."""
    problems = []
    for iface in interfaces(QAccessible.queryAccessibleInterface(window)):
        widget = iface.object() if isinstance(iface.object(), QWidget) else None
        if widget is not None and not widget.isVisible():
            continue
        role, state = iface.role(), iface.state()
        if role not in CONTROLS and not (state.focusable and (widget is not None
                                                             or role in ITEMS)):
            continue
        name = iface.text(QAccessible.Text.Name)
        if role == Role.ComboBox:  # on Linux the name is the value; the label names it
            name = name or widget.accessibleName()
        if role == Role.NoRole or not name.strip():
            problems.append(f"{role.name} {type(widget).__name__ if widget else 'item'} "
                            f"{iface.text(QAccessible.Text.Description)[:40]!r}")
    return problems


def test_every_visible_control_has_a_name_and_a_role(window):
    for k in range(window.tabs.count()):
        window.tabs.setCurrentIndex(k)
        settle(200)
        assert nameless(window) == [], window.tabs.tabText(k)
    window.tabs.setCurrentIndex(0)


def test_map_and_charts_describe_what_they_show(window):
    """The canvases have no text of their own: their descriptions carry it."""
    settle(200)
    map_iface = QAccessible.queryAccessibleInterface(window.map_view)
    assert map_iface.text(QAccessible.Text.Name) == "Map"
    described = map_iface.text(QAccessible.Text.Description)
    assert described.endswith(".") and ("Stourport" in described or "range" in described)
    canvas = QAccessible.queryAccessibleInterface(window.chart_view.canvas)
    assert canvas.text(QAccessible.Text.Name).startswith("Chart: ")
    assert canvas.text(QAccessible.Text.Description).startswith("Bar chart of ")
    assert "Show as table (Alt+T)" in canvas.text(QAccessible.Text.Description)


def test_tartan_cells_and_profile_charts_say_what_they_show(window):
    window.tabs.setCurrentWidget(window.compare_view)
    settle(200)
    model = window.compare_view.model
    s = window.session
    column = model.index_of("Stourport", s.indicator_id).column()
    # a judged cell (not one marked [c] or [x]): its verdict in words is its description
    index = next(model.index(r, column) for r in range(model.rowCount())
                 if model.index(r, column).data() not in colours.MARKER_WORDS)
    window.compare_view.table.scrollTo(index)
    settle(100)
    # PySide6 has no tableInterface(): find the cell among the table's children
    table = QAccessible.queryAccessibleInterface(window.compare_view.table)
    cells = [table.child(k) for k in range(table.childCount())]
    cell = next(c for c in cells if c.role() == Role.Cell
                and c.tableCellInterface().rowIndex() == index.row()
                and c.tableCellInterface().columnIndex() == index.column())
    name = cell.text(QAccessible.Text.Name)
    assert name == index.data(Qt.ItemDataRole.AccessibleTextRole)
    assert name.startswith("Stourport · ")
    assert cell.text(QAccessible.Text.Description).startswith(("Significantly", "Not"))
    window.tabs.setCurrentWidget(window.profile_view)
    settle(200)
    from desktop.gui.views.profile_model import COL_SPARKLINE, COL_SPINE

    profile = window.profile_view.model
    rows = [profile.index(r, 0, profile.index(t, 0)) for t in range(profile.rowCount())
            for r in range(profile.rowCount(profile.index(t, 0)))]
    where = next(i for i in rows if profile.row_at(i).spine is not None)
    for column, start in ((COL_SPINE, "Spine chart: the cluster "),
                          (COL_SPARKLINE, "Over time: ")):
        text = profile.index(where.row(), column, where.parent()).data(
            Qt.ItemDataRole.AccessibleTextRole)
        assert text.startswith(start)
        assert text != profile.index(where.row(), column, where.parent()).data()
    spoken = profile.index(where.row(), COL_SPINE, where.parent()).data(
        Qt.ItemDataRole.AccessibleTextRole)
    assert spoken.count("against the clusters' range from") == 1


def focus_stops(window, limit: int = 80) -> list[QWidget]:
    """Tab from the cluster box round the window back to it."""
    first = window.selection_bar.cluster_combo
    first.setFocus(Qt.FocusReason.TabFocusReason)
    settle()
    stops = [first]
    for _ in range(limit):
        QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        settle(10)
        widget = QApplication.focusWidget()
        if widget is first:
            return stops
        stops.append(widget)
    raise AssertionError("Tab never came back to the cluster box")


def test_tab_visits_every_control_in_reading_order_with_a_visible_focus(window):
    window.tabs.setCurrentWidget(window.profile_view)
    stops = focus_stops(window)
    names = [w.accessibleName() or getattr(w, "text", lambda: "")().replace("&", "")
             for w in stops]
    assert all(w.isVisible() for w in stops)
    assert all(names), [type(w).__name__ for w, n in zip(stops, names) if not n]
    bar, chart = window.selection_bar, window.chart_view
    in_order = [bar.cluster_combo, bar.indicator_combo, bar.period_combo, bar.scheme_combo,
                bar.palette_combo, window.map_view, window.map_view.zoom_in_button,
                chart.tabs, chart.table_toggle, chart.canvas, window.tabs.tabBar(),
                window.profile_view.search, window.profile_view.table]
    positions = [stops.index(w) for w in in_order]
    assert positions == sorted(positions)
    # the canvases draw no focus of their own: their frame shows it in the theme's colour
    for widget in (window.map_view, chart.canvas):
        frame = next(f for f in window.findChildren(FocusFrame) if f.watched is widget)
        widget.setFocus(Qt.FocusReason.TabFocusReason)
        settle()
        ring = frame.grab().toImage().pixelColor(1, frame.height() // 2)
        assert ring == frame.palette().color(QPalette.ColorRole.Highlight)
        window.selection_bar.cluster_combo.setFocus()
        settle()
        assert frame.grab().toImage().pixelColor(1, frame.height() // 2) != ring


def test_the_map_steps_through_areas_and_speaks_them(window):
    view, s = window.map_view, window.session
    s.set_map_level(MAP_AREAS)
    view.setFocus(Qt.FocusReason.TabFocusReason)
    settle()
    summary = view.accessibleDescription()
    QTest.keyClick(view, Qt.Key.Key_PageDown)
    first = view.keys.current
    assert view.artists.area_clusters[first] == "Stourport"  # the chosen cluster first
    name = str(s.bundle.areas["area_name"].iat[first])
    assert view.accessibleDescription().startswith(f"{name} · Stourport · ")
    assert view.accessibleDescription().endswith(f"(1 of {len(s.bundle.areas)})")
    assert view.status.full_text == view.accessibleDescription()
    assert len(view.artists.selected.get_segments()) > 0  # outlined on the map
    QTest.keyClick(view, Qt.Key.Key_PageDown)
    QTest.keyClick(view, Qt.Key.Key_Return)  # chooses it, as a click would
    assert s.area_code == str(view.artists.area_codes[view.keys.current])
    QTest.keyClick(view, Qt.Key.Key_End)
    assert view.accessibleDescription().endswith(
        f"({len(s.bundle.areas)} of {len(s.bundle.areas)})")
    QTest.keyClick(view, Qt.Key.Key_Escape)
    assert view.keys.current is None and view.accessibleDescription() == summary
    s.set_map_level(MAP_CLUSTERS)
    settle()
    QTest.keyClick(view, Qt.Key.Key_PageDown)
    QTest.keyClick(view, Qt.Key.Key_PageDown)
    second = view.artists.cluster_names[1]  # the clusters in the map's order
    assert view.accessibleDescription().startswith(f"{second} cluster · ")
    QTest.keyClick(view, Qt.Key.Key_Space)
    assert s.cluster == second
    s.set_map_level(MAP_AREAS)
    s.set_cluster("Stourport")


def mnemonics(window) -> list[str]:
    """The Alt keys of the visible labels, buttons and tabs."""
    keys = []

    def key(text: str) -> None:
        at = text.replace("&&", "").find("&")
        if at >= 0:
            keys.append(text.replace("&&", "")[at + 1].lower())

    for widget in window.findChildren(QWidget):
        if not widget.isVisible():
            continue
        if isinstance(widget, QLabel) and widget.buddy() is not None or isinstance(widget, QAbstractButton):
            key(widget.text())
        elif isinstance(widget, QTabBar):
            for k in range(widget.count()):
                if widget.isTabVisible(k):
                    key(widget.tabText(k))
    for action in window.menuBar().actions():
        key(action.text())
    return keys


def test_no_two_visible_controls_share_an_alt_key(window):
    for page in (window.profile_view, window.crossborder_view):
        window.tabs.setCurrentWidget(page)
        settle(100)
        keys = mnemonics(window)
        assert len(keys) > 15
        assert [k for k, n in Counter(keys).items() if n > 1] == []
    window.tabs.setCurrentWidget(window.profile_view)


def rendered_contrast(widget: QWidget, rect=None) -> float:
    """The contrast of a widget's text as drawn: its commonest colour (the background)
    against the pixel furthest from it (the ink)."""
    image = widget.grab(rect) if rect is not None else widget.grab()
    image = image.toImage()
    pixels = Counter(image.pixel(x, y) for x in range(image.width())
                     for y in range(image.height()))
    background = QColor.fromRgb(pixels.most_common(1)[0][0])
    return max(colours.contrast_ratio(QColor.fromRgb(p), background) for p in pixels)


@pytest.fixture
def dark(window, qapp):
    before = qapp.palette()
    palette = QPalette()
    for role, colour in DARK.items():
        palette.setColor(getattr(QPalette.ColorRole, role), QColor(colour))
    qapp.setPalette(palette)
    settle(200)
    yield palette
    qapp.setPalette(before)
    settle(100)


def test_a_dark_theme_keeps_every_text_readable(window, dark):
    s = window.session
    s.set_period(s.indicator.periods[0])  # the profile's note says the periods differ
    settle(300)
    assert window.profile_view.period_note.isVisible()
    labels = [w for w in window.findChildren(QLabel)
              if w.isVisible() and w.text().strip() and w.width() > 20 and w.height() > 8]
    assert len(labels) > 20
    unreadable = {w.text()[:40]: round(rendered_contrast(w), 1) for w in labels
                  if rendered_contrast(w) < 4.5}
    assert unreadable == {}
    table = window.profile_view.table
    theme_row = window.profile_view.proxy.index(0, 0)
    rect = table.visualRect(theme_row)
    rect.setWidth(min(rect.width(), 200))
    assert rendered_contrast(table.viewport(), rect) >= 4.5
    # no widget keeps colours of its own that the theme cannot change
    assert [w for w in window.findChildren(QWidget)
            if "color" in w.styleSheet() or "background" in w.styleSheet()] == []
    s.set_period(s.indicator.latest_period)


class MouseWatch(QObject):
    """Counts the mouse presses anywhere in the application."""

    def __init__(self) -> None:
        super().__init__()
        self.presses = 0

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt API
        if event.type() in (QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonDblClick):
            self.presses += 1
        return False


def answer_dialog(kind: type, text: str) -> None:
    """Type `text` and Enter into the next modal dialog of `kind` once it is up."""
    from PySide6.QtCore import QTimer

    def answer() -> None:
        dialog, box = QApplication.activeModalWidget(), QApplication.focusWidget()
        if not isinstance(dialog, kind) or not dialog.isAncestorOf(box):
            QTimer.singleShot(50, answer)  # not up yet, or its text box not yet focused
            return
        QTest.keyClick(box, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)  # replace
        QTest.keyClicks(box, text)  # what it suggests (a save dialog's file name)
        QTest.keyClick(box, Qt.Key.Key_Return)

    QTimer.singleShot(50, answer)


def test_an_officer_opens_chooses_and_exports_with_the_keyboard_only(qtbot, tmp_path):
    """Open the demo (Enter on the cover, the file dialog and the passphrase typed), choose
    Stourport (Alt+C, typing) and an indicator (Alt+I, typing, the completion), export the
    profile (Ctrl+Shift+E): no mouse press anywhere. The save dialog is Qt's own, answered here
    through `ask_path` (typing into it under the offscreen platform never returned)."""
    from PySide6.QtWidgets import QFileDialog

    from desktop.gui.dialogs.passphrase_dialog import PassphraseDialog

    watch = MouseWatch()
    QApplication.instance().installEventFilter(watch)
    w = MainWindow()
    qtbot.addWidget(w)
    w.resize(1400, 900)
    w.show()
    w.activateWindow()
    QTest.qWaitForWindowActive(w)
    try:
        assert QApplication.focusWidget() is w.cover_button
        # the dialogs open in turn, inside the key press: both answers wait from before it
        answer_dialog(QFileDialog, str(DEMO_BUNDLE))
        answer_dialog(PassphraseDialog, DEMO_PASSPHRASE)
        QTest.keyClick(w.cover_button, Qt.Key.Key_Space)
        until(lambda: w.session.is_open and not w.opener.busy, 240)
        w.activateWindow()  # back from the dialogs (a window manager does this)
        QTest.qWaitForWindowActive(w)
        assert w.focusWidget() is w.selection_bar.cluster_combo  # reading starts there

        QTest.keyClick(w, Qt.Key.Key_C, Qt.KeyboardModifier.AltModifier)
        assert QApplication.focusWidget() is w.selection_bar.cluster_combo
        # Alt+Down opens the list; typing finds the name in it; Enter chooses it
        QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
        clusters = w.selection_bar.cluster_combo.view()
        until(clusters.isVisible, 5)
        QTest.keyClicks(clusters, "Stourport")
        QTest.keyClick(clusters, Qt.Key.Key_Return)
        w.activateWindow()  # back from the list (the offscreen platform leaves none active)
        QTest.qWaitForWindowActive(w)
        assert w.session.cluster == "Stourport"

        QTest.keyClick(w, Qt.Key.Key_I, Qt.KeyboardModifier.AltModifier)
        box = QApplication.focusWidget()
        QTest.keyClick(box, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
        QTest.keyClicks(box, "Year 6: prevalence of ob")
        popup = w.selection_bar.indicator_combo.completer().popup()
        until(popup.isVisible, 5)
        QTest.keyClick(popup, Qt.Key.Key_Down)
        QTest.keyClick(popup, Qt.Key.Key_Return)
        assert w.session.indicator.title == "Year 6: prevalence of obesity"

        out = tmp_path / "stourport.docx"
        asked = []
        w.exports.ask_path = lambda caption, *_: asked.append(caption) or str(out)
        QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_E,
                       Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
        until(lambda: out.exists() and w.exports.worker is None, 300)
        assert asked == ["Export cluster profile"]
    finally:
        QApplication.instance().removeEventFilter(watch)
        w.opener.cancel()
    from docx import Document

    document = Document(str(out))
    assert document.paragraphs[0].text == "Stourport cluster profile"
    assert watch.presses == 0
