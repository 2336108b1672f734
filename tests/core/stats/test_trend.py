"""Recent trend as Fingertips calculates it: its own test vectors, an independent regression,
the leave-one-out check, the run of valid points and the reasons a trend cannot be made."""

from __future__ import annotations

import numpy as np
import pytest

from desktop.core.model import COUNTY, Polarity, Trend, ValueType
from desktop.core.stats.aggregate import compute_statistics
from desktop.core.stats.trend import (
    CHI2_998,
    CHI2_FOR_TREND,
    NO_METHOD,
    REASONS,
    TOO_FEW_POINTS,
    TOO_FEW_VALID,
    TREND_CODES,
    WEIGHTED_REGRESSION,
    ZERO_OR_ALL,
    recent_trends,
    trend_of,
    trend_words,
)
from tests.core.helpers_bundle import AREAS, indicator, make_bundle, sample_bundle

# fingertips-open PholioVisualisationWS/AnalysisTest/TrendMarkerCalculatorTest.cs: (year,
# count, denominator, value, lower 95%, upper 95%), given newest first there.
SET_1 = [(2018, 1367, 44701, 30.6, 28.98, 32.25), (2017, 1332, 44064, 30.2, 28.63, 31.9),
         (2016, 1199, 42811, 28, 26.44, 29.64), (2015, 1023, 41527, 24.6, 23.15, 26.19),
         (2014, 994, 40299, 24.67, 23.16, 26.25)]
SET_2 = [(2014, 209, 1017, 20.5506, 18.1803, 23.1427), (2015, 213, 1087, 19.5952, 17.3444, 22.0602),
         (2016, 213, 1119, 19.0349, 16.8421, 21.4394), (2017, 239, 1117, 21.3966, 19.0918, 23.8975),
         (2018, 210, 1139, 18.4372, 16.2925, 20.7941)]
PROPORTION_SET_2 = [(2012, 5, 5, 100, 0, 0), (2013, 3, 5, 60, 0, 0), (2014, 1, 5, 20, 0, 0),
                    (2015, 1, 4, 25, 0, 0), (2016, 2, 4, 50, 0, 0)]


def _run(method: int, points: list[tuple]) -> tuple[Trend, str, float]:
    """One series through recent_trends, points sorted oldest first as the caller must."""
    _, x, n, v, lo, hi = (np.array(c, dtype=float)[None] for c in zip(*sorted(points)))
    ones = np.ones(x.shape, bool)
    code, reason, chi2 = recent_trends(np.array([method]), v, x, n, lo, hi, ones, ones)
    return TREND_CODES[code[0]], REASONS[reason[0]], float(chi2[0])


def test_fingertips_regression_vectors():
    trend, reason, chi2 = _run(WEIGHTED_REGRESSION, SET_1)
    assert round(chi2, 2) == 46.77 and trend is Trend.INCREASING and reason == ""
    trend, _, chi2 = _run(WEIGHTED_REGRESSION, SET_2)
    assert trend is Trend.NO_CHANGE


def test_fingertips_proportion_vectors():
    trend, reason, chi2 = _run(CHI2_FOR_TREND, SET_1)
    assert round(chi2, 1) == 47.9 and trend is Trend.INCREASING
    trend, reason, chi2 = _run(CHI2_FOR_TREND, PROPORTION_SET_2)  # 5 of 5: count = denominator
    assert trend is Trend.CANNOT and reason == REASONS[ZERO_OR_ALL] and np.isnan(chi2)


def test_regression_matches_numpy_weighted_least_squares():
    """An independent fit: numpy.polyfit weights by 1/sigma and its unscaled covariance is
    (X'WX)^-1, so chi-squared = slope^2 / var(slope) must be the calculator's."""
    _, _, _, v, lo, hi = (np.array(c, dtype=float) for c in zip(*sorted(SET_2)))
    se = (hi - lo) / 3.92
    coef, cov = np.polyfit(np.arange(1.0, 6.0), v, 1, w=1 / se, cov="unscaled")
    _, _, chi2 = _run(WEIGHTED_REGRESSION, SET_2)
    assert chi2 == pytest.approx(coef[0] ** 2 / cov[0, 0], rel=1e-12)


def test_chi2_for_trend_matches_the_regression_form():
    """Armitage (1955): chi2 = b^2 / var(b) of the n-weighted regression of p on time."""
    _, x, n, *_ = (np.array(c, dtype=float) for c in zip(*sorted(SET_1)))
    t = np.arange(1.0, 6.0)
    p = x.sum() / n.sum()
    t_bar = (n * t).sum() / n.sum()
    sxx = (n * (t - t_bar) ** 2).sum()
    b = (n * (x / n - p) * (t - t_bar)).sum() / sxx
    _, _, chi2 = _run(CHI2_FOR_TREND, SET_1)
    assert chi2 == pytest.approx(b * b / (p * (1 - p) / sxx), rel=1e-12)


def test_a_slope_that_turns_when_one_point_is_dropped_is_not_significant():
    # Falling for four periods, then one very high point: the five-point slope is strongly
    # positive, the slope without the last point negative.
    points = [(2019 + k, np.nan, np.nan, v, v - 0.2, v + 0.2)
              for k, v in enumerate([11.0, 10.5, 10.0, 9.5, 30.0])]
    trend, reason, chi2 = _run(WEIGHTED_REGRESSION, points)
    assert chi2 > CHI2_998 and trend is Trend.NO_CHANGE and reason == ""
    falling = [*points[:4], (2023, np.nan, np.nan, 9.0, 8.8, 9.2)]
    assert _run(WEIGHTED_REGRESSION, falling)[0] is Trend.DECREASING


def test_only_the_five_newest_valid_points_count():
    # A fall in the first two periods, then flat: the five newest points show no change.
    x = [900, 10, 100, 100, 101, 99, 100]
    assert trend_of("proportion", x, [1000.0] * 7).trend is Trend.NO_CHANGE
    rising = [100, 120, 140, 160, 180, 200, 220]
    # an old suppressed period does not matter; the newest one does
    assert trend_of("proportion", rising, [1000.0] * 7,
                    suppressed=[True, False, False, False, False, False, False]
                    ).trend is Trend.INCREASING
    result = trend_of("proportion", rising, [1000.0] * 7,
                      suppressed=[False] * 6 + [True])
    assert result.trend is Trend.CANNOT and result.reason == REASONS[TOO_FEW_VALID]


def test_a_period_without_a_row_is_skipped_not_a_break():
    # Fingertips counts the points a series has: a period with no row at all is no point.
    x = [100, 120, np.nan, 140, 160, 180]
    n = [1000.0, 1000, np.nan, 1000, 1000, 1000]
    assert trend_of("proportion", x, n).trend is Trend.INCREASING
    assert trend_of("proportion", x[:5], n[:5]).reason == REASONS[TOO_FEW_POINTS]


@pytest.mark.parametrize(("kind", "numerators", "expected"), [
    ("proportion", [100, 120, 140, 160, 180], Trend.INCREASING),
    ("proportion", [180, 160, 140, 120, 100], Trend.DECREASING),
    ("proportion", [150, 152, 149, 151, 150], Trend.NO_CHANGE),
    ("rate", [50, 70, 90, 110, 130], Trend.INCREASING),
    ("rate", [130, 110, 90, 70, 50], Trend.DECREASING),
    ("rate", [80, 82, 79, 81, 80], Trend.NO_CHANGE),
    ("rate", [0, 0, 0, 0, 3], Trend.NO_CHANGE),  # zero counts still have exact intervals
])
def test_constructed_series(kind, numerators, expected):
    result = trend_of(kind, numerators, [1000.0] * 5, 1000)
    assert result.trend is expected and result.reason == ""
    assert result.method == ("chi-squared test for trend" if kind == "proportion"
                             else "weighted regression (1/SE squared)")


@pytest.mark.parametrize("kind", ["count", "mean", "score", "dsr", "isr"])
def test_no_trend_for_other_value_types(kind):
    result = trend_of(kind, [50, 70, 90, 110, 130], [1000.0] * 5)
    assert result.trend is Trend.CANNOT and result.method == ""
    assert result.reason.startswith("not calculated for this value type")


def test_a_proportion_of_zero_cannot_be_tested():
    result = trend_of("proportion", [0, 10, 20, 30, 40], [100.0] * 5)
    assert result.trend is Trend.CANNOT and result.reason == REASONS[ZERO_OR_ALL]


def test_words_follow_polarity():
    assert trend_words(Trend.INCREASING, Polarity.HIGHER_IS_WORSE) == \
        "Increasing and getting worse"
    assert trend_words(Trend.DECREASING, Polarity.HIGHER_IS_BETTER) == \
        "Decreasing and getting worse"
    assert trend_words(Trend.DECREASING, Polarity.HIGHER_IS_WORSE) == \
        "Decreasing and getting better"
    assert trend_words(Trend.INCREASING, Polarity.NO_JUDGEMENT) == "Increasing"
    assert trend_words(Trend.NO_CHANGE, Polarity.HIGHER_IS_WORSE) == "No significant change"
    assert trend_words(Trend.CANNOT, Polarity.HIGHER_IS_BETTER) == "Cannot be calculated"


def test_statistics_trends_for_clusters_and_county():
    stats = compute_statistics(sample_bundle())
    assert stats.trend("obese", "East") is Trend.INCREASING
    assert stats.trend("obese", COUNTY) is Trend.INCREASING
    assert stats.trend("good_level", "North") is Trend.DECREASING
    pupils = stats.trend_result("pupils", "North")
    assert pupils.trend is Trend.CANNOT and pupils.method == ""  # a count: no trend at all
    assert stats.trend_result("attainment", "South").reason.startswith("not calculated")
    trends = stats.trends
    assert tuple(trends.columns) == ("indicator_id", "level", "code", "trend", "method",
                                     "reason")
    assert len(trends) == 7 * 4
    row = trends[(trends["indicator_id"] == "obese") & (trends["code"] == "East")]
    assert row["trend"].item() == "increasing" and row["level"].item() == "cluster"
    assert row["method"].item() == "chi-squared test for trend" and row["reason"].item() == ""


def test_statistics_agree_with_the_single_series_function():
    bundle = sample_bundle()
    stats = compute_statistics(bundle)
    for ind in bundle.manifest.indicators:
        for code, level in [(c, "cluster") for c in bundle.cluster_names] + [(COUNTY, "county")]:
            series = stats.series(ind.id, code, level)
            single = trend_of(ind.value_type, series["numerator"], series["denominator"],
                              ind.multiplier, series["suppressed"])
            assert stats.trend_result(ind.id, code) == single, (ind.id, code)


def test_a_suppressed_latest_period_makes_the_trend_impossible():
    ind = indicator("p", ValueType.PROPORTION)  # six periods
    rows = []
    for t, year in enumerate(ind.periods):
        for code, _, cluster in AREAS:
            count = 1.0 if (cluster == "North" and year == ind.periods[-1]) else 40.0 + 20 * t
            rows.append(("p", code, year, count, 400.0, np.nan))
    stats = compute_statistics(make_bundle([ind], rows))
    assert stats.cluster_values("p", ind.periods[-1]).loc["North", "suppressed"]
    north = stats.trend_result("p", "North")
    assert north.trend is Trend.CANNOT and north.reason == REASONS[TOO_FEW_VALID]
    assert stats.trend("p", "South") is Trend.INCREASING
    assert stats.trend("p", COUNTY) is Trend.INCREASING


def test_an_older_suppressed_period_leaves_five_valid_points():
    ind = indicator("p", ValueType.PROPORTION)  # six periods: the oldest may be suppressed
    rows = [("p", code, year, 1.0 if (cluster == "North" and t == 0) else 40.0 + 20 * t,
             400.0, np.nan)
            for t, year in enumerate(ind.periods) for code, _, cluster in AREAS]
    stats = compute_statistics(make_bundle([ind], rows))
    assert stats.cluster_values("p", ind.periods[0]).loc["North", "suppressed"]
    assert stats.trend("p", "North") is Trend.INCREASING


def test_method_codes_cover_the_value_types():
    from desktop.core.stats.trend import METHOD_OF_TYPE

    assert {k: METHOD_OF_TYPE.get(k, NO_METHOD) for k in ("proportion", "rate", "count")} == {
        "proportion": CHI2_FOR_TREND, "rate": WEIGHTED_REGRESSION, "count": NO_METHOD}
