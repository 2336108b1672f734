"""A school's own profile on the demo bundle: its pupil-weighted value equals an independent
computation from the pupil table; its table of where pupils live passes the disclosure audit;
neither moves when hidden counts move (so nothing hidden, and nothing of its cluster, can be
unpicked from it)."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest

from desktop.core.disclosure.audit import audit_many
from desktop.core.errors import SchoolError
from desktop.core.model import OUTSIDE, Significance
from desktop.core.stats.aggregate import compute_statistics
from desktop.core.stats.intervals import z_value
from desktop.core.stats.school_homes import school_homes, school_publications
from desktop.core.stats.school_profile import school_profile

URN = "139001"  # Perry Wood Primary and Nursery School, Worcester South


def _open(bundle):
    """The bundle with nothing suppressed: every area and home area shown."""
    manifest = dataclasses.replace(
        bundle.manifest, disclosure_threshold=0,
        indicators=tuple(dataclasses.replace(i, disclosure_threshold=0)
                         for i in bundle.manifest.indicators))
    return dataclasses.replace(bundle, manifest=manifest)


@pytest.fixture(scope="module")
def opened(demo_bundle):
    bundle = _open(demo_bundle)
    return bundle, compute_statistics(bundle)


def test_the_weighted_value_is_the_pupils_mix_of_their_home_areas(opened):
    bundle, stats = opened
    homes = school_homes(bundle, URN)
    assert not homes.homes["hidden"].any()
    profile = school_profile(bundle, stats, homes).set_index("indicator_id")
    # independently, from the pupil table and the values table
    pupils = bundle.school_pupils
    pupils = pupils[(pupils["school_id"] == URN) & (pupils["period"] == homes.period)]
    pupils = pupils[pupils["home_area_code"] != OUTSIDE].groupby("home_area_code")["pupils"].sum()
    checked = 0
    for ind in bundle.manifest.indicators:
        if ind.value_type.value not in ("proportion", "rate") or ind.basis_of:
            continue
        rows = bundle.values[(bundle.values["indicator_id"] == ind.id)
                             & (bundle.values["period"] == ind.latest_period)]
        rows = rows.set_index("area_code").reindex(pupils.index).dropna(
            subset=["numerator", "denominator"])
        rows = rows[rows["denominator"] > 0]
        weight = pupils.reindex(rows.index) / pupils.reindex(rows.index).sum()
        rate = rows["numerator"] / rows["denominator"]
        expected = float((weight * rate).sum() * ind.multiplier)
        variance = (rate * (1 - rate) / rows["denominator"] if ind.value_type.value ==
                    "proportion" else rows["numerator"] / rows["denominator"] ** 2)
        half = z_value(0.95) * np.sqrt(float((weight ** 2 * variance).sum())) * ind.multiplier
        row = profile.loc[ind.id]
        assert row["value"] == pytest.approx(expected, rel=1e-9), ind.id
        checked += 1
        if half == 0:  # every area 0% or 100%: no spread to make an interval from
            assert np.isnan(row["upper"]) and row["significance"] == "not compared"
            continue
        assert row["upper"] == pytest.approx(expected + half, rel=1e-9), ind.id
        assert row["lower"] == pytest.approx(max(expected - half, 0.0), rel=1e-9, abs=1e-12)
    assert checked > 40


def test_verdicts_compare_the_interval_with_the_county_and_the_cluster(opened):
    bundle, stats = opened
    profile = school_profile(bundle, stats, school_homes(bundle, URN))
    judged = profile[profile["significance"] != Significance.NOT_COMPARED.value]
    assert not judged.empty
    for _, row in judged.iterrows():
        inside = row["lower"] <= row["county_value"] <= row["upper"]
        assert (row["significance"] == Significance.SIMILAR.value) == inside
    outside = profile[(profile["cluster_value"] < profile["lower"])
                      | (profile["cluster_value"] > profile["upper"])]
    assert (outside["vs_cluster"] != Significance.SIMILAR.value).all()
    counts = profile[~profile["applicable"]]
    assert counts["value"].isna().all() and not counts.empty


def test_where_pupils_live_adds_up_and_hides_small_counts(demo_bundle):
    homes = school_homes(demo_bundle, URN)
    table = homes.homes
    assert table["pupils"].sum() == homes.total
    small = table["pupils"] <= demo_bundle.manifest.disclosure_threshold
    assert table.loc[small, "hidden"].all()
    assert not homes.shown.empty
    in_cluster = set(demo_bundle.areas.loc[demo_bundle.areas["cluster"] == homes.cluster,
                                           "area_code"])
    away = table.loc[~table["home_area_code"].isin(in_cluster), "pupils"].sum()
    assert homes.outside_cluster == pytest.approx(away / homes.total)


@pytest.mark.slow
def test_every_schools_table_passes_the_disclosure_audit(demo_bundle):
    publications = school_publications(demo_bundle)
    assert len(publications) > 200
    results = audit_many(publications)
    assert sum(int(r.cells.size) for r in results) > 1000  # many small counts were hidden
    assert all(r.passed for r in results)


def test_the_profile_ignores_hidden_counts(demo_bundle, stats):
    """Moving pupils between two hidden home areas changes nothing the school's profile
    shows (hidden indicator counts enter only through their pools' published totals:
    stats.pools, tested in test_custom_areas)."""
    homes = school_homes(demo_bundle, URN)
    before = school_profile(demo_bundle, stats, homes)
    hidden = homes.homes[homes.homes["hidden"]
                         & (homes.homes["home_area_code"] != OUTSIDE)].index[:2]
    assert len(hidden) == 2
    moved = homes.homes.copy()
    moved.loc[hidden, "pupils"] = moved.loc[hidden, "pupils"].to_numpy()[::-1] + [1, -1]
    after = school_profile(demo_bundle, stats, dataclasses.replace(homes, homes=moved))
    pd.testing.assert_frame_equal(before, after)


def test_an_unknown_school_or_a_bundle_without_pupils_says_so(demo_bundle):
    with pytest.raises(SchoolError, match="no school with URN 999"):
        school_homes(demo_bundle, "999")
    with pytest.raises(SchoolError, match="packed without pupil"):
        school_homes(dataclasses.replace(demo_bundle, school_pupils=None), URN)


def test_a_school_with_too_few_pupils_shows_nothing(demo_bundle):
    homes = school_homes(demo_bundle, URN)
    strict = dataclasses.replace(demo_bundle, manifest=dataclasses.replace(
        demo_bundle.manifest, disclosure_threshold=int(homes.total)))
    with pytest.raises(SchoolError, match="too few pupils"):
        school_homes(strict, URN)
