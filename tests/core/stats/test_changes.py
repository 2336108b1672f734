"""Changes in significance between periods, and the gap with the county, on the demo bundle."""

from __future__ import annotations

import pandas as pd

from desktop.core.stats.changes import changes_between, common_periods, gap_change


def test_changes_between_lists_exactly_the_changed_indicators(demo_bundle, stats):
    periods = common_periods(demo_bundle, stats)
    a, b = periods[-3], periods[-1]
    found = changes_between(demo_bundle, stats, "Redditch", a, b)
    expected = set()
    for ind in demo_bundle.manifest.indicators:
        if a in stats.periods(ind.id) and b in stats.periods(ind.id):
            sa = stats.cluster_values(ind.id, a).loc["Redditch", "significance"]
            sb = stats.cluster_values(ind.id, b).loc["Redditch", "significance"]
            if sa != sb:
                expected.add(ind.id)
    assert set(found["indicator_id"]) == expected and expected
    assert (found["significance_a"] != found["significance_b"]).all()
    assert changes_between(demo_bundle, stats, "Redditch", b, b).empty


def test_gap_change_by_hand():
    idx = pd.Index(["2019", "2020", "2021", "2022"], name="period")
    cluster = pd.DataFrame({"value": [30.0, 28.0, 26.0, 25.0],
                            "suppressed": [True, False, False, False]}, index=idx)
    county = pd.DataFrame({"value": [20.0, 20.0, 21.0, 22.0]}, index=idx)
    gap = gap_change(cluster, county)
    assert (gap.first_period, gap.first_gap, gap.last_period, gap.last_gap) == \
        ("2020", 8.0, "2022", 3.0)
    assert gap.word == "narrowed"
    wider = gap_change(cluster.assign(value=[30.0, 21.0, 26.0, 30.0]), county)
    assert wider.word == "widened"
    assert gap_change(cluster.iloc[:2], county) is None


def test_trend_chart_marks_baseline_and_gap(demo_bundle, stats):
    from matplotlib.figure import Figure

    from desktop.core.charts.trend import trend_chart
    from desktop.core.stats.changes import county_series

    ind = next(i for i in demo_bundle.manifest.indicators if len(stats.periods(i.id)) > 2
               and i.value_type.has_ratio)
    cluster = stats.series(ind.id, "Malvern", "cluster")
    county = county_series(stats, ind.id)
    ax = Figure().add_subplot()
    trend_chart(ax, ind, "Malvern", cluster, county)
    baseline = [a for a in ax.lines if a.get_gid() == "baseline"]
    assert len(baseline) == 1 and baseline[0].get_xdata()[0] == 0
    gap = gap_change(cluster, county)
    texts = " ".join(t.get_text() for t in ax.figure.texts + ax.texts)
    assert gap.note(ind) in texts.replace("\n", " ")
