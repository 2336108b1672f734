"""Forgetting the source lines PySide6 reads on every import.

PySide6's `__feature__` import hook reads the whole source of each module imported after
PySide6 (to see whether it names PySide6) through the standard library's linecache, which
keeps every line of every file it has read. The window imports pandas, matplotlib, scipy and
the rest after Qt (the cover shows first), so about 1,350 files and 30 million characters stay
in memory for nothing: about 50 MB of the window's resident memory. Nothing in the program uses
them (a traceback reads the lines it shows again), so they are dropped once the imports of the
build and of opening a bundle are done, before the memory is wanted for anything else."""

from __future__ import annotations

import linecache


def forget_source_lines() -> None:
    """Drop every source line read so far (they are read again if a traceback needs them)."""
    linecache.clearcache()
