"""The main window: map and chart on the left, the cluster's profile on the right, linked
through the session. Menus, drag and drop, layout memory and locking live here; what each
view shows is decided by the core and by the view itself."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, Qt
from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QFileDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop import APP_NAME
from desktop.core.workspace import Workspace
from desktop.gui import menus, settings
from desktop.gui.dialogs.about_dialog import AboutDialog
from desktop.gui.export_actions import ExportActions
from desktop.gui.idle_lock import IdleLock
from desktop.gui.opener import BundleOpener
from desktop.gui.session import Session
from desktop.gui.view_sync import ViewSync
from desktop.gui.views.chart_view import ChartView
from desktop.gui.views.compare_view import CompareView
from desktop.gui.views.crossborder_view import CrossBorderView
from desktop.gui.views.issues_view import IssuesView
from desktop.gui.views.level_controls import LevelControls
from desktop.gui.views.map_view import MapView
from desktop.gui.views.period_slider import PeriodSlider
from desktop.gui.views.profile_view import ProfileView
from desktop.gui.views.selection_bar import SelectionBar

BUNDLE_FILTER = "Cluster Atlas bundles (*.atlas);;All files (*)"


class MainWindow(QMainWindow):
    def __init__(self) -> None:
        super().__init__()
        self.setWindowTitle(APP_NAME)
        self.setAcceptDrops(True)
        self.session = Session(self)
        self.opener = BundleOpener(self)

        self.selection_bar = SelectionBar(self.session, self)
        self.addToolBar(self.selection_bar)
        self.selection_bar.addWidget(PeriodSlider(self.session, self.selection_bar))
        self.level_controls = LevelControls(self.session, self.selection_bar)
        self.selection_bar.addWidget(self.level_controls)
        self.map_view = MapView()
        self.chart_view = ChartView()
        self.profile_view = ProfileView()
        self.issues_view = IssuesView()
        self.compare_view = CompareView()
        self.crossborder_view = CrossBorderView()
        self.tabs = QTabWidget()
        self.tabs.setObjectName("profile_tabs")
        self.tabs.addTab(self.profile_view, "&Profile")
        self.tabs.addTab(self.issues_view, "Potential &issues")
        self.tabs.addTab(self.compare_view, "Compare c&lusters")
        self.tabs.addTab(self.crossborder_view, "C&ross-border")

        self.left_splitter = QSplitter(Qt.Orientation.Vertical)
        self.left_splitter.addWidget(self.map_view)
        self.left_splitter.addWidget(self.chart_view)
        self.left_splitter.setSizes([520, 400])
        self.main_splitter = QSplitter(Qt.Orientation.Horizontal)
        self.main_splitter.addWidget(self.left_splitter)
        self.main_splitter.addWidget(self.tabs)
        self.main_splitter.setSizes([600, 1000])

        self.cover = self._make_cover()
        self.stack = QStackedWidget()
        self.stack.addWidget(self.cover)
        self.stack.addWidget(self.main_splitter)
        self.setCentralWidget(self.stack)

        self._make_status_bar()
        menus.build_menus(self)
        self.sync = ViewSync(self.session, self.map_view, self.chart_view, self.profile_view,
                             self.issues_view, self.compare_view, self,
                             crossborder_view=self.crossborder_view,
                             level_controls=self.level_controls)
        self.exports = ExportActions(self.session, self, self.chart_view, self.sync)
        menus.build_export_menu(self)
        for work in (self.exports, self.sync):  # exports and pooling report alike
            work.started.connect(self._busy)
            work.progress.connect(self._progress)
            work.finished.connect(self._export_done)
            work.failed.connect(self._export_failed)
            work.crashed.connect(self._export_crashed)

        self.idle_lock = IdleLock(self.lock, settings.get("idle_lock_minutes") * 60_000, self)
        self.session.bundle_opened.connect(self._on_opened)
        self.session.bundle_closed.connect(self._on_closed)
        self.opener.started.connect(self._busy)
        self.opener.progress.connect(self._progress)
        self.opener.opened.connect(self._install)
        self.opener.failed.connect(self._show_error)
        self.opener.crashed.connect(self._show_crash)
        self.opener.finished.connect(self._idle)
        self._restore_layout()
        self._show_cover()

    # --- construction ---------------------------------------------------------------
    def _make_cover(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addStretch(1)
        self.cover_label = QLabel()
        self.cover_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.cover_label.setWordWrap(True)
        layout.addWidget(self.cover_label)
        self.cover_button = QPushButton()
        self.cover_button.clicked.connect(self._cover_clicked)
        layout.addWidget(self.cover_button, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(2)
        return page

    def _make_status_bar(self) -> None:
        bar = self.statusBar()
        self.status_label = QLabel()
        bar.addWidget(self.status_label, 1)
        self.progress_bar = QProgressBar()
        self.progress_bar.setRange(0, 1000)
        self.progress_bar.setMaximumWidth(220)
        self.progress_bar.setAccessibleName("Progress")
        self.cancel_button = QToolButton()
        self.cancel_button.setText("Cancel")
        self.cancel_button.clicked.connect(self._cancel_work)
        bar.addPermanentWidget(self.progress_bar)
        bar.addPermanentWidget(self.cancel_button)
        self.progress_bar.hide()
        self.cancel_button.hide()

    # --- opening, closing, locking -----------------------------------------------------
    def choose_and_open(self) -> None:
        start = str(Path(settings.recent_files()[0]).parent) if settings.recent_files() else ""
        path, _ = QFileDialog.getOpenFileName(self, "Open bundle", start, BUNDLE_FILTER)
        if path:
            self.open_bundle(path)

    def new_bundle(self) -> None:
        from desktop.gui.dialogs.new_bundle_dialog import NewBundleDialog

        dialog = NewBundleDialog(self)
        dialog.packed.connect(lambda path: self.status_label.setText(f"Packed {path}"))
        dialog.exec()

    def open_bundle(self, path: str | Path) -> None:
        if self.session.is_open and Path(path).resolve() != (self.session.path or Path()).resolve():
            self.close_bundle()
        self.opener.open(path)

    def _install(self, path: Path, workspace: Workspace) -> None:
        self.map_view.use_prepared(workspace.map_geometry)  # drawn, not derived, on opening
        self.session.open(path, workspace.bundle, workspace.statistics)
        settings.add_recent_file(path)

    def close_bundle(self) -> None:
        self.session.close()
        self._show_cover()

    def lock(self) -> None:
        if not self.session.is_open:
            return
        self.exports.cancel()
        self.session.lock()
        self._show_cover()

    def _cover_clicked(self) -> None:
        if self.session.locked and self.session.path is not None:
            self.opener.open(self.session.path)
        else:
            self.choose_and_open()

    def _show_cover(self) -> None:
        if self.session.locked and self.session.path is not None:
            self.cover_label.setText(f"<h2>Locked</h2><p>{self.session.path.name} is locked. "
                                     "Its decrypted data has been removed from memory.</p>")
            self.cover_button.setText("&Unlock…")
            self.setWindowTitle(f"{APP_NAME} — locked")
        else:
            self.cover_label.setText("<h2>Cluster Atlas</h2><p>Open a bundle (.atlas) with "
                                     "File ▸ Open, or drop it on this window.</p>")
            self.cover_button.setText("&Open bundle…")
            self.setWindowTitle(APP_NAME)
        self.stack.setCurrentWidget(self.cover)
        self.cover_button.setFocus()
        self.idle_lock.stop()

    def _on_opened(self) -> None:
        bundle = self.session.bundle
        self.stack.setCurrentWidget(self.main_splitter)
        self.setWindowTitle(f"{bundle.manifest.title} — {APP_NAME}")
        self.status_label.setText(f"{self.session.path.name}: {len(bundle.areas)} areas, "
                                  f"{len(bundle.clusters)} clusters, "
                                  f"{len(bundle.manifest.indicators)} indicators")
        self.idle_lock.set_timeout(settings.get("idle_lock_minutes") * 60_000)
        self.idle_lock.start()
        crossborder = self.tabs.indexOf(self.crossborder_view)  # only for bundles with flows
        self.tabs.setTabVisible(crossborder, bundle.flows is not None)
        self.tabs.setTabEnabled(crossborder, bundle.flows is not None)
        for action in self.export_actions:
            action.setEnabled(True)

    def _on_closed(self) -> None:
        self.status_label.setText("")
        for action in self.export_actions:
            action.setEnabled(False)

    # --- status ------------------------------------------------------------------------
    def _busy(self, message: str) -> None:
        self.status_label.setText(message)
        self.progress_bar.setValue(0)
        self.progress_bar.show()
        self.cancel_button.show()
        self.open_action.setEnabled(False)

    def _progress(self, fraction: float, message: str) -> None:
        self.progress_bar.setValue(int(fraction * 1000))
        if message:
            self.status_label.setText(message)

    def _idle(self) -> None:
        self.progress_bar.hide()
        self.cancel_button.hide()
        self.open_action.setEnabled(True)
        if not self.session.is_open:
            self.status_label.setText("")

    def _cancel_work(self) -> None:
        self.opener.cancel()
        self.exports.cancel()
        self.sync.cancel_pooling()

    def _export_done(self, message: str) -> None:
        self._idle()
        self.status_label.setText(message)

    def _export_failed(self, message: str) -> None:
        self._idle()
        self._show_error(message)

    def _export_crashed(self, trace: str) -> None:
        self._idle()
        self._show_crash(trace)

    def _show_error(self, message: str) -> None:
        QMessageBox.warning(self, APP_NAME, message)

    def _show_crash(self, trace: str) -> None:
        box = QMessageBox(QMessageBox.Icon.Critical, APP_NAME,
                          "Something went wrong inside Cluster Atlas. Please report it with "
                          "the details below (they contain no data from the bundle).", parent=self)
        box.setDetailedText(trace)
        box.exec()

    # --- menus ---------------------------------------------------------------------------
    def _fill_recent_menu(self) -> None:
        menus.fill_recent_menu(self)

    def _find_indicator(self) -> None:
        if self.session.is_open:
            self.tabs.setCurrentWidget(self.profile_view)
            self.profile_view.focus_search()

    def _step_cluster(self, step: int) -> None:
        if not self.session.is_open:
            return
        names = self.session.bundle.cluster_names
        i = names.index(self.session.cluster) if self.session.cluster in names else 0
        self.session.set_cluster(names[(i + step) % len(names)])

    def show_changes(self) -> None:
        if not self.session.is_open:
            return
        from desktop.gui.dialogs.changes_dialog import ChangesDialog

        dialog = ChangesDialog(self.session, self)
        dialog.indicator_selected.connect(self.session.set_indicator)
        self.session.bundle_closed.connect(dialog.reject)  # a lock closes it with the data
        dialog.exec()

    def show_about(self) -> None:
        manifest = self.session.bundle.manifest if self.session.bundle is not None else None
        AboutDialog(manifest, self).exec()

    # --- drag and drop ---------------------------------------------------------------
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 - Qt API
        if _dropped_bundle(event.mimeData()) is not None:
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 - Qt API
        path = _dropped_bundle(event.mimeData())
        if path is not None:
            event.acceptProposedAction()
            self.open_bundle(path)

    # --- layout memory -----------------------------------------------------------------
    def _restore_layout(self) -> None:
        for key, restore in (("window/geometry", self.restoreGeometry),
                             ("window/state", self.restoreState),
                             ("window/main_splitter", self.main_splitter.restoreState),
                             ("window/left_splitter", self.left_splitter.restoreState)):
            value = settings.get(key)
            if isinstance(value, QByteArray) and not value.isEmpty():
                restore(value)
        if settings.get("window/geometry").isEmpty():
            self.resize(1440, 900)
        self.session.set_classification(settings.get("classification"), settings.get("classes"),
                                        settings.get("palette"))
        self.session.set_map_level(settings.get("map_level"))

    def save_layout(self) -> None:
        settings.set("window/geometry", self.saveGeometry())
        settings.set("window/state", self.saveState())
        settings.set("window/main_splitter", self.main_splitter.saveState())
        settings.set("window/left_splitter", self.left_splitter.saveState())
        settings.set("classification", self.session.scheme)
        settings.set("classes", self.session.classes)
        settings.set("palette", self.session.palette)
        settings.set("map_level", self.session.map_level)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt API
        self._cancel_work()
        self.save_layout()
        self.session.close()
        super().closeEvent(event)


def _dropped_bundle(mime) -> str | None:
    if not mime.hasUrls():
        return None
    for url in mime.urls():
        if url.isLocalFile() and url.toLocalFile().lower().endswith(".atlas"):
            return url.toLocalFile()
    return None

