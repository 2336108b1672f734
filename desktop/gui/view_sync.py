"""Keeps the views in step with the session: the only place that turns session changes into
view updates, and view events into session setters.

An indicator or period switch recolours the kept map collection, moves the profile's
selection and redraws one chart; the profile itself is rebuilt only when the cluster, the
basis or the pooling changes (profiles are cached per cluster, basis and pooling while the
bundle is open). Pooled periods are computed here, off the GUI thread, when the officer asks
for them, and handed to the session.
"""

from __future__ import annotations

import gc

import pandas as pd
from PySide6.QtCore import QObject, Signal

from desktop.core.errors import AtlasError
from desktop.core.maps.choropleth import MapLayer, hover_text, level_values, map_layer
from desktop.core.maps.describe import bundle_map_finding
from desktop.core.model import MAP_CLUSTERS, SYNTHETIC_LABEL
from desktop.core.plotting.style import forget_drawn_text
from desktop.core.stats.custom_stats import pool_with_custom_areas
from desktop.core.stats.inequality import SinglePeriods
from desktop.core.stats.pooling import pool_periods
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
from desktop.gui.workers import Worker


class ViewSync(QObject):
    # pooling periods, reported as the window reports exports: progress with cancel, a
    # message when done, a user's problem, or a bug's traceback
    started = Signal(str)
    progress = Signal(float, str)
    finished = Signal(str)
    failed = Signal(str)
    crashed = Signal(str)

    def __init__(self, session: Session, map_view, chart_view, profile_view, issues_view,
                 compare_view, parent: QObject | None = None, crossborder_view=None,
                 level_controls=None) -> None:
        super().__init__(parent)
        self.session = session
        self.map, self.chart, self.profile = map_view, chart_view, profile_view
        self.issues, self.compare = issues_view, compare_view
        self.crossborder = crossborder_view  # optional: follows the bundle and the cluster
        self.level_controls = level_controls  # optional: asks for pooled periods
        self._profiles: dict[tuple[str, str, int], pd.DataFrame] = {}  # (cluster, basis, pool)
        self._map_values: pd.DataFrame | None = None  # the rows the map colours now
        self.layer: MapLayer | None = None
        self.pooling: Worker | None = None
        self._pooling_n = 1  # the periods the pooling under way combines

        session.bundle_opened.connect(self._on_opened)
        session.bundle_closed.connect(self._on_closed)
        session.cluster_changed.connect(self._on_cluster)
        session.basis_changed.connect(self._on_basis)
        session.comparison_changed.connect(self._on_comparison)
        session.indicator_changed.connect(self._on_indicator)
        session.period_changed.connect(self._on_indicator)
        session.classification_changed.connect(self._refresh_map)
        session.area_selected.connect(self.map.set_selected_area)
        session.map_level_changed.connect(self._on_map_level)
        session.pool_changed.connect(self._on_pool)
        session.custom_areas_changed.connect(self._on_custom_areas)

        self.map.area_clicked.connect(session.select_area)
        self.map.cluster_clicked.connect(session.set_cluster)
        if level_controls is not None:
            level_controls.pool_requested.connect(self.request_pool)
        self.map.hover_text_for = self._hover_text
        self.profile.indicator_selected.connect(session.set_indicator)
        self.profile.latest_period_requested.connect(
            lambda: session.set_period(session.indicator.latest_period or ""))
        self.issues.indicator_selected.connect(self._issue_chosen)
        self.issues.area_selected.connect(session.select_area)
        self.compare.cell_selected.connect(self._cell_chosen)
        self.chart.cluster_clicked.connect(session.set_cluster)
        self.chart.options_bar.neighbours_requested.connect(self._neighbours_chosen)
        session.neighbours_changed.connect(self._refresh_chart)

    # --- session -> views ----------------------------------------------------------------
    def _on_opened(self) -> None:
        # Everything alive when a bundle opens (the libraries, the bundle, its statistics)
        # stays until it closes: taken out of the cyclic collector's reach, so that no full
        # collection walks it again (each took 0.2-0.3 s of the GUI thread at county scale, at
        # random moments: one fell inside opening). Once a bundle: what custom areas install
        # later is replaced when they change, so it stays collectable.
        if not gc.get_freeze_count():
            gc.freeze()
        s = self.session
        bundle = s.bundle
        self._profiles.clear()
        self.map.level = s.map_level
        self.map.set_geometry(bundle.areas, bundle.schools)
        self.compare.set_comparison(s.comparison)
        self.profile.set_comparison(s.comparison)
        if self.crossborder is not None:
            self.crossborder.set_bundle(s.plain[0] if s.plain else bundle)  # clusters only
        self._refresh_tartan()
        self._on_cluster(refresh_chart=False)  # the chart is drawn once, by _on_indicator
        self._on_indicator()
        self.map.set_selected_area(s.area_code or None)

    def _on_closed(self) -> None:
        """Drop everything the views show: after a lock nothing from the bundle stays, nor in
        matplotlib's caches of drawn text (the old charts' artists go with the collection)."""
        self.cancel_pooling()
        self._profiles.clear()
        self._map_values = None
        self.layer = None
        for view in (self.map, self.chart, self.profile, self.issues, self.compare,
                     self.crossborder):
            if view is not None:
                view.clear()
        gc.unfreeze()  # what opening froze may be collected again
        gc.collect()  # figures and artists live in reference cycles
        forget_drawn_text()

    def profile_for(self, cluster: str, basis: str | None = None) -> pd.DataFrame:
        """The cluster's profile on `basis` (the session's when None) in the periods shown
        (pooled or single), built once; its sparklines follow the single periods."""
        s = self.session
        key = (cluster, basis or s.basis, s.pool)
        if key not in self._profiles:
            profile = cluster_profile(s.view_bundle, s.view_statistics, cluster, basis=key[1])
            self._profiles[key] = with_sparklines(
                with_labels(with_basis(s.bundle, profile), s.view_statistics, cluster),
                cluster_sparklines(s.bundle, s.statistics, cluster))
        return self._profiles[key]

    def _refresh_tartan(self) -> None:
        """The compare-clusters rug on the session's basis: each pupil indicator once."""
        s = self.session
        indicators = pd.DataFrame([{"id": i.id, "title": i.title, "theme": i.theme}
                                   for i in s.bundle.manifest.indicators])
        self.compare.set_tartan(tartan(s.view_bundle, s.view_statistics, basis=s.basis),
                                indicators, s.cluster, s.indicator_id)

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

    def _on_pool(self, *_args) -> None:
        """New periods: the profile, issues and tartan now (the map and chart follow the
        period_changed the session sends next)."""
        if self.session.bundle is not None:
            self._refresh_tartan()
            self._on_cluster(refresh_chart=False)

    def _on_map_level(self, level: str) -> None:
        self.map.set_level(level)
        self._refresh_map()
        self.map.set_selected_area(self.session.area_code or None)  # drawn at areas only

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
        custom = s.cluster in s.bundle.custom_areas
        self.map.set_cluster(s.cluster, s.bundle.members(s.cluster) if custom else None)
        self._describe_map()
        if self.crossborder is not None:
            self.crossborder.set_cluster(s.cluster)
        if refresh_chart:
            self._refresh_chart()

    def _on_indicator(self, *_args) -> None:
        s = self.session
        if s.bundle is None:
            return
        self._refresh_map()
        self.profile.set_current_indicator(s.indicator_id)
        self.profile.set_period_note(s.period, s.indicator.latest_period or "", s.indicator.title)
        self.compare.set_current(s.cluster, s.indicator_id)
        self._refresh_chart()

    def _refresh_map(self) -> None:
        s = self.session
        if s.bundle is None or self.map.artists is None or not s.indicator_id:
            return
        indicator = s.indicator
        self._map_values, county = level_values(s.view_statistics, indicator.id, s.period,
                                                s.map_level, self.map.artists.cluster_names)
        self.layer = map_layer(indicator, self._map_values, county, s.scheme, s.classes,
                               s.palette, s.comparison, level=s.map_level, pooled=s.pool > 1)
        title = indicator.title + (f" ({indicator.unit})" if indicator.unit
                                   and indicator.unit != "%" else "")
        self.map.show_values(self.layer.values, self.layer.classification,
                             self.layer.class_colours, title, period=s.period,
                             note=SYNTHETIC_LABEL if indicator.synthetic else None,
                             warning=self.layer.warning)
        self._describe_map()

    def _describe_map(self) -> None:
        """What the map shows, in words, for assistive technology (maps.describe)."""
        s = self.session
        if self.layer is not None and s.bundle is not None and self.map.artists is not None:
            self.map.set_summary(bundle_map_finding(
                s.view_bundle, s.indicator, self.layer, s.map_level, s.cluster,
                self.map.artists.cluster_names).sentence)

    def _refresh_chart(self) -> None:
        s = self.session
        if s.bundle is None:
            return
        single = (None if s.pooled is None else
                  SinglePeriods(s.bundle, s.statistics, s.pooled.windows))
        self.chart.show_for(s.view_bundle, s.view_statistics, s.indicator, s.period, s.cluster,
                            s.neighbour_spec(), single)

    def _hover_text(self, position: int) -> str:
        """The area at `position` (bundle order), or on the cluster map its cluster."""
        s = self.session
        if s.bundle is None or self._map_values is None:
            return ""
        areas = s.bundle.areas
        cluster = areas["cluster"].iat[position]
        cluster = cluster if isinstance(cluster, str) else None
        if s.map_level == MAP_CLUSTERS:
            if cluster not in self._map_values.index:
                return ""
            return hover_text(s.indicator, self._map_values,
                              self._map_values.index.get_loc(cluster), f"{cluster} cluster",
                              compared=s.comparison)
        return hover_text(s.indicator, self._map_values, position,
                          str(areas["area_name"].iat[position]), cluster)

    # --- pooled periods ----------------------------------------------------------------
    def request_pool(self, n: int) -> None:
        """Pool n periods (1: single periods): at once when computed before, else in a
        worker whose result the session takes if the bundle is still the same."""
        s = self.session
        if s.bundle is None or n == s.pool:
            return
        self.cancel_pooling()
        done = None if n == 1 else s.pooled_for(n)
        if n == 1 or done is not None:
            s.set_pool(done)
            return
        plain, shown, self._pooling_n = s.plain, (s.bundle, s.statistics), n
        kept = s.plain_pooled.get(n)

        def pool(task):
            """(the bundle as opened pooled, the same with the custom areas)"""
            base = kept or pool_periods(*plain, n, task.part(0.0, 0.6))
            return base, pool_with_custom_areas(base, shown, task.part(0.6, 1.0))

        self.pooling = Worker(pool, self)
        signals = self.pooling.signals
        signals.progress.connect(self.progress)
        signals.finished.connect(self._pooled)
        signals.failed.connect(lambda exc: self._pooling_ended(self.failed, str(exc)))
        signals.crashed.connect(lambda trace: self._pooling_ended(self.crashed, trace))
        signals.cancelled.connect(
            lambda *_: self._pooling_ended(self.finished, "Pooling cancelled: single periods"))
        if self.level_controls is not None:
            self.level_controls.set_busy(True)
        self.started.emit(f"Pooling the latest {n} periods…")
        self.pooling.start()

    def _on_custom_areas(self, pooled_before: int) -> None:
        """Custom areas changed: a pooling under way has the old ones, so it starts again;
        periods pooled before are pooled again, with the new ones."""
        asked = self._pooling_n if self.pooling is not None else pooled_before
        self.cancel_pooling()
        self.request_pool(asked)

    def cancel_pooling(self) -> None:
        """Stop a pooling under way (the pooling asked before stays)."""
        if self.pooling is not None:
            self.pooling.cancel()
            self._pooling_ended(self.finished, "Pooling cancelled: single periods")

    def _pooled(self, result) -> None:
        base, pooled = result
        s = self.session
        if s.plain is not None and base.bundle.areas is s.plain[0].areas:
            s.plain_pooled[base.n] = base
        self._pooling_ended(self.finished, f"Showing the latest {pooled.n} periods combined")
        s.set_pool(pooled)

    def _pooling_ended(self, signal, message: str) -> None:
        if self.pooling is not None:
            self.pooling.dispose()
            self.pooling = None
        if self.level_controls is not None:
            self.level_controls.sync()
        signal.emit(message)

    # --- views -> session ----------------------------------------------------------------
    def _issue_chosen(self, indicator_id: str) -> None:
        self.session.set_indicator(indicator_id)

    def _neighbours_chosen(self, spec) -> None:
        """Another context or number of similar clusters, asked for in the chart's options:
        a spec that cannot place the clusters is refused with its reason."""
        try:
            self.session.set_neighbours(spec)
        except AtlasError as error:
            self.chart.options_bar.set_neighbours(self.session.neighbour_spec())
            self.failed.emit(str(error))

    def _cell_chosen(self, cluster: str, indicator_id: str) -> None:
        self.session.set_cluster(cluster)
        self.session.set_indicator(indicator_id)
