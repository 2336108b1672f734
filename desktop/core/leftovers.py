"""Temporary export files that a killed run left behind, found and removed at the next start.

Every export is written to a hidden temporary file beside its target and renamed into place
(desktop.core.atomic). A run killed with SIGKILL, a crash or a power cut leaves that file (a
complete or partial profile, in plain text) where the officer never looks. So each folder an
export writes into is remembered, as its path alone (no file name, nothing from the bundle), in
a journal in the user's state folder, and `sweep` (run when the window or a command starts)
removes the app's own temporary files from those folders: names made by `part_prefix`, whose
process is no longer running (another Cluster Atlas still writing keeps its files).

The state folder is CLUSTER_ATLAS_STATE_DIR when set (the tests point it at a temporary
folder), else the platform's per-user state folder.
"""

from __future__ import annotations

import contextlib
import os
import re
import sys
from pathlib import Path

STATE_ENV = "CLUSTER_ATLAS_STATE_DIR"
JOURNAL = "export-folders.txt"
PART_SUFFIX = ".part"
_PART = re.compile(r"\..+\.ca(\d+)-[A-Za-z0-9_]+\.part\Z", re.DOTALL)
NAME_IN_PREFIX = 100  # characters of the target's name kept in the temporary name


def state_dir() -> Path:
    if os.environ.get(STATE_ENV):
        return Path(os.environ[STATE_ENV])
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA") or str(Path.home() / "AppData" / "Local")
        return Path(base) / "ClusterAtlas"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Application Support" / "ClusterAtlas"
    base = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(base) / "cluster-atlas"


def journal_path() -> Path:
    return state_dir() / JOURNAL


def part_prefix(destination: Path) -> str:
    """The start of a temporary file's name for `destination`: hidden, and marked with this
    process's id so a sweep can tell a live writer's file from a dead one's."""
    return f".{destination.name[:NAME_IN_PREFIX]}.ca{os.getpid()}-"


def remembered() -> list[Path]:
    try:
        lines = journal_path().read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return []
    return [Path(line) for line in dict.fromkeys(lines) if line.strip()]


def _write_journal(folders: list[Path]) -> None:
    path = journal_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f"{JOURNAL}.{os.getpid()}.tmp")
    tmp.write_text("".join(f"{folder}\n" for folder in folders), encoding="utf-8")
    os.replace(tmp, path)


def remember(folder: Path) -> None:
    """Note `folder` for the next sweep (before a temporary file is made in it). A journal that
    cannot be written never stops an export."""
    folder = folder.resolve()
    with contextlib.suppress(OSError):
        if folder not in remembered():
            path = journal_path()
            path.parent.mkdir(parents=True, exist_ok=True)
            with open(path, "a", encoding="utf-8") as fh:  # one short append: no rewrite
                fh.write(f"{folder}\n")


def process_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    if sys.platform == "win32":
        import ctypes

        kernel = ctypes.windll.kernel32
        handle = kernel.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return False
        code = ctypes.c_ulong()
        kernel.GetExitCodeProcess(handle, ctypes.byref(code))
        kernel.CloseHandle(handle)
        return code.value == 259  # STILL_ACTIVE
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def leftovers_in(folder: Path) -> tuple[list[Path], bool]:
    """The dead processes' temporary files in `folder`, and whether a live one has any."""
    dead, live = [], False
    for entry in os.scandir(folder):
        match = _PART.match(entry.name)
        if match and entry.is_file(follow_symlinks=False):
            if process_alive(int(match.group(1))):
                live = True
            else:
                dead.append(Path(entry.path))
    return dead, live


def sweep() -> list[Path]:
    """Remove the temporary files that dead runs left in remembered folders; forget the
    folders that are clean now (a folder out of reach, such as an unplugged drive, is kept)."""
    removed, keep = [], []
    for folder in remembered():
        try:
            dead, live = leftovers_in(folder)
        except FileNotFoundError:
            continue
        except OSError:
            keep.append(folder)
            continue
        for path in dead:
            try:
                path.unlink()
                removed.append(path)
            except FileNotFoundError:
                pass
            except OSError:
                live = True
        if live:
            keep.append(folder)
    with contextlib.suppress(OSError):
        if keep != remembered():
            _write_journal(keep)
    return removed
