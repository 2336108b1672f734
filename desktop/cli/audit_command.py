"""`cluster-atlas audit`: attack everything a bundle's exports would publish, and say whether
any suppressed count can be worked out, in words an information-governance officer can file.

Exit status 0 when every suppressed count is protected, 1 when an attacker could pin or narrow
one (or one could not be checked), 2 for a problem with the bundle or passphrase.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import textwrap
from pathlib import Path

from desktop import APP_NAME, __version__
from desktop.cli.common import EXIT_OK, PASSPHRASE_ENV, open_bundle, progress_task

EXIT_DISCLOSIVE = 1
SHOWN = 20  # failures listed in the text report


def _run_audit(args: argparse.Namespace) -> int:
    from desktop.core.stats.aggregate import compute_statistics
    from desktop.core.stats.bundle_audit import audit_bundle

    bundle = open_bundle(args.bundle)
    task = progress_task()
    try:
        result = audit_bundle(bundle, compute_statistics(bundle), task)
    finally:
        sys.stderr.write("\n")
    if args.json:
        print(json.dumps({"bundle": Path(args.bundle).name, "title": bundle.manifest.title,
                          "audited": _now(), "producer": f"{APP_NAME} {__version__}",
                          **result.as_dict()}, ensure_ascii=False))
    else:
        print(report(Path(args.bundle).name, bundle.manifest.title,
                     len(bundle.cluster_names), result))
    return EXIT_OK if result.passed else EXIT_DISCLOSIVE


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def _para(text: str) -> list[str]:
    return textwrap.wrap(text, 88, initial_indent="  ", subsequent_indent="  ")


def report(name: str, title: str, n_clusters: int, result) -> str:
    """The audit as a plain-text report."""
    limits = ", ".join(str(t) for t in result.thresholds) or "none"
    lines = [f"Disclosure audit of {name} ({title})",
             f"Run {_now()} with {APP_NAME} {__version__}.", "", "What was assumed"]
    lines += _para(
        "The attacker holds every export of this bundle: the profiles of all "
        f"{n_clusters} clusters on both bases (Word, CSV, XLSX, clipboard), every school "
        "brief, every chart and "
        "map with its table, for every period, and the screen's hover texts; and knows that "
        "areas add up to clusters, clusters (with areas in no cluster) to the county, a pooled "
        "count to the sum of its periods' counts, and the "
        "rows and columns of the cross-border tables to their totals. Printed percentages are "
        "taken to within their rounding. Counts are whole numbers, 0 or more, and a "
        "proportion's count is at most its printed denominator.")
    lines += ["", "What was checked"]
    lines += _para(
        f"{result.indicator_tables:,} indicator tables (each counted indicator in each period: "
        f"its areas, clusters and county), {result.flow_tables:,} cross-border tables "
        "(each period: every cluster's inflow and outflow table and the county sentence) and "
        f"{result.school_tables:,} schools' tables of where their pupils live (the latest "
        "period: each home area's count, the total and the share outside the cluster; a "
        "school's own profile prints only figures these tables publish); and the published "
        f"pooling, {result.pooling} periods combined: {result.pooled_tables:,} pooled tables, "
        "each attacked together with the single periods it sums (every pooled count the "
        "sum of its periods' counts), which checks the single periods' hidden counts again "
        f"beside {result.pooled_suppressed:,} hidden pooled counts. "
        f"Disclosure threshold(s): {limits}. For each of the {result.suppressed:,} suppressed "
        "cells the smallest and largest value consistent with everything published was "
        "found, by linear programming (HiGHS) or, where moving hidden counts round cycles "
        "of them (found as cycles or as maximum flows) shows the range wide enough, by such "
        "moves. A cell is "
        "protected when that range is at least as wide as its threshold, or as its own "
        "denominator allows.")
    lines += ["", "Result",
              f"  Suppressed cells checked:                  {result.suppressed:,}",
              f"    of which pooled ({result.pooling} periods combined):"
              .ljust(45) + f"{result.pooled_suppressed:,}",
              f"  Cells an attacker could pin exactly:       {result.pinned:,}",
              f"  Cells narrowed below the protection:       {result.narrowed:,}"]
    if result.unchecked:
        lines.append(f"  Cells the solver could not check:          {result.unchecked:,}")
    lines.append("")
    if result.passed:
        lines += _para("PASS: no suppressed count can be worked out, or narrowed below the "
                       "protection asked for, from what this bundle publishes.")
    else:
        lines += _para("FAIL: the cells below can be worked out or narrowed too far. Do not "
                       "publish exports of this bundle until this is resolved; report it to "
                       "the Cluster Atlas maintainers.")
        for failure in result.failures[:SHOWN]:
            high = "no limit" if failure.high == float("inf") else f"{failure.high:g}"
            state = (f"{failure.low:g} to {high} (needs a range of {failure.required:g})"
                     if failure.checked else "not checked: no answer from the solver")
            lines.append(f"  - {failure.cell}: {state}")
        if len(result.failures) > SHOWN:
            lines.append(f"  ... and {len(result.failures) - SHOWN:,} more (see --json).")
    lines += ["", f"Took {result.seconds:.1f} s."]
    return "\n".join(lines)


def add_audit(commands: argparse._SubParsersAction) -> None:
    p = commands.add_parser(
        "audit", help="check that no suppressed count can be worked out from the exports",
        description="Attack everything the exports of a bundle would publish (every cluster, "
        "basis and period) and report whether any suppressed count can be pinned or narrowed "
        "below the protection asked for (docs/disclosure.md). Exit status 0: all protected; "
        "1: some cell is not. The passphrase is read from "
        f"{PASSPHRASE_ENV} or asked for.")
    p.add_argument("bundle", metavar="BUNDLE", help="the .atlas bundle file")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(run=_run_audit)


AUDIT_COMMANDS = [add_audit]
