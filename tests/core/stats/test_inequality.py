"""An indicator by the county's IMD deciles and its slope index of inequality, on the demo
bundle, against an independent pandas and numpy computation."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from desktop.core.stats.inequality import area_deciles, inequality
from desktop.core.stats.intervals import ci_for
from desktop.core.stats.sii import positions


def _independent(bundle, indicator_id: str) -> pd.DataFrame:
    ind = bundle.manifest.indicator(indicator_id)
    values = bundle.values
    rows = values[(values["indicator_id"] == ind.id) & (values["period"] == ind.latest_period)]
    deciles = pd.Series(area_deciles(bundle), index=bundle.areas["area_code"].astype(str))
    frame = pd.DataFrame({"decile": rows["area_code"].astype(str).map(deciles).to_numpy(),
                          "numerator": rows["numerator"].to_numpy(float),
                          "denominator": rows["denominator"].to_numpy(float)})
    return frame.groupby("decile")[["numerator", "denominator"]].sum()


def test_deciles_and_sii_of_a_proportion(demo_bundle, stats):
    ind = demo_bundle.manifest.indicator("income_deprivation")
    result = inequality(demo_bundle, stats, ind.id, ind.latest_period)
    table = result.deciles.set_index("decile")
    expected = _independent(demo_bundle, ind.id)
    shown = table[table["areas"] > 0]
    assert len(shown) >= 5 and not shown["suppressed"].any()
    np.testing.assert_array_equal(shown["numerator"], expected["numerator"])
    np.testing.assert_array_equal(shown["denominator"], expected["denominator"])
    value, lower, upper = ci_for("proportion", expected["numerator"], expected["denominator"],
                                 ind.multiplier, 0.95)
    np.testing.assert_allclose(shown["lower95"], lower)
    # the SII is the population-weighted least-squares slope of the decile values on their
    # positions (numpy.polyfit weights residuals by sqrt(population share))
    share = expected["denominator"].to_numpy() / expected["denominator"].sum()
    slope = np.polyfit(positions(expected["denominator"].to_numpy()), value, 1,
                       w=np.sqrt(share))[0]
    assert result.result.sii == pytest.approx(slope, rel=1e-9)
    assert result.result.sii < 0  # income deprivation falls from decile 1 to decile 10
    lower, upper = result.result.sii_limits[0.95]
    assert lower < result.result.sii < upper
    wider = result.result.sii_limits[0.998]
    assert wider[0] < lower and upper < wider[1]


def test_a_suppressed_decile_withholds_the_sii(demo_bundle, stats):
    ind = demo_bundle.manifest.indicator("road_ksi_0_15")
    result = inequality(demo_bundle, stats, ind.id, ind.latest_period)
    hidden = result.deciles["suppressed"]
    assert hidden.sum() >= 2  # never one alone: it would be the county less the others
    assert result.deciles.loc[hidden, ["numerator", "value", "lower95"]].isna().all(axis=None)
    assert result.deciles.loc[hidden, "denominator"].notna().all()
    assert result.result is None and "suppressed" in result.reason


def test_no_sii_for_counts_or_means_without_intervals(demo_bundle, stats):
    for indicator_id, words in (("child_population", "counts"),
                                ("ks4_attainment8", "no confidence interval")):
        ind = demo_bundle.manifest.indicator(indicator_id)
        result = inequality(demo_bundle, stats, ind.id, ind.latest_period)
        assert result.result is None and words in result.reason
    means = inequality(demo_bundle, stats, "ks4_attainment8",
                              demo_bundle.manifest.indicator("ks4_attainment8").latest_period)
    assert means.deciles["value"].notna().sum() >= 5  # the values are still given


def _decile_bundle():
    """Nine areas, one per decile 1..9, with a DSR in four age bands and a mean with an sd."""
    from desktop.core.model import AGE_BAND_COLUMNS, VALUE_COLUMNS, ValueType
    from tests.core.helpers_bundle import AREAS, indicator, make_bundle

    rows, bands = [], []
    for i, (code, _, _) in enumerate(AREAS):
        rows.append(("imd_decile", code, "2024", np.nan, np.nan, float(i + 1)))
        rows.append(("m", code, "2024", np.nan, 50.0, 60.0 - 2 * i))
        for b, band in enumerate(("0-4", "5-9", "10-14", "15-19")):
            bands.append(("d", code, "2024", band, 20.0 + 3 * i + b, 1000.0 + 50 * b))
    bands = pd.DataFrame(bands, columns=list(AGE_BAND_COLUMNS))
    totals = bands.groupby(["indicator_id", "area_code", "period"], as_index=False)[
        ["numerator", "denominator"]].sum().assign(value=np.nan)
    values = pd.concat([pd.DataFrame(rows, columns=list(VALUE_COLUMNS)),
                        totals[list(VALUE_COLUMNS)]], ignore_index=True)
    values["sd"] = np.where(values["indicator_id"] == "m", 12.0, np.nan)
    indicators = [indicator("imd_decile", ValueType.SCORE, periods=("2024",)),
                  indicator("m", ValueType.MEAN, periods=("2024",)),
                  indicator("d", ValueType.DSR, multiplier=100_000, periods=("2024",))]
    return make_bundle(indicators, values, threshold=0, age_bands=bands), bands


def test_standardised_rates_and_means_by_decile():
    from desktop.core.standard_population import standard_population
    from desktop.core.stats.aggregate import compute_statistics
    from desktop.core.stats.dsr import band_terms, dsr_from_sums

    bundle, bands = _decile_bundle()
    stats = compute_statistics(bundle)
    dsr = inequality(bundle, stats, "d", "2024")
    first = bands[bands["area_code"] == "A1"]
    standard = np.array([standard_population()[b] for b in first["age_band"]])
    weighted, squared = band_terms(first["numerator"].to_numpy(), first["denominator"].to_numpy(),
                                   standard)
    want = dsr_from_sums(first["numerator"].sum(), weighted.sum(), squared.sum(),
                         standard.sum(), 100_000)
    row = dsr.deciles.set_index("decile").loc[1]
    assert row["value"] == pytest.approx(want["value"]) and row["upper95"] == pytest.approx(
        want["upper95"])
    assert dsr.result is not None and dsr.result.sii > 0  # rates rise with the decile here
    mean = inequality(bundle, stats, "m", "2024")
    table = mean.deciles.set_index("decile")
    assert table.loc[3, "value"] == 56.0 and table["lower95"].iloc[:9].notna().all()
    # 2 points down per decile; nine equal deciles sit 1/9 apart: a slope of -18 over the scale
    assert mean.result.sii == pytest.approx(-18.0, rel=1e-9)


def test_a_clusters_deciles_against_an_independent_groupby(demo_bundle, stats):
    ind = demo_bundle.manifest.indicator("income_deprivation")
    result = inequality(demo_bundle, stats, ind.id, ind.latest_period, "Redditch")
    values = demo_bundle.values
    rows = values[(values["indicator_id"] == ind.id) & (values["period"] == ind.latest_period)]
    areas = demo_bundle.areas.assign(decile=area_deciles(demo_bundle))
    merged = rows.merge(areas[["area_code", "cluster", "decile"]], on="area_code")
    expected = merged[merged["cluster"] == "Redditch"].groupby("decile")[
        ["numerator", "denominator"]].sum()
    table = result.deciles.set_index("decile")
    shown = table[table["areas"] > 0]
    assert result.area == "Redditch" and not shown["suppressed"].any()
    np.testing.assert_array_equal(shown.index, expected.index.astype(int))
    np.testing.assert_array_equal(shown["numerator"], expected["numerator"])
    np.testing.assert_array_equal(shown["denominator"], expected["denominator"])
    np.testing.assert_allclose(shown["value"], expected["numerator"] / expected["denominator"]
                               * 100)
    # the fitted line runs through the deciles' positions with the SII as its rise
    fitted = result.fitted()[table["areas"].to_numpy() > 0]
    positions = shown["position"].to_numpy()
    assert np.polyfit(positions, fitted, 1)[0] == pytest.approx(result.result.sii)
    county = inequality(demo_bundle, stats, ind.id, ind.latest_period)
    assert county.deciles["areas"].sum() == len(demo_bundle.areas)
    assert result.result.sii != pytest.approx(county.result.sii)


def test_a_cluster_in_too_few_deciles_gets_bars_but_no_sii():
    from desktop.core.stats.aggregate import compute_statistics

    bundle, _ = _decile_bundle()
    stats = compute_statistics(bundle)
    north = inequality(bundle, stats, "m", "2024", "North")  # areas in deciles 1 to 3
    assert north.result is None and "3 deciles" in north.reason
    assert north.deciles["value"].notna().sum() == 3
