"""The main window: map and chart on the left, the cluster's profile on the right, linked
through the session. Menus, drag and drop, layout memory and locking live here; what each
view shows is decided by the core and by the view itself.

The window is made in two steps so that it appears at once: the cover and the menus, which
need only Qt, then the toolbar, views and the work behind them, which import pandas, matplotlib
and scipy (over a second). `MainWindow()` makes both; the program shows the first and builds
the rest once it has painted (`show_then_build`)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from desktop import APP_NAME
from desktop.gui import clipboard, menus, settings, window_fit
from desktop.gui.first_paint import after_first_paint
from desktop.gui.source_lines import forget_source_lines

if TYPE_CHECKING:
    from desktop.core.workspace import Workspace
    from desktop.gui.views.selection_bar import SelectionBar

BUNDLE_FILTER = "Cluster Atlas bundles (*.atlas);;All files (*)"


class MainWindow(QMainWindow):
    def __init__(self, *, deferred: bool = False) -> None:
        """The whole window; with `deferred`, only the cover and the menus until `build()`."""
        super().__init__()
        self.setWindowTitle(APP_NAME)
        self.setAcceptDrops(True)
        self.built = False
        self.cover = self._make_cover()
        self.stack = QStackedWidget()
        self.stack.addWidget(self.cover)
        central = QWidget()
        self.central_layout = QVBoxLayout(central)
        self.central_layout.setContentsMargins(0, 0, 0, 0)
        self.central_layout.setSpacing(0)
        self.central_layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self.statusBar()  # its place kept for the status line the build puts there
        menus.build_menus(self)
        self._geometry_restored = window_fit.restore_geometry(self)
        self._set_cover_text(None)
        if not deferred:
            self.build()

    def show_then_build(self, then: Callable[[], None] = lambda: None) -> None:
        """Show the cover and menus now, build the rest once they have painted, then run
        `then` (opening the bundle named on the command line)."""
        def build() -> None:
            self.build()
            then()

        after_first_paint(self, build)
        self.show()

    def build(self) -> None:
        """The toolbar, views and what links them to the session: the slow imports are here."""
        from PySide6.QtWidgets import QSplitter, QTabWidget

        from desktop.gui.custom_area_actions import CustomAreaActions
        from desktop.gui.export_actions import ExportActions
        from desktop.gui.idle_lock import IdleLock
        from desktop.gui.opener import BundleOpener
        from desktop.gui.school_sync import SchoolSync
        from desktop.gui.session import Session
        from desktop.gui.status_bar import StatusBar
        from desktop.gui.view_sync import ViewSync
        from desktop.gui.views.chart_view import ChartView
        from desktop.gui.views.compare_view import CompareView
        from desktop.gui.views.crossborder_view import CrossBorderView
        from desktop.gui.views.issues_view import IssuesView
        from desktop.gui.views.map_view import MapView
        from desktop.gui.views.profile_view import ProfileView
        from desktop.gui.views.school_view import SchoolView

        self.session = Session(self)
        self.opener = BundleOpener(self)
        self.selection_bar = self._make_toolbar()
        self.map_view = MapView()
        self.chart_view = ChartView()
        self.profile_view = ProfileView()
        self.issues_view = IssuesView()
        self.compare_view = CompareView()
        self.crossborder_view = CrossBorderView()
        self.school_view = SchoolView()
        self.tabs = QTabWidget()
        self.tabs.setObjectName("profile_tabs")
        self.tabs.setAccessibleName("Views of the cluster")
        self.tabs.tabBar().setAccessibleName("Views of the cluster")
        for view, title in zip((self.profile_view, self.issues_view, self.compare_view,
                                self.crossborder_view, self.school_view), menus.VIEW_TITLES):
            self.tabs.addTab(view, title)

        self.left_splitter = QSplitter(Qt.Orientation.Vertical)
        self.left_splitter.addWidget(self.map_view)
        self.left_splitter.addWidget(self.chart_view)
        self.main_splitter = QSplitter(Qt.Orientation.Horizontal)
        self.main_splitter.addWidget(self.left_splitter)
        self.main_splitter.addWidget(self.tabs)
        for splitter in (self.left_splitter, self.main_splitter):
            splitter.setChildrenCollapsible(False)
        self.stack.addWidget(self.main_splitter)
        self.central_layout.insertWidget(0, self.selection_bar)

        self.status = StatusBar(self.session, self)
        self.status.cancel_requested.connect(self._cancel_work)
        self.setStatusBar(self.status)
        self.sync = ViewSync(self.session, self.map_view, self.chart_view, self.profile_view,
                             self.issues_view, self.compare_view, self,
                             crossborder_view=self.crossborder_view,
                             level_controls=self.level_controls)
        self.schools = SchoolSync(self.session, self.map_view, self.go_to_box, self.school_view,
                                  lambda: self.tabs.setCurrentWidget(self.school_view), self)
        self.schools.message.connect(self.status.say)
        self.exports = ExportActions(self.session, self, self.chart_view, self.sync)
        self.custom_areas = CustomAreaActions(self.session, self, self.map_view)
        self.school_view.brief_requested.connect(self.exports.export_brief)
        menus.build_export_menu(self)
        for work in (self.exports, self.sync, self.custom_areas):  # all report alike
            work.started.connect(self._busy)
            work.progress.connect(self.status.progress)
            work.finished.connect(self._export_done)
            work.failed.connect(self._export_failed)
            work.crashed.connect(self._export_crashed)

        self.idle_lock = IdleLock(self.lock, settings.get("idle_lock_minutes") * 60_000, self)
        self.session.bundle_opened.connect(self._on_opened)
        self.session.bundle_closed.connect(self._on_closed)
        o = self.opener
        for signal, slot in ((o.asking, self._asking), (o.started, self._busy),
                             (o.progress, self.status.progress), (o.opened, self._install),
                             (o.failed, self._show_error), (o.crashed, self._show_crash),
                             (o.finished, self._idle)):
            signal.connect(slot)
        window_fit.restore_views(self, self._geometry_restored)
        menus.CommandsBeforeTyping(self).watch()
        self.built = True
        self._show_cover()
        forget_source_lines()  # the build's imports are done

    # --- construction ---------------------------------------------------------------
    def _make_toolbar(self) -> SelectionBar:
        """The toolbar, in reading order, one line per group of controls. It wraps onto more
        rows when the window is narrow, so every control stays in view."""
        from desktop.gui.views.comparison_bar import ComparisonBar
        from desktop.gui.views.go_to_box import GoToBox
        from desktop.gui.views.level_controls import LevelControls
        from desktop.gui.views.period_slider import PeriodSlider
        from desktop.gui.views.selection_bar import SelectionBar

        bar = SelectionBar(self.session)
        self.go_to_box = GoToBox()
        bar.add_group("Go to", self.go_to_box)  # Ctrl+G (its G is Significance's)
        bar.add_group("&Cluster", bar.cluster_combo)
        bar.add_group("&Indicator", bar.indicator_combo, expanding=True)
        bar.add_group("Pe&riod", bar.period_combo, PeriodSlider(self.session))
        self.level_controls = LevelControls(self.session)  # Map: areas/clusters; Pool
        bar.add_group(None, self.level_controls)
        bar.add_group("&Basis", bar.basis_combo)
        bar.add_group("Cla&sses", bar.scheme_combo, bar.classes_spin)
        bar.add_group("Pa&lette", bar.palette_combo)
        bar.add_group(None, ComparisonBar(self.session))  # labelled "Significance" itself
        return bar

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

    # --- opening, closing, locking -----------------------------------------------------
    def choose_and_open(self) -> None:
        start = str(Path(settings.recent_files()[0]).parent) if settings.recent_files() else ""
        path, _ = QFileDialog.getOpenFileName(self, "Open bundle", start, BUNDLE_FILTER)
        if path:
            self.open_bundle(path)

    def new_bundle(self) -> None:
        """Pack a folder into a bundle, then offer to open it."""
        from desktop.gui.dialogs.new_bundle_dialog import NewBundleDialog

        dialog = NewBundleDialog(self)
        dialog.packed.connect(lambda path: self.status.say(f"Packed {path}"))
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.output:
            name = Path(dialog.output).name
            answer = QMessageBox.question(
                self, APP_NAME, f"{name} is ready. Open it now?",
                QMessageBox.StandardButton.Open | QMessageBox.StandardButton.Close,
                QMessageBox.StandardButton.Open)
            if answer == QMessageBox.StandardButton.Open:
                self.open_bundle(dialog.output)

    def show_help(self) -> None:
        """Help > Making a bundle: the input-format page, shipped with the program."""
        from desktop.gui.dialogs.help_dialog import HelpDialog

        HelpDialog.input_format(self).exec()

    def open_bundle(self, path: str | Path) -> None:
        """Open `path`. The bundle open now stays open until the new one has opened, so a file
        that is not a bundle, a wrong or cancelled passphrase or a damaged copy loses nothing."""
        self.opener.open(path)

    def _install(self, path: Path, workspace: Workspace) -> None:
        if self.session.path is not None and Path(path).resolve() != self.session.path.resolve():
            self.session.close()  # another bundle: nothing of the old one carries over
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
        clipboard.clear_ours()
        self._show_cover()

    def _cover_clicked(self) -> None:
        if self.session.locked and self.session.path is not None:
            self.opener.open(self.session.path)
        else:
            self.choose_and_open()

    def _show_cover(self) -> None:
        locked = self.session.path if self.session.locked else None
        self._set_cover_text(locked)
        self.stack.setCurrentWidget(self.cover)
        self.cover_button.setFocus()
        self.idle_lock.stop()

    def _set_cover_text(self, locked: Path | None) -> None:
        if locked is not None:
            self.cover_label.setText(f"<h2>Locked</h2><p>{locked.name} is locked. "
                                     "Its decrypted data has been removed from memory.</p>")
            self.cover_button.setText("&Unlock…")
            self.setWindowTitle(f"{APP_NAME} — locked")
        else:
            self.cover_label.setText("<h2>Cluster Atlas</h2><p>Open a bundle (.atlas) with "
                                     "File ▸ Open, or drop it on this window.</p>")
            self.cover_button.setText("&Open bundle…")
            self.setWindowTitle(APP_NAME)

    def _on_opened(self) -> None:
        bundle = self.session.bundle
        on_cover = self.cover.isAncestorOf(self.focusWidget())
        self.stack.setCurrentWidget(self.main_splitter)
        self.setWindowTitle(f"{bundle.manifest.title} — {APP_NAME}")
        self.idle_lock.set_timeout(settings.get("idle_lock_minutes") * 60_000)
        self.idle_lock.start()
        crossborder = self.tabs.indexOf(self.crossborder_view)  # only for bundles with flows
        self.tabs.setTabVisible(crossborder, bundle.flows is not None)
        self.tabs.setTabEnabled(crossborder, bundle.flows is not None)
        for action in self.export_actions:
            action.setEnabled(True)
        if on_cover or self.focusWidget() is None:
            # the focus was on the cover, now hidden: the first choice, where reading starts
            self.selection_bar.cluster_combo.setFocus(Qt.FocusReason.OtherFocusReason)

    def _on_closed(self) -> None:
        for action in self.export_actions:
            action.setEnabled(False)

    # --- work in progress ------------------------------------------------------------
    def _busy(self, message: str) -> None:
        self.status.start(message)
        self.open_action.setEnabled(False)

    def _asking(self, message: str) -> None:
        """The passphrase prompt is up: no progress (nor "Deriving the key…") is left showing."""
        self.status.stop()
        self.status.say(message)

    def _idle(self) -> None:
        self.status.stop()
        self.open_action.setEnabled(True)

    def _cancel_work(self) -> None:
        self.opener.cancel()
        self.exports.cancel()
        self.sync.cancel_pooling()
        self.custom_areas.cancel()

    def _export_done(self, message: str) -> None:
        self._idle()
        self.status.say(message)

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
        from desktop.gui.dialogs.about_dialog import AboutDialog

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
    def save_layout(self) -> None:
        window_fit.save_layout(self)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt API
        if self.built:  # closed before its views were built: nothing open, nothing to keep
            self._cancel_work()
            self.save_layout()
            self.session.close()
            clipboard.clear_ours()
        super().closeEvent(event)


def _dropped_bundle(mime) -> str | None:
    if not mime.hasUrls():
        return None
    for url in mime.urls():
        if url.isLocalFile() and url.toLocalFile().lower().endswith(".atlas"):
            return url.toLocalFile()
    return None

