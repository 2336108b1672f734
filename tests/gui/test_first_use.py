"""The rough edges of a first use (issue 15, items 7 to 9), as an officer meets them."""

from __future__ import annotations

import shutil

import pytest
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QDialog, QFormLayout, QLabel, QMessageBox

from desktop.core.stats.profile import indicators_for_basis
from desktop.gui.dialogs import new_bundle_dialog
from desktop.gui.dialogs.help_dialog import HelpDialog
from desktop.gui.dialogs.new_bundle_dialog import NewBundleDialog
from tests.conftest import DEMO_PASSPHRASE
from tests.gui.test_main_window import open_with, window  # noqa: F401 - fixture


@pytest.fixture
def opened(qtbot, window, demo_bundle_path, scripted, monkeypatch):  # noqa: F811
    """The window with the demo open, and the messages it would show collected."""
    open_with(qtbot, window, demo_bundle_path, scripted(DEMO_PASSPHRASE))
    window.shown_errors = []
    monkeypatch.setattr(window, "_show_error", window.shown_errors.append)
    window.opener.failed.disconnect()
    window.opener.failed.connect(window._show_error)
    return window


def test_a_text_file_is_refused_before_any_passphrase_and_the_bundle_stays(
        qtbot, opened, tmp_path, scripted, demo_bundle_path):
    notes = tmp_path / "notes.txt"
    notes.write_text("Meeting notes, not a bundle")
    ask = scripted("never used")
    open_with(qtbot, opened, notes, ask)
    assert ask.calls == []  # no passphrase asked "for notes.txt"
    assert len(opened.shown_errors) == 1
    assert "notes.txt is not a Cluster Atlas bundle" in opened.shown_errors[0]
    s = opened.session
    assert s.is_open and s.path == demo_bundle_path and opened.stack.currentWidget() is \
        opened.main_splitter


def test_a_cancelled_or_wrong_passphrase_for_another_bundle_keeps_the_open_one(
        qtbot, opened, tmp_path, scripted, demo_bundle_path):
    copy = tmp_path / "copy.atlas"
    shutil.copyfile(demo_bundle_path, copy)
    status = []

    def ask(parent, file_name, error="", wait=0.0):
        status.append((opened.status.label.text(), opened.status.busy))
        return "wrong passphrase" if len(status) == 1 else None

    open_with(qtbot, opened, copy, ask)
    assert opened.session.is_open and opened.session.path == demo_bundle_path
    summary = f"{demo_bundle_path.name}: 364 areas, 12 clusters, 86 indicators"
    # asked again after the wrong one: the reason, no stale "Deriving key... 3%" behind it
    assert "passphrase is not right" in status[1][0] and "Deriving" not in status[1][0]
    assert status[1][1] is False
    assert opened.status.label.text() == summary and not opened.shown_errors


def test_another_bundle_replaces_the_open_one_once_it_has_opened(
        qtbot, opened, tmp_path, scripted, demo_bundle_path):
    copy = tmp_path / "copy.atlas"
    shutil.copyfile(demo_bundle_path, copy)
    closed = []
    opened.session.bundle_closed.connect(lambda: closed.append(opened.session.is_open))
    open_with(qtbot, opened, copy, scripted(DEMO_PASSPHRASE))
    assert opened.session.path == copy and opened.session.is_open
    assert closed == [False]  # the old one was closed once, just before the new one came


def test_the_status_bar_counts_indicators_as_the_profile_does(opened):
    s = opened.session
    n = len(indicators_for_basis(s.bundle, s.basis))
    assert n < len(s.bundle.manifest.indicators)  # the twins on the other basis are not counted
    assert opened.status.label.text().endswith(f"{n} indicators")
    assert opened.profile_view.count_label.text() == f"{n} of {n} indicators"


def test_help_making_a_bundle_shows_the_input_format_page_inside_the_app(qtbot, window):  # noqa: F811
    action = next(a for a in window.actions() if a.text() == "&Making a bundle")
    assert action.shortcut() == QKeySequence(QKeySequence.StandardKey.HelpContents)
    dialog = HelpDialog.input_format(window)
    qtbot.addWidget(dialog)
    text = dialog.text.toPlainText()
    assert "The input folder for" in text and "indicators.csv" in text
    dialog.text.anchorClicked.emit(QUrl("https://toml.io"))
    assert "opens no web pages" in dialog.link_note.text() and "https://toml.io" in \
        dialog.link_note.text()
    dialog.text.anchorClicked.emit(QUrl("example-input"))
    assert "is on this computer at" in dialog.link_note.text()


def test_new_bundle_labels_are_mnemonics_and_help_opens_the_page(qtbot, monkeypatch):
    dialog = NewBundleDialog()
    qtbot.addWidget(dialog)
    form = dialog.findChild(QFormLayout)
    labels = [item.widget() for row in range(form.rowCount())
              if (item := form.itemAt(row, QFormLayout.ItemRole.LabelRole)) is not None]
    with_keys = [label for label in labels if "&" in label.text()]
    assert len(with_keys) >= 4  # folder, file, passphrase, again
    assert all(isinstance(label, QLabel) and label.buddy() is not None for label in with_keys)
    assert [label.buddy() for label in with_keys[:2]] == [dialog.input_edit, dialog.output_edit]
    shown = []
    monkeypatch.setattr(new_bundle_dialog.HelpDialog, "exec",
                        lambda self: shown.append(self.windowTitle()))
    dialog.buttons.helpRequested.emit()
    assert shown == ["Making a bundle"]


@pytest.mark.parametrize(("answer", "opens"), [(QMessageBox.StandardButton.Open, True),
                                               (QMessageBox.StandardButton.Close, False)])
def test_after_new_bundle_the_window_offers_to_open_it(window, monkeypatch, tmp_path,  # noqa: F811
                                                       answer, opens):
    made = str(tmp_path / "spring.atlas")

    def packed(self):
        self.output = made  # as _finish leaves it after a successful pack
        return QDialog.DialogCode.Accepted

    asked, opened = [], []
    monkeypatch.setattr(NewBundleDialog, "exec", packed)
    monkeypatch.setattr(QMessageBox, "question",
                        lambda parent, title, text, *args: asked.append(text) or answer)
    monkeypatch.setattr(window, "open_bundle", opened.append)
    window.new_bundle()
    assert asked == ["spring.atlas is ready. Open it now?"]
    assert opened == ([made] if opens else [])


def test_the_first_window_fits_the_screen_and_is_remembered_afterwards(qtbot):
    from desktop.gui import settings
    from desktop.gui.main_window import MainWindow

    first = MainWindow()
    qtbot.addWidget(first)
    available = first.screen().availableGeometry()
    assert available.contains(first.normalGeometry())
    assert first.isMaximized() == (available.width() < 1600 or available.height() < 1000)

    first.setWindowState(Qt.WindowState.WindowNoState)
    first.setGeometry(available.x() + 40, available.y() + 30, 640, 480)
    first.save_layout()  # as on closing
    again = MainWindow()
    qtbot.addWidget(again)
    assert not again.isMaximized() and again.normalGeometry() == first.normalGeometry()

    big = MainWindow()  # a layout saved on a larger monitor no longer fits: fitted again
    qtbot.addWidget(big)
    big.setWindowState(Qt.WindowState.WindowNoState)
    big.setGeometry(available.x(), available.y(), available.width() + 600,
                    available.height() + 400)
    big.save_layout()
    fitted = MainWindow()
    qtbot.addWidget(fitted)
    assert available.contains(fitted.normalGeometry())
    assert settings.get("window/geometry") == big.saveGeometry()


def test_the_window_module_imports_no_data_or_plotting_library():
    """What lets the window appear at once: its module needs only Qt (issue 20); the views
    and the libraries behind them are imported once the cover has painted."""
    import os
    import subprocess
    import sys

    from tests.conftest import ROOT

    heavy = ("pandas", "numpy", "matplotlib", "scipy", "geopandas", "shapely", "pyarrow")
    done = subprocess.run(
        [sys.executable, "-c", ("import sys, desktop.app, desktop.gui.main_window\n"
                                f"print(' '.join(m for m in {heavy!r} if m in sys.modules))")],
        cwd=ROOT, capture_output=True, text=True, timeout=120, check=False,
        env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == []


def test_the_built_window_keeps_no_source_lines_nor_libraries_it_does_not_use(tmp_path):
    """The window's memory (issue 20): the build imports pandas, matplotlib and scipy after Qt,
    and PySide6's import hook reads the source of each into linecache (50 MB); the build drops
    them. Nor does it import what only exports need (python-docx, openpyxl) or nothing does
    (mapclassify, which brought scikit-learn)."""
    import os
    import subprocess
    import sys

    from tests.conftest import ROOT

    unused = ("docx", "openpyxl", "mapclassify", "sklearn")
    code = ("import linecache, sys\n"
            "from pathlib import Path\n"
            "from PySide6.QtWidgets import QApplication\n"
            "app = QApplication([])\n"
            "from desktop.gui import settings\n"
            f"settings.use_settings_file(Path({str(tmp_path / 'settings.ini')!r}))\n"
            "from desktop.gui.main_window import MainWindow\n"
            "window = MainWindow()\n"
            "print(len(linecache.cache))\n"
            f"print(' '.join(m for m in {unused!r} if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                          text=True, timeout=300, check=False,
                          env={**os.environ, "PYTHONPATH": str(ROOT),
                               "QT_QPA_PLATFORM": "offscreen"})
    assert done.returncode == 0, done.stderr
    lines, imported = (done.stdout.splitlines() + [""])[:2]
    assert int(lines) == 0
    assert imported.split() == []


def test_the_started_window_shows_its_cover_then_builds_the_rest(qtbot):
    from desktop.gui.main_window import MainWindow

    started = MainWindow(deferred=True)
    qtbot.addWidget(started)
    menus = [action.text() for action in started.menuBar().actions()]
    assert menus == ["&File", "&View", "&Help"] and not started.built
    assert started.stack.currentWidget() is started.cover
    assert started.cover_button.text() == "&Open bundle…"
    after = []
    started.show_then_build(lambda: after.append(started.built))
    qtbot.waitUntil(lambda: after == [True], timeout=60_000)
    assert [action.text() for action in started.menuBar().actions()] == [
        "&File", "&View", "&Areas", "&Help"]
    qtbot.waitUntil(started.selection_bar.isVisible, timeout=5_000)  # the toolbar, above
    assert started.stack.currentWidget() is started.cover
    assert not any(action.isEnabled() for action in started.export_actions)
    assert started.statusBar() is started.status
    # the View menu, made before the views, reaches them once they exist
    focused = []
    started.go_to_box.focus = lambda: focused.append(True)
    next(a for a in started.actions() if a.text() == "&Go to school, postcode or area…").trigger()
    assert focused == [True]
