"""What suppression decided for a bundle, saved to compare two versions of the code: a change
that only makes the statistics faster must leave every mask and number as it was.

    python bench/suppression_masks.py dump SCALE OUT.npz [--pool N]
    python bench/suppression_masks.py compare A.npz B.npz

SCALE is county or england (bench/out) or demo (data/worcestershire-demo.atlas). `dump` saves,
for every indicator-period, which areas, clusters and the county are suppressed, and every
column of the cluster and county rows (numbers, intervals, significance); with --pool N the
same for periods pooled in windows of N (linked suppression). Run `dump` with PYTHONPATH set to
each checkout in turn (the code measured is the one on the path, not this file's), then
`compare`: it prints "identical" or the arrays that differ.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
DEMO = (ROOT / "data" / "worcestershire-demo.atlas", "orchard-lantern-42")


def masks(stats, prefix: str) -> dict[str, np.ndarray]:
    """Every indicator-period's suppressed cells (areas, clusters, county) in one array, and
    the aggregate table's columns."""
    from desktop.core.model import STAT_COLUMNS

    flags = [stats.suppressed(ind, period) for ind in stats.aggregate_table["indicator_id"]
             .unique() for period in stats.periods(ind)]
    out = {f"{prefix}cells_suppressed": np.concatenate(flags)}
    table = stats.aggregate_table
    for column in STAT_COLUMNS:
        values = table[column].to_numpy()
        out[f"{prefix}{column}"] = (values.astype(float) if values.dtype.kind in "fiub"
                                    else values.astype(str))
    return out


def dump(scale: str, out: Path, pool: int | None) -> None:
    from desktop.core.bundle.encrypted import read_bundle
    from desktop.core.stats.aggregate import compute_statistics

    if scale == "demo":
        path, passphrase = DEMO
    else:
        from bench.generate import BENCH_PASSPHRASE, bundle_path

        path, passphrase = bundle_path(scale), BENCH_PASSPHRASE
    bundle = read_bundle(path, passphrase)
    stats = compute_statistics(bundle)
    arrays = masks(stats, "")
    if pool:
        from desktop.core.stats.pooling import pool_periods

        arrays |= masks(pool_periods(bundle, stats, pool).statistics, "pooled_")
    np.savez_compressed(out, **arrays)
    print(f"{scale}: {arrays['cells_suppressed'].size:,} cells, "
          f"{int(arrays['cells_suppressed'].sum()):,} suppressed"
          + (f"; pooled {int(arrays['pooled_cells_suppressed'].sum()):,} of "
             f"{arrays['pooled_cells_suppressed'].size:,}" if pool else ""))


def compare(a: Path, b: Path) -> bool:
    first, second = np.load(a), np.load(b)
    differ = sorted(set(first.files) ^ set(second.files)) + [
        name for name in sorted(set(first.files) & set(second.files))
        if not np.array_equal(first[name], second[name],
                              equal_nan=first[name].dtype.kind == "f")]
    print(f"{a} against {b}: " + (f"DIFFER in {', '.join(differ)}" if differ else
                                  f"identical ({len(first.files)} arrays, "
                                  f"{first['cells_suppressed'].size:,} cells)"))
    return not differ


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    d = commands.add_parser("dump")
    d.add_argument("scale", choices=("county", "england", "demo"))
    d.add_argument("out", type=Path)
    d.add_argument("--pool", type=int)
    c = commands.add_parser("compare")
    c.add_argument("a", type=Path)
    c.add_argument("b", type=Path)
    args = parser.parse_args(argv)
    if args.command == "dump":
        dump(args.scale, args.out, args.pool)
        return 0
    return 0 if compare(args.a, args.b) else 1


if __name__ == "__main__":
    raise SystemExit(main())
