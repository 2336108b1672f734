"""What changed for a cluster between two periods, and whether it is closing the gap with the
county ("narrowing the gap", as outcomes-based accountability asks of each measure).

changes_between lists the indicators whose significance against the county differs between
two periods; gap_change compares the cluster-county gap in the first and last shown periods.
Suppressed values are NaN in the statistics, so no change is ever computed from a hidden value.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from desktop.core.format import format_value
from desktop.core.model import COUNTY, Bundle, Indicator
from desktop.core.stats.aggregate import Statistics

CHANGE_COLUMNS = ("indicator_id", "theme", "title", "period_a", "period_b", "significance_a",
                  "significance_b", "value_a", "value_b", "suppressed_a", "suppressed_b")


def changes_between(bundle: Bundle, stats: Statistics, cluster: str, period_a: str,
                    period_b: str) -> pd.DataFrame:
    """Indicators having both periods whose significance against the county changed from
    period_a to period_b (columns CHANGE_COLUMNS, in the bundle's indicator order)."""
    rows = []
    for ind in bundle.manifest.indicators:
        periods = stats.periods(ind.id)
        if period_a not in periods or period_b not in periods:
            continue
        a = stats.cluster_values(ind.id, period_a).loc[cluster]
        b = stats.cluster_values(ind.id, period_b).loc[cluster]
        if str(a["significance"]) == str(b["significance"]):
            continue
        rows.append((ind.id, ind.theme, ind.title, period_a, period_b, str(a["significance"]),
                     str(b["significance"]), float(a["value"]), float(b["value"]),
                     bool(a["suppressed"]), bool(b["suppressed"])))
    return pd.DataFrame(rows, columns=list(CHANGE_COLUMNS))


def common_periods(bundle: Bundle, stats: Statistics) -> tuple[str, ...]:
    """Every period that some indicator has, oldest first (choices for "Changes since")."""
    return tuple(dict.fromkeys(p for ind in bundle.manifest.indicators
                               for p in stats.periods(ind.id)))


@dataclass(frozen=True)
class GapChange:
    """The absolute cluster-county gap in the first and last periods where both are known."""

    first_period: str
    last_period: str
    first_gap: float
    last_gap: float

    @property
    def word(self) -> str:
        if math.isclose(self.first_gap, self.last_gap, rel_tol=1e-9, abs_tol=1e-12):
            return "did not change"
        return "narrowed" if self.last_gap < self.first_gap else "widened"

    def note(self, indicator: Indicator) -> str:
        def fmt(v: float) -> str:
            return format_value(v, indicator.value_type)

        if self.word == "did not change":
            return (f"Gap with the county did not change between {self.first_period} and "
                    f"{self.last_period} ({fmt(self.first_gap)}).")
        return (f"Gap with the county {self.word} from {fmt(self.first_gap)} in "
                f"{self.first_period} to {fmt(self.last_gap)} in {self.last_period}.")


def gap_change(series_cluster: pd.DataFrame, series_county: pd.DataFrame) -> GapChange | None:
    """Gap between cluster and county values (Statistics.series frames indexed by period, in
    chronological order) in the first and last periods where both are shown; None when fewer
    than two such periods exist. The gap is a difference in the indicator's own units."""
    cluster = series_cluster["value"].astype(float)
    if "suppressed" in series_cluster:
        cluster = cluster.where(~series_cluster["suppressed"].astype(bool))
    county = series_county["value"].astype(float).reindex(cluster.index)
    gap = (cluster - county).abs()
    known = gap[np.isfinite(gap.to_numpy())]
    if len(known) < 2:
        return None
    return GapChange(str(known.index[0]), str(known.index[-1]), float(known.iloc[0]),
                     float(known.iloc[-1]))


def county_series(stats: Statistics, indicator_id: str) -> pd.DataFrame:
    """The county's series of an indicator (for gap_change)."""
    return stats.series(indicator_id, COUNTY, "county")
