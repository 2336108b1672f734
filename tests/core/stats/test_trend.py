"""Recent trend: chi-squared tests for trend on constructed series and inside Statistics."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats as sp

from desktop.core.model import COUNTY, Trend, ValueType
from desktop.core.stats.aggregate import compute_statistics
from desktop.core.stats.trend import chi2_for_trend, trend_of
from tests.core.helpers_bundle import AREAS, indicator, make_bundle, sample_bundle

DEN = [1000.0] * 5


@pytest.mark.parametrize(("kind", "numerators", "expected"), [
    ("proportion", [100, 120, 140, 160, 180], Trend.INCREASING),
    ("proportion", [180, 160, 140, 120, 100], Trend.DECREASING),
    ("proportion", [150, 152, 149, 151, 150], Trend.NO_CHANGE),
    ("rate", [50, 70, 90, 110, 130], Trend.INCREASING),
    ("rate", [130, 110, 90, 70, 50], Trend.DECREASING),
    ("rate", [80, 82, 79, 81, 80], Trend.NO_CHANGE),
    ("count", [50, 70, 90, 110, 130], Trend.INCREASING),
    ("count", [0, 0, 0, 0, 0], Trend.NO_CHANGE),
])
def test_constructed_series(kind, numerators, expected):
    denominators = [np.nan] * 5 if kind == "count" else DEN
    assert trend_of(kind, numerators, denominators) is expected


def test_small_change_is_not_significant_at_998():
    # Significant at 95% (chi2 ~ 6.2) but not at 99.8% (needs 9.55).
    x = np.array([100, 108, 116, 124, 132.0])
    chi2, _ = chi2_for_trend(x[None], np.array([DEN]), True)
    assert sp.chi2.ppf(0.95, 1) < chi2[0] < sp.chi2.ppf(0.998, 1)
    assert trend_of("proportion", x, DEN) is Trend.NO_CHANGE


@pytest.mark.parametrize(("kind", "numerators", "denominators"), [
    ("proportion", [100, 120, 140, 160], DEN[:4]),  # four periods only
    ("proportion", [100, 120, np.nan, 160, 180], DEN),  # one missing
    ("rate", [100, 120, 140, 160, 180], [1000, 1000, np.nan, 1000, 1000]),
    ("mean", [1, 2, 3, 4, 5], DEN),
    ("score", [1, 2, 3, 4, 5], DEN),
])
def test_cannot_be_calculated(kind, numerators, denominators):
    assert trend_of(kind, numerators, denominators) is Trend.CANNOT


def test_cochran_armitage_matches_the_regression_form():
    """chi2 = b^2 / var(b) of the weighted regression of p on time (Armitage 1955)."""
    x = np.array([31.0, 40, 38, 52, 61])
    n = np.array([400.0, 420, 390, 410, 405])
    t = np.arange(5.0)
    p = x.sum() / n.sum()
    t_bar = (n * t).sum() / n.sum()
    sxx = (n * (t - t_bar) ** 2).sum()
    b = (n * (x / n - p) * (t - t_bar)).sum() / sxx
    expected = b * b / (p * (1 - p) / sxx)
    chi2, score = chi2_for_trend(x[None], n[None], True)
    assert chi2[0] == pytest.approx(expected, rel=1e-12) and score[0] > 0


def test_poisson_score_test_matches_its_textbook_form():
    x = np.array([12.0, 15, 19, 24, 30])
    n = np.array([5000.0, 5100, 5050, 4900, 5000])
    t = np.arange(5.0)
    expected_counts = n * x.sum() / n.sum()
    t_bar = (expected_counts * t).sum() / expected_counts.sum()
    u = (t * (x - expected_counts)).sum()
    v = (expected_counts * (t - t_bar) ** 2).sum()
    chi2, _ = chi2_for_trend(x[None], n[None], False)
    assert chi2[0] == pytest.approx(u * u / v, rel=1e-12)


def test_only_the_latest_five_periods_count():
    x = [900, 10, 100, 100, 101, 99, 100]  # a fall in the first two periods, then flat
    assert trend_of("proportion", x, [1000.0] * 7) is Trend.NO_CHANGE


def test_statistics_trends_for_clusters_and_county():
    stats = compute_statistics(sample_bundle())
    assert stats.trend("obese", "East") is Trend.INCREASING
    assert stats.trend("obese", COUNTY) is Trend.INCREASING
    assert stats.trend("good_level", "North") is Trend.DECREASING
    assert stats.trend("pupils", "North") is Trend.CANNOT  # two periods
    assert stats.trend("attainment", "South") is Trend.CANNOT  # a mean
    trends = stats.trends
    assert tuple(trends.columns) == ("indicator_id", "level", "code", "trend")
    assert len(trends) == 7 * 4
    row = trends[(trends["indicator_id"] == "obese") & (trends["code"] == "East")]
    assert row["trend"].item() == "increasing" and row["level"].item() == "cluster"


def test_a_suppressed_period_makes_the_trend_impossible():
    ind = indicator("p", ValueType.PROPORTION)  # six periods
    rows = []
    for t, year in enumerate(ind.periods):
        for code, _, cluster in AREAS:
            count = 1.0 if (cluster == "North" and year == "2022") else 40.0 + 20 * t
            rows.append(("p", code, year, count, 400.0, np.nan))
    stats = compute_statistics(make_bundle([ind], rows))
    assert stats.cluster_values("p", "2022").loc["North", "suppressed"]
    assert stats.trend("p", "North") is Trend.CANNOT
    assert stats.trend("p", "South") is Trend.INCREASING
    assert stats.trend("p", COUNTY) is Trend.INCREASING
