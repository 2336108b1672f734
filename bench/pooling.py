"""How long pooling the published 3 periods takes, with and without the width rule's audit of
each window beside its periods: `python bench/pooling.py [BUNDLE] [--runs N]` (default: the
demo bundle). Pooling runs off the window's thread when the officer pools; the goal is a few
seconds for the demo bundle. The figures are printed with the load average, never asserted.

"before": stats.pooling with the width step left out (exact recovery prevented only, as before
issue 16's audit); "pool": the whole of pool_periods; "audit": audit_windows on its result,
as `cluster-atlas audit` runs it (moves from flows, the solver for any cell they leave short).
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.timing import bundle_arguments, spread, summary  # noqa: E402


def run(bundle, stats) -> dict[str, float]:
    from desktop.core.stats import pooling
    from desktop.core.stats.pooled_disclosure import audit_windows, published_windows

    protect = pooling.protect_windows
    pooling.protect_windows = lambda tables, task=None: {}
    start = time.perf_counter()
    try:
        pooling.pool_periods(bundle, stats, pooling.PUBLISHED_POOL)
    finally:
        pooling.protect_windows = protect
    before = time.perf_counter()
    pooled = pooling.pool_periods(bundle, stats, pooling.PUBLISHED_POOL)
    pooled_at = time.perf_counter()
    windows = published_windows(bundle, stats, pooled.statistics, pooled.windows)
    results = audit_windows(windows)
    done = time.perf_counter()
    failing = sum(int((~r.protected).sum()) for r in results)
    if failing:
        raise SystemExit(f"the pooled audit failed: {failing} cells narrowed")
    return {"before": before - start, "pool": pooled_at - before, "audit": done - pooled_at,
            "windows": len(windows), "cells": sum(r.cells.size for r in results),
            "solved": sum(int(r.solved.sum()) for r in results)}


def main(argv: list[str] | None = None) -> int:
    from desktop.core.bundle.encrypted import read_bundle
    from desktop.core.stats.aggregate import compute_statistics

    args = bundle_arguments(__doc__.splitlines()[0], argv)
    bundle = read_bundle(args.bundle, args.passphrase)
    stats = compute_statistics(bundle)
    runs = []
    for _ in range(args.runs):
        load = os.getloadavg()[0]
        runs.append({**run(bundle, stats), "load": (load + os.getloadavg()[0]) / 2})
    first = runs[0]
    print(f"{args.bundle.name}: {first['windows']} pooled windows with their periods, "
          f"{first['cells']:,} hidden cells, {first['solved']} left to the solver; "
          f"{args.runs} runs, load average {summary([r['load'] for r in runs])['median']:.1f} "
          f"on {os.cpu_count()} cores")
    for key, label in (("before", "pooling without the width rule"),
                       ("pool", "pooling with the width rule (audit and protection)"),
                       ("audit", "audit of the pooled windows")):
        median = summary([r[key] for r in runs])["median"]
        print(f"  {label}: {spread([r[key] for r in runs])}; "
              f"{1000 * median / first['windows']:.0f} ms a window")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
