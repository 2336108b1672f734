"""Small timing helpers shared by the benchmark workers."""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from pathlib import Path

DEMO = Path(__file__).resolve().parent.parent / "data" / "worcestershire-demo.atlas"
DEMO_PASSPHRASE = "orchard-lantern-42"


def bundle_arguments(description: str, argv: list[str] | None) -> argparse.Namespace:
    """A benchmark's command line: BUNDLE (the demo by default), --passphrase and --runs."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("bundle", nargs="?", type=Path, default=DEMO)
    parser.add_argument("--passphrase", default=DEMO_PASSPHRASE)
    parser.add_argument("--runs", type=int, default=3)
    return parser.parse_args(argv)


def summary(samples: list[float]) -> dict[str, float]:
    """Median, min and max in seconds, and how many runs they summarise."""
    return {"median": statistics.median(samples), "min": min(samples), "max": max(samples),
            "runs": len(samples)}


def spread(samples: list[float]) -> str:
    """"median 1.23 s (min 1.20, max 1.31)"."""
    s = summary(samples)
    return f"median {s['median']:.2f} s (min {s['min']:.2f}, max {s['max']:.2f})"


def repeat(run: Callable[[int], object], times: int) -> dict[str, float]:
    """Time `run(i)` for i in 0..times-1."""
    samples = []
    for i in range(times):
        start = time.perf_counter()
        run(i)
        samples.append(time.perf_counter() - start)
    return summary(samples)


def own_memory_mb() -> dict[str, float]:
    """This process's resident memory now (VmRSS) and its high-water mark (VmHWM), in MB,
    from /proc/self/status: unlike ru_maxrss from wait4, neither counts a child process (the
    key derivation runs in one) nor a parent's peak inherited through fork."""
    fields = {}
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            name, _, rest = line.partition(":")
            if name in ("VmRSS", "VmHWM"):
                fields[name] = int(rest.split()[0]) / 1024  # kB
    return {"rss_mb": fields["VmRSS"], "hwm_mb": fields["VmHWM"]}
