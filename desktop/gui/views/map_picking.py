"""MapPicking: picking small areas on the map to make a custom area, and its bar above the map.

While picking (Areas ▸ Pick areas on the map…), a click on an area adds it or takes it away,
and a left drag adds every area whose representative point lies in the rectangle (or, with
Lasso chosen, the shape) drawn; Ctrl (or Alt) with the drag takes them away instead. The right
or middle button drags the map, the wheel zooms. Without a mouse, Page Down and Page Up step
through the areas and Space adds or takes away the one stepped to (map_keys). The picked
areas are washed and outlined (desktop.core.maps.picking); the bar says how many are picked
and offers Make custom area…, Clear and Cancel. Picking ends with Cancel, when the custom area
is made and when the bundle closes; while the map shows clusters it waits, the picks kept, and
goes on when the map shows small areas again.
"""

from __future__ import annotations

import numpy as np
from matplotlib.widgets import LassoSelector, RectangleSelector
from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QToolButton,
)

from desktop.core.maps import picking

DRAG_PIXELS = 4  # a gesture smaller than this is a click, not a rectangle
REMOVING = frozenset({"ctrl", "alt"})  # held with a drag: take the areas away
PICKING_HELP = ("Click an area to add or remove it; drag a rectangle (or a lasso) round areas "
                "to add them, with Ctrl to remove them; drag with the right button to move "
                "the map. Keys: Page Down and Page Up step through the areas, Space adds or "
                "removes the one stepped to.")
_NO_KEYS = dict.fromkeys(("move", "clear", "square", "center", "rotate"), "no key")
_DRAWN = {"facecolor": (1.0, 0.83, 0.0, 0.25), "edgecolor": "black", "linewidth": 1.2,
          "linestyle": "--", "fill": True}


class MapPicking(QFrame):
    """The picking mode of one MapView (`view`): the picked areas and the bar that shows
    them. `mask` marks the picked areas in bundle order (None while not picking); `paused`
    while the map shows clusters."""

    make_requested = Signal(tuple)  # the picked area codes, in bundle order
    changed = Signal(int)  # how many areas are picked

    def __init__(self, view) -> None:
        super().__init__(view)
        self.view = view
        self.mask: np.ndarray | None = None
        self.paused = False
        self._points: np.ndarray | None = None
        self._points_of = None  # the MapArtists the points were worked out for
        self._collection = None
        self._selectors: list = []
        self._removing = False
        self._press = None
        self._tip = ""  # the map's tooltip before picking
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAccessibleName("Picking areas")
        self.count = QLabel()
        self.count.setAccessibleName("Areas picked")
        self.rectangle_button = self._shape_button("&Rectangle", True)
        self.lasso_button = self._shape_button("La&sso", False)
        self.shapes = QButtonGroup(self)
        for button in (self.rectangle_button, self.lasso_button):
            self.shapes.addButton(button)
        self.shapes.buttonToggled.connect(lambda *_: self._use_shape())
        self.make_button = QPushButton("&Make custom area…")
        self.make_button.clicked.connect(
            lambda: self.make_requested.emit(self.picked_codes()))
        self.clear_button = QPushButton("C&lear")
        self.clear_button.clicked.connect(self.clear)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.clicked.connect(self.stop)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 2, 6, 2)
        layout.addWidget(self.count, 1)
        for widget in (self.rectangle_button, self.lasso_button, self.make_button,
                       self.clear_button, self.cancel_button):
            layout.addWidget(widget)
        self.setToolTip(PICKING_HELP)
        self.hide()

    def _shape_button(self, text: str, checked: bool) -> QToolButton:
        button = QToolButton(self)
        button.setText(text)
        button.setCheckable(True)
        button.setChecked(checked)
        button.setToolTip(f"Drag a {text.replace('&', '').lower()} round areas to pick them")
        return button

    @property
    def active(self) -> bool:
        """Picking, on a map that shows small areas."""
        return self.mask is not None and not self.paused

    # -- the mode -----------------------------------------------------------------------------
    def start(self) -> None:
        """Start picking on the small-area map, with nothing picked (while picking already:
        the picks stay)."""
        view = self.view
        if view.artists is None:
            return
        if self._points_of is not view.artists:  # once per map: 0.3 s at England's 33,755
            self._points = picking.representative_points(view.artists.geometries)
            self._points_of = view.artists
        if self.paused:
            self.resume()
        if self.mask is None:
            self._collection = picking.draw_picked(view.ax)
            canvas = view.canvas
            self._selectors = [
                RectangleSelector(view.ax, self._on_rectangle, useblit=True, button=[1],
                                  minspanx=DRAG_PIXELS, minspany=DRAG_PIXELS,
                                  spancoords="pixels", props=_DRAWN,
                                  state_modifier_keys=_NO_KEYS),
                LassoSelector(view.ax, self._on_lasso, useblit=True, button=[1],
                              props={"color": "black", "linewidth": 1.2, "linestyle": "--"}),
                canvas.mpl_connect("button_press_event", self._on_press)]
            self.mask = np.zeros(len(view.artists.area_codes), bool)
        self._use_shape()
        self._show()
        self.show()
        if view.toolTip() != PICKING_HELP:
            self._tip = view.toolTip()
        view.setToolTip(PICKING_HELP)

    def stop(self) -> None:
        """Leave picking: the picks, the drawn shapes and the bar go."""
        if self.mask is None:
            return
        self.paused = False
        rectangle, lasso, press = self._selectors
        for selector in (rectangle, lasso):
            selector.set_active(False)
            selector.disconnect_events()
            for artist in selector.artists:
                if artist.axes is not None:
                    artist.remove()
        self.view.canvas.mpl_disconnect(press)
        self._collection.remove()
        self._selectors, self._collection, self.mask = [], None, None
        self.hide()
        self.view.setToolTip(self._tip)
        self.view.canvas.draw_idle()
        self.changed.emit(0)

    def pause(self) -> None:
        """The map shows clusters: no gesture picks, the picks stay (hidden) and can still
        be made into a custom area."""
        if not self.active:
            return
        self.paused = True
        for selector in self._selectors[:2]:
            selector.set_active(False)
        self._collection.set_visible(False)
        self._show()

    def resume(self) -> None:
        """The map shows small areas again: picking goes on with the picks kept."""
        if self.mask is None or not self.paused:
            return
        self.paused = False
        self._collection.set_visible(True)
        self._use_shape()
        self._show()

    def forget_map(self) -> None:
        """The map's areas are about to go or be drawn again: stop, and forget their points."""
        self._points_of = self._points = None
        self.stop()

    def _use_shape(self) -> None:
        if self._selectors:
            lasso = self.lasso_button.isChecked()
            self._selectors[0].set_active(not lasso)
            self._selectors[1].set_active(lasso)

    # -- picks --------------------------------------------------------------------------------
    def toggle(self, index: int) -> None:
        """Add the area `index` (bundle order) or take it away."""
        if self.active:
            self.mask[index] = not self.mask[index]
            self._show()
            said = "picked" if self.mask[index] else "not picked"
            self.view.describe_item(f"{self.view.hover_text(index)}: {said} "
                                    f"({self.count.text()})")

    def pick(self, chosen: np.ndarray, remove: bool = False) -> None:
        """Add the areas marked in `chosen`, or take them away."""
        if self.active:
            self.mask = self.mask & ~chosen if remove else self.mask | chosen
            self._show()

    def clear(self) -> None:
        if self.active:
            self.mask[:] = False
            self._show()

    def picked_codes(self) -> tuple[str, ...]:
        if self.mask is None:
            return ()
        return tuple(str(c) for c in self.view.artists.area_codes[self.mask])

    def _show(self) -> None:
        n = int(self.mask.sum())
        picked = f"{n:,} area{'s' if n != 1 else ''} picked"
        if self.paused:
            self.count.setText(f"{picked}: show small areas (Map) to go on picking")
        else:
            self.count.setText(picked if n else
                               "No areas picked: click areas, or drag round them")
        self.make_button.setEnabled(n > 0)
        self.clear_button.setEnabled(n > 0 and not self.paused)
        for button in (self.rectangle_button, self.lasso_button):
            button.setEnabled(not self.paused)
        picking.show_picked(self._collection, self.view.artists.paths, self.mask)
        self.view.canvas.draw_idle()
        self.changed.emit(n)

    # -- gestures -------------------------------------------------------------------------------
    def _on_press(self, event) -> None:
        self._removing = bool(REMOVING & set(getattr(event, "modifiers", ()) or ()))
        self._press = (event.x, event.y)

    def _dragged(self, data_points) -> bool:
        """Whether a gesture through these points (data coordinates) went beyond a click,
        which the mouse handles (it toggles the area under the pointer)."""
        pixels = self.view.ax.transData.transform(np.asarray(data_points, float))
        span = pixels.max(axis=0) - pixels.min(axis=0)
        return self._press is not None and bool((span >= DRAG_PIXELS).any())

    def _on_rectangle(self, click, release) -> None:
        corners = [(click.xdata, click.ydata), (release.xdata, release.ydata)]
        if self._dragged(corners):
            self.pick_rectangle(*corners, remove=self._removing)

    def _on_lasso(self, vertices) -> None:
        if len(vertices) >= 3 and self._dragged(vertices):
            self.pick_lasso(vertices, remove=self._removing)

    def pick_rectangle(self, corner, other, remove: bool = False) -> None:
        """Add (or take away) the areas whose inside point lies in a rectangle (map
        coordinates), as a drag draws it."""
        if self.active:
            self.pick(picking.in_rectangle(self._points, corner, other), remove)

    def pick_lasso(self, vertices, remove: bool = False) -> None:
        """Add (or take away) the areas whose inside point lies in a closed shape."""
        if self.active:
            self.pick(picking.in_lasso(self._points, vertices), remove)

