"""Two-sample methods for "against the rest of the county", each checked against published
worked examples or an independent computation (scipy's own implementations)."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats as sp

from desktop.core.stats.two_sample import (
    direction,
    log_ratio_direction,
    newcombe_difference,
    rate_ratio_exact,
    welch_direction,
    welch_t,
    z_direction,
)

# Newcombe RG. Interval estimation for the difference between independent proportions:
# comparison of eleven methods. Stat Med 1998;17:873-890, Table II, method 10 (hybrid score).
NEWCOMBE_TABLE_II = [
    ((56, 70, 48, 80), (0.0524, 0.3339)),
    ((9, 10, 3, 10), (0.1705, 0.8090)),
    ((6, 7, 2, 7), (0.0582, 0.8062)),
    ((5, 56, 0, 29), (-0.0381, 0.1926)),
    ((0, 10, 0, 20), (-0.1611, 0.2775)),
    ((0, 10, 0, 10), (-0.2775, 0.2775)),
    ((10, 10, 0, 20), (0.6791, 1.0000)),
    ((10, 10, 0, 10), (0.6075, 1.0000)),
]


@pytest.mark.parametrize(("counts", "published"), NEWCOMBE_TABLE_II)
def test_newcombe_matches_the_published_examples(counts, published):
    lower, upper = newcombe_difference(*counts)
    assert (round(float(lower), 4), round(float(upper), 4)) == published


@pytest.mark.parametrize("confidence", [0.95, 0.998])
def test_newcombe_is_built_from_scipys_wilson_intervals(confidence):
    rng = np.random.default_rng(7)
    n1, n2 = rng.integers(5, 5000, 50), rng.integers(5, 5000, 50)
    x1, x2 = rng.integers(0, n1 + 1), rng.integers(0, n2 + 1)
    lower, upper = newcombe_difference(x1, n1, x2, n2, confidence)
    for i in range(50):
        l1, u1 = sp.binomtest(int(x1[i]), int(n1[i])).proportion_ci(confidence, "wilson")
        l2, u2 = sp.binomtest(int(x2[i]), int(n2[i])).proportion_ci(confidence, "wilson")
        p1, p2 = x1[i] / n1[i], x2[i] / n2[i]
        assert lower[i] == pytest.approx(p1 - p2 - np.hypot(p1 - l1, u2 - p2), abs=1e-12)
        assert upper[i] == pytest.approx(p1 - p2 + np.hypot(u1 - p1, p2 - l2), abs=1e-12)


@pytest.mark.parametrize("confidence", [0.95, 0.998])
def test_rate_ratio_interval_is_clopper_pearson_on_the_conditional_binomial(confidence):
    rng = np.random.default_rng(11)
    x1, x2 = rng.integers(0, 300, 40), rng.integers(0, 300, 40)
    n1, n2 = rng.uniform(1e3, 1e5, 40), rng.uniform(1e3, 1e5, 40)
    lower, upper = rate_ratio_exact(x1, n1, x2, n2, confidence)
    for i in range(40):
        if x1[i] + x2[i] == 0:
            continue
        ci = sp.binomtest(int(x1[i]), int(x1[i] + x2[i])).proportion_ci(confidence, "exact")
        scale = n2[i] / n1[i]
        assert lower[i] == pytest.approx(ci.low / (1 - ci.low) * scale, rel=1e-9)
        if ci.high < 1:
            assert upper[i] == pytest.approx(ci.high / (1 - ci.high) * scale, rel=1e-9)
        else:
            assert upper[i] == np.inf


def test_rate_ratio_excludes_one_exactly_when_a_one_sided_binomial_test_rejects():
    """The central exact interval excludes 1 iff one of the two one-sided exact tests of
    'equal rates' (x1 ~ Bin(x1 + x2, n1 / (n1 + n2))) rejects at alpha / 2."""
    rng = np.random.default_rng(3)
    x1, x2 = rng.integers(0, 60, 400), rng.integers(0, 60, 400)
    n1, n2 = rng.uniform(500, 5000, 400), rng.uniform(500, 5000, 400)
    lower, upper = rate_ratio_exact(x1, n1, x2, n2)
    total, p0 = x1 + x2, n1 / (n1 + n2)
    high = sp.binom.sf(x1 - 1, total, p0) <= 0.025  # P(X >= x1)
    low = sp.binom.cdf(x1, total, p0) <= 0.025
    np.testing.assert_array_equal(direction(lower, upper, 1.0), np.where(
        high, 1.0, np.where(low, -1.0, 0.0)))


def test_no_events_at_all_is_no_difference():
    lower, upper = rate_ratio_exact(0, 1000, 0, 5000)
    assert lower == 0 and np.isinf(upper) and direction(lower, upper, 1.0) == 0


def test_welch_matches_scipy():
    rng = np.random.default_rng(5)
    m1, m2 = rng.normal(50, 5, 30), rng.normal(50, 5, 30)
    s1, s2 = rng.uniform(5, 15, 30), rng.uniform(5, 15, 30)
    n1, n2 = rng.integers(5, 400, 30), rng.integers(5, 400, 30)
    t, _ = welch_t(m1, s1 * s1 / n1, n1, m2, s2 * s2 / n2, n2)
    reference = sp.ttest_ind_from_stats(m1, s1, n1, m2, s2, n2, equal_var=False)
    np.testing.assert_allclose(t, reference.statistic, rtol=1e-12)
    for confidence in (0.95, 0.998):
        got = welch_direction(m1, s1 * s1 / n1, n1, m2, s2 * s2 / n2, n2, confidence)
        expected = np.where(reference.pvalue < 1 - confidence, np.sign(t), 0.0)
        np.testing.assert_array_equal(got, expected)


def test_z_tests():
    assert z_direction(10.0, 1.0, 7.0, 1.0) == 1.0  # z = 2.12
    assert z_direction(10.0, 1.0, 7.0, 1.0, 0.998) == 0.0
    assert z_direction(7.0, 1.0, 10.0, 1.0) == -1.0
    assert np.isnan(z_direction(7.0, 0.0, 10.0, 0.0))
    # two DSRs of 100 and 130 with standard errors 8 and 9: log ratio -0.262, se 0.1038
    assert log_ratio_direction(100.0, 64.0, 130.0, 81.0) == -1.0
    assert log_ratio_direction(100.0, 64.0, 110.0, 81.0) == 0.0
    assert np.isnan(log_ratio_direction(np.nan, 64.0, 110.0, 81.0))
