"""Similar clusters: each cluster's nearest neighbours by a few context indicators, the way
CIPFA's Nearest Neighbours Model and the children's services statistical neighbours (DfE,
NFER) find comparable councils.

Each context indicator's cluster values (its latest period: deprivation, population, rurality,
as the bundle or the officer chooses) are standardised across the clusters to z-scores (mean 0,
standard deviation 1, over the clusters), so that a score, a head count and a density weigh
alike whatever their units. The distance between two clusters is the Euclidean distance of
their z-scores, each indicator weighted (1 unless weights are given):

    d(i, j) = sqrt( sum_k w_k (z_ik - z_jk)^2 )

A cluster's similar clusters are the `count` others nearest to it, nearest first (ties in bundle
order). A cluster without a value of some context indicator (missing or suppressed) cannot be
placed: it has no similar clusters and is no other's. An indicator with the same value in every
cluster tells no cluster apart and is left out of the distance.

Arrays in, immutable results out; Statistics are read, never changed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from desktop.core.errors import AtlasError
from desktop.core.model import COUNTY, Bundle, Indicator
from desktop.core.stats.comparison import Peers

if TYPE_CHECKING:
    from desktop.core.stats.table import Statistics

DEFAULT_COUNT = 5
NEAREST_COLUMNS = ("rank", "cluster", "distance")


@dataclass(frozen=True)
class NeighbourSpec:
    """Which context indicators place the clusters, their weights, and how many similar
    clusters each cluster gets."""

    indicators: tuple[str, ...]
    count: int = DEFAULT_COUNT
    weights: tuple[float, ...] = ()

    def weight_array(self) -> np.ndarray:
        return np.asarray(self.weights or (1.0,) * len(self.indicators), dtype=float)


def bundle_spec(bundle: Bundle) -> NeighbourSpec:
    """The similar-clusters setting of the bundle (bundle.toml's similar_indicators and
    similar_count), or, where it names none, the deprivation indicator alone; by default 5
    similar clusters, or all the others when there are fewer."""
    manifest = bundle.manifest
    chosen = manifest.similar_indicators or tuple(
        i for i in (manifest.deprivation_indicator,) if i)
    others = max(len(bundle.cluster_names) - 1, 1)
    return NeighbourSpec(tuple(chosen), manifest.similar_count or min(DEFAULT_COUNT, others))


def check_spec(bundle: Bundle, spec: NeighbourSpec) -> NeighbourSpec:
    """`spec` if it can place this bundle's clusters; an AtlasError saying what is wrong."""
    known = {ind.id for ind in bundle.manifest.indicators}
    unknown = [i for i in spec.indicators if i not in known]
    if unknown:
        raise AtlasError(f"Similar clusters: there is no indicator {', '.join(unknown)} in this "
                         "bundle; `cluster-atlas inspect BUNDLE` lists them.")
    if not spec.indicators:
        raise AtlasError("Similar clusters need at least one context indicator (for example "
                         "deprivation, population and rurality).")
    if spec.weights and (len(spec.weights) != len(spec.indicators)
                         or not all(np.isfinite(w) and w > 0 for w in spec.weights)):
        raise AtlasError("Similar clusters: give one weight above 0 for each context "
                         "indicator.")
    most = len(bundle.cluster_names) - 1
    if not 1 <= spec.count <= max(most, 1):
        raise AtlasError(f"Similar clusters: choose from 1 to {max(most, 1)} similar "
                         f"clusters, not {spec.count}.")
    return spec


@dataclass(frozen=True, eq=False)
class SimilarClusters:
    """The clusters placed by their context: raw values and z-scores (clusters x indicators),
    the distances between every pair, and who is nearest to whom."""

    spec: NeighbourSpec
    indicators: tuple[Indicator, ...]
    context: pd.DataFrame
    scores: pd.DataFrame
    distances: pd.DataFrame
    unplaced: tuple[str, ...] = ()
    flat: tuple[str, ...] = ()  # indicators left out: the same value in every cluster
    periods: dict[str, str] = field(default_factory=dict)

    @property
    def titles(self) -> tuple[str, ...]:
        return tuple(ind.title for ind in self.indicators)

    def nearest(self, cluster: str) -> pd.DataFrame:
        """The cluster's similar clusters, nearest first (NEAREST_COLUMNS); empty when the
        cluster cannot be placed."""
        if cluster in self.unplaced or cluster not in self.distances.index:
            return pd.DataFrame(columns=NEAREST_COLUMNS)
        row = self.distances.loc[cluster].drop(index=[cluster, *self.unplaced])
        order = np.argsort(row.to_numpy(float), kind="stable")[:self.spec.count]
        return pd.DataFrame({"rank": np.arange(1, order.size + 1),
                             "cluster": row.index[order].astype(str),
                             "distance": row.to_numpy(float)[order]})

    def peers(self) -> Peers:
        """Every cluster's similar clusters, as the SIMILAR comparison's benchmark."""
        names = tuple(map(str, self.distances.index))
        return Peers(names, tuple(tuple(self.nearest(c)["cluster"]) for c in names),
                     self.basis())

    def basis(self) -> str:
        """"the 5 most similar clusters by IMD score, total population and density"."""
        return (f"the {self.spec.count} most similar cluster{'s' if self.spec.count > 1 else ''}"
                f" by {_words(self.titles)}")


def similar_clusters(bundle: Bundle, statistics: Statistics, spec: NeighbourSpec
                     ) -> SimilarClusters:
    """Place every cluster by the context indicators of `spec` (in their latest periods)."""
    check_spec(bundle, spec)
    names = pd.Index(bundle.cluster_names, name="cluster")
    manifest = bundle.manifest
    indicators = tuple(manifest.indicator(i) for i in spec.indicators)
    context = pd.DataFrame(index=names)
    periods = {}
    for ind_id in spec.indicators:
        period = statistics.periods(ind_id)[-1]
        values = statistics.cluster_values(ind_id, period).drop(index=COUNTY)
        context[ind_id] = values["value"].where(~values["suppressed"]).reindex(names)
        periods[ind_id] = period
    placed = context.notna().all(axis=1).to_numpy()
    raw = context.to_numpy(float)
    mean = np.nanmean(np.where(placed[:, None], raw, np.nan), axis=0) if placed.any() else 0.0
    spread = np.nanstd(np.where(placed[:, None], raw, np.nan), axis=0) if placed.any() else 0.0
    flat = ~(np.asarray(spread) > 0)
    with np.errstate(invalid="ignore", divide="ignore"):
        z = np.where(flat, 0.0, (raw - mean) / np.where(flat, 1.0, spread))
    distances = pairwise_distances(z, spec.weight_array())
    distances[~placed, :] = np.nan
    distances[:, ~placed] = np.nan
    return SimilarClusters(
        spec, indicators, context, pd.DataFrame(z, index=names, columns=list(spec.indicators)),
        pd.DataFrame(distances, index=names, columns=names),
        tuple(names[~placed]), tuple(np.asarray(spec.indicators)[flat]), periods)


def pairwise_distances(scores: np.ndarray, weights: Sequence[float]) -> np.ndarray:
    """Weighted Euclidean distances between the rows of `scores` (rows x indicators)."""
    z = np.asarray(scores, dtype=float)
    diff = z[:, None, :] - z[None, :, :]
    return np.sqrt((np.asarray(weights, dtype=float) * diff * diff).sum(axis=2))


def _words(items: Sequence[str]) -> str:
    items = list(items)
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"
