"""Indicators on the basis the officer chooses: by where pupils live or where they go to school."""

from __future__ import annotations

import pytest

from desktop.core.stats.aggregate import compute_statistics
from desktop.core.stats.profile import (
    cluster_profile,
    has_school_basis,
    indicators_for_basis,
    indicators_in_theme_order,
    twin_for_basis,
    with_basis,
)
from tests.core.helpers_bundle import sample_bundle

TWINS = {"pupils_sen_support": "pupils_sen_support__school",
         "pupils_eal": "pupils_eal__school", "pupils_fsm": "pupils_fsm__school"}


@pytest.fixture(scope="module")
def demo_stats(demo_bundle):
    return compute_statistics(demo_bundle)


def test_each_basis_shows_every_indicator_once(demo_bundle):
    every = [i.id for i in indicators_in_theme_order(demo_bundle)]
    home = [i.id for i in indicators_for_basis(demo_bundle, "residence")]
    school = [i.id for i in indicators_for_basis(demo_bundle, "school")]
    assert len(home) == len(school) == len(every) - len(TWINS)
    assert set(every) - set(home) == set(TWINS.values())
    assert set(every) - set(school) == set(TWINS)
    # the same rows in the same order, the pupil flags swapped for their twins
    assert [TWINS.get(i, i) for i in home] == school
    with pytest.raises(ValueError):
        indicators_for_basis(demo_bundle, "home")


def test_twin_for_basis_goes_both_ways(demo_bundle):
    assert twin_for_basis(demo_bundle, "pupils_fsm", "school") == "pupils_fsm__school"
    assert twin_for_basis(demo_bundle, "pupils_fsm__school", "residence") == "pupils_fsm"
    assert twin_for_basis(demo_bundle, "pupils_fsm", "residence") == "pupils_fsm"
    other = next(i.id for i in demo_bundle.manifest.indicators if not i.basis)
    assert twin_for_basis(demo_bundle, other, "school") == other
    assert has_school_basis(demo_bundle)
    assert not has_school_basis(sample_bundle())


def test_profile_on_the_school_basis_shows_the_twins_values(demo_bundle, demo_stats):
    cluster = demo_bundle.cluster_names[0]
    home = cluster_profile(demo_bundle, demo_stats, cluster).set_index("indicator_id")
    school = cluster_profile(demo_bundle, demo_stats, cluster,
                             basis="school").set_index("indicator_id")
    assert "pupils_fsm__school" not in home.index and "pupils_fsm" not in school.index
    row = school.loc["pupils_fsm__school"]
    period = demo_bundle.manifest.indicator("pupils_fsm__school").latest_period
    expected = demo_stats.cluster_values("pupils_fsm__school", period).loc[cluster]
    assert (row["count"], row["denominator"]) == (expected["numerator"],
                                                  expected["denominator"])
    assert row["title"].endswith("(by school)")
    # pupils living outside the county attend its schools: the school basis counts more pupils
    county = {basis: demo_stats.cluster_values(ind, period).loc["County", "denominator"]
              for basis, ind in (("home", "pupils_fsm"), ("school", "pupils_fsm__school"))}
    assert county["school"] > county["home"]
    shared = home.index.drop(list(TWINS))
    assert home.loc[shared, "value"].equals(school.loc[shared, "value"])


def test_profile_without_twins_is_unchanged_by_the_default_basis():
    bundle = sample_bundle()
    stats = compute_statistics(bundle)
    assert len(cluster_profile(bundle, stats, "East")) == len(bundle.manifest.indicators)
    assert list(cluster_profile(bundle, stats, "East", basis="school")["indicator_id"]) == \
        [i.id for i in indicators_in_theme_order(bundle)]


def test_with_basis_names_each_rows_basis(demo_bundle, demo_stats):
    cluster = demo_bundle.cluster_names[0]
    profile = with_basis(demo_bundle, cluster_profile(demo_bundle, demo_stats, cluster,
                                                      basis="school"))
    basis = profile.set_index("indicator_id")["basis"]
    assert basis["pupils_fsm__school"] == "school"
    assert set(basis.drop(list(TWINS.values()))) == {""}
