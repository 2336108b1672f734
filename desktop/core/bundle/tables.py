"""Each bundle table to and from Parquet bytes, with the column types the format promises.

One schema per table (schema.TABLE_SCHEMAS) drives both directions: the writer emits exactly
these columns and types; the reader checks the file's Arrow schema against it (schema: naming
the table and column when something is missing or of the wrong kind), and returns the types
model.py documents
(text as pandas str, numbers as float64, geometry as a GeoSeries in EPSG:27700); the values
table's key columns come as pandas Categorical of str (DICTIONARY_COLUMNS), and in large
tables its number columns may be float32 where that holds them exactly (bundle_columns).
"""

from __future__ import annotations

import functools
import io

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from desktop.core import model
from desktop.core.bundle.columns import read_columns, to_pandas
from desktop.core.bundle.schema import (
    DICTIONARY_COLUMNS,
    GEOMETRY_TYPES,
    KEY_COLUMNS,
    TABLE_SCHEMAS,
    UNIQUE_COLUMNS,
    check_keys,
    check_schema,
    check_shapes,
    is_bundle_crs,
    parquet_file,
)
from desktop.core.errors import BundleContentError
from desktop.core.text import clean, needs_cleaning

VALUES_SORT = ["indicator_id", "period", "area_code"]
# Optional columns that stay out of the table when no row gives them (rather than a column of
# nulls as long as the table: 41 M rows at England scale).
SPARSE_COLUMNS = {"values": model.SPREAD_COLUMNS}


def _arrow_schema(table: str, columns: list[str]) -> pa.Schema:
    types = {"str": pa.string(), "float": pa.float64()}
    return pa.schema([(col, types[TABLE_SCHEMAS[table][col][0]]) for col in columns
                      if TABLE_SCHEMAS[table][col][0] != "geometry"])


def _typed(table: str, df: pd.DataFrame) -> pd.DataFrame:
    """The table's columns in order, with the format's dtypes; absent optional columns null,
    except sparse ones (SPARSE_COLUMNS), which stay absent.

    Categorical text columns stay categorical, with their categories made str.
    """
    out = {}
    for col, (kind, _) in TABLE_SCHEMAS[table].items():
        if col not in df.columns and col in SPARSE_COLUMNS.get(table, ()):
            continue
        series = df[col] if col in df.columns else pd.Series(np.nan, index=df.index)
        if kind == "str" and isinstance(series.dtype, pd.CategoricalDtype):
            categories = series.cat.categories
            out[col] = series if categories.dtype == "str" else \
                series.cat.rename_categories(categories.astype("str"))
            continue
        keep = kind == "geometry" or (kind == "float" and series.dtype == np.float32)
        out[col] = series if keep else series.astype("str" if kind == "str" else "float64")
    return pd.DataFrame(out, index=df.index, copy=False)  # no second copy of big tables


def encode_table(table: str, df: pd.DataFrame) -> bytes:
    """Parquet bytes for one table (GeoParquet with WKB geometry for areas and schools)."""
    buffer = io.BytesIO()
    typed = _typed(table, df)
    empty = [c for c in SPARSE_COLUMNS.get(table, ()) if c in typed and typed[c].isna().all()]
    typed = typed.drop(columns=empty)
    if table in GEOMETRY_TYPES:
        import geopandas as gpd

        crs = getattr(df, "crs", None) or model.BUNDLE_CRS
        gdf = gpd.GeoDataFrame(typed, geometry="geometry", crs=crs)
        gdf.to_crs(model.BUNDLE_CRS).to_parquet(buffer, index=False, geometry_encoding="WKB")
    elif table == "values":
        _write_values(typed, buffer)
    else:
        pq.write_table(pa.Table.from_pandas(typed, schema=_arrow_schema(table, list(typed)),
                                            preserve_index=False), buffer)
    return buffer.getvalue()


def _write_values(df: pd.DataFrame, buffer: io.BytesIO) -> None:
    """One row group per indicator, so a reader can fetch a single indicator."""
    df = df.sort_values(VALUES_SORT, kind="stable", ignore_index=True)
    arrow = pa.Table.from_pandas(df, schema=_arrow_schema("values", list(df)),
                                 preserve_index=False)
    starts = np.flatnonzero(df["indicator_id"].ne(df["indicator_id"].shift()).to_numpy())
    bounds = [*starts.tolist(), len(df)] if len(df) else [0, 0]
    with pq.ParquetWriter(buffer, arrow.schema) as writer:
        for start, stop in zip(bounds[:-1], bounds[1:]):
            writer.write_table(arrow.slice(start, stop - start))


def decode_table(table: str, data: bytes, where: str) -> pd.DataFrame:
    """Parse one table's Parquet bytes; `where` ("bundle: file") prefixes every message. A
    table of shapes is a GeoDataFrame."""
    columns = check_schema(table, parquet_file(data, where).schema_arrow, where)
    dictionary = [c for c in DICTIONARY_COLUMNS.get(table, ()) if c in columns]
    try:
        # keys decoded straight into dictionaries, never one string per row
        parquet = parquet_file(data, where, dictionary)
        if table in GEOMETRY_TYPES:
            df = _read_geo(data, parquet, columns, where)
        else:
            df = read_columns(parquet, columns, tuple(dictionary)) if dictionary else None
            if df is None:
                df = to_pandas(parquet, columns, tuple(dictionary))
    except (pa.ArrowException, OSError, ValueError, TypeError, KeyError, IndexError) as exc:
        raise BundleContentError(f"{where} cannot be read ({exc!r}).") from exc
    df = _cleaned(table, _typed(table, df.reset_index(drop=True)))
    _check_rows(table, df, where)
    if table in GEOMETRY_TYPES:
        import geopandas as gpd

        return gpd.GeoDataFrame(df, geometry="geometry", crs=bundle_crs())
    return df


def _cleaned(table: str, df: pd.DataFrame) -> pd.DataFrame:
    """Text columns without control characters Word cannot hold (desktop.core.text); the
    values table's keys are checked against the manifest instead."""
    if table == "values":
        return df
    for col, (kind, _) in TABLE_SCHEMAS[table].items():
        if kind != "str":
            continue
        texts = [v for v in df[col].dropna().unique() if isinstance(v, str)]
        if texts and needs_cleaning("".join(texts)):  # one scan; mapping is the rare case
            df[col] = df[col].map(lambda v: clean(v) if isinstance(v, str) else v)
    return df


def _read_geo(data: bytes, parquet: pq.ParquetFile, columns: list[str], where: str):
    """GeoParquet in EPSG:27700 (or plain Parquet with a WKB column) straight through shapely;
    GeoParquet in another CRS through geopandas, reprojected."""
    import shapely

    geo = (parquet.schema_arrow.metadata or {}).get(b"geo")
    if geo is not None and not is_bundle_crs(geo):
        import geopandas as gpd
        import pyproj

        try:
            gdf = gpd.read_parquet(io.BytesIO(data), columns=columns)
        except pyproj.exceptions.CRSError as exc:
            raise BundleContentError(f"{where}: its GeoParquet metadata names a coordinate "
                                     f"reference system that cannot be read ({exc}).") from exc
        if gdf.crs is None:
            gdf = gdf.set_crs(bundle_crs())
        elif gdf.crs.to_epsg() != 27700:
            gdf = gdf.to_crs(bundle_crs())
        return pd.DataFrame(gdf)
    df = to_pandas(parquet, columns)
    try:
        df["geometry"] = shapely.from_wkb(df["geometry"].to_numpy())
    except shapely.errors.GEOSException as exc:
        raise BundleContentError(f"{where}: column 'geometry' is not valid WKB ({exc}).") from exc
    return df


@functools.cache
def bundle_crs():
    """One CRS object for every table, made once and never freed.

    pyproj keeps a PROJ context per thread; a CRS made while opening a bundle in a worker
    thread and freed later on the GUI thread races with the next open and can crash. Sharing
    one immortal object (geopandas keeps it as given) avoids making any while opening.
    """
    import pyproj

    return pyproj.CRS(model.BUNDLE_CRS)


def _check_rows(table: str, df: pd.DataFrame, where: str) -> None:
    unique = UNIQUE_COLUMNS.get(table)
    repeats = df[unique].duplicated() if unique else None
    check_keys(table, {col: int(df[col].isna().sum()) for col in KEY_COLUMNS[table]},
               df.loc[repeats, unique].iloc[0] if unique and repeats.any() else None, where)
    if table in GEOMETRY_TYPES:
        check_shapes(table, df["geometry"].to_numpy(), df[KEY_COLUMNS[table][0]].to_numpy(),
                     where)
