"""Progress and cancellation for slow work, without any knowledge of threads or Qt.

Slow core functions take a `Task` and call `task.report(fraction, message)`; that raises
`Cancelled` once the caller has asked to cancel. The GUI runs such functions in a worker and
cancels through `task.cancel()`; the command line passes `Task()` or a printing one.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from desktop.core.errors import Cancelled

ProgressCallback = Callable[[float, str], None]


class Task:
    def __init__(self, on_progress: ProgressCallback | None = None) -> None:
        self._on_progress = on_progress
        self._cancelled = threading.Event()

    def cancel(self) -> None:
        self._cancelled.set()

    @property
    def cancelled(self) -> bool:
        return self._cancelled.is_set()

    def check(self) -> None:
        if self._cancelled.is_set():
            raise Cancelled("Cancelled: nothing was written.")

    def report(self, fraction: float, message: str = "") -> None:
        """Report progress (0..1) and stop with `Cancelled` if cancellation was requested."""
        self.check()
        if self._on_progress is not None:
            self._on_progress(min(max(fraction, 0.0), 1.0), message)

    def part(self, start: float, end: float) -> Task:
        """A task for one step of this one: its 0..1 is this task's `start`..`end`, and
        cancelling this task cancels it."""
        return _Part(self, start, end)


class _Part(Task):
    def __init__(self, parent: Task, start: float, end: float) -> None:
        super().__init__()
        self._parent, self._start, self._end = parent, start, end

    @property
    def cancelled(self) -> bool:
        return self._parent.cancelled

    def check(self) -> None:
        self._parent.check()

    def report(self, fraction: float, message: str = "") -> None:
        self._parent.report(self._start + (self._end - self._start) * fraction, message)
