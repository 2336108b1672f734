"""Sparkline values are the cluster's series from the statistics, suppression included."""

from __future__ import annotations

import numpy as np

from desktop.core.stats.profile import cluster_profile
from desktop.core.stats.sparklines import cluster_sparklines, with_sparklines


def test_sparklines_equal_series(demo_bundle, stats):
    lines = cluster_sparklines(demo_bundle, stats, "Kidderminster")
    multi = [i.id for i in demo_bundle.manifest.indicators if len(stats.periods(i.id)) > 1]
    assert set(lines) == set(multi) and multi
    for ind_id in multi:
        series = stats.series(ind_id, "Kidderminster", "cluster")
        np.testing.assert_array_equal(lines[ind_id], series["value"].to_numpy(dtype=float))
        assert np.all(np.isnan(lines[ind_id][series["suppressed"].to_numpy()]))


def test_profile_gains_a_sparkline_column(demo_bundle, stats):
    profile = cluster_profile(demo_bundle, stats, "Evesham")
    lines = cluster_sparklines(demo_bundle, stats, "Evesham")
    out = with_sparklines(profile, lines)
    assert list(out.columns[:-1]) == list(profile.columns) and len(out) == len(profile)
    for ind_id, line in zip(out["indicator_id"], out["sparkline"]):
        assert (line is None) == (ind_id not in lines)
