"""The Significance control: 95% or 99.8%, against the county or the rest of the county, from
the toolbar to every view, and back from the session to the toolbar."""

from __future__ import annotations

from PySide6.QtCore import Qt

from desktop.core.stats.comparison import COUNTY, DEFAULT, REST, Comparison
from desktop.gui.views.comparison_bar import ComparisonBar
from desktop.gui.views.profile_rows import COL_SIGNIFICANCE, COL_TREND
from tests.conftest import DEMO_PASSPHRASE
from tests.gui.test_basis_switch import cell
from tests.gui.test_main_window import open_with, window  # noqa: F401  (the fixture)


def _bar(window) -> ComparisonBar:
    return window.findChild(ComparisonBar)


def test_the_choice_reaches_every_view_and_back(qtbot, window, demo_bundle_path,
                                                 scripted):  # noqa: F811
    open_with(qtbot, window, demo_bundle_path, scripted(DEMO_PASSPHRASE))
    s, bar, profile = window.session, _bar(window), window.profile_view
    assert window.selection_bar.isAncestorOf(bar) and s.comparison == DEFAULT
    s.set_cluster("Stourport")
    s.set_indicator("year6_obese")
    shown = window.sync.profile_for("Stourport")
    judged = shown.loc[shown["significance"].isin(["better", "worse"]), "indicator_id"]
    assert len(judged) > 5
    for ind in judged:
        assert cell(profile, ind, COL_SIGNIFICANCE) in ("Better 95%", "Worse 95%")
    before = s.statistics.cluster_values("year6_obese", s.period)

    # widget -> session -> views
    with qtbot.waitSignal(s.comparison_changed):
        bar.level_combo.setCurrentIndex(bar.level_combo.findData(99.8))
    assert s.comparison == Comparison(99.8, COUNTY)
    assert s.statistics.comparison == s.comparison
    words = [cell(profile, i, COL_SIGNIFICANCE) for i in judged]
    assert set(words) <= {"Better 99.8%", "Worse 99.8%", "Similar"}
    assert "Similar" in words and set(words) - {"Similar"}  # some fall back, some stay
    assert "99.8%" in window.compare_view.legend.text()
    chart = window.chart_view.inputs("bars")
    assert chart["comparison"] == s.comparison
    # the bars are labelled directly (no legend): the subtitle and notes name the level
    figure = window.chart_view.figure
    assert "99.8% confidence" in window.chart_view.axes.get_title() + figure.get_suptitle() \
        + window.chart_view.canvas.toolTip()
    after = s.statistics.cluster_values("year6_obese", s.period)
    assert (after["value"].equals(before["value"]))  # the numbers do not change

    with qtbot.waitSignal(s.comparison_changed):
        bar.against_combo.setCurrentIndex(bar.against_combo.findData(REST))
    assert s.comparison == Comparison(99.8, REST)
    assert window.compare_view.legend.text().startswith("Compared with the rest of the county")
    tip = cell(profile, "year6_obese", COL_SIGNIFICANCE, Qt.ItemDataRole.ToolTipRole)
    assert "rest of the county at 99.8% confidence" in tip or tip.startswith("Not compared")
    assert cell(profile, "year6_obese", COL_TREND, Qt.ItemDataRole.ToolTipRole).startswith(
        "Trend: ")

    # the map's significance legend says the level too
    s.set_classification("significance")
    assert all(not label.endswith("95%") for label in window.sync.layer.classification.labels)

    # session -> widget, without echoing back
    s.set_comparison(95.0, COUNTY)
    assert bar.level_combo.currentData() == 95.0 and bar.against_combo.currentData() == COUNTY
    assert "95%" in window.compare_view.legend.text()


def test_the_choice_survives_a_lock(qtbot, window, demo_bundle_path, scripted):  # noqa: F811
    open_with(qtbot, window, demo_bundle_path, scripted(DEMO_PASSPHRASE))
    s = window.session
    s.set_comparison(99.8, REST)
    window.lock()
    assert s.statistics is None and s.comparison == Comparison(99.8, REST)
    open_with(qtbot, window, demo_bundle_path, scripted(DEMO_PASSPHRASE))
    assert s.statistics.comparison == Comparison(99.8, REST)
    assert _bar(window).level_combo.currentData() == 99.8


def test_the_profile_heading_and_legend_say_the_comparison(qtbot, window, demo_bundle_path,
                                                           scripted):  # noqa: F811
    open_with(qtbot, window, demo_bundle_path, scripted(DEMO_PASSPHRASE))
    s, view = window.session, window.profile_view
    assert "compared with the county (95% confidence)" in view.title_label.text()
    s.set_comparison(99.8, REST)
    assert view.title_label.text().startswith(f"{s.cluster} compared with the rest of the "
                                              "county (99.8% confidence)")
    assert "Worse 99.8%" in view.legend.text() and "95%" not in view.legend.text()
