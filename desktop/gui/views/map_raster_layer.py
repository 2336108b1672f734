"""RasterLayer: the screen map's areas as one recoloured image, for maps of many areas.

Above desktop.core.maps.raster.RASTER_LIMIT areas, MapView hides the area paths and shows an
area-id raster instead: rendered once per settled view (in a thread, so a zoom or pan never
blocks the GUI thread for it) and recoloured through a lookup table on every switch. A raster
that arrives for a view already dropped (a newer view, a lock, another bundle) is thrown away.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

import numpy as np
from matplotlib.axes import Axes
from matplotlib.image import AxesImage
from PySide6.QtCore import QObject, QTimer, Signal

from desktop.core.maps import mapplot
from desktop.core.maps import raster as map_raster
from desktop.core.maps.legend import BOUNDARY_COLOUR

SETTLE_MS = 120  # the id raster is rendered again this long after the view stops changing


class RasterLayer(QObject):
    """The id raster, its image on the map's Axes and the colours it is painted with."""

    _rendered = Signal(int, object)  # (generation, IdRaster) from the rendering thread

    def __init__(self, redraw: Callable[[], None], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._redraw = redraw
        self.raster: map_raster.IdRaster | None = None
        self.image: AxesImage | None = None
        self._artists: mapplot.MapArtists | None = None
        self._lut: np.ndarray | None = None
        self._pixels: np.ndarray | None = None
        self.settle = QTimer(self)
        self.settle.setSingleShot(True)
        self.settle.setInterval(SETTLE_MS)
        self.settle.timeout.connect(lambda: self.render(wait=False))
        self.generation = 0  # of id rasters asked for; a late one of an older view is dropped
        self.shown = True  # False while the map shows clusters: no image, no rendering
        self._rendered.connect(self._install)

    def attach(self, ax: Axes, artists: mapplot.MapArtists) -> None:
        """Take over the areas of a freshly drawn map: hide their paths (and the cluster
        boundaries, which the raster carries; England's outlines alone cost ~80 ms to stroke)
        and add the image that replaces them; the highlight and selection stay vectors."""
        self.drop()
        self._artists = artists
        artists.areas.set_visible(False)
        artists.boundaries.set_visible(False)
        self.image = AxesImage(ax, interpolation="nearest", origin="upper", zorder=1)
        self.image.set_visible(False)
        ax.add_image(self.image)

    def drop(self) -> None:
        """Forget the raster and image; a render still running belongs to what was dropped."""
        self.settle.stop()
        self.generation += 1
        self.raster, self.image, self._lut, self._pixels = None, None, None, None
        self._artists = None

    @property
    def pending(self) -> bool:
        """Whether the shown raster is missing or out of date for the current view."""
        return (self.image is not None and self.shown
                and (self.settle.isActive() or self.raster is None))

    def show(self, shown: bool) -> None:
        """Show the areas' image (the small-area map) or hide it (the cluster map, drawn as
        vectors); a raster out of date is rendered again once shown."""
        self.shown = shown
        if self.image is None:
            return
        self.image.set_visible(shown and self.raster is not None)
        if shown:
            self.view_changed()
        else:
            self.settle.stop()

    def view_changed(self) -> None:
        """The view moved: the image follows the data coordinates now; the raster is rendered
        again once the view has settled, never per mouse event."""
        if self.image is not None and self.shown:
            self.settle.start()

    def recolour(self, background) -> None:
        """New colours for the areas: a new lookup table, the kept raster painted through it."""
        if self._artists is None:
            return
        self._lut = map_raster.colour_lut(self._artists.areas.get_facecolor(), background,
                                          boundary=BOUNDARY_COLOUR)
        self._paint()

    def render(self, wait: bool = True) -> None:
        """Render the id raster of the Axes' current view at their pixel size, and paint it.

        Without `wait` the rendering (about 0.1 s at England scale) runs in a thread and the
        raster is installed when it arrives, unless the view was dropped meanwhile."""
        self.settle.stop()
        if self.image is None or self._artists is None:
            return
        ax = self.image.axes
        ax.apply_aspect()
        box = ax.get_window_extent()
        width, height = int(round(box.width)), int(round(box.height))
        if width < 2 or height < 2:
            return
        view = mapplot.view_bounds(ax)
        artists = self._artists
        edges = map_raster.edges_fit(artists.tree, view, width * height)
        boundaries = [r for rings in artists.cluster_rings.values() for r in rings]
        paths = artists.paths
        self.generation += 1
        generation = self.generation

        def render() -> map_raster.IdRaster:
            return map_raster.render_ids(paths, view, width, height, edges=edges,
                                         boundaries=boundaries)

        if wait:
            self._install(generation, render())
            return

        def work() -> None:
            raster = render()
            try:
                self._rendered.emit(generation, raster)  # queued to the GUI thread
            except RuntimeError:  # the layer was deleted while rendering
                pass

        threading.Thread(target=work, name="cluster-atlas-raster", daemon=True).start()

    def _install(self, generation: int, raster: map_raster.IdRaster) -> None:
        if generation != self.generation or self.image is None:
            return
        self.raster, self._pixels = raster, None
        self._paint()
        self._redraw()

    def _paint(self) -> None:
        if self.raster is None or self._lut is None or self.image is None:
            return
        self._pixels = map_raster.paint(self.raster, self._lut, out=self._pixels)
        x0, y0, x1, y1 = self.raster.extent
        self.image.set_data(self._pixels)
        self.image.set_extent((x0, x1, y0, y1))
        self.image.set_visible(self.shown)
