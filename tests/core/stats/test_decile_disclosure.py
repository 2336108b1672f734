"""The counts by IMD decile never let a hidden count be worked out: checked against an
independent test of the published equations by matrix rank, on random tables and on the demo
bundle's indicators, and (the protection rule's width) by the disclosure audit."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop.core.disclosure.audit import audit
from desktop.core.disclosure.publication import PublicationBuilder
from desktop.core.stats.decile_disclosure import (
    N_DECILES,
    add_decile_cells,
    as_protected_as_alone,
    hide_decile_counts,
)
from desktop.core.stats.inequality import area_deciles, decile_publication, inequality


def _determined(rows: list[np.ndarray], targets: list[np.ndarray]) -> np.ndarray:
    """Whether each target combination of the unknowns is fixed by the equations `rows`: it is
    exactly when it lies in their row space (the rank does not grow when it is added)."""
    if not rows:
        return np.zeros(len(targets), bool)
    matrix = np.array(rows, dtype=float)
    rank = np.linalg.matrix_rank(matrix)
    return np.array([np.linalg.matrix_rank(np.vstack([matrix, t])) == rank for t in targets])


def _check(row, column, hidden, n_clusters, cluster_hidden, county_hidden, cluster_cells,
           county_cells) -> None:
    """Every published equation over the unknowns: hidden areas, hidden cluster totals, the
    hidden county, hidden decile counts. No hidden area, total or decile count may be fixed
    by them unless the areas, clusters and county alone already fix it."""
    areas = np.flatnonzero(hidden)
    unknowns = {("area", int(a)): k for k, a in enumerate(areas)}
    for r in np.flatnonzero(cluster_hidden):
        unknowns[("total", int(r))] = len(unknowns)
    if county_hidden:
        unknowns[("county", 0)] = len(unknowns)
    for r, k in zip(*np.nonzero(cluster_cells)):
        unknowns[("cell", (int(r), int(k)))] = len(unknowns)
    for k in np.flatnonzero(county_cells):
        unknowns[("decile", int(k))] = len(unknowns)
    size = len(unknowns)

    def equation(members: np.ndarray, total: tuple | None) -> np.ndarray:
        eq = np.zeros(size)
        for a in np.flatnonzero(members & hidden):
            eq[unknowns[("area", int(a))]] = 1
        if total in unknowns:
            eq[unknowns[total]] = -1
        return eq

    base = [equation(row == r, ("total", r)) for r in range(n_clusters)]
    county = equation(row == n_clusters, ("county", 0))  # areas in no cluster ...
    for r in np.flatnonzero(cluster_hidden):  # ... and the clusters' totals
        county[unknowns[("total", int(r))]] = 1
    base.append(county)
    cells = [equation((row == r) & (column == k), ("cell", (r, k)))
             for r in range(n_clusters) for k in range(N_DECILES)
             if ((row == r) & (column == k)).any()]
    cells += [equation(column == k, ("decile", k)) for k in range(N_DECILES)
              if (column == k).any()]
    targets, sums = [], []
    for (kind, at), k in unknowns.items():
        target = np.zeros(size)
        target[k] = 1
        targets.append(target)
        # what the unknown is in terms of the areas, for asking the areas-only equations
        if kind == "cell":
            sums.append(equation((row == at[0]) & (column == at[1]), None))
        elif kind == "decile":
            sums.append(equation(column == at, None))
        else:
            sums.append(target)
    fixed = _determined(base + cells, targets)
    fixed_before = _determined(base, sums)
    leaked = [name for name, now, before in zip(unknowns, fixed, fixed_before) if now and not
              before]
    assert not leaked, f"determined by the decile counts: {leaked}"


def _hide(row, column, count, hidden, n_clusters, cluster_hidden, county_hidden, threshold=5):
    """The decile counts hidden over a hand-made publication of areas, clusters and county,
    and the audit of the result."""
    builder = PublicationBuilder()
    areas = builder.add_cells(np.where(hidden, np.nan, count), hidden,
                              [f"area {k}" for k in range(count.size)], protect=threshold)
    totals = [count[row == r].sum() for r in range(n_clusters)]
    clusters = builder.add_cells(np.where(cluster_hidden, np.nan, totals), cluster_hidden,
                                 [f"cluster {r}" for r in range(n_clusters)], protect=threshold)
    county = builder.add_cells([np.nan if county_hidden else count.sum()], [county_hidden],
                               ["county"], protect=threshold)[0]
    for r in range(n_clusters):
        builder.add_sum(clusters[r], areas[row == r])
    builder.add_sum(county, [*clusters, *areas[row == n_clusters]])
    cells = add_decile_cells(builder, areas, hidden, count, np.full(count.size, np.inf), row,
                             column, [f"c{r}" for r in range(n_clusters)], threshold)
    return cells, *hide_decile_counts(as_protected_as_alone(builder.build(), cells), cells)


@settings(max_examples=25, deadline=None)
@given(st.data())
def test_no_hidden_count_is_determined_on_random_tables(data):
    n_clusters = data.draw(st.integers(1, 4))
    n_areas = data.draw(st.integers(3, 30))
    row = np.array(data.draw(st.lists(st.integers(0, n_clusters), min_size=n_areas,
                                      max_size=n_areas)))
    column = np.array(data.draw(st.lists(st.integers(0, N_DECILES), min_size=n_areas,
                                         max_size=n_areas)))
    count = np.array(data.draw(st.lists(st.integers(0, 20), min_size=n_areas,
                                        max_size=n_areas)), float)
    hidden = np.array(data.draw(st.lists(st.booleans(), min_size=n_areas, max_size=n_areas)))
    cluster_hidden = np.array(data.draw(st.lists(st.booleans(), min_size=n_clusters,
                                                 max_size=n_clusters)))
    county_hidden = data.draw(st.booleans())
    cells, by_cluster, county, _ = _hide(row, column, count, hidden, n_clusters,
                                         cluster_hidden, county_hidden)
    assert not (by_cluster & (cells.by_cluster < 0)).any()
    sums = np.array([[count[(row == r) & (column == k)].sum() for k in range(N_DECILES)]
                     for r in range(n_clusters)])
    small = (sums >= 1) & (sums <= 5) & (cells.by_cluster >= 0)
    with_hidden = np.array([[((row == r) & (column == k) & hidden).any()
                             for k in range(N_DECILES)] for r in range(n_clusters)])
    assert (by_cluster >= small & with_hidden).all()  # primary suppression
    _check(row, column, hidden, n_clusters, cluster_hidden, county_hidden, by_cluster, county)


def test_a_decile_with_one_hidden_area_is_hidden_and_protected():
    # cluster 0 hides a 3 (decile 3) and a 12 (decile 1); cluster 1 a 40 (decile 2) and a
    # 50 (decile 3): each is alone in its cluster's decile, so each of those decile counts
    # less its shown areas would give it away
    row = np.array([0, 0, 0, 0, 1, 1, 1])
    column = np.array([0, 0, 1, 2, 1, 2, 2])
    count = np.array([12, 30, 25, 3, 40, 41, 50], float)
    hidden = np.array([1, 0, 0, 1, 1, 0, 1], bool)
    _, by_cluster, county, result = _hide(row, column, count, hidden, 2, np.zeros(2, bool),
                                          False)
    np.testing.assert_array_equal(by_cluster[:, :3], [[True, False, True], [False, True, True]])
    # the county's deciles 1 and 2 hold one hidden area each: hidden too
    np.testing.assert_array_equal(county[:2], [True, True])
    assert result.passed
    low, high = result.low[np.isin(result.cells, [0, 3])], result.high[np.isin(result.cells,
                                                                                [0, 3])]
    assert ((high - low) >= 5).all()  # the hidden areas keep the threshold's width
    _check(row, column, hidden, 2, np.zeros(2, bool), False, by_cluster, county)


def test_the_demo_bundles_deciles_reveal_no_hidden_count(demo_bundle, stats):
    names = list(demo_bundle.cluster_names)
    row = np.array([names.index(c) if c in names else len(names)
                    for c in demo_bundle.areas["cluster"]])
    decile = area_deciles(demo_bundle)
    column = np.where(np.isnan(decile), N_DECILES, decile - 1).astype(int)
    n_areas = len(row)
    checked = 0
    for indicator_id in ("children_in_need", "road_ksi_0_15", "mmr2_age5", "phonics_y1",
                         "under16_conceptions"):
        indicator = demo_bundle.manifest.indicator(indicator_id)
        period = indicator.latest_period
        flags = stats.suppressed(indicator_id, period)
        cluster_cells = np.array([inequality(demo_bundle, stats, indicator_id, period, name)
                                  .deciles["suppressed"].to_numpy() for name in names])
        county_cells = inequality(demo_bundle, stats, indicator_id, period) \
            .deciles["suppressed"].to_numpy()
        values = demo_bundle.values
        present = set(values.loc[(values["indicator_id"] == indicator_id)
                                 & (values["period"] == period), "area_code"])
        member = demo_bundle.areas["area_code"].isin(present).to_numpy()
        assert member.all()  # every area has a row, so every hidden flag is a count's
        _check(row, column, flags[:n_areas], len(names), flags[n_areas:-1], bool(flags[-1]),
               cluster_cells, county_cells)
        # and every hidden count keeps the protection rule's width, deciles shown as drawn
        publication, cells = decile_publication(demo_bundle, stats, indicator, period, column)
        hidden = publication.hidden.copy()
        hidden[cells.by_cluster[cluster_cells]] = True
        hidden[cells.county[county_cells]] = True
        assert audit(replace(publication, hidden=hidden)).passed, indicator_id
        checked += int(flags[:n_areas].sum() > 0)
    assert checked >= 4


def test_pooled_deciles_never_leave_one_single_period_hidden_alone(demo_bundle, stats,
                                                                   demo_pooled):
    """A pooled decile count is the sum of its periods' counts: shown beside them, with one
    of them hidden, it would give that one away."""
    from desktop.core.stats.inequality import NO_DECILE, SinglePeriods, decile_masks

    pooled = demo_pooled
    single = SinglePeriods(demo_bundle, stats, pooled.windows)
    decile = area_deciles(demo_bundle)
    column = np.where(np.isnan(decile), NO_DECILE, decile - 1).astype(int)
    names = list(demo_bundle.cluster_names)
    unprotected = 0
    for indicator_id in ("children_in_need", "road_ksi_0_15", "ks4_em_grade4"):
        indicator = pooled.bundle.manifest.indicator(indicator_id)
        for label, periods in pooled.windows[indicator_id].items():
            parts = [decile_masks(demo_bundle, stats, indicator, p, column) for p in periods]
            alone = [np.sum([part[k] for part in parts], axis=0) == 1 for k in (0, 1)]
            shown = [np.array([~inequality(pooled.bundle, pooled.statistics, indicator_id,
                                           label, name, single=single).deciles["suppressed"]
                               for name in names]),
                     ~inequality(pooled.bundle, pooled.statistics, indicator_id, label,
                                 single=single).deciles["suppressed"].to_numpy()]
            for k in (0, 1):
                assert not (alone[k] & shown[k]).any(), (indicator_id, label)
            bare = decile_masks(pooled.bundle, pooled.statistics, indicator, label, column)
            unprotected += sum(int((alone[k] & ~bare[k]).sum()) for k in (0, 1))
    assert unprotected > 0  # without the single periods some would have shown
