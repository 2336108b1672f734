"""Keeps the views in step with the session: the only place that turns session changes into
view updates, and view events into session setters.

An indicator or period switch recolours the kept map collection, moves the profile's
selection and redraws one chart; the profile itself is rebuilt only when the cluster or the
basis changes (profiles are cached per cluster and basis while the bundle is open).
"""

from __future__ import annotations

import gc

import pandas as pd
from PySide6.QtCore import QObject

from desktop.core.maps.choropleth import MapLayer, hover_text, map_layer
from desktop.core.model import COUNTY, SYNTHETIC_LABEL
from desktop.core.plotting.style import forget_drawn_text
from desktop.core.stats.profile import (
    cluster_profile,
    most_deprived_areas,
    potential_issues,
    tartan,
    with_basis,
    with_labels,
)
from desktop.core.stats.sparklines import cluster_sparklines, with_sparklines
from desktop.gui.session import Session


class ViewSync(QObject):
    def __init__(self, session: Session, map_view, chart_view, profile_view, issues_view,
                 compare_view, parent: QObject | None = None, crossborder_view=None) -> None:
        super().__init__(parent)
        self.session = session
        self.map, self.chart, self.profile = map_view, chart_view, profile_view
        self.issues, self.compare = issues_view, compare_view
        self.crossborder = crossborder_view  # optional: follows the bundle and the cluster
        self._profiles: dict[tuple[str, str], pd.DataFrame] = {}  # by (cluster, basis)
        self._area_values: pd.DataFrame | None = None
        self.layer: MapLayer | None = None

        session.bundle_opened.connect(self._on_opened)
        session.bundle_closed.connect(self._on_closed)
        session.cluster_changed.connect(self._on_cluster)
        session.basis_changed.connect(self._on_basis)
        session.comparison_changed.connect(self._on_comparison)
        session.indicator_changed.connect(self._on_indicator)
        session.period_changed.connect(self._on_indicator)
        session.classification_changed.connect(self._refresh_map)
        session.area_selected.connect(self.map.set_selected_area)

        self.map.area_clicked.connect(session.select_area)
        self.map.hover_text_for = self._hover_text
        self.profile.indicator_selected.connect(session.set_indicator)
        self.profile.latest_period_requested.connect(
            lambda: session.set_period(session.indicator.latest_period or ""))
        self.issues.indicator_selected.connect(self._issue_chosen)
        self.issues.area_selected.connect(session.select_area)
        self.compare.cell_selected.connect(self._cell_chosen)
        self.chart.cluster_clicked.connect(session.set_cluster)

    # --- session -> views ----------------------------------------------------------------
    def _on_opened(self) -> None:
        s = self.session
        bundle = s.bundle
        self._profiles.clear()
        self.map.set_geometry(bundle.areas, bundle.schools)
        self.compare.set_comparison(s.comparison)
        self.profile.set_comparison(s.comparison)
        if self.crossborder is not None:
            self.crossborder.set_bundle(bundle)
        self._refresh_tartan()
        self._on_cluster(refresh_chart=False)  # the chart is drawn once, by _on_indicator
        self._on_indicator()
        self.map.set_selected_area(s.area_code or None)

    def _on_closed(self) -> None:
        """Drop everything the views show: after a lock nothing from the bundle stays, nor in
        matplotlib's caches of drawn text (the old charts' artists go with the collection)."""
        self._profiles.clear()
        self._area_values = None
        self.layer = None
        for view in (self.map, self.chart, self.profile, self.issues, self.compare,
                     self.crossborder):
            if view is not None:
                view.clear()
        gc.collect()  # figures and artists live in reference cycles
        forget_drawn_text()

    def profile_for(self, cluster: str, basis: str | None = None) -> pd.DataFrame:
        """The cluster's profile on `basis` (the session's when None), built once."""
        s = self.session
        key = (cluster, basis or s.basis)
        if key not in self._profiles:
            profile = cluster_profile(s.bundle, s.statistics, cluster, basis=key[1])
            self._profiles[key] = with_sparklines(
                with_labels(with_basis(s.bundle, profile), s.statistics, cluster),
                cluster_sparklines(s.bundle, s.statistics, cluster))
        return self._profiles[key]

    def _refresh_tartan(self) -> None:
        """The compare-clusters rug on the session's basis: each pupil indicator once."""
        s = self.session
        indicators = pd.DataFrame([{"id": i.id, "title": i.title, "theme": i.theme}
                                   for i in s.bundle.manifest.indicators])
        self.compare.set_tartan(tartan(s.bundle, s.statistics, basis=s.basis), indicators,
                                s.cluster, s.indicator_id)

    def _on_basis(self, *_args) -> None:
        if self.session.bundle is not None:
            self._refresh_tartan()
            self._on_cluster()

    def _on_comparison(self) -> None:
        """Another level or benchmark: every verdict changes, the numbers do not."""
        s = self.session
        self.compare.set_comparison(s.comparison)
        self.profile.set_comparison(s.comparison)
        if s.bundle is None:
            return
        self._profiles.clear()
        self._refresh_tartan()
        self._on_cluster(refresh_chart=False)
        self._on_indicator()

    def _on_cluster(self, *_args, refresh_chart: bool = True) -> None:
        s = self.session
        if s.bundle is None:
            return
        profile = self.profile_for(s.cluster)
        self.profile.set_profile(profile, s.cluster)
        self.profile.set_current_indicator(s.indicator_id)
        self.issues.set_issues(potential_issues(profile),
                               most_deprived_areas(s.bundle, s.statistics, s.cluster), s.cluster)
        self.compare.set_current(s.cluster, s.indicator_id)
        self.map.set_cluster(s.cluster)
        if self.crossborder is not None:
            self.crossborder.set_cluster(s.cluster)
        if refresh_chart:
            self._refresh_chart()

    def _on_indicator(self, *_args) -> None:
        s = self.session
        if s.bundle is None:
            return
        self._area_values = s.statistics.area_values(s.indicator_id, s.period)
        self._refresh_map()
        self.profile.set_current_indicator(s.indicator_id)
        self.profile.set_period_note(s.period, s.indicator.latest_period or "", s.indicator.title)
        self.compare.set_current(s.cluster, s.indicator_id)
        self._refresh_chart()

    def _refresh_map(self) -> None:
        s = self.session
        if s.bundle is None or self._area_values is None:
            return
        indicator = s.indicator
        county = s.statistics.cluster_values(indicator.id, s.period).loc[COUNTY, "value"]
        self.layer = map_layer(indicator, self._area_values, county, s.scheme, s.classes,
                               s.palette, s.comparison)
        title = indicator.title + (f" ({indicator.unit})" if indicator.unit
                                   and indicator.unit != "%" else "")
        self.map.show_values(self.layer.values, self.layer.classification,
                             self.layer.class_colours, title, period=s.period,
                             note=SYNTHETIC_LABEL if indicator.synthetic else None)

    def _refresh_chart(self) -> None:
        s = self.session
        if s.bundle is None:
            return
        self.chart.show_for(s.bundle, s.statistics, s.indicator, s.period, s.cluster)

    def _hover_text(self, position: int) -> str:
        s = self.session
        if s.bundle is None or self._area_values is None:
            return ""
        areas = s.bundle.areas
        cluster = areas["cluster"].iat[position]
        return hover_text(s.indicator, self._area_values, position,
                          str(areas["area_name"].iat[position]),
                          cluster if isinstance(cluster, str) else None)

    # --- views -> session ----------------------------------------------------------------
    def _issue_chosen(self, indicator_id: str) -> None:
        self.session.set_indicator(indicator_id)

    def _cell_chosen(self, cluster: str, indicator_id: str) -> None:
        self.session.set_cluster(cluster)
        self.session.set_indicator(indicator_id)
