"""What every command shares: the passphrase (environment or prompt, never an argument),
progress on stderr, opening a bundle, and the exit codes.

Passphrases come from the environment variable CLUSTER_ATLAS_PASSPHRASE or a prompt, never from
an argument (arguments show up in process lists and shell history).
"""

from __future__ import annotations

import getpass
import os
import sys
from pathlib import Path

from desktop.core.errors import AtlasError
from desktop.core.model import Bundle
from desktop.core.tasks import Task

PASSPHRASE_ENV = "CLUSTER_ATLAS_PASSPHRASE"
EXIT_OK, EXIT_ERROR, EXIT_CANCELLED = 0, 2, 130


def passphrase_for_reading(path: str) -> str:
    """The passphrase to open `path`: from the environment, else asked once."""
    if PASSPHRASE_ENV in os.environ:
        return os.environ[PASSPHRASE_ENV]
    return getpass.getpass(f"Passphrase for {path}: ")


def passphrase_for_writing(path: str) -> str:
    """A new passphrase for `path`: from the environment, else asked twice; a weak one is
    refused (before it is asked again) with the reason and a suggestion."""
    from desktop.core.bundle.passphrase import check_new_passphrase

    if PASSPHRASE_ENV in os.environ:
        passphrase = os.environ[PASSPHRASE_ENV]
        check_new_passphrase(passphrase, (Path(path).stem,))
        return passphrase
    passphrase = getpass.getpass(f"New passphrase for {path}: ")
    check_new_passphrase(passphrase, (Path(path).stem,))
    if getpass.getpass("Repeat the passphrase: ") != passphrase:
        raise AtlasError("The two passphrases do not match; nothing was written.")
    return passphrase


def progress_task() -> Task:
    """A Task that shows progress on one line of stderr."""
    def show(fraction: float, message: str) -> None:
        line = f"[{fraction:4.0%}] {message}"[:78]
        sys.stderr.write(f"\r{line:<78}")
        sys.stderr.flush()
    return Task(show)


def open_bundle(path: str) -> Bundle:
    """Read a bundle for a command, asking for its passphrase (shared by read-only commands)."""
    from desktop.core.bundle.encrypted import read_bundle

    return read_bundle(path, passphrase_for_reading(path))
