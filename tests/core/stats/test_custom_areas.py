"""Custom areas on the demo bundle: one cluster's areas reproduce its profile exactly; every
count a custom area shows is made of published figures (so no set of custom areas can reveal a
hidden count); lists of postcodes follow the documented share rule; the CSV holds names and
area codes only."""

from __future__ import annotations

import csv
import io

import numpy as np
import pandas as pd
import pytest

from desktop.core.errors import CustomAreaError
from desktop.core.model import SUPPRESSED, ValueType
from desktop.core.stats.comparison import REST, Comparison
from desktop.core.stats.custom_areas import (
    CSV_COLUMNS,
    CustomArea,
    from_csv,
    make_custom_area,
    to_csv,
)
from desktop.core.stats.custom_stats import (
    hidden_cells,
    pool_with_custom_areas,
    with_custom_areas,
)
from desktop.core.stats.pooling import PUBLISHED_POOL, pool_periods
from desktop.core.stats.pools import SHOWN, hidden_pools
from desktop.core.stats.profile import cluster_profile, tartan


def _codes(bundle, cluster: str) -> tuple[str, ...]:
    return tuple(bundle.areas.loc[bundle.areas["cluster"] == cluster, "area_code"])


@pytest.fixture(scope="module")
def redditch(demo_bundle, stats):
    area = CustomArea("My Redditch", _codes(demo_bundle, "Redditch"))
    return with_custom_areas(demo_bundle, stats, [area])


@pytest.mark.parametrize("comparison", [Comparison(), Comparison(99.8), Comparison(95, REST)])
def test_one_clusters_areas_reproduce_its_profile_exactly(redditch, comparison):
    bundle, stats = redditch
    stats = stats.with_comparison(comparison)
    cluster = cluster_profile(bundle, stats, "Redditch")
    custom = cluster_profile(bundle, stats, "My Redditch")
    pd.testing.assert_frame_equal(cluster, custom)
    assert cluster["suppressed"].any()  # hidden cells included, not only easy rows
    assert (cluster["significance"] != "not compared").sum() > 30
    for ind in bundle.manifest.indicators:  # every period, every series: trends included
        assert stats.trend_result(ind.id, "Redditch") == stats.trend_result(ind.id, "My Redditch")
        pd.testing.assert_frame_equal(stats.series(ind.id, "Redditch", "cluster"),
                                      stats.series(ind.id, "My Redditch", "cluster"))


def test_the_bundles_own_clusters_and_county_are_unchanged(demo_bundle, stats, redditch):
    bundle, joined = redditch
    assert bundle.cluster_names == (*demo_bundle.cluster_names, "My Redditch")
    assert bundle.custom_areas == {"My Redditch": _codes(demo_bundle, "Redditch")}
    assert bundle.members("My Redditch").sum() == demo_bundle.members("Redditch").sum()
    for ind in demo_bundle.manifest.indicators[::7]:
        period = ind.latest_period
        pd.testing.assert_frame_equal(joined.cluster_values(ind.id, period).drop("My Redditch"),
                                      stats.cluster_values(ind.id, period))
        pd.testing.assert_frame_equal(joined.area_values(ind.id, period),
                                      stats.area_values(ind.id, period))
    rug = tartan(bundle, joined)
    assert list(rug.columns) == list(bundle.cluster_names)
    assert (rug["My Redditch"] == rug["Redditch"]).all()


def test_pools_sum_the_hidden_counts(demo_bundle, stats):
    """Each pool's total is the true sum of its hidden areas (read here from the bundle, which
    the pools never read)."""
    values = demo_bundle.values.astype({"indicator_id": str, "period": str, "area_code": str})
    checked = 0
    for ind in demo_bundle.manifest.indicators:
        if ind.value_type not in (ValueType.PROPORTION, ValueType.RATE, ValueType.COUNT):
            continue
        rows = values[values["indicator_id"] == ind.id]
        for period in stats.periods(ind.id):
            pools = hidden_pools(demo_bundle, stats, ind.id, period)
            true = (rows[rows["period"] == period].set_index("area_code")["numerator"]
                    .reindex(demo_bundle.areas["area_code"]).to_numpy())
            for p in np.unique(pools.pool[pools.pool != SHOWN]):
                if np.isfinite(pools.total[p]):
                    assert pools.total[p] == np.nansum(true[pools.pool == p])
                    checked += 1
    assert checked > 300


def test_every_shown_custom_count_is_made_of_published_figures(demo_bundle, stats):
    """A custom area across clusters shows a count only where shown areas and whole pools
    give it: otherwise it is hidden, so no set of custom areas tells more than the tables."""
    rng = np.random.default_rng(19)
    codes = demo_bundle.areas["area_code"].to_numpy()
    area = CustomArea("Random", tuple(codes[rng.random(codes.size) < 0.2]))
    bundle, joined = with_custom_areas(demo_bundle, stats, [area])
    members = bundle.members("Random")
    shown = hidden = 0
    for (ind_id, period), is_hidden in hidden_cells(demo_bundle, stats, area).items():
        row = joined.cluster_values(ind_id, period).loc["Random"]
        pools = hidden_pools(demo_bundle, stats, ind_id, period)
        assert bool(row["suppressed"]) == is_hidden
        if is_hidden:
            assert np.isnan(row["numerator"]) and np.isnan(row["value"])
            hidden += 1
        else:
            assert row["numerator"] == pools.count(members)
            shown += 1
    assert shown > 20 and hidden > 20


def _cluster_with_hidden_and_shown_areas(bundle, stats):
    """A rate indicator (latest period) and a shown cluster holding hidden and shown areas."""
    for ind in bundle.manifest.indicators:
        if ind.value_type is not ValueType.RATE:
            continue
        pools = hidden_pools(bundle, stats, ind.id, ind.latest_period)
        values = stats.cluster_values(ind.id, ind.latest_period)
        for cluster in bundle.cluster_names:
            inside = pools.pool[bundle.members(cluster)]
            if not values.loc[cluster, "suppressed"] and (inside != SHOWN).any() \
                    and (inside == SHOWN).any():
                return ind, cluster, pools
    raise AssertionError("the demo bundle has no such cluster")


def test_leaving_out_one_hidden_area_hides_the_difference(demo_bundle, stats):
    """The attack a custom area invites: a cluster less one hidden area would give that area's
    count by subtraction. It is hidden; leaving out a shown area is harmless and shows."""
    ind, cluster, pools = _cluster_with_hidden_and_shown_areas(demo_bundle, stats)
    members = demo_bundle.members(cluster)
    codes = demo_bundle.areas["area_code"].to_numpy()
    hidden_one = codes[members & (pools.pool != SHOWN)][0]
    shown_one = codes[members & (pools.pool == SHOWN)][0]
    less_hidden = CustomArea("Less hidden", tuple(c for c in codes[members] if c != hidden_one))
    less_shown = CustomArea("Less shown", tuple(c for c in codes[members] if c != shown_one))
    bundle, joined = with_custom_areas(demo_bundle, stats, [less_hidden, less_shown])
    rows = joined.cluster_values(ind.id, ind.latest_period)
    assert rows.loc["Less hidden", "suppressed"] and np.isnan(rows.loc["Less hidden", "value"])
    shown_count = stats.area_values(ind.id, ind.latest_period).loc[shown_one, "numerator"]
    assert rows.loc["Less shown", "numerator"] == rows.loc[cluster, "numerator"] - shown_count
    profile = cluster_profile(bundle, joined, "Less hidden").set_index("indicator_id")
    assert profile.loc[ind.id, "significance"] == "not compared"


def _postcodes(bundle, area_code: str) -> list[str]:
    table = bundle.postcodes
    return table.loc[table["area_code"] == area_code, "postcode"].tolist()


def test_postcodes_become_areas_by_the_share_rule(demo_bundle):
    full, half_area, one_area = demo_bundle.areas["area_code"].iloc[[0, 1, 2]]
    half = _postcodes(demo_bundle, half_area)
    listed = (_postcodes(demo_bundle, full) + half[:int(np.ceil(len(half) / 2))]
              + _postcodes(demo_bundle, one_area)[:1])
    text = "\n".join(p.lower().replace(" ", "") for p in listed) + "\nWR99 9ZZ\nnot a code"
    area, report = make_custom_area("Project", text, demo_bundle)  # at least 50%
    assert area.area_codes == (full, half_area)
    assert any("3 small areas" in line and "2 of them have at least 50%" in line
               for line in report)
    assert any("1 postcodes are not in this bundle's postcode table" in line for line in report)
    assert any("not a code" in line for line in report)
    strict, _ = make_custom_area("Strict", text, demo_bundle, min_share=0.99)
    assert strict.area_codes == (full,)
    anywhere, _ = make_custom_area("Any", text, demo_bundle, min_share=0.0)
    assert anywhere.area_codes == (full, half_area, one_area)


def test_codes_and_postcodes_mix_in_a_pasted_list(demo_bundle):
    a, b = demo_bundle.areas["area_code"].iloc[[5, 9]]
    postcode = _postcodes(demo_bundle, b)
    area, _ = make_custom_area("Mixed", f"area_code\n{a.lower()}; " + ", ".join(postcode),
                               demo_bundle)
    assert area.area_codes == tuple(sorted((a, b), key=list(demo_bundle.areas["area_code"])
                                           .index))


def test_bad_lists_and_names_are_refused(demo_bundle):
    with pytest.raises(CustomAreaError, match="makes no small area"):
        make_custom_area("Empty", "nothing here\n", demo_bundle)
    code = demo_bundle.areas["area_code"].iloc[0]
    for name, message in (("", "Give the custom area a name"), ("Redditch", "already the name"),
                          ("County", "already the name"), ("x" * 101, "at most 100")):
        with pytest.raises(CustomAreaError, match=message):
            make_custom_area(name, code, demo_bundle)
    with pytest.raises(CustomAreaError, match="already a custom area called Mine"):
        make_custom_area("Mine", code, demo_bundle, taken=("Mine",))


def test_the_csv_holds_names_and_area_codes_only(demo_bundle):
    areas = [CustomArea("Malvern Link", tuple(demo_bundle.areas["area_code"].iloc[3:9])),
             CustomArea("Town, centre", tuple(demo_bundle.areas["area_code"].iloc[[20]]))]
    text = to_csv(areas)
    rows = list(csv.reader(io.StringIO(text)))
    assert tuple(rows[0]) == CSV_COLUMNS
    codes = set(demo_bundle.areas["area_code"])
    assert all(len(r) == 2 and r[0] in ("Malvern Link", "Town, centre") and r[1] in codes
               for r in rows[1:])
    assert len(rows) == 1 + 6 + 1
    back, report = from_csv(text.encode(), demo_bundle, "unused")
    assert back == areas and report


def test_csv_of_postcodes_or_a_bare_column(demo_bundle):
    code = demo_bundle.areas["area_code"].iloc[7]
    postcodes = _postcodes(demo_bundle, code)
    data = ("Postcode,Note\n" + "\n".join(f"{p},x" for p in postcodes)).encode("utf-8-sig")
    (area,), _ = from_csv(data, demo_bundle, "School walk")
    assert area == CustomArea("School walk", (code,))
    (bare,), _ = from_csv(f"{code}\n".encode(), demo_bundle, "Bare")
    assert bare.area_codes == (code,)


def test_a_csv_for_another_geography_is_refused(demo_bundle):
    data = b"custom_area,area_code\nElsewhere,E01000001\nElsewhere,E01000002\n"
    with pytest.raises(CustomAreaError, match="2 codes of Elsewhere are not small areas"):
        from_csv(data, demo_bundle, "x")
    with pytest.raises(CustomAreaError, match="not UTF-8"):
        from_csv(b"\xff\xfe\x00bad", demo_bundle, "x")


def test_hidden_custom_values_read_as_confidential(redditch):
    from desktop.core.format import format_value

    bundle, stats = redditch
    profile = cluster_profile(bundle, stats, "My Redditch")
    hidden = profile[profile["suppressed"]]
    assert len(hidden) and all(format_value(v, t, suppressed=True) == SUPPRESSED
                               for v, t in zip(hidden["value"], hidden["value_type"]))


@pytest.fixture(scope="module")
def pershore_pooled(demo_bundle, stats, demo_pooled):
    """Periods pooled in threes beside a custom area made of Pershore's areas."""
    shown = with_custom_areas(demo_bundle, stats,
                              [CustomArea("My Pershore", _codes(demo_bundle, "Pershore"))])
    return shown, pool_with_custom_areas(demo_pooled, shown)


def test_pooling_a_bundle_with_custom_areas_as_clusters_is_refused(pershore_pooled):
    """No area is in a custom area's `cluster`: pooled as a cluster it summed nothing, and
    the linked suppression chose its empty cell to hide round after round (pooling hung)."""
    (bundle, joined), _ = pershore_pooled
    with pytest.raises(ValueError, match="pool_with_custom_areas"):
        pool_periods(bundle, joined, PUBLISHED_POOL)


def test_a_pooled_custom_area_of_one_clusters_areas_is_that_clusters_pooled_profile(
        demo_bundle, stats, pershore_pooled, demo_pooled):
    _, pooled = pershore_pooled
    plain = demo_pooled
    assert pooled.windows == plain.windows
    assert pooled.bundle.cluster_names == (*demo_bundle.cluster_names, "My Pershore")
    cluster = cluster_profile(pooled.bundle, pooled.statistics, "Pershore")
    custom = cluster_profile(pooled.bundle, pooled.statistics, "My Pershore")
    pd.testing.assert_frame_equal(cluster, custom)
    assert cluster["period"].str.endswith("combined").sum() > 30  # pooled rows, not singles
    assert cluster["suppressed"].any()
    # the clusters' pooled figures are those of the bundle pooled without custom areas
    pd.testing.assert_frame_equal(cluster, cluster_profile(plain.bundle, plain.statistics,
                                                           "Pershore"))
    for ind in demo_bundle.manifest.indicators:  # the single periods' trends, as clusters keep
        assert (pooled.statistics.trend_result(ind.id, "My Pershore")
                == stats.trend_result(ind.id, "Pershore"))


def test_every_shown_pooled_custom_count_is_made_of_published_pooled_figures(demo_bundle,
                                                                            stats, demo_pooled):
    rng = np.random.default_rng(23)
    codes = demo_bundle.areas["area_code"].to_numpy()
    area = CustomArea("Random", tuple(codes[rng.random(codes.size) < 0.2]))
    shown = with_custom_areas(demo_bundle, stats, [area])
    plain = demo_pooled
    pooled = pool_with_custom_areas(plain, shown)
    members = pooled.bundle.members("Random")
    counts = {False: 0, True: 0}
    for (ind_id, period), is_hidden in hidden_cells(plain.bundle, plain.statistics,
                                                    area).items():
        row = pooled.statistics.cluster_values(ind_id, period).loc["Random"]
        assert bool(row["suppressed"]) == is_hidden
        if not is_hidden:
            pools = hidden_pools(plain.bundle, plain.statistics, ind_id, period)
            assert row["numerator"] == pools.count(members)
        counts[is_hidden] += 1
    assert counts[False] > 20 and counts[True] > 5
