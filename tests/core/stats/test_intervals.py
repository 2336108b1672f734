"""Confidence intervals against every row of the PHEindicatormethods 2.1.0 reference vectors."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from desktop.core.model import ValueType
from desktop.core.stats import intervals as stats

REF = Path(__file__).parent.parent / "reference" / "phe-indicator-methods"
RTOL = 1e-6
# Confidence given both ways (fraction and percentage), with the reference column names.
LEVELS_A = ((95, "lower95_0cl", "upper95_0cl"), (0.998, "lower99_8cl", "upper99_8cl"))
LEVELS_B = ((0.95, "lower95_0cl", "upper95_0cl"), (99.8, "lower99_8cl", "upper99_8cl"))


def _rows(name: str) -> list[pytest.param]:
    frame = pd.read_csv(REF / name)
    return [pytest.param(row, id=f"{name}-{i}") for i, row in enumerate(frame.to_dict("records"))]


def _close(actual: float, expected: float) -> None:
    """Equal to 1e-6 relative, where a missing expected value means NaN must come out."""
    if pd.isna(expected):
        assert np.isnan(actual), f"expected NaN, got {actual}"
    else:
        assert actual == pytest.approx(expected, rel=RTOL, abs=0.0)


def _confidence(text: str) -> float:
    return float(text.rstrip("%"))


@pytest.mark.parametrize("row", _rows("testdata_B_W.csv"))
def test_byar_and_wilson_vectors(row):
    level = _confidence(row["confidence"])
    if row["method"] == "Byars":
        lower, upper = stats.byar_ci(row["x"], level)
    else:
        lower, upper = stats.wilson_ci(row["x"], row["n"], level)
    _close(float(lower), row["lowercl"])
    _close(float(upper), row["uppercl"])


@pytest.mark.parametrize("row", _rows("testdata_Prop.csv"))
def test_proportion_vectors(row):
    for level, lo, hi in LEVELS_A:
        value, lower, upper = stats.ci_for(ValueType.PROPORTION, row["Numerator"],
                                           row["Denominator"], row["multiplier"], level)
        _close(float(value), row["value"])
        _close(float(lower), row[lo])
        _close(float(upper), row[hi])


@pytest.mark.parametrize("row", _rows("testdata_Prop_g.csv"))
def test_grouped_proportion_vectors(row):
    value, lower, upper = stats.ci_for("proportion", row["Numerator"], row["Denominator"],
                                       row["multiplier"], _confidence(row["confidence"]))
    _close(float(value), row["value"])
    _close(float(lower), row["lowercl"])
    _close(float(upper), row["uppercl"])


@pytest.mark.parametrize("row", _rows("testdata_Rate.csv"))
def test_rate_vectors(row):
    for level, lo, hi in LEVELS_B:
        value, lower, upper = stats.ci_for(ValueType.RATE, row["Numerator"], row["Denominator"],
                                           row["multiplier"], level)
        _close(float(value), row["value"])
        _close(float(lower), row[lo])
        _close(float(upper), row[hi])


@pytest.mark.parametrize("row", _rows("testdata_Rate_g.csv"))
def test_grouped_rate_vectors(row):
    value, lower, upper = stats.ci_for("rate", row["Numerator"], row["Denominator"],
                                       row["multiplier"], _confidence(row["confidence"]))
    _close(float(value), row["value"])
    _close(float(lower), row["lowercl"])
    _close(float(upper), row["uppercl"])


def _mean_cases() -> list[pytest.param]:
    samples = pd.read_csv(REF / "testdata_Mean.csv")
    results = pd.read_csv(REF / "testdata_Mean_results.csv")
    cases = []
    for row in results.to_dict("records"):
        values = samples["values"] if row["area"] == "No grouping" else \
            samples.loc[samples["area"] == row["area"], "values"]
        cases.append(pytest.param(values.to_numpy(), row, id=row["area"]))
    return cases


@pytest.mark.parametrize(("values", "row"), _mean_cases())
def test_mean_vectors(values, row):
    for level, lo, hi in LEVELS_A:
        mean, lower, upper = stats.mean_ci(values, level)
        _close(mean, row["value"])
        _close(lower, row[lo])
        _close(upper, row[hi])
    mean, lower, upper = stats.mean_ci_from_summary(row["value_sum"], row["value_count"],
                                                    row["stdev"], 95)
    _close(float(lower), row["lower95_0cl"])
    _close(float(upper), row["upper95_0cl"])


def test_z_values_are_qnorm():
    assert stats.z_value(95) == pytest.approx(1.959964, abs=1e-6)
    assert stats.z_value(0.998) == pytest.approx(3.090232, abs=1e-6)
    assert stats.z_value(0.95) == stats.z_value(95)


def test_poisson_switches_from_exact_to_byar_at_ten():
    counts = np.array([0.0, 9.0, 10.0, np.nan])
    lower, upper = stats.poisson_ci(counts, 95)
    exact_lo, exact_hi = stats.exact_poisson_ci(counts[:2], 95)
    byar_lo, byar_hi = stats.byar_ci(counts[2:3], 95)
    assert lower[0] == 0.0 and upper[0] == pytest.approx(3.688879, rel=1e-6)
    np.testing.assert_allclose(lower[:2], exact_lo)
    np.testing.assert_allclose(upper[:2], exact_hi)
    np.testing.assert_allclose(lower[2:3], byar_lo)
    np.testing.assert_allclose(upper[2:3], byar_hi)
    assert np.isnan(lower[3]) and np.isnan(upper[3])


def test_ci_for_count_and_mean():
    value, lower, upper = stats.ci_for(ValueType.COUNT, [65.0], [np.nan], 1, 95)
    assert value[0] == 65.0
    assert lower[0] == pytest.approx(50.163187710459454, rel=RTOL)
    value, lower, upper = stats.ci_for("score", [np.nan], [10.0], 1, 95, value=[23.4])
    assert value[0] == 23.4 and np.isnan(lower[0]) and np.isnan(upper[0])


def test_bad_confidence_is_rejected():
    with pytest.raises(ValueError):
        stats.z_value(0)
    with pytest.raises(ValueError):
        stats.z_value(100)
