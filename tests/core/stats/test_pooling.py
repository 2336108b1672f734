"""Pooled periods: windows and labels, sums before statistics, suppression linked to the single
periods, on hand-made bundles and on the demo bundle."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from desktop.core.model import COUNTY, ValueType
from desktop.core.stats.aggregate import compute_statistics
from desktop.core.stats.intervals import ci_for
from desktop.core.stats.pooling import (
    period_windows,
    pool_inputs,
    pool_periods,
    pooled_label,
    published_tables,
)
from tests.core.helpers_bundle import AREAS, indicator, make_bundle, sample_bundle
from tests.core.stats.pooled_attack import determined_cells, random_bundle

COUNTED = (ValueType.PROPORTION, ValueType.RATE, ValueType.COUNT)


def test_windows_end_with_the_latest_period_and_do_not_overlap():
    years = ("2018/19", "2019/20", "2020/21", "2021/22", "2022/23", "2023/24", "2024/25")
    windows = period_windows(years, 3)
    assert list(windows) == ["2019/20 - 2021/22 combined", "2022/23 - 2024/25 combined"]
    assert windows["2022/23 - 2024/25 combined"] == ("2022/23", "2023/24", "2024/25")
    # fewer periods than asked: all of them; one period stays itself
    assert list(period_windows(("2022", "2023"), 3)) == ["2022 - 2023 combined"]
    assert period_windows(("2019",), 3) == {"2019": ("2019",)}
    assert period_windows((), 3) == {}
    assert pooled_label(["2021/22", "2022/23", "2023/24"]) == "2021/22 - 2023/24 combined"


def _inputs(num, den, val=None, suppressed=None):
    n = len(num)
    num, den = np.array(num, float), np.array(den, float)
    val = np.array(val if val is not None else [np.nan] * n, float)
    member = ~np.isnan(num) & ~np.isnan(den) if np.isnan(val).all() else ~np.isnan(val)
    return {"numerator": num, "denominator": den, "value": val, "member": member,
            "suppressed": np.array(suppressed or [False] * n)}


def test_pool_inputs_sums_counts_before_the_ratio_and_weights_means():
    periods = [_inputs([1, 0, np.nan], [10, 20, 5], suppressed=[True, False, False]),
               _inputs([3, 2, 4], [10, 20, 5], suppressed=[True, False, True]),
               _inputs([2, np.nan, 1], [10, 20, 5])]
    pooled = pool_inputs(periods, ValueType.PROPORTION, 100)
    # area 0: 6 of 30; area 1: a period without its count adds nothing (2 of 40); area 2:
    # the two periods it has (5 of 10)
    np.testing.assert_allclose(pooled["numerator"], [6, 2, 5])
    np.testing.assert_allclose(pooled["denominator"], [30, 40, 10])
    np.testing.assert_allclose(pooled["value"], [20.0, 5.0, 50.0])
    assert list(pooled["parts"]) == [2, 0, 1]
    means = [_inputs([np.nan] * 2, [10, np.nan], val=[50.0, 40.0]),
             _inputs([np.nan] * 2, [30, np.nan], val=[70.0, 20.0])]
    pooled = pool_inputs(means, ValueType.MEAN, 1)
    # weighted by the denominators, 1 where there is none
    np.testing.assert_allclose(pooled["value"], [(50 * 10 + 70 * 30) / 40, 30.0])
    assert np.isnan(pooled["numerator"]).all()


def _two_period_bundle(counts_2023, counts_2024, threshold=5):
    ind = indicator("p", ValueType.PROPORTION, multiplier=100, periods=("2023", "2024"))
    rows = [("p", code, year, count, 100.0, np.nan)
            for year, counts in (("2023", counts_2023), ("2024", counts_2024))
            for (code, _, _), count in zip(AREAS, counts)]
    return make_bundle([ind], rows, threshold=threshold)


def test_pooled_statistics_come_from_summed_counts_through_the_usual_pipeline():
    bundle = _two_period_bundle([10, 20, 30, 12, 14, 16, 40, 50, 9],
                                [11, 21, 31, 13, 15, 17, 41, 51, 8])
    single = compute_statistics(bundle)
    pooled = pool_periods(bundle, single, 2)
    label = "2023 - 2024 combined"
    assert pooled.statistics.periods("p") == (label,)
    assert pooled.bundle.manifest.indicator("p").periods == (label,)
    north = pooled.statistics.cluster_values("p", label).loc["North"]
    assert (north["numerator"], north["denominator"]) == (10 + 20 + 30 + 11 + 21 + 31, 600)
    value, lower, upper = ci_for("proportion", 123, 600, 100, 0.95)
    assert north["value"] == pytest.approx(value[()])
    assert (north["lower95"], north["upper95"]) == (pytest.approx(lower[()]),
                                                    pytest.approx(upper[()]))
    county = pooled.statistics.cluster_values("p", label).loc[COUNTY]
    assert county["numerator"] == 10 + 20 + 30 + 12 + 14 + 16 + 40 + 50 + 9 + 11 + 21 + 31 \
        + 13 + 15 + 17 + 41 + 51 + 8
    area = pooled.statistics.area_values("p", label).loc["A9"]
    assert (area["numerator"], area["value"]) == (17, pytest.approx(8.5))
    # the single periods' trends are kept (a pooled window is no series to test)
    assert pooled.statistics.trends.equals(single.trends)
    assert pooled.window_of("p", "2023") == label and pooled.window_of("p", "1999") is None


def test_pooling_shows_what_single_periods_hide_and_keeps_primary_suppression():
    # 3 + 4 = 7 events over two years: hidden each year, shown pooled; 1 + 1 stays hidden
    bundle = _two_period_bundle([3, 20, 30, 1, 14, 16, 40, 50, 9],
                                [4, 21, 31, 1, 15, 17, 41, 51, 8])
    single = compute_statistics(bundle)
    assert single.area_values("p", "2023").loc["A1", "suppressed"]
    assert single.area_values("p", "2024").loc["A1", "suppressed"]
    pooled = pool_periods(bundle, single, 2).statistics.area_values("p", "2023 - 2024 combined")
    assert not pooled.loc["A1", "suppressed"] and pooled.loc["A1", "numerator"] == 7
    assert pooled.loc["A4", "suppressed"] and np.isnan(pooled.loc["A4", "value"])


def test_a_pooled_cell_with_one_hidden_period_is_hidden():
    # A1: 3 (hidden) then 9 (shown): showing 12 would give the 3 away
    bundle = _two_period_bundle([3, 20, 30, 4, 14, 16, 40, 50, 9],
                                [9, 21, 31, 2, 15, 17, 41, 51, 8])
    single = compute_statistics(bundle)
    pooled = pool_periods(bundle, single, 2)
    areas = pooled.statistics.area_values("p", "2023 - 2024 combined")
    assert areas.loc["A1", "suppressed"] and np.isnan(areas.loc["A1", "numerator"])
    assert determined_cells(bundle, single, pooled, "p") == []


@pytest.mark.parametrize("seed", range(12))
def test_random_small_counts_cannot_be_recovered_from_both_tables(seed):
    bundle = random_bundle(seed)
    single = compute_statistics(bundle)
    for n in (2, 3):
        pooled = pool_periods(bundle, single, n)
        assert pooled.statistics.table["suppressed"].any()
        for ind in bundle.manifest.indicators:
            assert determined_cells(bundle, single, pooled, ind.id) == [], (n, ind.id)


def test_published_tables_give_an_audit_both_tables_and_the_windows():
    bundle = sample_bundle()
    single = compute_statistics(bundle)
    tables = published_tables(bundle, single, 3)
    assert set(tables.single["period"]) >= {"2019", "2024"}
    pooled_periods = set(tables.pooled["period"])
    assert {"2019 - 2021 combined", "2022 - 2024 combined"} <= pooled_periods
    window = tables.windows[(tables.windows["indicator_id"] == "obese")
                            & (tables.windows["pooled_period"] == "2022 - 2024 combined")]
    assert list(window["period"]) == ["2022", "2023", "2024"]
    assert list(tables.pooled.columns) == list(tables.single.columns)


# --- the demo bundle ------------------------------------------------------------------------

@pytest.fixture(scope="module")
def pooled3(demo_pooled):
    return demo_pooled


def test_demo_pooled_sums_match_a_plain_groupby(demo_bundle, pooled3):
    """Numerators and denominators of every cluster and the county, summed independently from
    the bundle's rows with pandas, match the pooled statistics wherever they are shown."""
    values = demo_bundle.values.merge(
        demo_bundle.areas[["area_code", "cluster"]].astype({"area_code": str}),
        left_on=values_key(demo_bundle), right_on="area_code", how="left")
    compared = 0
    for indicator_id in ("neet_16_17", "child_protection_plans", "looked_after",
                         "under18_conceptions", "infant_deaths"):
        for label, periods in pooled3.windows[indicator_id].items():
            rows = values[(values["indicator_id"] == indicator_id)
                          & values["period"].isin(periods)]
            rows = rows.dropna(subset=["numerator"])
            if demo_bundle.manifest.indicator(indicator_id).value_type != ValueType.COUNT:
                rows = rows.dropna(subset=["denominator"])
            expected = rows.groupby("cluster", observed=True)[["numerator", "denominator"]].sum()
            expected.loc[COUNTY] = rows[["numerator", "denominator"]].sum()
            shown = pooled3.statistics.cluster_values(indicator_id, label)
            for code, row in shown.iterrows():
                if not row["suppressed"]:
                    assert row["numerator"] == expected.at[code, "numerator"], (label, code)
                    compared += 1
                if not np.isnan(row["denominator"]):
                    assert row["denominator"] == expected.at[code, "denominator"]
            # infant deaths are so rare that the width rule leaves only the county shown
            assert not shown.loc[COUNTY, "suppressed"]
    assert compared > 80


def values_key(bundle) -> pd.Series:
    return bundle.values["area_code"].astype(str)


def test_demo_pooling_three_periods_reduces_suppressed_areas(demo_bundle, stats, pooled3):
    for indicator_id in ("child_protection_plans", "looked_after", "reception_obese"):
        single = stats.area_values(indicator_id, stats.periods(indicator_id)[-1])
        pooled = pooled3.statistics.area_values(
            indicator_id, pooled3.statistics.periods(indicator_id)[-1])
        assert pooled["suppressed"].sum() < single["suppressed"].sum(), indicator_id
    # NEET is rarer: pooled counts mostly stay at 1 to 5, but the areas with a shown
    # value above zero go from under 10 to dozens
    single = stats.area_values("neet_16_17", "2023/24")
    pooled = pooled3.statistics.area_values("neet_16_17", "2021/22 - 2023/24 combined")
    assert (single["value"] > 0).sum() < 10 < 50 < (pooled["value"] > 0).sum()


@pytest.mark.slow
def test_demo_pooled_and_single_tables_hide_nothing_recoverable(demo_bundle, stats, pooled3):
    for indicator_id in ("neet_16_17", "child_protection_plans", "looked_after",
                         "pupils_eal__school", "level2_age19", "infant_deaths"):
        assert determined_cells(demo_bundle, stats, pooled3, indicator_id) == [], indicator_id
