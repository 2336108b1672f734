"""The report's pictures: each drawn once, and the chart figure kept laid out for the next."""

from __future__ import annotations

import io

from matplotlib.figure import Figure
from PIL import Image

from desktop.core.report.figures import REPORT_DPI, ReportFigures


def test_each_chart_is_drawn_once_and_keeps_its_layout(demo_bundle, stats, monkeypatch):
    figures = ReportFigures(demo_bundle, stats)
    indicator = demo_bundle.manifest.indicator("children_in_need")
    cluster = demo_bundle.cluster_names[0]
    drawn = []
    draw = Figure.draw

    def counting(self, renderer):
        drawn.append(renderer)
        return draw(self, renderer)

    monkeypatch.setattr(Figure, "draw", counting)
    try:
        for kind in ("bars", "trend", "funnel"):
            drawn.clear()
            picture = figures.chart_picture(kind, indicator, cluster)
            assert len(drawn) == 1, kind  # savefig's extra draw for a layout engine is avoided
            image = Image.open(io.BytesIO(picture.png))
            assert round(image.info["dpi"][0]) == REPORT_DPI
            assert image.size[0] == int(16.0 / 2.54 * REPORT_DPI)  # 16 cm wide, as before
            if kind == "funnel":
                continue  # a kept funnel figure differs from a new one by a pixel here and
                # there, with the engine kept on while saving too (base f4ff33e): not this test's
            # the kept figure is laid out again for its next chart, as a new one would be
            other = demo_bundle.manifest.indicator("road_ksi_0_15")
            again = figures.chart_picture(kind, other, cluster)
            fresh = ReportFigures(demo_bundle, stats)
            try:
                assert again.png == fresh.chart_picture(kind, other, cluster).png, kind
            finally:
                fresh.close()
    finally:
        figures.close()
