"""Where the read-only resources (icons, the matplotlib style) live.

In development they sit in `resources/` at the repository root; in a PyInstaller one-folder
build `build.spec` copies them beside the executable's unpacked files, whose folder PyInstaller
publishes as `sys._MEIPASS`. Resolving both the same way keeps the rest of the code unaware.
"""

from __future__ import annotations

import sys
from pathlib import Path

_REPO_ROOT = Path(__file__).resolve().parents[2]


def base_dir() -> Path:
    """The folder holding `resources/` (and `data/`): the PyInstaller bundle or the repo root."""
    frozen = getattr(sys, "_MEIPASS", None)
    return Path(frozen) if frozen else _REPO_ROOT


def resources_dir() -> Path:
    return base_dir() / "resources"


def resource_path(name: str) -> Path:
    """Path of one resource file, e.g. `resource_path("cluster-atlas.mplstyle")`."""
    path = resources_dir() / name
    if not path.exists():
        raise FileNotFoundError(f"Resource {name!r} is missing from {resources_dir()}; "
                                "the installation is incomplete.")
    return path
