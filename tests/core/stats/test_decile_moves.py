"""The moves that prove decile counts protected without the solver (decile_moves): every range
they show lies inside the solver's, they prove most hidden cells of the demo's publications,
and the counts hidden with them are exactly those the solver alone hides."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from desktop.core.disclosure.audit import audit
from desktop.core.disclosure.certify import certified_ranges, cycle_moves
from desktop.core.disclosure.protect import protect
from desktop.core.stats.decile_disclosure import (
    N_DECILES,
    decile_moves,
    hide_decile_counts,
)
from desktop.core.stats.inequality import area_deciles, decile_publication

INDICATORS = ("children_in_need", "road_ksi_0_15", "mmr2_age5", "under16_conceptions")


@pytest.fixture(scope="module")
def column(demo_bundle):
    decile = area_deciles(demo_bundle)
    return np.where(np.isnan(decile), N_DECILES, decile - 1).astype(np.int64)


def _publications(demo_bundle, stats, column):
    for indicator_id in INDICATORS:
        indicator = demo_bundle.manifest.indicator(indicator_id)
        yield decile_publication(demo_bundle, stats, indicator, indicator.latest_period, column)


def _hidden_states(publication, cells):
    """The publication as primary suppression leaves it, with every decile count hidden, and
    with the cluster deciles hidden but the county's shown."""
    every = publication.hidden.copy()
    every[cells.indices()] = True
    clusters = publication.hidden.copy()
    clusters[cells.by_cluster[cells.by_cluster >= 0]] = True
    return [publication, replace(publication, hidden=every),
            replace(publication, hidden=clusters)]


def test_moves_keep_every_sum_and_stay_inside_the_solvers_ranges(demo_bundle, stats, column):
    proved = solved = 0
    for publication, cells in _publications(demo_bundle, stats, column):
        for state in _hidden_states(publication, cells):
            moves = decile_moves(state, cells)
            assert moves.shape[1] == state.n_cells
            touched = np.unique(moves.tocoo().col)
            assert state.hidden[touched].all()  # only hidden cells move
            np.testing.assert_allclose((state.equalities @ moves.T).toarray(), 0.0)
            low, high = certified_ranges(state, moves)
            exact = audit(state)
            at = exact.cells
            assert (low[at] >= exact.low - 1e-6).all() and (high[at] <= exact.high + 1e-6).all()
            wide = (high[at] - low[at]) >= state.protect[at] - 1e-6
            assert (exact.high[wide] - exact.low[wide] >= state.protect[at][wide] - 1e-6).all()
            proved += int(wide.sum())
            solved += at.size
    assert proved > 0.5 * solved  # most cells need no solver


def test_the_counts_hidden_are_the_solvers_alone(demo_bundle, stats, column):
    certified = 0
    for publication, cells in _publications(demo_bundle, stats, column):
        by_cluster, county, result = hide_decile_counts(publication, cells)
        assert result.passed
        certified += int(result.certified.sum())
        hidden = publication.hidden.copy()
        hidden[cells.single] = True
        eligible = np.zeros(publication.n_cells, bool)
        eligible[cells.indices()] = True
        eligible[cells.closed] = False
        alone, _ = protect(lambda h: replace(publication, hidden=h), hidden,
                           np.nan_to_num(publication.value, nan=np.inf), moves=cycle_moves,
                           eligible=eligible)
        np.testing.assert_array_equal(by_cluster, np.where(cells.by_cluster >= 0,
                                                           alone[cells.by_cluster], False))
        np.testing.assert_array_equal(county, np.where(cells.county >= 0,
                                                       alone[cells.county], False))
    assert certified > 0  # the moves did part of the work
