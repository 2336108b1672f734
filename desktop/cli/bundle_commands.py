"""`cluster-atlas pack` and `inspect`: build a bundle from an input folder, show what one holds."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable

from desktop.cli.common import (
    EXIT_OK,
    PASSPHRASE_ENV,
    open_bundle,
    passphrase_for_writing,
    progress_task,
)
from desktop.core.model import Bundle


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


def describe(bundle: Bundle) -> str:
    """A readable summary of what a bundle holds (for `inspect`)."""
    m, counts = bundle.manifest, bundle_counts(bundle)
    lines = [m.title, f"Area: {m.area_name}", f"Created: {m.created} by {m.producer}",
             f"Geography: {m.geography_vintage}, {counts['areas']} areas, "
             f"{counts['schools']} schools, {counts['values']} values, "
             f"disclosure threshold {m.disclosure_threshold}", "",
             f"Clusters ({counts['clusters']}):"]
    areas_per = bundle.areas["cluster"].value_counts()
    schools_per = bundle.schools["cluster"].value_counts()
    for name in bundle.cluster_names:
        lines.append(f"  {name}: {_plural(areas_per.get(name, 0), 'area')}, "
                     f"{_plural(schools_per.get(name, 0), 'school')}")
    unclustered = int(bundle.areas["cluster"].isna().sum())
    if unclustered:
        lines.append(f"  (no cluster): {_plural(unclustered, 'area')}")
    lines += ["", f"Indicators ({counts['indicators']}):"]
    for theme in m.themes:
        lines.append(f"  {theme}")
        for ind in (i for i in m.indicators if i.theme == theme):
            label = " (synthetic)" if ind.synthetic else ""
            lines.append(f"    {ind.id}: {ind.title}{label} [{ind.value_type.value}; "
                         f"{', '.join(ind.periods)}]")
    flows = "none" if bundle.flows is None else f"{counts['flows']} rows"
    lines += ["", f"Cross-border flows: {flows}", f"Licence: {m.licence}"]
    return "\n".join(lines)


def _run_inspect(args: argparse.Namespace) -> int:
    bundle = open_bundle(args.bundle, geodataframes=False)  # every check, no map
    if args.json:
        from desktop.core.bundle.encrypted import bundle_summary

        print(json.dumps(bundle_summary(bundle), ensure_ascii=False))
    else:
        print(describe(bundle))
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
