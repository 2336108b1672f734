"""Boundaries, the area-to-cluster lookup, cluster names and schools of a pack input folder.

Geometries are read with geopandas (pyogrio), must say which CRS they are in, and are stored in
British National Grid. Coordinates must be finite and, in a file in longitude and latitude
(which a GeoJSON file without a `crs` member always is), within their ranges: British National
Grid metres given without saying so are named as such. Self-intersecting boundaries are
repaired (GEOS make_valid, keeping the polygonal parts); one that keeps no area is refused with
its area code. In geographic files (GeoJSON, GeoPackage, Shapefile) "row N" in a message means
the Nth feature, counting from 1.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from desktop.core.errors import InputError
from desktop.core.model import AREA_COLUMNS, BUNDLE_CRS, CLUSTER_COLUMNS, SCHOOL_COLUMNS
from desktop.core.pack.read import (
    FILE,
    ROW,
    cell_text,
    fail_first,
    limit_text,
    no_duplicates,
    optional_text,
    require_columns,
    require_text,
    to_number,
)

POLYGONAL = ("Polygon", "MultiPolygon")
BNG_EXTENT = (0.0, 0.0, 700_000.0, 1_300_000.0)  # British National Grid's false-origin box
BNG_CRS_MEMBER = '"crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::27700"}}'


def read_geofile(path: Path, name: str) -> gpd.GeoDataFrame:
    """A geographic file with its attributes as text columns plus `_file`/`_row` (feature no.)."""
    try:
        gdf = gpd.read_file(path, engine="pyogrio")
    except Exception as exc:  # pyogrio/GDAL raise several types for unreadable files
        raise InputError(f"the file cannot be read as geographic data ({exc}).",
                         file=name) from exc
    if gdf.empty:
        raise InputError("the file has no features.", file=name)
    if gdf.crs is None:
        raise InputError("the file does not say which coordinate reference system it uses. "
                         "Save it with its CRS (for a shapefile, keep the .prj file beside it).",
                         file=name)
    table = {str(c).strip().lower(): gdf[c].map(cell_text).astype("str")
             for c in gdf.columns if c != gdf.geometry.name}
    out = gpd.GeoDataFrame(table, geometry=gdf.geometry.values, crs=gdf.crs)
    out[FILE] = name
    out[ROW] = np.arange(1, len(out) + 1, dtype="int64")
    return out


def _check_geometry(gdf: gpd.GeoDataFrame, types: tuple[str, ...], what: str) -> None:
    missing = gdf.geometry.isna() | gdf.geometry.is_empty
    fail_first(gdf, missing, f"this feature has no geometry; every feature must be {what}.")
    wrong = ~gdf.geometry.geom_type.isin(types)
    if wrong.any():
        kind = gdf.geometry.geom_type[wrong].iloc[0]
        fail_first(gdf, wrong, f"this feature is a {kind}; every feature must be {what}.")


def check_coordinates(gdf: gpd.GeoDataFrame, geometry, key: str, what: str,
                      degrees: bool = True) -> None:
    """Finite coordinates, and (with `degrees`, where the file's CRS is longitude/latitude)
    within their ranges; `geometry` is aligned with `gdf` (the file's rows), `key` names the
    feature in messages."""
    bounds = shapely.bounds(np.asarray(geometry))
    finite = np.isfinite(bounds).all(axis=1)
    fail_first(gdf, ~finite & ~shapely.is_empty(np.asarray(geometry)),
               f"{what} {{value}} has coordinates that are not finite numbers (infinite or not a "
               "number); correct its geometry.", key)
    if not degrees or not gdf.crs.is_geographic:
        return
    outside = finite & ((bounds[:, 0] < -180) | (bounds[:, 1] < -90) | (bounds[:, 2] > 180)
                        | (bounds[:, 3] > 90))
    if not outside.any():
        return
    coords = shapely.get_coordinates(np.asarray(geometry)[np.argmax(outside)])
    x, y = coords[(np.abs(coords[:, 0]) > 180) | (np.abs(coords[:, 1]) > 90)][0]
    x0, y0, x1, y1 = BNG_EXTENT
    hint = (f"These look like British National Grid metres (EPSG:27700): say so with a crs "
            f"member, {BNG_CRS_MEMBER}, or save the file in longitude and latitude (WGS84)."
            if (bounds[outside, 0] >= x0).all() and (bounds[outside, 1] >= y0).all()
            and (bounds[outside, 2] <= x1).all() and (bounds[outside, 3] <= y1).all() else
            "Save the file with the coordinate reference system its coordinates are in.")
    fail_first(gdf, outside, f"{what} {{value}} has coordinates such as ({x:.6g}, {y:.6g}), "
               f"outside longitude and latitude, but the file is read as longitude and latitude "
               f"({gdf.crs.name}; a GeoJSON file without a crs member always is). {hint}", key)


def _polygonal(geometry: shapely.Geometry) -> shapely.Geometry:
    """The polygons of a repaired shape (make_valid may return them in a collection beside
    lines and points); an empty polygon when there are none."""
    parts = [p for p in shapely.get_parts(geometry) if shapely.get_type_id(p) in (3, 6)]
    return shapely.union_all(parts) if parts else shapely.Polygon()


def repair_boundaries(gdf: gpd.GeoDataFrame, geometry: np.ndarray) -> np.ndarray:
    """`geometry` with self-intersecting shapes made valid; a shape left without area is an
    InputError naming the area code."""
    invalid = ~shapely.is_valid(geometry)
    if not invalid.any():
        return geometry
    repaired = geometry.copy()
    repaired[invalid] = [_polygonal(g) for g in shapely.make_valid(geometry[invalid])]
    fail_first(gdf, invalid & (shapely.area(repaired) <= 0),
               "the boundary of area {value} crosses itself and has no area left once repaired "
               "(it is a line or a point); correct its geometry.", "area_code")
    return repaired


def read_boundaries(path: Path, name: str) -> gpd.GeoDataFrame:
    """Areas with `area_code`, `area_name`, `district` and geometry in EPSG:27700, checked and
    repaired (see the module's docstring)."""
    gdf = read_geofile(path, name)
    codes = require_text(gdf, "area_code")
    require_text(gdf, "area_name")
    no_duplicates(gdf, ["area_code"], "area code")
    limit_text(gdf, "area_name", "area name")
    limit_text(gdf, "district", "district")
    _check_geometry(gdf, POLYGONAL, "a polygon or multipolygon")
    check_coordinates(gdf, gdf.geometry.values, "area_code", "area")
    district = optional_text(gdf, "district")
    areas = gpd.GeoDataFrame({
        "area_code": codes.to_numpy(), "area_name": gdf["area_name"].to_numpy(),
        "district": district.where(district.ne(""), None).to_numpy(),
    }, geometry=gdf.geometry.values, crs=gdf.crs).to_crs(BUNDLE_CRS).reset_index(drop=True)
    geometry = np.asarray(areas.geometry.values)
    check_coordinates(gdf, geometry, "area_code", "area", degrees=False)  # reprojected: finite?
    areas["geometry"] = gpd.GeoSeries(repair_boundaries(gdf, geometry), crs=BUNDLE_CRS)
    return areas


def parse_cluster_lookup(frame: pd.DataFrame, area_codes: pd.Index) -> pd.DataFrame:
    """The area-to-cluster lookup (`area_code`, `cluster`, `_file`, `_row`), checked."""
    require_text(frame, "area_code")
    require_text(frame, "cluster")
    limit_text(frame, "cluster", "cluster")
    fail_first(frame, ~frame["area_code"].isin(area_codes),
               "unknown area code {value}: it is not in the boundaries.", "area_code")
    no_duplicates(frame, ["area_code"], "area code")
    return frame[["area_code", "cluster", FILE, ROW]]


def build_clusters(lookup: pd.DataFrame, names: pd.DataFrame | None) -> pd.DataFrame:
    """The clusters table (CLUSTER_COLUMNS): in cluster_names order when given, else by name."""
    if names is None:
        ordered = sorted(lookup["cluster"].unique(), key=str.casefold)
        return pd.DataFrame({"cluster": ordered, "description": [None] * len(ordered)},
                            columns=list(CLUSTER_COLUMNS))
    require_text(names, "cluster")
    no_duplicates(names, ["cluster"], "cluster")
    listed = pd.Index(names["cluster"])
    fail_first(lookup, ~lookup["cluster"].isin(listed), "cluster {value} is not listed in "
               f"{names[FILE].iloc[0]}; add it there or correct the name.", "cluster")
    fail_first(names, ~names["cluster"].isin(pd.Index(lookup["cluster"])),
               "cluster {value} has no areas in the clusters lookup.", "cluster")
    limit_text(names, "description", "cluster description")
    description = optional_text(names, "description")
    return pd.DataFrame({"cluster": names["cluster"].to_numpy(),
                         "description": description.where(description.ne(""), None).to_numpy()})


def locate(points: gpd.GeoSeries, areas: gpd.GeoDataFrame, column: str = "area_code"
           ) -> pd.Series:
    """For each point, `column` of the area it lies in (on a shared edge: the first such area),
    NaN for points outside every area. Indexed like `points`."""
    pts = gpd.GeoDataFrame(geometry=points.reset_index(drop=True), crs=points.crs)
    joined = gpd.sjoin(pts, areas[[column, "geometry"]], how="left", predicate="intersects")
    first = joined[~joined.index.duplicated(keep="first")][column]
    return pd.Series(first.sort_index().to_numpy(), index=points.index)


def _school_points(frame: pd.DataFrame) -> gpd.GeoSeries:
    """Points from easting/northing (BNG) or longitude/latitude (WGS84) columns."""
    if "easting" in frame.columns or "northing" in frame.columns:
        x, y, crs = "easting", "northing", BUNDLE_CRS
    elif "longitude" in frame.columns or "latitude" in frame.columns:
        x, y, crs = "longitude", "latitude", "EPSG:4326"
    else:
        raise InputError("schools need coordinates: columns easting and northing (British "
                         "National Grid) or longitude and latitude (WGS84), or a "
                         "schools.geojson file.", file=str(frame[FILE].iloc[0]), row=1)
    require_columns(frame, [x, y])
    xs, ys = to_number(frame, x, required=True), to_number(frame, y, required=True)
    if crs != BUNDLE_CRS:
        fail_first(frame, ~xs.between(-180, 180), "{value} is not a longitude.", x)
        fail_first(frame, ~ys.between(-90, 90), "{value} is not a latitude.", y)
    return gpd.GeoSeries(gpd.points_from_xy(xs, ys), index=frame.index, crs=crs)


def parse_schools(frame: pd.DataFrame, areas: gpd.GeoDataFrame,
                  clusters: pd.DataFrame) -> gpd.GeoDataFrame:
    """Schools (SCHOOL_COLUMNS) as points in EPSG:27700; a blank cluster becomes the cluster
    of the area the school stands in (None outside every clustered area)."""
    ids = require_text(frame, "school_id")
    if isinstance(frame, gpd.GeoDataFrame):
        _check_geometry(frame, ("Point",), "a point")
        check_coordinates(frame, frame.geometry.values, "school_id", "school")
        points = frame.geometry
    else:
        points = _school_points(frame)
    points = points.to_crs(BUNDLE_CRS)
    fail_first(frame, ~np.isfinite(shapely.bounds(points.to_numpy())).all(axis=1),
               "school {value} has coordinates that are not finite numbers once in British "
               "National Grid; correct its location.", "school_id")
    no_duplicates(frame, ["school_id"], "school_id")
    require_text(frame, "name")
    for column, field in (("name", "school name"), ("phase", "phase"),
                          ("school_type", "school type")):
        limit_text(frame, column, field)
    given = optional_text(frame, "cluster")
    fail_first(frame, given.ne("") & ~given.isin(pd.Index(clusters["cluster"])),
               "cluster {value} is not a cluster of the clusters lookup.", "cluster")
    spatial = locate(points, areas, "cluster")
    cluster = given.where(given.ne(""), spatial)
    pupils = to_number(frame, "pupils", required=False)
    fail_first(frame, pupils.lt(0), "the number of pupils cannot be negative.", "pupils")

    def text(col: str) -> np.ndarray:
        col_text = optional_text(frame, col)
        return col_text.where(col_text.ne(""), None).to_numpy()

    schools = gpd.GeoDataFrame({
        "school_id": ids.to_numpy(), "name": frame["name"].to_numpy(),
        "cluster": cluster.where(cluster.notna(), None).to_numpy(),
        "phase": text("phase"), "school_type": text("school_type"),
        "pupils": pupils.to_numpy(),
    }, geometry=points.to_numpy(), crs=BUNDLE_CRS)
    return schools[list(SCHOOL_COLUMNS)].reset_index(drop=True)


def build_areas(boundaries: gpd.GeoDataFrame, lookup: pd.DataFrame) -> gpd.GeoDataFrame:
    """The areas table (AREA_COLUMNS) in boundary order; areas missing from the lookup have no
    cluster."""
    cluster = boundaries["area_code"].map(lookup.set_index("area_code")["cluster"])
    areas = boundaries.assign(cluster=cluster.where(cluster.notna(), None))
    return areas[list(AREA_COLUMNS)].reset_index(drop=True)
