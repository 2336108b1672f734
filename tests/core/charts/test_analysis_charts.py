"""The analysis charts (funnel, inequality, two indicators, similar clusters) on the demo
bundle, checked through their artists and against their tables."""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib.backend_bases import MouseEvent
from matplotlib.backends.backend_agg import FigureCanvasAgg

from desktop.core.charts.options import ChartOptions
from desktop.core.charts.scatter import hover_label
from desktop.core.charts.tables import chart_figure, chart_inputs, chart_table
from desktop.core.model import COUNTY, MAP_AREAS, SUPPRESSED
from desktop.core.plotting.annotate import figure_title
from desktop.core.stats.neighbours import NeighbourSpec

CONTEXT = ChartOptions(neighbours=NeighbourSpec(("imd_score", "total_population",
                                                 "population_density"), 4))


def _draw(kind, bundle, stats, indicator_id, cluster="Redditch", options=CONTEXT):
    indicator = bundle.manifest.indicator(indicator_id)
    inputs = chart_inputs(kind, bundle, stats, indicator, indicator.latest_period, cluster,
                          options)
    figure = chart_figure(kind, 16, 10, **inputs)
    FigureCanvasAgg(figure).draw()
    return figure, figure.axes[0], inputs


def _gids(ax) -> set[str]:
    return {a.get_gid() for a in ax.get_children() if a.get_gid()}


def _subtitle(figure) -> str:
    return next(a.get_text() for a in figure.artists if a.get_gid() == "subtitle")


def test_the_funnel_draws_its_limits_points_and_names(demo_bundle, stats):
    figure, ax, inputs = _draw("funnel", demo_bundle, stats, "children_in_need")
    funnel = inputs["funnel"]
    gids = _gids(ax)
    assert {"county", "points", "highlight", "limit:lower95", "limit:upper998"} <= gids
    points = next(c for c in ax.collections if c.get_gid() == "points")
    np.testing.assert_allclose(points.get_offsets(), funnel.points[["size", "value"]])
    named = {g.removeprefix("name:") for g in gids if g.startswith("name:")}
    assert named == set(funnel.outside["name"]) | {"Redditch"}
    county = next(line for line in ax.lines if line.get_gid() == "county")
    assert county.get_ydata()[0] == pytest.approx(funnel.baseline)
    assert figure_title(figure) == "Children in need"
    assert "more than chance" in _subtitle(figure)
    table = chart_table("funnel", **inputs)
    assert list(table["Cluster"]) == [*funnel.points["name"], "County"]
    assert sum(table["Against the funnel"].str.startswith(("Worse", "Better"))) == \
        len(funnel.outside)


def test_a_funnel_leaves_out_and_marks_suppressed_clusters(demo_bundle, stats):
    _, ax, inputs = _draw("funnel", demo_bundle, stats, "road_ksi_0_15")
    hidden = inputs["funnel"].left_out["suppressed"]
    table = chart_table("funnel", **inputs).set_index("Cluster")
    assert (table.loc[list(hidden), "Value"] == SUPPRESSED).all()
    assert not {f"name:{h}" for h in hidden} & _gids(ax)
    note = ax.get_figure(root=True)._supxlabel.get_text()
    assert f"{len(hidden)} suppressed ({SUPPRESSED})" in note


def test_no_funnel_for_a_count_says_why(demo_bundle, stats):
    _, ax, inputs = _draw("funnel", demo_bundle, stats, "child_population")
    assert "no-chart" in _gids(ax) and inputs["funnel"].reason
    assert "No funnel plot" in next(t.get_text() for t in ax.texts if t.get_gid() == "no-chart")


def test_the_inequality_chart_shows_county_and_cluster_deciles(demo_bundle, stats):
    figure, ax, inputs = _draw("inequality", demo_bundle, stats, "income_deprivation")
    gids = _gids(ax)
    assert {"bars:County", "bars:Redditch", "sii:County", "sii:Redditch"} <= gids
    county = inputs["county"].deciles
    heights = [p.get_height() for p in ax.patches if p.get_gid() == "bars:County"]
    np.testing.assert_allclose(heights, county["value"].dropna())
    table = chart_table("inequality", **inputs)
    assert list(table.columns) == ["Decile", "County areas", "County value", "County 95% CI",
                                   "Redditch areas", "Redditch value", "Redditch 95% CI"]
    assert table["Decile"].iat[-1] == "Slope index of inequality"
    note = figure._supxlabel.get_text()
    assert "County: SII" in note and "Redditch: SII" in note


def test_suppressed_deciles_are_marked_and_the_sii_withheld(demo_bundle, stats):
    figure, ax, inputs = _draw("inequality", demo_bundle, stats, "children_in_need")
    hidden = inputs["county"].deciles["suppressed"].to_numpy()
    assert hidden.any()
    markers = [t for t in ax.texts if t.get_gid() == "suppressed:County"]
    assert len(markers) == hidden.sum() and {t.get_text() for t in markers} == {SUPPRESSED}
    table = chart_table("inequality", **inputs)
    assert (table["County value"].iloc[:10][hidden] == SUPPRESSED).all()
    assert "no SII" in figure._supxlabel.get_text()
    assert "sii:County" not in _gids(ax)


def test_the_scatter_names_points_on_hover_and_counts_what_it_leaves_out(demo_bundle, stats):
    figure, ax, inputs = _draw("scatter", demo_bundle, stats, "ks4_em_grade5",
                               options=ChartOptions(versus="imd_score"))
    points = inputs["points"]
    assert inputs["versus"].id == "imd_score" and len(points.drawn) == 12
    dots = next(c for c in ax.collections if c.get_gid() == "points")
    row = points.drawn.iloc[3]
    x, y = ax.transData.transform((row["x"], row["y"]))
    event = MouseEvent("motion_notify_event", figure.canvas, x, y)
    assert hover_label(ax, event).startswith(row["name"])
    assert hover_label(ax, MouseEvent("motion_notify_event", figure.canvas, 1, 1)) is None
    assert len(dots.get_offsets()) == 12
    correlation = inputs["correlation"]
    expected = np.corrcoef(points.drawn["x"], points.drawn["y"])[0, 1]
    assert correlation.r == pytest.approx(expected) and correlation.r < 0
    assert f"r = {correlation.r:.2f}" in figure._supxlabel.get_text()
    table = chart_table("scatter", **inputs)
    assert table["Cluster"].iat[-1] == "Correlation (r)"


def test_the_small_area_scatter_leaves_out_suppressed_areas(demo_bundle, stats):
    figure, _, inputs = _draw("scatter", demo_bundle, stats, "ks4_em_grade5",
                              options=ChartOptions(scatter_level=MAP_AREAS))
    points = inputs["points"]
    hidden = stats.area_values("ks4_em_grade5", inputs["period"])["suppressed"].sum()
    assert hidden and points.left_out()["suppressed"] == hidden
    assert len(points.drawn) + hidden + points.left_out().get("no value", 0) == \
        len(demo_bundle.areas)
    assert f"{hidden} suppressed" in figure._supxlabel.get_text()
    table = chart_table("scatter", **inputs)
    assert (table.iloc[:-1, -1] == SUPPRESSED).sum() == hidden


def test_similar_clusters_chart_lists_them_nearest_first(demo_bundle, stats):
    _, ax, inputs = _draw("neighbours", demo_bundle, stats, "children_in_need")
    similar = inputs["similar"]
    nearest = similar.nearest("Redditch")
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels[0] == "Redditch" and len(labels) == 5
    assert labels[1:] == [f"{c} ({d:.2f})" for c, d in zip(nearest["cluster"],
                                                             nearest["distance"])]
    assert np.all(np.diff(nearest["distance"]) >= 0)
    values = stats.cluster_values("children_in_need", inputs["period"])
    chosen = values.loc[["Redditch", *nearest["cluster"]]]
    pooled = chosen.iloc[1:][["numerator", "denominator"]].sum()
    assert inputs["pooled"] == pytest.approx(pooled["numerator"] / pooled["denominator"] * 1000)
    line = next(line for line in ax.lines if line.get_gid() == "pooled")
    assert line.get_xdata()[0] == pytest.approx(inputs["pooled"])
    table = chart_table("neighbours", **inputs)
    assert list(table["Cluster"]) == ["Redditch", *nearest["cluster"],
                                      "Similar clusters together", "County"]
    assert table["Distance"].iat[1] == f"{nearest['distance'].iat[0]:.2f}"
    assert values.at[COUNTY, "value"] == pytest.approx(inputs["county"])
