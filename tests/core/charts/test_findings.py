"""Chart titles state the message and alt text the finding (issue 21), from the numbers."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from desktop.core.charts.bars import ordered_clusters
from desktop.core.charts.describe import chart_description, chart_finding
from desktop.core.charts.findings import (
    bar_finding,
    distribution_finding,
    trend_finding,
    verdict_word,
)
from desktop.core.charts.tables import chart_figure
from desktop.core.charts.trend import series_values
from desktop.core.model import Indicator, Polarity, Significance, ValueType
from desktop.core.plotting.annotate import figure_title
from desktop.core.stats.comparison import Comparison

NEET = Indicator(id="neet", title="NEET", theme="Achieve economic well-being",
                 value_type=ValueType.PROPORTION, polarity=Polarity.HIGHER_IS_WORSE,
                 multiplier=100, unit="%", periods=("2021", "2022", "2023"))


def clusters(values, significance, suppressed=None) -> pd.DataFrame:
    names = ["Redditch", "Bromsgrove", "Evesham", "Malvern"][:len(values)]
    values = np.asarray(values, float)
    return pd.DataFrame({"value": values, "lower95": values - 0.3, "upper95": values + 0.3,
                         "suppressed": suppressed or [False] * len(values),
                         "significance": significance}, index=pd.Index(names, name="cluster"))


def finding(frame, highlight, comparison=Comparison(), county=3.3):
    return bar_finding(NEET, ordered_clusters(frame), county, highlight, comparison)


def test_the_alt_text_states_the_finding_as_the_issue_asks():
    frame = clusters([4.1, 3.0, 2.2], ["worse", "similar", "better"])
    found = finding(frame, "Redditch")
    assert found.sentence.startswith(
        "Redditch 4.1%, significantly worse than the county's 3.3% (95% confidence), the "
        "highest of the 3 clusters.")
    assert "1 of 3 clusters is significantly worse than the county." in found.sentence
    assert found.title == "Redditch is significantly worse than the county, the highest of " \
                          "the 3 clusters"


def test_the_comparison_decides_the_words():
    frame = clusters([4.1, 3.0, 2.2], ["similar", "similar", "better"])
    found = finding(frame, "Redditch", Comparison(99.8, "rest"))
    assert found.title == "Redditch is similar to the rest of the county, the highest of the " \
                          "3 clusters"
    assert found.sentence.startswith("Redditch 4.1%, similar to the rest of the county; the "
                                     "county 3.3%")
    assert "1 of 3 clusters is significantly better than the rest of the county" in \
        found.sentence
    judged = finding(clusters([4.1, 3.0], ["worse", "similar"]), "Redditch",
                     Comparison(99.8, "rest"))
    assert "significantly worse than the rest of the county (99.8% confidence)" in \
        judged.sentence


def test_a_suppressed_or_uncompared_cluster_gets_the_overview_instead():
    frame = clusters([4.1, 3.0, 2.2], ["not compared", "worse", "worse"],
                     suppressed=[True, False, False])
    found = finding(frame, "Redditch")
    assert found.title == "2 of 3 clusters are significantly worse than the county"
    assert found.sentence.startswith("Redditch's value is suppressed (small numbers).")
    assert "4.1" not in found.sentence  # a suppressed value never reaches the words
    counts = finding(clusters([12.0, 30.0], ["not compared", "not compared"]), "Redditch")
    assert counts.title == "Values range from 12.0% in Redditch to 30.0% in Bromsgrove"
    no_polarity = finding(clusters([4.1, 3.0, 2.2], ["higher", "similar", "lower"]), None)
    assert no_polarity.title == ("1 of 3 clusters is significantly higher than the county "
                                 "and 1 lower")


def test_verdict_words_are_short_and_say_nothing_when_not_compared():
    assert [verdict_word(s) for s in Significance] == [
        "Better", "Similar", "Worse", "Higher", "Lower", ""]


def series(values) -> pd.DataFrame:
    values = np.asarray(values, float)
    return pd.DataFrame({"value": values, "lower95": values - 1, "upper95": values + 1,
                         "suppressed": np.isnan(values)}, index=list(NEET.periods))


@pytest.mark.parametrize(("values", "title"), [
    ([3.0, 3.5, 4.1], "Redditch rose from 3.0% in 2021 to 4.1% in 2023"),
    ([5.0, np.nan, 4.1], "Redditch fell from 5.0% in 2021 to 4.1% in 2023"),
    ([4.1, 4.12, 4.1], "Redditch stayed at 4.1% from 2021 to 2023"),
    ([np.nan, 4.1, np.nan], "Redditch 4.1% in 2022"),
    ([np.nan] * 3, "No value of Redditch can be shown: suppressed or missing"),
])
def test_a_trend_says_where_the_cluster_went(values, title):
    periods = list(NEET.periods)
    found = trend_finding(NEET, "Redditch", periods, series_values(series(values), periods),
                          series_values(series([3.0, 3.1, 3.3]), periods), "increasing")
    assert found.title == title
    assert "the county rose from 3.0% in 2021 to 3.3% in 2023" in found.sentence
    assert found.sentence.endswith("recent trend: increasing and getting worse.")


def test_a_distribution_gives_the_range_and_median_against_the_county():
    found = distribution_finding(NEET, "Redditch", np.array([2.0, 4.0, 9.0]),
                                 np.array([1.0, 2.0, 3.0, 4.0, 5.0]), suppressed=2)
    assert found.title == "Redditch's 3 small areas range from 2.0% to 9.0%, median 4.0%"
    assert found.sentence == (found.title + ", against a median of 3.0% across the county's "
                              "5 small areas; 2 areas of Redditch are suppressed.")
    assert distribution_finding(NEET, "Redditch", np.array([]), np.array([1.0])).title == \
        "None of Redditch's small areas has a value that can be shown"


def test_title_description_and_finding_agree_on_the_demo_bundle(demo_bundle, stats):
    """The chart's title is its finding's message; the alt text leads with the kind of
    chart, then the finding's numbers, then every value."""
    from desktop.core.charts.tables import chart_inputs

    indicator = next(i for i in demo_bundle.manifest.indicators if i.periods[1:])
    cluster = demo_bundle.cluster_names[3]
    for kind in ("bars", "trend", "distribution"):
        inputs = chart_inputs(kind, demo_bundle, stats, indicator, indicator.latest_period,
                              cluster)
        found = chart_finding(kind, **inputs)
        assert figure_title(chart_figure(kind, **inputs)) == found.title
        text = chart_description(kind, **inputs)
        assert text.startswith(("Bar chart of", "Line chart of", "Box plot of"))
        assert found.sentence in text and cluster in found.sentence
