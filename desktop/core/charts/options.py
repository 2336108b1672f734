"""What a chart needs besides the indicator, period and cluster: the scatter's second indicator
and level, and the context that finds similar clusters. One frozen value, so the screen, the
command line and the Word profile ask for a chart the same way."""

from __future__ import annotations

from dataclasses import dataclass

from desktop.core.model import MAP_AREAS, MAP_CLUSTERS
from desktop.core.stats.inequality import SinglePeriods
from desktop.core.stats.neighbours import NeighbourSpec

SCATTER_LEVELS = (MAP_CLUSTERS, MAP_AREAS)


@dataclass(frozen=True)
class ChartOptions:
    """versus: the scatter's second indicator (None: the bundle's deprivation indicator, or the
    first other indicator); scatter_level: plot clusters or small areas; neighbours: the
    similar-clusters context (None: the bundle's setting); single: for pooled statistics,
    the single periods they were pooled from (the inequalities chart's suppression reads
    them)."""

    versus: str | None = None
    scatter_level: str = MAP_CLUSTERS
    neighbours: NeighbourSpec | None = None
    single: SinglePeriods | None = None

    def __post_init__(self) -> None:
        if self.scatter_level not in SCATTER_LEVELS:
            raise ValueError(f"scatter_level must be one of {SCATTER_LEVELS}")


DEFAULT_OPTIONS = ChartOptions()
