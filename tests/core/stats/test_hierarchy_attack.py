"""Random hierarchies of areas, clusters and the county, suppressed and then attacked: by the
product's audit and by the tests' own attacker, with whole counts and every denominator."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop.core.disclosure.audit import audit_many
from desktop.core.disclosure.rule import required_width
from desktop.core.model import COUNTY, ValueType
from desktop.core.stats.aggregate import compute_statistics
from desktop.core.stats.published import hierarchy_publications
from tests.core.disclosure.attacker import Attack
from tests.core.helpers_bundle import indicator, make_bundle

KINDS = (ValueType.PROPORTION, ValueType.RATE, ValueType.COUNT)


@st.composite
def hierarchies(draw):
    n_clusters = draw(st.integers(1, 4))
    sizes = draw(st.lists(st.integers(1, 5), min_size=n_clusters, max_size=n_clusters))
    loose = draw(st.integers(0, 2))
    clusters = [f"C{k}" for k in range(n_clusters)]
    areas = [(f"A{k}_{i}", f"Area {k}.{i}", c) for k, c in enumerate(clusters)
             for i in range(sizes[k])] + [(f"U{i}", f"Loose {i}", None) for i in range(loose)]
    kind = draw(st.sampled_from(KINDS))
    complement = kind is ValueType.PROPORTION and draw(st.booleans())
    threshold = draw(st.integers(1, 6))
    count = st.one_of(st.integers(0, 8), st.integers(9, 60))
    rows = []
    for code, _, _ in areas:
        if draw(st.integers(0, 9)) == 0:
            continue  # an area with no value
        x = draw(count)
        den = x + draw(st.integers(0, 12)) if kind is not ValueType.COUNT else np.nan
        rows.append(("i", code, "2024", float(x), float(den) if den == den else np.nan,
                     np.nan))
    ind = indicator("i", kind, periods=("2024",), disclosure_complement=complement)
    return make_bundle([ind], rows, areas=areas, clusters=clusters, threshold=threshold)


def _attack(bundle, stats) -> tuple[dict, dict]:
    """The attacker reads every shown count and denominator of areas, clusters and county."""
    ind = bundle.manifest.indicators[0]
    proportion = ind.value_type is ValueType.PROPORTION
    attack, need = Attack(), {}
    frames = [("area", stats.area_values("i", "2024")), ("level", stats.cluster_values("i",
                                                                                     "2024"))]
    item = {}
    for level, frame in frames:
        for code, row in frame.iterrows():
            if row["suppressed"]:
                upper = row["denominator"] if proportion else np.inf
                item[code] = attack.unknown(f"{level} {code}", upper)
                need[item[code]] = float(required_width(bundle.manifest.threshold_for(ind),
                                                        upper))
            elif not np.isnan(row["numerator"]):
                item[code] = float(row["numerator"])
    home = dict(zip(bundle.areas["area_code"], bundle.areas["cluster"]))
    clusters = [c for c in bundle.cluster_names if c in item]
    for c in clusters:
        attack.total([item[a] for a in item if home.get(a) == c], item[c])
    if COUNTY in item:
        loose = [item[a] for a in item if a in home and pd.isna(home[a])]
        attack.total([item[c] for c in clusters] + loose, item[COUNTY])
    return (attack.ranges() if attack.unknowns else {}), need


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(hierarchies())
def test_random_hierarchies_resist_the_attack(bundle):
    stats = compute_statistics(bundle)
    (result,) = audit_many(hierarchy_publications(bundle, stats))
    assert result.passed, result.failures()
    ranges, need = _attack(bundle, stats)
    assert len(ranges) == result.cells.size
    for name, (low, high) in ranges.items():
        assert high - low >= need[name] - 1e-9, (name, low, high, need[name])
    # the product's audit finds the same ranges as the test's attacker
    labels = [result.publication.labels[c] for c in result.cells]
    assert sorted(zip(result.low, result.high)) == sorted(ranges.values()), labels
