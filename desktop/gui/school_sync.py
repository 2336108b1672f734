"""Keeps the Go to box and the School tab in step with the session, as gui/view_sync does for
the other views.

A match picked in the Go to box becomes session choices (a school, its cluster; a postcode's
or small area's area and cluster; a cluster; an indicator) and a map view of the place. A
school's own profile (protected home areas and their pupil-weighted mix: core.stats) takes a
second or two, so it is computed in a worker and shown when ready, unless the school, the
comparison or the bundle changed meanwhile.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal

from desktop.core.find import AREA, CLUSTER, CUSTOM, INDICATOR, POSTCODE, SCHOOL, Finder, Match
from desktop.core.report.brief import school_summary
from desktop.core.stats.school_homes import school_homes, school_row
from desktop.core.stats.school_profile import school_profile
from desktop.gui.session import Session
from desktop.gui.workers import Worker


class SchoolSync(QObject):
    message = Signal(str)  # for the status line

    def __init__(self, session: Session, map_view, go_to_box, school_view,
                 show_school_tab: Callable[[], None], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.session, self.map, self.box, self.view = session, map_view, go_to_box, school_view
        self.show_school_tab = show_school_tab
        self.worker: Worker | None = None
        session.bundle_opened.connect(self._on_opened)
        session.bundle_closed.connect(self._on_closed)
        session.school_changed.connect(self._compute)
        session.comparison_changed.connect(self._compute)
        go_to_box.chosen.connect(self.go_to)
        go_to_box.not_found.connect(self.message)
        school_view.indicator_selected.connect(session.set_indicator)

    def _on_opened(self) -> None:
        bundle = self.session.bundle
        self.box.set_finder(Finder(bundle, tuple(bundle.custom_areas)))
        self._compute()

    def _on_closed(self) -> None:
        self._cancel()
        self.box.set_finder(None)
        self.view.clear()

    def go_to(self, match: Match) -> None:
        """Make the match the session's choice and show it on the map."""
        s = self.session
        if match.kind == SCHOOL:
            s.set_school(match.key)
            self.map.zoom_to_place(match.area_code, match.point)
            self.show_school_tab()
        elif match.kind in (POSTCODE, AREA):
            if match.area_code:
                s.select_area(match.area_code)
            self.map.zoom_to_place(match.area_code, match.point)
        elif match.kind in (CLUSTER, CUSTOM):
            s.set_cluster(match.key)
            self.map.zoom_to_cluster()
        elif match.kind == INDICATOR:
            s.set_indicator(match.key)
        self.message.emit(f"Showing {match.text}")

    def _compute(self, *_args) -> None:
        s = self.session
        self._cancel()
        if s.bundle is None or not s.school_id:
            self.view.clear()
            return
        bundle, stats, school_id = s.bundle, s.statistics, s.school_id

        def run(_task):
            homes = school_homes(bundle, school_id)
            return homes, school_profile(bundle, stats, homes)

        self.view.show_message(f"Working out where the pupils of URN {school_id} live…")
        self.worker = Worker(run, self)
        key = (bundle, stats, school_id)
        self.worker.signals.finished.connect(lambda result: self._show(key, result))
        self.worker.signals.failed.connect(lambda exc: self._ended(str(exc)))
        self.worker.signals.cancelled.connect(lambda _message: self._ended(None))
        self.worker.signals.progress.connect(lambda *_: None)  # quick: no progress shown
        self.worker.signals.crashed.connect(lambda trace: self._ended(
            "The school's profile could not be made: please report this.\n" + trace))
        self.worker.start()

    def _show(self, key, result) -> None:
        self._ended(None)
        s = self.session
        if key[0] is not s.bundle or key[1] is not s.statistics or key[2] != s.school_id:
            return  # the bundle, comparison or school changed while it was computed
        homes, profile = result
        point = school_row(s.bundle, homes.school_id).geometry
        self.view.show_school(s.bundle, homes, profile, s.statistics.comparison,
                              (point.x, point.y),
                              f"{homes.name}: {school_summary(s.bundle, homes)}")

    def _ended(self, message: str | None) -> None:
        if self.worker is not None:
            self.worker.dispose()
            self.worker = None
        if message:
            self.view.show_message(message)

    def _cancel(self) -> None:
        if self.worker is not None:
            self.worker.cancel()
            self._ended(None)
