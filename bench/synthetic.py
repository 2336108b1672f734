"""A synthetic Bundle of a given scale, built in code from a fixed seed (benchmarks only).

Areas are bench.geometry's Voronoi coverage; clusters come from k-means over the area
centroids; indicators mix every value type in realistic proportions, with numerators and
denominators drawn around a spatially smooth deprivation score so maps and significance look
like real data (small counts are there too, so suppression has work to do).
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from bench.geometry import Box, kmeans_labels, seed_points, voronoi_areas
from desktop.core.model import BUNDLE_CRS, Bundle, Indicator, Manifest, Polarity, ValueType

THEMES = ("Population", "Deprivation", "Be healthy", "Stay safe", "Enjoy and achieve",
          "Make a positive contribution", "Achieve economic well-being")
# value type, multiplier, unit, share of the indicators
MIX = ((ValueType.PROPORTION, 100.0, "%", 0.5), (ValueType.RATE, 1000.0, "per 1,000", 0.2),
       (ValueType.COUNT, 1.0, "children", 0.15), (ValueType.MEAN, 1.0, "points", 0.1),
       (ValueType.SCORE, 1.0, "score", 0.05))
SCHOOLS_PER_CLUSTER = 6


@dataclass(frozen=True)
class Scale:
    name: str
    areas: int
    clusters: int
    indicators: int
    periods: int
    box: Box
    towns: int
    seed: int = 2024

    @property
    def period_labels(self) -> tuple[str, ...]:
        last = 2024
        return tuple(f"{y}/{(y + 1) % 100:02d}" for y in range(last - self.periods, last))


SCALES = {
    # about Worcestershire's size; the demo county has 364 LSOAs in 12 clusters
    "county": Scale("county", 364, 12, 250, 10, (370_000.0, 230_000.0, 415_000.0, 285_000.0), 8),
    # an England-sized box; England has 32,844 LSOAs (2011)
    "england": Scale("england", 33_000, 150, 250, 5, (85_000.0, 10_000.0, 655_000.0, 660_000.0),
                     300),
}


def indicators_for(scale: Scale) -> tuple[Indicator, ...]:
    """The first is the deprivation score; the rest cycle through themes and value types."""
    periods = scale.period_labels
    kinds = [k for k, *_, share in MIX for _ in range(round(share * (scale.indicators - 1)))]
    kinds = (kinds + [ValueType.PROPORTION] * scale.indicators)[:scale.indicators - 1]
    spec = {k: (m, u) for k, m, u, _ in MIX}
    out = [Indicator("imd_score", "Index of Multiple Deprivation score (synthetic)",
                     "Deprivation", ValueType.SCORE, Polarity.HIGHER_IS_WORSE, unit="score",
                     source="Benchmark generator", synthetic=True, periods=periods)]
    polarities = (Polarity.HIGHER_IS_WORSE, Polarity.HIGHER_IS_BETTER, Polarity.NO_JUDGEMENT)
    for i, kind in enumerate(kinds, start=1):
        multiplier, unit = spec[kind]
        out.append(Indicator(f"ind_{i:03d}", f"Synthetic indicator {i} ({kind.value})",
                             THEMES[i % len(THEMES)], kind, polarities[i % 3], multiplier, unit,
                             definition="Generated for benchmarks.", source="Benchmark generator",
                             synthetic=True, periods=periods))
    return tuple(out)


def _areas(scale: Scale, rng: np.random.Generator) -> tuple[gpd.GeoDataFrame, np.ndarray]:
    points = seed_points(int(scale.areas * 1.02) + 8, scale.box, rng, scale.towns)
    polygons = voronoi_areas(points, scale.box)
    polygons = polygons[np.argsort(shapely.area(polygons))[::-1][:scale.areas]]  # drop slivers
    centroids = shapely.get_coordinates(shapely.centroid(polygons))
    order = np.lexsort((centroids[:, 0], np.round(centroids[:, 1], -3)))[::-1]  # north first
    polygons, centroids = polygons[order], centroids[order]
    labels = kmeans_labels(centroids, scale.clusters, rng)
    names = np.array([f"Cluster {j + 1:03d}" for j in range(labels.max() + 1)], dtype=object)
    codes = np.array([f"E01{i:06d}" for i in range(len(polygons))], dtype=object)
    areas = gpd.GeoDataFrame({
        "area_code": codes,
        "area_name": [f"Synthetic {i:05d}{'ABCD'[i % 4]}" for i in range(len(polygons))],
        "district": [f"District {j // 4 + 1:02d}" for j in labels],
        "cluster": names[labels]}, geometry=polygons, crs=BUNDLE_CRS).astype(
        {c: "str" for c in ("area_code", "area_name", "district", "cluster")})
    return areas, centroids


def _deprivation(centroids: np.ndarray, box: Box, rng: np.random.Generator) -> np.ndarray:
    """A smooth field plus local noise, standardised: one value per area."""
    x = (centroids[:, 0] - box[0]) / (box[2] - box[0])
    y = (centroids[:, 1] - box[1]) / (box[3] - box[1])
    field = np.sin(7 * x + 1) * np.cos(5 * y) + 0.6 * np.sin(13 * x * y + 2)
    z = field + rng.normal(scale=0.6, size=len(x))
    return (z - z.mean()) / z.std()


def _values(indicators: tuple[Indicator, ...], codes: np.ndarray, dep: np.ndarray,
            periods: tuple[str, ...], rng: np.random.Generator) -> pd.DataFrame:
    """One row per indicator, period and area (sorted so), drawn as arrays of that shape."""
    n_i, n_p, n_a = len(indicators), len(periods), len(codes)
    kind = np.array([list(ValueType).index(ind.value_type) for ind in indicators])[:, None, None]
    t = (np.arange(n_p) - n_p / 2)[None, :, None] / n_p
    beta = rng.normal(0.5, 0.3, (n_i, 1, 1))
    trend = rng.normal(0, 0.3, (n_i, 1, 1))
    shape = (n_i, n_p, n_a)
    population = rng.lognormal(np.log(1600), 0.25, n_a)[None, None, :]
    share = rng.uniform(0.02, 0.3, (n_i, 1, 1))
    den = np.maximum(1.0, np.round(population * share * (1 + 0.01 * t)))
    eta = beta * dep[None, None, :] + trend * t + rng.normal(0, 0.15, shape)
    p = 1 / (1 + np.exp(-(rng.normal(-1.5, 0.8, (n_i, 1, 1)) + 0.6 * eta)))
    num = np.empty(shape)
    counted = kind[:, 0, 0] <= 2
    prop, rate, count = (kind[:, 0, 0] == k for k in range(3))
    num[prop] = rng.binomial(den[prop].astype(np.int64), p[prop])
    num[rate] = rng.poisson(den[rate] * 0.02 * np.exp(0.5 * eta[rate]))
    num[count] = rng.poisson(rng.uniform(2, 40, (count.sum(), 1, 1)) * np.exp(0.4 * eta[count]))
    value = np.where(counted[:, None, None], np.nan, 50 + 10 * eta)
    den = np.where(count[:, None, None], np.nan, den)
    num[~counted] = np.nan
    ind_codes = np.repeat(np.arange(n_i, dtype=np.int32), n_p * n_a)
    per_codes = np.tile(np.repeat(np.arange(n_p, dtype=np.int32), n_a), n_i)
    area_codes = np.tile(np.arange(n_a, dtype=np.int32), n_i * n_p)
    return pd.DataFrame({
        "indicator_id": pd.Categorical.from_codes(ind_codes, [i.id for i in indicators]),
        "area_code": pd.Categorical.from_codes(area_codes, list(codes)),
        "period": pd.Categorical.from_codes(per_codes, list(periods)),
        "numerator": num.ravel(), "denominator": den.ravel(), "value": value.ravel()},
        copy=False)


def make_bundle(scale: Scale) -> Bundle:
    """The whole synthetic bundle for `scale` (deterministic for a given seed)."""
    rng = np.random.default_rng(scale.seed)
    areas, centroids = _areas(scale, rng)
    indicators = indicators_for(scale)
    dep = _deprivation(centroids, scale.box, rng)
    values = _values(indicators, areas["area_code"].to_numpy(), dep, scale.period_labels, rng)
    names = list(dict.fromkeys(sorted(areas["cluster"])))
    clusters = pd.DataFrame({"cluster": names,
                             "description": [f"{n} (synthetic, for benchmarks)" for n in names]},
                            dtype="str")
    picks = np.concatenate([rng.choice(np.flatnonzero(areas["cluster"].to_numpy() == n),
                                       SCHOOLS_PER_CLUSTER) for n in names])
    schools = gpd.GeoDataFrame({
        "school_id": [f"{100000 + i}" for i in range(len(picks))],
        "name": [f"School {i + 1}" for i in range(len(picks))],
        "cluster": areas["cluster"].to_numpy()[picks],
        "phase": np.where(np.arange(len(picks)) % SCHOOLS_PER_CLUSTER == 0, "Secondary",
                          "Primary"),
        "school_type": "Academy", "pupils": rng.integers(150, 1500, len(picks)).astype(float)},
        geometry=shapely.points(centroids[picks]), crs=BUNDLE_CRS).astype(
        {c: "str" for c in ("school_id", "name", "cluster", "phase", "school_type")})
    manifest = Manifest(
        title=f"Benchmark bundle, {scale.name} scale (synthetic)", area_name=scale.name.title(),
        created="2024-09-01T09:00:00+00:00", producer="bench/generate.py",
        geography_vintage="synthetic Voronoi areas",
        attribution="Synthetic data generated for benchmarks.", licence="CC0",
        indicators=indicators, description=f"{len(areas)} areas, {len(names)} clusters.",
        deprivation_indicator="imd_score")
    return Bundle(manifest=manifest, areas=areas, clusters=clusters, schools=schools,
                  values=values)
