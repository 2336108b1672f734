"""Opening a bundle: ask the passphrase, decrypt and compute off the GUI thread, retry.

The passphrase lives only in the closure handed to the worker; it is never stored in the
session, the settings or a log. Wrong passphrases are counted and, after five in a row, each
further attempt waits longer (desktop.core.bundle.throttle).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from desktop.core.bundle.encrypted import check_bundle_file
from desktop.core.bundle.throttle import AttemptThrottle
from desktop.core.errors import AtlasError, WrongPassphrase
from desktop.core.tasks import Task
from desktop.core.workspace import Workspace, load_workspace
from desktop.gui.dialogs.passphrase_dialog import ask_passphrase
from desktop.gui.source_lines import forget_source_lines
from desktop.gui.workers import Worker

AskPassphrase = Callable[[QWidget | None, str, str, float], "str | None"]


class BundleOpener(QObject):
    """Drives one open at a time; reports through signals so the window stays thin."""

    asking = Signal(str)  # the passphrase prompt is up: the status bar says so, no progress
    started = Signal(str)  # message for the status bar
    progress = Signal(float, str)
    opened = Signal(object, object)  # path, Workspace
    failed = Signal(str)  # a message for the officer
    crashed = Signal(str)  # a programming error (traceback)
    finished = Signal()  # after each attempt: opened, failed, wrong passphrase, crashed, cancel

    def __init__(self, parent_widget: QWidget | None = None) -> None:
        super().__init__(parent_widget)
        self.parent_widget = parent_widget
        self.ask_passphrase: AskPassphrase = ask_passphrase
        self.throttle = AttemptThrottle()
        self.worker: Worker | None = None

    @property
    def busy(self) -> bool:
        return self.worker is not None

    def open(self, path: str | Path, error: str = "") -> None:
        if self.busy:
            return
        path = Path(path)
        try:
            check_bundle_file(path)  # its first bytes: no passphrase is asked for a wrong file
        except AtlasError as exc:
            self.failed.emit(str(exc))
            self.finished.emit()
            return
        self.asking.emit(f"{error} Enter the passphrase again." if error else
                         f"Waiting for the passphrase for {path.name}…")
        passphrase = self.ask_passphrase(self.parent_widget, path.name, error,
                                         self.throttle.delay_before_next())
        if passphrase is None:
            self.finished.emit()
            return
        self.started.emit(f"Opening {path.name}…")
        self.worker = Worker(lambda task, p=passphrase: _load(path, p, task), self)
        del passphrase
        self.worker.signals.progress.connect(self.progress)
        self.worker.signals.finished.connect(lambda ws: self._done(path, ws))
        self.worker.signals.failed.connect(lambda exc: self._failed(path, exc))
        self.worker.signals.cancelled.connect(self._cancelled)
        self.worker.signals.crashed.connect(self._crashed)
        self.worker.start()

    def cancel(self) -> None:
        if self.worker is not None:
            self.worker.cancel()

    def _release(self) -> None:
        if self.worker is not None:
            self.worker.dispose()
            self.worker = None

    def _done(self, path: Path, workspace: Workspace) -> None:
        self._release()
        self.throttle.record_success()
        self.opened.emit(path, workspace)
        forget_source_lines()  # of the modules opening imported (scipy.stats and others)
        self.finished.emit()

    def _failed(self, path: Path, exc: AtlasError) -> None:
        self._release()
        if isinstance(exc, WrongPassphrase):
            self.throttle.record_failure()
            self.finished.emit()  # this attempt is over: its progress goes from the status bar
            self.open(path, error=str(exc))  # ask again, with the reason shown
            return
        self.failed.emit(str(exc))
        self.finished.emit()

    def _cancelled(self, _message: str = "") -> None:
        self._release()
        self.finished.emit()

    def _crashed(self, trace: str) -> None:
        self._release()
        self.crashed.emit(trace)
        self.finished.emit()


def _load(path: Path, passphrase: str, task: Task) -> Workspace:
    return load_workspace(path, passphrase, task)
