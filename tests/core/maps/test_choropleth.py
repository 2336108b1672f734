"""What the map shows at each level: classes, the too-few-values warning, hover texts; on
hand-made classifications and on the demo bundle."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from desktop.core.maps import mapplot
from desktop.core.maps.choropleth import (
    MIN_MAPPED,
    few_values_warning,
    hover_text,
    level_values,
    map_layer,
)
from desktop.core.maps.classify import SUPPRESSED, classify
from desktop.core.maps.colours import face_colours
from desktop.core.maps.export import MapFigure, MapOptions, export_map
from desktop.core.model import MAP_AREAS, MAP_CLUSTERS
from desktop.core.plotting.palettes import NoData
from desktop.core.stats.comparison import Comparison

NEET = "neet_16_17"


def test_warning_names_what_is_missing_and_what_to_try():
    zeros_and_few = np.r_[np.zeros(140), np.arange(1.0, 10.0), np.full(215, np.nan)]
    hidden = np.r_[np.zeros(149, bool), np.ones(215, bool)]
    c = classify(zeros_and_few, "quantiles", 5, suppressed=hidden)
    text = few_values_warning(c, MAP_AREAS, pooled=False)
    assert text == ("Too few areas to map at this level: 9 of 364 small areas have a value "
                    "above zero; 215 are suppressed. Try the cluster map or pooled periods.")
    assert few_values_warning(c, MAP_AREAS, pooled=True).endswith("Try the cluster map.")
    clusters = classify(np.r_[[1.0, 2.0], [np.nan] * 10], "quantiles", 5,
                        suppressed=np.r_[False, False, [True] * 10])
    assert few_values_warning(clusters, MAP_CLUSTERS, pooled=False) == (
        "Too few clusters to map: 2 of 12 have a value; 10 are suppressed. Try pooled periods.")
    assert few_values_warning(clusters, MAP_CLUSTERS, pooled=True) == (
        "Too few clusters to map: 2 of 12 have a value; 10 are suppressed.")


def test_no_warning_with_enough_values_or_most_of_a_small_map():
    enough = classify(np.r_[np.arange(1.0, MIN_MAPPED + 1), [np.nan] * 300], "quantiles", 5,
                      suppressed=np.r_[np.zeros(MIN_MAPPED, bool), np.ones(300, bool)])
    assert few_values_warning(enough, MAP_AREAS, pooled=False) is None
    # six clusters, five with a value: fewer than ten, but most of the map says something
    six = classify(np.r_[np.arange(1.0, 6.0), np.nan], "quantiles", 3,
                   suppressed=np.r_[np.zeros(5, bool), True])
    assert few_values_warning(six, MAP_CLUSTERS, pooled=False) is None


def test_significance_warning_counts_compared_areas():
    sig = ["similar"] * 3 + ["not compared"] * 40
    c = classify(np.zeros(43), "significance", 5, significance=sig)
    assert c.n_graded == 3
    assert "3 of 43 small areas have a value compared with the county" in \
        few_values_warning(c, MAP_AREAS, pooled=False)


def test_cluster_hover_text_says_the_value_and_the_comparison(demo_bundle, stats):
    indicator = demo_bundle.manifest.indicator(NEET)
    values, _ = level_values(stats, NEET, "2023/24", MAP_CLUSTERS, demo_bundle.cluster_names)
    strict = Comparison(99.8)
    text = hover_text(indicator, values, 1, "Redditch cluster", compared=strict)
    row = values.loc["Redditch"]
    assert text.startswith("Redditch cluster · ")
    assert f"{row['value']:.1f}%" in text and "95% CI" in text
    # the verdict in Fingertips' words at the level that judged it ("worse 99.8%")
    assert text.endswith(" · " + strict.label(str(row["significance"])).lower())


# --- the demo bundle ------------------------------------------------------------------------

@pytest.fixture(scope="module")
def drawn(demo_bundle):
    figure = Figure(figsize=(6, 5))
    FigureCanvasAgg(figure)
    return mapplot.draw_map(figure.add_subplot(), demo_bundle.areas, schools=demo_bundle.schools)


def test_neet_cluster_map_colours_all_twelve_clusters_where_few_areas_are_coloured(
        demo_bundle, stats, drawn):
    indicator = demo_bundle.manifest.indicator(NEET)
    areas, county = level_values(stats, NEET, "2023/24", MAP_AREAS)
    area_layer = map_layer(indicator, areas, county, "quantiles", 5, "Blues")
    graded = area_layer.classification.class_index >= 1  # classes above the zero class
    assert area_layer.classification.zero_class and graded.sum() < 10
    assert area_layer.warning.startswith("Too few areas to map at this level")

    mapplot.set_level(drawn, MAP_CLUSTERS)
    clusters, county = level_values(stats, NEET, "2023/24", MAP_CLUSTERS, drawn.cluster_names)
    layer = map_layer(indicator, clusters, county, "quantiles", 5, "Blues", level=MAP_CLUSTERS)
    mapplot.show_classes(drawn, layer.classification, layer.class_colours, indicator.title)
    faces = drawn.cluster_fills.get_facecolor()
    assert len(faces) == 12 and layer.warning is None
    assert (layer.classification.class_index >= 0).all()  # no cluster suppressed or missing
    np.testing.assert_allclose(faces, layer.class_colours[layer.classification.class_index])
    for no_data in (NoData.MISSING_COLOUR, NoData.SUPPRESSED_COLOUR):
        assert not any(np.allclose(face, no_data) for face in faces)
    assert len({tuple(f) for f in np.round(faces, 4)}) == layer.classification.k
    assert sorted(layer.classification.counts) == sorted(
        np.bincount(layer.classification.class_index).tolist())
    # the cluster values are the statistics' own, in the drawn order
    np.testing.assert_allclose(layer.values, stats.cluster_values(NEET, "2023/24")
                               .loc[list(drawn.cluster_names), "value"])


def test_suppressed_clusters_are_hatched_in_exports(demo_bundle, stats, drawn):
    """Infant deaths: most clusters are suppressed in a year; their fills are the suppressed
    grey and the hatched overlay holds their very cluster paths."""
    indicator = demo_bundle.manifest.indicator("infant_deaths")
    mapplot.set_level(drawn, MAP_CLUSTERS)
    values, county = level_values(stats, indicator.id, "2023", MAP_CLUSTERS,
                                  drawn.cluster_names)
    layer = map_layer(indicator, values, county, "quantiles", 5, "Blues", level=MAP_CLUSTERS)
    mapplot.show_classes(drawn, layer.classification, layer.class_colours, indicator.title)
    hidden = np.flatnonzero(layer.classification.class_index == SUPPRESSED)
    assert hidden.size == int(values["suppressed"].sum()) >= 8
    np.testing.assert_allclose(drawn.cluster_fills.get_facecolor()[hidden],
                               np.tile(NoData.SUPPRESSED_COLOUR, (hidden.size, 1)))
    overlay = drawn.suppressed_overlay.get_paths()
    assert all(any(p is drawn.cluster_paths[i] for i in hidden) for p in overlay)
    assert "Try pooled periods." in layer.warning


def test_pooled_periods_fill_the_small_area_map(demo_pooled):
    """NEET pooled over three years: the warning goes and dozens of areas have a class."""
    pooled = demo_pooled
    indicator = pooled.bundle.manifest.indicator(NEET)
    label = "2021/22 - 2023/24 combined"
    values, county = level_values(pooled.statistics, NEET, label, MAP_AREAS)
    layer = map_layer(indicator, values, county, "quantiles", 5, "Blues", pooled=True)
    assert layer.warning is None and layer.classification.n_graded > 50


def test_exported_cluster_map_names_every_cluster_and_says_what_it_shows(demo_bundle, stats,
                                                                          tmp_path):
    painter = MapFigure(demo_bundle)
    indicator = demo_bundle.manifest.indicator(NEET)
    painter.show(stats, indicator, None, "Redditch", MapOptions(level=MAP_CLUSTERS))
    artists = painter.artists
    assert artists.cluster_fills.get_visible() and not artists.areas.get_visible()
    assert not artists.schools.get_visible()
    names = {t.get_text().replace("\n", " ") for t in artists.cluster_labels if t.get_visible()}
    assert names == set(demo_bundle.cluster_names)
    assert not painter.warning.get_visible()
    legend = [t.get_text() for t in artists.legend.get_texts()]
    assert "School" not in legend and sum(t.endswith(")") for t in legend) == 5
    text = painter.description(indicator, "2023/24", "Redditch", MAP_CLUSTERS)
    assert text.startswith(f"Map of {indicator.title}, 2023/24, for each cluster of ")
    assert "the Redditch cluster is outlined" in text
    # the same figure back at small areas: the warning box shows, wrapped inside the map
    painter.show(stats, indicator, None, "Redditch", MapOptions())
    assert artists.areas.get_visible() and not artists.cluster_fills.get_visible()
    assert painter.warning.get_visible()
    assert painter.warning.get_text().replace("\n", " ").startswith("Too few areas to map")
    renderer = FigureCanvasAgg(painter.figure).get_renderer()
    box = painter.warning.get_window_extent(renderer)
    assert box.x1 <= painter.ax.get_window_extent(renderer).x1 + 1
    np.testing.assert_allclose(artists.areas.get_facecolor(),
                               face_colours(painter.layer.classification,
                                            painter.layer.class_colours))
    painter.close()
    out = tmp_path / "clusters.png"
    export_map(demo_bundle, stats, NEET, out, options=MapOptions(level=MAP_CLUSTERS), dpi=100)
    assert out.stat().st_size > 10_000


def test_level_values_follow_the_drawn_order(stats, demo_bundle):
    order = tuple(reversed(demo_bundle.cluster_names))
    values, county = level_values(stats, NEET, "2023/24", MAP_CLUSTERS, order)
    assert tuple(values.index) == order
    assert county == pytest.approx(stats.cluster_values(NEET, "2023/24").loc["County", "value"])
    areas, _ = level_values(stats, NEET, "2023/24", MAP_AREAS)
    assert isinstance(areas, pd.DataFrame) and len(areas) == len(demo_bundle.areas)
