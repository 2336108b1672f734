"""Twelve illustrative clusters grown around the county's real high and secondary schools.

Each cluster is seeded at one or more real secondary schools in a town; every LSOA joins the
seed nearest to its centroid, with seed distances offset until every cluster holds between
MIN_AREAS and MAX_AREAS LSOAs. These are NOT the county's official school pyramids.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd

from .sources import locate

MIN_AREAS, MAX_AREAS = 14, 50

# cluster name -> the real schools (GIAS names) it is seeded at; order is the display order.
SEEDS: dict[str, tuple[str, ...]] = {
    "Bromsgrove": ("South Bromsgrove High", "North Bromsgrove High School",
                   "Waseley Hills High School", "Woodrush High School"),
    "Redditch": ("Trinity High School and Sixth Form Centre", "Arrow Vale High School",
                 "Tudor Grange Academy Redditch", "St Augustine's Catholic High School",
                 "Ridgeway Secondary School"),
    "Kidderminster": ("King Charles I School", "Baxter College", "Holy Trinity School",
                      "Wolverley CofE Secondary School", "Haybridge High School and Sixth Form",
                      "Hagley Catholic High School"),
    "Stourport": ("The Stourport High School and Sixth Form College",),
    "Bewdley": ("The Bewdley School",),
    "Droitwich": ("Droitwich Spa High School and Sixth Form Centre",),
    "Worcester North": ("Bishop Perowne CofE College", "Tudor Grange Academy Worcester"),
    "Worcester South": ("Christopher Whitehead Language College", "Nunnery Wood High School",
                        "Blessed Edward Oldcorne Catholic College"),
    "Malvern": ("The Chase", "Dyson Perrins CofE Academy", "Hanley Castle High School"),
    "Pershore": ("Pershore High School",),
    "Evesham": ("Prince Henry's High School", "The De Montfort School"),
    "Tenbury & Martley": ("Tenbury High Ormiston Academy", "The Chantry School"),
}

DESCRIPTION = ("Illustrative cluster of LSOAs around {schools}, formed for the demonstration by "
               "nearest secondary school; not an official school pyramid.")


def seed_distances(areas: gpd.GeoDataFrame, schools: pd.DataFrame) -> np.ndarray:
    """Distance (m) from each area centroid to each cluster's nearest seed school."""
    cols = []
    for name, seeds in SEEDS.items():
        chosen = schools[schools["name"].isin(seeds)]
        if len(chosen) != len(seeds):
            raise ValueError(f"seed schools of {name} not all found in the GIAS file")
        dx = areas["cx"].to_numpy()[:, None] - chosen["easting"].to_numpy()
        dy = areas["cy"].to_numpy()[:, None] - chosen["northing"].to_numpy()
        cols.append(np.hypot(dx, dy).min(axis=1))
    return np.column_stack(cols)


def assign_clusters(areas: gpd.GeoDataFrame, schools: pd.DataFrame) -> pd.Series:
    """Cluster name of every area (index aligned with `areas`), balanced by seed offsets."""
    dist = seed_distances(areas, schools)
    # Additive weights keep every cluster connected around its seeds (unlike multiplicative).
    offsets = np.zeros(dist.shape[1])
    for _ in range(500):
        nearest = np.argmin(dist - offsets, axis=1)
        counts = np.bincount(nearest, minlength=len(offsets))
        if counts.min() >= MIN_AREAS and counts.max() <= MAX_AREAS:
            break
        offsets[counts < MIN_AREAS] += 100.0
        offsets[counts > MAX_AREAS] -= 100.0
    else:
        raise RuntimeError("could not balance the demo clusters")
    names = np.array(list(SEEDS))
    return pd.Series(names[nearest], index=areas.index, name="cluster")


def cluster_table() -> pd.DataFrame:
    """cluster_names.csv: display order and an honest description."""
    return pd.DataFrame({
        "cluster": list(SEEDS),
        "description": [DESCRIPTION.format(schools=", ".join(s)) for s in SEEDS.values()],
    })


def school_clusters(schools: pd.DataFrame, areas: gpd.GeoDataFrame,
                    area_cluster: pd.Series) -> pd.Series:
    """Cluster of the area each school stands in; a school outside every (generalised) polygon
    takes the cluster of the nearest area centroid."""
    idx = locate(schools["easting"].to_numpy(), schools["northing"].to_numpy(), areas)
    outside = idx < 0
    if outside.any():
        dx = schools["easting"].to_numpy()[outside, None] - areas["cx"].to_numpy()
        dy = schools["northing"].to_numpy()[outside, None] - areas["cy"].to_numpy()
        idx[outside] = np.argmin(np.hypot(dx, dy), axis=1)
    return pd.Series(area_cluster.to_numpy()[idx], index=schools.index, name="cluster")
