"""`ClusterAtlas --self-test`: prove that a build starts and works, on a machine with no display.

It opens the bundled demo with the passphrase from CLUSTER_ATLAS_PASSPHRASE through the real
main window (offscreen), renders the window, exports one chart as a 300 dpi PNG and one cluster
profile as .docx into a temporary folder, checks each file, and prints one line per check. The
exit code is 0 only when every check passed. Settings go to a temporary INI file, so the
officer's recent files and layout are untouched; the temporary folder is removed at the end.

A windowed Windows build has no console: the report is then also written to
%TEMP%/cluster-atlas-self-test.txt so that IT staff can read it.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from desktop import APP_NAME, __version__

PASSPHRASE_ENV = "CLUSTER_ATLAS_PASSPHRASE"
DEMO_BUNDLE = "data/worcestershire-demo.atlas"
CHART_DPI = 300
CHART_WIDTH_CM = 16.0
OPEN_TIMEOUT_MS = 120_000
REPORT_FILE = "cluster-atlas-self-test.txt"
DOCX_MISSING = "docx export not available in this build"


@dataclass
class Report:
    """The checks made so far; each is printed as it is made."""

    out: TextIO | None = None
    results: list[tuple[bool, str]] = field(default_factory=list)

    def check(self, ok: bool, what: str, detail: str = "") -> bool:
        line = f"{'PASS' if ok else 'FAIL'}  {what}" + (f": {detail}" if detail else "")
        self.results.append((bool(ok), line))
        self.line(line)
        return bool(ok)

    def note(self, text: str) -> None:
        self.line(f"      {text}")

    def line(self, line: str) -> None:
        if self.out is not None:
            print(line, file=self.out, flush=True)

    @property
    def failed(self) -> int:
        return sum(not ok for ok, _ in self.results)

    def summary(self) -> str:
        n = len(self.results)
        return (f"self-test: OK, all {n} checks passed" if not self.failed else
                f"self-test: FAILED, {self.failed} of {n} checks failed")


# --- Qt-free checks ------------------------------------------------------------------------
def check_installation(report: Report) -> Path | None:
    """Resources and the demo bundle where base_dir() says, and caches outside the build."""
    from desktop.core.plotting.style import STYLE_FILE
    from desktop.core.resources import INPUT_FORMAT, base_dir, doc_path, resource_path

    frozen = bool(getattr(sys, "frozen", False))
    base = base_dir()
    report.check(base == (Path(sys._MEIPASS) if frozen else base), "resource folder",
                 f"{base} ({'frozen build' if frozen else 'development'})")
    for what, find in (("matplotlib style", lambda: resource_path(STYLE_FILE)),
                       ("help page (Help > Making a bundle)", lambda: doc_path(INPUT_FORMAT))):
        try:
            report.check(True, what, str(find().relative_to(base)))
        except FileNotFoundError as exc:
            report.check(False, what, str(exc))
    mpl_dir = Path(_matplotlib_config_dir())
    report.check(not _is_inside(mpl_dir, base), "matplotlib cache outside the build",
                 str(mpl_dir))
    bundle = base / DEMO_BUNDLE
    ok = report.check(bundle.is_file(), "demo bundle present", str(bundle))
    return bundle if ok else None


def _matplotlib_config_dir() -> str:
    import matplotlib

    return matplotlib.get_configdir()


def _is_inside(path: Path, folder: Path) -> bool:
    try:
        path.resolve().relative_to(folder.resolve())
        return True
    except ValueError:
        return False


def check_png(report: Report, path: Path) -> None:
    """The PNG opens, records 300 dpi and is 16 cm wide at that resolution."""
    from PIL import Image

    if not report.check(path.is_file() and path.stat().st_size > 0, "chart PNG written",
                        f"{path.name}, {path.stat().st_size if path.exists() else 0} bytes"):
        return
    with Image.open(path) as image:
        dpi = tuple(round(float(d)) for d in image.info.get("dpi", (0, 0)))
        width = image.size[0]
        colours = image.convert("RGB").getcolors(maxcolors=1 << 16)
    report.check(dpi == (CHART_DPI, CHART_DPI), "chart PNG records 300 dpi", f"dpi={dpi}")
    expected = round(CHART_WIDTH_CM / 2.54 * CHART_DPI)
    report.check(width == expected, "chart PNG is 16 cm wide", f"{width} px (expected {expected})")
    report.check(colours is None or len(colours) > 8, "chart PNG has content",
                 f"{'many' if colours is None else len(colours)} colours")


def docx_exporter() -> Callable | None:
    """The profile exporter, export_profile_docx(bundle, statistics, cluster, path), if built in."""
    try:
        from desktop.core.report.document import export_profile_docx
    except ImportError:
        return None
    return export_profile_docx


def check_docx(report: Report, path: Path) -> None:
    """The .docx opens with python-docx and has a title or heading."""
    import docx

    if not report.check(path.is_file() and path.stat().st_size > 0, "profile .docx written",
                        path.name):
        return
    try:
        document = docx.Document(str(path))
    except Exception as exc:  # noqa: BLE001 - any failure to parse is what we check for
        report.check(False, "profile .docx opens", f"{type(exc).__name__}: {exc}")
        return
    report.check(True, "profile .docx opens", f"{len(document.paragraphs)} paragraphs, "
                                              f"{len(document.tables)} tables")
    headings = [p.text for p in document.paragraphs
                if p.style is not None and p.style.name.startswith(("Heading", "Title"))
                and p.text.strip()]
    report.check(bool(headings), "profile .docx has a heading",
                 repr(headings[0]) if headings else "none")


def check_exports(report: Report, export_chart: Callable[[Path], None], bundle, statistics,
                  cluster: str, folder: Path) -> None:
    """Export one chart (through `export_chart(path)`) and one cluster profile into `folder`,
    and check both files."""
    chart = folder / "chart.png"
    try:
        export_chart(chart)
    except Exception as exc:  # noqa: BLE001 - reported as a failed check, not a crash
        report.check(False, "chart export", _describe(exc))
    else:
        check_png(report, chart)
    exporter = docx_exporter()
    if exporter is None:
        report.check(False, "profile .docx export", DOCX_MISSING)
        return
    profile = folder / "profile.docx"
    started = time.perf_counter()
    try:
        exporter(bundle, statistics, cluster, profile)
    except Exception as exc:  # noqa: BLE001
        report.check(False, "profile .docx export", _describe(exc))
        return
    report.note(f"profile of {cluster} exported in {time.perf_counter() - started:.1f} s")
    check_docx(report, profile)


# --- the window, offscreen ----------------------------------------------------------------
def check_window_and_exports(report: Report, bundle_path: Path, passphrase: str,
                             folder: Path) -> None:
    """Open the bundle through the real main window, render it, then export from its session."""
    from desktop.gui import settings

    app = _offscreen_application(report)
    settings.use_settings_file(folder / "settings.ini")  # leave the officer's settings alone
    watchdog = _ModalWatchdog(report)
    errors: list[str] = []
    previous_hook = sys.excepthook
    # Qt calls sys.excepthook for an exception raised in a slot and carries on: count it.
    sys.excepthook = lambda kind, exc, tb: (errors.append(_last_frame(kind, exc, tb)),
                                            previous_hook(kind, exc, tb))
    window = None
    try:
        from desktop.gui.main_window import MainWindow

        window = MainWindow()
        window.resize(1400, 900)
        window.show()
        if _open(report, window, bundle_path, passphrase):
            _check_rendering(report, app, window, folder)
            s = window.session
            check_exports(report, window.chart_view.export, s.bundle, s.statistics, s.cluster,
                          folder)
    finally:
        if window is not None:
            window.opener.cancel()
            window.close()
            window.deleteLater()
            app.processEvents()
        watchdog.stop()
        settings.use_settings_file(None)
        sys.excepthook = previous_hook
        report.check(not errors, "no error raised inside the window",
                     f"{len(errors)}, first: {errors[0]}" if errors else "")


def _describe(exc: BaseException) -> str:
    """The error, where it was raised, and the error it was raised from (if any)."""
    text = _last_frame(type(exc), exc, exc.__traceback__)
    cause = exc.__cause__ or exc.__context__
    return text + (f"; caused by {_last_frame(type(cause), cause, cause.__traceback__)}"
                   if cause is not None else "")


def _last_frame(kind: type, exc: BaseException, tb) -> str:
    import traceback

    frames = traceback.extract_tb(tb)
    where = f" at {Path(frames[-1].filename).name}:{frames[-1].lineno}" if frames else ""
    return f"{kind.__name__}: {exc}{where}"


def _offscreen_application(report: Report):
    from PySide6.QtCore import qVersion
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    if app is None:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"  # no display needed, on any platform
        app = QApplication(sys.argv[:1] or [APP_NAME])
    report.check(True, "Qt started", f"Qt {qVersion()}, platform {app.platformName()}")
    return app


class _ModalWatchdog:
    """Closes any dialog that pops up (nobody can click it offscreen) and fails the test."""

    def __init__(self, report: Report) -> None:
        from PySide6.QtCore import QTimer

        self.report = report
        self.timer = QTimer()
        self.timer.setInterval(200)
        self.timer.timeout.connect(self._close_modal)
        self.timer.start()

    def _close_modal(self) -> None:
        from PySide6.QtWidgets import QApplication, QMessageBox

        dialog = QApplication.activeModalWidget()
        if dialog is None:
            return
        text = dialog.text() if isinstance(dialog, QMessageBox) else dialog.windowTitle()
        self.report.check(False, "no unexpected dialog", " ".join(str(text).split())[:300])
        dialog.reject()

    def stop(self) -> None:
        self.timer.stop()


def _open(report: Report, window, bundle_path: Path, passphrase: str) -> bool:
    """Open through window.opener, answering the passphrase prompt once (never a retry loop)."""
    from PySide6.QtCore import QEventLoop, QTimer

    errors: list[str] = []

    def answer(parent, file_name: str, error: str = "", wait_seconds: float = 0.0):
        if error:
            errors.append(error)
            return None
        return passphrase

    window.opener.ask_passphrase = answer
    window.opener.failed.connect(errors.append)
    window.opener.crashed.connect(errors.append)
    done: list[bool] = []
    loop = QEventLoop()
    window.opener.finished.connect(lambda: (done.append(True), loop.quit()))
    started = time.perf_counter()
    window.open_bundle(bundle_path)
    if not done:
        QTimer.singleShot(OPEN_TIMEOUT_MS, loop.quit)
        loop.exec()
    seconds = time.perf_counter() - started
    session = window.session
    if not report.check(session.is_open, "demo bundle opens",
                        f"in {seconds:.1f} s" if session.is_open else
                        (errors[-1].splitlines()[-1] if errors else "timed out")):
        return False
    bundle = session.bundle
    report.check(len(bundle.areas) > 0 and len(bundle.cluster_names) > 0, "bundle has data",
                 f"{len(bundle.areas)} areas, {len(bundle.cluster_names)} clusters, "
                 f"{len(bundle.manifest.indicators)} indicators")
    return True


def _check_rendering(report: Report, app, window, folder: Path) -> None:
    """The main view is shown and the grabbed window is a real picture, not a blank."""
    from PIL import Image

    app.processEvents()
    report.check(window.stack.currentWidget() is window.main_splitter, "main view shown",
                 window.windowTitle())
    shot = folder / "window.png"
    pixmap = window.grab()
    saved = pixmap.save(str(shot))
    colours = None
    if saved:
        with Image.open(shot) as image:
            colours = image.convert("RGB").getcolors(maxcolors=1 << 16)
    report.check(saved and (colours is None or len(colours) > 32), "main window renders",
                 f"{pixmap.width()}x{pixmap.height()} px, "
                 f"{'many' if colours is None else len(colours or [])} colours")


# --- entry point ---------------------------------------------------------------------------
def run(out: TextIO | None = None) -> int:
    """Run every check; 0 when all passed, 1 otherwise. `out` defaults to standard output."""
    report = Report(out if out is not None else _default_output())
    report.note(f"{APP_NAME} {__version__} self-test, Python {sys.version.split()[0]}, "
                f"{sys.platform}{', frozen' if getattr(sys, 'frozen', False) else ''}")
    started = time.perf_counter()
    try:
        bundle_path = check_installation(report)
        passphrase = os.environ.get(PASSPHRASE_ENV)
        report.check(bool(passphrase), "passphrase given", f"from {PASSPHRASE_ENV}" if passphrase
                     else f"set {PASSPHRASE_ENV} to the demo bundle's passphrase")
        if bundle_path is not None and passphrase:
            with tempfile.TemporaryDirectory(prefix="cluster-atlas-self-test-") as tmp:
                check_window_and_exports(report, bundle_path, passphrase, Path(tmp))
    except Exception as exc:  # noqa: BLE001 - a crash is a failed self-test with its reason
        import traceback

        report.check(False, "self-test ran to the end", f"{type(exc).__name__}: {exc}")
        report.note(traceback.format_exc().replace("\n", "\n      "))
    report.note(f"{time.perf_counter() - started:.1f} s")
    report.line(report.summary())
    if report.out is not None and report.out not in (out, sys.stdout):
        report.out.close()
    return 0 if report.failed == 0 else 1


def _default_output() -> TextIO:
    if sys.stdout is not None:
        return sys.stdout
    # A windowed (no console) Windows build: write the report where IT staff can find it.
    return open(Path(tempfile.gettempdir()) / REPORT_FILE, "w", encoding="utf-8")  # noqa: SIM115
