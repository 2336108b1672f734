"""Where the read-only resources (icons, the matplotlib style, the help pages) live.

In development they sit in `resources/` and `docs/` at the repository root; in a PyInstaller
one-folder build `build.spec` copies them beside the executable's unpacked files, whose folder
PyInstaller publishes as `sys._MEIPASS`. Resolving both the same way keeps the rest of the code
unaware.
"""

from __future__ import annotations

import sys
from pathlib import Path

_REPO_ROOT = Path(__file__).resolve().parents[2]
INPUT_FORMAT = "input-format.md"  # the help page on the input folder of a new bundle


def base_dir() -> Path:
    """The folder holding `resources/` (and `data/`): the PyInstaller bundle or the repo root."""
    frozen = getattr(sys, "_MEIPASS", None)
    return Path(frozen) if frozen else _REPO_ROOT


def resources_dir() -> Path:
    return base_dir() / "resources"


def resource_path(name: str) -> Path:
    """Path of one resource file, e.g. `resource_path("cluster-atlas.mplstyle")`."""
    return _shipped(resources_dir() / name, "Resource")


def doc_path(name: str) -> Path:
    """Path of a help page shipped with the program, e.g. `doc_path("input-format.md")`."""
    return _shipped(base_dir() / "docs" / name, "Help page")


def _shipped(path: Path, what: str) -> Path:
    if not path.exists():
        raise FileNotFoundError(f"{what} {path.name!r} is missing from {path.parent}; "
                                "the installation is incomplete.")
    return path
