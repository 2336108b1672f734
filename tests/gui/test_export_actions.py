"""File > Export from the real window: every format lands where asked, and reads back."""

from __future__ import annotations

import docx
from PIL import Image
from PySide6.QtWidgets import QApplication

from desktop.core.report import document as report
from tests.conftest import DEMO_PASSPHRASE
from tests.gui.test_main_window import open_with, window  # noqa: F401 - fixture


def test_exports_from_the_window(qtbot, window, demo_bundle_path, scripted, tmp_path):  # noqa: F811
    open_with(qtbot, window, demo_bundle_path, scripted(DEMO_PASSPHRASE))
    s = window.session
    s.set_cluster(s.bundle.cluster_names[1])
    s.set_basis("school")  # the Word profile counts pupils as the window does
    exports = window.exports
    assert all(a.isEnabled() for a in window.export_actions)

    answers = iter([str(tmp_path / "chart.png"), str(tmp_path / "map.svg"),
                    str(tmp_path / "profile.xlsx"), str(tmp_path / "profile.docx")])
    exports.ask_path = lambda *args: next(answers)
    exports.export_chart()
    with Image.open(tmp_path / "chart.png") as png:
        assert round(png.info["dpi"][0]) == 300
        assert png.width == round(16 / 2.54 * 300)
    exports.export_map()
    assert (tmp_path / "map.svg").read_text().lstrip().startswith("<?xml")
    exports.export_profile_table()
    assert (tmp_path / "profile.xlsx").stat().st_size > 0
    with qtbot.waitSignal(exports.finished, timeout=60_000):
        exports.export_profile()
    document = docx.Document(str(tmp_path / "profile.docx"))
    text = "\n".join(p.text for p in document.paragraphs)
    assert s.cluster in text
    assert report.BASIS_NOTES["school"] in text
    assert window.status.label.text().startswith("Exported profile.docx")

    exports.copy_profile()
    mime = QApplication.clipboard().mimeData()
    assert mime.hasHtml() and "<table" in mime.html()
    assert s.cluster in mime.text()


def test_export_to_missing_folder_shows_message(qtbot, window, demo_bundle_path, scripted,  # noqa: F811
                                                tmp_path, monkeypatch):
    open_with(qtbot, window, demo_bundle_path, scripted(DEMO_PASSPHRASE))
    shown = []
    monkeypatch.setattr(window, "_show_error", shown.append)
    window.exports.ask_path = lambda *args: str(tmp_path / "no-such-folder" / "chart.png")
    window.exports.export_chart()
    assert len(shown) == 1 and "no-such-folder" in shown[0]


def test_lock_cancels_running_export(qtbot, window, demo_bundle_path, scripted, tmp_path):  # noqa: F811
    open_with(qtbot, window, demo_bundle_path, scripted(DEMO_PASSPHRASE))
    window.exports.ask_folder = lambda *args: str(tmp_path)
    with qtbot.waitSignal(window.exports.finished, timeout=60_000) as blocker:
        window.exports.export_all_profiles()
        window.lock()
    assert "cancelled: nothing was written" in blocker.args[0].lower()
    assert not list(tmp_path.glob("*.docx")) and not list(tmp_path.glob("*.part"))
