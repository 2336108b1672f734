"""The one mutable thing: which bundle is open and what the officer has chosen.

Views subscribe to the signals and change the choices only through the setters. The session
holds the decrypted bundle and its statistics (judged by the chosen comparison: a confidence
level and a benchmark), and the pooled periods computed from them; `lock()` and `close()` drop
them all, so after a lock nothing decrypted is reachable from the window.

With periods pooled (`set_pool`), `view_bundle` and `view_statistics` are the pooled ones and
`period` is a pooled period ("2021/22 - 2023/24 combined"): views read those two, so every
view shows the same periods.

Similar clusters are found by `neighbours` (the context indicators and how many; the bundle's
setting until the officer chooses others); comparing clusters against them takes the peers
they give, and follows a new choice of context.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Signal

from desktop.core.errors import AtlasError
from desktop.core.model import BASES, BASIS_RESIDENCE, MAP_AREAS, MAP_LEVELS, Bundle, Indicator
from desktop.core.stats.aggregate import Statistics
from desktop.core.stats.comparison import COUNTY, DEFAULT, SIMILAR, Comparison
from desktop.core.stats.neighbours import (
    NeighbourSpec,
    SimilarClusters,
    bundle_spec,
    similar_clusters,
)
from desktop.core.stats.pooling import Pooled
from desktop.core.stats.profile import has_school_basis, twin_for_basis


class Session(QObject):
    bundle_opened = Signal()
    bundle_closed = Signal()  # also emitted on lock: views must clear everything they show
    locked_changed = Signal(bool)
    cluster_changed = Signal(str)
    indicator_changed = Signal(str)
    period_changed = Signal(str)
    classification_changed = Signal()
    area_selected = Signal(str)
    basis_changed = Signal(str)  # "residence" or "school": where pupils are counted
    comparison_changed = Signal()  # the confidence level or the benchmark changed
    map_level_changed = Signal(str)  # "areas" or "clusters": what the map colours
    pool_changed = Signal(int)  # periods pooled (1: single periods); the period changed with it
    school_changed = Signal(str)  # the school whose own profile is shown (its URN)
    custom_areas_changed = Signal(int)  # after bundle_opened: the periods pooled before
    neighbours_changed = Signal()  # another context (or number) finds the similar clusters

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.path: Path | None = None
        self.bundle: Bundle | None = None
        self.statistics: Statistics | None = None  # judged by `comparison`
        self._computed: Statistics | None = None  # as computed when the bundle opened
        self.plain: tuple[Bundle, Statistics] | None = None  # as opened: no custom areas
        self.comparison: Comparison = DEFAULT  # kept over a lock and a close, like a layout
        self.locked = False
        self.cluster: str = ""
        self.indicator_id: str = ""
        self.period: str = ""
        self.area_code: str = ""
        self.school_id: str = ""  # the school of the School tab ("" none)
        self.basis: str = BASIS_RESIDENCE
        self.scheme = "quantiles"
        self.classes = 5
        self.palette = "Blues"
        self.map_level = MAP_AREAS
        self.pooled: Pooled | None = None  # the periods pooled now (None: single periods)
        self._pooled: dict[int, Pooled] = {}  # every pooling computed for this bundle
        # every pooling of `plain` computed, kept while custom areas come and go (each
        # pooling with custom areas starts from it)
        self.plain_pooled: dict[int, Pooled] = {}
        self._judged_pool: tuple = (None, None, None)  # (pooled, comparison, its statistics)
        self.neighbours: NeighbourSpec | None = None  # None: the bundle's own setting
        self._similar: SimilarClusters | None = None  # found for `neighbours`, kept

    # --- opening, closing, locking -------------------------------------------------------
    @property
    def is_open(self) -> bool:
        return self.bundle is not None

    def open(self, path: Path, bundle: Bundle, statistics: Statistics) -> None:
        """Install a freshly decrypted bundle; keep earlier choices when they still apply."""
        self.path, self.bundle = Path(path), bundle
        if not bundle.custom_areas:
            if self.plain is None or bundle.areas is not self.plain[0].areas:
                self.plain_pooled.clear()
            self.plain = (bundle, statistics)
        self._computed, self._similar = statistics, None
        self.comparison = self._judged_by(self.comparison)
        self.statistics = statistics.with_comparison(self.comparison)
        was_locked, self.locked = self.locked, False
        names = bundle.cluster_names
        if self.cluster not in names:
            self.cluster = names[0] if names else ""
        ids = [ind.id for ind in bundle.manifest.indicators]
        if self.indicator_id not in ids:
            self.indicator_id = ids[0] if ids else ""
        if not has_school_basis(bundle):
            self.basis = BASIS_RESIDENCE
        if self.indicator_id:  # a reopened bundle keeps the basis chosen before the lock
            self.indicator_id = twin_for_basis(bundle, self.indicator_id, self.basis)
        if self.indicator_id and self.period not in self.indicator.periods:
            self.period = self.indicator.latest_period or ""
        if self.area_code not in set(bundle.areas["area_code"]):
            self.area_code = ""
        if self.school_id not in set(bundle.schools["school_id"].astype(str)):
            self.school_id = ""
        self.bundle_opened.emit()
        if was_locked:
            self.locked_changed.emit(False)

    def use_custom_areas(self, bundle: Bundle, statistics: Statistics) -> None:
        """The opened bundle with custom areas listed beside its clusters (computed from
        `plain` by core.stats.custom_stats); every view refreshes as on opening, and
        custom_areas_changed says how many periods were pooled, to pool them again with the
        custom areas."""
        if self.plain is None or bundle.areas is not self.plain[0].areas:
            return  # computed from a bundle closed since
        was_pooled, self.pooled = self.pool, None
        self._pooled.clear()
        self._judged_pool = (None, None, None)
        self.open(self.path, bundle, statistics)
        if was_pooled != 1:
            self.pool_changed.emit(1)
        self.custom_areas_changed.emit(was_pooled)

    def _drop(self) -> None:
        self.bundle = None
        self.plain = None
        self.plain_pooled.clear()
        self.statistics = self._computed = None
        self._similar = None
        self.pooled = None
        self._pooled.clear()
        self._judged_pool = (None, None, None)
        self.bundle_closed.emit()

    def close(self) -> None:
        self._drop()
        self.path = None
        self.cluster = self.indicator_id = self.period = self.area_code = self.school_id = ""
        self.basis = BASIS_RESIDENCE
        self.neighbours = None
        if self.locked:
            self.locked = False
            self.locked_changed.emit(False)

    def lock(self) -> None:
        """Drop every decrypted table; the path and the choices stay to reopen where we were."""
        if self.bundle is None:
            return
        self._drop()
        self.locked = True
        self.locked_changed.emit(True)

    # --- choices -----------------------------------------------------------------------
    @property
    def indicator(self) -> Indicator:
        """The chosen indicator, its periods pooled when periods are."""
        return self.view_bundle.manifest.indicator(self.indicator_id)

    @property
    def pool(self) -> int:
        """How many periods are pooled (1: single periods)."""
        return 1 if self.pooled is None else self.pooled.n

    @property
    def view_bundle(self) -> Bundle:
        """The bundle the views show: the pooled one while periods are pooled."""
        assert self.bundle is not None
        return self.bundle if self.pooled is None else self.pooled.bundle

    @property
    def view_statistics(self) -> Statistics:
        """The statistics the views show, judged by `comparison`: the pooled ones while
        periods are pooled."""
        assert self.statistics is not None
        if self.pooled is None:
            return self.statistics
        pooled, comparison, judged = self._judged_pool
        if pooled is not self.pooled or comparison != self.comparison:
            judged = self.pooled.statistics.with_comparison(self.comparison)
            self._judged_pool = (self.pooled, self.comparison, judged)
        return judged

    def pooled_for(self, n: int) -> Pooled | None:
        """Periods pooled in windows of n, if computed for this bundle already."""
        return self._pooled.get(n)

    def set_cluster(self, name: str) -> None:
        if self.bundle is None or name == self.cluster or name not in self.bundle.cluster_names:
            return
        self.cluster = name
        self.cluster_changed.emit(name)

    def set_indicator(self, indicator_id: str, period: str | None = None) -> None:
        """Switch indicator; keep the period if the new indicator has it, else its latest."""
        if self.bundle is None or indicator_id == self.indicator_id and period in (None, self.period):
            return
        indicator = self.view_bundle.manifest.indicator(indicator_id)
        if period is None or period not in indicator.periods:
            period = self.period if self.period in indicator.periods else indicator.latest_period
        changed_indicator = indicator_id != self.indicator_id
        self.indicator_id, self.period = indicator_id, period or ""
        if changed_indicator:
            self.indicator_changed.emit(indicator_id)
        else:
            self.period_changed.emit(self.period)

    def set_basis(self, basis: str) -> None:
        """Count pupils by where they live ("residence") or go to school ("school"); the
        current indicator moves to its twin on the new basis when it has one."""
        if self.bundle is None or basis == self.basis or basis not in BASES:
            return
        if basis != BASIS_RESIDENCE and not has_school_basis(self.bundle):
            return  # the bundle has no values by school: residence is the only basis
        self.basis = basis
        self.basis_changed.emit(basis)
        if self.indicator_id:
            self.set_indicator(twin_for_basis(self.bundle, self.indicator_id, basis))

    def set_pool(self, pooled: Pooled | None) -> None:
        """Show periods pooled as `pooled` (computed from this bundle; None: single periods).
        The period moves to the window holding it, or back to the window's latest period."""
        if self.bundle is None or pooled is self.pooled:
            return
        if pooled is not None:
            if pooled.bundle.areas is not self.bundle.areas:
                return  # pooled from a bundle closed since
            self._pooled[pooled.n] = pooled
        before = self.pooled
        self.pooled = pooled
        if self.indicator_id:
            if pooled is not None:
                # from single periods or another pooling: the window of the latest period shown
                single = (self.period if before is None else
                          before.windows[self.indicator_id].get(self.period, (self.period,))[-1])
                period = pooled.window_of(self.indicator_id, single)
            else:
                period = before.windows[self.indicator_id].get(self.period, ("",))[-1]
            periods = self.indicator.periods
            self.period = period if period in periods else (periods[-1] if periods else "")
        self.pool_changed.emit(self.pool)
        self.period_changed.emit(self.period)  # the periods on offer changed with the pooling

    def set_comparison(self, level: float | None = None, against: str | None = None) -> None:
        """Judge significance at `level` (95 or 99.8) against `against` (comparison.COUNTY,
        REST or SIMILAR, the similar clusters of `neighbours`); every view and export
        follows. Against similar clusters needs a bundle whose clusters can be placed."""
        level = self.comparison.level if level is None else level
        against = self.comparison.against if against is None else against
        if against == SIMILAR and self.similar() is None:
            return
        self._apply(self._judged_by(Comparison(level, COUNTY), against))

    def _judged_by(self, comparison: Comparison, against: str | None = None) -> Comparison:
        """`comparison` at its level against `against` (its own when None), with the peers
        of the open bundle when that is SIMILAR (the county when they cannot be found)."""
        against = against or comparison.against
        if against != SIMILAR:
            return Comparison(comparison.level, against)
        found = self.similar()
        if found is None:
            return Comparison(comparison.level, COUNTY)
        return Comparison(comparison.level, SIMILAR, found.peers())

    def _apply(self, comparison: Comparison) -> None:
        if comparison == self.comparison:
            return
        self.comparison = comparison
        if self._computed is not None:
            self.statistics = self._computed.with_comparison(comparison)
        self.comparison_changed.emit()

    # --- similar clusters ----------------------------------------------------------------
    def neighbour_spec(self) -> NeighbourSpec | None:
        """The context that finds similar clusters: the officer's, else the bundle's."""
        if self.bundle is None:
            return None
        return self.neighbours or bundle_spec(self.bundle)

    def similar(self) -> SimilarClusters | None:
        """The clusters placed by `neighbour_spec` (from the single periods), or None when
        the spec cannot place them (no context indicator, too few clusters)."""
        if self._similar is None and self.bundle is not None:
            try:
                self._similar = similar_clusters(self.bundle, self._computed,
                                                 self.neighbour_spec())
            except AtlasError:
                return None
        return self._similar

    def set_neighbours(self, spec: NeighbourSpec) -> None:
        """Find similar clusters by `spec` (checked first: an AtlasError says what is
        wrong); a comparison against them follows the new ones."""
        if self.bundle is None or spec == self.neighbour_spec():
            return
        found = similar_clusters(self.bundle, self._computed, spec)
        self.neighbours, self._similar = spec, found
        self.neighbours_changed.emit()
        if self.comparison.against == SIMILAR:
            self._apply(self._judged_by(self.comparison))

    def set_map_level(self, level: str) -> None:
        """Colour small areas or whole clusters on the map."""
        if level == self.map_level or level not in MAP_LEVELS:
            return
        self.map_level = level
        self.map_level_changed.emit(level)

    def set_period(self, period: str) -> None:
        if self.bundle is None or period == self.period or period not in self.indicator.periods:
            return
        self.period = period
        self.period_changed.emit(period)

    def set_classification(self, scheme: str | None = None, classes: int | None = None,
                           palette: str | None = None) -> None:
        changed = False
        for name, value in (("scheme", scheme), ("classes", classes), ("palette", palette)):
            if value is not None and getattr(self, name) != value:
                setattr(self, name, value)
                changed = True
        if changed:
            self.classification_changed.emit()

    def set_school(self, school_id: str) -> None:
        """Show a school's own profile; its cluster (when it has one) becomes the cluster."""
        if self.bundle is None:
            return
        schools = self.bundle.schools
        match = schools.loc[schools["school_id"].astype(str) == school_id, "cluster"]
        if match.empty:
            return
        cluster = match.iloc[0]
        if isinstance(cluster, str) and cluster:
            self.set_cluster(cluster)
        self.school_id = school_id
        self.school_changed.emit(school_id)

    def select_area(self, area_code: str) -> None:
        """Select an area and, with it, its cluster (when it has one)."""
        if self.bundle is None:
            return
        areas = self.bundle.areas
        match = areas.loc[areas["area_code"] == area_code, "cluster"]
        if match.empty:
            return
        self.area_code = area_code
        cluster = match.iloc[0]
        if isinstance(cluster, str) and cluster:
            self.set_cluster(cluster)
        self.area_selected.emit(area_code)
