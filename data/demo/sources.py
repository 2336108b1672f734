"""Read the real open data copied into data/sources/ (provenance in data/sources/SOURCES.md)."""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

SOURCES = Path(__file__).resolve().parent.parent / "sources"
BNG = "EPSG:27700"

LSOA_FILE = "worcs_lsoa11_bsc.geojson"
IMD_FILE = "worcs_imd2019_lsoa11.csv"
POPULATION_FILE = "worcs_population_ruc_lsoa11.csv"
HOUSEHOLDS_FILE = "worcs_census2011_household_deprivation.csv"
SCHOOLS_FILE = "worcs_schools_gias_20250524.csv"
POSTCODES_FILE = "worcs_postcodes_nspd_nov2025.csv"
COUNTY_FILE = "worcs_county_boundary.geojson"


def load_areas(sources: Path = SOURCES) -> gpd.GeoDataFrame:
    """The 364 LSOA 2011 polygons in British National Grid with IMD 2019, population and
    Census 2011 household deprivation joined on, in the order of the boundary file."""
    areas = gpd.read_file(sources / LSOA_FILE).to_crs(BNG)
    areas = areas.rename(columns={"LSOA11CD": "area_code", "LSOA11NM": "area_name",
                                  "lad19nm": "district"})[["area_code", "area_name",
                                                           "district", "geometry"]]
    imd = pd.read_csv(sources / IMD_FILE).drop(columns=["lsoa11nm", "lad19cd", "lad19nm"])
    pop = pd.read_csv(sources / POPULATION_FILE)[
        ["lsoa11cd", "pop_mid2017", "pop_mid2019", "area_sqkm", "people_per_sqkm", "RUC11"]]
    hh = pd.read_csv(sources / HOUSEHOLDS_FILE)
    out = (areas.merge(imd, left_on="area_code", right_on="lsoa11cd", validate="1:1")
           .drop(columns="lsoa11cd")
           .merge(pop, left_on="area_code", right_on="lsoa11cd", validate="1:1")
           .drop(columns="lsoa11cd")
           .merge(hh, left_on="area_code", right_on="lsoa11_code", validate="1:1")
           .drop(columns="lsoa11_code"))
    if len(out) != len(areas):
        raise ValueError("the LSOA polygons and the IMD/population tables do not join 1:1")
    centroids = out.geometry.centroid
    out["cx"], out["cy"] = centroids.x.to_numpy(), centroids.y.to_numpy()
    return out


def boundary_geojson(sources: Path = SOURCES) -> dict:
    """The LSOA polygons as GeoJSON (original CRS84 coordinates) with the columns pack wants."""
    src = json.loads((sources / LSOA_FILE).read_text(encoding="utf-8"))
    features = [{"type": "Feature",
                 "properties": {"area_code": f["properties"]["LSOA11CD"],
                                "area_name": f["properties"]["LSOA11NM"],
                                "district": f["properties"]["lad19nm"]},
                 "geometry": f["geometry"]} for f in src["features"]]
    return {"type": "FeatureCollection", "crs": src["crs"], "features": features}


def load_schools(sources: Path = SOURCES) -> pd.DataFrame:
    """The 274 open schools (GIAS), one row each, with easting/northing."""
    s = pd.read_csv(sources / SCHOOLS_FILE)
    return pd.DataFrame({
        "school_id": s["urn"].astype(str),
        "name": s["establishment_name"],
        "phase": s["education_phase"],
        "school_type": s["establishment_type"],
        "pupils": s["number_of_pupils"].astype("Int64"),
        "easting": s["easting"].astype(float),
        "northing": s["northing"].astype(float),
    })


def load_postcodes(sources: Path = SOURCES) -> pd.DataFrame:
    """Real postcodes (NSPD Nov 2025) with their point; the file carries no termination date."""
    p = pd.read_csv(sources / POSTCODES_FILE)
    return pd.DataFrame({"postcode": p["pcd"], "easting": p["oseast1m"],
                         "northing": p["osnrth1m"]})


def load_county(sources: Path = SOURCES) -> gpd.GeoSeries:
    """The county outline in British National Grid."""
    return gpd.read_file(sources / COUNTY_FILE).to_crs(BNG).geometry


def locate(points_x: np.ndarray, points_y: np.ndarray, areas: gpd.GeoDataFrame) -> np.ndarray:
    """Index into `areas` of the polygon holding each point, -1 where none does."""
    pts = gpd.GeoDataFrame(geometry=gpd.points_from_xy(points_x, points_y), crs=BNG)
    joined = gpd.sjoin(pts, areas[["geometry"]].reset_index(drop=True), how="left",
                       predicate="within")
    joined = joined[~joined.index.duplicated(keep="first")]
    return joined["index_right"].fillna(-1).astype(int).to_numpy().copy()
