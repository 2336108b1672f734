from desktop.core.stats.changes import changes_between
from desktop.gui.dialogs.changes_dialog import ChangesDialog
from tests.conftest import DEMO_PASSPHRASE
from tests.gui.test_main_window import open_with, window  # noqa: F401 - fixture


def test_changes_since_lists_the_core_changes(qtbot, window, demo_bundle_path, scripted):  # noqa: F811
    open_with(qtbot, window, demo_bundle_path, scripted(DEMO_PASSPHRASE))
    s = window.session
    s.set_cluster("Redditch")
    dialog = ChangesDialog(s, window)
    qtbot.addWidget(dialog)
    dialog.from_combo.setCurrentText("2018/19")
    dialog.to_combo.setCurrentText("2023/24")
    expected = changes_between(s.bundle, s.statistics, "Redditch", "2018/19", "2023/24")
    assert len(expected) > 0
    assert dialog.model.rowCount() == len(expected)
    assert [dialog.model.item(r, 0).text() for r in range(len(expected))] == list(expected["title"])
    first = expected.iloc[0]
    assert dialog.model.item(0, 2).text() == s.comparison.label(first["significance_a"])
    with qtbot.waitSignal(dialog.indicator_selected) as blocker:
        dialog.table.activated.emit(dialog.model.index(0, 0))
    assert blocker.args == [first["indicator_id"]]
