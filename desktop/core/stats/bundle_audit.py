"""The disclosure audit of a whole bundle: everything its exports would publish, attacked.

The attacker holds every export of the bundle: the profile of every cluster on both bases, in
Word, CSV, XLSX and on the clipboard, every chart and map with its table, for every period,
and the screen's hover texts. All of it is drawn from two kinds of published tables, each a
Publication: one per counted indicator and period (areas, clusters and the county, with their
sums and denominators: desktop.core.stats.published) and one per period of the cross-border
flows (rows, columns, totals, shares and sentences: desktop.core.stats.flow_disclosure),
and one per school of where its pupils live in the latest period (its home areas' counts, its
total and the share outside its cluster: desktop.core.stats.school_homes; a school's profile
prints only published figures, desktop.core.stats.school_profile). The published pooling (the
latest PUBLISHED_POOL periods combined, and the windows before them) is published beside the
single periods: each window of each counted indicator is attacked again together with its
single periods, the pooled cells being the sums of theirs (desktop.core.stats.
pooled_disclosure). The audit solves the attacker's problem for every suppressed cell of all
of them.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np

from desktop.core.disclosure.audit import audit_many
from desktop.core.model import Bundle
from desktop.core.stats.crossborder import flow_matrices
from desktop.core.stats.pooled_disclosure import audit_windows, published_windows
from desktop.core.stats.pooling import PUBLISHED_POOL, pool_periods
from desktop.core.stats.published import hierarchy_publications
from desktop.core.stats.school_homes import school_publications
from desktop.core.stats.table import Statistics
from desktop.core.tasks import Task

SHOWN_FAILURES = 50  # failures listed in full; the counts cover all of them


@dataclass(frozen=True)
class Failure:
    """A suppressed cell an attacker can narrow too far."""

    cell: str
    low: float
    high: float  # inf: no upper limit
    required: float
    checked: bool = True

    def as_dict(self) -> dict:
        return {"cell": self.cell, "low": self.low,
                "high": None if np.isinf(self.high) else self.high,
                "required_width": self.required, "checked": self.checked}


@dataclass(frozen=True)
class BundleAudit:
    """What the audit of a bundle found."""

    indicator_tables: int  # counted indicator-periods (areas, clusters and the county)
    flow_tables: int  # periods of cross-border flows
    school_tables: int  # schools' tables of home areas
    pooled_tables: int  # windows of the published pooling, each with its single periods
    pooled_suppressed: int  # suppressed pooled cells checked (counted in `suppressed`)
    suppressed: int  # suppressed cells checked
    pinned: int  # of which an attacker knows exactly
    narrowed: int  # of which an attacker narrows below the protection (pinned included)
    unchecked: int  # of which the solver gave no answer in time
    thresholds: tuple[int, ...]
    seconds: float
    failures: tuple[Failure, ...] = field(default=())

    @property
    def passed(self) -> bool:
        return self.narrowed == 0 and self.unchecked == 0

    @property
    def pooling(self) -> int:
        """How many periods the published pooling combines."""
        return PUBLISHED_POOL

    def as_dict(self) -> dict:
        """The findings as plain JSON-ready values."""
        return {"passed": self.passed,
                "tables": {"indicator_periods": self.indicator_tables,
                           "cross_border_periods": self.flow_tables,
                           "school_home_areas": self.school_tables,
                           "pooled_windows": self.pooled_tables},
                "pooling": self.pooling,
                "suppressed_cells": self.suppressed,
                "suppressed_pooled_cells": self.pooled_suppressed, "pinned": self.pinned,
                "narrowed": self.narrowed, "not_checked": self.unchecked,
                "thresholds": list(self.thresholds), "seconds": round(self.seconds, 2),
                "failures": [f.as_dict() for f in self.failures]}


def audit_bundle(bundle: Bundle, stats: Statistics, task: Task | None = None) -> BundleAudit:
    """Attack every table the bundle's exports would publish (see the module docstring)."""
    task = task or Task()
    start = time.monotonic()
    task.report(0.0, "Reading what the indicator tables publish")
    tables = hierarchy_publications(bundle, stats)
    task.report(0.3, "Suppressing and reading the cross-border tables")
    matrices = list(flow_matrices(bundle).values())
    flows = [matrix.publication() for matrix in matrices]
    task.report(0.35, "Protecting where each school's pupils live")
    schools = school_publications(bundle)
    results = audit_many([*tables, *flows, *schools], task=task.part(0.4, 0.6),
                         moves=[None] * len(tables) + [m.moves() for m in matrices]
                         + [None] * len(schools))
    pooled = pool_periods(bundle, stats, PUBLISHED_POOL, task.part(0.6, 0.8))
    windows = published_windows(bundle, stats, pooled.statistics, pooled.windows)
    linked = audit_windows(windows, task.part(0.8, 1.0))
    pooled_suppressed = sum(int(t.pooled_hidden(t.publication.hidden).sum()) for t in windows)
    # a window's single periods are checked again there, with the pooled cells beside them: a
    # cell that fails in both is one failure, with the narrower range
    found: dict[str, Failure] = {}
    pinned: set[str] = set()
    for result in results + linked:
        labels = result.publication.labels
        pinned.update(labels[c] for c in result.cells[result.pinned])
        for k in np.flatnonzero(~result.protected):
            failure = Failure(labels[result.cells[k]], float(result.low[k]),
                              float(result.high[k]), float(result.required[k]),
                              bool(result.solved[k]))
            known = found.get(failure.cell)
            if known is None or failure.high - failure.low < known.high - known.low:
                found[failure.cell] = failure
    failures = list(found.values())
    suppressed = sum(r.cells.size for r in results) + pooled_suppressed
    narrowed = sum(f.checked for f in failures)
    unchecked = len(failures) - narrowed
    manifest = bundle.manifest
    thresholds = tuple(sorted({manifest.threshold_for(i) for i in manifest.indicators}
                              | ({manifest.disclosure_threshold} if flows or schools else set())))
    return BundleAudit(len(tables), len(flows), len(schools), len(windows), pooled_suppressed,
                       suppressed, len(pinned), narrowed, unchecked, thresholds,
                       time.monotonic() - start, tuple(failures))
