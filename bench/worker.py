"""One benchmark measurement in its own process: `python bench/worker.py TASK --scale S`.

Prints one JSON line last on stdout; bench/run.py starts it, reads the line and takes the
process's peak memory from os.wait4. TASK is open, kdf, gui, naive, first-window,
naive-first-window, open-peak, naive-open-peak or inspect.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("MPLBACKEND", "Agg")
ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def first_window(naive: bool) -> dict:
    """Start the window as desktop.app does (the cover and menus shown, the rest built once
    they have painted); report the wall-clock times of its first paint and of its first paint
    once built (toolbar and views). The naive variant first imports what a naive app imports
    at start (geopandas, pyplot, mapclassify) and builds the whole window before showing it."""
    import tempfile

    if naive:
        import geopandas  # noqa: F401
        import mapclassify  # noqa: F401
        import matplotlib.pyplot  # noqa: F401
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QApplication

    from desktop.gui import settings
    from desktop.gui.main_window import MainWindow

    settings.use_settings_file(Path(tempfile.mkdtemp()) / "settings.ini")
    app = QApplication([])
    window = MainWindow(deferred=not naive)
    painted: list[float] = []
    complete: list[float] = []

    class Paints(QObject):
        def eventFilter(self, obj, event):  # noqa: N802 (Qt override)
            if event.type() == QEvent.Type.Paint:
                if not painted:
                    painted.append(time.time())
                if window.built and not complete:
                    complete.append(time.time())
                    QTimer.singleShot(0, app.quit)
            return False

    watcher = Paints()
    window.installEventFilter(watcher)
    if naive:
        window.show()
    else:
        window.show_then_build()
    QTimer.singleShot(20_000, app.quit)
    app.exec()
    return {"painted_at": painted[0] if painted else None,
            "complete_at": complete[0] if complete else None}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("task", choices=["open", "kdf", "gui", "naive", "first-window",
                                         "naive-first-window", "open-peak",
                                         "naive-open-peak", "inspect"])
    parser.add_argument("--scale", default="county")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--exports", action="store_true")
    parser.add_argument("--size", type=float, nargs=2, default=(6.56, 5.24),
                        help="figure size of the naive map in inches (the window's map size)")
    args = parser.parse_args(argv)
    from bench.generate import BENCH_PASSPHRASE, bundle_path

    path = bundle_path(args.scale)
    if args.task == "open":
        from bench.core_tasks import open_bundle
        result = open_bundle(path, BENCH_PASSPHRASE, args.runs)
    elif args.task.endswith("open-peak"):  # memory: ours and naive each in its own process
        from bench.core_tasks import open_peak
        result = open_peak(path, BENCH_PASSPHRASE, naive=args.task.startswith("naive"))
    elif args.task == "inspect":  # the command line, in processes of its own
        from bench.core_tasks import inspect_command
        result = inspect_command(path, BENCH_PASSPHRASE, args.runs)
    elif args.task == "kdf":  # its peak memory is scrypt's working memory
        from bench.core_tasks import key_derivation
        result = {"seconds": key_derivation(path.read_bytes(), BENCH_PASSPHRASE)}
    elif args.task == "gui":
        from bench.gui_tasks import gui_benchmark
        result = gui_benchmark(path, BENCH_PASSPHRASE, args.runs, args.exports)
    elif args.task == "naive":
        from bench.core_tasks import naive_plot
        result = naive_plot(path, BENCH_PASSPHRASE, args.runs, tuple(args.size))
    else:
        result = first_window(naive=args.task.startswith("naive"))
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
