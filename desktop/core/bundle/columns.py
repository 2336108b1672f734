"""Parquet columns to pandas with as little memory as the result itself.

At England scale the values table is 41 M rows: converting it the obvious way (read the whole
Arrow table, then `to_pandas`, then retype) holds two or three copies of it and touches gigabytes
of fresh memory. `read_columns` instead allocates each final numpy column once and fills it one
row group at a time, so only one row group of Arrow data is alive beside the result. Text key
columns become pandas Categorical straight from the Parquet dictionaries (integer codes, one
Python string per distinct value), number columns float64 with NaN for nulls, or float32 in
tables of COMPACT_FROM rows or more where that is exact (see _Floats).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from desktop.core import bigarrays

_CODE_TYPES = (np.int8, np.int16, np.int32)  # what pandas keeps for Categorical codes
COMPACT_FROM = 5_000_000  # rows from which number columns exact in float32 are kept so


def _code_type(n_categories: int) -> type[np.signedinteger]:
    """The codes dtype pandas would coerce to for this many categories (so no later copy)."""
    return next(t for t in _CODE_TYPES if n_categories < np.iinfo(t).max)


def _is_text(arrow_type: pa.DataType) -> bool:
    return pa.types.is_string(arrow_type) or pa.types.is_large_string(arrow_type)


def _is_number(arrow_type: pa.DataType) -> bool:
    return (pa.types.is_null(arrow_type) or pa.types.is_integer(arrow_type)
            or pa.types.is_floating(arrow_type) or pa.types.is_decimal(arrow_type))


class _Codes:
    """One categorical column being filled: codes in the smallest dtype, categories in order of
    first appearance across row groups (each row group has its own Parquet dictionary)."""

    def __init__(self, n_rows: int) -> None:
        self.codes = bigarrays.zeros(n_rows, np.int8)
        self.categories = pa.array([], pa.string())
        self._last: tuple[pa.Array, np.ndarray] | None = None
        self._filled = 0  # rows are filled in order

    def _mapping(self, dictionary: pa.Array) -> np.ndarray:
        """Category position of each dictionary entry, adding new categories; reused while row
        groups repeat the same dictionary (the usual case)."""
        if self._last is not None and self._last[0].equals(dictionary):
            return self._last[1]
        dictionary = dictionary.cast(pa.string())
        found = pc.index_in(dictionary, value_set=self.categories)
        new = pc.drop_null(pc.unique(dictionary.filter(pc.is_null(found))))
        if len(new):
            self.categories = pa.concat_arrays([self.categories, new])
            found = pc.index_in(dictionary, value_set=self.categories)
        found = pc.fill_null(found, -1)  # a null dictionary entry is a missing key
        wanted = _code_type(len(self.categories))
        if wanted != self.codes.dtype:  # widen, copying only the rows filled so far
            wider = bigarrays.zeros(self.codes.size, wanted)
            wider[:self._filled] = self.codes[:self._filled]
            self.codes = wider
        mapping = np.append(found.to_numpy(zero_copy_only=False), -1).astype(wanted)
        self._last = (dictionary, mapping)
        return mapping

    def fill(self, start: int, chunk: pa.Array) -> None:
        if not pa.types.is_dictionary(chunk.type):
            chunk = chunk.dictionary_encode()
        mapping = self._mapping(chunk.dictionary)
        out = self.codes[start:start + len(chunk)]
        if chunk.null_count == 0 and mapping.size == 2:  # one key in the whole chunk
            out[:] = mapping[0]
        elif chunk.null_count == 0 and np.array_equal(mapping[:-1], np.arange(mapping.size - 1)):
            out[:] = chunk.indices.to_numpy()  # the dictionary is the categories so far
        else:
            out[:] = mapping[pc.fill_null(chunk.indices, mapping.size - 1).to_numpy()]
        self._filled = start + len(chunk)

    def result(self) -> pd.Categorical:
        categories = pd.Index(self.categories.to_pylist(), dtype="str")
        return pd.Categorical.from_codes(self.codes, dtype=pd.CategoricalDtype(categories),
                                         validate=False)


class _Floats:
    """One number column being filled: float64, or (large tables) float32 for as long as every
    number comes back from float32 bit for bit (whole counts below 2**24, halves, NaN). The
    first chunk that would round widens the column to float64, copying the rows filled so far,
    so the result always holds exactly the numbers of the file; readers widen float32 slices
    before any arithmetic. At 41 M rows a float32 column is 165 MB instead of 330 MB."""

    def __init__(self, n_rows: int, compact: bool) -> None:
        self.values = bigarrays.zeros(n_rows, np.float32 if compact else np.float64)

    def fill(self, start: int, chunk: pa.Array) -> None:
        stop = start + len(chunk)
        if self.values.dtype == np.float64:
            _fill_floats(self.values[start:stop], chunk)
            return
        wide = np.empty(len(chunk))
        _fill_floats(wide, chunk)
        with np.errstate(over="ignore"):  # a number beyond float32 fails the check below
            narrow = wide.astype(np.float32)
        if not np.array_equal(narrow.astype(np.float64).view(np.int64), wide.view(np.int64)):
            wider = bigarrays.zeros(self.values.size, np.float64)
            wider[:start] = self.values[:start]  # rows are filled in order
            self.values, narrow = wider, wide
        self.values[start:stop] = narrow


def read_columns(parquet: pq.ParquetFile, columns: list[str],
                 dictionary: tuple[str, ...]) -> pd.DataFrame | None:
    """The columns as a DataFrame (those in `dictionary` Categorical, the rest float64), read
    one row group at a time into preallocated arrays; None when a column is of another kind
    (the caller then takes the general path)."""
    schema = parquet.schema_arrow
    types = {col: schema.field(col).type for col in columns}
    types = {col: t.value_type if pa.types.is_dictionary(t) else t for col, t in types.items()}
    if not all((col in dictionary and _is_text(t)) or (col not in dictionary and _is_number(t))
               for col, t in types.items()):
        return None
    n_rows = parquet.metadata.num_rows
    keys = {col: _Codes(n_rows) for col in columns if col in dictionary}
    numbers = {col: _Floats(n_rows, n_rows >= COMPACT_FROM) for col in columns
               if col not in dictionary}
    start = 0
    for group in range(parquet.num_row_groups):
        table = parquet.read_row_group(group, columns=columns)
        for col in columns:
            offset = start
            for chunk in table.column(col).chunks:
                if col in keys:
                    keys[col].fill(offset, chunk)
                else:
                    numbers[col].fill(offset, chunk)
                offset += len(chunk)
        start += table.num_rows
        del table
    if start != n_rows:
        raise ValueError(f"the row groups hold {start} rows where the footer says {n_rows}")
    out = {col: keys[col].result() if col in keys else numbers[col].values for col in columns}
    return pd.DataFrame(out, copy=False)


def _fill_floats(out: np.ndarray, chunk: pa.Array) -> None:
    """Copy a numeric Arrow chunk into `out` as float64, NaN where null: float64 data is read
    in place from its buffer (no temporary copy per chunk), the nulls set from the bitmap."""
    if not pa.types.is_float64(chunk.type):
        out[:] = chunk.cast(pa.float64(), safe=False).to_numpy(zero_copy_only=False)
        return
    data = chunk.buffers()[1]
    out[:] = np.frombuffer(data, dtype=np.float64, count=len(chunk) + chunk.offset
                           )[chunk.offset:] if data is not None else np.nan
    if chunk.null_count:
        out[pc.is_null(chunk).to_numpy(zero_copy_only=False)] = np.nan


def to_pandas(parquet: pq.ParquetFile, columns: list[str],
              dictionary: tuple[str, ...] = ()) -> pd.DataFrame:
    """Any table, column by column, so the Arrow copy of only one column is alive beside the
    pandas table, and without pandas' own metadata: the tables are plain columns, and a damaged
    metadata block must not decide how they are read. Text columns in `dictionary` become
    pandas Categorical (one string per distinct value)."""
    out = {}
    for col in columns:
        column = parquet.read(columns=[col]).column(0)
        if col in dictionary and _is_text(column.type):
            column = column.dictionary_encode()
        out[col] = column.to_pandas()
        del column
    return pd.DataFrame(out, copy=False)
