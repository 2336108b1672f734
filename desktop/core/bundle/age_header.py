"""The age header, read and checked before any key derivation.

An age v1 file (https://age-encryption.org/v1) starts with a plain-text header: the version
line, one stanza per recipient ("-> type args", then a base64 body) and a MAC line ("--- ").
pyrage derives the key for whatever the header asks, holding the GIL, so a hand-made header
could freeze or kill the app before any passphrase is checked: a work factor of 2^22 makes
scrypt allocate 4 GiB, and 20,000 scrypt stanzas took 114 s to refuse. This module parses the
header itself (linear in its length, never beyond MAX_HEADER_BYTES) and refuses, as the spec
allows, before pyrage runs:

- a header longer than MAX_HEADER_BYTES (a passphrase file's is about 150 bytes);
- an scrypt stanza that is not the only stanza (the spec forbids any other beside it);
- a work factor above MAX_WORK_FACTOR: scrypt with age's r = 8 needs 1 KiB per unit of N,
  so 2^21 is 2 GiB, briefly, in the key-derivation process (age_process). pyrage picks the
  factor that takes about a second on the writing machine: 18 to 21 on current hardware;
- anything outside the header grammar (a damaged file).
"""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass

from desktop.core.errors import DamagedBundle, NotABundle, RefusedBundle

AGE_MAGIC = b"age-encryption.org/v1\n"
MAX_HEADER_BYTES = 4096
MAX_WORK_FACTOR = 21
SCRYPT_BYTES_PER_N = 128 * 8  # scrypt's 128 * r bytes per unit of N, age's r = 8
SCRYPT_SALT_BYTES = 16
BODY_COLUMNS = 64
MAC_BYTES = 32
_ARG = re.compile(rb"[\x21-\x7e]+\Z")
_BASE64 = re.compile(rb"[A-Za-z0-9+/]*\Z")
_WORK_FACTOR = re.compile(rb"[1-9][0-9]?\Z")


@dataclass(frozen=True)
class Stanza:
    type: str
    args: tuple[str, ...]
    body: bytes


@dataclass(frozen=True)
class AgeHeader:
    stanzas: tuple[Stanza, ...]
    length: int  # bytes, up to and including the MAC line


def scrypt_memory(work_factor: int) -> int:
    """Bytes scrypt allocates for a work factor (log2 N) at age's parameters."""
    return SCRYPT_BYTES_PER_N << work_factor


def _gib(size: int) -> str:
    return f"{size / 1024**3:g} GiB" if size >= 1024**3 else f"{size // 1024**2} MiB"


def damaged(name: str) -> str:
    return (f"{name} is damaged or incomplete (it may have been truncated while copying). "
            "Ask for a fresh copy.")


def _b64(text: bytes, name: str) -> bytes:
    """Canonical unpadded base64, as the spec requires (anything else is a damaged file)."""
    if not _BASE64.match(text) or len(text) % 4 == 1:
        raise DamagedBundle(damaged(name))
    try:
        raw = base64.b64decode(text + b"=" * (-len(text) % 4), validate=True)
    except (binascii.Error, ValueError):
        raise DamagedBundle(damaged(name)) from None
    if base64.b64encode(raw).rstrip(b"=") != text:
        raise DamagedBundle(damaged(name))
    return raw


class _Reader:
    """Lines of the header, never past MAX_HEADER_BYTES."""

    def __init__(self, data: bytes, name: str) -> None:
        self.data, self.name = data, name
        self.pos = len(AGE_MAGIC)
        self.limit = min(len(data), MAX_HEADER_BYTES)

    def line(self) -> bytes:
        end = self.data.find(b"\n", self.pos, self.limit)
        if end < 0:
            if len(self.data) > MAX_HEADER_BYTES:
                raise RefusedBundle(
                    f"{self.name} was not opened: its age header is longer than "
                    f"{MAX_HEADER_BYTES:,} bytes (a passphrase-protected file's is about 150), "
                    "so it may have been made to stall Cluster Atlas.")
            raise DamagedBundle(damaged(self.name))
        line, self.pos = self.data[self.pos:end], end + 1
        return line


def parse_header(data: bytes, name: str) -> AgeHeader:
    """The stanzas of an age v1 header; `data` must start with AGE_MAGIC."""
    reader = _Reader(data, name)
    stanzas: list[Stanza] = []
    while True:
        line = reader.line()
        if line.startswith(b"--- "):
            if len(_b64(line[4:], name)) != MAC_BYTES:
                raise DamagedBundle(damaged(name))
            return AgeHeader(tuple(stanzas), reader.pos)
        fields = line[3:].split(b" ")
        if not line.startswith(b"-> ") or not all(_ARG.match(f) for f in fields):
            raise DamagedBundle(damaged(name))
        body = []
        while True:  # full 64-column lines, then a shorter (possibly empty) last one
            chunk = reader.line()
            if len(chunk) > BODY_COLUMNS:
                raise DamagedBundle(damaged(name))
            body.append(chunk)
            if len(chunk) < BODY_COLUMNS:
                break
        stanzas.append(Stanza(fields[0].decode("ascii"),
                              tuple(f.decode("ascii") for f in fields[1:]),
                              _b64(b"".join(body), name)))


def check_passphrase_header(data: bytes, name: str) -> int:
    """The scrypt work factor of a passphrase-encrypted age file, once its header is found
    safe to hand to pyrage; raises NotABundle, DamagedBundle or RefusedBundle otherwise."""
    header = parse_header(data, name)
    kinds = [s.type for s in header.stanzas]
    if "scrypt" not in kinds:
        listed = ", ".join(dict.fromkeys(kinds)) or "no recipient"
        raise NotABundle(f"{name} is not a Cluster Atlas bundle: it is encrypted to a key "
                         f"({listed}), not with a passphrase. Bundles are made with a passphrase "
                         "(`age -p`).")
    if len(kinds) != 1:
        raise RefusedBundle(f"{name} was not opened: its age header holds {len(kinds):,} "
                            "recipient stanzas, and a passphrase (scrypt) stanza must be the only "
                            "one. The file was altered or made to stall Cluster Atlas.")
    stanza = header.stanzas[0]
    if (len(stanza.args) != 2 or not _WORK_FACTOR.match(stanza.args[1].encode())
            or len(_b64(stanza.args[0].encode(), name)) != SCRYPT_SALT_BYTES
            or len(stanza.body) != MAC_BYTES):
        raise DamagedBundle(damaged(name))
    work_factor = int(stanza.args[1])
    if work_factor > MAX_WORK_FACTOR:
        raise RefusedBundle(
            f"{name} was not opened: its passphrase key derivation asks for a work factor of "
            f"2^{work_factor}, which needs {_gib(scrypt_memory(work_factor))} of memory; Cluster "
            f"Atlas accepts up to 2^{MAX_WORK_FACTOR} "
            f"({_gib(scrypt_memory(MAX_WORK_FACTOR))}). If you made this file, encrypt it again "
            "with `age -p` or pack it again.")
    return work_factor
