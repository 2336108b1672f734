"""Synthetic LSOA-like polygons for the benchmarks: a Voronoi coverage with wiggly edges.

Points are drawn partly around "towns" (small areas) and partly at random (large rural areas),
their Voronoi cells are clipped to a box, every edge is split into equal pieces of one global
length (so neighbours share identical vertices) and the whole plane is then bent by one smooth
displacement field. A map of the plane applied to shared vertices keeps the polygons a
coverage: no gaps, no overlaps, realistic vertex counts (about 50-150 per area).
"""

from __future__ import annotations

import numpy as np
import shapely

Box = tuple[float, float, float, float]  # minx, miny, maxx, maxy in EPSG:27700


def seed_points(n: int, box: Box, rng: np.random.Generator, towns: int) -> np.ndarray:
    """n points: 60% around `towns` centres (dense, small areas), 40% uniform (rural)."""
    minx, miny, maxx, maxy = box
    span = np.array([maxx - minx, maxy - miny])
    n_town = int(n * 0.6)
    centres = rng.uniform((minx, miny), (maxx, maxy), size=(towns, 2))
    weight = rng.pareto(1.2, towns) + 1  # a few big towns, many small ones
    which = rng.choice(towns, n_town, p=weight / weight.sum())
    spread = span.min() * 0.015 * np.sqrt(weight[which])[:, None]
    town = centres[which] + rng.normal(size=(n_town, 2)) * spread
    rural = rng.uniform((minx, miny), (maxx, maxy), size=(n - n_town, 2))
    points = np.clip(np.vstack([town, rural]), (minx + 1, miny + 1), (maxx - 1, maxy - 1))
    # exact duplicates would merge Voronoi cells
    return np.unique(np.round(points, 1), axis=0)


def _bend(xy: np.ndarray, amplitude: float, wavelength: float) -> np.ndarray:
    """A smooth, invertible displacement of the plane (amplitude/wavelength kept small)."""
    xy = np.round(xy, 2)  # vertices shared by neighbours agree to the centimetre
    x, y = xy[:, 0] / wavelength, xy[:, 1] / wavelength
    dx = np.sin(x * 1.7 + np.cos(y * 0.9)) + 0.5 * np.sin(y * 3.1 + 0.4)
    dy = np.cos(y * 1.3 + np.sin(x * 1.1)) + 0.5 * np.cos(x * 2.7 + 1.3)
    return np.round(xy + amplitude / 1.5 * np.column_stack([dx, dy]), 2)


def voronoi_areas(points: np.ndarray, box: Box, vertices: float = 100.0) -> np.ndarray:
    """Polygons covering `box`, one per point (in no particular order), with on average
    about `vertices` vertices each."""
    frame = shapely.box(*box)
    cells = shapely.get_parts(shapely.voronoi_polygons(shapely.multipoints(points),
                                                       extend_to=frame))
    cells = shapely.intersection(cells, frame)
    cells = cells[shapely.get_type_id(cells) == 3]
    length = float(shapely.length(cells).sum()) / (vertices * len(cells))
    dense = shapely.segmentize(cells, length)
    return shapely.transform(dense, lambda xy: _bend(xy, 0.45 * length, 2.5 * length))


def kmeans_labels(xy: np.ndarray, k: int, rng: np.random.Generator, rounds: int = 8) -> np.ndarray:
    """Cluster labels 0..k-1 from a few rounds of k-means (contiguous-looking clusters)."""
    centres = xy[rng.choice(len(xy), k, replace=False)]
    labels = np.zeros(len(xy), dtype=np.int64)
    for _ in range(rounds):
        d = ((xy[:, None, :] - centres[None, :, :]) ** 2).sum(axis=2)
        labels = d.argmin(axis=1)
        for j in range(k):
            members = xy[labels == j]
            if len(members):
                centres[j] = members.mean(axis=0)
    _, labels = np.unique(labels, return_inverse=True)  # no empty cluster numbers
    return labels
