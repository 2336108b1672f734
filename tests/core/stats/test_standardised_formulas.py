"""DSR (Dobson) and ISR formulas against PHEindicatormethods' own test vectors (testDSRs.R,
testISRatios.R): the same inputs, the same outputs to 1e-6."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from desktop.core.standard_population import standard_population
from desktop.core.stats.dsr import band_terms, dsr_from_sums
from desktop.core.stats.isr import expected_counts, isr_from_sums

REF = Path(__file__).parent.parent / "reference" / "phe-indicator-methods"
PREFIX = "testdata_DSR_ISR__"
RTOL = 1e-6
LIMITS = {"lower95": "lower95_0cl", "upper95": "upper95_0cl", "lower998": "lower99_8cl",
          "upper998": "upper99_8cl"}


def _read(name: str) -> pd.DataFrame:
    return pd.read_csv(REF / f"{PREFIX}{name}.csv")


def _dsr(frame: pd.DataFrame, standard: np.ndarray, multiplier: float) -> dict:
    weighted, squared = band_terms(frame["count"].to_numpy(float),
                                   frame["pop"].to_numpy(float), standard)
    return dsr_from_sums(frame["count"].sum(), weighted.sum(), squared.sum(), standard.sum(),
                         multiplier)


def _close(actual, expected) -> None:
    if pd.isna(expected):
        assert np.isnan(actual)
    else:
        assert float(actual) == pytest.approx(expected, rel=RTOL)


@pytest.mark.parametrize(("rows", "multiplier"), [(slice(0, 3), 10_000),
                                                  (slice(4, 7), 100_000)])
def test_dsr_with_the_2013_european_standard_population(rows, multiplier):
    data = _read("testdata_multiarea")
    expected = _read("testresults_DSR").iloc[rows]
    esp = np.array(list(standard_population().values()))
    assert esp.sum() == 100_000 and len(esp) == 19
    for _, want in expected.iterrows():
        area = data[data["area"] == want["area"]]
        got = _dsr(area, esp, multiplier)
        assert area["count"].sum() == want["total_count"]
        _close(got["value"], want["value"])
        for ours, theirs in LIMITS.items():
            _close(got[ours], want[theirs])
    # "testdata_tiny": 9 events, so no DSR (PHE: "dsr NA for total count < 10")
    assert expected["area"].iloc[-1] == "testdata_tiny" and np.isnan(got["value"])


def test_dsr_with_a_user_standard_population():
    data = _read("testdata_1976")
    want = _read("testresults_DSR").iloc[7]
    got = _dsr(data, data["esp1976"].to_numpy(float), 100_000)
    _close(got["value"], want["value"])
    _close(got["lower95"], want["lower95_0cl"])
    _close(got["upper95"], want["upper95_0cl"])


def test_the_shipped_standard_population_is_phe_esp2013():
    # PHEindicatormethods data-raw/LoadTestdata.R: esp2013
    assert list(standard_population().values()) == [
        5000, 5500, 5500, 5500, 6000, 6000, 6500, 7000, 7000, 7000, 7000, 6500, 6000, 5500,
        5000, 4000, 2500, 1500, 1000]
    assert list(standard_population())[:3] == ["0-4", "5-9", "10-14"]
    assert list(standard_population())[-1] == "90+"


def _isr(frame: pd.DataFrame, reference: pd.DataFrame, multiplier: float) -> dict:
    expected = expected_counts(frame["pop"].to_numpy(float),
                               reference["refcount"].to_numpy(float),
                               reference["refpop"].to_numpy(float)).sum()
    result = isr_from_sums(frame["count"].sum(), expected, multiplier)
    result["expected"] = expected
    return result


@pytest.mark.parametrize(("rows", "multiplier"), [(slice(6, 9), 1), (slice(9, 12), 100)])
def test_isr_against_reference_rates(rows, multiplier):
    data = _read("testdata_multiarea")
    reference = _read("refdata")
    for _, want in _read("testresults_ISR").iloc[rows].iterrows():
        got = _isr(data[data["area"] == want["area"]], reference, multiplier)
        _close(got["expected"], want["expected"])
        _close(got["value"], want["value"])
        for ours, theirs in LIMITS.items():
            _close(got[ours], want[theirs])


def test_isr_with_reference_columns_in_the_data():
    data = _read("testdata_multiarea_isr")
    want = _read("testresults_ISR").iloc[9]
    area = data[data["area"] == want["area"]]
    got = _isr(area, area.rename(columns={}), 100)
    _close(got["value"], want["value"])


def test_isr_with_a_band_of_no_population():
    data = _read("testdata_err2")
    reference = _read("refdata")
    for _, want in _read("testresults_ISR").iloc[14:16].iterrows():
        got = _isr(data[data["area"] == want["area"]], reference, 100)
        _close(got["expected"], want["expected"])
        _close(got["value"], want["value"])
        _close(got["lower95"], want["lower95_0cl"])
        _close(got["upper95"], want["upper95_0cl"])
