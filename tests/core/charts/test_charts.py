"""Charts checked through their artists, tables against the charts, exports by their bytes."""

from __future__ import annotations

import io
import math
import xml.etree.ElementTree as ET

import numpy as np
import pandas as pd
import pytest
import shapely
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import to_rgba
from matplotlib.container import ErrorbarContainer
from PIL import Image

from desktop.core import resources
from desktop.core.charts.bars import VALUE_LABEL, bar_chart, fit_to_names
from desktop.core.charts.distribution import (
    SuppressedAreas,
    distribution_chart,
    suppressed_areas,
)
from desktop.core.charts.tables import chart_figure, chart_table, chart_table_notes, draw_chart
from desktop.core.charts.trend import LINE_LABEL, trend_chart
from desktop.core.errors import ExportError
from desktop.core.format import format_value
from desktop.core.model import SYNTHETIC_LABEL, Indicator, Polarity, Significance, ValueType
from desktop.core.plotting.annotate import annotate_chart
from desktop.core.plotting.palettes import SIGNIFICANCE_COLOURS
from desktop.core.plotting.style import export_figure, new_figure

IND = Indicator(id="neet", title="Young people not in education, employment or training (NEET)",
                theme="Achieve economic well-being", value_type=ValueType.PROPORTION,
                polarity=Polarity.HIGHER_IS_WORSE, multiplier=100, unit="%",
                source="Synthetic NEET returns", synthetic=True,
                periods=("2018/19", "2019/20", "2020/21", "2021/22"))


def clusters_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {"value": [12.0, 6.5, np.nan, 9.1, 3.2],
         "lower95": [10.0, 5.0, np.nan, 8.0, 2.0],
         "upper95": [14.5, 8.0, np.nan, 10.3, 4.9],
         "suppressed": [False, False, True, False, False],
         "significance": ["worse", "similar", "not compared", "similar", "better"]},
        index=pd.Index(["Bromsgrove", "Droitwich", "Tenbury", "Evesham", "Malvern"],
                       name="cluster"))


COUNTY = pd.Series({"value": 7.4, "lower95": 7.0, "upper95": 7.8})


def drawn(ax):
    FigureCanvasAgg(ax.figure).draw()
    return ax


@pytest.fixture
def bar_ax():
    ax = new_figure(16, 10).add_subplot()
    return drawn(bar_chart(ax, IND, "2021/22", clusters_frame(), COUNTY, highlight="Evesham"))


def subtitle(ax) -> str:
    return next(a.get_text() for a in ax.figure.artists if a.get_gid() == "subtitle")


def all_text(ax) -> str:
    """Every text of the chart: in the axes, the figure's title, subtitle and notes."""
    fig = ax.figure
    return "\n".join([t.get_text() for t in ax.texts] + [fig.get_suptitle(), subtitle(ax),
                                                         fig.get_supxlabel()])


def bars_of(ax) -> dict:
    return {p.get_gid(): p for p in ax.patches if p.get_gid()}


def test_one_bar_per_unsuppressed_cluster_coloured_by_significance(bar_ax):
    bars = bars_of(bar_ax)
    frame = clusters_frame()
    shown = frame[~frame["suppressed"]]
    assert sorted(bars) == sorted(shown.index)
    for name, row in shown.iterrows():
        assert bars[name].get_facecolor() == pytest.approx(
            to_rgba(SIGNIFICANCE_COLOURS[row["significance"]]))
        assert bars[name].get_width() == pytest.approx(row["value"])


def test_bars_keep_bundle_order_from_the_top(bar_ax):
    labels = [t.get_text() for t in bar_ax.get_yticklabels()]
    assert labels == list(clusters_frame().index)
    bars = bars_of(bar_ax)
    assert bars["Bromsgrove"].get_y() < bars["Malvern"].get_y()
    assert bar_ax.yaxis_inverted()


def test_value_order_sorts_descending_with_suppressed_last():
    ax = bar_chart(new_figure().add_subplot(), IND, "2021/22", clusters_frame(), COUNTY,
                   order="value")
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels == ["Bromsgrove", "Evesham", "Droitwich", "Malvern", "Tenbury"]


def test_county_line_sits_at_the_county_value_and_is_labelled(bar_ax):
    county = [ln for ln in bar_ax.lines if ln.get_gid() == "county"]
    assert len(county) == 1
    assert list(county[0].get_xdata()) == [7.4, 7.4]
    texts = [t.get_text() for t in bar_ax.texts]
    assert f"County {format_value(7.4, IND.value_type, IND.unit, False)}" in texts


def test_highlighted_cluster_is_bold_with_a_dark_edge(bar_ax):
    weights = {t.get_text(): t.get_fontweight() for t in bar_ax.get_yticklabels()}
    assert weights["Evesham"] == "bold"
    assert weights["Bromsgrove"] == "normal"
    bars = bars_of(bar_ax)
    assert bars["Evesham"].get_linewidth() > bars["Malvern"].get_linewidth()
    assert bars["Evesham"].get_edgecolor() == to_rgba("black")


def test_suppressed_cluster_is_marked_c_without_a_bar(bar_ax):
    assert "Tenbury" not in bars_of(bar_ax)
    marks = [t for t in bar_ax.texts if t.get_gid() == "suppressed"]
    assert [(t.get_text(), t.xy[1]) for t in marks] == [("[c]", 2)]
    assert "[c] confidential: not shown to protect small numbers" in \
        bar_ax.figure.get_supxlabel()


def test_whiskers_span_the_95_percent_intervals(bar_ax):
    containers = [c for c in bar_ax.containers if isinstance(c, ErrorbarContainer)]
    assert len(containers) == 1
    segments = containers[0].lines[2][0].get_segments()
    frame = clusters_frame().dropna(subset=["value"])
    got = sorted((seg[0][0], seg[1][0]) for seg in segments)
    want = sorted(zip(frame["lower95"], frame["upper95"]))
    np.testing.assert_allclose(got, want)


def test_titles_notes_and_synthetic_label(bar_ax):
    """The title states the message, the subtitle what is measured, when and how compared."""
    texts = all_text(bar_ax)
    assert bar_ax.figure.get_suptitle().strip() == "Evesham is similar to the county"
    assert subtitle(bar_ax).replace("\n", " ") == (
        "Young people not in education, employment or training (NEET): 2021/22, all "
        "clusters, against the county at 95% confidence")
    assert "Source: Synthetic NEET returns" in bar_ax.figure.get_supxlabel()
    assert SYNTHETIC_LABEL in texts
    assert bar_ax.get_xlabel() == "Per cent (%)"


def test_a_subtitle_of_two_lines_stays_below_the_title():
    """Pooled periods make long subtitles ("2018/19 - 2020/21 combined to 2021/22 - 2023/24
    combined; recent trend ..."): every line of one sits below the title, none over it."""
    figure = new_figure(16, 8)
    ax = figure.add_subplot()
    ax.plot([0, 1], [0, 1])
    long = ("Stourport against the county, 2018/19 - 2020/21 combined to 2021/22 - 2023/24 "
            "combined; recent trend: no significant change over the latest five periods")
    annotate_chart(ax, "Children in need", long)
    figure.savefig(io.BytesIO(), format="png")  # lays the figure out
    renderer = FigureCanvasAgg(figure).get_renderer()
    title = figure._suptitle
    below = next(a for a in figure.artists if a.get_gid() == "subtitle")
    assert below.get_text().count("\n") >= 1
    title_lines = [line for line in title.get_text().split("\n") if line]
    assert title_lines == ["Children in need"]
    # the title's ink is its first line; the subtitle fills the empty lines below it
    box, sub = title.get_window_extent(renderer), below.get_window_extent(renderer)
    line_height = box.height / (title.get_text().count("\n") + 1)
    assert sub.y1 <= box.y1 - line_height + 1 and sub.y0 >= box.y0 - 1


def test_shared_style_is_applied(bar_ax):
    ticks = bar_ax.get_xticklabels() + bar_ax.get_yticklabels()
    assert {t.get_fontsize() for t in ticks} == {8}
    assert {t.get_fontname() for t in ticks} == {"DejaVu Sans"}
    assert not bar_ax.spines["top"].get_visible()
    assert not bar_ax.spines["right"].get_visible()


def series(values, suppressed=None) -> pd.DataFrame:
    values = np.asarray(values, float)
    return pd.DataFrame({"value": values, "lower95": values - 1, "upper95": values + 1.5,
                         "suppressed": suppressed or [False] * len(values)},
                        index=pd.Index(IND.periods, name="period"))


def test_trend_lines_follow_the_series_and_omit_suppressed_points():
    cluster = series([10, np.nan, 12, 11], suppressed=[False, True, False, False])
    county = series([8, 8.2, 8.1, 7.9])
    ax = drawn(trend_chart(new_figure().add_subplot(), IND, "Evesham", cluster, county,
                           trend="decreasing"))
    lines = {ln.get_gid(): ln for ln in ax.lines if ln.get_gid()}
    np.testing.assert_array_equal(lines["cluster"].get_ydata(), [10, np.nan, 12, 11])
    np.testing.assert_array_equal(lines["county"].get_ydata(), [8, 8.2, 8.1, 7.9])
    assert [t.get_text() for t in ax.get_xticklabels()] == list(IND.periods)
    assert [(t.get_text(), t.xy[0]) for t in ax.texts if t.get_gid() == "suppressed"] == [
        ("[c]", 1)]
    assert "decreasing" in subtitle(ax)
    # the lines are named where they end, not in a legend
    assert ax.get_legend() is None
    assert [(t.get_text(), t.xy) for t in ax.texts if t.get_gid() == LINE_LABEL] == [
        ("Evesham", (3.0, 11.0)), ("County", (3.0, 7.9))]
    assert ax.figure.get_suptitle().strip() == "Evesham rose from 10.0% in 2018/19 to 11.0% in 2021/22"


def test_trend_hides_the_numbers_of_a_suppressed_period_even_if_present():
    cluster = series([10, 99, 12, 11], suppressed=[False, True, False, False])
    ax = trend_chart(new_figure().add_subplot(), IND, "Evesham", cluster, series([8] * 4))
    line = next(ln for ln in ax.lines if ln.get_gid() == "cluster")
    assert np.isnan(line.get_ydata()[1])
    table = chart_table("trend", indicator=IND, cluster_name="Evesham", series_cluster=cluster,
                        series_county=series([8] * 4))
    assert table.loc[1, "Evesham value"] == "[c]"
    assert "99" not in table.to_string()


NONE_HIDDEN = SuppressedAreas(0, np.nan, np.nan, 5)


def test_distribution_excludes_missing_areas_and_counts_them():
    cluster = np.array([5.0, 7.0, np.nan, 9.0, 11.0])
    county = np.array([1.0, 3.0, 5.0, 7.0, 9.0, 11.0, 13.0, np.nan, np.nan])
    ax = drawn(distribution_chart(new_figure().add_subplot(), IND, "2021/22", "Evesham",
                                  cluster, county, 7.4, NONE_HIDDEN, NONE_HIDDEN))
    points = {c.get_gid(): c.get_offsets() for c in ax.collections if c.get_gid()}
    assert sorted(points["points:Evesham"][:, 0]) == [5, 7, 9, 11]
    assert len(points["points:County"]) == 7
    county_line = next(ln for ln in ax.lines if ln.get_gid() == "county")
    assert list(county_line.get_xdata()) == [7.4, 7.4]
    note = ax.figure.get_supxlabel()
    assert "without a value, not shown: 1 in Evesham and 2 in County" in note
    table = chart_table("distribution", indicator=IND, period="2021/22",
                        cluster_name="Evesham", cluster_area_values=cluster,
                        county_area_values=county, county_value=7.4,
                        cluster_suppressed=NONE_HIDDEN, county_suppressed=NONE_HIDDEN)
    assert table["Areas shown"].tolist() == [4, 7]
    assert table["No value"].tolist() == [1, 2] and table["Suppressed"].tolist() == [0, 0]
    fv = lambda v: format_value(v, IND.value_type, IND.unit, False)  # noqa: E731
    assert table.loc[0, "Median"] == fv(8.0)
    assert table.loc[1, "Upper quartile"] == fv(10.0)


def test_bar_table_gives_the_charted_numbers_and_c_for_suppressed():
    inputs = dict(indicator=IND, period="2021/22", clusters=clusters_frame(), county=COUNTY,
                  highlight="Evesham")
    ax = draw_chart("bars", new_figure().add_subplot(), **inputs)
    table = chart_table("bars", **inputs)
    fv = lambda v: format_value(v, IND.value_type, IND.unit, False)  # noqa: E731
    assert table["Cluster"].tolist() == [t.get_text() for t in ax.get_yticklabels()] + [
        "County"]
    row = table.set_index("Cluster").loc["Bromsgrove"]
    assert (row["Value"], row["Lower 95% CI"], row["Upper 95% CI"]) == (
        fv(12.0), fv(10.0), fv(14.5))
    assert row["Compared with county"] == "Worse 95%"
    assert table.set_index("Cluster").loc["Tenbury", "Value"] == "[c]"
    assert table.set_index("Cluster").loc["County", "Value"] == fv(7.4)
    assert table.set_index("Cluster").loc["County", "Compared with county"] == "[z]"
    assert [n[:3] for n in chart_table_notes(table)] == ["[c]", "[z]"]


def test_subtitle_notes_and_table_say_the_level_and_the_benchmark():
    from desktop.core.stats.comparison import Comparison

    comparison = Comparison(99.8, "rest")
    inputs = dict(indicator=IND, period="2021/22", clusters=clusters_frame(), county=COUNTY,
                  highlight="Evesham", comparison=comparison)
    ax = draw_chart("bars", new_figure().add_subplot(), **inputs)
    assert "against the rest of the county at 99.8% confidence" in subtitle(ax).replace("\n", " ")
    assert "with the rest of the county at 99.8% confidence" in \
        ax.figure.get_supxlabel().replace("\n", " ")
    table = chart_table("bars", **inputs).set_index("Cluster")
    assert table.loc["Bromsgrove", "Compared with rest of county"] == "Worse 99.8%"


def test_significance_as_enum_members_works_too():
    frame = clusters_frame().assign(significance=[Significance.WORSE] * 5)
    ax = bar_chart(new_figure().add_subplot(), IND, "2021/22", frame, COUNTY)
    colours = {p.get_facecolor() for p in bars_of(ax).values()}
    assert colours == {to_rgba(SIGNIFICANCE_COLOURS["worse"])}


@pytest.fixture
def figure():
    fig = new_figure(16, 10)
    bar_chart(fig.add_subplot(), IND, "2021/22", clusters_frame(), COUNTY, highlight="Evesham")
    return fig


def test_png_export_is_16_cm_at_300_dpi(figure, tmp_path):
    path = tmp_path / "chart.png"
    export_figure(figure, path, title="NEET", description="Bar chart of NEET by cluster")
    with Image.open(path) as img:
        assert img.info["dpi"] == pytest.approx((300, 300), abs=0.01)
        assert img.width == round(16 / 2.54 * 300) == 1890
        assert img.height == round(1890 * 10 / 16)
        assert img.text["Description"] == "Bar chart of NEET by cluster"
    assert figure.get_size_inches() == pytest.approx((16 / 2.54, 10 / 2.54))
    assert [p.name for p in tmp_path.iterdir()] == ["chart.png"]


def test_svg_and_pdf_exports(figure, tmp_path):
    export_figure(figure, tmp_path / "chart.svg")
    root = ET.parse(tmp_path / "chart.svg").getroot()
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert float(root.get("width").removesuffix("pt")) == pytest.approx(1890 / 300 * 72)
    export_figure(figure, tmp_path / "chart.pdf", title="NEET")
    data = (tmp_path / "chart.pdf").read_bytes()
    assert data.startswith(b"%PDF")
    assert b"/Type /Page" in data


@pytest.mark.parametrize("name", ["missing/chart.png", "chart.bmp"])
def test_unwritable_or_unknown_path_raises_export_error(figure, tmp_path, name):
    path = tmp_path / name
    with pytest.raises(ExportError, match=str(path).replace(".", r"\.")):
        export_figure(figure, path)


def test_export_into_a_file_instead_of_a_folder_raises_export_error(figure, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(ExportError, match="file"):
        export_figure(figure, blocker / "chart.pdf")


def test_resources_resolve_in_a_pyinstaller_build(monkeypatch, tmp_path):
    assert resources.resource_path("cluster-atlas.mplstyle").is_file()
    monkeypatch.setattr("sys._MEIPASS", str(tmp_path), raising=False)
    assert resources.resources_dir() == tmp_path / "resources"
    with pytest.raises(FileNotFoundError, match="cluster-atlas.mplstyle"):
        resources.resource_path("cluster-atlas.mplstyle")


def test_chart_inputs_from_the_demo_bundle(demo_bundle, tmp_path):
    from desktop.core.charts.tables import chart_figure, chart_inputs
    from desktop.core.model import COUNTY
    from desktop.core.stats.aggregate import compute_statistics

    stats = compute_statistics(demo_bundle)
    indicator = next(i for i in demo_bundle.manifest.indicators
                     if i.value_type is ValueType.PROPORTION and len(i.periods) > 1)
    cluster = demo_bundle.cluster_names[1]
    period = indicator.latest_period
    bars = chart_inputs("bars", demo_bundle, stats, indicator, period, cluster)
    assert list(bars["clusters"].index) == list(demo_bundle.cluster_names)
    assert bars["county"]["value"] == stats.cluster_values(indicator.id, period).loc[COUNTY,
                                                                                      "value"]
    dist = chart_inputs("distribution", demo_bundle, stats, indicator, period, cluster)
    in_cluster = (demo_bundle.areas["cluster"] == cluster).sum()
    assert len(dist["cluster_area_values"]) == in_cluster
    assert len(dist["county_area_values"]) == len(demo_bundle.areas)
    trend = chart_inputs("trend", demo_bundle, stats, indicator, period, cluster)
    assert list(trend["series_cluster"].index) == list(indicator.periods)
    for kind, inputs in (("bars", bars), ("trend", trend), ("distribution", dist)):
        export_figure(chart_figure(kind, **inputs), tmp_path / f"{kind}.png")
        assert chart_table(kind, **inputs).shape[0] > 0
    with pytest.raises(KeyError, match="unknown chart kind"):
        chart_inputs("pie", demo_bundle, stats, indicator, period, cluster)


def test_notes_only_claim_what_the_chart_shows():
    frame = clusters_frame().assign(lower95=np.nan, upper95=np.nan,
                                    significance="not compared", suppressed=False, value=1.0)
    ax = bar_chart(new_figure().add_subplot(), IND, "2021/22", frame, COUNTY)
    notes = ax.figure.get_supxlabel()
    assert "confidence intervals" not in notes and "compare each cluster" not in notes
    assert "suppressed" not in notes
    assert not [c for c in ax.containers if isinstance(c, ErrorbarContainer)]


def test_each_bar_says_its_value_and_verdict_in_words_beside_it(bar_ax):
    """No legend to look up: each shown cluster's value and verdict stand beside its bar,
    so the comparison is never told by colour alone; a suppressed cluster gets none."""
    assert bar_ax.get_legend() is None
    labels = {round(t.xy[1]): t for t in bar_ax.texts if t.get_gid() == VALUE_LABEL}
    assert {k: t.get_text() for k, t in labels.items()} == {
        0: "12.0% Worse", 1: "6.5% Similar", 3: "9.1% Similar", 4: "3.2% Better"}
    assert labels[3].get_fontweight() == "bold"  # Evesham, the highlighted cluster
    nothing = clusters_frame().assign(significance="not compared")
    ax = bar_chart(new_figure().add_subplot(), IND, "2023", nothing, COUNTY)
    assert [t.get_text() for t in ax.texts if t.get_gid() == VALUE_LABEL] == [
        "12.0%", "6.5%", "9.1%", "3.2%"]
    assert ax.figure.get_suptitle().strip() == "Values range from 3.2% in Malvern to 12.0% in Bromsgrove"


def clusters_of(n: int) -> pd.DataFrame:
    values = np.linspace(5, 20, n)
    return pd.DataFrame({"value": values, "lower95": values - 1, "upper95": values + 1,
                         "suppressed": False, "significance": "similar"},
                        index=pd.Index([f"Cluster {i:03d}" for i in range(n)], name="cluster"))


def names_drawn(fig, ax) -> list:
    FigureCanvasAgg(fig).draw()
    return [(t.get_text(), t.get_window_extent()) for t in ax.get_yticklabels()]


def assert_all_named_apart(fig, ax, n: int) -> None:
    names = names_drawn(fig, ax)
    assert [text for text, _ in names] == [f"Cluster {i:03d}" for i in range(n)]
    boxes = sorted((box for _, box in names), key=lambda b: b.y0)
    assert all(a.y1 <= b.y0 + 1 for a, b in zip(boxes, boxes[1:]))  # no two names overlap
    inside = fig.bbox
    assert all(inside.y0 <= b.y0 and b.y1 <= inside.y1 for b in boxes)


@pytest.mark.parametrize("n", [12, 21, 150])
def test_an_exported_bar_chart_names_every_cluster_growing_as_needed(n):
    """12 clusters fit the 16 x 10 cm export; 21 (a large county) and 150 (England scale)
    make it taller, in the same 8 pt names, never every other name."""
    fig = chart_figure("bars", 16, 10, indicator=IND, period="2023", clusters=clusters_of(n),
                       county={"value": 10.0}, highlight="Cluster 007")
    ax = fig.axes[0]
    assert_all_named_apart(fig, ax, n)
    assert {t.get_fontsize() for t in ax.get_yticklabels()} == {8.0}
    height_cm = fig.get_figheight() * 2.54
    assert height_cm == pytest.approx(10.0) if n == 12 else height_cm > 10.0
    assert sorted(p.get_gid() for p in ax.patches if p.get_gid()) == sorted(clusters_of(n).index)


def test_past_a_page_the_names_get_smaller_but_all_stay():
    """A Word page cannot take a 60 cm chart: capped at its height, 150 names are smaller,
    still all there and apart."""
    fig = new_figure(16, 9.5)
    ax = bar_chart(fig.add_subplot(), IND, "2023", clusters_of(150), {"value": 10.0})
    fit_to_names(ax, 150, max_height_in=22 / 2.54)
    assert fig.get_figheight() == pytest.approx(22 / 2.54)
    assert_all_named_apart(fig, ax, 150)
    assert max(t.get_fontsize() for t in ax.get_yticklabels()) < 8.0


@pytest.mark.parametrize("size_cm", [(16, 10), (14, 8), (10, 6)])
@pytest.mark.parametrize("n", [12, 40, 150])
def test_new_numbers_update_a_drawn_bar_chart_in_place_at_any_size(size_cm, n):
    """The indicator switch's fast path: whatever the chart's size and however many names
    fit, the same clusters with new numbers update the drawn bars rather than redraw."""
    from desktop.core.charts.bar_update import update_bar_chart

    names = [f"Cluster {i:03d}" for i in range(n)]
    values = np.linspace(5, 20, n)
    clusters = pd.DataFrame({"value": values, "lower95": values - 1, "upper95": values + 1,
                             "suppressed": False, "significance": "similar"},
                            index=pd.Index(names, name="cluster"))
    ax = bar_chart(new_figure(*size_cm).add_subplot(), IND, "2023", clusters, {"value": 9.0},
                   highlight=names[n // 2])
    bars = list(ax.patches)
    moved = clusters.assign(value=values[::-1], lower95=values[::-1] - 1,
                            upper95=values[::-1] + 1)
    assert update_bar_chart(ax, IND, "2024", moved, {"value": 10.0}, highlight=names[n // 2])
    assert list(ax.patches) == bars and bars[0].get_width() == pytest.approx(20.0)
    # the words follow the numbers: the labels beside the bars and the message are a fresh
    # chart's, once each
    fresh = bar_chart(new_figure(*size_cm).add_subplot(), IND, "2024", moved, {"value": 10.0},
                      highlight=names[n // 2])
    for axes in (ax, fresh):
        assert len([t for t in axes.texts if t.get_gid() == VALUE_LABEL]) == n
    assert ([t.get_text() for t in ax.texts if t.get_gid() == VALUE_LABEL]
            == [t.get_text() for t in fresh.texts if t.get_gid() == VALUE_LABEL])
    assert ax.figure.get_suptitle() == fresh.figure.get_suptitle()


def test_the_style_applied_from_two_threads_is_undone_afterwards():
    """An export worker drawing while the GUI thread draws: each applies the chart style to
    matplotlib's one global rcParams. Interleaved (A in, B in, A out, B out), B would restore
    the style A set, leaving it in force for every later figure; one at a time, it is undone."""
    import threading

    import matplotlib

    from desktop.core.plotting.style import style_context

    before = matplotlib.rcParams["figure.constrained_layout.use"]
    a_inside, b_inside, a_left = threading.Event(), threading.Event(), threading.Event()

    def worker() -> None:
        with style_context():
            a_inside.set()
            b_inside.wait(0.5)  # B cannot come in while A is in: A leaves after the timeout
        a_left.set()

    thread = threading.Thread(target=worker)
    thread.start()
    a_inside.wait(5)
    with style_context():
        b_inside.set()
        a_left.wait(5)  # B leaves last
        assert matplotlib.rcParams["figure.constrained_layout.use"] is True
    thread.join(5)
    assert matplotlib.rcParams["figure.constrained_layout.use"] == before is False


def text_shape(text, renderer):
    """The rectangle a text covers on the canvas, turned with the text (a 45-degree period
    label covers a slanted strip, not its whole bounding box)."""
    box = text.get_window_extent(renderer)
    angle = math.radians(text.get_rotation() % 180)
    if angle == 0:
        return shapely.box(*box.extents)
    rotation = text.get_rotation()
    text.set_rotation(0)
    flat = text.get_window_extent(renderer)
    text.set_rotation(rotation)
    w, h, sin, cos = flat.width, flat.height, math.sin(angle), math.cos(angle)
    return shapely.Polygon([(box.x0 + h * sin, box.y0), (box.x0 + h * sin + w * cos, box.y0 + w * sin),
                            (box.x0 + w * cos, box.y0 + w * sin + h * cos), (box.x0, box.y0 + h * cos)])


def visible_text_shapes(fig) -> list:
    """(text, shape) of every text drawn on `fig`: the title without the blank lines that
    reserve the subtitle's room, the tick labels inside the view, legends, notes and
    annotations."""
    from matplotlib.text import Text

    renderer = fig.canvas.get_renderer()
    ticks = {id(t) for ax in fig.axes for axis in (ax.xaxis, ax.yaxis)
             for tick in axis.get_major_ticks() + axis.get_minor_ticks()
             for t in (tick.label1, tick.label2)}
    drawn_ticks = {id(tick.label1) for ax in fig.axes for axis in (ax.xaxis, ax.yaxis)
                   for tick in axis.get_major_ticks()
                   if min(axis.get_view_interval()) - 1e-9 <= tick.get_loc()
                   <= max(axis.get_view_interval()) + 1e-9}
    shapes = []
    for text in fig.findobj(Text):
        shown = text.get_text().strip("\n")
        if not shown or not text.get_visible() or id(text) in ticks - drawn_ticks:
            continue
        if text is fig._suptitle:  # top-anchored: the same text without its empty lines
            text = Text(*text.get_position(), shown, transform=text.get_transform(),
                        fontproperties=text.get_fontproperties(), ha="left", va="top",
                        figure=fig)
        shapes.append((shown, text_shape(text, renderer)))
    return shapes


LONG = Indicator(**{**IND.__dict__, "title": "Hospital admissions caused by unintentional "
                    "and deliberate injuries in children and young people (aged 0 to 14)"})


@pytest.mark.parametrize("width_cm", [10.6, 13.0, 16.0, 24.0])
@pytest.mark.parametrize("kind", ["bars", "trend", "distribution"])
def test_no_text_of_a_chart_runs_into_another(kind, width_cm):
    """Titles, the subtitle (two or three lines for the trend's when narrow), notes, names,
    legends and labels each keep to their own place, from the narrowest the window's chart
    pane gets (the map and its legend need about 420 px beside it) to a wide export."""
    long_cluster = "Tenbury Wells and the Teme Valley"
    inputs = {
        "bars": {"indicator": LONG, "period": "2021/22", "clusters": clusters_frame(),
                 "county": COUNTY, "highlight": "Evesham"},
        "trend": {"indicator": LONG, "cluster_name": long_cluster,
                  "series_cluster": series([10, np.nan, 12, 11], [False, True, False, False]),
                  "series_county": series([8, 8.2, 8.1, 7.9]), "trend": "no significant change"},
        "distribution": {"indicator": LONG, "period": "2021/22", "cluster_name": long_cluster,
                         "cluster_area_values": np.array([5.0, 7.0, 9.0, np.nan]),
                         "county_area_values": np.array([1.0, 5.0, 9.0, 13.0, np.nan]),
                         "county_value": 7.4,  # one suppressed area each: its band and note
                         "cluster_suppressed": SuppressedAreas(1, 2.0, 8.0, 5),
                         "county_suppressed": SuppressedAreas(1, 2.0, 8.0, 5)},
    }[kind]
    fig = chart_figure(kind, width_cm, 9.0, **inputs)
    FigureCanvasAgg(fig).draw()
    shapes = visible_text_shapes(fig)
    assert len(shapes) > 8
    page = shapely.box(*fig.bbox.extents).buffer(1)
    for i, (text_a, a) in enumerate(shapes):
        assert page.contains(a), f"{text_a!r} runs off the figure"
        for text_b, b in shapes[i + 1:]:
            assert not a.buffer(-0.5).intersects(b.buffer(-0.5)), \
                f"{text_a!r} runs into {text_b!r}"
def test_standardised_values_name_their_axis():
    from desktop.core.charts.common import axis_label
    from desktop.core.model import ValueType

    dsr = Indicator(**{**IND.__dict__, "value_type": ValueType.DSR, "unit": ""})
    assert axis_label(dsr) == "Directly standardised rate"
    isr = Indicator(**{**IND.__dict__, "value_type": ValueType.ISR, "unit": ""})
    assert axis_label(isr) == "Indirectly standardised ratio"
def test_suppressed_areas_lie_where_one_to_threshold_events_put_them():
    areas = pd.DataFrame({"value": [np.nan, np.nan, 4.0, np.nan],
                          "suppressed": [True, True, False, True],
                          "denominator": [20.0, 50.0, 100.0, 4.0]})
    share = Indicator("p", "P", "T", ValueType.PROPORTION, multiplier=100, unit="%")
    hidden = suppressed_areas(share, areas, 5)
    # one event in the largest denominator (1/50) to five in the smallest, capped at all
    assert (hidden.count, hidden.low, hidden.high) == (3, 2.0, 100.0)
    rate = Indicator("r", "R", "T", ValueType.RATE, multiplier=1000)
    assert suppressed_areas(rate, areas, 5).high == 5 / 4 * 1000
    count = Indicator("c", "C", "T", ValueType.COUNT)
    assert (suppressed_areas(count, areas, 3).low, suppressed_areas(count, areas, 3).high) == (
        1.0, 3.0)
    none = suppressed_areas(share, areas.assign(suppressed=False), 5)
    assert none.count == 0 and np.isnan(none.low)


def test_distribution_shows_suppressed_areas_as_a_band_not_as_zeros(demo_bundle, stats):
    """Under-18 conceptions: every area shown is 0 and the county is 14.6 per 1,000; the
    areas with conceptions are the suppressed ones, drawn where they lie, above zero."""
    from desktop.core.charts.tables import chart_inputs

    indicator = demo_bundle.manifest.indicator("under18_conceptions")
    inputs = chart_inputs("distribution", demo_bundle, stats, indicator, "2023", "Redditch")
    ax = drawn(draw_chart("distribution", new_figure().add_subplot(), **inputs))
    shown = stats.area_values(indicator.id, "2023")
    assert (shown["value"].dropna() == 0).all()
    bands = {p.get_gid(): p for p in ax.patches if (p.get_gid() or "").startswith("suppressed")}
    county = bands["suppressed:County"]
    assert county.get_x() > 0 and county.get_hatch()
    assert county.get_x() == pytest.approx(inputs["county_suppressed"].low)
    assert county.get_x() + county.get_width() == pytest.approx(inputs["county_suppressed"].high)
    n_hidden = int(shown["suppressed"].sum())
    assert inputs["county_suppressed"].count == n_hidden
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels[0] == f"County\n{len(shown) - n_hidden} shown, {n_hidden} suppressed"
    assert f"{n_hidden} suppressed" in [t.get_text() for t in ax.texts]
    assert "not zeros" in ax.figure.get_supxlabel()
    table = chart_table("distribution", **inputs).set_index("Areas of")
    assert table.loc["County", "Suppressed"] == n_hidden
    low, high = table.loc["County", "Suppressed areas lie within"].split(" to ")
    assert float(low) > 0 and float(high) > 14.6
