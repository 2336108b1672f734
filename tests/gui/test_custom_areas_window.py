"""Custom areas in the real window on the demo bundle: made from a pasted list, listed beside
the clusters with a cluster's profile, kept with the settings as names and area codes only,
back after a lock, shared as a CSV of codes."""

from __future__ import annotations

import csv
import io

import pytest
from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox

from desktop.gui import settings
from desktop.gui.dialogs import custom_area_dialog
from desktop.gui.main_window import MainWindow
from tests.conftest import DEMO_PASSPHRASE
from tests.gui.test_main_window import open_with

NAME = "Town centre"


def opened_window(qtbot, path, scripted, monkeypatch) -> MainWindow:
    """The window with the demo open; the custom areas' reports answered."""
    monkeypatch.setattr(QMessageBox, "information", lambda *args: None)
    w = MainWindow()
    qtbot.addWidget(w)
    w.resize(1400, 900)
    w.show()
    w.opener.ask_passphrase = scripted(DEMO_PASSPHRASE, DEMO_PASSPHRASE)
    open_with(qtbot, w, path, w.opener.ask_passphrase)
    return w


@pytest.fixture
def window(qtbot, demo_bundle_path, scripted, monkeypatch):
    w = opened_window(qtbot, demo_bundle_path, scripted, monkeypatch)
    yield w
    w.opener.cancel()


def pershore(bundle) -> tuple[str, ...]:
    return tuple(bundle.areas.loc[bundle.areas["cluster"] == "Pershore", "area_code"])


def make_area(qtbot, window, text: str) -> None:
    """Areas > New custom area, as typed into the dialog."""
    def fill(dialog) -> QDialog.DialogCode:
        dialog.name.setText(NAME)
        dialog.entries.setPlainText(text)
        dialog._make()
        return (QDialog.DialogCode.Accepted if dialog.area is not None
                else QDialog.DialogCode.Rejected)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(custom_area_dialog.CustomAreaDialog, "exec", fill)
        window.custom_areas.new_area()
    qtbot.waitUntil(lambda: window.custom_areas.worker is None, timeout=60_000)


def test_a_pasted_list_becomes_a_custom_area_beside_the_clusters(qtbot, window):
    s = window.session
    codes = pershore(s.bundle)
    make_area(qtbot, window, "\n".join(codes))
    assert s.bundle.cluster_names[-1] == NAME and s.cluster == NAME
    combo = window.selection_bar.cluster_combo
    assert combo.itemText(combo.count() - 1) == NAME
    # its profile is the Pershore cluster's, figure for figure
    mine = window.sync.profile_for(NAME)[["value", "lower95", "upper95", "suppressed"]]
    theirs = window.sync.profile_for("Pershore")[["value", "lower95", "upper95", "suppressed"]]
    assert mine.equals(theirs)
    saved = settings.get("custom_areas")
    assert saved == [f"{s.bundle.manifest.title}\t{NAME}\t{' '.join(codes)}"]  # codes only


def test_custom_areas_come_back_after_a_lock(qtbot, window):
    make_area(qtbot, window, "\n".join(pershore(window.session.bundle)))
    window.lock()
    assert window.session.bundle is None
    window.opener.open(window.session.path)
    qtbot.waitUntil(lambda: window.session.is_open and window.custom_areas.worker is None
                    and NAME in window.session.bundle.cluster_names, timeout=60_000)


def test_the_csv_shares_names_and_codes_and_a_bad_list_says_why(qtbot, window, tmp_path,
                                                               monkeypatch):
    codes = pershore(window.session.bundle)
    make_area(qtbot, window, "\n".join(codes))
    out = tmp_path / "areas.csv"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a: (str(out), ""))
    window.custom_areas.export_csv()
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert rows[0] == ["custom_area", "area_code"]
    assert rows[1:] == [[NAME, c] for c in codes]
    dialog = custom_area_dialog.CustomAreaDialog(window.session.plain[0], (NAME,))
    dialog.name.setText("Elsewhere")
    dialog.entries.setPlainText("not a code\nE99999999")
    dialog._make()
    assert dialog.area is None and "makes no small area" in dialog.problem.text()
    dialog.name.setText(NAME)
    dialog._make()
    assert "already a custom area" in dialog.problem.text()
