"""Atomic file writes: a temporary file in the destination folder, then a rename.

An interrupted export or pack never leaves a damaged file in place of a good one, and an
unwritable destination becomes an `ExportError` with a message that names the path.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from desktop.core.errors import ExportError


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
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".part", dir=folder)
    except OSError as exc:
        raise ExportError(f"Cannot write {dest}: {exc.strerror or exc}. "
                          "Choose a folder you can write to.") from exc
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        yield tmp
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; give the usual permissions
        os.replace(tmp, dest)
    except OSError as exc:
        raise ExportError(f"Cannot write {dest}: {exc.strerror or exc}.") from exc
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def write_bytes_atomic(destination: str | os.PathLike, data: bytes) -> None:
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
