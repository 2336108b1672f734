"""Fitting the main window to the screen it opens on, and the layout it remembers.

Council laptops have 1366x768 panels, or 1920x1080 screens at 125-150% scaling (1280x720
logical pixels and less), so no fixed first size fits everyone. The first window takes the
screen's available area: maximised on a small screen, most of a large one otherwise. Afterwards
the saved geometry is restored, unless it no longer fits the screen (the settings came from a
larger monitor), when the window is fitted again. The geometry, the two splitters, the
classification and the map level are kept in the settings: the geometry is restored before the
window first shows (with its cover), the rest once the views are built.
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QRect, Qt
from PySide6.QtGui import QGuiApplication, QScreen
from PySide6.QtWidgets import QMainWindow, QWidget

from desktop.gui import settings

ROOMY = (1600, 1000)  # logical pixels: a smaller available area is used whole (maximised)
ROOMY_FRACTION = 0.88  # of a roomy screen's width and height, centred
LEFT_SHARE = 0.42  # of the window's width for the map and chart; the profile takes the rest
MAP_SHARE = 0.5  # of the left pane's height for the map; the chart takes the rest


def screen_of(window: QWidget) -> QScreen:
    return window.screen() or QGuiApplication.primaryScreen()


def is_small(available: QRect) -> bool:
    return available.width() < ROOMY[0] or available.height() < ROOMY[1]


def first_geometry(available: QRect) -> QRect:
    """The window's normal (not maximised) geometry on a screen with this available area."""
    if is_small(available):
        return QRect(available)
    width = round(available.width() * ROOMY_FRACTION)
    height = round(available.height() * ROOMY_FRACTION)
    rect = QRect(0, 0, width, height)
    rect.moveCenter(available.center())
    return rect


def fit_to_screen(window: QWidget) -> None:
    """Size a window that has no saved geometry (or one that no longer fits) to its screen."""
    available = screen_of(window).availableGeometry()
    window.setGeometry(first_geometry(available))
    if is_small(available):
        window.setWindowState(window.windowState() | Qt.WindowState.WindowMaximized)


def fits(window: QWidget) -> bool:
    """Whether the window's normal geometry lies within its screen's available area."""
    return screen_of(window).availableGeometry().contains(window.normalGeometry())


def restore_or_fit(window: QWidget, saved: QByteArray) -> bool:
    """Restore `saved` geometry when it fits the screen, else fit the window; True if restored."""
    if not saved.isEmpty() and window.restoreGeometry(saved) and fits(window):
        return True
    window.setWindowState(window.windowState() & ~Qt.WindowState.WindowMaximized)
    fit_to_screen(window)
    return False


def restore_geometry(window: QMainWindow) -> bool:
    """The saved window when it still fits the screen, else a window fitted to the screen
    (maximised on a laptop); True if the saved one was restored."""
    return restore_or_fit(window, settings.get("window/geometry"))


def restore_views(window, geometry_restored: bool) -> None:
    """The saved splitters with a restored window; otherwise split between map and profile by
    the shares above. Then the saved classification and map level."""
    splitters = (("window/main_splitter", window.main_splitter),
                 ("window/left_splitter", window.left_splitter))
    if geometry_restored:
        for key, splitter in splitters:
            splitter.restoreState(settings.get(key))
    else:
        size = window.normalGeometry().size()
        for (_key, splitter), length, share in (
                (splitters[0], size.width(), LEFT_SHARE),
                (splitters[1], size.height(), MAP_SHARE)):
            first = round(length * share)
            splitter.setSizes([first, length - first])
    window.session.set_classification(settings.get("classification"), settings.get("classes"),
                                      settings.get("palette"))
    window.session.set_map_level(settings.get("map_level"))


def save_layout(window) -> None:
    settings.set("window/geometry", window.saveGeometry())
    settings.set("window/main_splitter", window.main_splitter.saveState())
    settings.set("window/left_splitter", window.left_splitter.saveState())
    settings.set("classification", window.session.scheme)
    settings.set("classes", window.session.classes)
    settings.set("palette", window.session.palette)
    settings.set("map_level", window.session.map_level)
