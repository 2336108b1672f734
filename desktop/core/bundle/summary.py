"""What a bundle holds, for `cluster-atlas inspect`: read with Arrow, without pandas.

The summary runs the checks opening runs on what it shows, and refuses a bundle opening would
refuse, with the same message: the archive's sizes and members (members), the manifest, every
table's Parquet footer and schema (schema), the key columns of every table (never empty,
unique where they must be), the shapes of the areas and schools, the display table's areas,
and every value's indicator and period against the manifest. It reads only the columns these
checks and the summary need (the values table's three key columns, as dictionaries: never its
numbers) and row counts from the Parquet footers; no statistics, no map. encrypted.read_summary
decrypts a bundle file and hands its ZIP to summary_from_zip.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import shapely

from desktop.core.bundle.manifest import MANIFEST_FILE, decode_manifest
from desktop.core.bundle.members import (
    member_bytes,
    open_archive,
    present_tables,
    read_member,
    table_files,
)
from desktop.core.bundle.schema import (
    DICTIONARY_COLUMNS,
    GEOMETRY_TYPES,
    KEY_COLUMNS,
    UNIQUE_COLUMNS,
    check_keys,
    check_schema,
    check_shapes,
    check_value_keys,
    is_bundle_crs,
    parquet_file,
)
from desktop.core.errors import BundleContentError
from desktop.core.model import Manifest
from desktop.core.text import clean, needs_cleaning

# the columns the summary shows, besides those its checks read
_SHOWN = {"areas": ("cluster",), "schools": ("cluster",), "clusters": ("cluster",)}


@dataclass(frozen=True)
class BundleSummary:
    """A bundle's manifest, its clusters with their areas and schools, and its row counts."""

    manifest: Manifest
    cluster_names: tuple[str, ...]
    areas_per_cluster: dict[str, int]  # areas in no cluster are not counted here
    schools_per_cluster: dict[str, int]
    unclustered_areas: int
    counts: dict[str, int | None]  # areas, schools, values, flows (None without the table)

    def as_json(self) -> dict[str, Any]:
        """What `cluster-atlas inspect --json` prints: counts and indicator metadata."""
        manifest = self.manifest
        return {
            "format_version": manifest.format_version,
            "title": manifest.title,
            "area_name": manifest.area_name,
            "created": manifest.created,
            "areas": self.counts["areas"],
            "clusters": [{"name": c, "areas": self.areas_per_cluster.get(c, 0),
                          "schools": self.schools_per_cluster.get(c, 0)}
                         for c in self.cluster_names],
            "indicators": [{"id": ind.id, "title": ind.title, "theme": ind.theme,
                            "value_type": ind.value_type.value, "periods": list(ind.periods),
                            "synthetic": ind.synthetic} for ind in manifest.indicators],
            "themes": list(manifest.themes),
            "schools": self.counts["schools"],
            "flows": self.counts["flows"],
        }


def summary_from_zip(data, name: str) -> BundleSummary:
    """The summary of a bundle's decrypted ZIP, checked as bundle_from_zip checks it (values
    first, then the other tables, then the values' keys against the manifest)."""
    with open_archive(data, name) as archive:
        manifest, raw = decode_manifest(read_member(archive, MANIFEST_FILE, name), name)
        files = table_files(raw, name)
        present = present_tables(archive, files, name)
        columns: dict[str, dict[str, pa.ChunkedArray]] = {}
        counts: dict[str, int] = {}

        def read(table: str) -> list[tuple[str, str]]:
            columns[table], counts[table], pairs = _table_columns(
                table, member_bytes(data, archive, files[table], name), f"{name}: {files[table]}")
            return pairs

        pairs = read("values")
        for table in present:
            if table != "values":
                read(table)
    check_value_keys(pairs, manifest, name)
    display = columns.get("display")
    if display is not None and (_texts(display["area_code"])
                                != _texts(columns["areas"]["area_code"])):
        raise BundleContentError(f"{name}: the display table does not list the same areas, in "
                                 "the same order, as the areas table. Rebuild the bundle with "
                                 "cluster-atlas pack.")
    areas = _per_cluster(columns["areas"]["cluster"])
    return BundleSummary(
        manifest=manifest,
        cluster_names=tuple(_texts(columns["clusters"]["cluster"])),
        areas_per_cluster=areas,
        schools_per_cluster=_per_cluster(columns["schools"].get("cluster")),
        unclustered_areas=columns["areas"]["cluster"].null_count,
        counts={"areas": counts["areas"], "schools": counts["schools"],
                "values": counts["values"], "flows": counts.get("flows")})


def _table_columns(table: str, data, where: str
                   ) -> tuple[dict[str, pa.ChunkedArray], int, list[tuple[str, str]]]:
    """The columns of one table that the checks and the summary read, checked; its rows; and
    for the values, their (indicator, period) keys in the order of the rows."""
    present = check_schema(table, parquet_file(data, where).schema_arrow, where)
    wanted = [c for c in dict.fromkeys((*KEY_COLUMNS[table], *_SHOWN.get(table, ())))
              if c in present]
    parquet = parquet_file(data, where, [c for c in DICTIONARY_COLUMNS.get(table, ())
                                         if c in wanted])
    geo = (parquet.schema_arrow.metadata or {}).get(b"geo")
    if table in GEOMETRY_TYPES and geo is not None and not is_bundle_crs(geo):
        return _reprojected(table, data, where, wanted)
    columns = [*wanted, *(["geometry"] if table in GEOMETRY_TYPES else [])]
    kept, missing, pairs, rows = [], dict.fromkeys(KEY_COLUMNS[table], 0), [], 0
    try:  # a row group at a time, the values' let go once their keys are taken
        for group in range(parquet.num_row_groups):
            part = parquet.read_row_group(group, columns=columns, use_threads=False)
            rows += part.num_rows
            for col in missing:
                missing[col] += part.column(col).null_count
            if table != "values":
                kept.append(part)
            elif not any(missing.values()):  # keys with gaps are refused below
                pairs += _value_pairs(part)
        if rows != parquet.metadata.num_rows:
            raise ValueError(f"the row groups hold {rows} rows where the footer says "
                             f"{parquet.metadata.num_rows}")
    except (pa.ArrowException, OSError, ValueError, TypeError, KeyError, IndexError) as exc:
        raise BundleContentError(f"{where} cannot be read ({exc!r}).") from exc
    read = (None if table == "values" else pa.concat_tables(kept) if kept
            else parquet.read(columns=columns))  # no row group: the empty columns
    found = {} if read is None else {col: read.column(col) for col in wanted}
    unique = UNIQUE_COLUMNS.get(table)
    check_keys(table, missing, _first_repeat(found[unique]) if unique else None, where)
    if table in GEOMETRY_TYPES:
        wkb = np.array(read.column("geometry").to_pylist(), dtype=object)  # no pandas
        try:
            geometry = shapely.from_wkb(wkb)
        except shapely.errors.GEOSException as exc:
            raise BundleContentError(f"{where}: column 'geometry' is not valid WKB ({exc})."
                                     ) from exc
        key = KEY_COLUMNS[table][0]
        check_shapes(table, geometry, np.asarray(_texts(found[key]), dtype=object), where)
    return found, rows, pairs


def _reprojected(table: str, data, where: str, wanted: list[str]
                 ) -> tuple[dict[str, pa.ChunkedArray], int, list[tuple[str, str]]]:
    """A table of shapes in another coordinate system (hand-made): read and checked as opening
    reads it (reprojected through geopandas), its shown columns taken back as Arrow."""
    from desktop.core.bundle.tables import decode_table

    frame = decode_table(table, data, where)
    return ({col: pa.chunked_array([pa.array(frame[col], from_pandas=True)]) for col in wanted},
            len(frame), [])


def _first_repeat(column: pa.ChunkedArray) -> str | None:
    """The first value that repeats an earlier one in the column, or None."""
    if len(pc.unique(column)) == len(column):
        return None
    seen: set = set()
    for value in column.to_pylist():
        if value in seen:
            return value
        seen.add(value)
    return None


def _texts(column: pa.ChunkedArray) -> list[str | None]:
    """A text column's values as opening shows them (without characters Word cannot hold:
    one scan, and cleaning value by value only when something needs it)."""
    texts = column.to_pylist()
    if not needs_cleaning("".join(v for v in texts if isinstance(v, str))):
        return texts
    return [clean(v) if isinstance(v, str) else v for v in texts]


def _per_cluster(column: pa.ChunkedArray | None) -> dict[str, int]:
    """Rows per cluster name (cleaned as opening cleans them); missing names not counted."""
    counts: Counter[str] = Counter()
    if column is None:  # a table without the optional column
        return {}
    for entry in pc.value_counts(column.drop_null()).to_pylist():
        counts[clean(entry["values"])] += entry["counts"]
    return dict(counts)


def _value_pairs(part: pa.Table) -> list[tuple[str, str]]:
    """The (indicator, period) keys of rows of the values table, in their order, from its
    dictionary-encoded key columns one chunk at a time (no string per row)."""
    pairs: list[tuple[str, str]] = []
    inds, pers = part.column("indicator_id"), part.column("period")
    if [len(c) for c in inds.chunks] != [len(c) for c in pers.chunks]:  # not read alike
        inds, pers = (pa.chunked_array([c.unify_dictionaries().combine_chunks()])
                      for c in (inds, pers))
    for ind, per in zip(_dictionaries(inds), _dictionaries(pers)):
        ind_codes, per_codes = _codes(ind.indices), _codes(per.indices)
        combined = ind_codes * max(len(per.dictionary), 1) + per_codes
        change = np.r_[True, combined[1:] != combined[:-1]] if combined.size else []
        starts = np.flatnonzero(change)
        ind_names, per_names = ind.dictionary.to_pylist(), per.dictionary.to_pylist()
        pairs += [(ind_names[ind_codes[k]], per_names[per_codes[k]]) for k in starts]
    return pairs


def _dictionaries(column: pa.ChunkedArray) -> list[pa.DictionaryArray]:
    """The column's chunks as dictionary arrays."""
    return [chunk if pa.types.is_dictionary(chunk.type) else chunk.dictionary_encode()
            for chunk in column.chunks]


def _codes(indices: pa.Array) -> np.ndarray:
    """A dictionary's integer indices (never null: the keys are checked) as int64, read from
    their buffer (Arrow's own conversion would import pandas)."""
    kind = "int" if pa.types.is_signed_integer(indices.type) else "uint"
    return np.frombuffer(indices.buffers()[1], dtype=f"{kind}{indices.type.bit_width}",
                         count=len(indices) + indices.offset)[indices.offset:].astype(np.int64)
