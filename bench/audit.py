"""How long the disclosure audit of a bundle's full export set takes: `python bench/audit.py
[BUNDLE] [--runs N]` (default: the demo bundle). The goal is under 30 s for the demo bundle
on the benchmark machine; the figure is printed, never asserted by a test.

Each run opens the bundle (key derivation excluded: it is timed alone and reported apart),
computes the statistics and the cross-border suppression as the window does on opening, then
audits everything the exports would publish (desktop.core.stats.bundle_audit), as
`cluster-atlas audit` does.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.core_tasks import key_derivation  # noqa: E402
from bench.timing import bundle_arguments, spread, summary  # noqa: E402

GOAL_SECONDS = 30.0


def run(path: Path, passphrase: str) -> dict[str, float]:
    from desktop.core.bundle.encrypted import read_bundle
    from desktop.core.stats.aggregate import compute_statistics
    from desktop.core.stats.bundle_audit import audit_bundle
    from desktop.core.stats.crossborder import flow_matrices

    kdf = key_derivation(path.read_bytes(), passphrase)
    start = time.perf_counter()
    bundle = read_bundle(path, passphrase)
    opened = time.perf_counter()
    stats = compute_statistics(bundle)
    flow_matrices(bundle)
    derived = time.perf_counter()
    result = audit_bundle(bundle, stats)
    done = time.perf_counter()
    if not result.passed:
        raise SystemExit(f"the audit failed: {result.narrowed} cells narrowed")
    return {"kdf": kdf, "read": max(0.0, opened - start - kdf), "derive": derived - opened,
            "audit": done - derived, "cells": result.suppressed,
            "tables": result.indicator_tables + result.flow_tables}


def main(argv: list[str] | None = None) -> int:
    args = bundle_arguments(__doc__.splitlines()[0], argv)
    runs = [run(args.bundle, args.passphrase) for _ in range(args.runs)]
    audit = summary([r["audit"] for r in runs])
    print(f"{args.bundle.name}: {runs[0]['tables']} tables, {runs[0]['cells']:,} suppressed "
          f"cells, {args.runs} runs")
    for key, label in (("read", "decrypt and parse (beyond key derivation)"),
                       ("derive", "statistics and cross-border suppression"),
                       ("audit", "audit of the full export set")):
        print(f"  {label}: {spread([r[key] for r in runs])}")
    total = summary([r["read"] + r["derive"] + r["audit"] for r in runs])
    verdict = "met" if total["median"] < GOAL_SECONDS else "NOT met"
    print(f"  open and audit, beyond key derivation: median {total['median']:.2f} s "
          f"(goal under {GOAL_SECONDS:.0f} s: {verdict}); the audit alone "
          f"{audit['median']:.2f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
