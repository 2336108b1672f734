"""Synthetic pupil-level records at real postcodes, and the postcode lookup pack needs.

About 96% of pupils live in the county at a real postcode inside their home LSOA; about 7% of
those attend a school in another cluster (chosen by distance), and about 4% of all pupils live
just outside the county at a few clearly labelled synthetic postcode points (ZZ99 ...), since
the real postcode file holds Worcestershire postcodes only.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd

from .sources import locate

PERIODS = ("2021/22", "2022/23", "2023/24")
PUPILS_PER_CHILD = 0.72  # pupils on roll per resident child aged 0-15
CROSS_CLUSTER = 0.07
OUTSIDE_SHARE = 0.04
DISTANCE_SCALE_M = 4000.0
N_OUTSIDE_POINTS = 24
LETTERS = "ABDEFGHJLNPQRSTUWXYZ"
# flag column (a synthetic proportion indicator) -> (title, county level, deprivation slope)
FLAGS: dict[str, tuple[str, float, float]] = {
    "pupils_fsm": ("Pupils eligible for free school meals", .17, .75),
    "pupils_sen_support": ("Pupils receiving SEN support", .13, .3),
    "pupils_eal": ("Pupils with English as an additional language", .08, .2),
}
FLAG_THEMES = {"pupils_fsm": "Achieve economic well-being",
               "pupils_sen_support": "Enjoy and achieve",
               "pupils_eal": "Enjoy and achieve"}


def flag_indicators(source: str, note: str) -> pd.DataFrame:
    """indicators.csv rows of the pupil flag indicators (pack fills in their values)."""
    return pd.DataFrame([{
        "id": flag, "title": title, "theme": FLAG_THEMES[flag], "value_type": "proportion",
        "polarity": "higher_is_worse" if flag == "pupils_fsm" else "no_judgement",
        "multiplier": 100, "unit": "%",
        "definition": (f"{title}: share of pupils on roll (January school census) by home "
                       f"area, aggregated from pupil-level records while packing. {note}"),
        "source": source, "synthetic": "true"} for flag, (title, _, _) in FLAGS.items()])


def outside_points(county: gpd.GeoSeries, areas: gpd.GeoDataFrame) -> pd.DataFrame:
    """Synthetic postcode points 2-8 km beyond the county edge, evenly round the outline."""
    outline = county.union_all().boundary
    centre = county.union_all().centroid
    inside = areas.union_all().buffer(500)
    rows = []
    for k in range(N_OUTSIDE_POINTS):
        edge = outline.interpolate(k / N_OUTSIDE_POINTS, normalized=True)
        dx, dy = edge.x - centre.x, edge.y - centre.y
        norm = np.hypot(dx, dy)
        for push in (2000.0, 3500.0, 5000.0, 8000.0):
            x, y = edge.x + dx / norm * push, edge.y + dy / norm * push
            if not inside.contains(gpd.points_from_xy([x], [y])[0]):
                rows.append({"postcode": f"ZZ99 {k % 10}{LETTERS[k // 10]}{LETTERS[k % 20]}",
                             "easting": round(x), "northing": round(y),
                             "note": "synthetic point outside the county (demo)"})
                break
    return pd.DataFrame(rows)


def postcodes_in_areas(postcodes: pd.DataFrame, areas: gpd.GeoDataFrame) -> pd.DataFrame:
    """Real postcodes whose point lies inside an LSOA polygon, with that area's index."""
    idx = locate(postcodes["easting"].to_numpy(), postcodes["northing"].to_numpy(), areas)
    return postcodes.assign(area=idx)[idx >= 0].reset_index(drop=True)


def _school_weights(x: np.ndarray, y: np.ndarray, schools: pd.DataFrame) -> np.ndarray:
    """Attractiveness of each school from each point: size times distance decay."""
    size = schools["pupils"].fillna(50).to_numpy(dtype=float)
    d = np.hypot(x[:, None] - schools["easting"].to_numpy(),
                 y[:, None] - schools["northing"].to_numpy())
    return size * np.exp(-d / DISTANCE_SCALE_M) + 1e-12


def school_choice(areas: pd.DataFrame, area_cluster: np.ndarray, schools: pd.DataFrame,
                  school_cluster: np.ndarray) -> np.ndarray:
    """Probability (areas x schools) of attending each school: 93% in the home cluster."""
    w = _school_weights(areas["cx"].to_numpy(), areas["cy"].to_numpy(), schools)
    same = area_cluster[:, None] == school_cluster[None, :]
    own = np.where(same, w, 0.0)
    other = np.where(same, 0.0, w)
    return ((1 - CROSS_CLUSTER) * own / own.sum(axis=1, keepdims=True)
            + CROSS_CLUSTER * other / other.sum(axis=1, keepdims=True))


def _draw_schools(rng: np.random.Generator, groups: np.ndarray, p: np.ndarray) -> np.ndarray:
    """A school index for each record, drawn from the probability row of its group."""
    out = np.empty(len(groups), dtype=int)
    for g in np.unique(groups):
        rows = np.flatnonzero(groups == g)
        out[rows] = rng.choice(p.shape[1], size=len(rows), p=p[g] / p[g].sum())
    return out


def pupil_records(areas: pd.DataFrame, area_cluster: np.ndarray, z: np.ndarray,
                  schools: pd.DataFrame, school_cluster: np.ndarray,
                  postcodes: pd.DataFrame, outside: pd.DataFrame,
                  rng: np.random.Generator) -> pd.DataFrame:
    """pupils.csv: one row per pupil and period, with 0/1 flags correlated with deprivation."""
    by_area = postcodes.groupby("area").indices
    choice = school_choice(areas, area_cluster, schools, school_cluster)
    out_choice = _school_weights(outside["easting"].to_numpy(dtype=float),
                                 outside["northing"].to_numpy(dtype=float), schools)
    out_choice /= out_choice.sum(axis=1, keepdims=True)
    ids = schools["school_id"].to_numpy()
    frames = []
    for period in PERIODS:
        n = rng.poisson(areas["pop_0_15_mid2015"].to_numpy() * PUPILS_PER_CHILD)
        n[[i not in by_area for i in range(len(n))]] = 0
        home = np.repeat(np.arange(len(n)), n)
        pc_index = np.concatenate(
            [by_area[a][rng.integers(len(by_area[a]), size=k)] for a, k in enumerate(n) if k])
        school = _draw_schools(rng, home, choice)
        n_out = round(len(home) * OUTSIDE_SHARE / (1 - OUTSIDE_SHARE))
        where = rng.integers(len(outside), size=n_out)
        frame = pd.DataFrame({
            "period": period,
            "postcode": np.concatenate([postcodes["postcode"].to_numpy()[pc_index],
                                        outside["postcode"].to_numpy()[where]]),
            "school_id": np.concatenate([ids[school], ids[_draw_schools(rng, where, out_choice)]]),
        })
        pupil_z = np.concatenate([z[home], np.zeros(n_out)])
        for flag, (_, level, slope) in FLAGS.items():
            logit = np.log(level / (1 - level)) + slope * pupil_z
            frame[flag] = (rng.random(len(frame)) < 1 / (1 + np.exp(-logit))).astype(int)
        frames.append(frame.iloc[rng.permutation(len(frame))])
    return pd.concat(frames, ignore_index=True)
