"""Run slow core functions off the GUI thread.

The core function takes a `desktop.core.tasks.Task` (progress and cancel) and returns a result;
`Worker` runs it in Qt's global thread pool and reports back through signals, which Qt
delivers on the GUI thread.
"""

from __future__ import annotations

import threading
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal

from desktop.core.errors import AtlasError, Cancelled
from desktop.core.tasks import Task


class WorkerSignals(QObject):
    progress = Signal(float, str)
    finished = Signal(object)
    failed = Signal(object)  # the AtlasError instance
    cancelled = Signal(str)  # what was (not) written
    crashed = Signal(str)  # a programming error: the traceback, shown as a bug to report


class Worker:
    """One run of `fn(task)` in its own background thread.

    The thread holds the bound `run`, which keeps this object (and its signals) alive until
    the run ends, however soon the owner lets go of it.
    """

    def __init__(self, fn: Callable[[Task], Any], owner: QObject) -> None:
        # The signals belong to `owner` (a GUI-thread object), not to this Python object: the
        # last Python reference may die in the pool's thread, and deleting a QObject there
        # drops its queued signals. The owner calls dispose() once it has the result.
        self.signals = WorkerSignals(owner)
        self.task = Task(on_progress=self.signals.progress.emit)
        self._fn = fn

    def run(self) -> None:
        try:
            result = self._fn(self.task)
        except Cancelled as exc:
            self.signals.cancelled.emit(str(exc))
        except AtlasError as exc:
            self.signals.failed.emit(exc)
        except MemoryError:
            self.signals.failed.emit(AtlasError("Not enough memory to finish this task."))
        except Exception:  # noqa: BLE001 - reported, not hidden: the GUI shows it as a bug
            self.signals.crashed.emit(traceback.format_exc())
        else:
            self.signals.finished.emit(result)

    def dispose(self) -> None:
        """Stop reporting: disconnect every slot once the owner has the result.

        The signals object itself stays a child of the owner until the owner goes: deleting
        it here (deleteLater) raced with the pool thread releasing its Python wrapper and
        crashed; a few idle QObjects per session cost nothing.
        """
        for signal in (self.signals.progress, self.signals.finished, self.signals.failed,
                       self.signals.cancelled, self.signals.crashed):
            try:
                signal.disconnect()
            except (RuntimeError, TypeError):  # nothing connected
                pass

    def cancel(self) -> None:
        self.task.cancel()

    def start(self) -> "Worker":
        # A Python thread, not Qt's pool: PySide gives a pool thread a new Python thread state
        # per call, which frees pyproj's per-thread PROJ context while the OS thread keeps a
        # pointer to it, and the next reprojection in that thread crashed (New bundle).
        threading.Thread(target=self.run, name="cluster-atlas-worker", daemon=True).start()
        return self
