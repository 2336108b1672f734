"""A pooled window published with the single periods it sums, audited under the width rule, and
the pooled cells hidden besides until that audit passes.

A window's table ("2021/22 - 2023/24 combined") is published beside its single periods, so the
attacker holds them together: each period's areas, clusters and county with their sums
(stats.published), the window's the same, and every pooled cell the sum of its code's cells
over the periods. `window_tables` writes that as one Publication. The sums that make a pooled
cluster the sum of its periods' clusters are left out: they follow from the others (the
cluster's pooled areas, each the sum of its periods), so leaving them out changes nothing the
attacker knows, and every hidden cell then enters exactly two sums, as in a two-way table.

That shape makes the audit fast. The true counts are at hand, so moves prove cells protected
without the solver (desktop.core.disclosure.certify): the sums are the vertices of a graph,
each hidden cell an arc between its two sums, and a cycle of hidden cells taken with
alternating signs changes counts while keeping every sum (an area's 2018 count up one, its
2019 count down one, so its pooled count holds). The most a count can move that way is a
maximum flow round the other hidden cells (desktop.core.disclosure.flows), exact in these
tables; HiGHS solves only the cells the flows leave short, each connected group of hidden
cells in one problem (desktop.core.disclosure.audit).

The single periods' suppression is final (they are published as they are): `protect_windows`
hides more pooled cells only, smallest first, areas before clusters and the county, and never a
pooled cell whose parts are all shown (it can be worked out from them: hiding it protects
nothing), until the audit of each window passes (as desktop.core.disclosure.protect does).
A hidden pooled count keeps the threshold's width, or the widths its hidden periods keep added
up when that is less: it can be no wider than its hidden parts together.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from desktop.core.disclosure.audit import Audit, audit_many
from desktop.core.disclosure.certify import certified_ranges
from desktop.core.disclosure.flows import flow_moves_many
from desktop.core.disclosure.protect import next_cells
from desktop.core.disclosure.publication import Publication, PublicationBuilder
from desktop.core.disclosure.rule import is_protected
from desktop.core.model import Bundle, Indicator
from desktop.core.stats.published import Codes, add_table, is_counted
from desktop.core.stats.table import Statistics
from desktop.core.tasks import Task

AGGREGATE_COST = 1e9  # clusters and the county are hidden after every area


@dataclass(frozen=True, eq=False)
class WindowTables:
    """One indicator's window and its single periods as one Publication: `cells[view, code]`
    (-1: no such cell), its views being the periods, then the window; codes as
    published.Codes numbers them."""

    indicator_id: str
    label: str
    publication: Publication
    cells: np.ndarray
    n_areas: int

    @property
    def pooled(self) -> np.ndarray:
        """The pooled view's cell of each code (-1: none)."""
        return self.cells[-1]

    def eligible(self) -> np.ndarray:
        """Cells that hiding would protect: the pooled cells with a hidden part."""
        single = self.cells[:-1]
        hidden_part = ((single >= 0) & self.publication.hidden[np.maximum(single, 0)]).any(0)
        out = np.zeros(self.publication.n_cells, bool)
        out[self.pooled[hidden_part & (self.pooled >= 0)]] = True
        return out

    def pooled_hidden(self, hidden: np.ndarray) -> np.ndarray:
        """Which codes of the pooled view `hidden` (over the publication's cells) hides."""
        return (self.pooled >= 0) & hidden[np.maximum(self.pooled, 0)]


def window_tables(bundle: Bundle, single: Statistics, pooled: Statistics,
                  indicator: Indicator, label: str, periods: Sequence[str],
                  codes: Codes | None = None) -> WindowTables:
    """The Publication of one counted indicator's pooled window `label` (in `pooled`) linked
    with its single `periods` (in `single`); see the module's docstring."""
    codes = codes or Codes.of(bundle)
    threshold = bundle.manifest.threshold_for(indicator)
    builder = PublicationBuilder()
    rows = []
    for stats, period in [(single, period) for period in periods] + [(pooled, label)]:
        builder.table(f"{indicator.title} ({indicator.id}), {period}")
        rows.append(add_table(builder, codes, stats, indicator, period, threshold))
    cells = np.stack(rows)
    # each pooled area and the pooled county: the sum of its periods' cells
    linked = np.r_[np.arange(codes.n_areas), codes.n - 1]
    linked = linked[cells[-1, linked] >= 0]
    parts = cells[:-1, linked]
    part_of = np.broadcast_to(np.arange(linked.size), parts.shape)
    builder.add_sums(cells[-1, linked], parts[parts >= 0], part_of[parts >= 0])
    publication = builder.build()
    # a pooled count is no wider than its hidden parts together: where they may keep less
    # than the threshold (their own denominators), it keeps the sum of what they keep
    hidden_part = (cells[:-1] >= 0) & publication.hidden[np.maximum(cells[:-1], 0)]
    allowed = np.where(hidden_part, publication.protect[np.maximum(cells[:-1], 0)], 0).sum(0)
    pooled = cells[-1] >= 0
    protect = publication.protect.copy()
    protect[cells[-1, pooled]] = np.minimum(protect[cells[-1, pooled]], allowed[pooled])
    return WindowTables(indicator.id, label, dataclasses.replace(publication, protect=protect),
                        cells, codes.n_areas)


def published_windows(bundle: Bundle, single: Statistics, pooled: Statistics,
                      windows: Mapping[str, Mapping[str, Sequence[str]]]
                      ) -> list[WindowTables]:
    """Every window of two periods or more of every counted indicator (`windows`: indicator ->
    label -> periods, stats.pooling.Windows), linked with its periods."""
    codes = Codes.of(bundle)
    return [window_tables(bundle, single, pooled, ind, label, periods, codes)
            for ind in bundle.manifest.indicators if is_counted(ind)
            for label, periods in windows.get(ind.id, {}).items() if len(periods) > 1]


def audit_windows(tables: Sequence[WindowTables], task: Task | None = None) -> list[Audit]:
    """The width audit of each window with its periods: moves from flows first, the solver
    for the cells they leave short."""
    task = task or Task()
    publications = [t.publication for t in tables]
    moves = flow_moves_many(publications, task=task.part(0.0, 0.8))
    return audit_many(publications, task=task.part(0.8, 1.0), moves=moves)


def protect_windows(tables: Sequence[WindowTables], task: Task | None = None
                    ) -> dict[tuple[str, str], np.ndarray]:
    """For each window the flows do not prove protected, the pooled codes to hide (those
    hidden already and those hidden besides) so that they do, by (indicator, label).

    As protect.protect does, but for every window at once and with the flows alone: in these
    tables they are exact (disclosure.flows), so a cell they leave short is narrowed, and the
    solver would only say so again. Hiding a cell only widens the others' ranges, so a cell
    proven once stays proven and each round looks again only at the cells still short, with
    the moves found before."""
    task = task or Task()
    publications = [t.publication for t in tables]
    ranges = [certified_ranges(p, m) for p, m in
              zip(publications, flow_moves_many(publications, task=task.part(0.0, 0.9)))]
    short = [_short(p, *r) for p, r in zip(publications, ranges)]
    pending = [i for i, cells in enumerate(short) if cells.size]
    hidden = {i: publications[i].hidden.copy() for i in pending}
    eligible = {i: tables[i].eligible() for i in pending}
    while pending:
        task.report(0.9, f"Protecting the pooled periods of {len(pending):,} tables")
        for i in pending:
            chosen = next_cells(publications[i], _proven(publications[i], short[i]),
                                _cost(tables[i]), eligible[i])
            hidden[i][chosen] = True
            publications[i] = dataclasses.replace(publications[i], hidden=hidden[i])
            if chosen.size == 0:
                short[i] = chosen  # nothing left to hide: the audit will say so
        pending = [i for i in pending if short[i].size]
        # a move stays a move when more cells are hidden, so each cell keeps the reach found
        # before and the flows look again only at the cells still short and those new hidden
        found = flow_moves_many([publications[i] for i in pending],
                                [np.union1d(short[i], _unproven(publications[i], *ranges[i]))
                                 for i in pending])
        for i, more in zip(pending, found):
            low, high = certified_ranges(publications[i], more)
            ranges[i] = (np.fmin(ranges[i][0], low), np.fmax(ranges[i][1], high))
            short[i] = _short(publications[i], *ranges[i])
        pending = [i for i in pending if short[i].size]
    return {(tables[i].indicator_id, tables[i].label): tables[i].pooled_hidden(h)
            for i, h in hidden.items()}


def _short(publication: Publication, low: np.ndarray, high: np.ndarray) -> np.ndarray:
    """The hidden cells whose ranges `low`, `high` (over all cells) are not wide enough."""
    cells = np.flatnonzero(publication.hidden)
    return cells[~is_protected(low[cells], high[cells], publication.protect[cells])]


def _unproven(publication: Publication, low: np.ndarray, high: np.ndarray) -> np.ndarray:
    """Hidden cells no move has reached yet (hidden since)."""
    return np.flatnonzero(publication.hidden & np.isnan(low))


def _proven(publication: Publication, short: np.ndarray) -> Audit:
    """An audit that says what the moves proved: every hidden cell but the `short` ones."""
    cells = np.flatnonzero(publication.hidden)
    unknown = np.full(cells.size, np.nan)
    return Audit(publication, cells, unknown, unknown, np.zeros(cells.size, bool),
                 ~np.isin(cells, short))


def _cost(tables: WindowTables) -> np.ndarray:
    """What hiding each cell costs: its count, areas before clusters and the county."""
    pub = tables.publication
    aggregate = np.zeros(pub.n_cells, bool)
    above = tables.pooled[tables.n_areas:]
    aggregate[above[above >= 0]] = True
    return np.nan_to_num(pub.value) + AGGREGATE_COST * aggregate
