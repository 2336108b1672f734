"""Encrypted bundles: write and read the one-file dataset format (docs/bundle-format.md).

A bundle is a ZIP (manifest.json and Parquet tables, see bundle_io) encrypted with age v1 in
passphrase (scrypt) mode through pyrage, so anyone holding the passphrase can check it with
`age -d`. Decrypted bytes live only in memory. Every failure a person can meet (wrong
passphrase, damaged copy, not a bundle, newer format) becomes an AtlasError with a message
saying what to do.
"""

from __future__ import annotations

import base64
import binascii
import mmap
import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING

from desktop.core.atomic import write_bytes_atomic
from desktop.core.bundle import age_process
from desktop.core.bundle.age_header import AGE_MAGIC, check_passphrase_header, damaged
from desktop.core.bundle.passphrase import check_new_passphrase
from desktop.core.errors import AtlasError, DamagedBundle, NotABundle, WrongPassphrase
from desktop.core.model import Bundle
from desktop.core.tasks import Task

if TYPE_CHECKING:
    from desktop.core.bundle.summary import BundleSummary

ARMOR_BEGIN = b"-----BEGIN AGE ENCRYPTED FILE-----"
ARMOR_END = b"-----END AGE ENCRYPTED FILE-----"
DERIVING = "Deriving the key from the passphrase and decrypting…"
HEADER_PEEK = 64 * 1024  # bytes: an age header (a scrypt stanza and the MAC) is far shorter


def write_bundle(bundle: Bundle, path: str | os.PathLike, passphrase: str,
                 task: Task | None = None) -> None:
    """Serialise, encrypt to `passphrase` and write atomically (nothing half-written is left)."""
    task = task or Task()
    check_new_passphrase(passphrase, (Path(path).stem, bundle.manifest.title,
                                      bundle.manifest.area_name))
    from desktop.core.bundle.archive import bundle_to_zip  # pandas and GEOS: only when needed

    task.report(0.0, "Writing tables")
    payload = bundle_to_zip(bundle, lambda f, msg: task.report(0.6 * f, msg))
    task.report(0.6, "Deriving the key from the passphrase and encrypting…")
    encrypted = age_process.encrypt(payload, passphrase, task)
    task.report(0.95, "Saving")
    write_bytes_atomic(path, encrypted)
    task.report(1.0, "Saved")


def read_bundle(path: str | os.PathLike, passphrase: str, task: Task | None = None) -> Bundle:
    """Decrypt and parse a bundle in memory; raises an AtlasError subclass on any problem."""
    from desktop.core.bundle.archive import bundle_from_zip  # pandas and GEOS: only when needed

    task = task or Task()
    name = Path(path).name
    payload = [decrypt_file(path, passphrase, task)]  # handed over: parsing lets it go early
    task.report(0.5, "Reading tables")
    try:
        bundle = bundle_from_zip(payload, name, lambda f, msg: task.report(0.5 + 0.5 * f, msg))
    except MemoryError:
        raise _no_memory(name) from None
    task.report(1.0, "Opened")
    return bundle


def read_summary(path: str | os.PathLike, passphrase: str, task: Task | None = None
                 ) -> BundleSummary:
    """What `inspect` shows of a bundle (summary.BundleSummary), decrypted in memory and
    checked as opening checks it; an AtlasError subclass on any problem. The summary's
    libraries (Arrow, numpy, shapely) load while the key derivation runs in its own process."""
    with ThreadPoolExecutor(1, thread_name_prefix="cluster-atlas-imports") as pool:
        loading = pool.submit(_summary_module)
        payload = decrypt_file(path, passphrase, task or Task())
    try:
        return loading.result().summary_from_zip(payload, Path(path).name)
    except MemoryError:
        raise _no_memory(Path(path).name) from None


def _no_memory(name: str) -> AtlasError:
    return AtlasError(f"There is not enough memory to open {name}. Close other programs and "
                      "try again.")


def _summary_module():
    from desktop.core.bundle import summary

    return summary


def decrypt_file(path: str | os.PathLike, passphrase: str, task: Task) -> mmap.mmap | bytes:
    """The decrypted ZIP of the bundle at `path` (task 0 to 0.5): the file read, its header
    checked before any key derivation, then decrypted in the key-derivation process. Light on
    purpose (no pandas, no GEOS): `inspect` reads a bundle's summary from it (summary)."""
    name = Path(path).name
    task.report(0.0, "Reading file")
    data = _read_file(Path(path))
    binary = check_age_header(data, name)
    if not passphrase:
        raise WrongPassphrase(f"Enter the passphrase for {name}.")
    task.report(0.05, DERIVING)
    return decrypt(binary, passphrase, name, task)


def check_bundle_file(path: str | os.PathLike) -> None:
    """Raise what `read_bundle` would for a file that is no bundle at all (missing, a folder,
    unreadable, not age, not passphrase-encrypted, a refused header), from its first bytes
    only: a window can check a file before asking for a passphrase or closing the bundle it
    shows."""
    path = Path(path)
    head = _read_file(path, HEADER_PEEK)
    if head.lstrip().startswith(ARMOR_BEGIN) and ARMOR_END not in head:
        head = _dearmor_head(head, path.name)
    check_age_header(head, path.name)


def _read_file(path: Path, size: int = -1) -> bytes:
    """The file's bytes (the first `size` of them when size >= 0), or an AtlasError."""
    try:
        with path.open("rb") as file:
            return file.read(size)
    except FileNotFoundError:
        raise AtlasError(f"Cannot open {path}: there is no such file.") from None
    except IsADirectoryError:
        raise AtlasError(f"Cannot open {path}: it is a folder, not a bundle file.") from None
    except OSError as exc:
        raise AtlasError(f"Cannot open {path}: {exc.strerror or exc}.") from exc


def check_age_header(data: bytes, name: str) -> bytes:
    """Return the binary age file once its header is safe to hand to pyrage, or raise
    NotABundle / DamagedBundle / RefusedBundle saying why (age_header).

    ASCII-armored files (`age -a`) are accepted and unwrapped; armor is only base64.
    """
    not_bundle = f"{name} is not a Cluster Atlas bundle"
    if not data:
        raise NotABundle(f"{not_bundle}: the file is empty.")
    if data.lstrip().startswith(ARMOR_BEGIN):
        data = _dearmor(data, name)
    if not data.startswith(AGE_MAGIC):
        hint = (" It is an unencrypted ZIP archive: encrypt it with `age -p`."
                if data.startswith(b"PK\x03\x04") else "")
        raise NotABundle(f"{not_bundle}: it is not an age-encrypted file.{hint}")
    check_passphrase_header(data, name)
    return data


def _dearmor(data: bytes, name: str) -> bytes:
    body = data.strip()
    if not body.endswith(ARMOR_END):
        raise DamagedBundle(damaged(name))
    try:
        return base64.b64decode(b"".join(body[len(ARMOR_BEGIN):-len(ARMOR_END)].split()),
                                validate=True)
    except (binascii.Error, ValueError):
        raise DamagedBundle(damaged(name)) from None


def _dearmor_head(head: bytes, name: str) -> bytes:
    """The binary start of an armored file of which only `head` was read: its complete
    base64 lines, decoded."""
    lines = head.lstrip()[len(ARMOR_BEGIN):].split(b"\n")[:-1]  # the last may be cut short
    text = b"".join(line.strip() for line in lines)
    try:
        return base64.b64decode(text[:len(text) // 4 * 4], validate=True)
    except (binascii.Error, ValueError):
        raise DamagedBundle(damaged(name)) from None


def decrypt(data: bytes, passphrase: str, name: str, task: Task | None = None
            ) -> mmap.mmap | bytes:
    """age-decrypt a checked file (check_age_header) with a passphrase, in a separate process
    that Cancel can stop (age_process); a wrong passphrase and a damaged file differ."""
    return age_process.decrypt(data, passphrase, name, task)
