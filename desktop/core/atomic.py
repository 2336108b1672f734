"""Atomic file writes: a temporary file in the destination folder, then a rename.

An interrupted export or pack never leaves a damaged file in place of a good one, and an
unwritable destination or a full disk becomes an `ExportError` naming the destination (never
the hidden temporary name). The temporary files are the app's own (desktop.core.leftovers
names them and remembers their folders): SIGTERM and SIGINT (`cleanup_on_signals`) and a
normal exit remove the ones being written, and a sweep at the next start removes those a
killed run left.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import signal
import tempfile
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO

from desktop.core import leftovers
from desktop.core.errors import Cancelled, ExportError

_pending: set[Path] = set()
_lock = threading.Lock()
_closing = threading.Event()


@contextlib.contextmanager
def atomic_path(destination: str | os.PathLike) -> Iterator[Path]:
    """Yield a temporary path beside `destination`; rename it into place if the block succeeds.

    The caller writes the complete file to the yielded path. On any exception the temporary
    file is removed and the destination is left as it was.
    """
    dest = Path(destination)
    folder = dest.parent if str(dest.parent) else Path(".")
    if not folder.is_dir():
        raise ExportError(f"Cannot write {dest}: the folder {folder} does not exist.")
    if _closing.is_set():
        raise Cancelled(f"Cancelled: Cluster Atlas is closing; {dest} was not written.")
    leftovers.remember(folder)
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=leftovers.part_prefix(dest),
                                        suffix=leftovers.PART_SUFFIX, dir=folder)
    except OSError as exc:
        raise ExportError(f"Cannot write {dest}: {exc.strerror or exc}. "
                          "Choose a folder you can write to.") from exc
    os.close(fd)
    tmp = Path(tmp_name)
    with _lock:
        _pending.add(tmp)
    try:
        yield tmp
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; give the usual permissions
        os.replace(tmp, dest)
    except OSError as exc:
        raise ExportError(f"Cannot write {dest}: {exc.strerror or exc}.") from exc
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        with _lock:
            _pending.discard(tmp)


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def write_bytes_atomic(destination: str | os.PathLike, data) -> None:
    """Write `data` (bytes or any buffer) as the whole file, flushed to disk, atomically."""
    with atomic_path(destination) as tmp:
        with open(tmp, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())


@contextlib.contextmanager
def atomic_open(destination: str | os.PathLike, mode: str = "wb", **kwargs) -> Iterator[IO]:
    with atomic_path(destination) as tmp:
        with open(tmp, mode, **kwargs) as fh:
            yield fh


def remove_pending(stop: bool = False) -> list[Path]:
    """Delete the temporary files being written now; with `stop`, refuse any new one (the
    process is ending: a worker thread must not start another file)."""
    if stop:
        _closing.set()
    with _lock:
        paths = list(_pending)
    for path in paths:
        with contextlib.suppress(OSError):
            path.unlink()
    return paths


atexit.register(remove_pending, stop=True)


@contextlib.contextmanager
def cleanup_on_signals(then: Callable[[int], None]) -> Iterator[None]:
    """While the block runs, SIGTERM and SIGINT (and SIGHUP, where it exists: logout) first
    delete the temporary files being written, then call `then(signal number)`, which ends the
    process its own way. Only the main thread can install handlers; elsewhere this does
    nothing. The previous handlers come back afterwards."""
    numbers = [getattr(signal, name) for name in ("SIGTERM", "SIGINT", "SIGHUP")
               if hasattr(signal, name)]

    def handler(signum: int, frame) -> None:
        remove_pending(stop=True)
        then(signum)

    try:
        previous = {number: signal.signal(number, handler) for number in numbers}
    except ValueError:  # not the main thread
        yield
        return
    try:
        yield
    finally:
        for number, old in previous.items():
            signal.signal(number, old)
