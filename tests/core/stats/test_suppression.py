"""Primary and secondary suppression, and the subtraction attack on the published tables."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from desktop.core.model import COUNTY, ValueType
from desktop.core.stats.aggregate import compute_statistics
from desktop.core.stats.suppression import (
    Protection,
    complement_mask,
    primary_mask,
    protect_hierarchy,
)
from tests.core.helpers_bundle import AREAS, CLUSTERS, indicator, make_bundle, sample_bundle

COUNTED = (ValueType.PROPORTION, ValueType.RATE, ValueType.COUNT)


def test_primary_hides_one_to_threshold_but_not_zero():
    mask = primary_mask(np.array([0, 1, 5, 6, np.nan]), 5)
    assert list(mask) == [False, True, True, False, False]
    assert list(primary_mask(np.array([3.0, 3.0]), np.array([2, 3]), np.array([True, False]))) \
        == [False, False]


def _protect(numerator, hidden, child, parent, n_groups, upper=None, threshold=5.0):
    """Rows of one rule: a proportion's (bounded by `upper`, its denominators) or none."""
    numerator = np.asarray(numerator, dtype=float)
    if upper is None:
        protection = Protection.uniform(numerator.size, threshold)
    else:
        protection = Protection(np.asarray(upper, float), np.zeros(numerator.size, int),
                                np.array([threshold]), np.array([True]))
    return protect_hierarchy(np.asarray(hidden, bool), numerator, np.ones(numerator.size, bool),
                             protection, np.asarray(child), np.asarray(parent), n_groups)


def test_secondary_hides_the_smallest_nonzero_sibling():
    # One sum: total (row 0) = parts rows 1..4.
    out = _protect([30, 3, 0, 12, 15], [False, True, False, False, False],
                   child=[-1, 0, 0, 0, 0], parent=[0, -1, -1, -1, -1], n_groups=1)
    assert list(out) == [False, True, False, True, False]  # 12 hidden, the zero left alone


def test_hidden_parts_must_hold_more_than_the_threshold_between_them():
    """1 and 2 hidden together would still tell the reader both lie in 0..3: a larger part is
    hidden too (the old rule stopped at two hidden parts)."""
    out = _protect([40, 1, 2, 37], [False, True, True, False], child=[-1, 0, 0, 0],
                   parent=[0, -1, -1, -1], n_groups=1)
    assert list(out) == [False, True, True, True]


def test_secondary_hides_the_total_of_an_only_child():
    out = _protect([4, 4], [False, True], child=[-1, 0], parent=[0, -1], n_groups=1)
    assert out.all()


def test_secondary_propagates_down_when_a_total_is_hidden():
    # County (row 0) = clusters P (1) + Q (2); P = areas 3, 4; Q = areas 5, 6.
    tree = dict(child=[-1, 0, 0, 1, 1, 2, 2], parent=[0, 1, 2, -1, -1, -1, -1], n_groups=3)
    numerator = [60, 23, 37, 3, 20, 17, 20]
    out = _protect(numerator, [False, False, False, True, False, False, False], **tree)
    # Area 3 hidden -> its sibling 4; P still shown. Nothing else needed.
    assert list(out) == [False, False, False, True, True, False, False]
    out = _protect(numerator, [False, True, False, False, False, False, False], **tree)
    # P hidden -> Q hidden at county level; each then needs a hidden area of its own.
    assert list(out) == [False, True, True, True, False, True, False]


def test_a_shown_total_that_may_not_be_hidden_still_closes_its_sum():
    """A pooled total whose single periods are all shown may not be hidden (it would protect
    nothing), but it is still known: the one hidden part under it needs a sibling hidden.
    Counting it out of the sums instead left the part alone under an "unknown" total."""
    tree = dict(child=[-1, 0, 0, 0], parent=[0, -1, -1, -1], n_groups=1)
    hideable = np.array([False, True, True, True])
    out = protect_hierarchy(np.array([False, True, False, False]), np.array([30.0, 3, 12, 15]),
                            np.ones(4, bool), Protection.uniform(4, 5.0),
                            np.asarray(tree["child"]), np.asarray(tree["parent"]), 1,
                            hideable=hideable)
    assert list(out) == [False, True, True, False]
    # nothing hideable left beside it: the range stays narrow rather than hiding the total
    out = protect_hierarchy(np.array([False, True, False, False]), np.array([30.0, 3, 12, 15]),
                            np.ones(4, bool), Protection.uniform(4, 5.0),
                            np.asarray(tree["child"]), np.asarray(tree["parent"]), 1,
                            hideable=np.array([False, True, False, False]))
    assert list(out) == [False, True, False, False]


def test_a_denominator_limits_what_a_hidden_part_can_hold():
    """2 of 3 and 10 of 50 hidden under a shown 12: the 10 could only be 9..12 (the 2 can hold
    at most 3), so another part is hidden; 2 of 3 itself is protected at 0..3."""
    tree = dict(child=[-1, 0, 0, 0], parent=[0, -1, -1, -1], n_groups=1)
    out = _protect([52, 2, 10, 40], [False, True, True, False], upper=[200, 3, 50, 147],
                   **tree)
    assert list(out) == [False, True, True, True]


def test_complement_rule_hides_proportions_close_to_their_denominator():
    mask = complement_mask(np.array([7, 7, 6, 11, 5]), np.array([11, 13, 11, 11, np.nan]), 5,
                           np.array([True, True, True, True, True]))
    assert list(mask) == [True, False, True, False, False]  # 4 and 5 without; 6, 0, unknown
    assert not complement_mask(np.array([7]), np.array([11]), 5, False).any()


def _determined(coefficients: np.ndarray, column: int) -> bool:
    """Whether the hidden variable `column` follows from the equations (unit vector in rowspace)."""
    unit = np.zeros(coefficients.shape[1])
    unit[column] = 1.0
    rank = np.linalg.matrix_rank(coefficients)
    return np.linalg.matrix_rank(np.vstack([coefficients, unit])) == rank


def _attack(bundle, stats) -> int:
    """Try to recover every hidden count from the published numbers; returns cells attacked."""
    cluster_of = dict(zip(bundle.areas["area_code"], bundle.areas["cluster"]))
    attacked = 0
    for ind in bundle.manifest.indicators:
        if ind.value_type not in COUNTED:
            continue
        for period in ind.periods:
            areas = stats.area_values(ind.id, period)
            clusters = stats.cluster_values(ind.id, period)
            present = bundle.values[(bundle.values["indicator_id"] == ind.id)
                                    & (bundle.values["period"] == period)]["area_code"]
            nodes = [("area", a) for a in present] + [("cluster", c) for c in clusters.index]
            frame = {("area", a): areas.loc[a] for a in present}
            frame.update({("cluster", c): clusters.loc[c] for c in clusters.index})
            groups = {c: [("area", a) for a in present if cluster_of[a] == c] for c in CLUSTERS}
            groups[COUNTY] = [("cluster", c) for c in CLUSTERS] + \
                [("area", a) for a in present if pd.isna(cluster_of[a])]
            hidden = [n for n in nodes if frame[n]["suppressed"]]
            for node in hidden:
                assert np.isnan(frame[node]["numerator"]) and np.isnan(frame[node]["value"])
                assert np.isnan(frame[node]["lower95"]) and np.isnan(frame[node]["upper998"])
                assert not np.isnan(frame[node]["denominator"])
            if not hidden:
                continue
            # The subtraction attack: parent minus visible siblings, one equation at a time.
            for parent, children in groups.items():
                members = [("cluster", parent)] + children
                n_hidden = sum(bool(frame[m]["suppressed"]) for m in members)
                assert n_hidden != 1, f"{ind.id} {period} {parent}: one hidden cell is exposed"
            # And every equation together: no hidden count may follow from the system.
            column = {n: k for k, n in enumerate(hidden)}
            rows = []
            for parent, children in groups.items():
                row = np.zeros(len(hidden))
                for sign, member in [(1.0, ("cluster", parent))] + [(-1.0, c) for c in children]:
                    if member in column:
                        row[column[member]] = sign
                rows.append(row)
            matrix = np.array(rows)
            for node, k in column.items():
                attacked += 1
                assert not _determined(matrix, k), f"{ind.id} {period} {node} recoverable"
    return attacked


def test_sample_bundle_resists_subtraction():
    bundle = sample_bundle()
    stats = compute_statistics(bundle)
    hidden = stats.table[stats.table["suppressed"]]
    assert set(hidden["indicator_id"]) == {"cin_rate"}
    assert _attack(bundle, stats) == len(hidden)


@pytest.mark.parametrize("seed", range(25))
def test_random_small_counts_resist_subtraction(seed):
    rng = np.random.default_rng(seed)
    indicators = [indicator(f"i{k}", COUNTED[k % 3], periods=("2023", "2024"),
                            disclosure_threshold=int(rng.integers(2, 8)) if k % 2 else None)
                  for k in range(6)]
    rows = []
    for ind in indicators:
        for period in ind.periods:
            for code, _, _ in AREAS:
                if rng.random() < 0.1:
                    continue  # an area with no value
                count = float(rng.choice([0, 1, 2, 3, 4, 5, 6, 8, 12, 30]))
                rows.append((ind.id, code, period, count, 50.0 + rng.integers(0, 50), np.nan))
    bundle = make_bundle(indicators, rows, threshold=int(rng.integers(3, 7)))
    stats = compute_statistics(bundle)
    table = stats.table
    assert table["suppressed"].any()
    assert _attack(bundle, stats) == int(table["suppressed"].sum())
    # Primary suppression follows each indicator's own threshold.
    for ind in indicators:
        limit = bundle.manifest.threshold_for(ind)
        raw = bundle.values[bundle.values["indicator_id"] == ind.id]
        small = raw[(raw["numerator"] >= 1) & (raw["numerator"] <= limit)]
        for _, row in small.iterrows():
            assert stats.area_values(ind.id, row["period"]).loc[row["area_code"], "suppressed"]


def test_means_and_scores_are_never_suppressed():
    stats = compute_statistics(sample_bundle())
    table = stats.table
    assert not table[table["indicator_id"].isin(["attainment", "imd_score", "imd_decile"])][
        "suppressed"].any()


def test_zero_counts_stay_visible():
    ind = indicator("c", ValueType.COUNT, periods=("2024",))
    rows = [("c", code, "2024", 0.0, np.nan, np.nan) for code, _, _ in AREAS]
    stats = compute_statistics(make_bundle([ind], rows))
    assert not stats.table["suppressed"].any()
    assert (stats.cluster_values("c", "2024")["value"] == 0).all()


@pytest.mark.parametrize("rule", [False, True])
def test_the_complement_rule_hides_seven_of_eleven_only_when_asked(rule):
    """Youth reoffending in one area: 7 of 11 tells of 4 who did not reoffend."""
    ind = indicator("reoffend", ValueType.PROPORTION, periods=("2024",), multiplier=100,
                    disclosure_complement=rule)
    rows = [("reoffend", code, "2024", 7.0 if code == "A1" else 30.0, 11.0 if code == "A1"
             else 90.0, np.nan) for code, _, _ in AREAS]
    stats = compute_statistics(make_bundle([ind], rows))
    areas = stats.area_values("reoffend", "2024")
    assert areas.loc["A1", "suppressed"] == rule
    assert areas["suppressed"].sum() == (2 if rule else 0)  # with a sibling to protect it
