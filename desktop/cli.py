"""The `cluster-atlas` command line: pack and inspect bundles without a window.

Thin by design: each command parses its arguments and calls the core. A command is a function
that adds its subparser and sets `run`; more commands (export-profile, export-chart) join by
appending their `add_*` function to COMMANDS. Passphrases come from the environment variable
CLUSTER_ATLAS_PASSPHRASE or a prompt, never from an argument (arguments show up in process
lists and shell history).
"""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from collections.abc import Callable

from desktop import APP_NAME, __version__
from desktop.cli_export import EXPORT_COMMANDS
from desktop.core.errors import AtlasError, Cancelled
from desktop.core.model import Bundle
from desktop.core.tasks import Task

PASSPHRASE_ENV = "CLUSTER_ATLAS_PASSPHRASE"
EXIT_OK, EXIT_ERROR, EXIT_CANCELLED = 0, 2, 130


def passphrase_for_reading(path: str) -> str:
    """The passphrase to open `path`: from the environment, else asked once."""
    if PASSPHRASE_ENV in os.environ:
        return os.environ[PASSPHRASE_ENV]
    return getpass.getpass(f"Passphrase for {path}: ")


def passphrase_for_writing(path: str) -> str:
    """A new passphrase for `path`: from the environment, else asked twice; never empty."""
    if PASSPHRASE_ENV in os.environ:
        passphrase = os.environ[PASSPHRASE_ENV]
    else:
        passphrase = getpass.getpass(f"New passphrase for {path}: ")
        if passphrase and getpass.getpass("Repeat the passphrase: ") != passphrase:
            raise AtlasError("The two passphrases do not match; nothing was written.")
    if not passphrase:
        raise AtlasError("The passphrase is empty; choose one to protect the bundle "
                         f"(or set {PASSPHRASE_ENV}).")
    return passphrase


def progress_task() -> Task:
    """A Task that shows progress on one line of stderr."""
    def show(fraction: float, message: str) -> None:
        line = f"[{fraction:4.0%}] {message}"[:78]
        sys.stderr.write(f"\r{line:<78}")
        sys.stderr.flush()
    return Task(show)


def open_bundle(path: str) -> Bundle:
    """Read a bundle for a command, asking for its passphrase (shared by read-only commands)."""
    from desktop.core.bundle import read_bundle

    return read_bundle(path, passphrase_for_reading(path))


def _run_pack(args: argparse.Namespace) -> int:
    from desktop.core.pack import pack

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
    bundle = open_bundle(args.bundle)
    if args.json:
        from desktop.core.bundle import bundle_summary

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


# Each adds one subcommand; add export commands here from their own modules.
COMMANDS: list[Callable[[argparse._SubParsersAction], None]] = [add_pack, add_inspect]
COMMANDS += EXPORT_COMMANDS  # export-profile, export-chart (desktop/cli_export.py)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="cluster-atlas",
                                     description=f"{APP_NAME}: school cluster bundles.")
    parser.add_argument("--version", action="version", version=f"{APP_NAME} {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for add in COMMANDS:
        add(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run one command; returns the exit status (0 ok, 2 user error, 130 cancelled)."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, --version and usage errors
        return int(exc.code or 0) if not isinstance(exc.code, str) else EXIT_ERROR
    try:
        return args.run(args)
    except (Cancelled, KeyboardInterrupt):
        print("\ncancelled: nothing was written.", file=sys.stderr)
        return EXIT_CANCELLED
    except AtlasError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_ERROR


if __name__ == "__main__":
    raise SystemExit(main())
