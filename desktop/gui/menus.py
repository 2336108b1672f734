"""The window's menus and shortcuts, built onto a MainWindow (kept apart to keep it short)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence
from PySide6.QtWidgets import QLineEdit, QMenu, QWidget

from desktop.gui import settings

# The tabs of the cluster's views, with Alt keys no control of the window's toolbar uses
# (tests/gui/test_accessibility.py checks that no two visible controls share one).
# Alt keys unique in the window; Compare clusters and School have theirs taken (Ctrl+3, Ctrl+5)
VIEW_TITLES = ("&Profile", "Potential iss&ues", "Compare clusters", "Cross-bor&der", "School")
# The keys a text box keeps even if a window command were ever given one of them.
EDITING_KEYS = (QKeySequence.StandardKey.Copy, QKeySequence.StandardKey.Cut,
                QKeySequence.StandardKey.Paste, QKeySequence.StandardKey.Undo,
                QKeySequence.StandardKey.Redo, QKeySequence.StandardKey.SelectAll)


def build_export_menu(window) -> None:
    """File > Export, the copy commands and the Areas menu, disabled until a bundle is
    open."""
    menu, e = window.export_menu, window.exports
    window.export_actions = [
        add_action(window, menu, "&Chart…", e.export_chart, "Ctrl+E",
                     "The chart as PNG (300 dpi), SVG or PDF"),
        add_action(window, menu, "&Map…", e.export_map, "Ctrl+Shift+M",
                     "The map as PNG (300 dpi), SVG or PDF"),
        add_action(window, menu, "Profile &table (Excel or CSV)…", e.export_profile_table,
                     "Ctrl+Shift+X"),
        add_action(window, menu, "Cluster &profile (Word)…", e.export_profile, "Ctrl+Shift+E",
                     "The whole profile of the chosen cluster as a .docx"),
        add_action(window, menu, "&All cluster profiles (Word)…", e.export_all_profiles,
                     "Ctrl+Shift+A", "One .docx per cluster, into a folder"),
        add_action(window, menu, "School &brief (Word)…", e.export_brief, "Ctrl+Shift+B",
                   "A one-page brief of the school chosen in Go to, to print before a visit"),
    ]
    menu.addSeparator()
    window.export_actions += [
        add_action(window, menu, "Cop&y chart", e.copy_chart, "Ctrl+Shift+C",
                     "Copy the chart as an image (or its table) to paste into Word"),
        add_action(window, menu, "Copy profile ta&ble", e.copy_profile, "Ctrl+Shift+T",
                     "Copy the profile table to paste into Word or Excel"),
    ]
    c, menu = window.custom_areas, QMenu("&Areas", window.menuBar())
    window.menuBar().insertMenu(window.help_menu.menuAction(), menu)  # before Help
    window.export_actions += [
        add_action(window, menu, "&New custom area…", c.new_area, "Ctrl+Shift+N",
                   "Name a set of small areas from codes or postcodes, profiled like a cluster"),
        add_action(window, menu, "&Pick areas on the map…", c.pick_on_map, "Ctrl+Shift+P",
                   "Click areas, or drag round them, to make a custom area"),
        add_action(window, menu, "&Import custom areas (CSV)…", c.import_csv, None,
                   "Custom areas a colleague exported: names and area codes"),
        add_action(window, menu, "&Export custom areas (CSV)…", c.export_csv, None,
                   "Names and area codes only, to share with colleagues"),
        add_action(window, menu, "&Remove a custom area…", c.remove_area),
    ]
    for action in window.export_actions:
        action.setEnabled(False)


def add_action(window, menu, text: str, slot, shortcut=None, tip: str = "") -> QAction:
    """An action in `menu` whose shortcut also works with the menu bar hidden."""
    action = QAction(text, window)
    if shortcut is not None:
        action.setShortcut(QKeySequence(shortcut))
    if tip:
        action.setStatusTip(tip)
    action.triggered.connect(slot)
    menu.addAction(action)
    window.addAction(action)  # shortcuts work even when the menu bar is hidden
    return action


def build_menus(window) -> None:
    """File, View and Help; every command has a keyboard shortcut. Made with the cover, before
    the views exist (the window builds them once it has painted), so commands reach the views
    when they run."""
    bar = window.menuBar()
    file_menu = bar.addMenu("&File")
    window.open_action = add_action(window, file_menu, "&Open…", window.choose_and_open,
                                    QKeySequence.StandardKey.Open, "Open a bundle")
    add_action(window, file_menu, "&New bundle…", window.new_bundle, QKeySequence.StandardKey.New,
                 "Pack a folder of inputs into an encrypted bundle")
    window.recent_menu = file_menu.addMenu("Open &Recent")
    window.recent_menu.aboutToShow.connect(window._fill_recent_menu)
    window._fill_recent_menu()
    window.close_action = add_action(window, file_menu, "&Close", window.close_bundle,
                                     QKeySequence.StandardKey.Close, "Close the bundle")
    window.lock_action = add_action(window, file_menu, "&Lock", window.lock, "Ctrl+L",
                                    "Drop the decrypted data until the passphrase is given")
    file_menu.addSeparator()
    window.export_menu = file_menu.addMenu("&Export")
    file_menu.addSeparator()
    add_action(window, file_menu, "&Quit", window.close, QKeySequence.StandardKey.Quit)

    view_menu = bar.addMenu("&View")
    add_action(window, view_menu, "&Find indicator", window._find_indicator,
                 QKeySequence.StandardKey.Find)
    add_action(window, view_menu, "&Go to school, postcode or area…",
               lambda: window.go_to_box.focus(), "Ctrl+G", "Find a school, postcode, small area, cluster or indicator")
    add_action(window, view_menu, "Zoom to &cluster", lambda: window.map_view.zoom_to_cluster(),
               "Ctrl+K")
    add_action(window, view_menu, "&Reset map view", lambda: window.map_view.reset_view(), "Ctrl+0")
    view_menu.addSeparator()
    add_action(window, view_menu, "C&hanges since…", window.show_changes, "Ctrl+Shift+H",
                 "Indicators whose comparison with the county changed between two periods")
    view_menu.addSeparator()
    add_action(window, view_menu, "&Next cluster", lambda: window._step_cluster(1), "Ctrl+]")
    add_action(window, view_menu, "Pre&vious cluster", lambda: window._step_cluster(-1),
               "Ctrl+[")
    view_menu.addSeparator()
    for i, title in enumerate(VIEW_TITLES):
        add_action(window, view_menu, f"Show {title}", lambda _=False, i=i: window.tabs.setCurrentIndex(i),
                     f"Ctrl+{i + 1}")

    help_menu = window.help_menu = bar.addMenu("&Help")
    add_action(window, help_menu, "&Making a bundle", window.show_help,
               QKeySequence.StandardKey.HelpContents,
               "What the input folder of New bundle (and cluster-atlas pack) holds")
    add_action(window, help_menu, "&About Cluster Atlas", window.show_about)


def fill_recent_menu(window) -> None:
    """Open Recent: the last bundles opened (paths only, never passphrases)."""
    window.recent_menu.clear()
    files = settings.recent_files()
    for i, path in enumerate(files):
        action = window.recent_menu.addAction(f"&{i + 1} {Path(path).name}")
        action.setData(path)
        action.setToolTip(path)
        action.triggered.connect(lambda _=False, p=path: window.open_bundle(p))
    if not files:
        window.recent_menu.addAction("(none)").setEnabled(False)


class CommandsBeforeTyping(QObject):
    """Lets the window's shortcuts work while a text box has the focus.

    A line edit claims some Ctrl keys for itself (Ctrl+E: end of line, Ctrl+K: delete to the
    end on Linux), so with the cursor in the search box Ctrl+E exported nothing and Ctrl+K
    cut the search short. For a key that is one of the window's commands, the command wins;
    the editing keys (copy, paste, undo, select all) stay the box's.
    """

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.window = window

    def watch(self) -> None:
        """Watch every text box in the window (the search box, editable combo boxes, spin
        boxes); call once the window's widgets exist."""
        for edit in self.window.findChildren(QLineEdit):
            edit.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if event.type() != QEvent.Type.ShortcutOverride or not isinstance(event, QKeyEvent):
            return False
        if any(event.matches(key) for key in EDITING_KEYS):
            return False
        pressed = QKeySequence(event.keyCombination())
        # withheld from the box, the key goes on to the window's shortcut
        return any(action.isEnabled() and pressed in action.shortcuts()
                   for action in self.window.actions())
