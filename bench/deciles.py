"""How long the suppression of the counts by IMD decile takes, indicator by indicator:
`python bench/deciles.py [BUNDLE]` (default: the demo bundle). Each counted indicator's latest
period is suppressed as the inequalities chart does the first time it is drawn (areas,
clusters, county and every decile count, audited until the protection rule holds:
desktop.core.stats.decile_disclosure). The window does it off the GUI thread; the goal is
under 5 s for every indicator of the demo bundle on the benchmark machine, so that the chart
follows a change of indicator within seconds. The figures are printed, never asserted by a test.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.timing import summary

DEMO = ROOT / "data" / "worcestershire-demo.atlas"
DEMO_PASSPHRASE = "orchard-lantern-42"
GOAL_SECONDS = 5.0


def main(argv: list[str] | None = None) -> int:
    import numpy as np

    from desktop.core.bundle.encrypted import read_bundle
    from desktop.core.stats.aggregate import compute_statistics
    from desktop.core.stats.decile_disclosure import hide_decile_counts
    from desktop.core.stats.inequality import NO_DECILE, area_deciles, decile_publication
    from desktop.core.stats.published import is_counted

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("bundle", nargs="?", type=Path, default=DEMO)
    parser.add_argument("--passphrase", default=DEMO_PASSPHRASE)
    args = parser.parse_args(argv)
    bundle = read_bundle(args.bundle, args.passphrase)
    stats = compute_statistics(bundle)
    decile = area_deciles(bundle)
    column = np.where(np.isnan(decile), NO_DECILE, decile - 1).astype(np.int64)
    seconds = {}
    for indicator in bundle.manifest.indicators:
        period = indicator.latest_period
        if not is_counted(indicator) or period not in stats.periods(indicator.id):
            continue
        start = time.perf_counter()
        publication, cells = decile_publication(bundle, stats, indicator, period, column)
        hide_decile_counts(publication, cells)
        seconds[indicator.id] = time.perf_counter() - start
    if not seconds:
        print(f"{args.bundle.name}: no counted indicator")
        return 0
    s = summary(list(seconds.values()))
    slowest = max(seconds, key=seconds.get)
    verdict = "met" if s["max"] < GOAL_SECONDS else "NOT met"
    print(f"{args.bundle.name}: {len(seconds)} counted indicators, latest periods")
    print(f"  decile counts suppressed and audited: median {s['median']:.2f} s, max "
          f"{s['max']:.2f} s ({slowest}); goal every one under {GOAL_SECONDS:.0f} s: {verdict}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
