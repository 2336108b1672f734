"""Every cluster's Word profile, made by this process and one helper process side by side.

A profile is seconds of drawing pictures and writing XML, nearly all of it Python holding the
GIL, so the second core is used through a helper process (multiprocessing's "spawn", as
bundle.age_process: safe beside Qt's threads, the same on Windows). The helper gets the bundle
and statistics once, through a pipe (nothing touches the disk), and returns whole profiles as
.docx bytes; this process makes others meanwhile and hands each on as it is complete. Each
takes the next cluster not yet begun (this process from the front, the helper from the back),
so the helper's start-up (its imports) costs nothing when it is slow. A thread of this process
(`_Feeder`, waiting with the GIL released) gives the helper its next cluster the moment it
returns one, so it never waits for this process to finish the profile it is making; the
profiles it returns are handed on between this process's own.

Bundles of more than HELPER_MAX_VALUES value rows are made here alone: a second copy of an
England-scale bundle would double the memory. A helper that dies (out of memory, killed) is
given up and its cluster made here; Cancel stops this process at once and the helper after the
profile it is making (Python 3.11's process pool cannot end a running worker), whose bytes are
dropped.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
from collections import deque
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool

from desktop.core.model import Bundle
from desktop.core.report.figures import ReportFigures
from desktop.core.stats.aggregate import Statistics
from desktop.core.tasks import Task

HELPERS = 1  # on two cores: this process and one helper
HELPER_MAX_VALUES = 5_000_000
POLL_S = 0.1  # how often a wait for the helper looks at Cancel

Progress = Callable[[float, str], None]
# make(bundle, statistics, cluster, figures, progress, *options) -> the profile's .docx bytes;
# a module-level function, so the helper can be given it by name
Make = Callable[..., bytes]
Deliver = Callable[[str, bytes], None]

_helper: dict = {}


def _start_helper(make: Make, bundle: Bundle, statistics: Statistics, figure_args: tuple,
                  options: tuple) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C is the parent's to handle
    _helper.update(make=make, bundle=bundle, statistics=statistics, options=options,
                   figures=ReportFigures(bundle, statistics, *figure_args))


def _helper_profile(cluster: str) -> bytes:
    h = _helper
    return h["make"](h["bundle"], h["statistics"], cluster, h["figures"],
                     lambda _fraction, _message: None, *h["options"])


def wants_helper(bundle: Bundle, n_profiles: int) -> bool:
    """Whether a helper process pays: two cores or more, three profiles or more, and a bundle
    small enough to hold twice."""
    return (HELPERS > 0 and (os.cpu_count() or 1) >= 2 and n_profiles >= 3
            and len(bundle.values) <= HELPER_MAX_VALUES)


class _Feeder:
    """The thread that keeps the helper busy: it takes the next cluster from the back of
    `todo`, waits until its profile is done and keeps the future for this process (whose
    result() gives the bytes or raises what the helper raised), and takes the next, until
    `todo` is empty, `stop` is set or the helper dies (its cluster goes back to `todo`)."""

    def __init__(self, helper: ProcessPoolExecutor, todo: deque, lock: threading.Lock) -> None:
        self.helper, self.todo, self.lock = helper, todo, lock
        self.made: deque[tuple[str, Future]] = deque()
        self.making: str | None = None
        self.stop = threading.Event()
        # the first submit starts the helper, pickling the bundle and statistics: here, before
        # this process uses them, never in the thread beside it
        self.first: tuple[str, Future] | None = None
        if todo:
            cluster = todo.pop()
            self.first = (cluster, helper.submit(_helper_profile, cluster))
        self.thread = threading.Thread(target=self._run, name="profile helper", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while not self.stop.is_set():
            first, self.first = self.first, None
            with self.lock:
                if first is None and not self.todo:
                    return
                self.making = cluster = first[0] if first else self.todo.pop()
            try:
                future = first[1] if first else self.helper.submit(_helper_profile, cluster)
                while not wait([future], timeout=POLL_S).done:
                    if self.stop.is_set():
                        return
            except BrokenProcessPool:
                future = None
            finally:
                self.making = None
            if future is None or isinstance(future.exception(), BrokenProcessPool):
                with self.lock:  # the helper died: its cluster is made here
                    self.todo.append(cluster)
                return
            self.made.append((cluster, future))
            if future.exception() is not None:
                return

    def finish(self) -> None:
        self.stop.set()
        self.thread.join()
        self.helper.shutdown(wait=False, cancel_futures=True)


def make_profiles(make: Make, figures: ReportFigures, options: tuple, task: Task,
                  deliver: Deliver, clusters: Sequence[str] | None = None) -> None:
    """`deliver(cluster, docx bytes)` for every cluster of the figures' bundle (or of
    `clusters`), each as soon as it is complete (not in order when a helper helps); progress
    through `task`, which may cancel. The helper draws with figures like `figures` (the same
    bundle, statistics, resolution and chart options)."""
    bundle, statistics = figures.bundle, figures.statistics
    clusters = list(bundle.cluster_names if clusters is None else clusters)
    todo, n, lock = deque(clusters), len(clusters), threading.Lock()
    done = [0]
    feeder = (_Feeder(ProcessPoolExecutor(1, multiprocessing.get_context("spawn"),
                                          _start_helper,
                                          (make, bundle, statistics,
                                           (figures.dpi, figures.options), options)),
                      todo, lock)
              if wants_helper(bundle, n) else None)

    def hand_on(cluster: str, data: bytes) -> None:
        deliver(cluster, data)
        done[0] += 1

    try:
        while True:
            # read first: once the feeder has ended, all it left is in place for the checks
            helping = feeder is not None and feeder.thread.is_alive()
            while feeder is not None and feeder.made:
                cluster, future = feeder.made.popleft()
                hand_on(cluster, future.result())
            with lock:
                cluster = todo.popleft() if todo else None
            if cluster is None:
                if not helping:
                    return
                making = feeder.making
                task.report(done[0] / n, f"Waiting for the profile of {making}" if making
                            else "Waiting for the helper")
                feeder.thread.join(POLL_S)
                continue

            def progress(fraction: float, message: str) -> None:
                task.report((done[0] + fraction) / n, message)

            hand_on(cluster, make(bundle, statistics, cluster, figures, progress, *options))
    finally:
        if feeder is not None:
            feeder.finish()
