"""Tools for the hostile-input tests: rebuild a bundle's ZIP with altered members, and run a
reader under a time and memory budget.

The budgets are generous (a shared 2-core machine) but finite: a hang or a runaway allocation
fails the test instead of passing slowly.
"""

from __future__ import annotations

import io
import struct
import time
import tracemalloc
import warnings
import zipfile
from collections.abc import Callable
from typing import Any

from desktop.core.errors import AtlasError

TIME_BUDGET_S = 30.0
MEMORY_BUDGET = 256 * 1024**2  # Python-level peak; a bomb would need gigabytes


def members_of(zip_bytes: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(zip_bytes)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def rezip(members: list[tuple[str, bytes]] | dict[str, bytes],
          compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    """A ZIP of `members` in order; a list may repeat a name (zipfile warns, and allows it)."""
    items = members.items() if isinstance(members, dict) else members
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=compression) as archive, \
            warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # "Duplicate name": that is the point
        for name, data in items:
            archive.writestr(name, data)
    return buffer.getvalue()


def set_declared_size(zip_bytes: bytes, member: str, size: int, *, local: bool = False) -> bytes:
    """Make the central directory (or the local header) state another uncompressed size."""
    raw = bytearray(zip_bytes)
    signature, name_at, size_at = ((b"PK\x03\x04", 30, 22) if local else (b"PK\x01\x02", 46, 24))
    length_at = 26 if local else 28
    pos = raw.find(signature)
    while pos >= 0:
        name_len = struct.unpack_from("<H", raw, pos + length_at)[0]
        if raw[pos + name_at:pos + name_at + name_len] == member.encode():
            struct.pack_into("<I", raw, pos + size_at, size & 0xFFFFFFFF)
        pos = raw.find(signature, pos + 4)
    return bytes(raw)


def set_method(zip_bytes: bytes, method: int) -> bytes:
    """Claim another compression method for every member (in both headers)."""
    raw = bytearray(zip_bytes)
    for signature, offset in ((b"PK\x03\x04", 8), (b"PK\x01\x02", 10)):
        pos = raw.find(signature)
        while pos >= 0:
            struct.pack_into("<H", raw, pos + offset, method)
            pos = raw.find(signature, pos + 4)
    return bytes(raw)


def outcome_within_budget(read: Callable[[], Any]) -> tuple[Any, AtlasError | None]:
    """Run `read`; return (result, None) or (None, the AtlasError). Any other exception
    propagates (a traceback is a failure), and so does exceeding the time or memory budget."""
    tracemalloc.start()
    start = time.perf_counter()
    try:
        try:
            result, error = read(), None
        except AtlasError as exc:
            result, error = None, exc
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    elapsed = time.perf_counter() - start
    assert elapsed < TIME_BUDGET_S, f"took {elapsed:.1f} s"
    assert peak < MEMORY_BUDGET, f"allocated {peak / 1024**2:.0f} MiB"
    return result, error
