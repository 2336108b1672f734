"""The committed Worcestershire demo bundle and the script that rebuilds it (data/build_demo.py)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pandas as pd
import pytest

from desktop.core.model import COUNTY, OUTSIDE, SYNTHETIC_LABEL

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "data" / "build_demo.py"
ECM_THEMES = {"Be healthy", "Stay safe", "Enjoy and achieve", "Make a positive contribution",
              "Achieve economic well-being"}


def _load_script():
    spec = importlib.util.spec_from_file_location("build_demo", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def synthetic(demo_bundle):
    return [ind for ind in demo_bundle.manifest.indicators if ind.synthetic]


def test_areas_and_clusters(demo_bundle):
    areas = demo_bundle.areas
    assert len(areas) == 364
    assert areas["area_code"].is_unique
    assert areas["cluster"].notna().all()
    sizes = areas["cluster"].value_counts()
    assert len(demo_bundle.clusters) == 12
    assert set(sizes.index) == set(demo_bundle.cluster_names)
    assert sizes.min() >= 10
    assert demo_bundle.clusters["description"].str.contains("not an official").all()


def test_schools_are_real_and_in_clusters(demo_bundle):
    schools = demo_bundle.schools
    assert len(schools) == 274
    assert schools["cluster"].isin(demo_bundle.cluster_names).all()
    assert schools["name"].str.contains("Pershore High School").any()


def test_enough_synthetic_indicators_with_history(demo_bundle, synthetic):
    long_enough = [ind for ind in synthetic if len(ind.periods) >= 5]
    assert len(long_enough) >= 60
    assert ECM_THEMES <= {ind.theme for ind in long_enough}
    kinds = {ind.value_type.value for ind in long_enough}
    assert {"proportion", "rate", "count", "mean"} <= kinds
    assert {ind.multiplier for ind in long_enough} >= {100, 1000, 10000, 100000}


def test_synthetic_indicators_are_labelled(synthetic):
    for ind in synthetic:
        assert "Synthetic, for demonstration" in ind.definition, ind.id
        assert SYNTHETIC_LABEL in ind.source.lower(), ind.id


def test_real_indicators_are_not_labelled_synthetic(demo_bundle):
    manifest = demo_bundle.manifest
    assert manifest.deprivation_indicator == "imd_score"
    for real_id in ("imd_score", "imd_decile", "income_deprivation", "child_population"):
        ind = manifest.indicator(real_id)
        assert not ind.synthetic
        assert "Synthetic" not in ind.definition


def test_imd_total_population_matches_published_total(demo_bundle):
    values = demo_bundle.values
    total = values.loc[values["indicator_id"] == "total_population", "numerator"].sum()
    assert total == 595_786  # ONS mid-2019, as checked in data/sources/SOURCES.md


def _flow_shares(flows: pd.DataFrame, areas: pd.DataFrame) -> tuple[float, float]:
    home_cluster = flows["home_area_code"].map(areas.set_index("area_code")["cluster"])
    total = flows["pupils"].sum()
    outside = flows.loc[flows["home_area_code"] == OUTSIDE, "pupils"].sum()
    crossing = flows.loc[(flows["home_area_code"] != OUTSIDE)
                         & (home_cluster != flows["school_cluster"]), "pupils"].sum()
    return outside / total, crossing / total


def test_flows_match_worcestershire_shares(demo_bundle):
    flows = demo_bundle.flows
    assert flows is not None and flows["period"].nunique() >= 2
    for _, per_period in flows.groupby("period"):
        outside, crossing = _flow_shares(per_period, demo_bundle.areas)
        assert 0.03 <= outside <= 0.05
        assert 0.05 <= crossing <= 0.09


def test_pupil_flags_became_values(demo_bundle):
    values = demo_bundle.values
    fsm = values[values["indicator_id"] == "pupils_fsm"]
    assert fsm["period"].nunique() == 3
    assert (fsm["numerator"] <= fsm["denominator"]).all()
    assert demo_bundle.manifest.indicator("pupils_fsm").synthetic


def test_synthetic_indicator_follows_deprivation(demo_bundle):
    values = demo_bundle.values
    imd = values[values["indicator_id"] == "imd_score"].set_index("area_code")["value"]
    ind = demo_bundle.manifest.indicator("children_in_need")
    assert ind.polarity.value == "higher_is_worse"
    latest = values[(values["indicator_id"] == ind.id) & (values["period"] == ind.latest_period)]
    rate = (latest["numerator"] / latest["denominator"]).set_axis(latest["area_code"])
    rho = pd.concat([imd, rate], axis=1, join="inner").corr(method="spearman").iloc[0, 1]
    assert rho > 0.3


def test_small_counts_at_cluster_level(demo_bundle):
    """Some cluster totals are below the disclosure threshold, so suppression shows there."""
    values = demo_bundle.values.merge(demo_bundle.areas[["area_code", "cluster"]])
    sums = values.groupby(["indicator_id", "period", "cluster"])["numerator"].sum(min_count=1)
    threshold = demo_bundle.manifest.disclosure_threshold
    small = sums[(sums >= 0) & (sums < threshold)]
    assert small.index.get_level_values("indicator_id").nunique() >= 3
    assert COUNTY not in set(small.index.get_level_values("cluster"))


def test_script_reads_only_copied_sources():
    code = [SCRIPT, *sorted((ROOT / "data" / "demo").glob("*.py"))]
    for path in code:
        text = path.read_text(encoding="utf-8")
        assert "../shared" not in text and "/work/shared" not in text, path
    assert (ROOT / "data" / "sources" / "SOURCES.md").is_file()


def test_input_generation_is_reproducible(tmp_path):
    script = _load_script()
    first, second = tmp_path / "one", tmp_path / "two"
    script.build_inputs(first)
    script.build_inputs(second)
    files = sorted(p.relative_to(first) for p in first.rglob("*") if p.is_file())
    assert {Path("pupils.csv"), Path("postcodes.csv"), Path("values/synthetic.csv")} <= set(files)
    for rel in files:
        assert (first / rel).read_bytes() == (second / rel).read_bytes(), rel
