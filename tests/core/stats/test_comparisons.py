"""Verdicts at 95% and 99.8%, against the county and against the rest of the county, through
Statistics.with_comparison."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats as sp

from desktop.core.model import COUNTY, VALUE_COLUMNS, Polarity, Significance, ValueType
from desktop.core.stats.aggregate import compute_statistics
from desktop.core.stats.comparison import (
    DEFAULT,
    REST,
    Comparison,
    parse_level,
)
from tests.core.helpers_bundle import indicator, make_bundle

AREAS = (("A1", "One", "Big"), ("A2", "Two", "Big"), ("A3", "Three", "Big"),
         ("A4", "Four", "Small"), ("A5", "Five", None))
AT_998 = Comparison(99.8)
REST_95 = Comparison(95.0, REST)


def _stats(indicators, rows, **kwargs):
    bundle = make_bundle(indicators, pd.DataFrame(rows, columns=list(VALUE_COLUMNS)),
                         areas=AREAS, clusters=("Big", "Small"), threshold=0, **kwargs)
    return compute_statistics(bundle)


def test_labels_are_fingertips_words():
    assert DEFAULT.label("better") == "Better 95%"
    assert AT_998.label(Significance.WORSE) == "Worse 99.8%"
    assert AT_998.label("similar") == "Similar"
    assert DEFAULT.label("not compared") == "Not compared"
    assert DEFAULT.label("higher") == "Higher 95%"
    assert REST_95.column == "Compared with rest of county"
    assert DEFAULT.heading == "Compared with the county at 95% confidence"
    assert parse_level("99.8") == 99.8 and parse_level("95%") == 95.0
    with pytest.raises(ValueError):
        parse_level("90")
    with pytest.raises(ValueError):
        Comparison(90.0)


def test_the_level_decides_and_99_8_never_adds_a_verdict():
    # Small's rate is significantly high at 95% (z ~ 2.6) but not at 99.8% (z < 3.09)
    ind = indicator("r", ValueType.RATE, Polarity.HIGHER_IS_WORSE, multiplier=1000,
                    periods=("2024",))
    rows = [("r", c, "2024", x, 10_000, np.nan) for c, x in
            (("A1", 100), ("A2", 100), ("A3", 100), ("A4", 128), ("A5", 100))]
    stats = _stats([ind], rows)
    at_95, at_998 = (s.cluster_values("r", "2024") for s in (stats,
                                                             stats.with_comparison(AT_998)))
    assert at_95.loc["Small", "significance"] == "worse"
    assert at_998.loc["Small", "significance"] == "similar"
    county = at_95.loc[COUNTY, "value"]
    assert at_998.loc["Small", "lower998"] < county < at_95.loc["Small", "lower95"]
    assert stats.with_comparison(DEFAULT) is stats
    assert stats.with_comparison(AT_998).comparison == AT_998
    assert stats.cluster_values("r", "2024").loc["Small", "significance"] == "worse"  # kept


def test_areas_follow_the_level():
    ind = indicator("p", ValueType.PROPORTION, Polarity.HIGHER_IS_WORSE, multiplier=100,
                    periods=("2024",))
    rows = [("p", c, "2024", x, 1000, np.nan) for c, x in
            (("A1", 100), ("A2", 100), ("A3", 100), ("A4", 127), ("A5", 100))]
    stats = _stats([ind], rows)
    a4 = stats.area_values("p", "2024").loc["A4", "significance"]
    assert a4 == "worse"
    assert stats.with_comparison(AT_998).area_values("p", "2024").loc["A4", "significance"] \
        == "similar"
    assert stats.area_values("p", "2024").loc["A4", "significance"] == "worse"  # cache per level
    assert stats.with_comparison(REST_95).area_values("p", "2024").loc["A4", "significance"] \
        == "worse"  # areas are compared with the county whatever the benchmark


def test_a_big_cluster_against_the_rest_of_the_county():
    """Big holds most of the county, so its interval contains the county value; against the
    rest of the county the difference shows."""
    ind = indicator("p", ValueType.PROPORTION, Polarity.HIGHER_IS_WORSE, multiplier=100,
                    periods=("2024",))
    rows = [("p", "A1", "2024", 330, 3000, np.nan), ("p", "A2", "2024", 330, 3000, np.nan),
            ("p", "A3", "2024", 330, 3000, np.nan), ("p", "A4", "2024", 80, 1000, np.nan),
            ("p", "A5", "2024", 80, 1000, np.nan)]
    stats = _stats([ind], rows)
    assert stats.cluster_values("p", "2024").loc["Big", "significance"] == "similar"
    rest = stats.with_comparison(REST_95).cluster_values("p", "2024")
    assert rest.loc["Big", "significance"] == "worse"
    # an independent Newcombe interval from scipy's Wilson limits: 990/9000 against 160/2000
    (l1, _), (_, u2) = (sp.binomtest(x, n).proportion_ci(0.95, "wilson")
                          for x, n in ((990, 9000), (160, 2000)))
    p1, p2 = 990 / 9000, 160 / 2000
    assert p1 - p2 - np.hypot(p1 - l1, u2 - p2) > 0
    assert rest.loc[COUNTY, "significance"] == "not compared"
    # the numbers are the same whatever the comparison
    pd.testing.assert_frame_equal(rest.drop(columns="significance"), stats.cluster_values(
        "p", "2024").drop(columns="significance"))


def test_rest_of_county_for_rates_means_and_counts():
    rate = indicator("r", ValueType.RATE, Polarity.HIGHER_IS_BETTER, multiplier=1000,
                     periods=("2024",))
    count = indicator("c", ValueType.COUNT, periods=("2024",))
    mean = indicator("m", ValueType.MEAN, Polarity.HIGHER_IS_BETTER, periods=("2024",))
    rows = []
    for code, x in (("A1", 50), ("A2", 50), ("A3", 50), ("A4", 10), ("A5", 50)):
        rows += [("r", code, "2024", x, 1000, np.nan), ("c", code, "2024", x, np.nan, np.nan),
                 ("m", code, "2024", np.nan, 40.0, 50.0 if code != "A4" else 40.0)]
    frame = pd.DataFrame(rows, columns=list(VALUE_COLUMNS))
    frame["sd"] = np.where(frame["indicator_id"] == "m", 10.0, np.nan)
    bundle = make_bundle([rate, count, mean], frame, areas=AREAS, clusters=("Big", "Small"),
                         threshold=0)
    rest = compute_statistics(bundle).with_comparison(REST_95)
    assert rest.cluster_values("r", "2024").loc["Small", "significance"] == "worse"
    assert rest.cluster_values("c", "2024").loc["Small", "significance"] == "not compared"
    means = rest.cluster_values("m", "2024")
    assert means.loc["Small", "significance"] == "worse"
    # Welch by scipy: Small (40, sd 10, n 40) against the rest: 4 areas of mean 50, sd 10 and
    # n 40 pool to mean 50 and sd sqrt((4 x (39 x 100 + 40 x 2500) - 160 x 2500) / 159)
    rest_sd = np.sqrt((4 * (39 * 100 + 40 * 2500) - 160 * 2500) / 159)
    test = sp.ttest_ind_from_stats(40, 10, 40, 50, rest_sd, 160, equal_var=False)
    assert test.pvalue < 0.05 and test.statistic < 0


def test_suppressed_clusters_and_counties_are_not_compared():
    ind = indicator("p", ValueType.PROPORTION, Polarity.HIGHER_IS_WORSE, periods=("2024",))
    rows = [("p", c, "2024", x, 100, np.nan) for c, x in
            (("A1", 30), ("A2", 30), ("A3", 30), ("A4", 3), ("A5", 30))]
    bundle = make_bundle([ind], pd.DataFrame(rows, columns=list(VALUE_COLUMNS)), areas=AREAS,
                         clusters=("Big", "Small"), threshold=5)
    rest = compute_statistics(bundle).with_comparison(REST_95).cluster_values("p", "2024")
    assert rest.loc["Small", "suppressed"]
    assert rest.loc["Small", "significance"] == "not compared"


def test_demo_verdicts_at_99_8_only_fall_back_to_similar(stats):
    """The demo's 5,472 cluster verdicts: 652 change at 99.8%, each from a significant verdict
    at 95% to "similar" (a wider interval can only contain the county value more often)."""
    before = stats.aggregate_table
    after = stats.with_comparison(AT_998).aggregate_table
    clusters = (before["level"] == "cluster").to_numpy()
    old = before["significance"].astype(str).to_numpy()[clusters]
    new = after["significance"].astype(str).to_numpy()[clusters]
    changed = old != new
    assert clusters.sum() == 5472 and changed.sum() == 652
    assert set(new[changed]) == {"similar"}
    assert set(old[changed]) <= {"better", "worse", "higher", "lower"}
