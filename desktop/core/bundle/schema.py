"""The bundle's table schemas and the checks a table must pass, without pandas.

One schema per table (TABLE_SCHEMAS): its columns, their kinds and which are required; the
key columns that may not be empty and those that may not repeat; the kinds of shape the tables
of shapes hold. The checks work on Arrow schemas and numpy arrays, so the full reading of a
bundle (tables, archive) and the quick one of `inspect` (summary) refuse a bad table alike,
with the same message.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Literal

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from desktop.core import model
from desktop.core.errors import BundleContentError

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

# Repetitive key columns read as dictionaries: tens of millions of rows at England scale would
# otherwise each hold a Python string (gigabytes, and seconds to make).
DICTIONARY_COLUMNS = {"values": ("indicator_id", "area_code", "period"),
                      "age_bands": ("indicator_id", "area_code", "period", "age_band")}
assert all(tuple(TABLE_SCHEMAS[t]) == cols for t, cols in (
    ("areas", model.AREA_COLUMNS), ("clusters", model.CLUSTER_COLUMNS),
    ("schools", model.SCHOOL_COLUMNS), ("values", model.VALUE_COLUMNS + model.SPREAD_COLUMNS),
    ("flows", model.FLOW_COLUMNS), ("display", model.DISPLAY_COLUMNS),
    ("age_bands", model.AGE_BAND_COLUMNS), ("school_pupils", model.SCHOOL_PUPIL_COLUMNS),
    ("postcodes", model.POSTCODE_COLUMNS)))


def parquet_file(data, where: str, dictionary: Iterable[str] = ()) -> pq.ParquetFile:
    """Parquet bytes opened (its footer read, no column decoded), or a BundleContentError."""
    try:
        return pq.ParquetFile(pa.BufferReader(data), read_dictionary=list(dictionary) or None)
    except (pa.ArrowException, OSError, ValueError) as exc:
        raise BundleContentError(f"{where} is not a readable Parquet file ({exc}).") from exc


def check_schema(table: str, schema: pa.Schema, where: str) -> list[str]:
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


def is_bundle_crs(geo_metadata: bytes) -> bool:
    """True when the GeoParquet metadata says EPSG:27700 (read without pyproj)."""
    try:
        meta = json.loads(geo_metadata)
        crs = meta["columns"][meta.get("primary_column", "geometry")].get("crs")
        ident = (crs or {}).get("id") or {}
        return ident.get("authority") == "EPSG" and int(ident.get("code")) == 27700
    except (ValueError, KeyError, TypeError, AttributeError):
        return False


def check_keys(table: str, missing: Mapping[str, int], repeated: object | None,
               where: str) -> None:
    """Refuse a table whose key columns are empty in `missing` rows (by column), or whose
    unique column (UNIQUE_COLUMNS) repeats a value (`repeated`, the first row's that does)."""
    for col in KEY_COLUMNS[table]:
        if missing[col]:
            raise BundleContentError(f"{where}: column '{col}' is empty in {missing[col]} rows.")
    if repeated is not None:
        raise BundleContentError(f"{where}: '{repeated}' appears more than once in column "
                                 f"'{UNIQUE_COLUMNS[table]}'.")


def check_value_keys(pairs: Iterable[tuple[str, str]], manifest: model.Manifest,
                     name: str) -> None:
    """Every value must belong to an indicator and period the manifest lists: `pairs` are the
    (indicator, period) keys of the values table, in the order of its rows."""
    pairs = list(dict.fromkeys(pairs))
    known = {ind.id for ind in manifest.indicators}
    unknown = sorted({ind for ind, _ in pairs} - known)
    if unknown:
        raise BundleContentError(f"{name}: values.parquet has values for indicators that "
                                 f"manifest.json does not list: {', '.join(unknown[:5])}.")
    listed = {(ind.id, period) for ind in manifest.indicators for period in ind.periods}
    stray = next((pair for pair in pairs if pair not in listed), None)
    if stray is not None:
        raise BundleContentError(
            f"{name}: values.parquet has period {stray[1]!r} for indicator {stray[0]!r}, "
            "which manifest.json does not list in its periods.")


def check_shapes(table: str, geometry: np.ndarray, keys: np.ndarray, where: str) -> None:
    """Shapes the map and the exports can draw: of the table's kind, none empty, every
    coordinate finite, areas valid polygons (pack repairs self-intersections), at least one
    area. Each failure names the area or school by its key (`keys`, one per shape)."""
    import shapely

    key = KEY_COLUMNS[table][0]
    if table == "areas" and not len(geometry):
        raise BundleContentError(f"{where} holds no areas; a bundle needs at least one.")

    def refuse(bad: np.ndarray, problem: str) -> None:
        if bad.any():
            first = keys[int(np.flatnonzero(bad)[0])]
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
