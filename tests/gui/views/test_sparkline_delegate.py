"""The profile's "Over time" sparklines and trend marks against the core's statistics."""

from __future__ import annotations

import math

import numpy as np
import pytest
from PySide6.QtCore import QRectF

from desktop.core.model import Trend
from desktop.core.stats.profile import cluster_profile, indicators_for_basis
from desktop.core.stats.sparklines import cluster_sparklines, with_sparklines
from desktop.core.stats.trend import trend_of
from desktop.gui import colours
from desktop.gui.views.profile_model import COL_SPARKLINE, COL_TREND, SPARKLINE_ROLE
from desktop.gui.views.profile_view import ProfileView
from desktop.gui.views.sparkline_delegate import SparklineDelegate, sparkline_points

CLUSTER = "Redditch"


@pytest.fixture
def view(qtbot, demo_bundle, stats):
    v = ProfileView()
    qtbot.addWidget(v)
    v.resize(1300, 700)
    v.show()
    profile = with_sparklines(cluster_profile(demo_bundle, stats, CLUSTER),
                              cluster_sparklines(demo_bundle, stats, CLUSTER))
    v.set_profile(profile, CLUSTER)
    return v


def cell(view, indicator_id, column):
    index = view.model.index_for_indicator(indicator_id)
    return index.siblingAtColumn(column)


def test_sparkline_cells_carry_the_series(view, demo_bundle, stats):
    assert isinstance(view.table.itemDelegateForColumn(COL_SPARKLINE), SparklineDelegate)
    checked = 0
    for ind in indicators_for_basis(demo_bundle):  # the profile shows one basis
        values = cell(view, ind.id, COL_SPARKLINE).data(SPARKLINE_ROLE)
        series = stats.series(ind.id, CLUSTER, "cluster")["value"].to_numpy(dtype=float)
        if len(series) < 2:
            assert values is None
            continue
        np.testing.assert_array_equal(np.array(values), series)
        checked += 1
    assert checked > 10
    view.table.viewport().grab()  # paints every visible sparkline without error


def test_trend_marks_follow_the_core_test(view, demo_bundle, stats):
    seen = set()
    for ind in indicators_for_basis(demo_bundle):  # the profile shows one basis
        series = stats.series(ind.id, CLUSTER, "cluster")
        expected = trend_of(ind.value_type, series["numerator"], series["denominator"],
                            ind.multiplier, series["suppressed"]).trend
        assert stats.trend(ind.id, CLUSTER) == expected
        index = cell(view, ind.id, COL_TREND)
        assert index.data() == colours.TREND_SYMBOLS[expected.value]
        seen.add(expected)
    assert {Trend.CANNOT, Trend.NO_CHANGE} <= seen and seen & {Trend.INCREASING,
                                                               Trend.DECREASING}


def test_gaps_break_the_line():
    rect = QRectF(0, 0, 40, 10)
    runs = sparkline_points([1.0, 2.0, math.nan, 4.0, 3.0], rect)
    assert [len(r) for r in runs] == [2, 2]
    assert runs[0][0].x() == 0 and runs[1][-1].x() == 40
    assert runs[0][0].y() == 10 and runs[1][0].y() == 0  # lowest at the bottom, highest at top
    assert sparkline_points([math.nan, math.nan], rect) == []
