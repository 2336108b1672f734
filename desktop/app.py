"""Start the window: `python main.py [BUNDLE]`; with no bundle, the bundled demo is opened."""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Iterator
from pathlib import Path

from desktop import APP_NAME, __version__

DEMO_BUNDLE = "data/worcestershire-demo.atlas"
SIGNAL_CHECK_MS = 200


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="cluster-atlas-gui", description=APP_NAME)
    parser.add_argument("bundle", nargs="?", help="a .atlas bundle to open (default: the demo)")
    parser.add_argument("--no-demo", action="store_true", help="start without opening a bundle")
    parser.add_argument("--version", action="version", version=f"{APP_NAME} {__version__}")
    parser.add_argument("--self-test", action="store_true",
                        help="open the bundled demo offscreen (passphrase from "
                             "CLUSTER_ATLAS_PASSPHRASE), export a chart and a profile, check "
                             "them and exit 0 when all is well")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    if args.self_test:
        from desktop.selftest import run
        return run()
    from PySide6.QtGui import QIcon
    from PySide6.QtWidgets import QApplication

    from desktop.core import leftovers
    from desktop.core.resources import base_dir, resources_dir
    from desktop.gui.main_window import MainWindow

    leftovers.sweep()  # temporary files an earlier, killed export left behind
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setOrganizationName("ClusterAtlas")
    app.setApplicationVersion(__version__)
    icon = resources_dir() / "icons" / "cluster-atlas.svg"
    if icon.exists():
        app.setWindowIcon(QIcon(str(icon)))
    window = MainWindow(deferred=True)  # the cover at once; the views once it has painted
    target = Path(args.bundle) if args.bundle else (None if args.no_demo else base_dir() / DEMO_BUNDLE)
    if target is None:
        window.show_then_build()
    else:
        window.show_then_build(lambda: window.open_bundle(target))

    with ending_on_signals(app, window):
        return app.exec()


@contextlib.contextmanager
def ending_on_signals(app, window) -> Iterator[None]:
    """While the block runs, SIGTERM, SIGINT or SIGHUP (logout, shutdown) delete the temporary
    files being written (desktop.core.atomic), then close the window as if the officer had
    (work cancelled, data dropped, clipboard cleared) and end the event loop with 128 + the
    signal's number."""
    from PySide6.QtCore import QTimer

    from desktop.core.atomic import cleanup_on_signals

    def end(signum: int) -> None:
        window.close()
        app.exit(128 + signum)

    # Python runs signal handlers only between its own bytecodes: a timer lets it in while
    # Qt's event loop waits.
    wake = QTimer()
    wake.timeout.connect(lambda: None)
    wake.start(SIGNAL_CHECK_MS)
    try:
        with cleanup_on_signals(end):
            yield
    finally:
        wake.stop()
