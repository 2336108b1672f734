"""Each bundle table to and from Parquet bytes, with the column types the format promises.

One schema per table (TABLE_SCHEMAS) drives both directions: the writer emits exactly these
columns and types; the reader checks the file's Arrow schema against it, names the table and
column when something is missing or of the wrong kind, and returns the types model.py documents
(text as pandas str, numbers as float64, geometry as a GeoSeries in EPSG:27700); the values
table's key columns come as pandas Categorical of str (DICTIONARY_COLUMNS), and in large
tables its number columns may be float32 where that holds them exactly (bundle_columns).
"""

from __future__ import annotations

import functools
import io
import json
from typing import Literal

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from desktop.core import model
from desktop.core.bundle.columns import read_columns, to_pandas
from desktop.core.errors import BundleContentError
from desktop.core.text import clean, needs_cleaning

Kind = Literal["str", "float", "geometry"]
# table -> column -> (kind, required). Optional columns may be absent; the reader adds them null.
TABLE_SCHEMAS: dict[str, dict[str, tuple[Kind, bool]]] = {
    "areas": {"area_code": ("str", True), "area_name": ("str", True),
              "district": ("str", False), "cluster": ("str", True),
              "geometry": ("geometry", True)},
    "clusters": {"cluster": ("str", True), "description": ("str", False)},
    "schools": {"school_id": ("str", True), "name": ("str", True), "cluster": ("str", False),
                "phase": ("str", False), "school_type": ("str", False),
                "pupils": ("float", False), "geometry": ("geometry", True)},
    "values": {"indicator_id": ("str", True), "area_code": ("str", True),
               "period": ("str", True), "numerator": ("float", False),
               "denominator": ("float", False), "value": ("float", False),
               "sd": ("float", False), "se": ("float", False)},
    "age_bands": {"indicator_id": ("str", True), "area_code": ("str", True),
                  "period": ("str", True), "age_band": ("str", True),
                  "numerator": ("float", False), "denominator": ("float", True)},
    "flows": {"school_cluster": ("str", True), "home_area_code": ("str", True),
              "period": ("str", True), "pupils": ("float", True)},
    "display": {"area_code": ("str", True), "geometry": ("geometry", True)},
    "school_pupils": {"school_id": ("str", True), "home_area_code": ("str", True),
                      "period": ("str", True), "pupils": ("float", True)},
    "postcodes": {"postcode": ("str", True), "area_code": ("str", True),
                  "easting": ("float", False), "northing": ("float", False)},
}
# Columns that identify a row: never null; UNIQUE ones may not repeat either.
KEY_COLUMNS = {"areas": ("area_code",), "clusters": ("cluster",), "schools": ("school_id",),
               "values": ("indicator_id", "area_code", "period"),
               "flows": ("school_cluster", "home_area_code", "period"),
               "age_bands": ("indicator_id", "area_code", "period", "age_band"),
               "display": ("area_code",),
               "school_pupils": ("school_id", "home_area_code", "period"),
               "postcodes": ("postcode", "area_code")}
UNIQUE_COLUMNS = {"areas": "area_code", "clusters": "cluster", "schools": "school_id",
                  "display": "area_code", "postcodes": "postcode"}
GEOMETRY_TYPES = {"areas": ({3, 6}, "polygons"), "schools": ({0}, "points"),  # shapely type ids
                  "display": ({3, 6}, "polygons")}
VALUES_SORT = ["indicator_id", "period", "area_code"]
# Repetitive key columns read as pandas Categorical of str: tens of millions of rows at England
# scale would otherwise each hold a Python string (gigabytes, and seconds to make).
DICTIONARY_COLUMNS = {"values": ("indicator_id", "area_code", "period"),
                      "age_bands": ("indicator_id", "area_code", "period", "age_band")}
# Optional columns that stay out of the table when no row gives them (rather than a column of
# nulls as long as the table: 41 M rows at England scale).
SPARSE_COLUMNS = {"values": model.SPREAD_COLUMNS}

assert all(tuple(TABLE_SCHEMAS[t]) == cols for t, cols in (
    ("areas", model.AREA_COLUMNS), ("clusters", model.CLUSTER_COLUMNS),
    ("schools", model.SCHOOL_COLUMNS), ("values", model.VALUE_COLUMNS + model.SPREAD_COLUMNS),
    ("flows", model.FLOW_COLUMNS), ("display", model.DISPLAY_COLUMNS),
    ("age_bands", model.AGE_BAND_COLUMNS), ("school_pupils", model.SCHOOL_PUPIL_COLUMNS),
    ("postcodes", model.POSTCODE_COLUMNS)))


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


def decode_table(table: str, data: bytes, where: str, geodataframe: bool = True) -> pd.DataFrame:
    """Parse one table's Parquet bytes; `where` ("bundle: file") prefixes every message. A
    table of shapes is a GeoDataFrame, or with `geodataframe` False a DataFrame whose
    geometry column holds the same checked shapely shapes (geopandas never imported)."""
    try:
        parquet = pq.ParquetFile(pa.BufferReader(data))
        schema = parquet.schema_arrow
    except (pa.ArrowException, OSError, ValueError) as exc:
        raise BundleContentError(f"{where} is not a readable Parquet file ({exc}).") from exc
    columns = _check_schema(table, schema, where)
    dictionary = [c for c in DICTIONARY_COLUMNS.get(table, ()) if c in columns]
    try:
        if dictionary:  # decoded straight into dictionaries, never one string per row
            parquet = pq.ParquetFile(pa.BufferReader(data), read_dictionary=dictionary)
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
    if table in GEOMETRY_TYPES and geodataframe:
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


def _check_schema(table: str, schema: pa.Schema, where: str) -> list[str]:
    """The known columns present in the file; errors for missing or wrongly typed ones."""
    present = []
    for col, (kind, required) in TABLE_SCHEMAS[table].items():
        if col not in schema.names:
            if required:
                raise BundleContentError(f"{where} has no column '{col}', which the "
                                         "format requires.")
            continue
        arrow_type = schema.field(col).type
        if pa.types.is_dictionary(arrow_type):
            arrow_type = arrow_type.value_type
        ok = pa.types.is_null(arrow_type) or {
            "str": pa.types.is_string(arrow_type) or pa.types.is_large_string(arrow_type),
            "float": (pa.types.is_integer(arrow_type) or pa.types.is_floating(arrow_type)
                      or pa.types.is_decimal(arrow_type)),
            "geometry": pa.types.is_binary(arrow_type) or pa.types.is_large_binary(arrow_type),
        }[kind]
        if not ok:
            expected = {"str": "text", "float": "numbers", "geometry": "WKB geometry"}[kind]
            raise BundleContentError(f"{where}: column '{col}' must hold {expected}, "
                                     f"not {arrow_type}.")
        present.append(col)
    return present


def _read_geo(data: bytes, parquet: pq.ParquetFile, columns: list[str], where: str):
    """GeoParquet in EPSG:27700 (or plain Parquet with a WKB column) straight through shapely;
    GeoParquet in another CRS through geopandas, reprojected."""
    import shapely

    geo = (parquet.schema_arrow.metadata or {}).get(b"geo")
    if geo is not None and not _is_bundle_crs(geo):
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


def _is_bundle_crs(geo_metadata: bytes) -> bool:
    """True when the GeoParquet metadata says EPSG:27700 (read without pyproj)."""
    try:
        meta = json.loads(geo_metadata)
        crs = meta["columns"][meta.get("primary_column", "geometry")].get("crs")
        ident = (crs or {}).get("id") or {}
        return ident.get("authority") == "EPSG" and int(ident.get("code")) == 27700
    except (ValueError, KeyError, TypeError, AttributeError):
        return False


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
    for col in KEY_COLUMNS[table]:
        missing = int(df[col].isna().sum())
        if missing:
            raise BundleContentError(f"{where}: column '{col}' is empty in {missing} rows.")
    unique = UNIQUE_COLUMNS.get(table)
    if unique and df[unique].duplicated().any():
        repeated = df.loc[df[unique].duplicated(), unique].iloc[0]
        raise BundleContentError(f"{where}: '{repeated}' appears more than once in column "
                                 f"'{unique}'.")
    if table in GEOMETRY_TYPES:
        _check_shapes(table, df, where)


def _check_shapes(table: str, df: pd.DataFrame, where: str) -> None:
    """Shapes the map and the exports can draw: of the table's kind, none empty, every
    coordinate finite, areas valid polygons (pack repairs self-intersections), at least one
    area. Each failure names the area or school."""
    import shapely

    geometry = df["geometry"].to_numpy()
    key = KEY_COLUMNS[table][0]
    if table == "areas" and not len(df):
        raise BundleContentError(f"{where} holds no areas; a bundle needs at least one.")

    def refuse(bad: np.ndarray, problem: str) -> None:
        if bad.any():
            first = df[key].iloc[int(np.flatnonzero(bad)[0])]
            raise BundleContentError(f"{where}: {key} {first!r} {problem}. Pack the bundle again "
                                     "from corrected inputs (cluster-atlas pack).")

    allowed, label = GEOMETRY_TYPES[table]
    bad = ~np.isin(shapely.get_type_id(geometry), list(allowed))
    if bad.any():
        raise BundleContentError(f"{where}: column 'geometry' must hold {label}; row "
                                 f"{int(np.flatnonzero(bad)[0])} does not.")
    refuse(shapely.is_empty(geometry), "has an empty shape")
    refuse(~np.isfinite(shapely.bounds(geometry)).all(axis=1),
           "has coordinates that are not finite numbers")
    if table == "areas":
        invalid = ~shapely.is_valid(geometry)
        if invalid.any():
            reason = shapely.is_valid_reason(geometry[np.flatnonzero(invalid)[0]])
            refuse(invalid, f"has a boundary that is not a valid polygon ({reason})")
