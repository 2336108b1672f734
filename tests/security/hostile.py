"""Tools for the hostile-input tests: rebuild a bundle's ZIP with altered members, age headers
built as bombs (HEADER_BOMBS), and run a reader under a time and memory budget.

The budgets are generous (a shared 2-core machine) but finite: a hang or a runaway allocation
fails the test instead of passing slowly.
"""

from __future__ import annotations

import base64
import io
import os
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


def set_directory_offset(zip_bytes: bytes, offset: int) -> bytes:
    """Make the end record say the central directory starts at `offset`."""
    raw = bytearray(zip_bytes)
    struct.pack_into("<I", raw, raw.rfind(b"PK\x05\x06") + 16, offset & 0xFFFFFFFF)
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


# --- age headers built to freeze or kill the app before any passphrase is checked -----------

def _b64(raw: bytes) -> bytes:
    return base64.b64encode(raw).rstrip(b"=")


def scrypt_stanza(work_factor: object = 18, salt: bytes | None = None) -> bytes:
    salt_text = _b64(os.urandom(16)) if salt is None else salt
    factor = work_factor if isinstance(work_factor, bytes) else str(work_factor).encode()
    return b"-> scrypt " + salt_text + b" " + factor + b"\n" + _b64(os.urandom(32)) + b"\n"


def x25519_stanza() -> bytes:
    return b"-> X25519 " + _b64(os.urandom(32)) + b"\n" + _b64(os.urandom(32)) + b"\n"


def age_file(*stanzas: bytes, mac: bool = True, payload: bytes = b"\x00" * 96) -> bytes:
    """An age v1 file with the given stanzas; the MAC and payload are random (no stanza of
    these must ever reach a key derivation, so they need not be right)."""
    header = b"age-encryption.org/v1\n" + b"".join(stanzas)
    return header + (b"--- " + _b64(os.urandom(32)) + b"\n" if mac else b"") + payload


def armored(data: bytes) -> bytes:
    body = base64.b64encode(data)
    lines = [body[i:i + 64] for i in range(0, len(body), 64)]
    return (b"-----BEGIN AGE ENCRYPTED FILE-----\n" + b"\n".join(lines)
            + b"\n-----END AGE ENCRYPTED FILE-----\n")


# (id, file bytes, expected error class name, words in the message)
HEADER_BOMBS = [
    ("work factor 2^22 (4 GiB of scrypt)", age_file(scrypt_stanza(22)), "RefusedBundle",
     "2^22, which needs 4 GiB"),
    ("work factor 2^30", age_file(scrypt_stanza(30)), "RefusedBundle", "1024 GiB"),
    ("work factor 2^63", age_file(scrypt_stanza(63)), "RefusedBundle", "2^63"),
    ("work factor with a leading zero", age_file(scrypt_stanza("018")), "DamagedBundle",
     "damaged"),
    ("work factor 0", age_file(scrypt_stanza(0)), "DamagedBundle", "damaged"),
    ("work factor not a number", age_file(scrypt_stanza("x")), "DamagedBundle", "damaged"),
    ("two scrypt stanzas", age_file(scrypt_stanza(), scrypt_stanza()), "RefusedBundle",
     "holds 2 recipient stanzas"),
    ("scrypt beside an X25519 key", age_file(x25519_stanza(), scrypt_stanza()),
     "RefusedBundle", "must be the only"),
    ("20,000 scrypt stanzas", age_file(*[scrypt_stanza()] * 20_000), "RefusedBundle",
     "longer than 4,096 bytes"),
    ("20,000 scrypt stanzas, armored", armored(age_file(*[scrypt_stanza()] * 20_000)),
     "RefusedBundle", "longer than 4,096 bytes"),
    ("a stanza body of 5,000 bytes", age_file(
        b"-> scrypt " + _b64(os.urandom(16)) + b" 18\n"
        + b"".join(_b64(os.urandom(48)) + b"\n" for _ in range(80)) + b"\n"),
     "RefusedBundle", "longer than"),
    ("a 1 MB line with no end", b"age-encryption.org/v1\n-> scrypt " + b"A" * 1_000_000,
     "RefusedBundle", "longer than"),
    ("no MAC line", age_file(scrypt_stanza(), mac=False, payload=b""), "DamagedBundle",
     "damaged"),
    ("salt in non-canonical base64", age_file(scrypt_stanza(salt=b"AAAAAAAAAAAAAAAAAAAAAB")),
     "DamagedBundle", "damaged"),
    ("salt of 8 bytes", age_file(scrypt_stanza(salt=_b64(b"12345678"))), "DamagedBundle",
     "damaged"),
    ("body line of 65 columns", age_file(b"-> scrypt " + _b64(os.urandom(16)) + b" 18\n"
                                         + b"A" * 65 + b"\n"), "DamagedBundle", "damaged"),
    ("control character in an argument", age_file(scrypt_stanza(b"1\x078")), "DamagedBundle",
     "damaged"),
    ("only a key stanza", age_file(x25519_stanza()), "NotABundle", "encrypted to a key"),
]


# --- tables with shapes the map cannot draw --------------------------------------------------

def areas_parquet(areas, geometries=None) -> bytes:
    """areas.parquet of `areas` (a GeoDataFrame) with its geometry replaced."""
    import geopandas as gpd

    from desktop.core.bundle.tables import encode_table

    if geometries is not None:
        areas = areas.set_geometry(gpd.GeoSeries(list(geometries), crs=areas.crs))
    return encode_table("areas", areas)


def with_geo_crs(parquet: bytes, crs: object) -> bytes:
    """The same GeoParquet with its geo metadata's CRS replaced."""
    import json

    import pyarrow.parquet as pq

    table = pq.read_table(io.BytesIO(parquet))
    geo = json.loads(table.schema.metadata[b"geo"])
    geo["columns"]["geometry"]["crs"] = crs
    buffer = io.BytesIO()
    pq.write_table(table.replace_schema_metadata(
        {**table.schema.metadata, b"geo": json.dumps(geo).encode()}), buffer)
    return buffer.getvalue()
