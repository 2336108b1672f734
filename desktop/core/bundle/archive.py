"""The unencrypted inside of a bundle: a ZIP of manifest.json and Parquet tables, in memory.

`bundle_to_zip` and `bundle_from_zip` never touch the disk: decrypted bytes must not land in a
file. Reading treats the archive as hostile (it may be hand-made): sizes come from the central
directory and are checked before anything is inflated, and every member is read with a bound.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from desktop.core import model
from desktop.core.bundle.manifest import MANIFEST_FILE, decode_manifest, encode_manifest
from desktop.core.bundle.members import (
    member_bytes,
    open_archive,
    present_tables,
    read_member,
    table_files,
)
from desktop.core.bundle.schema import check_value_keys
from desktop.core.bundle.tables import decode_table, encode_table
from desktop.core.errors import BundleContentError
from desktop.core.geometry.display import display_table, stored_display
from desktop.core.model import Bundle

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


def bundle_from_zip(data: bytes | list[bytes], name: str, progress: Progress | None = None
                    ) -> Bundle:
    """Parse decrypted ZIP bytes into a Bundle; `name` is the bundle's file name for messages.

    Given the bytes in a one-item list, the function takes them out of it and lets them go
    as soon as the values table is decoded: at England scale the payload (300 MB) then never
    sits beside the decoded geometry as well as the values (the opening's memory peak).
    """
    if isinstance(data, list):
        data = data.pop()
    archive = open_archive(data, name)
    with archive:
        manifest, raw = decode_manifest(read_member(archive, MANIFEST_FILE, name), name)
        files = table_files(raw, name)
        members: dict[str, bytes] = {}
        for table in present_tables(archive, files, name):
            if table != "values":  # small: copied out, so the payload can go after the values
                members[table] = member_bytes(data, archive, files[table], name, copy=True)
        if progress:
            progress(0.0, "Reading values")
        values = _decode(member_bytes(data, archive, files["values"], name), "values",
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
    check_value_keys(zip(ind_names.take(ind_codes[starts]), per_names.take(per_codes[starts])),
                     manifest, name)


def _factorized(column: pd.Series) -> tuple[np.ndarray, pd.Index]:
    """Integer codes (-1 for missing) and labels of a key column, free for a Categorical."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        return column.array.codes, column.cat.categories
    codes, labels = pd.factorize(column)
    return codes, pd.Index(labels)


def parquet_row_groups(data: bytes) -> int:
    """Number of row groups in Parquet bytes (used by tests and diagnostics)."""
    return pq.ParquetFile(io.BytesIO(data)).num_row_groups

