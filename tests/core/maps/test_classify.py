"""Classification schemes: classes, counts and legend labels on known arrays, and edge cases."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from desktop.core.errors import AtlasError
from desktop.core.maps.classify import (
    MISSING,
    SCHEMES,
    SUPPRESSED,
    classify,
    fisher_jenks_bins,
    range_labels,
)
from desktop.core.maps.colours import face_colours, polarity_colours
from desktop.core.model import Polarity, Significance
from desktop.core.plotting.palettes import PALETTES, NoData, palette_colours, significance_colours

TEN = np.arange(1.0, 11.0)  # 1..10


def test_quantiles_split_evenly():
    c = classify(TEN, "quantiles", 5)
    assert c.counts == (2, 2, 2, 2, 2)
    assert c.class_index.tolist() == [0, 0, 1, 1, 2, 2, 3, 3, 4, 4]
    assert c.labels == ("1.0 – 2.8", "2.8 – 4.6", "4.6 – 6.4", "6.4 – 8.2", "8.2 – 10.0")


def test_equal_interval_labels_and_empty_classes_kept():
    values = np.array([0.0, 1, 2, 3, 30])
    c = classify(values, "equal_interval", 3)
    assert c.labels == ("0 – 10", "10 – 20", "20 – 30")
    assert c.counts == (4, 0, 1)


def test_thousands_are_grouped():
    c = classify(np.array([1000.0, 25000, 400000]), "equal_interval", 3)
    assert c.labels[0] == "1,000 – 134,000"


@pytest.mark.parametrize("k", [3, 5, 9])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_natural_breaks_match_mapclassify(k, seed):
    import mapclassify

    values = np.random.default_rng(seed).gamma(2.0, 10.0, 300)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "numba not installed"
        expected = mapclassify.FisherJenks(values, k=k)
    c = classify(values, "natural_breaks", k)
    np.testing.assert_allclose(c.bins, expected.bins)
    assert c.counts == tuple(expected.counts.tolist())
    assert c.class_index.tolist() == expected.yb.tolist()


@pytest.mark.parametrize("scheme, reference", [("quantiles", "Quantiles"),
                                               ("equal_interval", "EqualInterval")])
@pytest.mark.parametrize("k", [3, 5, 9])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_quantiles_and_equal_intervals_match_mapclassify(scheme, reference, k, seed):
    """Computed with numpy (importing mapclassify imports scikit-learn): the same classes."""
    import mapclassify

    values = np.random.default_rng(seed).lognormal(2.0, 1.0, 364)
    expected = getattr(mapclassify, reference)(values, k=k)
    c = classify(values, scheme, k)
    np.testing.assert_allclose(c.bins, expected.bins, rtol=1e-12)
    assert c.class_index.tolist() == expected.yb.tolist()
    assert c.counts == tuple(expected.counts.tolist())


QUARTERS = st.lists(st.integers(-50, 50), min_size=2, max_size=60).map(
    lambda xs: np.array(xs, float) / 4)  # whole and quarter values: many ties


@settings(max_examples=200, deadline=None)
@given(QUARTERS, st.integers(3, 9))
def test_equal_interval_bins_match_mapclassify_with_ties(values, k):
    import mapclassify

    assume(np.unique(values).size >= 2)
    k = min(k, np.unique(values).size)
    expected = mapclassify.EqualInterval(values, k=k).bins
    assert SCHEMES["equal_interval"][1](values, k).tolist() == expected.tolist()


@settings(max_examples=200, deadline=None)
@given(QUARTERS, st.integers(3, 9))
@example(np.array([0.75, -1.5]), 3)  # a class edge at zero, where round-off is absolute
def test_quantile_bins_match_mapclassify_with_ties(values, k):
    """Where mapclassify forms k classes; where ties leave fewer, a common value takes a class
    of its own instead (tested below)."""
    import mapclassify

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # mapclassify warns when it forms fewer classes
        expected = np.unique(mapclassify.Quantiles(values, k=k).bins)
    assume(expected.size == k)
    # scipy's percentile and numpy's interpolate in different orders: equal to round-off,
    # which near zero is absolute (2.2e-16 against 1.1e-16 between -1.5 and 0.75)
    np.testing.assert_allclose(SCHEMES["quantiles"][1](values, k), expected, rtol=1e-12,
                               atol=1e-12 * np.abs(values).max())


def test_natural_breaks_find_obvious_groups():
    values = np.array([1.0, 1.1, 1.2, 5.0, 5.1, 9.0, 9.2, 9.1])
    c = classify(values, "natural_breaks", 3)
    assert c.bins == (1.2, 5.1, 9.2)
    assert c.counts == (3, 2, 3)


def test_natural_breaks_on_many_values_stay_sensible():
    values = np.concatenate([np.full(3000, 10.0), np.full(3000, 50.0), np.full(3000, 90.0)])
    values += np.random.default_rng(3).normal(0, 1, values.size)
    c = classify(values, "natural_breaks", 3)
    assert c.counts == (3000, 3000, 3000)
    assert fisher_jenks_bins(values, 3)[-1] == values.max()


def test_missing_and_suppressed_get_no_class_and_are_counted():
    values = TEN.copy()
    values[2] = np.nan
    suppressed = np.zeros(10, bool)
    suppressed[[5, 9]] = True
    c = classify(values, "quantiles", 3, suppressed=suppressed)
    assert c.class_index[2] == MISSING and c.class_index[5] == SUPPRESSED
    assert c.class_index[9] == SUPPRESSED
    assert (c.n_missing, c.n_suppressed) == (1, 2)
    assert sum(c.counts) == 7
    assert c.label_of(2) == "[x] not available: no value"
    assert c.label_of(5) == "[c] confidential: small numbers"
    assert c.label_of(0) == c.labels[0]


def test_fewer_distinct_values_than_classes():
    values = np.array([1.0, 1, 1, 2, 2, 3])
    for scheme in ("quantiles", "equal_interval", "natural_breaks"):
        c = classify(values, scheme, 5)
        assert sum(c.counts) == 6
        assert c.k <= 5
        assert c.class_index.min() >= 0
        assert len(c.labels) == len(c.counts) == c.k
    assert classify(values, "natural_breaks", 5).counts == (3, 2, 1)


def test_constant_and_all_missing_values():
    constant = classify(np.full(4, 7.0), "natural_breaks", 5)
    assert constant.labels == ("7",) and constant.counts == (4,)
    empty = classify(np.full(4, np.nan), "quantiles", 5)
    assert empty.k == 0 and empty.counts == () and empty.n_missing == 4
    assert (empty.class_index == MISSING).all()


@pytest.mark.parametrize("k", [2, 10, 0])
def test_k_outside_3_to_9_is_refused(k):
    with pytest.raises(AtlasError, match="between 3 and 9"):
        classify(TEN, "quantiles", k)


def test_unknown_scheme_is_refused():
    with pytest.raises(AtlasError, match="natural_breaks"):
        classify(TEN, "head_tail", 5)


def test_significance_classes_in_legend_order():
    sig = [Significance.WORSE, "better", None, "similar", "worse", float("nan")]
    suppressed = np.array([0, 0, 0, 0, 1, 0], bool)
    c = classify(np.zeros(6), "significance", 5, significance=sig, suppressed=suppressed)
    assert c.labels == ("Better", "Similar", "Worse", "Not compared")
    assert c.categories == ("better", "similar", "worse", "not compared")
    assert c.class_index.tolist() == [2, 0, 3, 1, SUPPRESSED, 3]
    assert c.counts == (1, 1, 1, 2) and c.n_suppressed == 1


def test_significance_without_polarity_uses_higher_and_lower():
    c = classify(np.zeros(3), "significance", 3, significance=["higher", "similar", "lower"])
    assert c.labels == ("Higher", "Similar", "Lower") and c.counts == (1, 1, 1)


def test_range_labels_single_value():
    assert range_labels(3.0, np.array([3.0])) == ("3",)


def test_registry_names_every_scheme():
    assert set(SCHEMES) == {"quantiles", "equal_interval", "natural_breaks", "significance"}


# -- palettes -------------------------------------------------------------------------------
def test_palettes_give_k_distinct_colours_light_to_dark():
    for name, kind in PALETTES.items():
        colours = palette_colours(name, 7)
        assert colours.shape == (7, 4)
        assert len({tuple(c) for c in colours.round(4)}) == 7
        if kind == "sequential":
            lightness = colours[:, :3].sum(axis=1)
            assert (np.diff(lightness) < 0).all(), name


def test_face_colours_use_class_and_no_data_colours():
    c = classify(np.array([1.0, 2, 3, np.nan, 5]), "equal_interval", 3,
                 suppressed=np.array([0, 0, 0, 0, 1], bool))
    colours = palette_colours("Blues", c.k)
    faces = face_colours(c, colours)
    np.testing.assert_allclose(faces[:3], colours[c.class_index[:3]])
    np.testing.assert_allclose(faces[3], NoData.MISSING_COLOUR)
    np.testing.assert_allclose(faces[4], NoData.SUPPRESSED_COLOUR)


def test_significance_colours_follow_categories():
    colours = significance_colours(("better", "similar", "worse"))
    assert colours[0][2] > colours[0][0]  # better is blue
    assert colours[2][0] > colours[2][2]  # worse is red-orange


def test_polarity_colours_centre_on_county():
    c = classify(TEN, "equal_interval", 5)  # classes 1-2.8, 2.8-4.6, 4.6-6.4, 6.4-8.2, 8.2-10
    better_high = polarity_colours(c, 5.0, Polarity.HIGHER_IS_BETTER)
    worse_high = polarity_colours(c, 5.0, Polarity.HIGHER_IS_WORSE)
    centre = better_high[2]
    assert np.ptp(centre[:3]) < 0.05  # the county's class is the neutral centre
    assert better_high[4][2] > better_high[4][0]  # far above the county and higher is better: blue
    assert worse_high[4][0] > worse_high[4][2]  # ... and higher is worse: red
    np.testing.assert_allclose(better_high[0], worse_high[4])  # equal steps on both sides
    fallback = polarity_colours(c, float("nan"), Polarity.HIGHER_IS_BETTER)
    np.testing.assert_allclose(fallback, palette_colours("Blues", 5))


def test_a_value_filling_whole_quantiles_gets_a_class_of_its_own():
    """140 areas with no event and 9 with some (NEET-like): five informative classes, not
    "0" and "0 - 18"; the class after the zeros starts at its own smallest value."""
    values = np.r_[np.zeros(140), np.arange(1, 10) * 2.0, [np.nan] * 5]
    c = classify(values, "quantiles", 5)
    assert c.labels == ("0", "2 – 6", "6 – 10", "10 – 14", "14 – 18")
    assert c.counts == (140, 3, 2, 2, 2) and c.n_missing == 5
    top = classify(np.r_[np.full(50, 100.0), np.linspace(80, 99, 30)], "quantiles", 5)
    assert top.labels[-1] == "100.0" and top.counts[-1] == 50 and top.k == 5
    even = classify(np.linspace(0, 1, 100), "quantiles", 5)
    assert even.counts == (20,) * 5 and even.labels[0] == "0.00 – 0.20"


def test_the_greys_of_a_significance_map_can_be_told_apart():
    """Suppressed, not compared and no data are three different things; on the screen map
    (no hatching) their fills must differ clearly, not by a shade."""
    from matplotlib.colors import to_rgb

    from desktop.core.plotting.palettes import SIGNIFICANCE_COLOURS

    def lightness(colour) -> float:
        r, g, b = to_rgb(colour)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    greys = sorted([lightness(NoData.SUPPRESSED_COLOUR),
                    lightness(SIGNIFICANCE_COLOURS["not compared"]),
                    lightness(NoData.MISSING_COLOUR)])
    assert min(np.diff(greys)) >= 0.1
    # suppressed and "not compared" are the pair a reader confuses: far apart, not a shade
    assert (lightness(SIGNIFICANCE_COLOURS["not compared"])
            - lightness(NoData.SUPPRESSED_COLOUR)) >= 0.25


@pytest.mark.parametrize("scheme", ["equal_interval", "natural_breaks", "quantiles"])
def test_common_zeros_get_their_own_class_and_the_rest_are_graded_above_zero(scheme):
    """Rare events: 140 zeros and nine areas with events. Every scheme keeps the zeros
    apart and forms its other classes on the values above zero alone."""
    above = np.array([8.1, 9.0, 9.7, 10.0, 10.5, 12.8, 17.4, 17.5, 16.0])
    values = np.r_[np.zeros(140), above, [np.nan] * 3]
    c = classify(values, scheme, 5)
    assert c.zero_class and c.labels[0] == "0" and c.counts[0] == 140
    assert c.bins[0] == 0 and sum(c.counts[1:]) == 9 and c.k <= 5
    assert (c.class_index[140:149] >= 1).all()
    assert c.labels[1].startswith("8.1")  # the first class starts at the smallest event
    assert c.n_graded == 9 and c.n_missing == 3
    if scheme == "equal_interval":  # equal steps from 8.1 to 17.5, not from 0
        assert c.bins[1:] == pytest.approx(np.linspace(8.1, 17.5, 5)[1:])


def test_zeros_stay_in_the_scale_when_rare_or_when_values_go_below_zero():
    few = classify(np.r_[0.0, 0.0, np.arange(1.0, 40.0)], "quantiles", 5)
    assert not few.zero_class and few.n_graded == 41
    signed = classify(np.r_[np.zeros(30), np.linspace(-3, 3, 30)], "equal_interval", 5)
    assert not signed.zero_class
    only = classify(np.zeros(10), "quantiles", 5)
    assert not only.zero_class and only.labels == ("0",)


def test_zero_class_colours_keep_zeros_pale_and_events_apart():
    from desktop.core.maps.colours import zero_class_colours

    colours = zero_class_colours("Blues", 5)
    assert colours.shape == (5, 4)
    lightness = colours[:, :3].sum(axis=1)
    assert (np.diff(lightness) < 0).all()
    # the step from "no event" to the first class is the largest: one event never looks
    # like none
    assert lightness[0] - lightness[1] > np.abs(np.diff(lightness[1:])).max()
    np.testing.assert_allclose(colours[1:], palette_colours("Blues", 4, start=0.4))


def test_legend_labels_take_the_tables_decimals_and_more_only_to_tell_edges_apart():
    """A percentage is written with one decimal in the profile table: its legend too, unless
    two class edges would then read alike."""
    spread = np.array([4.21, 5.0, 6.23, 6.6, 7.01, 7.3, 7.64, 8.0, 8.58, 12.17])
    labels = classify(spread, "equal_interval", 4, decimals=1).labels
    assert all(len(number.split(".")[1]) == 1
               for label in labels for number in label.split(" – "))
    close = np.array([1.0, 1.02, 1.04, 1.06, 1.08, 1.1])  # edges 0.02 apart: 1 dp reads alike
    labels = classify(close, "equal_interval", 5, decimals=1).labels
    edges = [number for label in labels for number in label.split(" – ")]
    assert all(len(number.split(".")[1]) == 2 for number in edges)
    assert len(set(labels)) == len(labels)
    whole = classify(np.array([0.0, 6, 7, 7, 8, 10, 12]), "quantiles", 4, decimals=0).labels
    assert not any("." in label for label in whole)  # counts: whole numbers, as in the table
