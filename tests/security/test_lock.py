"""Locking: the window shows nothing from the bundle, only the passphrase brings it back, and
wrong passphrases in a row slow further attempts. (Releasing the decrypted objects on Ctrl+L
is tested in tests/gui/test_main_window.py.) Key derivation is replaced by a stand-in where
only the opener's logic is under test, so five wrong tries cost milliseconds."""

from __future__ import annotations

import shutil

import pytest
from PySide6.QtWidgets import QDialogButtonBox, QLabel, QLineEdit

from desktop.core.errors import WrongPassphrase
from desktop.core.workspace import load_workspace
from desktop.gui import opener as opener_module
from desktop.gui.dialogs.passphrase_dialog import PassphraseDialog
from desktop.gui.main_window import MainWindow
from tests.conftest import DEMO_PASSPHRASE
from tests.gui.conftest import scripted, temporary_settings  # noqa: F401 - fixtures
from tests.gui.test_main_window import open_with
from tests.security.test_no_disk_writes import FOLDERS, run_scenario

TIMEOUT = 60_000


@pytest.fixture(scope="module")
def workspace(demo_bundle_path):
    return load_workspace(demo_bundle_path, DEMO_PASSPHRASE)


@pytest.fixture
def window(qtbot, monkeypatch, workspace):
    """A window whose opener checks passphrases without key derivation."""
    def fake_load(path, passphrase, task):
        if passphrase != DEMO_PASSPHRASE:
            raise WrongPassphrase(f"The passphrase is not right for {path.name}.")
        return workspace

    monkeypatch.setattr(opener_module, "_load", fake_load)
    w = MainWindow()
    qtbot.addWidget(w)
    w.show()
    yield w
    w.opener.cancel()


_open = open_with  # the main-window tests' helper: scripted passphrases, wait until done


def _visible_texts(window) -> str:
    texts = [window.windowTitle(), window.status.label.text()]
    for widget in window.findChildren(QLabel) + window.findChildren(QLineEdit):
        if widget.isVisible():
            texts.append(widget.text())
    return " ".join(texts)


def test_locked_window_shows_nothing_from_the_bundle(qtbot, window, demo_bundle_path, scripted,
                                                    workspace):
    _open(qtbot, window, demo_bundle_path, scripted(DEMO_PASSPHRASE))
    bundle = workspace.bundle
    window.session.set_cluster(bundle.cluster_names[4])
    words = [bundle.manifest.title, *bundle.cluster_names,
             *(ind.title for ind in bundle.manifest.indicators)]
    assert any(w in _visible_texts(window) for w in words)  # the check can see the bundle
    window.lock()
    shown = _visible_texts(window)
    assert [w for w in words if w in shown] == []
    assert window.stack.currentWidget() is window.cover
    assert not window.main_splitter.isVisible()


def test_only_the_passphrase_unlocks(qtbot, window, demo_bundle_path, scripted):
    _open(qtbot, window, demo_bundle_path, scripted(DEMO_PASSPHRASE))
    window.lock()
    window.opener.ask_passphrase = scripted(None)  # the officer cancels the prompt
    window.cover_button.click()
    qtbot.waitUntil(lambda: not window.opener.busy, timeout=TIMEOUT)
    assert window.session.locked and window.session.bundle is None
    ask = scripted("guess", "another guess", DEMO_PASSPHRASE)
    with qtbot.waitSignal(window.opener.opened, timeout=TIMEOUT):
        window.opener.ask_passphrase = ask
        window.cover_button.click()
    assert len(ask.calls) == 3 and not window.session.locked


def test_five_wrong_passphrases_slow_further_attempts(qtbot, window, demo_bundle_path, scripted):
    ask = scripted(*[f"wrong {i}" for i in range(8)])
    _open(qtbot, window, demo_bundle_path, ask)
    waits = [call["wait"] for call in ask.calls]
    assert waits[:5] == [0.0] * 5
    assert 0 < waits[5] < waits[6] < waits[7]
    assert not window.session.is_open
    # a right passphrase resets the count
    _open(qtbot, window, demo_bundle_path, scripted(DEMO_PASSPHRASE))
    assert window.opener.throttle.delay_before_next() == 0.0


def test_the_dialog_holds_ok_for_the_wait(qtbot):
    dialog = PassphraseDialog("bundle.atlas", "The passphrase is not right.", wait_seconds=0.3)
    qtbot.addWidget(dialog)
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert not ok.isEnabled() and "wait" in dialog.error_label.text()
    qtbot.waitUntil(ok.isEnabled, timeout=5000)


def test_unlocking_decrypts_again_without_crashing(demo_bundle_path, tmp_path):
    """The real thing in a child process (a crash must not take the test run down): open,
    use every view, lock, unlock with the passphrase (a second key derivation), quit."""
    roots = {name: tmp_path / name for name in FOLDERS}
    for root in roots.values():
        root.mkdir()
    shutil.copyfile(demo_bundle_path, roots["bundle"] / "bundle.atlas")
    result = run_scenario(["unlock", str(roots["bundle"] / "bundle.atlas"), DEMO_PASSPHRASE],
                          roots)
    assert result["network"] == []


def test_lock_empties_the_clipboard_and_drops_drawn_text(qtbot, window, demo_bundle_path,
                                                         scripted, workspace):
    """The copied profile table stayed on the clipboard after a lock (and after quitting), and
    matplotlib's text cache and the last chart's artists kept cluster names and figures."""
    import gc

    from matplotlib import text as mpl_text
    from PySide6.QtWidgets import QApplication

    from desktop.gui import clipboard

    _open(qtbot, window, demo_bundle_path, scripted(DEMO_PASSPHRASE))
    bundle = workspace.bundle
    cluster = bundle.cluster_names[3]
    window.session.set_cluster(cluster)
    window.map_view.render_now()
    window.chart_view.canvas.draw()
    window.exports.copy_profile()
    assert cluster in QApplication.clipboard().text()
    words = [cluster, *(ind.title for ind in bundle.manifest.indicators[:20])]

    def drawn_texts() -> list[str]:
        gc.collect()
        return [t.get_text() for t in gc.get_objects() if isinstance(t, mpl_text.Text)]

    def cached_sizes() -> int:
        renderers = mpl_text._get_text_metrics_function.__defaults__[0]
        return sum(f.cache_info().currsize for f in renderers.values())

    assert any(w in t for t in drawn_texts() for w in words)  # the check can see them
    assert cached_sizes() > 0
    window.lock()
    held = QApplication.clipboard().mimeData()
    assert QApplication.clipboard().text() == "" and (held is None or not held.hasHtml())
    assert not clipboard.holds_a_copy()
    assert [t for t in drawn_texts() if any(w in t for w in words)] == []
    assert cached_sizes() == 0


def test_quitting_empties_the_clipboard(qtbot, window, demo_bundle_path, scripted, workspace):
    from PySide6.QtWidgets import QApplication

    _open(qtbot, window, demo_bundle_path, scripted(DEMO_PASSPHRASE))
    window.exports.copy_profile()
    assert workspace.bundle.cluster_names[0] in QApplication.clipboard().text()
    window.close()
    assert QApplication.clipboard().text() == ""
