"""Pearson's r and Fisher's interval (stats.correlation) against a worked example."""

from __future__ import annotations

import math

import numpy as np
import pytest

from desktop.core.stats.correlation import pearson, strength


def test_a_worked_example():
    # x 1..5, y 2 4 5 4 5: Sxy = 6, Sxx = 10, Syy = 6, so r = 6 / sqrt(60) = sqrt(0.6)
    found = pearson([1, 2, 3, 4, 5], [2, 4, 5, 4, 5])
    r = math.sqrt(0.6)
    assert found.r == pytest.approx(r) and found.n == 5
    z, se = math.atanh(r), 1 / math.sqrt(5 - 3)
    assert found.lower == pytest.approx(math.tanh(z - 1.959964 * se), abs=1e-6)
    assert found.upper == pytest.approx(math.tanh(z + 1.959964 * se), abs=1e-6)
    assert found.r_squared == pytest.approx(0.6)
    assert strength(found.r) == "a strong positive correlation"


def test_missing_values_are_left_out():
    found = pearson([1, 2, np.nan, 3, 4, 5], [2, 4, 9, 5, np.nan, 4])
    assert found.n == 4
    assert found.r == pytest.approx(np.corrcoef([1, 2, 3, 5], [2, 4, 5, 4])[0, 1])


def test_too_few_points_say_why():
    assert "needs at least 3" in pearson([1, 2], [3, 4]).reason
    three = pearson([1, 2, 3], [1, 3, 2])
    assert np.isfinite(three.r) and np.isnan(three.lower) and "at least 4" in three.reason
    flat = pearson([1, 2, 3, 4], [5, 5, 5, 5])
    assert np.isnan(flat.r) and "same value" in flat.reason
    assert strength(-0.05) == "little or no correlation"
