"""Aggregation from numerators and denominators, significance and the Statistics accessors."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from desktop.core.errors import Cancelled
from desktop.core.model import COUNTY, STAT_COLUMNS, Polarity, ValueType
from desktop.core.stats.aggregate import LEVELS, VIEW_COLUMNS, compute_statistics
from desktop.core.stats.intervals import SIGNIFICANCE_ORDER, ci_for
from desktop.core.tasks import Task
from tests.core.helpers_bundle import CLUSTERS, indicator, make_bundle, sample_bundle

TWO_CLUSTERS = (("A1", "One", "X"), ("A2", "Two", "X"), ("A3", "Three", "Y"),
                ("A4", "Four", None))


def _stats(indicators, rows, threshold=0, **kwargs):
    bundle = make_bundle(indicators, rows, areas=TWO_CLUSTERS, clusters=("X", "Y"),
                         threshold=threshold, **kwargs)
    return bundle, compute_statistics(bundle)


def test_proportion_sums_numerators_and_denominators_not_percentages():
    ind = indicator("p", ValueType.PROPORTION, multiplier=100, periods=("2024",))
    rows = [("p", "A1", "2024", 1, 10, None), ("p", "A2", "2024", 9, 10, None),
            ("p", "A3", "2024", 30, 100, None), ("p", "A4", "2024", 0, 90, None)]
    _, stats = _stats([ind], rows)
    clusters = stats.cluster_values("p", "2024")
    x = clusters.loc["X"]
    assert (x["numerator"], x["denominator"], x["value"]) == (10, 20, 50.0)
    value, lower, upper = ci_for("proportion", 10, 20, 100, 95)
    assert x["lower95"] == pytest.approx(lower) and x["upper95"] == pytest.approx(upper)
    # The area in no cluster counts towards the county only.
    county = clusters.loc[COUNTY]
    assert (county["numerator"], county["denominator"]) == (40, 210)
    assert county["value"] == pytest.approx(40 / 210 * 100)
    assert clusters.loc["Y", "denominator"] == 100


def test_rate_and_count_intervals_use_summed_counts():
    rate = indicator("r", ValueType.RATE, multiplier=1000, periods=("2024",))
    count = indicator("c", ValueType.COUNT, periods=("2024",))
    rows = [("r", "A1", "2024", 4, 1000, None), ("r", "A2", "2024", 3, 500, None),
            ("c", "A1", "2024", 4, None, None), ("c", "A2", "2024", 3, None, None)]
    _, stats = _stats([rate, count], rows)
    x = stats.cluster_values("r", "2024").loc["X"]
    value, lower, upper = ci_for("rate", 7, 1500, 1000, 0.998)
    assert x["value"] == pytest.approx(7 / 1500 * 1000)
    assert (x["lower998"], x["upper998"]) == (pytest.approx(lower[()]), pytest.approx(upper[()]))
    c = stats.cluster_values("c", "2024").loc["X"]
    assert c["value"] == 7 and c["lower95"] == pytest.approx(ci_for("count", 7, np.nan)[1][()])


def test_weighted_mean_uses_denominators():
    mean = indicator("m", ValueType.MEAN, periods=("2024",))
    rows = [("m", "A1", "2024", None, 1, 10.0), ("m", "A2", "2024", None, 3, 40.0),
            ("m", "A3", "2024", None, 6, 20.0), ("m", "A4", "2024", None, 2, 5.0)]
    _, stats = _stats([mean], rows)
    clusters = stats.cluster_values("m", "2024")
    assert clusters.loc["X", "value"] == pytest.approx((10 + 3 * 40) / 4)  # not (10+40)/2
    assert clusters.loc["Y", "value"] == pytest.approx(20.0)
    assert clusters.loc[COUNTY, "value"] == pytest.approx((10 + 120 + 120 + 10) / 12)
    assert clusters["lower95"].isna().all()  # no sd or se: no interval
    assert (clusters["significance"] == "not compared").all()


def test_a_mean_without_any_denominator_weighs_areas_equally():
    mean = indicator("m", ValueType.MEAN, periods=("2024",))
    rows = [("m", code, "2024", None, None, v)
            for code, v in (("A1", 10.0), ("A2", 40.0), ("A3", 20.0), ("A4", 6.0))]
    clusters = _stats([mean], rows)[1].cluster_values("m", "2024")
    assert clusters.loc["X", "value"] == 25.0 and clusters.loc[COUNTY, "value"] == 19.0


def test_a_missing_denominator_among_weights_is_never_weight_one():
    """A bundle made by hand may mix weighted and unweighted rows of a mean (pack refuses
    it): the groups holding an unweighted area get no value, the others stay exact."""
    mean = indicator("m", ValueType.MEAN, periods=("2024",))
    rows = [("m", "A1", "2024", None, 1500, 10.0), ("m", "A2", "2024", None, 1500, 40.0),
            ("m", "A3", "2024", None, None, 20.0), ("m", "A4", "2024", None, 1500, 5.0)]
    clusters = _stats([mean], rows)[1].cluster_values("m", "2024")
    assert clusters.loc["X", "value"] == 25.0
    assert np.isnan(clusters.loc["Y", "value"]) and np.isnan(clusters.loc[COUNTY, "value"])


@pytest.mark.parametrize(("polarity", "high", "low"), [
    (Polarity.HIGHER_IS_BETTER, "better", "worse"),
    (Polarity.HIGHER_IS_WORSE, "worse", "better"),
    (Polarity.NO_JUDGEMENT, "higher", "lower"),
])
def test_significance_against_county_by_polarity(polarity, high, low):
    ind = indicator("p", ValueType.PROPORTION, polarity, multiplier=100, periods=("2024",))
    rows = [("p", "A1", "2024", 400, 1000, None), ("p", "A2", "2024", 235, 1000, None),
            ("p", "A3", "2024", 100, 1000, None), ("p", "A4", "2024", 250, 1000, None)]
    _, stats = _stats([ind], rows)
    clusters = stats.cluster_values("p", "2024")
    assert clusters.loc["X", "significance"] == high  # 31.75% against a county of 24.6%
    assert clusters.loc["Y", "significance"] == low  # 10%
    assert clusters.loc[COUNTY, "significance"] == "not compared"
    areas = stats.area_values("p", "2024")
    assert list(areas["significance"]) == [high, "similar", low, "similar"]


def test_no_county_value_means_not_compared():
    ind = indicator("p", ValueType.PROPORTION, Polarity.HIGHER_IS_WORSE, periods=("2024",))
    rows = [("p", "A1", "2024", 3, 10, None), ("p", "A3", "2024", 0, 10, None)]
    _, stats = _stats([ind], rows, threshold=5)
    clusters = stats.cluster_values("p", "2024")
    assert clusters.loc[COUNTY, "suppressed"]  # county count 3 is hidden
    assert (clusters["significance"] == "not compared").all()


def test_table_has_the_contract_columns_and_levels():
    bundle = sample_bundle()
    stats = compute_statistics(bundle)
    assert tuple(stats.table.columns) == STAT_COLUMNS
    assert set(stats.table["level"]) == set(LEVELS)
    county = stats.table[stats.table["level"] == "county"]
    assert set(county["code"]) == {COUNTY}
    # Every value row appears once at area level.
    assert (stats.table["level"] == "area").sum() == len(bundle.values)
    assert stats.table.duplicated(["indicator_id", "period", "level", "code"]).sum() == 0


def test_998_intervals_contain_the_95_intervals():
    table = compute_statistics(sample_bundle()).table.dropna(subset=["lower95"])
    assert len(table) > 100
    assert (table["lower998"] <= table["lower95"]).all()
    assert (table["upper998"] >= table["upper95"]).all()
    assert ((table["lower95"] <= table["value"]) & (table["value"] <= table["upper95"])).all()


def test_area_values_follow_bundle_order_and_fill_missing():
    bundle = sample_bundle()
    values = bundle.values[~((bundle.values["indicator_id"] == "obese")
                             & (bundle.values["area_code"] == "A5"))]
    bundle = make_bundle(bundle.manifest.indicators, values.iloc[::-1].reset_index(drop=True))
    stats = compute_statistics(bundle)
    areas = stats.area_values("obese", "2024")
    assert list(areas.index) == list(bundle.areas["area_code"])
    assert tuple(areas.columns) == VIEW_COLUMNS
    assert np.isnan(areas.loc["A5", "value"]) and not areas.loc["A5", "suppressed"]
    assert areas.loc["A5", "significance"] == "not compared"
    row = values[(values["indicator_id"] == "obese") & (values["area_code"] == "A1")
                 & (values["period"] == "2024")].iloc[0]
    assert areas.loc["A1", "value"] == pytest.approx(row["numerator"] / row["denominator"] * 100)


def test_cluster_values_and_series_orders():
    bundle = sample_bundle()
    stats = compute_statistics(bundle)
    clusters = stats.cluster_values("obese", "2021")
    assert list(clusters.index) == [*CLUSTERS, COUNTY]
    series = stats.series("obese", "East", "cluster")
    assert list(series.index) == list(bundle.manifest.indicator("obese").periods)
    assert series.loc["2021", "value"] == clusters.loc["East", "value"]
    county = stats.series("cin_rate", COUNTY, "county")
    assert list(county.index) == ["2020", "2021", "2022", "2023", "2024"]
    area = stats.series("obese", "A3", "area")
    assert area.loc["2019", "value"] == stats.area_values("obese", "2019").loc["A3", "value"]
    empty = stats.area_values("obese", "1999")
    assert empty["value"].isna().all() and not empty["suppressed"].any()


def test_cluster_columns_are_cluster_values_as_numpy():
    """What the profile reads for hundreds of indicators: the same numbers, rows and verdicts
    as cluster_values, for a period an indicator has and one it lacks."""
    bundle = sample_bundle()
    stats = compute_statistics(bundle)
    assert stats.cluster_names == list(CLUSTERS)
    for ind in bundle.manifest.indicators:
        for period in (ind.periods[-1], "1999"):
            frame, columns = stats.cluster_values(ind.id, period), stats.cluster_columns(
                ind.id, period)
            for column in VIEW_COLUMNS:
                expected = frame[column].to_numpy()
                got = columns[column]
                if column == "significance":
                    got = np.asarray(SIGNIFICANCE_ORDER, dtype=object)[got]
                np.testing.assert_array_equal(got, expected.astype(got.dtype), err_msg=column)


def test_unsorted_input_gives_the_same_table_as_sorted():
    bundle = sample_bundle()
    shuffled = make_bundle(bundle.manifest.indicators,
                           bundle.values.sample(frac=1.0, random_state=3).reset_index(drop=True),
                           deprivation_indicator="imd_score")
    a, b = compute_statistics(bundle), compute_statistics(shuffled)
    for ind in bundle.manifest.indicators:
        for period in ind.periods:
            pd.testing.assert_frame_equal(a.cluster_values(ind.id, period),
                                          b.cluster_values(ind.id, period))
            pd.testing.assert_frame_equal(a.area_values(ind.id, period),
                                          b.area_values(ind.id, period))


def test_each_indicator_summed_alone_gives_what_it_gives_among_the_others():
    """Rows are summed and suppressed in blocks of indicator-periods: a block of one kind of
    indicator, or without any mean or score, takes shorter paths than a mixed one; the numbers
    and the suppression must not depend on which."""
    sample = sample_bundle()
    values = sample.values.copy()
    first = ~values["indicator_id"].duplicated()
    values.loc[first, ["numerator", "value"]] = np.nan  # a row of each that is not summed
    bundle = make_bundle(sample.manifest.indicators, values, deprivation_indicator="imd_score")
    together = compute_statistics(bundle)
    kinds = {ind.value_type for ind in bundle.manifest.indicators}
    assert {ValueType.COUNT, ValueType.PROPORTION, ValueType.SCORE} <= kinds
    for ind in bundle.manifest.indicators:
        alone = compute_statistics(make_bundle(
            [ind], bundle.values[bundle.values["indicator_id"] == ind.id].reset_index(drop=True)))
        for period in ind.periods:
            pd.testing.assert_frame_equal(alone.cluster_values(ind.id, period),
                                          together.cluster_values(ind.id, period))
            pd.testing.assert_frame_equal(alone.area_values(ind.id, period),
                                          together.area_values(ind.id, period))
            assert (alone.suppressed(ind.id, period)
                    == together.suppressed(ind.id, period)).all()


def test_cancelled_task_stops_the_computation():
    task = Task()
    task.cancel()
    with pytest.raises(Cancelled):
        compute_statistics(sample_bundle(), task)


def test_progress_is_reported():
    seen = []
    compute_statistics(sample_bundle(), Task(lambda f, m: seen.append(f)))
    assert seen == sorted(seen) and len(seen) >= 4


@pytest.mark.parametrize("which", ["sample", "demo"])
def test_area_values_made_on_demand_equal_the_whole_table_computed_at_once(which, request):
    """Area rows are computed one indicator and period at a time; every slice must equal the
    same rows of the long table (computed over all area rows in one pass), suppression and
    significance included, and the cluster and county rows must sit in the same table."""
    bundle = sample_bundle() if which == "sample" else request.getfixturevalue("demo_bundle")
    stats = compute_statistics(bundle)
    table = stats.table
    areas = table[table["level"] == "area"]
    by_key = {k: g for k, g in areas.groupby(["indicator_id", "period"], observed=True)}
    checked = 0
    for ind in bundle.manifest.indicators:
        for period in stats.periods(ind.id):
            lazy = stats.area_values(ind.id, period)
            rows = by_key.get((ind.id, period))
            expected = pd.DataFrame(np.nan, index=lazy.index, columns=VIEW_COLUMNS[:-2])
            expected["suppressed"] = False
            expected["significance"] = "not compared"
            if rows is not None:
                expected.loc[rows["code"].astype(str), VIEW_COLUMNS] = \
                    rows[list(VIEW_COLUMNS)].astype({"significance": str}).to_numpy()
            got = lazy.astype({"significance": str})
            pd.testing.assert_frame_equal(got, expected.astype(got.dtypes.to_dict()))
            checked += 1
    assert checked == sum(len(stats.periods(i.id)) for i in bundle.manifest.indicators)
    assert table["suppressed"].any()
    aggregates = stats.aggregate_table
    assert set(aggregates["level"]) == {"cluster", "county"}
    pd.testing.assert_frame_equal(table[table["level"] != "area"].reset_index(drop=True),
                                  aggregates.reset_index(drop=True))


def test_area_values_cache_hands_out_copies_that_cannot_change_it():
    stats = compute_statistics(sample_bundle())
    ind = stats.trends["indicator_id"].iloc[0]
    period = stats.periods(ind)[-1]
    first = stats.area_values(ind, period)
    before = first.copy()
    first.loc[:, "value"] = -1.0
    pd.testing.assert_frame_equal(stats.area_values(ind, period), before)
