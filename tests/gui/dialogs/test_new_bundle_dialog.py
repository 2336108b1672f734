from pathlib import Path

from PySide6.QtWidgets import QLineEdit

from desktop.core.bundle.encrypted import read_bundle
from desktop.core.bundle.passphrase import ALLOW_WEAK_ENV
from desktop.gui.dialogs.new_bundle_dialog import NewBundleDialog
from tests.conftest import ROOT

EXAMPLE = ROOT / "docs" / "example-input"


def fill(dialog, source, output, passphrase, again=None):
    dialog.input_edit.setText(str(source))
    dialog.output_edit.setText(str(output))
    dialog.pass_edit.setText(passphrase)
    dialog.again_edit.setText(passphrase if again is None else again)


def test_packs_the_example_folder(qtbot, tmp_path):
    dialog = NewBundleDialog()
    qtbot.addWidget(dialog)
    out = tmp_path / "example.atlas"
    fill(dialog, EXAMPLE, out, "long enough phrase")
    with qtbot.waitSignal(dialog.packed, timeout=60_000) as blocker:
        dialog.start()
    assert blocker.args == [str(out)]
    bundle = read_bundle(out, "long enough phrase")
    assert len(bundle.areas) > 0 and dialog.pass_edit.text() == ""


def test_form_problems_are_explained(qtbot, tmp_path):
    dialog = NewBundleDialog()
    qtbot.addWidget(dialog)
    fill(dialog, tmp_path / "missing", tmp_path / "x.atlas", "long enough phrase")
    dialog.start()
    assert "folder" in dialog.message.text()
    fill(dialog, EXAMPLE, tmp_path / "x.atlas", "long enough phrase", "different phrase")
    dialog.start()
    assert "differ" in dialog.message.text()
    assert not Path(tmp_path / "x.atlas").exists()


def test_a_weak_passphrase_is_refused_with_the_reason(qtbot, tmp_path, monkeypatch):
    """The dialog used to accept "password" (8 characters)."""
    monkeypatch.delenv(ALLOW_WEAK_ENV)
    dialog = NewBundleDialog()
    qtbot.addWidget(dialog)
    fill(dialog, EXAMPLE, tmp_path / "x.atlas", "password")
    dialog.start()
    assert dialog.worker is None
    assert "top-10 common password" in dialog.message.text()
    assert "for example:" in dialog.message.text()
    assert not (tmp_path / "x.atlas").exists()


def test_strength_shows_as_the_passphrase_is_typed(qtbot, monkeypatch):
    monkeypatch.delenv(ALLOW_WEAK_ENV)
    dialog = NewBundleDialog()
    qtbot.addWidget(dialog)
    seen = []
    for text in ("p", "pass", "password", "password orchard", "password orchard lantern 42x"):
        dialog.pass_edit.setText(text)
        seen.append((dialog.strength_bar.value(), dialog.strength_label.text()))
    assert [value for value, _ in seen] == sorted(value for value, _ in seen)
    assert seen[0][0] == 0 and "Too weak" in seen[0][1]
    assert seen[-1][0] == 4 and "Strong" in seen[-1][1] and "Too weak" not in seen[-1][1]
    dialog.pass_edit.clear()
    assert dialog.strength_bar.value() == 0


def test_a_suggested_passphrase_is_shown_and_packs(qtbot, tmp_path, monkeypatch):
    monkeypatch.delenv(ALLOW_WEAK_ENV)
    dialog = NewBundleDialog()
    qtbot.addWidget(dialog)
    out = tmp_path / "example.atlas"
    fill(dialog, EXAMPLE, out, "")
    dialog.suggest()
    words = dialog.pass_edit.text()
    assert len(words.split()) == 6 and dialog.again_edit.text() == words
    assert dialog.pass_edit.echoMode() == QLineEdit.EchoMode.Normal  # to be written down
    assert dialog.strength_bar.value() == 4
    with qtbot.waitSignal(dialog.packed, timeout=60_000):
        dialog.start()
    assert dialog.pass_edit.echoMode() == QLineEdit.EchoMode.Password
    assert len(read_bundle(out, words).areas) > 0


def test_bad_input_names_the_file(qtbot, tmp_path):
    import shutil

    source = tmp_path / "inputs"
    shutil.copytree(EXAMPLE, source)
    (source / "indicators.csv").write_text("id,title\nx,y\n")
    dialog = NewBundleDialog()
    qtbot.addWidget(dialog)
    fill(dialog, source, tmp_path / "x.atlas", "long enough phrase")
    dialog.start()
    qtbot.waitUntil(lambda: dialog.worker is None, timeout=60_000)
    assert "indicators.csv" in dialog.message.text()
    assert not (tmp_path / "x.atlas").exists()
