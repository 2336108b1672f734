"""Cluster profiles, potential issues, most deprived areas and the tartan rug."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from desktop.core.format import format_value
from desktop.core.model import (
    COUNTY,
    NOT_AVAILABLE,
    PROFILE_COLUMNS,
    SUPPRESSED,
    Polarity,
    ValueType,
)
from desktop.core.stats.aggregate import compute_statistics
from desktop.core.stats.profile import (
    DEPRIVED_COLUMNS,
    cluster_profile,
    most_deprived_areas,
    potential_issues,
    summary_counts,
    tartan,
)
from tests.core.helpers_bundle import AREAS, CLUSTERS, indicator, make_bundle, sample_bundle

THEME_ORDER = ["obese", "good_level", "cin_rate", "pupils", "attainment", "imd_score",
               "imd_decile"]


@pytest.fixture(scope="module")
def sample():
    bundle = sample_bundle()
    return bundle, compute_statistics(bundle)


def test_profile_columns_and_theme_order(sample):
    bundle, stats = sample
    profile = cluster_profile(bundle, stats, "East")
    assert tuple(profile.columns) == PROFILE_COLUMNS
    # good_level comes straight after obese: grouped under its theme, not in manifest order.
    assert list(profile["indicator_id"]) == THEME_ORDER
    assert list(dict.fromkeys(profile["theme"])) == list(bundle.manifest.themes)
    assert profile.set_index("indicator_id").loc["good_level", "synthetic"]


def test_profile_numbers_come_from_the_statistics(sample):
    bundle, stats = sample
    profile = cluster_profile(bundle, stats, "East").set_index("indicator_id")
    assert list(profile["period"]) == ["2024"] * 5 + ["2019"] * 2  # each indicator's latest
    clusters = stats.cluster_values("obese", "2024")
    row = profile.loc["obese"]
    assert row["count"] == clusters.loc["East", "numerator"]
    assert row["value"] == clusters.loc["East", "value"]
    assert row["county_value"] == clusters.loc[COUNTY, "value"]
    assert row["county_upper95"] == clusters.loc[COUNTY, "upper95"]
    shown = clusters["value"].drop(COUNTY)
    assert (row["lowest"], row["lowest_cluster"]) == (shown.min(), shown.idxmin())
    assert (row["highest"], row["highest_cluster"]) == (shown.max(), "East")
    assert row["significance"] == "worse" and row["trend"] == "increasing"
    assert profile.loc["good_level", "significance"] == "worse"
    assert profile.loc["good_level", "trend"] == "decreasing"
    assert profile.loc["attainment", "significance"] == "not compared"


def test_profile_for_a_given_period(sample):
    bundle, stats = sample
    profile = cluster_profile(bundle, stats, "North", "2020").set_index("indicator_id")
    assert profile.loc["obese", "value"] == stats.cluster_values("obese", "2020").loc["North",
                                                                                      "value"]
    assert np.isnan(profile.loc["pupils", "value"])  # no 2020 for pupils: no numbers
    assert profile.loc["pupils", "significance"] == "not compared"
    with pytest.raises(KeyError):
        cluster_profile(bundle, stats, "Nowhere")


def test_suppressed_cluster_shows_no_numbers_and_is_not_lowest():
    ind = indicator("p", ValueType.PROPORTION, Polarity.HIGHER_IS_WORSE, multiplier=100,
                    periods=("2024",))
    rows = [("p", code, "2024", 1.0 if cluster == "North" else 30.0, 100.0, np.nan)
            for code, _, cluster in AREAS]
    bundle = make_bundle([ind], rows)
    stats = compute_statistics(bundle)
    row = cluster_profile(bundle, stats, "North").iloc[0]
    assert row["suppressed"] and np.isnan(row["value"]) and np.isnan(row["count"])
    assert np.isnan(row["lower95"]) and row["significance"] == "not compared"
    assert row["denominator"] == 300
    assert "North" not in (row["lowest_cluster"], row["highest_cluster"])
    assert format_value(row["value"], row["value_type"], row["unit"], row["suppressed"]) == \
        SUPPRESSED


def test_potential_issues_are_worse_indicators_most_different_first(sample):
    bundle, stats = sample
    profile = cluster_profile(bundle, stats, "East")
    issues = potential_issues(profile)
    assert set(issues["indicator_id"]) == {"obese", "good_level", "cin_rate"}
    relative = (issues["value"] - issues["county_value"]).abs() / issues["county_value"]
    assert list(relative) == sorted(relative, reverse=True)
    assert issues["indicator_id"].iloc[0] == "cin_rate"  # about twice the county rate
    assert potential_issues(cluster_profile(bundle, stats, "North")).empty


def test_summary_counts(sample):
    bundle, stats = sample
    counts = summary_counts(cluster_profile(bundle, stats, "East"))
    assert counts["worse"] == 3 and counts["not compared"] == 4 and counts["better"] == 0
    assert counts["total"] == 7
    assert sum(v for k, v in counts.items() if k != "total") == 7


def test_most_deprived_areas(sample):
    bundle, stats = sample
    deprived = most_deprived_areas(bundle, stats, "South", n=2)
    assert tuple(deprived.columns) == DEPRIVED_COLUMNS
    assert list(deprived["area_code"]) == ["A4", "A5"]  # scores 26 and 24; A6 is 20
    assert list(deprived["value"]) == pytest.approx([26.0, 24.0])
    assert list(deprived["decile"]) == [7.0, 7.0]
    assert len(most_deprived_areas(bundle, stats, "North")) == 3


def test_most_deprived_areas_without_a_deprivation_indicator(sample):
    _, stats = sample
    bundle = sample_bundle(deprivation_indicator=None)
    empty = most_deprived_areas(bundle, stats, "East")
    assert empty.empty and tuple(empty.columns) == DEPRIVED_COLUMNS


def test_tartan_matches_cluster_significance(sample):
    bundle, stats = sample
    rug = tartan(bundle, stats)
    assert list(rug.columns) == list(CLUSTERS)
    assert list(rug.index) == THEME_ORDER
    for ind_id in THEME_ORDER:
        period = bundle.manifest.indicator(ind_id).latest_period
        values = stats.cluster_values(ind_id, period).drop(COUNTY)
        expected = [SUPPRESSED if v.suppressed else str(v.significance)
                    for v in values.itertuples()]
        assert list(rug.loc[ind_id]) == expected
    assert rug.loc["obese", "East"] == "worse" and rug.loc["obese", "North"] == "better"
    assert isinstance(tartan(bundle, stats, "2019"), pd.DataFrame)


def test_tartan_marks_suppressed_and_missing_clusters():
    """North's areas count 1 each (suppressed, and South with it); East has no value."""
    ind = indicator("c", ValueType.COUNT, periods=("2024",))
    counts = {"A1": 1.0, "A2": 1.0, "A3": 1.0, "A4": 30.0, "A5": 40.0, "A6": 50.0, "A9": 9.0}
    rows = [("c", code, "2024", n, np.nan, np.nan) for code, n in counts.items()]
    bundle = make_bundle([ind], rows)
    rug = tartan(bundle, compute_statistics(bundle))
    assert rug.loc["c", "North"] == SUPPRESSED
    assert rug.loc["c", "East"] == NOT_AVAILABLE
    assert rug.loc["c"].isin([SUPPRESSED, NOT_AVAILABLE, "not compared"]).all()
