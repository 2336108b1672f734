"""The inputs of a slow chart, computed off the GUI thread.

The inequalities chart audits its decile counts before it may show them (stats.decile_
disclosure): a second or more for an indicator-period the first time. The chart view asks
here instead of computing on the GUI thread, draws a line saying what is being worked out,
and is handed the inputs through `ready` when they are done. A newer request (another
indicator, period, cluster or options) supersedes an older one, whose result is dropped.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal

from desktop.gui.workers import Worker

SLOW_CHARTS = frozenset({"inequality"})
WORKING_TEXT = {"inequality": "Checking which counts by deprivation decile can be shown "
                              "without giving a small number away..."}


class BackgroundInputs(QObject):
    ready = Signal(str, object, object)  # kind, the request's key, its inputs (None: failed)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._key: Any = None

    def pending(self, key: Any) -> bool:
        return self._key == key

    def ask(self, kind: str, key: Any, compute: Callable[[], dict]) -> None:
        """Compute `compute()` in a worker unless `key` is being computed already."""
        if self._key == key:
            return
        self.forget()
        self._key = key
        worker = Worker(lambda _task: compute(), self)
        worker.signals.finished.connect(lambda inputs: self._done(kind, key, inputs))
        for signal in (worker.signals.failed, worker.signals.crashed,
                       worker.signals.cancelled):
            signal.connect(lambda *_: self._done(kind, key, None))
        worker.start()  # its thread keeps it alive until the run ends

    def forget(self) -> None:
        """Drop the request under way: its result is not wanted any more (its worker runs
        to its end, which cannot be interrupted, and is then ignored)."""
        self._key = None

    def _done(self, kind: str, key: Any, inputs: dict | None) -> None:
        if self._key != key:
            return
        self._key = None
        self.ready.emit(kind, key, inputs)

