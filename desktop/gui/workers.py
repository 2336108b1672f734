"""Run slow core functions off the GUI thread.

The core function takes a `desktop.core.tasks.Task` (progress and cancel) and returns a result;
`Worker` runs it in Qt's global thread pool and reports back through signals, which Qt
delivers on the GUI thread.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from desktop.core.errors import AtlasError, Cancelled
from desktop.core.tasks import Task


class WorkerSignals(QObject):
    progress = Signal(float, str)
    finished = Signal(object)
    failed = Signal(object)  # the AtlasError instance
    cancelled = Signal()
    crashed = Signal(str)  # a programming error: the traceback, shown as a bug to report


class Worker(QRunnable):
    def __init__(self, fn: Callable[[Task], Any]) -> None:
        super().__init__()
        self.signals = WorkerSignals()
        self.task = Task(on_progress=self.signals.progress.emit)
        self._fn = fn
        self.setAutoDelete(False)

    def run(self) -> None:
        try:
            result = self._fn(self.task)
        except Cancelled:
            self.signals.cancelled.emit()
        except AtlasError as exc:
            self.signals.failed.emit(exc)
        except MemoryError:
            self.signals.failed.emit(AtlasError("Not enough memory to finish this task."))
        except Exception:  # noqa: BLE001 - reported, not hidden: the GUI shows it as a bug
            self.signals.crashed.emit(traceback.format_exc())
        else:
            self.signals.finished.emit(result)

    def cancel(self) -> None:
        self.task.cancel()

    def start(self) -> "Worker":
        QThreadPool.globalInstance().start(self)
        return self
