"""Similar clusters (stats.neighbours) on constructed cases with known answers, and the
comparison against them (stats.peer_benchmark, Comparison against=SIMILAR)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from desktop.core.errors import AtlasError
from desktop.core.model import Polarity, Significance, ValueType
from desktop.core.stats.aggregate import compute_statistics
from desktop.core.stats.comparison import SIMILAR, Comparison
from desktop.core.stats.neighbours import NeighbourSpec, bundle_spec, similar_clusters
from tests.core.helpers_bundle import indicator, make_bundle

CLUSTERS = ("A", "B", "C", "D", "E")
AREAS = tuple((f"{c}1", f"Area {c}", c) for c in CLUSTERS)
# On the unit square after standardising: A (-1, -1), B (-1, 1), C (1, -1), D (1, 1); E has
# no population value, so it cannot be placed.
DEPRIVATION = {"A": 10.0, "B": 10.0, "C": 30.0, "D": 30.0, "E": 20.0}
POPULATION = {"A": 1000.0, "B": 3000.0, "C": 1000.0, "D": 3000.0, "E": np.nan}
# a proportion: counts and denominators per cluster (one area each)
COUNTS = {"A": (30, 100), "B": (10, 100), "C": (50, 200), "D": (90, 300), "E": (2, 40)}


def _bundle(threshold: int = 0, deprivation: dict[str, float] = DEPRIVATION):
    rows = []
    for c in CLUSTERS:
        rows.append(("dep", f"{c}1", "2024", np.nan, np.nan, deprivation[c]))
        rows.append(("pop", f"{c}1", "2024", np.nan, np.nan, POPULATION[c]))
        rows.append(("p", f"{c}1", "2024", *COUNTS[c], np.nan))
    indicators = [indicator("dep", ValueType.SCORE, periods=("2024",)),
                  indicator("pop", ValueType.SCORE, periods=("2024",)),
                  indicator("p", ValueType.PROPORTION, Polarity.HIGHER_IS_WORSE,
                            multiplier=100, unit="%", periods=("2024",))]
    return make_bundle(indicators, rows, areas=AREAS, clusters=CLUSTERS, threshold=threshold)


@pytest.fixture(scope="module")
def small():
    bundle = _bundle()
    return bundle, compute_statistics(bundle)


def test_ranks_and_distances_on_the_unit_square(small):
    bundle, stats = small
    found = similar_clusters(bundle, stats, NeighbourSpec(("dep", "pop"), count=3))
    np.testing.assert_allclose(found.scores.loc[["A", "B", "C", "D"]].to_numpy(),
                               [[-1, -1], [-1, 1], [1, -1], [1, 1]])
    nearest = found.nearest("A")
    # B and C are both 2 away (B first: bundle order breaks the tie), D is the diagonal
    assert list(nearest["cluster"]) == ["B", "C", "D"]
    np.testing.assert_allclose(nearest["distance"], [2.0, 2.0, math.sqrt(8)])
    assert list(found.nearest("D")["cluster"]) == ["B", "C", "A"]
    assert found.unplaced == ("E",)
    assert found.nearest("E").empty and "E" not in set(found.nearest("B")["cluster"])


def test_weights_change_who_is_nearest(small):
    bundle, stats = small
    found = similar_clusters(bundle, stats, NeighbourSpec(("dep", "pop"), 1, (1.0, 4.0)))
    # population weighs four times: A-B is sqrt(4 x 2^2) = 4 away, A-C only 2
    assert list(found.nearest("A")["cluster"]) == ["C"]
    assert found.nearest("A")["distance"].iat[0] == pytest.approx(2.0)
    assert found.distances.at["A", "B"] == pytest.approx(4.0)


def test_an_indicator_the_same_everywhere_is_left_out():
    rows = [(i, f"{c}1", "2024", np.nan, np.nan, v) for c in CLUSTERS[:4]
            for i, v in (("dep", DEPRIVATION[c]), ("flat", 7.0))]
    bundle = make_bundle([indicator("dep", ValueType.SCORE, periods=("2024",)),
                          indicator("flat", ValueType.SCORE, periods=("2024",))], rows,
                         areas=AREAS[:4], clusters=CLUSTERS[:4])
    found = similar_clusters(bundle, compute_statistics(bundle), NeighbourSpec(("dep", "flat"), 1))
    assert found.flat == ("flat",)
    assert found.distances.at["A", "C"] == pytest.approx(2.0)


def test_bad_settings_get_a_clear_message(small):
    bundle, stats = small
    for spec, words in ((NeighbourSpec(("nope",)), "no indicator nope"),
                        (NeighbourSpec(()), "at least one"),
                        (NeighbourSpec(("dep",), count=5), "from 1 to 4"),
                        (NeighbourSpec(("dep", "pop"), 2, (1.0,)), "one weight")):
        with pytest.raises(AtlasError, match=words):
            similar_clusters(bundle, stats, spec)
    assert bundle_spec(bundle) == NeighbourSpec((), 4)  # no setting: no context; the others


def test_compared_with_the_pool_of_similar_clusters(small):
    bundle, stats = small
    peers = similar_clusters(bundle, stats, NeighbourSpec(("dep", "pop"), 2)).peers()
    assert dict(zip(peers.clusters, peers.groups))["A"] == ("B", "C")
    judged = stats.with_comparison(Comparison(95.0, SIMILAR, peers))
    pooled = judged.peer_values("p", "2024", peers)
    # A's similar clusters B and C: (10 + 50) / (100 + 200)
    assert pooled["A"] == pytest.approx(60 / 300 * 100)
    assert pooled["D"] == pytest.approx((10 + 50) / (100 + 200) * 100)  # D's are B and C too
    assert np.isnan(pooled["E"])  # not placed: no similar clusters
    values = judged.cluster_values("p", "2024")
    # A: 30% (interval about 22% to 40%) against 20%: significantly higher, so worse
    assert values.at["A", "lower95"] > pooled["A"]
    assert values.at["A", "significance"] == Significance.WORSE.value
    assert values.at["E", "significance"] == Significance.NOT_COMPARED.value
    assert values.at["B", "significance"] == Significance.BETTER.value  # 10% against (30+90)/400
    assert judged.comparison.column == "Compared with similar clusters"


def test_a_suppressed_similar_cluster_leaves_its_neighbours_not_compared():
    # E's count of 2 is suppressed, and B's 10 with it (else the county less the others
    # would give E away); by deprivation alone D's nearest is E, and A's is C
    bundle = _bundle(threshold=5, deprivation={"A": 36, "B": 10, "C": 40, "D": 55, "E": 53})
    stats = compute_statistics(bundle)
    peers = similar_clusters(bundle, stats, NeighbourSpec(("dep",), 1)).peers()
    groups = dict(zip(peers.clusters, peers.groups))
    assert groups["D"] == ("E",) and groups["A"] == ("C",)
    judged = stats.with_comparison(Comparison(95.0, SIMILAR, peers))
    pooled = judged.peer_values("p", "2024", peers)
    values = judged.cluster_values("p", "2024")
    assert list(values.index[values["suppressed"]]) == ["B", "E"]
    assert np.isnan(pooled["D"]) and values.at["D", "significance"] == "not compared"
    assert pooled["A"] == pytest.approx(25.0)  # C's 50 of 200
    assert values.at["A", "significance"] == Significance.SIMILAR.value  # 30% of 100


def test_a_comparison_against_similar_clusters_needs_them():
    with pytest.raises(ValueError):
        Comparison(95.0, SIMILAR)


def test_standardised_rates_and_means_pool_as_one_group():
    """A DSR pooled band by band (against dsr_from_sums of the summed bands) and a mean
    weighted by its denominators."""
    import pandas as pd

    from desktop.core.model import AGE_BAND_COLUMNS, VALUE_COLUMNS
    from desktop.core.standard_population import standard_population
    from desktop.core.stats.dsr import band_terms, dsr_from_sums

    names = ("0-4", "5-9", "10-14", "15-19")
    rows, bands = [], []
    for k, c in enumerate(CLUSTERS):
        rows.append(("dep", f"{c}1", "2024", np.nan, np.nan, DEPRIVATION[c]))
        rows.append(("m", f"{c}1", "2024", np.nan, 100.0 * (k + 1), 50.0 + k))
        for b, band in enumerate(names):
            bands.append(("d", f"{c}1", "2024", band, 15.0 + 4 * k + b, 800.0 + 90 * b))
    bands = pd.DataFrame(bands, columns=list(AGE_BAND_COLUMNS))
    totals = bands.groupby(["indicator_id", "area_code", "period"], as_index=False)[
        ["numerator", "denominator"]].sum().assign(value=np.nan)
    values = pd.concat([pd.DataFrame(rows, columns=list(VALUE_COLUMNS)),
                        totals[list(VALUE_COLUMNS)]], ignore_index=True)
    bundle = make_bundle([indicator("dep", ValueType.SCORE, periods=("2024",)),
                          indicator("m", ValueType.MEAN, periods=("2024",)),
                          indicator("d", ValueType.DSR, multiplier=100_000, periods=("2024",))],
                         values, areas=AREAS, clusters=CLUSTERS, threshold=0, age_bands=bands)
    stats = compute_statistics(bundle)
    peers = similar_clusters(bundle, stats, NeighbourSpec(("dep",), 2)).peers()
    group = dict(zip(peers.clusters, peers.groups))["E"]  # dep 20: A and B (10) before C and D
    assert group == ("A", "B")
    pool = bands[bands["area_code"].isin(["A1", "B1"])].groupby("age_band", sort=False)[
        ["numerator", "denominator"]].sum()
    standard = np.array([standard_population()[b] for b in pool.index])
    weighted, squared = band_terms(pool["numerator"].to_numpy(), pool["denominator"].to_numpy(),
                                   standard)
    want = dsr_from_sums(pool["numerator"].sum(), weighted.sum(), squared.sum(),
                         standard.sum(), 100_000)["value"]
    assert stats.peer_values("d", "2024", peers)["E"] == pytest.approx(float(want))
    # the mean: A's 50 and B's 51 weighted by 100 and 200
    assert stats.peer_values("m", "2024", peers)["E"] == pytest.approx((50 * 100 + 51 * 200) / 300)
