"""Members of a bundle's decrypted ZIP, read as from a hostile archive, without pandas.

Sizes come from the central directory and are checked before anything is inflated (ZIP bombs,
members pointing outside the archive, repeated names); a stored member is used in place once
its local header and CRC-32 match, any other is read into one buffer of its declared size.
Shared by the full reading of a bundle (archive) and the quick one of `inspect` (summary).
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

from desktop.core import model
from desktop.core.bundle.manifest import MANIFEST_FILE
from desktop.core.errors import BundleContentError, DamagedBundle, NotABundle

MAX_TOTAL_UNCOMPRESSED = 4 * 1024**3  # a county bundle is tens of MB, England a few hundred
MAX_MEMBER = 1024**3  # one table: England's values, the largest, is about 300 MB of Parquet
MAX_RATIO = 200  # deflate tops out near 1032:1; Parquet inside a ZIP rarely exceeds 10:1
RATIO_CHECK_FROM = 16 * 1024**2  # small members (the manifest) may compress well, harmlessly
_READ_CHUNK = 1024**2
# ZIP local file header: signature, (version), flags, method, (time, date, crc, sizes), name
# and extra-field lengths; the sizes and CRC come from the central directory instead.
_LOCAL_HEADER = struct.Struct("<4s2xHH16xHH")


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


def open_archive(data, name: str) -> zipfile.ZipFile:
    """The ZIP inside a decrypted bundle, its sizes checked and its manifest present."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data) if isinstance(data, bytes) else BufferFile(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError) as exc:
        raise NotABundle(f"{name} is not a Cluster Atlas bundle: it decrypts, but what is "
                         "inside is not a ZIP archive.") from exc
    try:
        check_sizes(archive, name, len(data))
        if MANIFEST_FILE not in archive.NameToInfo:
            raise NotABundle(f"{name} is not a Cluster Atlas bundle: its archive has no "
                             f"{MANIFEST_FILE}.")
    except BaseException:
        archive.close()
        raise
    return archive


def member_bytes(data: bytes, archive: zipfile.ZipFile, file_name: str, name: str,
            copy: bool = False) -> bytes | bytearray | memoryview:
    """A member's bytes: a stored one in place (or copied), any other read with its bounds."""
    member = stored_member(data, archive, file_name)
    if member is None:
        return read_member(archive, file_name, name)
    return bytes(member) if copy else member


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


def table_files(raw: dict, name: str) -> dict[str, str]:
    """File name of each table: the manifest's "tables" entries over the default names."""
    listed = raw.get("tables") or {}
    if not isinstance(listed, dict) or not all(isinstance(v, str) for v in listed.values()):
        raise BundleContentError(f'{name}: manifest.json "tables" must map table names to '
                                 "file names.")
    return {table: listed.get(table, default) for table, default in model.TABLE_FILES.items()}


def present_tables(archive: zipfile.ZipFile, files: dict[str, str], name: str) -> list[str]:
    """The tables the archive holds (files: table_files), every required one among them."""
    for table, file_name in files.items():
        if table not in model.OPTIONAL_TABLES and file_name not in archive.NameToInfo:
            raise BundleContentError(f"{name} has no {file_name} table; the {table} table is "
                                     "required. Rebuild the bundle with cluster-atlas pack.")
    return [t for t in model.TABLE_FILES if files[t] in archive.NameToInfo]
