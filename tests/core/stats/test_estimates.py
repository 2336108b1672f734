"""Intervals of means and scores from sd or se, and standardised rates from age bands, through
the whole statistics pipeline: areas summed into clusters and the county must give exactly what
PHEindicatormethods gives for the pooled data, and what an independent pandas computation
gives."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from desktop.core.model import AGE_BAND_COLUMNS, COUNTY, VALUE_COLUMNS, Polarity, ValueType
from desktop.core.standard_population import standard_population
from desktop.core.stats.aggregate import compute_statistics
from tests.core.helpers_bundle import indicator, make_bundle

REF = Path(__file__).parent.parent / "reference" / "phe-indicator-methods"
AREAS = (("A1", "One", "X"), ("A2", "Two", "X"), ("A3", "Three", "Y"), ("A4", "Four", None))
LIMITS = (("lower95", "lower95_0cl"), ("upper95", "upper95_0cl"),
          ("lower998", "lower99_8cl"), ("upper998", "upper99_8cl"))


def _bundle(indicators, values: pd.DataFrame, age_bands=None):
    return make_bundle(indicators, values, areas=AREAS, clusters=("X", "Y"), threshold=0,
                       age_bands=age_bands)


def _frame(rows, **extra) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=list(VALUE_COLUMNS))
    for name, column in extra.items():
        frame[name] = column
    return frame


def test_a_mean_with_sd_adds_up_to_phe_mean_of_the_pooled_values():
    """Area1 and Area2 of testdata_Mean give their n, mean and sd; cluster X holds both, so
    its interval must be phe_mean's "No grouping" result over all 26 values."""
    samples = pd.read_csv(REF / "testdata_Mean.csv")
    results = pd.read_csv(REF / "testdata_Mean_results.csv").set_index("area")
    rows, sds = [], []
    for code, area in (("A1", "Area1"), ("A2", "Area2")):
        values = samples.loc[samples["area"] == area, "values"]
        rows.append(("m", code, "2024", np.nan, float(len(values)), values.mean()))
        sds.append(values.std(ddof=1))
    stats = compute_statistics(_bundle([indicator("m", ValueType.MEAN, periods=("2024",))],
                                       _frame(rows, sd=sds)))
    x = stats.cluster_values("m", "2024").loc["X"]
    pooled = results.loc["No grouping"]
    assert x["value"] == pytest.approx(pooled["value"], rel=1e-9)
    for ours, theirs in LIMITS:
        assert x[ours] == pytest.approx(pooled[theirs], rel=1e-6), ours
    areas = stats.area_values("m", "2024")
    for code, area in (("A1", "Area1"), ("A2", "Area2")):
        for ours, theirs in LIMITS:
            assert areas.loc[code, ours] == pytest.approx(results.loc[area, theirs], rel=1e-6)
    assert np.isnan(areas.loc["A3", "lower95"])  # no row: no interval


def test_a_score_with_se_is_weighted_and_compared():
    se = [1.0, 2.0, 1.5, 3.0]
    rows = [("s", "A1", "2024", np.nan, 100.0, 20.0), ("s", "A2", "2024", np.nan, 300.0, 30.0),
            ("s", "A3", "2024", np.nan, 200.0, 10.0), ("s", "A4", "2024", np.nan, 400.0, 25.0)]
    ind = indicator("s", ValueType.SCORE, Polarity.HIGHER_IS_WORSE, periods=("2024",))
    stats = compute_statistics(_bundle([ind], _frame(rows, se=se)))
    table = stats.cluster_values("s", "2024")
    w, m, e = (np.array(c, float) for c in ([100, 300], [20, 30], [1, 2]))
    value = (w * m).sum() / w.sum()
    half = 1.959963984540054 * np.sqrt((w * w * e * e).sum()) / w.sum()
    x = table.loc["X"]
    assert x["value"] == pytest.approx(value) and x["lower95"] == pytest.approx(value - half)
    assert x["upper95"] == pytest.approx(value + half)
    # X (27.5) against the county (24.0): the county lies below X's interval: worse
    county = table.loc[COUNTY, "value"]
    assert county == pytest.approx((2000 + 9000 + 2000 + 10000) / 1000)
    assert x["lower95"] > county and x["significance"] == "worse"
    assert table.loc[COUNTY, "significance"] == "not compared"
    area = stats.area_values("s", "2024").loc["A2"]
    assert area["upper998"] == pytest.approx(30 + 3.090232306167813 * 2.0)


def test_a_mean_without_spread_still_has_no_interval():
    rows = [("m", c, "2024", np.nan, 10.0, v) for c, v in (("A1", 1.0), ("A2", 2.0))]
    stats = compute_statistics(_bundle([indicator("m", ValueType.MEAN, periods=("2024",))],
                                       _frame(rows)))
    x = stats.cluster_values("m", "2024").loc["X"]
    assert np.isnan(x["lower95"]) and x["significance"] == "not compared"


def _band_data(multiarea: pd.DataFrame, period: str = "2024") -> tuple[pd.DataFrame, pd.DataFrame]:
    """testdata_big split into halves A1 and A2 (cluster X), testdata_small as A3 (Y) and
    testdata_tiny as A4 (no cluster): values totals and age bands."""
    labels = list(standard_population())
    big = multiarea[multiarea["area"] == "testdata_big"].reset_index(drop=True)
    half_x, half_n = big["count"] // 2, big["pop"] // 2
    parts = {"A1": (half_x, half_n), "A2": (big["count"] - half_x, big["pop"] - half_n)}
    for code, name in (("A3", "testdata_small"), ("A4", "testdata_tiny")):
        area = multiarea[multiarea["area"] == name].reset_index(drop=True)
        parts[code] = (area["count"], area["pop"])
    bands = pd.concat([pd.DataFrame({"indicator_id": "d", "area_code": code, "period": period,
                                     "age_band": labels, "numerator": x.astype(float),
                                     "denominator": n.astype(float)})
                       for code, (x, n) in parts.items()], ignore_index=True)
    totals = bands.groupby(["indicator_id", "area_code", "period"], as_index=False)[
        ["numerator", "denominator"]].sum().assign(value=np.nan)
    return totals[list(VALUE_COLUMNS)], bands[list(AGE_BAND_COLUMNS)]


def test_a_cluster_dsr_is_the_dsr_of_its_summed_bands():
    multiarea = pd.read_csv(REF / "testdata_DSR_ISR__testdata_multiarea.csv")
    results = pd.read_csv(REF / "testdata_DSR_ISR__testresults_DSR.csv").iloc[4:7] \
        .set_index("area")
    values, bands = _band_data(multiarea)
    ind = indicator("d", ValueType.DSR, Polarity.HIGHER_IS_WORSE, multiplier=100_000,
                    periods=("2024",))
    stats = compute_statistics(_bundle([ind], values, bands))
    table = stats.cluster_values("d", "2024")
    big, small = results.loc["testdata_big"], results.loc["testdata_small"]
    for row, want in ((table.loc["X"], big), (table.loc["Y"], small)):
        assert row["numerator"] == want["total_count"]
        assert row["value"] == pytest.approx(want["value"], rel=1e-6)
        for ours, theirs in LIMITS:
            assert row[ours] == pytest.approx(want[theirs], rel=1e-6)
    areas = stats.area_values("d", "2024")
    assert np.isnan(areas.loc["A4", "value"])  # 9 events: no DSR
    assert areas.loc["A3", "value"] == pytest.approx(small["value"], rel=1e-6)
    # X is far above the county: significantly worse; Y far below: better
    assert table.loc["X", "significance"] == "worse" and table.loc["Y", "significance"] == "better"


def test_an_isr_uses_the_county_rates_as_reference():
    multiarea = pd.read_csv(REF / "testdata_DSR_ISR__testdata_multiarea.csv")
    values, bands = _band_data(multiarea)
    bands["indicator_id"], values["indicator_id"] = "i", "i"
    ind = indicator("i", ValueType.ISR, Polarity.HIGHER_IS_WORSE, multiplier=100,
                    periods=("2024",))
    stats = compute_statistics(_bundle([ind], values, bands))
    table = stats.cluster_values("i", "2024")
    assert table.loc[COUNTY, "value"] == pytest.approx(100.0)  # the county against itself
    # an independent computation with pandas: expected = sum of pop x county band rate
    county = bands.groupby("age_band")[["numerator", "denominator"]].sum()
    rate = county["numerator"] / county["denominator"]
    x_bands = bands[bands["area_code"].isin(["A1", "A2"])]
    expected = (x_bands["denominator"] * x_bands["age_band"].map(rate)).sum()
    observed = x_bands["numerator"].sum()
    assert table.loc["X", "value"] == pytest.approx(observed / expected * 100, rel=1e-12)
    area = stats.area_values("i", "2024").loc["A4"]
    a4 = bands[bands["area_code"] == "A4"]
    a4_expected = (a4["denominator"] * a4["age_band"].map(rate)).sum()
    assert area["value"] == pytest.approx(a4["numerator"].sum() / a4_expected * 100)
    assert 0 < area["lower95"] < area["value"] < area["upper95"]  # exact limits: 9 events
