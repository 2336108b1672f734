"""File > Export: charts, the map, the profile table and whole cluster profiles.

Each action asks for a path, then calls one core function; the slow .docx exports run in a
worker with progress and cancel. The report modules (python-docx, openpyxl) are imported when
first used, not when the window starts. Every export goes through the same core code as the command
line, so suppression and notes are identical.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QFileDialog, QWidget

from desktop.core.maps.export import MapOptions, export_map
from desktop.gui import settings
from desktop.gui.clipboard import set_rich_text
from desktop.gui.session import Session
from desktop.gui.workers import Worker

IMAGE_FILTER = "PNG image, 300 dpi (*.png);;SVG drawing (*.svg);;PDF document (*.pdf)"


def safe_name(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip("-") or "export"


class ExportActions(QObject):
    """The export commands; `ask_path` and `ask_folder` are replaceable for tests."""

    started = Signal(str)
    progress = Signal(float, str)
    finished = Signal(str)  # a message for the status bar
    failed = Signal(str)
    crashed = Signal(str)

    def __init__(self, session: Session, window: QWidget, chart_view, sync) -> None:
        super().__init__(window)
        self.session, self.window, self.chart, self.sync = session, window, chart_view, sync
        self.worker: Worker | None = None
        self.ask_path: Callable[[str, str, str], str] = self._ask_path
        self.ask_folder: Callable[[str], str] = self._ask_folder

    # --- dialogs -----------------------------------------------------------------------------
    def _ask_path(self, caption: str, suggested: str, filters: str) -> str:
        folder = settings.get("export/last_folder") or str(Path.home())
        path, _ = QFileDialog.getSaveFileName(self.window, caption,
                                              str(Path(folder) / suggested), filters)
        return path

    def _ask_folder(self, caption: str) -> str:
        folder = settings.get("export/last_folder") or str(Path.home())
        return QFileDialog.getExistingDirectory(self.window, caption, folder)

    def _remember(self, path: str | Path) -> None:
        folder = Path(path) if Path(path).is_dir() else Path(path).parent
        settings.set("export/last_folder", str(folder))

    def _base_name(self) -> str:
        s = self.session
        return safe_name(f"{s.cluster}-{s.indicator_id}-{s.period}")

    def _run_quick(self, path: str, write: Callable[[], None]) -> None:
        """Run a fast export on the GUI thread; a user problem becomes a message."""
        from desktop.core.errors import AtlasError

        try:
            write()
        except AtlasError as exc:
            self.failed.emit(str(exc))
            return
        self._remember(path)
        self.finished.emit(f"Exported {Path(path).name}")

    # --- charts and map ------------------------------------------------------------------------
    def export_chart(self) -> None:
        if not self.session.is_open:
            return
        path = self.ask_path("Export chart", f"{self._base_name()}-{self.chart.kind}.png",
                             IMAGE_FILTER)
        if path:
            width = settings.get("export/width_cm")
            self._run_quick(path, lambda: self.chart.export(path, width))

    def export_map(self) -> None:
        s = self.session
        if not s.is_open:
            return
        path = self.ask_path("Export map", f"{self._base_name()}-map.png", IMAGE_FILTER)
        if path:
            options = MapOptions(s.scheme, s.classes, s.palette, s.map_level, s.pool)
            self._run_quick(path, lambda: export_map(
                s.view_bundle, s.view_statistics, s.indicator_id, path, period=s.period,
                cluster=s.cluster, width_cm=settings.get("export/width_cm"), options=options))

    def copy_chart(self) -> None:
        if self.session.is_open:
            self.chart.copy_to_clipboard()
            self.finished.emit("Chart copied: paste it into Word or Excel")

    # --- the profile table --------------------------------------------------------------------
    def copy_profile(self) -> None:
        from desktop.core.report.tables import profile_clipboard

        s = self.session
        if not s.is_open:
            return
        table = profile_clipboard(s.bundle, self.sync.profile_for(s.cluster), s.cluster,
                                  comparison=s.comparison)
        set_rich_text(table.text, table.html)
        self.finished.emit("Profile table copied: paste it into Word or Excel")

    def export_profile_table(self) -> None:
        from desktop.core.report.tables import export_profile_csv, export_profile_xlsx

        s = self.session
        if not s.is_open:
            return
        path = self.ask_path("Export profile table", f"{safe_name(s.cluster)}-profile.xlsx",
                             "Excel workbook (*.xlsx);;CSV, UTF-8 (*.csv)")
        if not path:
            return
        write = export_profile_csv if path.lower().endswith(".csv") else export_profile_xlsx
        profile = self.sync.profile_for(s.cluster)
        self._run_quick(path, lambda: write(s.bundle, profile, s.cluster, path,
                                            comparison=s.comparison))

    # --- whole profiles (slow: in a worker) -----------------------------------------------------
    def export_profile(self) -> None:
        from desktop.core.report.document import export_profile_docx

        s = self.session
        if not s.is_open or self.busy:
            return
        path = self.ask_path("Export cluster profile", f"{safe_name(s.cluster)}-profile.docx",
                             "Word document (*.docx)")
        if path:
            bundle, stats, cluster, basis, pooled = (s.bundle, s.statistics, s.cluster,
                                                     s.basis, s.pooled)
            self._start(f"Exporting the {cluster} profile…", path,
                        lambda task: export_profile_docx(bundle, stats, cluster, path, task,
                                                         basis, pooled),
                        lambda _r: f"Exported {Path(path).name}")

    def export_all_profiles(self) -> None:
        from desktop.core.report.document import export_all_profiles

        s = self.session
        if not s.is_open or self.busy:
            return
        folder = self.ask_folder("Export every cluster profile into a folder")
        if folder:
            bundle, stats, basis, pooled = s.bundle, s.statistics, s.basis, s.pooled
            self._start("Exporting every cluster profile…", folder,
                        lambda task: export_all_profiles(bundle, stats, folder, task, basis,
                                                         pooled),
                        lambda files: f"Exported {len(files)} profiles to {folder}")

    @property
    def busy(self) -> bool:
        return self.worker is not None

    def cancel(self) -> None:
        if self.worker is not None:
            self.worker.cancel()

    def _start(self, message: str, path: str, fn, done_message) -> None:
        self.started.emit(message)
        self.worker = Worker(fn, self)
        self.worker.signals.progress.connect(self.progress)
        self.worker.signals.finished.connect(
            lambda result: self._end(self.finished, done_message(result), path))
        self.worker.signals.failed.connect(lambda exc: self._end(self.failed, str(exc)))
        self.worker.signals.cancelled.connect(lambda message: self._end(self.finished, message))
        self.worker.signals.crashed.connect(lambda trace: self._end(self.crashed, trace))
        self.worker.start()

    def _end(self, signal, message: str, remember: str | None = None) -> None:
        if self.worker is not None:
            self.worker.dispose()
            self.worker = None
        if remember:
            self._remember(remember)
        signal.emit(message)
