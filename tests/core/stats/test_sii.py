"""The slope index of inequality against PHEindicatormethods' phe_sii test cases (testSII.R):
the SII, RII and intercept exactly, the simulated limits within the tolerance the package's own
tests allow (0.05)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from desktop.core.stats.sii import NORMAL, PROPORTION, RATE, phe_sii, positions

DATA = pd.read_csv(Path(__file__).parent.parent / "reference" / "phe-indicator-methods"
                   / "testdata_SII.csv")
TOLERANCE = 0.05  # testSII.R: "confidence limits to be within given tolerance"

# (first record, value type, keyword arguments, confidence levels): the calls of testSII.R
CASES = [
    (1, NORMAL, {"use_se": True}, (95,)),
    (1, NORMAL, {}, (95,)),
    (21, NORMAL, {}, (99,)),
    (41, NORMAL, {"use_se": True}, (95,)),
    (61, NORMAL, {"use_se": True, "quintiles": True}, ()),
    (71, RATE, {"use_se": True}, (95,)),
    (71, RATE, {}, (95,)),
    (91, PROPORTION, {"use_se": True}, (95,)),
    (91, PROPORTION, {}, (95,)),
    (111, PROPORTION, {"multiplier": 100}, (95,)),
    (131, PROPORTION, {"multiplier": -100}, (95,)),
    (226, NORMAL, {"use_se": True}, (95, 99)),
    (246, NORMAL, {}, (95,)),
    (266, RATE, {}, (95,)),
    (286, PROPORTION, {}, (95,)),
    (306, RATE, {"transform": True}, (95,)),
    (326, PROPORTION, {"transform": True}, (95,)),
    (346, PROPORTION, {"transform": True, "multiplier": -1}, (95,)),
    (366, RATE, {"transform": True}, (95, 98)),
    (386, RATE, {"transform": True, "multiplier": -1}, (95,)),
    (406, RATE, {"transform": True}, (98,)),
    (426, RATE, {"transform": True}, (95,)),
    (446, PROPORTION, {"transform": True}, (95,)),
    (466, PROPORTION, {"transform": True}, (98,)),
    (486, PROPORTION, {"transform": True}, (95, 98)),
]


def _areas(first: int, quintiles: bool) -> list[pd.DataFrame]:
    size = 5 if quintiles else 10
    rows = DATA[(DATA["RecordNo"] >= first) & (DATA["RecordNo"] < first + 2 * size)]
    return [rows.iloc[:size], rows.iloc[size:]]


def _close(actual: float, expected: float, rel: float) -> None:
    assert actual == pytest.approx(expected, rel=rel), (actual, expected)


@pytest.mark.parametrize(("first", "value_type", "options", "levels"), CASES,
                         ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_phe_sii_cases(first, value_type, options, levels):
    options = dict(options)
    use_se, quintiles = options.pop("use_se", False), options.pop("quintiles", False)
    for area in _areas(first, quintiles):
        area = area.sort_values("Quantile")
        limits = ({"se": area["StandardError"]} if use_se else
                  {"lower": area["LowerCL"], "upper": area["UpperCL"]})
        result = phe_sii(area["Population"], area["Value"], value_type,
                         confidence=levels or (95,), **limits, **options)
        want = area.iloc[0]
        _close(result.sii, want["sii"], 1e-6)
        if pd.notna(want["rii"]):
            _close(result.rii, want["rii"], 1e-6)
        if pd.notna(want["Intercept"]):
            _close(result.intercept, want["Intercept"], 1e-6)
        for k, level in enumerate(levels, start=1):
            lower, upper = result.sii_limits[level / 100]
            _close(lower, want[f"sii_lowercl_{k}"], TOLERANCE)
            _close(upper, want[f"sii_uppercl_{k}"], TOLERANCE)
            if pd.notna(want[f"rii_lowercl_{k}"]):
                rii_lower, rii_upper = result.rii_limits[level / 100]
                _close(rii_lower, want[f"rii_lowercl_{k}"], TOLERANCE)
                _close(rii_upper, want[f"rii_uppercl_{k}"], TOLERANCE)


def test_positions_are_midpoints_of_cumulative_shares():
    np.testing.assert_allclose(positions(np.array([1.0, 1, 2])), [0.125, 0.375, 0.75])


def test_the_same_seed_gives_the_same_limits():
    area = _areas(1, False)[0]
    a, b = (phe_sii(area["Population"], area["Value"], se=area["StandardError"])
            for _ in range(2))
    assert a.sii_limits == b.sii_limits


def test_too_few_quantiles_are_refused():
    with pytest.raises(ValueError, match="5 to 100 quantiles"):
        phe_sii([1, 2, 3], [1, 2, 3], se=[1, 1, 1])
