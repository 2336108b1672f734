"""The `cluster-atlas` command line: pack, inspect, export and audit bundles without a window.

Thin by design: each command parses its arguments and calls the core. A command is a function
that adds its subparser and sets `run`; each module of commands lists its own (BUNDLE_COMMANDS,
EXPORT_COMMANDS, TABLE_COMMANDS, AUDIT_COMMANDS) and this module only puts them together and
runs one.
"""

from __future__ import annotations

import argparse
import signal
import sys
from collections.abc import Callable

from desktop import APP_NAME, __version__
from desktop.cli.audit_command import AUDIT_COMMANDS
from desktop.cli.bundle_commands import BUNDLE_COMMANDS
from desktop.cli.common import EXIT_CANCELLED, EXIT_ERROR
from desktop.cli.export_commands import EXPORT_COMMANDS
from desktop.cli.table_commands import TABLE_COMMANDS
from desktop.core import leftovers
from desktop.core.atomic import cleanup_on_signals
from desktop.core.errors import AtlasError, Cancelled

COMMANDS: list[Callable[[argparse._SubParsersAction], None]] = [*BUNDLE_COMMANDS,
                                                                *EXPORT_COMMANDS,
                                                                *TABLE_COMMANDS,
                                                                *AUDIT_COMMANDS]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="cluster-atlas",
                                     description=f"{APP_NAME}: school cluster bundles.")
    parser.add_argument("--version", action="version", version=f"{APP_NAME} {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for add in COMMANDS:
        add(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run one command; returns the exit status (0 ok, 1 audit failed, 2 user error, 130
    cancelled)."""
    for stream in (sys.stdout, sys.stderr):  # a terminal that cannot show a character: "?"
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="replace")
    leftovers.sweep()  # temporary files an earlier, killed export left behind
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, --version and usage errors
        return int(exc.code or 0) if not isinstance(exc.code, str) else EXIT_ERROR
    try:
        with cleanup_on_signals(_end_on_signal):
            return args.run(args)
    except KeyboardInterrupt:
        print("\ncancelled: nothing was written.", file=sys.stderr)
        return EXIT_CANCELLED
    except Cancelled as exc:
        print(f"\n{exc}", file=sys.stderr)
        return EXIT_CANCELLED
    except AtlasError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_ERROR


def _end_on_signal(signum: int) -> None:
    """After the temporary files are gone: Ctrl+C as usual, SIGTERM or SIGHUP as an exit with
    128 + the signal's number, unwinding so that nothing half-written stays."""
    if signum == signal.SIGINT:
        raise KeyboardInterrupt
    raise SystemExit(128 + signum)


if __name__ == "__main__":
    raise SystemExit(main())
