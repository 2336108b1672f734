"""One family of exceptions for problems a user can act on.

The GUI shows `str(error)` in a message box; the command line prints it and exits non-zero.
Programming errors are never wrapped in these.
"""

from __future__ import annotations


class AtlasError(Exception):
    """A problem with the user's input that a person can fix; the message says how."""


class WrongPassphrase(AtlasError):
    """The passphrase does not decrypt the bundle."""


class NotABundle(AtlasError):
    """The file is not an age-encrypted Cluster Atlas bundle at all."""


class DamagedBundle(AtlasError):
    """The file is a bundle but has been truncated, altered or is otherwise unreadable."""


class NewerFormat(AtlasError):
    """The bundle was written by a newer version of Cluster Atlas."""


class BundleContentError(AtlasError):
    """A table or column the format requires is missing or malformed inside the bundle."""


class InputError(AtlasError):
    """A bad input file for `pack`: the message names the file, and the row and column if known."""

    def __init__(self, message: str, *, file: str | None = None, row: int | None = None,
                 column: str | None = None) -> None:
        self.file, self.row, self.column = file, row, column
        where = []
        if file:
            where.append(str(file))
        if row is not None:
            where.append(f"row {row}")
        if column:
            where.append(f"column '{column}'")
        super().__init__(f"{', '.join(where)}: {message}" if where else message)


class ExportError(AtlasError):
    """An export could not be written (folder missing, read-only, disk full)."""


class Cancelled(AtlasError):
    """Long work was cancelled by the user; nothing was written."""


class WeakPassphrase(AtlasError):
    """A new bundle's passphrase is too easy to guess; the message says why and what to do."""


class RefusedBundle(AtlasError):
    """The file's age header asks for more than a bundle may (work factor, stanzas, length):
    refused before any key derivation, as it could freeze or crash the app."""


class CustomAreaError(AtlasError):
    """A custom area that cannot be made or read: no small area found in a list, a code the
    bundle does not hold, a name already taken, a file that is not a custom-area CSV."""


class SchoolError(AtlasError):
    """A school profile that cannot be made: no such school, no pupils by school in the
    bundle, or no pupils of the school in the period."""
