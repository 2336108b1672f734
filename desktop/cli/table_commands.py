"""`cluster-atlas export-table`: the statistics as a CSV or XLSX table for Excel, R or pandas.

One row per cluster (and the county), indicator and period, with snake_case columns
(desktop.core.report.data_table). Put together with the other commands by
desktop/cli/main.py.
"""

from __future__ import annotations

import argparse

from desktop.cli.common import (
    EXIT_OK,
    add_cluster_choice,
    add_pool_option,
    check_cluster,
    check_suffix,
    open_statistics,
    passphrase_note,
    pooled_periods,
)

TABLE_FORMATS = (".csv", ".xlsx")


def _run_export_table(args: argparse.Namespace) -> int:
    from desktop.core.report.data_table import data_table, export_data_table, table_notes

    check_suffix(args.output, TABLE_FORMATS)
    bundle, stats = open_statistics(args)
    check_cluster(bundle, args.cluster)
    pooled = pooled_periods(bundle, stats, args.pool)
    if pooled is not None:  # pooled periods, judged as the single periods were
        bundle, stats = pooled.bundle, pooled.statistics.with_comparison(stats.comparison)
    clusters = None if args.all_clusters else [args.cluster]
    table = data_table(bundle, stats, clusters, args.all_periods, args.basis)
    export_data_table(table, args.output, table_notes(bundle, stats))
    print(f"Wrote {args.output}: {len(table)} rows.")
    return EXIT_OK


def add_export_table(commands: argparse._SubParsersAction) -> None:
    p = commands.add_parser(
        "export-table", help="write the statistics as a CSV or XLSX table",
        description="Write the statistics of one cluster or of every cluster, with the county, "
        "as a table for Excel, R or pandas: one row per cluster, indicator and period "
        "(columns level, cluster, indicator_id, indicator, theme, value_type, period, count, "
        "denominator, value, lower_95, upper_95, lower_99_8, upper_99_8, significance, trend, "
        "trend_method, note). Suppressed numbers are left empty with the marker in note. "
        + passphrase_note())
    add_cluster_choice(p, "one cluster (and the county)", "every cluster (and the county)")
    p.add_argument("--all-periods", action="store_true",
                   help="every period, oldest first (default: each indicator's latest)")
    p.add_argument("-o", "--output", required=True, metavar="OUT.csv|xlsx",
                   help="the file to write: CSV (UTF-8, the table alone) or XLSX (a Data and "
                   "a Notes sheet)")
    add_pool_option(p)
    p.set_defaults(run=_run_export_table)


TABLE_COMMANDS = [add_export_table]
