from pathlib import Path

from desktop.core.bundle.encrypted import read_bundle
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
    fill(dialog, EXAMPLE, tmp_path / "x.atlas", "short")
    dialog.start()
    assert "at least" in dialog.message.text()
    assert not Path(tmp_path / "x.atlas").exists()


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
