"""An officer's session, run in a child process by test_no_disk_writes and test_no_network.

`python -m tests.security.officer_scenario warm` starts and closes the window with no bundle
(what the first launch writes: font caches, the settings file). `... use BUNDLE PASSPHRASE`
opens the bundle, goes through every view, locks and quits, exporting nothing; `unlock`
does the same and then unlocks before quitting. `export BUNDLE PASSPHRASE FOLDER` opens the
bundle, starts exporting every cluster's profile into FOLDER and runs the event loop as the
app does (ending on SIGTERM, SIGINT or SIGHUP: desktop.app.ending_on_signals), for a test to
signal it; its exit code is the event loop's. `open-each PASSPHRASE FILE...` opens each file
through the window in turn and prints, per file, how it ended (opened, failed with a message,
or crashed with a traceback) and how long it took.
An audit hook records every attempt to open a network socket; the process prints them as JSON
on its last line and exits 0 only when the session completed.
"""

from __future__ import annotations

import json
import sys
import time

NETWORK_EVENTS = ("socket.connect", "socket.getaddrinfo", "socket.gethostbyname",
                  "socket.sendto", "socket.bind", "urllib.Request", "http.client.connect")
attempts: list[str] = []


def _audit(event: str, args: tuple) -> None:
    if event in NETWORK_EVENTS:
        attempts.append(f"{event} {args!r}"[:200])


def _wait(app, condition, timeout_s: float = 120.0) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            raise SystemExit("timed out")
        app.processEvents()
        time.sleep(0.01)


def main(argv: list[str]) -> int:
    sys.addaudithook(_audit)
    from PySide6.QtWidgets import QApplication

    from desktop.gui.main_window import MainWindow

    app = QApplication.instance() or QApplication(["cluster-atlas"])
    app.setOrganizationName("ClusterAtlas")
    window = MainWindow()
    window.show()
    app.processEvents()
    if argv[0] in ("use", "unlock"):
        path, passphrase = argv[1], argv[2]
        window.opener.ask_passphrase = lambda *args: passphrase
        window.open_bundle(path)
        _wait(app, lambda: window.session.is_open and not window.opener.busy)
        session = window.session
        indicators = [ind.id for ind in session.bundle.manifest.indicators]
        for i, cluster in enumerate(session.bundle.cluster_names):
            session.set_cluster(cluster)
            session.set_indicator(indicators[(i * 37) % len(indicators)])
            for tab in range(window.tabs.count()):
                window.tabs.setCurrentIndex(tab)
                app.processEvents()
        session.select_area(str(session.bundle.areas["area_code"].iloc[0]))
        for scheme in ("equal_interval", "natural_breaks", "significance", "quantiles"):
            session.set_classification(scheme=scheme)
            app.processEvents()
        window.lock()
        app.processEvents()
        if argv[0] == "unlock":
            window.cover_button.click()  # asks the passphrase again, decrypts again
            _wait(app, lambda: window.session.is_open and not window.opener.busy)
    if argv[0] == "export":
        return _export_until_signalled(app, window, argv[1], argv[2], argv[3])
    if argv[0] == "open-each":
        return _open_each(app, window, argv[1], argv[2:])
    window.close()
    app.processEvents()
    print(json.dumps({"network": attempts}))
    return 0


def _open_each(app, window, passphrase: str, paths: list[str]) -> int:
    from PySide6.QtWidgets import QMessageBox

    # the window's message boxes are modal: recorded here instead of waiting for a click
    QMessageBox.warning = staticmethod(lambda *args, **kwargs: None)
    QMessageBox.exec = lambda self: 0
    ended: list[tuple[str, str]] = []
    window.opener.failed.connect(lambda message: ended.append(("failed", message)))
    window.opener.crashed.connect(lambda trace: ended.append(("crashed", trace)))
    window.opener.opened.connect(lambda *args: ended.append(("opened", "")))
    outcomes = []
    for path in paths:
        ended.clear()
        answers = [passphrase]  # asked once: a wrong passphrase is not tried again
        window.opener.ask_passphrase = lambda *args: answers.pop() if answers else None
        start = time.perf_counter()
        window.open_bundle(path)
        _wait(app, lambda: not window.opener.busy, timeout_s=60)
        app.processEvents()
        outcomes.append({"file": path, "seconds": time.perf_counter() - start,
                         "ended": list(ended) or [("cancelled", "")]})
        window.close_bundle()
    window.close()
    import resource

    print(json.dumps({"network": attempts, "outcomes": outcomes,
                      "peak_kib": _high_water_kib(),
                      "children_peak_kib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}))
    return 0


def _high_water_kib() -> int:
    """The most memory this process has held since Python started (VmHWM). ru_maxrss would
    also count the parent's memory, shared after the fork that started this process."""
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))


def _export_until_signalled(app, window, path: str, passphrase: str, folder: str) -> int:
    from desktop.app import ending_on_signals

    window.opener.ask_passphrase = lambda *args: passphrase
    window.open_bundle(path)
    _wait(app, lambda: window.session.is_open and not window.opener.busy)
    window.exports.ask_folder = lambda *args: folder
    window.exports.export_all_profiles()
    print("exporting", flush=True)
    with ending_on_signals(app, window):
        code = app.exec()
    print(json.dumps({"network": attempts}))
    return code


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
