"""The Areas menu: make, import, export and remove custom areas, and keep them with the
settings (names and area codes only) for the next time a bundle of the same title opens.

Areas can be picked on the small-area map (map_picking's bar then offers Make custom area…,
which opens the same dialog with the picked codes). A custom area is summed like a cluster
(desktop.core.stats.custom_stats), which takes a second or two per area, so the bundle's
statistics with the custom areas are computed in a worker and handed to the session, which
lists them beside the clusters in every view and export.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QDialog, QFileDialog, QInputDialog, QMessageBox, QWidget

from desktop import APP_NAME
from desktop.core.atomic import write_bytes_atomic
from desktop.core.errors import AtlasError, CustomAreaError
from desktop.core.model import MAP_AREAS
from desktop.core.stats.custom_areas import CustomArea, from_csv, to_csv
from desktop.core.stats.custom_stats import with_custom_areas
from desktop.gui import settings
from desktop.gui.dialogs.custom_area_dialog import CustomAreaDialog
from desktop.gui.session import Session
from desktop.gui.views.map_view import MapView
from desktop.gui.workers import Worker

CSV_FILTER = "Custom areas (*.csv);;All files (*)"


class CustomAreaActions(QObject):
    started = Signal(str)
    progress = Signal(float, str)
    finished = Signal(str)
    failed = Signal(str)
    crashed = Signal(str)

    def __init__(self, session: Session, window: QWidget, map_view: MapView) -> None:
        super().__init__(window)
        self.session, self.window, self.map = session, window, map_view
        map_view.picking.make_requested.connect(self.make_from_picked)
        self.worker: Worker | None = None
        self._chosen: str | None = None  # a new area to show once summed
        session.bundle_opened.connect(self._restore)

    @property
    def areas(self) -> list[CustomArea]:
        bundle = self.session.bundle
        return [] if bundle is None else [CustomArea(n, c) for n, c in
                                          bundle.custom_areas.items()]

    def _restore(self) -> None:
        """On opening: the custom areas saved for bundles of this title (codes it lacks are
        left out; an area left empty is dropped)."""
        s = self.session
        if s.bundle is None or s.bundle.custom_areas or s.plain is None:
            return
        known = set(s.bundle.areas["area_code"].astype(str))
        saved = [CustomArea(name, tuple(c for c in codes if c in known))
                 for name, codes in settings.custom_areas_for(s.bundle.manifest.title)]
        saved = [a for a in saved if a.area_codes and a.name not in s.bundle.cluster_names]
        if saved:
            self._apply(saved, save=False)

    def new_area(self) -> None:
        """Areas ▸ New custom area: the dialog, with the selected small area listed."""
        s = self.session
        self._new((s.area_code,) if s.area_code else ())

    def pick_on_map(self) -> None:
        """Areas ▸ Pick areas on the map: the map shows small areas, ready to pick."""
        if self.session.bundle is None:
            return
        self.session.set_map_level(MAP_AREAS)
        self.map.picking.start()
        self.map.setFocus()

    def make_from_picked(self, codes: tuple[str, ...]) -> None:
        """The picking bar's Make custom area…: the dialog with the picked areas listed;
        picking ends once the area is made."""
        if self._new(codes):
            self.map.picking.stop()

    def _new(self, codes: tuple[str, ...]) -> bool:
        """Ask for a custom area with `codes` listed; whether one was made."""
        s = self.session
        if s.bundle is None or self.worker is not None:
            return False
        dialog = CustomAreaDialog(s.plain[0], tuple(a.name for a in self.areas), codes,
                                  self.window)
        if dialog.exec() != QDialog.DialogCode.Accepted or dialog.area is None:
            return False
        QMessageBox.information(self.window, APP_NAME, "\n".join(dialog.report))
        self._chosen = dialog.area.name
        self._apply([*self.areas, dialog.area])
        return True

    def import_csv(self) -> None:
        s = self.session
        if s.bundle is None or self.worker is not None:
            return
        path, _ = QFileDialog.getOpenFileName(self.window, "Import custom areas", "",
                                              CSV_FILTER)
        if not path:
            return
        try:
            data = Path(path).read_bytes()
            made, report = from_csv(data, s.plain[0], Path(path).stem,
                                    taken=tuple(a.name for a in self.areas))
        except OSError as exc:
            self.failed.emit(f"Cannot read {Path(path).name}: {exc.strerror or exc}.")
            return
        except CustomAreaError as exc:
            self.failed.emit(str(exc))
            return
        QMessageBox.information(self.window, APP_NAME, "\n".join(report))
        self._apply([*self.areas, *made])

    def export_csv(self) -> None:
        areas = self.areas
        if not areas:
            self.failed.emit("There are no custom areas to export: make one with Areas ▸ New "
                             "custom area.")
            return
        path, _ = QFileDialog.getSaveFileName(self.window, "Export custom areas",
                                              "custom-areas.csv", CSV_FILTER)
        if not path:
            return
        try:
            write_bytes_atomic(path, to_csv(areas).encode("utf-8"))
        except (OSError, AtlasError) as exc:
            self.failed.emit(f"Cannot write {Path(path).name}: {exc}")
            return
        self.finished.emit(f"Exported {len(areas)} custom areas to {Path(path).name} (names "
                           "and area codes only)")

    def remove_area(self) -> None:
        names = [a.name for a in self.areas]
        if not names or self.worker is not None:
            return
        name, ok = QInputDialog.getItem(self.window, "Remove custom area",
                                        "Custom area to remove:", names, 0, False)
        if ok:
            self._apply([a for a in self.areas if a.name != name])

    def _apply(self, areas: list[CustomArea], save: bool = True) -> None:
        """Sum the custom areas in a worker and give the session the result; keep them."""
        s = self.session
        bundle, statistics = s.plain
        if save:
            settings.save_custom_areas(bundle.manifest.title,
                                       [(a.name, a.area_codes) for a in areas])
        self.started.emit("Summing the custom areas…")
        self.worker = Worker(lambda task: with_custom_areas(bundle, statistics, areas, task),
                             self)
        signals = self.worker.signals
        signals.progress.connect(self.progress)
        signals.finished.connect(self._done)
        signals.failed.connect(lambda exc: self._end(self.failed, str(exc)))
        signals.cancelled.connect(lambda message: self._end(self.finished, message))
        signals.crashed.connect(lambda trace: self._end(self.crashed, trace))
        self.worker.start()

    def _done(self, result) -> None:
        bundle, statistics = result
        self._end(self.finished, f"{len(bundle.custom_areas)} custom areas beside the "
                  "clusters" if bundle.custom_areas else "No custom areas")
        self.session.use_custom_areas(bundle, statistics)
        if self._chosen in bundle.custom_areas:
            self.session.set_cluster(self._chosen)
        self._chosen = None

    def _end(self, signal, message: str) -> None:
        if self.worker is not None:
            self.worker.dispose()
            self.worker = None
        signal.emit(message)

    def cancel(self) -> None:
        if self.worker is not None:
            self.worker.cancel()
            self._end(self.finished, "Custom areas cancelled")
