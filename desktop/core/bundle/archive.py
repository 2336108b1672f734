"""The unencrypted inside of a bundle: a ZIP of manifest.json and Parquet tables, in memory.

`bundle_to_zip` and `bundle_from_zip` never touch the disk: decrypted bytes must not land in a
file. Reading treats the archive as hostile (it may be hand-made): sizes come from the central
directory and are checked before anything is inflated, and every member is read with a bound.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from collections.abc import Callable

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from desktop.core import model
from desktop.core.bundle.manifest import MANIFEST_FILE, decode_manifest, encode_manifest
from desktop.core.bundle.tables import decode_table, encode_table
from desktop.core.errors import BundleContentError, DamagedBundle, NotABundle
from desktop.core.geometry.display import display_table, stored_display
from desktop.core.model import Bundle

MAX_TOTAL_UNCOMPRESSED = 4 * 1024**3  # a county bundle is tens of MB, England a few hundred
MAX_MEMBER = 1024**3  # one table: England's values, the largest, is about 300 MB of Parquet
MAX_RATIO = 200  # deflate tops out near 1032:1; Parquet inside a ZIP rarely exceeds 10:1
RATIO_CHECK_FROM = 16 * 1024**2  # small members (the manifest) may compress well, harmlessly
_READ_CHUNK = 1024**2
# ZIP local file header: signature, (version), flags, method, (time, date, crc, sizes), name
# and extra-field lengths; the sizes and CRC come from the central directory instead.
_LOCAL_HEADER = struct.Struct("<4s2xHH16xHH")

Progress = Callable[[float, str], None]


def bundle_to_zip(bundle: Bundle, progress: Progress | None = None) -> bytes:
    """Serialise a bundle to ZIP bytes (manifest.json first, then the tables)."""
    tables = {name: getattr(bundle, name) for name in model.TABLE_FILES}
    if tables["display"] is None:  # seconds at England scale: done once here, not every open
        tables["display"] = display_table(bundle.areas)
    present = {name: model.TABLE_FILES[name] for name, df in tables.items() if df is not None}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(MANIFEST_FILE, encode_manifest(bundle.manifest, present))
        for i, (name, file_name) in enumerate(present.items()):
            if progress:
                progress(i / len(present), f"Writing {name}")
            # Parquet is compressed already: stored, a member is read in place, with no inflate
            archive.writestr(file_name, encode_table(name, tables[name]),
                             compress_type=zipfile.ZIP_STORED)
    return buffer.getvalue()


class BufferFile(io.RawIOBase):
    """A read-only, seekable file over any buffer, without copying it (io.BytesIO copies
    anything but bytes): the decrypted payload arrives in a memory map (age_process)."""

    def __init__(self, buffer) -> None:
        super().__init__()
        self._view = memoryview(buffer).cast("B")
        self._pos = 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._pos

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        position = (0, self._pos, len(self._view))[whence] + offset
        if position < 0:
            raise ValueError(f"negative seek value {position}")
        self._pos = position
        return position

    def readinto(self, target) -> int:
        chunk = self._view[self._pos:self._pos + len(target)]
        target[:len(chunk)] = chunk
        self._pos += len(chunk)
        return len(chunk)

    def close(self) -> None:
        self._view.release()
        super().close()


def bundle_from_zip(data: bytes | list[bytes], name: str,
                    progress: Progress | None = None) -> Bundle:
    """Parse decrypted ZIP bytes into a Bundle; `name` is the bundle's file name for messages.

    Given the bytes in a one-item list, the function takes them out of it and lets them go
    as soon as the values table is decoded: at England scale the payload (300 MB) then never
    sits beside the decoded geometry as well as the values (the opening's memory peak).
    """
    if isinstance(data, list):
        data = data.pop()
    try:
        archive = zipfile.ZipFile(io.BytesIO(data) if isinstance(data, bytes) else BufferFile(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError) as exc:
        raise NotABundle(f"{name} is not a Cluster Atlas bundle: it decrypts, but what is "
                         "inside is not a ZIP archive.") from exc
    with archive:
        check_sizes(archive, name, len(data))
        if MANIFEST_FILE not in archive.NameToInfo:
            raise NotABundle(f"{name} is not a Cluster Atlas bundle: its archive has no "
                             f"{MANIFEST_FILE}.")
        manifest, raw = decode_manifest(read_member(archive, MANIFEST_FILE, name), name)
        files = _table_files(raw, name)
        wanted = [t for t in model.TABLE_FILES if t not in model.OPTIONAL_TABLES or
                  files[t] in archive.NameToInfo]
        members: dict[str, bytes] = {}
        for table in wanted:
            if files[table] not in archive.NameToInfo:
                raise BundleContentError(f"{name} has no {files[table]} table; the {table} "
                                         "table is required. Rebuild the bundle with "
                                         "cluster-atlas pack.")
            if table != "values":  # small: copied out, so the payload can go after the values
                members[table] = _member(data, archive, files[table], name, copy=True)
        if progress:
            progress(0.0, "Reading values")
        values = _decode(_member(data, archive, files["values"], name), "values",
                         f"{name}: {files['values']}")
    del archive, data  # the decrypted payload is not needed any more
    tables: dict[str, object] = {"values": values}
    for i, table in enumerate(list(members)):
        if progress:
            progress(0.8 + 0.2 * i / len(members), f"Reading {table}")
        tables[table] = _decode(members.pop(table), table, f"{name}: {files[table]}")
    _check_indicators(tables["values"], manifest, name)
    return Bundle(manifest=manifest, areas=tables["areas"], clusters=tables["clusters"],
                  schools=tables["schools"], values=tables["values"],
                  flows=tables.get("flows"), display=_matching_display(tables, name),
                  age_bands=tables.get("age_bands"), school_pupils=tables.get("school_pupils"),
                  postcodes=tables.get("postcodes"))


def _member(data: bytes, archive: zipfile.ZipFile, file_name: str, name: str,
            copy: bool = False) -> bytes | bytearray | memoryview:
    """A member's bytes: a stored one in place (or copied), any other read with its bounds."""
    member = stored_member(data, archive, file_name)
    if member is None:
        return read_member(archive, file_name, name)
    return bytes(member) if copy else member


def _decode(member: bytes | memoryview, table: str, where: str):
    frame = decode_table(table, member, where)
    del member
    # Arrow keeps freed decode buffers (3-4 times a geometry column's size) for reuse;
    # hand them back so they do not sit beside the 1.3 GB values table at England scale.
    pa.default_memory_pool().release_unused()
    return frame


def _matching_display(tables: dict, name: str):
    """The display table, which must hold the areas' codes in the areas' order."""
    display = tables.get("display")
    if display is not None and stored_display(tables["areas"], display) is None:
        raise BundleContentError(f"{name}: the display table does not list the same areas, in "
                                 "the same order, as the areas table. Rebuild the bundle with "
                                 "cluster-atlas pack.")
    return display


def check_sizes(archive: zipfile.ZipFile, name: str, size: int | None = None) -> None:
    """Refuse archives whose central directory promises absurd sizes (ZIP bombs), points
    outside the `size` bytes of the archive, or repeats a member name."""
    infos = archive.infolist()
    if len(archive.NameToInfo) != len(infos):  # two members of one name: which one is meant?
        raise DamagedBundle(f"{name} holds two archive members with the same name, so it is "
                            "ambiguous; it was not opened. Ask for a fresh copy.")
    total = sum(info.file_size for info in infos)
    if total > MAX_TOTAL_UNCOMPRESSED:
        raise DamagedBundle(f"{name} claims to hold {total / 1024**3:.1f} GiB of data, more than "
                            f"the {MAX_TOTAL_UNCOMPRESSED // 1024**3} GiB a bundle may hold; it "
                            "was not opened. Ask for a fresh copy.")
    for info in infos:
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > RATIO_CHECK_FROM and ratio > MAX_RATIO:
            raise DamagedBundle(f"{name}: {info.filename} would inflate {ratio:.0f} times "
                                "(a ZIP bomb or a damaged archive); it was not opened.")
        if info.file_size > MAX_MEMBER:
            raise DamagedBundle(f"{name}: {info.filename} would be "
                                f"{info.file_size / 1024**3:.1f} GiB uncompressed, more than the "
                                f"{MAX_MEMBER // 1024**3} GiB one table may be; it was not opened.")
        if size is not None and not 0 <= info.header_offset < size:
            raise DamagedBundle(f"{name} is damaged: its archive's directory places "
                                f"{info.filename} outside the archive. Ask for a fresh copy.")


def stored_member(data: bytes, archive: zipfile.ZipFile, member: str) -> memoryview | None:
    """A stored (uncompressed) member as a view into `data`, without copying, once its local
    header matches the central directory and its CRC-32 is right; None for anything else
    (deflated, encrypted, odd or damaged members), which `read_member` then reads or refuses
    with its own message."""
    info = archive.getinfo(member)
    start = info.header_offset
    header = data[start:start + _LOCAL_HEADER.size]
    if (info.compress_type != zipfile.ZIP_STORED or info.flag_bits & 1
            or info.compress_size != info.file_size or len(header) != _LOCAL_HEADER.size):
        return None
    magic, flags, method, name_length, extra_length = _LOCAL_HEADER.unpack(header)
    begin = start + _LOCAL_HEADER.size
    encoding = "utf-8" if flags & 0x800 else "cp437"
    if (magic != b"PK\x03\x04" or method != zipfile.ZIP_STORED or flags & 1
            or data[begin:begin + name_length].decode(encoding, "replace")
            != info.orig_filename):
        return None
    begin += name_length + extra_length
    view = memoryview(data)[begin:begin + info.file_size]
    if len(view) != info.file_size or zlib.crc32(view) != info.CRC:
        return None
    return view


def read_member(archive: zipfile.ZipFile, member: str, name: str) -> bytearray:
    """Read one member into one buffer of its declared size (no chunks joined afterwards, so
    no second copy at the peak), never more than that size (+1 byte to detect a lie)."""
    info = archive.getinfo(member)
    limit = info.file_size
    buffer = bytearray(limit)
    view = memoryview(buffer)
    received = 0
    try:
        with archive.open(info) as stream:
            while received < limit:
                got = stream.readinto(view[received:received + _READ_CHUNK])
                if not got:
                    break
                received += got
            longer = received == limit and stream.read(1)
    except (zipfile.BadZipFile, zlib.error, EOFError, ValueError) as exc:
        raise DamagedBundle(f"{name} is damaged: {member} in its archive fails its check "
                            f"({exc}). Ask for a fresh copy.") from exc
    except (NotImplementedError, RuntimeError) as exc:  # unknown method, ZIP-level password
        raise BundleContentError(f"{name}: {member} cannot be read ({exc}). Store members "
                                 "uncompressed or with deflate, without a ZIP password.") from exc
    finally:
        view.release()
    if received != limit or longer:
        held = f"more than {limit}" if longer else f"{received}"
        raise DamagedBundle(f"{name} is damaged: {member} holds {held} bytes where its "
                            f"archive says {limit}. Ask for a fresh copy.")
    return buffer


def _table_files(raw: dict, name: str) -> dict[str, str]:
    """File name of each table: the manifest's "tables" entries over the default names."""
    listed = raw.get("tables") or {}
    if not isinstance(listed, dict) or not all(isinstance(v, str) for v in listed.values()):
        raise BundleContentError(f'{name}: manifest.json "tables" must map table names to '
                                 "file names.")
    return {table: listed.get(table, default) for table, default in model.TABLE_FILES.items()}


def _check_indicators(values: pd.DataFrame, manifest: model.Manifest, name: str) -> None:
    """Every value must belong to an indicator and period the manifest lists.

    Works on runs of equal (indicator, period) codes: the writer groups rows by indicator and
    period, so 41 M rows make a few thousand runs, and an unsorted table is still right.
    """
    ind_codes, ind_names = _factorized(values["indicator_id"])
    per_codes, per_names = _factorized(values["period"])
    change = np.ones(len(values), dtype=bool)
    change[1:] = (ind_codes[1:] != ind_codes[:-1]) | (per_codes[1:] != per_codes[:-1])
    starts = np.flatnonzero(change)  # every code that occurs starts a run
    known = {ind.id for ind in manifest.indicators}
    used = np.unique(ind_codes[starts])
    unknown = sorted(set(ind_names[used[used >= 0]]) - known)
    if unknown:
        raise BundleContentError(f"{name}: values.parquet has values for indicators that "
                                 f"manifest.json does not list: {', '.join(unknown[:5])}.")
    pairs = pd.DataFrame({"indicator_id": ind_names.take(ind_codes[starts]),
                          "period": per_names.take(per_codes[starts])}).drop_duplicates()
    listed = pd.MultiIndex.from_arrays(
        [[ind.id for ind in manifest.indicators for _ in ind.periods],
         [p for ind in manifest.indicators for p in ind.periods]])
    stray = pairs[~pd.MultiIndex.from_frame(pairs).isin(listed)]
    if len(stray):
        first = stray.iloc[0]
        raise BundleContentError(
            f"{name}: values.parquet has period {first['period']!r} for indicator "
            f"{first['indicator_id']!r}, which manifest.json does not list in its periods.")


def _factorized(column: pd.Series) -> tuple[np.ndarray, pd.Index]:
    """Integer codes (-1 for missing) and labels of a key column, free for a Categorical."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        return column.array.codes, column.cat.categories
    codes, labels = pd.factorize(column)
    return codes, pd.Index(labels)


def parquet_row_groups(data: bytes) -> int:
    """Number of row groups in Parquet bytes (used by tests and diagnostics)."""
    return pq.ParquetFile(io.BytesIO(data)).num_row_groups

