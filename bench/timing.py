"""Small timing helpers shared by the benchmark workers."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable


def summary(samples: list[float]) -> dict[str, float]:
    """Median, min and max in seconds, and how many runs they summarise."""
    return {"median": statistics.median(samples), "min": min(samples), "max": max(samples),
            "runs": len(samples)}


def repeat(run: Callable[[int], object], times: int) -> dict[str, float]:
    """Time `run(i)` for i in 0..times-1."""
    samples = []
    for i in range(times):
        start = time.perf_counter()
        run(i)
        samples.append(time.perf_counter() - start)
    return summary(samples)
