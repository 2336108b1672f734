"""An attacker holding the single-period and pooled tables together, by plain linear algebra.

Independent of desktop.core.stats.linked (which reasons on a graph): every sum the two tables
publish is written out as an equation over the hidden counts, with the shown counts moved to
the other side; a hidden count is determined when every solution of the equations gives it
the same value, that is when the null space of the system is zero on its column.
"""

from __future__ import annotations

import numpy as np
import scipy.linalg

from desktop.core.model import COUNTY, ValueType
from tests.core.helpers_bundle import AREAS, indicator, make_bundle


def determined_cells(bundle, single, pooled, indicator_id: str) -> list[tuple]:
    """(view, level, code) of every hidden count that the published sums determine, over all
    windows of one indicator."""
    clusters = list(bundle.cluster_names)
    cluster_of = dict(zip(bundle.areas["area_code"], bundle.areas["cluster"]))
    areas = list(bundle.areas["area_code"])
    found = []
    for label, periods in pooled.windows[indicator_id].items():
        views = [(p, single) for p in periods] + [(label, pooled.statistics)]
        cells = {}  # (view, level, code) -> hidden?
        for view, stats in views:
            member = stats.area_inputs(indicator_id, view)["member"]
            hidden = stats.area_values(indicator_id, view)["suppressed"].to_numpy()
            cells.update({(view, "area", a): bool(h)
                          for a, m, h in zip(areas, member, hidden) if m})
            table = stats.cluster_values(indicator_id, view)
            cells.update({(view, "sum", c): bool(table.at[c, "suppressed"])
                          for c in table.index if not np.isnan(table.at[c, "denominator"])
                          or table.at[c, "suppressed"] or not np.isnan(table.at[c, "numerator"])})
        hidden = [c for c, h in cells.items() if h]
        if not hidden:
            continue
        column = {c: k for k, c in enumerate(hidden)}
        rows = []

        def equation(total, parts):
            if total not in cells:
                return
            row = np.zeros(len(hidden))
            for sign, cell in [(1.0, total)] + [(-1.0, p) for p in parts if p in cells]:
                if cell in column:
                    row[column[cell]] += sign
            rows.append(row)

        for view, _ in views:
            for c in clusters:
                equation((view, "sum", c),
                         [(view, "area", a) for a in areas if cluster_of[a] == c])
            equation((view, "sum", COUNTY),
                     [(view, "sum", c) for c in clusters]
                     + [(view, "area", a) for a in areas if not isinstance(cluster_of[a], str)])
        for level, code in [("area", a) for a in areas] + [("sum", c) for c in
                                                            [*clusters, COUNTY]]:
            equation((label, level, code), [(p, level, code) for p in periods])
        null = scipy.linalg.null_space(np.array(rows))
        pinned = (np.abs(null).max(axis=1) < 1e-9 if null.size
                  else np.ones(len(hidden), bool))
        found += [cell for cell, k in column.items() if pinned[k]]
    return found


def random_bundle(seed: int):
    """Three counted indicators over six years of the helpers' nine areas, small counts
    (many hidden) drawn from `seed`, a threshold from 3 to 5."""
    rng = np.random.default_rng(seed)
    periods = ("2019", "2020", "2021", "2022", "2023", "2024")
    kinds = (ValueType.PROPORTION, ValueType.RATE, ValueType.COUNT)
    indicators = [indicator(f"i{k}", kinds[k % 3], periods=periods) for k in range(3)]
    rows = [(ind.id, code, year, float(rng.choice([0, 1, 2, 3, 4, 6, 9, 15])),
             40.0 + rng.integers(0, 40), np.nan)
            for ind in indicators for year in periods for code, _, _ in AREAS
            if rng.random() > 0.05]
    return make_bundle(indicators, rows, threshold=int(rng.integers(3, 6)))
