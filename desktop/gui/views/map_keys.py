"""MapKeys: the map without a mouse, and what it says to assistive technology.

+ and - zoom, 0 shows the whole area, the arrow keys pan. Page Down and Page Up step through
the small areas (the chosen cluster's first, then the others, cluster by cluster, each in
name order), or on the cluster map through the clusters; Home and End go to the first and the
last. The area stepped to is outlined, brought into view and described in the hover line and
in the map's accessible description, which a screen reader speaks; Enter or Space chooses it,
as a click would (while picking areas, adds or removes it: map_picking); Escape (or leaving the
map) gives the outline back to the chosen area.
"""

from __future__ import annotations

from collections.abc import Callable

import shapely
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent

from desktop.core.maps import mapplot
from desktop.core.model import MAP_CLUSTERS

ZOOM_STEP = 1.25
PAN_STEP = 0.1  # fraction of the view moved by an arrow key
KEYS_HELP = ("Page Down and Page Up step through the areas, Enter chooses one; arrow keys "
             "pan, + and - zoom, 0 shows the whole area.")
_STEPS = {Qt.Key.Key_PageDown: 1, Qt.Key.Key_PageUp: -1}


class MapKeys:
    """The keys of one MapView (`view`), and the item stepped to (an area index in bundle
    order; on the cluster map, the first area of the cluster)."""

    def __init__(self, view) -> None:
        self.view = view
        self.current: int | None = None

    def handle(self, event: QKeyEvent) -> bool:
        """Act on a key pressed on the map; False when the key is not the map's."""
        view, key = self.view, event.key()
        if view.artists is None:
            return False
        moves: dict[int, Callable[[], None]] = {
            Qt.Key.Key_Plus: lambda: view.zoom(1 / ZOOM_STEP),
            Qt.Key.Key_Equal: lambda: view.zoom(1 / ZOOM_STEP),
            Qt.Key.Key_Minus: lambda: view.zoom(ZOOM_STEP),
            Qt.Key.Key_0: view.reset_view,
            Qt.Key.Key_Left: lambda: view.pan(-PAN_STEP, 0),
            Qt.Key.Key_Right: lambda: view.pan(PAN_STEP, 0),
            Qt.Key.Key_Up: lambda: view.pan(0, PAN_STEP),
            Qt.Key.Key_Down: lambda: view.pan(0, -PAN_STEP),
            Qt.Key.Key_Home: lambda: self.go_to(0),
            Qt.Key.Key_End: lambda: self.go_to(-1),
            Qt.Key.Key_Return: self.choose, Qt.Key.Key_Enter: self.choose,
            Qt.Key.Key_Space: self.choose, Qt.Key.Key_Escape: self.leave,
        }
        if key in _STEPS:
            self.step(_STEPS[key])
        elif key in moves:
            moves[key]()
        else:
            return False
        return True

    def order(self) -> list[int]:
        """The items in stepping order: areas by cluster (the chosen one first) and name, or
        one area standing for each cluster on the cluster map."""
        artists = self.view.artists
        clusters = [str(c) if isinstance(c, str) else "" for c in artists.area_clusters]
        if self.view.level == MAP_CLUSTERS:
            return [clusters.index(name) for name in artists.cluster_names if name in clusters]
        names = self.view.area_names()
        ranks = {name: k for k, name in enumerate(artists.cluster_names)}
        chosen = self.view.chosen_cluster()
        return sorted(range(len(clusters)), key=lambda i: (
            clusters[i] != chosen, ranks.get(clusters[i], len(ranks)), names[i]))

    def step(self, by: int) -> None:
        order = self.order()
        if not order:
            return
        if self.current in order:
            self.go_to((order.index(self.current) + by) % len(order))
        else:
            self.go_to(0 if by > 0 else -1)

    def go_to(self, position: int) -> None:
        """Outline, bring into view and describe the item at `position` of the order."""
        order = self.order()
        if not order:
            return
        view = self.view
        self.current = order[position]
        artists = view.artists
        if view.level == MAP_CLUSTERS:
            cluster = str(artists.area_clusters[self.current])
            mapplot.set_selected_cluster(artists, cluster)
            bounds = artists.cluster_bounds(cluster)
        else:
            mapplot.set_selected_area(artists, self.current)
            bounds = tuple(shapely.bounds(artists.geometries[self.current]))
        self._into_view(bounds)
        where = f"{order.index(self.current) + 1} of {len(order)}"
        view.describe_item(f"{view.hover_text(self.current)} ({where})")
        view.canvas.draw_idle()

    def _into_view(self, bounds) -> None:
        """Centre the view on `bounds` when they are not all in it, keeping the zoom."""
        x0, y0, x1, y1 = mapplot.view_bounds(self.view.ax)
        if bounds is None or (x0 <= bounds[0] and y0 <= bounds[1] and bounds[2] <= x1
                              and bounds[3] <= y1):
            return
        cx, cy = (bounds[0] + bounds[2]) / 2, (bounds[1] + bounds[3]) / 2
        dx, dy = cx - (x0 + x1) / 2, cy - (y0 + y1) / 2
        self.view.pan(dx / (x1 - x0), dy / (y1 - y0))

    def choose(self) -> None:
        """Choose the item stepped to, as a click on it would."""
        if self.current is not None:
            self.view.choose_item(self.current)

    def leave(self) -> None:
        """Forget the item stepped to: the outline goes back to the chosen area."""
        if self.current is None:
            return
        self.current = None
        self.view.restore_selection()
        self.view.describe_item("")
