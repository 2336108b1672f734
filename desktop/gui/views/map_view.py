"""MapView: the interactive choropleth (zoom, pan, hover, click) around desktop.core.maps.mapplot.

The geometry is drawn once by `set_geometry`; `show_values` only recolours, and the legend is a
Qt widget beside the canvas (map_legend), so a switch redraws the map collections alone.
`set_level` shows the small areas or the clusters (both drawn once, one hidden); a map with too
few values to say anything carries a warning above it. Above
map_raster.RASTER_LIMIT areas the areas are one area-id raster image (map_raster_layer),
rendered once per settled view and recoloured by a lookup table; cluster outlines, the selected
area and schools stay vectors on top.
Mouse (map_mouse): wheel zooms about the cursor, left-drag pans, a click without movement
selects an area (on the cluster map, a cluster). Keyboard (map_keys): +/- zoom, 0 resets, arrow
keys pan, Page Down/Up step through the areas and Enter chooses one. The area hovered or stepped
to is the map's accessible description (what a screen reader speaks), or else what the map
shows (view_sync gives it: maps.describe); a ring shows when the map has the keyboard focus
(focus_frame). While picking areas for a custom area (map_picking), a click or Space adds or
removes an area and a left drag draws the shape that picks them.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import shapely
from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
from matplotlib.figure import Figure
from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtGui import QCursor, QFocusEvent, QKeyEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QToolButton,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from desktop.core.geometry.display import SCREEN_SIMPLIFY_METRES
from desktop.core.maps import legend as map_legend
from desktop.core.maps import mapplot, shapes
from desktop.core.maps import raster as map_raster
from desktop.core.maps.classify import Classification, scheme_title
from desktop.core.model import MAP_AREAS, MAP_CLUSTERS
from desktop.gui.views.focus_frame import FocusFrame
from desktop.gui.views.labels import note_label
from desktop.gui.views.map_keys import KEYS_HELP, ZOOM_STEP, MapKeys
from desktop.gui.views.map_legend import MapLegend, scrolling_legend
from desktop.gui.views.map_mouse import MapMouse
from desktop.gui.views.map_picking import MapPicking
from desktop.gui.views.map_raster_layer import RasterLayer
from desktop.gui.views.map_readout import HoverReadout


class MapView(QWidget):
    """The map of areas coloured by the chosen indicator, with a small zoom toolbar."""

    area_clicked = Signal(str)  # area code
    cluster_clicked = Signal(str)  # cluster name, from the cluster map
    area_hovered = Signal(str)  # area code, or "" when the pointer leaves the areas
    raster_limit = map_raster.RASTER_LIMIT  # above this many areas: the id-raster mode

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.figure = Figure(facecolor="white")
        self.canvas = FigureCanvasQTAgg(self.figure)
        self.canvas.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # keys go to the view itself
        self.canvas.setMinimumSize(200, 150)
        self.ax = self.figure.add_axes((0, 0, 1, 1))  # the legend is beside, not in, the canvas
        self.ax.set_axis_off()
        self.legend = MapLegend(self)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAccessibleName("Map")
        self.setToolTip(KEYS_HELP)
        self.keys = MapKeys(self)
        self._summary = ""  # what the map shows, in words (set_summary)
        self._selected_code: str | None = None
        self.hover_text_for: Callable[[int], str] | None = None
        self.artists: mapplot.MapArtists | None = None
        self._index_of: dict[str, int] = {}
        self._names: np.ndarray | None = None
        self._values: np.ndarray | None = None
        self._classification: Classification | None = None
        self._cluster: str | None = None
        self._members: np.ndarray | None = None  # a custom area's areas, outlined
        self._requested: shapes.Bounds | None = None
        self._hovered: int | None = None
        self._prepared: shapes.MapGeometry | None = None
        self.level = MAP_AREAS
        self.raster_layer = RasterLayer(self.canvas.draw_idle, self)  # used in raster mode

        self.status = HoverReadout()
        self.status.setAccessibleDescription("The area under the pointer or stepped to")
        # "too few areas to map": a framed note, a caution rather than an error, in a strip
        # above the map: laid over it, it hid the top of the county (where the few coloured
        # areas may be); the map is fitted again below it when it comes or goes
        self.warning = note_label(self, framed=True)
        self.warning.setAccessibleDescription("Map warning")
        self.warning.hide()
        toolbar = QHBoxLayout()
        toolbar.setContentsMargins(0, 0, 0, 0)
        self.zoom_in_button = self._button("+", "Zoom in (+)", lambda: self.zoom(1 / ZOOM_STEP))
        self.zoom_out_button = self._button("−", "Zoom out (-)", lambda: self.zoom(ZOOM_STEP))
        self.cluster_button = self._button("Zoom to cluster", "Zoom to the chosen cluster",
                                           self.zoom_to_cluster)
        self.reset_button = self._button("Reset view", "Show the whole area (0)", self.reset_view)
        for widget in (self.zoom_in_button, self.zoom_out_button, self.cluster_button,
                       self.reset_button, self.status):
            toolbar.addWidget(widget, int(widget is self.status))
        self.picking = MapPicking(self)  # its bar shows above the map while picking
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(toolbar)
        layout.addWidget(self.picking)
        layout.addWidget(self.warning)
        body = QHBoxLayout()
        body.setContentsMargins(0, 0, 0, 0)
        body.addWidget(FocusFrame(self.canvas, watched=self), 1)
        body.addWidget(scrolling_legend(self.legend))
        layout.addLayout(body, 1)
        self.cluster_button.setEnabled(False)

        self.mouse = MapMouse(self)
        self.canvas.mpl_connect("resize_event", lambda _event: self._relayout())
        self.canvas.mpl_connect("figure_leave_event", lambda _event: self.hover(None))

    def _button(self, text: str, tip: str, slot: Callable[[], None]) -> QToolButton:
        button = QToolButton(self)
        button.setText(text)
        button.setToolTip(tip)
        button.setAccessibleName(tip.split(" (")[0])
        button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        button.clicked.connect(slot)
        return button

    # -- content ------------------------------------------------------------------------------
    def use_prepared(self, geometry: shapes.MapGeometry | None) -> None:
        """Offer geometry prepared off the GUI thread (workspace.load_workspace); the next
        set_geometry of the same areas frame draws it instead of deriving it again."""
        self._prepared = geometry

    def set_geometry(self, areas, schools=None) -> None:
        """Draw the areas (a GeoDataFrame in the bundle's CRS) and schools; done once a bundle."""
        self.picking.forget_map()
        self.raster_layer.drop()
        self.ax.clear()
        prepared, self._prepared = self._prepared, None
        if (prepared is not None and prepared.source is areas
                and prepared.schools_source is schools):
            source = prepared
        else:
            source = shapes.prepare_geometry(areas, schools, simplify=SCREEN_SIMPLIFY_METRES)
        self.artists = mapplot.draw_map(self.ax, source, hatch=False)
        self._index_of = {code: i for i, code in enumerate(self.artists.area_codes)}
        self._names = (areas["area_name"].astype(str).to_numpy()
                       if "area_name" in areas.columns else None)
        self._values, self._classification, self._hovered = None, None, None
        if self.raster_mode:
            self.raster_layer.attach(self.ax, self.artists)
        self.set_level(self.level)
        self.reset_view()

    @property
    def raster_mode(self) -> bool:
        """Whether the areas are shown as a recoloured id raster rather than vector paths."""
        return self.artists is not None and len(self.artists.paths) > self.raster_limit

    def set_level(self, level: str) -> None:
        """Show the small areas or the clusters; show_values then colours that level."""
        self.level = level
        if self.artists is None:
            return
        mapplot.set_level(self.artists, level)
        if self.raster_mode:  # the areas are the raster's image, never their paths
            self.artists.areas.set_visible(False)
            self.raster_layer.show(level == MAP_AREAS)
        if level == MAP_CLUSTERS:  # a click selects a cluster here; picking waits
            mapplot.set_selected_area(self.artists, None)
            self.picking.pause()
        else:
            self.picking.resume()
        self._hovered = None
        self.canvas.draw_idle()

    def show_values(self, values: np.ndarray, classification: Classification,
                    colours: np.ndarray, title: str, *, period: str = "",
                    note: str | None = None, warning: str | None = None) -> None:
        """Recolour the kept areas (or clusters) for new values (aligned with the level's
        rows) and their classes; `warning` says the map has too few values to read."""
        if self.artists is None:
            return
        self._values, self._classification = np.asarray(values, float), classification
        mapplot.show_classes(self.artists, classification, colours, title, period=period,
                             note=note, legend=False)
        self.legend.set_entries(
            map_legend.legend_heading(title, period, scheme_title(classification.scheme), note),
            map_legend.legend_entries(classification, colours,
                                      boundaries=bool(self.artists.cluster_rings),
                                      schools=self.artists.schools is not None
                                      and self.level == MAP_AREAS, hatch=self.artists.hatch))
        self.warning.setText(warning or "")
        self.warning.setVisible(bool(warning))
        if self.raster_mode and self.level == MAP_AREAS:
            self.raster_layer.recolour(self.figure.get_facecolor())
        if self._hovered is not None:  # the pointer rests on an area: say its new value
            self._show_hover_text(self.hover_text(self._hovered))
        self.canvas.draw_idle()

    def clear(self) -> None:
        """Forget the geometry and values (on lock or close): nothing from a bundle stays."""
        self.picking.forget_map()
        self.raster_layer.drop()
        self.ax.clear()
        self.ax.set_axis_off()
        self.artists, self._prepared = None, None
        self._index_of, self._names, self._values, self._classification = {}, None, None, None
        self._cluster, self._members, self._requested, self._hovered = None, None, None, None
        self._summary = ""
        self.describe_item("")
        self.warning.hide()
        self.legend.clear()
        self.cluster_button.setEnabled(False)
        self.canvas.draw_idle()

    def set_cluster(self, name: str | None, members: np.ndarray | None = None) -> None:
        """Outline a cluster, or a custom area's areas (`members`, in bundle order)."""
        self._cluster, self._members = name or None, members
        self.cluster_button.setEnabled(self._cluster is not None)
        if self.artists is not None:
            mapplot.set_highlight(self.artists, self._cluster, members)
            self.canvas.draw_idle()

    def set_selected_area(self, code: str | None) -> None:
        self._selected_code = code
        if self.artists is not None and self.level == MAP_AREAS:
            mapplot.set_selected_area(self.artists, self._index_of.get(code) if code else None)
            self.canvas.draw_idle()

    def render_now(self) -> None:
        """Draw synchronously (tests and benchmarks), with a pending id raster rendered first;
        the screen otherwise draws when idle."""
        if self.raster_layer.pending:
            self.raster_layer.render()
        self.canvas.draw()

    # -- view ---------------------------------------------------------------------------------
    def _show_bounds(self, bounds: shapes.Bounds, margin: float = 0.03) -> None:
        minx, miny, maxx, maxy = bounds
        pad = margin * max(maxx - minx, maxy - miny)
        # remember what was asked for, not the view widened to the Axes' shape, so a later
        # resize or legend change fits the same content again
        self._requested = (minx - pad, miny - pad, maxx + pad, maxy + pad)
        mapplot.zoom_to(self.ax, self._requested, 0)
        self.raster_layer.view_changed()
        self.canvas.draw_idle()

    def reset_view(self) -> None:
        if self.artists is not None:
            self._show_bounds(self.artists.bounds)

    def zoom_to_cluster(self) -> None:
        if self.artists is not None and self._cluster:
            bounds = (self.artists.cluster_bounds(self._cluster) if self._members is None
                      else shapely.total_bounds(self.artists.geometries[self._members]))
            if bounds is not None:
                self._show_bounds(bounds, margin=0.08)

    def zoom_to_place(self, code: str | None, point: tuple[float, float] | None = None,
                      around: float = 1500.0) -> None:
        """Show a small area (by code), or `around` metres about a point (a school, a
        postcode) when one is given."""
        if self.artists is None:
            return
        if point is not None:
            x, y = point
            self._show_bounds((x - around, y - around, x + around, y + around), margin=0)
        elif code in self._index_of:
            self._show_bounds(self.artists.geometries[self._index_of[code]].bounds, 0.6)

    def zoom(self, factor: float, centre: tuple[float, float] | None = None) -> None:
        """Scale the view by `factor` (below 1 zooms in) keeping `centre` where it is."""
        x0, y0, x1, y1 = mapplot.view_bounds(self.ax)
        cx, cy = centre if centre is not None else ((x0 + x1) / 2, (y0 + y1) / 2)
        self._show_bounds((cx - (cx - x0) * factor, cy - (cy - y0) * factor,
                           cx + (x1 - cx) * factor, cy + (y1 - cy) * factor), margin=0)

    def pan(self, dx: float, dy: float) -> None:
        """Move the view by fractions of its width and height."""
        x0, y0, x1, y1 = mapplot.view_bounds(self.ax)
        sx, sy = (x1 - x0) * dx, (y1 - y0) * dy
        self._show_bounds((x0 + sx, y0 + sy, x1 + sx, y1 + sy), margin=0)

    def _relayout(self) -> None:
        """After a resize: the same requested content, fitted to the canvas' new shape."""
        if self.artists is None:
            return
        if self._requested is not None:
            mapplot.zoom_to(self.ax, self._requested, 0)
        self.raster_layer.view_changed()
        self.canvas.draw_idle()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt override)
        if not self.keys.handle(event):  # a key event comes accepted: the map's stays so
            super().keyPressEvent(event)

    def focusOutEvent(self, event: QFocusEvent) -> None:  # noqa: N802 (Qt override)
        self.keys.leave()  # the outline goes back to the chosen area
        super().focusOutEvent(event)

    # -- words for assistive technology ---------------------------------------------------
    def set_summary(self, text: str) -> None:
        """What the map shows, in words: its accessible description while no area is
        hovered or stepped to."""
        self._summary = text
        if not self.status.full_text:
            self.setAccessibleDescription(text)

    def describe_item(self, text: str) -> None:
        """The area hovered or stepped to ("" for none): in the hover line and as the map's
        accessible description, which a screen reader speaks as it changes."""
        self.status.set_readout(text)
        self.setAccessibleDescription(text or self._summary)

    def area_names(self) -> list[str]:
        names = self._names if self._names is not None else self.artists.area_codes
        return [str(n) for n in names]

    def chosen_cluster(self) -> str | None:
        return self._cluster

    def restore_selection(self) -> None:
        """The outline back on the chosen area (none on the cluster map)."""
        if self.artists is not None:
            mapplot.set_selected_area(self.artists, self._index_of.get(self._selected_code)
                                      if self.level == MAP_AREAS and self._selected_code
                                      else None)
            self.canvas.draw_idle()

    # -- the pointer and the keys ---------------------------------------------------------
    def choose_item(self, index: int) -> None:
        """Choose the area `index` (on the cluster map, its cluster), as a click does; while
        picking, add it to the picked areas or take it away."""
        if self.picking.active:
            return self.picking.toggle(index)
        if self.level == MAP_CLUSTERS:
            cluster = self.artists.area_clusters[index]
            if isinstance(cluster, str) and cluster:
                self.cluster_clicked.emit(cluster)
            return
        code = str(self.artists.area_codes[index])
        self.set_selected_area(code)
        self.area_clicked.emit(code)

    def view_moved(self) -> None:
        """After a drag moved the view: the raster follows, the canvas repaints."""
        self.raster_layer.view_changed()
        self.canvas.draw_idle()

    def keep_view(self) -> None:
        """Keep the view a drag left as the one to fit after a resize."""
        self._requested = mapplot.view_bounds(self.ax)

    def hover(self, index: int | None) -> None:
        if index == self._hovered:
            return
        self._hovered = index
        if index is None or self.artists is None:
            self.describe_item("")
            QToolTip.hideText()
            self.area_hovered.emit("")
            return
        self._show_hover_text(self.hover_text(index))
        self.area_hovered.emit(str(self.artists.area_codes[index]))

    def _show_hover_text(self, text: str) -> None:
        self.describe_item(text)
        QToolTip.showText(QCursor.pos() + QPoint(12, 12), text, self.canvas)

    def hover_text(self, index: int) -> str:
        """The owner's text for the area `index` (or its cluster, on the cluster map), or
        name · cluster · value (class)."""
        if self.hover_text_for is not None:
            return self.hover_text_for(index)
        artists = self.artists
        cluster = artists.area_clusters[index]
        if self.level == MAP_CLUSTERS:
            if cluster not in artists.cluster_rings:
                return ""
            parts, row = [str(cluster)], artists.cluster_names.index(cluster)
        else:
            parts, row = [str(self._names[index]) if self._names is not None
                          else str(artists.area_codes[index])], index
            if cluster:
                parts.append(str(cluster))
        if self._classification is not None and self._values is not None:
            value, label = self._values[row], self._classification.label_of(row)
            parts.append(f"{value:,.4g} ({label})" if np.isfinite(value) else label)
        return " · ".join(parts)
