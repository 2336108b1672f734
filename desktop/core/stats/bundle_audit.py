"""The disclosure audit of a whole bundle: everything its exports would publish, attacked.

The attacker holds every export of the bundle: the profile of every cluster on both bases, in
Word, CSV, XLSX and on the clipboard, every chart and map with its table, for every period,
and the screen's hover texts. All of it is drawn from two kinds of published tables, each a
Publication: one per counted indicator and period (areas, clusters and the county, with their
sums and denominators: desktop.core.stats.published) and one per period of the cross-border
flows (rows, columns, totals, shares and sentences: desktop.core.stats.flow_disclosure).
The audit solves the attacker's problem for every suppressed cell of all of them.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np

from desktop.core.disclosure.audit import audit_many
from desktop.core.model import Bundle
from desktop.core.stats.crossborder import flow_matrices
from desktop.core.stats.published import hierarchy_publications
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

    def as_dict(self) -> dict:
        """The findings as plain JSON-ready values."""
        return {"passed": self.passed,
                "tables": {"indicator_periods": self.indicator_tables,
                           "cross_border_periods": self.flow_tables},
                "suppressed_cells": self.suppressed, "pinned": self.pinned,
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
    results = audit_many([*tables, *flows], task=task.part(0.4, 1.0),
                         moves=[None] * len(tables) + [m.moves() for m in matrices])
    failures, suppressed, pinned, narrowed, unchecked = [], 0, 0, 0, 0
    for result in results:
        suppressed += result.cells.size
        pinned += int(result.pinned.sum())
        narrowed += int((result.solved & ~result.protected).sum())
        unchecked += int((~result.solved & ~result.protected).sum())
        for k in np.flatnonzero(~result.protected):
            failures.append(Failure(result.publication.labels[result.cells[k]],
                                    float(result.low[k]), float(result.high[k]),
                                    float(result.required[k]), bool(result.solved[k])))
    manifest = bundle.manifest
    thresholds = tuple(sorted({manifest.threshold_for(i) for i in manifest.indicators}
                              | ({manifest.disclosure_threshold} if flows else set())))
    return BundleAudit(len(tables), len(flows), suppressed, pinned, narrowed, unchecked,
                       thresholds, time.monotonic() - start, tuple(failures))
