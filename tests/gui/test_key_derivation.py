"""Key derivation in the window, attacked: it runs in a child process, so the window keeps
painting and Cancel stops it; the status bar says what is happening and does not keep
"Deriving the key…" once the passphrase prompt is back. The real demo bundle, real scrypt."""

from __future__ import annotations

import multiprocessing
import time

import pytest
from PySide6.QtCore import QTimer

from desktop.gui.main_window import MainWindow
from tests.conftest import DEMO_PASSPHRASE
from tests.gui.conftest import scripted, temporary_settings  # noqa: F401 - fixtures

TIMEOUT = 60_000
# The demo's key derivation (work factor 2^20) takes seconds; pyrage holding the GIL in a
# thread froze the window for all of it. A painting window answers a 10 ms timer far sooner.
FROZEN_S = 0.75


@pytest.fixture
def window(qtbot):
    w = MainWindow()
    qtbot.addWidget(w)
    w.show()
    yield w
    w.opener.cancel()
    qtbot.waitUntil(lambda: not w.opener.busy, timeout=TIMEOUT)


def _deriving(window) -> bool:
    return "Deriving the key" in window.status.label.text()


def test_the_window_keeps_running_while_the_key_is_derived(qtbot, window, demo_bundle_path,
                                                           scripted):
    ticks: list[float] = []
    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    window.opener.ask_passphrase = scripted(DEMO_PASSPHRASE)
    timer.start()
    window.open_bundle(demo_bundle_path)
    qtbot.waitUntil(lambda: _deriving(window), timeout=TIMEOUT)
    start = time.perf_counter()
    qtbot.waitUntil(lambda: not _deriving(window), timeout=TIMEOUT)
    deriving = [t for t in ticks if t >= start]
    timer.stop()
    qtbot.waitUntil(lambda: not window.opener.busy, timeout=TIMEOUT)
    assert window.session.is_open
    assert time.perf_counter() - start > 0.5, "the key derivation cannot have been measured"
    gaps = [b - a for a, b in zip(deriving, deriving[1:])]
    assert len(gaps) > 20 and max(gaps) < FROZEN_S, f"the window froze for {max(gaps):.2f} s"


def test_cancel_stops_the_key_derivation(qtbot, window, demo_bundle_path, scripted):
    window.opener.ask_passphrase = scripted(DEMO_PASSPHRASE)
    window.open_bundle(demo_bundle_path)
    qtbot.waitUntil(lambda: _deriving(window), timeout=TIMEOUT)
    qtbot.waitUntil(lambda: multiprocessing.active_children() != [], timeout=TIMEOUT)
    start = time.perf_counter()
    with qtbot.waitSignal(window.opener.finished, timeout=TIMEOUT):
        window.status.cancel_button.click()
    assert time.perf_counter() - start < 1.0  # the derivation itself takes seconds
    assert multiprocessing.active_children() == []
    assert not window.session.is_open and not window.status.progress_bar.isVisible()


def test_a_wrong_passphrase_does_not_leave_deriving_in_the_status_bar(qtbot, window,
                                                                       demo_bundle_path):
    seen: list[tuple[str, bool]] = []
    answers = ["not the passphrase", None]

    def ask(parent, file_name, error="", wait_seconds=0.0):
        seen.append((window.status.label.text(), window.status.progress_bar.isVisible()))
        return answers.pop(0)

    window.opener.ask_passphrase = ask
    with qtbot.waitSignal(window.opener.finished, timeout=TIMEOUT):
        window.open_bundle(demo_bundle_path)
    assert len(seen) == 2
    status, progress_shown = seen[1]
    assert "Deriving" not in status and "%" not in status and not progress_shown
    assert "passphrase is not right" in status
    assert window.status.label.text() == "" and not window.status.progress_bar.isVisible()
