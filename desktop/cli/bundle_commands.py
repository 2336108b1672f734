"""`cluster-atlas pack` and `inspect`: build a bundle from an input folder, show what one holds."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable

from typing import TYPE_CHECKING

from desktop.cli.common import (
    EXIT_OK,
    PASSPHRASE_ENV,
    passphrase_for_reading,
    passphrase_for_writing,
    progress_task,
)
from desktop.core.model import Bundle

if TYPE_CHECKING:
    from desktop.core.bundle.summary import BundleSummary


def _run_pack(args: argparse.Namespace) -> int:
    from desktop.core.pack.build import pack

    passphrase = passphrase_for_writing(args.output)
    try:
        bundle = pack(args.input_dir, args.output, passphrase, progress_task())
    finally:
        sys.stderr.write("\n")
    counts = bundle_counts(bundle)
    print(f"Wrote {args.output}: {counts['areas']} areas, {counts['clusters']} clusters, "
          f"{counts['indicators']} indicators, {counts['values']} values, "
          f"{counts['schools']} schools, {counts['flows']} flows.")
    return EXIT_OK


def bundle_counts(bundle: Bundle) -> dict[str, int]:
    return {"areas": len(bundle.areas), "clusters": len(bundle.clusters),
            "indicators": len(bundle.manifest.indicators), "values": len(bundle.values),
            "schools": len(bundle.schools),
            "flows": 0 if bundle.flows is None else len(bundle.flows)}


def _plural(count: int, word: str) -> str:
    return f"{int(count)} {word}{'' if count == 1 else 's'}"


def describe(summary: BundleSummary) -> str:
    """A readable summary of what a bundle holds (for `inspect`)."""
    m, counts = summary.manifest, summary.counts
    lines = [m.title, f"Area: {m.area_name}", f"Created: {m.created} by {m.producer}",
             f"Geography: {m.geography_vintage}, {counts['areas']} areas, "
             f"{counts['schools']} schools, {counts['values']} values, "
             f"disclosure threshold {m.disclosure_threshold}", "",
             f"Clusters ({len(summary.cluster_names)}):"]
    for name in summary.cluster_names:
        lines.append(f"  {name}: {_plural(summary.areas_per_cluster.get(name, 0), 'area')}, "
                     f"{_plural(summary.schools_per_cluster.get(name, 0), 'school')}")
    if summary.unclustered_areas:
        lines.append(f"  (no cluster): {_plural(summary.unclustered_areas, 'area')}")
    lines += ["", f"Indicators ({len(m.indicators)}):"]
    for theme in m.themes:
        lines.append(f"  {theme}")
        for ind in (i for i in m.indicators if i.theme == theme):
            label = " (synthetic)" if ind.synthetic else ""
            lines.append(f"    {ind.id}: {ind.title}{label} [{ind.value_type.value}; "
                         f"{', '.join(ind.periods)}]")
    flows = "none" if counts["flows"] is None else f"{counts['flows']} rows"
    lines += ["", f"Cross-border flows: {flows}", f"Licence: {m.licence}"]
    return "\n".join(lines)


def _run_inspect(args: argparse.Namespace) -> int:
    # the checks of opening on what it shows, read with Arrow: no pandas, statistics or map
    from desktop.core.bundle.encrypted import read_summary

    summary = read_summary(args.bundle, passphrase_for_reading(args.bundle))
    if args.json:
        print(json.dumps(summary.as_json(), ensure_ascii=False))
    else:
        print(describe(summary))
    return EXIT_OK


def add_pack(commands: argparse._SubParsersAction) -> None:
    p = commands.add_parser("pack", help="build an encrypted bundle from an input folder",
                            description="Build an encrypted bundle from a folder of inputs "
                            "(see docs/input-format.md). The passphrase is read from "
                            f"{PASSPHRASE_ENV} or asked for twice.")
    p.add_argument("input_dir", metavar="INPUT_DIR", help="the input folder")
    p.add_argument("-o", "--output", required=True, metavar="OUT.atlas",
                   help="the bundle file to write (replaced only when packing succeeds)")
    p.set_defaults(run=_run_pack)


def add_inspect(commands: argparse._SubParsersAction) -> None:
    p = commands.add_parser("inspect", help="show what a bundle holds",
                            description="Show what a bundle holds. The passphrase is read "
                            f"from {PASSPHRASE_ENV} or asked for.")
    p.add_argument("bundle", metavar="BUNDLE", help="the .atlas bundle file")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(run=_run_inspect)


BUNDLE_COMMANDS: list[Callable[[argparse._SubParsersAction], None]] = [add_pack, add_inspect]
