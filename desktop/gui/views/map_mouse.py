"""MapMouse: the map's mouse. The wheel zooms about the pointer, a left drag pans, a click
without movement chooses the area under it (on the cluster map, its cluster), and the area
under the pointer is described as it moves (MapView.hover). While areas are picked
(map_picking) a left drag draws the picking shape instead, so the right or middle button pans,
and a click adds or removes the area (MapView.choose_item)."""

from __future__ import annotations

from desktop.gui.views.map_keys import ZOOM_STEP

DRAG_THRESHOLD = 4  # pixels of movement before a press becomes a drag rather than a click


class MapMouse:
    """The mouse handlers of one MapView (`view`), connected to its canvas."""

    def __init__(self, view) -> None:
        self.view = view
        self.press: tuple[float, float, tuple, tuple, object, int] | None = None
        self.dragging = False
        canvas = view.canvas
        canvas.mpl_connect("button_press_event", self.on_press)
        canvas.mpl_connect("button_release_event", self.on_release)
        canvas.mpl_connect("motion_notify_event", self.on_motion)
        canvas.mpl_connect("scroll_event", self.on_scroll)

    def on_scroll(self, event) -> None:
        if event.inaxes is self.view.ax:
            self.view.zoom(ZOOM_STEP ** -event.step, (event.xdata, event.ydata))

    def on_press(self, event) -> None:
        ax = self.view.ax
        if event.inaxes is ax and (event.button == 1 or self.view.picking.active):
            self.press = (event.x, event.y, ax.get_xlim(), ax.get_ylim(),
                          ax.transData.inverted().frozen(), event.button)
            self.dragging = False

    def on_motion(self, event) -> None:
        view = self.view
        if self.press is not None:
            px, py, xlim, ylim, inverse, button = self.press
            if not self.dragging and abs(event.x - px) + abs(event.y - py) < DRAG_THRESHOLD:
                return
            self.dragging = True
            if button == 1 and view.picking.active:
                return  # the picking shape follows the pointer
            (ax0, ay0), (ax1, ay1) = inverse.transform([(px, py), (event.x, event.y)])
            view.ax.set_xlim(xlim[0] - (ax1 - ax0), xlim[1] - (ax1 - ax0))
            view.ax.set_ylim(ylim[0] - (ay1 - ay0), ylim[1] - (ay1 - ay0))
            view.view_moved()
            return
        inside = event.inaxes is view.ax and view.artists is not None
        view.hover(view.artists.area_at(event.xdata, event.ydata) if inside else None)

    def on_release(self, event) -> None:
        press, self.press = self.press, None
        view = self.view
        if press is None or event.button != press[-1]:
            return
        if self.dragging:
            self.dragging = False
            view.keep_view()
            return
        if event.button != 1:
            return
        if event.inaxes is view.ax and view.artists is not None:
            index = view.artists.area_at(event.xdata, event.ydata)
            if index is not None:
                view.choose_item(index)
