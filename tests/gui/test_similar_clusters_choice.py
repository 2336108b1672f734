"""Similar clusters as the session's choice: the bundle's setting first, the officer's after,
and a comparison against them that follows a new choice and survives a lock."""

from __future__ import annotations

import pytest

from desktop.core.errors import AtlasError
from desktop.core.stats.comparison import COUNTY, SIMILAR, Comparison
from desktop.core.stats.neighbours import NeighbourSpec, similar_clusters
from desktop.gui.session import Session
from desktop.gui.views.comparison_bar import ComparisonBar


@pytest.fixture
def session(qtbot, demo_bundle, stats):
    s = Session()
    s.open("demo.atlas", demo_bundle, stats)
    return s


def test_the_bundle_setting_comes_first_and_the_officer_can_change_it(session, qtbot,
                                                                       demo_bundle, stats):
    assert session.neighbour_spec() == NeighbourSpec(
        ("imd_score", "total_population", "population_density"), 5)
    session.set_comparison(95.0, SIMILAR)
    bundle_peers = session.comparison.peers
    assert bundle_peers == similar_clusters(demo_bundle, stats, session.neighbour_spec()).peers()
    chosen = NeighbourSpec(("imd_score",), 2)
    with qtbot.waitSignals([session.neighbours_changed, session.comparison_changed]):
        session.set_neighbours(chosen)
    assert session.comparison.peers == similar_clusters(demo_bundle, stats, chosen).peers()
    assert session.comparison.peers != bundle_peers
    assert session.statistics.comparison == session.comparison
    assert all(len(group) == 2 for group in session.comparison.peers.groups)


def test_a_spec_that_cannot_place_the_clusters_is_refused(session):
    with pytest.raises(AtlasError, match="at least one"):
        session.set_neighbours(NeighbourSpec((), 3))
    assert session.neighbours is None  # nothing changed


def test_similar_clusters_survive_a_lock_and_fall_back_without_context(session, qtbot,
                                                                         demo_bundle, stats):
    session.set_comparison(99.8, SIMILAR)
    session.lock()
    session.open("demo.atlas", demo_bundle, stats)
    assert session.comparison.against == SIMILAR and session.comparison.level == 99.8
    assert session.statistics.comparison == session.comparison
    session.close()
    from dataclasses import replace

    bare = replace(demo_bundle, manifest=replace(demo_bundle.manifest, similar_indicators=(),
                                                 deprivation_indicator=None))
    session.set_comparison(95.0, COUNTY)
    session.open("bare.atlas", bare, stats)
    bar = ComparisonBar(session)
    qtbot.addWidget(bar)
    item = bar.against_combo.model().item(bar.against_combo.findData(SIMILAR))
    assert not item.isEnabled() and "no context" in item.toolTip()
    session.set_comparison(against=SIMILAR)
    assert session.comparison == Comparison(95.0, COUNTY)  # nothing to compare with
