"""Funnel plot limits and verdicts against PHEindicatormethods' funnel test vectors
(tests/core/reference/phe-indicator-methods/testdata_funnel_*.csv, as testFunnels.R uses
them), and the clusters' funnel of the demo bundle."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from desktop.core.model import COUNTY
from desktop.core.stats import funnel as fn

REF = Path(__file__).resolve().parents[1] / "reference" / "phe-indicator-methods"
BISECTION_STEP = 0.5 / 2 ** 23  # the package's last step of v: it stops once below 1e-7


def _csv(name: str) -> pd.DataFrame:
    return pd.read_csv(REF / name, encoding="utf-8-sig")


def _bisection_tolerance(events: np.ndarray, expected: np.ndarray) -> np.ndarray:
    """How far the package's bisection may leave its expected count from the exact one:
    mean = (1 + k) v / (1 - v), so a step dv in v moves it by (1 + k) dv / (1 - v)^2."""
    v = expected / (1 + events + expected)
    return 2 * (1 + events) * BISECTION_STEP / (1 - v) ** 2


def test_proportion_limits_match_the_package():
    data, want = _csv("testdata_funnel_prop_inputs.csv"), _csv("testdata_funnel_prop_outputs.csv")
    average = data["numerator"].sum() / data["denominator"].sum()
    sizes = fn.axis_points(fn.PROPORTION, data["denominator"].min(), data["denominator"].max())
    np.testing.assert_array_equal(sizes, want["Population"])
    got = fn.limits_table(fn.PROPORTION, sizes, average, 100)
    for ours, theirs in (("lower95", "Lower2s0025limit"), ("upper95", "Upper2s0025limit"),
                         ("lower998", "Lower3s0001limit"), ("upper998", "Upper3s0001limit"),
                         ("baseline", "Baseline")):
        # the package's outputs are rounded to 6 decimal places
        np.testing.assert_allclose(got[ours], want[theirs], rtol=0, atol=5.1e-7, err_msg=ours)
    assert (got["lower998"] == 0).sum() == (want["Lower3s0001limit"] == 0).sum() > 0


def test_proportion_verdicts_match_the_package():
    data = _csv("testdata_funnel_prop_inputs.csv")
    average = data["numerator"].sum() / data["denominator"].sum()
    verdicts = fn.funnel_significance(fn.PROPORTION, data["numerator"], data["denominator"],
                                      average)
    assert list(verdicts) == list(data["significance"])
    assert set(verdicts) == {fn.HIGH_998, fn.HIGH_95, fn.LOW_998, fn.LOW_95, fn.SIMILAR}


def test_ratio_limits_match_the_package_within_its_bisection():
    data, want = _csv("testdata_funnel_ratio_inputs.csv"), _csv("testdata_funnel_ratio_outputs.csv")
    events = want.iloc[:, 0].to_numpy(float)
    sizes = fn.axis_points(fn.RATIO, data["expected"].min(), data["expected"].max())
    np.testing.assert_array_equal(sizes, events)
    got = fn.limits_table(fn.RATIO, sizes, 1.0, 100)
    for ours, theirs in (("lower95", "lower_2s"), ("upper95", "upper_2s"),
                         ("lower998", "lower_3s"), ("upper998", "upper_3s")):
        expected = want[f"{theirs}_exp_events"].to_numpy(float)
        tolerance = _bisection_tolerance(events, expected)
        np.testing.assert_array_less(np.abs(got[f"{ours}_size"] - expected), tolerance)
        # the ISR limit is events / expected x 100, the count limit the ratio less 1
        np.testing.assert_allclose(got[ours], want[f"{theirs}_isr"],
                                   rtol=(tolerance / expected).max())
        np.testing.assert_allclose(got[ours] / 100, want[f"{theirs}_count"] + 1,
                                   rtol=(tolerance / expected).max())


def test_ratio_verdicts_match_the_package():
    data = _csv("testdata_funnel_ratio_inputs.csv")
    verdicts = fn.funnel_significance(fn.RATIO, data["obs"], data["expected"], 1.0)
    assert list(verdicts) == list(data["significance"])


def test_dsr_rate_limits_match_the_package_within_its_bisection():
    data = _csv("testdata_funnel_rate_input_funnels.csv")
    want = _csv("testdata_funnel_rate_outputs.csv")
    population = 1e5 * data["ev"] / data["rate"]  # the population a DSR's events imply
    average = data["ev"].sum() / population.sum()
    sizes = fn.axis_points(fn.RATE, population.min(), population.max(), average, years=3)
    np.testing.assert_array_equal(sizes, want["Events"])
    got = fn.limits_table(fn.RATE, sizes, average, 1e5, years=3)
    np.testing.assert_allclose(got["baseline"], want["baseline"], rtol=1e-9)
    events = sizes.astype(float)
    for ours, theirs in (("lower95", "lower_2s"), ("upper95", "upper_2s"),
                         ("lower998", "lower_3s"), ("upper998", "upper_3s")):
        per_year = want[f"{theirs}_population_1_year"].to_numpy(float)
        expected = per_year * 3 * average  # the limit's expected events
        rtol = (_bisection_tolerance(events, expected) / expected).max()
        np.testing.assert_allclose(got[f"{ours}_size"], per_year, rtol=rtol)
        np.testing.assert_allclose(got[ours], want[f"{theirs}_limit"], rtol=rtol)


@pytest.mark.parametrize("column, multiplier, dsr, rate", [
    ("dsr_per_100000_with_0", 1e5, True, "rate_dsr"),
    ("dsr_per_100_with_0", 100, True, "rate_dsr"),
    ("crude_per_100000_with_0", 1e5, False, "rate_crude_per_100000"),
    ("crude_per_100_with_0", 100, False, "rate_crude_per_100"),
])
def test_rate_verdicts_match_the_package(column, multiplier, dsr, rate):
    data = _csv("testdata_funnel_rate_dsr_inputs.csv")
    count = data["count"].to_numpy(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        derived = multiplier * count / data[rate].to_numpy(float)
    # as assign_funnel_significance: a DSR of no events has no population; a crude rate's is given
    population = np.where(count == 0, np.nan if dsr else data["pop"], derived)
    average = count.sum() / np.nansum(population)
    verdicts = fn.funnel_significance(fn.RATE, count, population, average, dsr=dsr)
    assert list(verdicts) == list(data[column])


def test_the_clusters_funnel_centres_on_the_county(demo_bundle, stats):
    indicator = demo_bundle.manifest.indicator("children_in_need")
    period = indicator.latest_period
    funnel = fn.cluster_funnel(stats, indicator, period)
    values = stats.cluster_values(indicator.id, period)
    county = values.loc[COUNTY]
    assert funnel.statistic == fn.RATE and not funnel.reason
    assert funnel.baseline == pytest.approx(county["value"])
    clusters = values.drop(index=COUNTY)
    shown = clusters[~clusters["suppressed"]]
    assert list(funnel.points["name"]) == list(shown.index)
    np.testing.assert_allclose(funnel.points["size"], shown["denominator"])
    # each verdict, from the cluster's own exact or Byar's interval against the county rate
    lower95 = shown["lower95"].to_numpy() / indicator.multiplier
    upper95 = shown["upper95"].to_numpy() / indicator.multiplier
    rate = county["numerator"] / county["denominator"]
    outside = funnel.points["verdict"].isin((fn.HIGH_95, fn.HIGH_998, fn.LOW_95, fn.LOW_998))
    np.testing.assert_array_equal(outside, (lower95 > rate) | (upper95 < rate))
    assert 0 < outside.sum() < len(shown)
    assert list(funnel.outside["name"]) == list(funnel.points["name"][outside])
    # the 99.8% limits lie outside the 95% ones at every size
    limits = funnel.limits
    assert (limits["lower998"] < limits["lower95"]).all()
    assert (limits["upper998"] > limits["upper95"]).all()
    assert limits["upper95_size"].max() > funnel.points["size"].max()  # past the largest


def test_suppressed_clusters_are_left_out_and_counted(demo_bundle, stats):
    indicator = demo_bundle.manifest.indicator("road_ksi_0_15")
    period = indicator.latest_period
    funnel = fn.cluster_funnel(stats, indicator, period)
    hidden = stats.cluster_values(indicator.id, period).drop(index=COUNTY)["suppressed"]
    assert hidden.any()
    assert funnel.left_out["suppressed"] == tuple(hidden.index[hidden])
    assert not set(funnel.points["name"]) & set(hidden.index[hidden])


def test_no_funnel_for_counts_and_means(demo_bundle, stats):
    for indicator_id in ("child_population", "ks4_attainment8", "imd_score"):
        indicator = demo_bundle.manifest.indicator(indicator_id)
        funnel = fn.cluster_funnel(stats, indicator, indicator.latest_period)
        assert funnel.points.empty and "proportion, a rate or a ratio" in funnel.reason
