"""The period slider drives the session both ways, and the map recolours without rebuilding."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from desktop.gui.views.period_slider import PeriodSlider
from tests.conftest import DEMO_PASSPHRASE
from tests.gui.test_main_window import open_with, window  # noqa: F401 - fixture


def test_slider_steps_through_periods(qtbot, window, demo_bundle_path, scripted):  # noqa: F811
    open_with(qtbot, window, demo_bundle_path, scripted(DEMO_PASSPHRASE))
    s = window.session
    slider = window.findChild(PeriodSlider)
    assert slider is not None and not slider.slider.isEnabled()  # one period: nothing to step
    s.set_indicator(next(i.id for i in s.bundle.manifest.indicators if len(i.periods) > 2))
    periods = s.indicator.periods
    assert len(periods) > 2 and s.period == periods[-1]
    assert slider.slider.value() == len(periods) - 1
    collection = window.map_view.artists.areas
    colours = []
    slider.slider.setFocus()
    QTest.keyClick(slider.slider, Qt.Key.Key_Home)
    assert s.period == periods[0]
    for k in range(1, len(periods)):
        QTest.keyClick(slider.slider, Qt.Key.Key_Right)
        assert s.period == periods[k] and slider.slider.toolTip().startswith(f"{periods[k]}:")
        assert window.selection_bar.period_combo.currentText() == periods[k]
        colours.append(window.map_view.artists.areas.get_facecolor().copy())
        assert window.map_view.artists.areas is collection  # recoloured, not rebuilt
    assert any((a != b).any() for a, b in zip(colours, colours[1:]))
    QTest.keyClick(slider.slider, Qt.Key.Key_Left)
    assert s.period == periods[-2]
    QTest.keyClick(slider.slider, Qt.Key.Key_End)
    assert s.period == periods[-1]
    s.set_period(periods[1])  # model -> widget
    assert slider.slider.value() == 1
