import subprocess
import sys

from PySide6.QtWidgets import QApplication

from desktop.gui.clipboard import PRIVACY_HINTS, clear_ours, holds_a_copy, set_rich_text
from tests.conftest import ROOT

SCRIPT = """
import os
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from PySide6.QtWidgets import QApplication
app = QApplication([])
from desktop.gui.clipboard import set_rich_text
set_rich_text("a\\tb", "<table><tr><td>a</td><td>b</td></tr></table>")
assert QApplication.clipboard().mimeData().hasHtml()
"""


def test_rich_copy_reaches_the_clipboard_and_is_taken_back(qapp):
    set_rich_text("a\tb", "<table><tr><td>a</td><td>b</td></tr></table>")
    mime = QApplication.clipboard().mimeData()
    assert mime.hasHtml() and "<td>a</td>" in mime.html()
    assert set(PRIVACY_HINTS) <= set(mime.formats())  # kept out of clipboard histories
    assert clear_ours()
    assert QApplication.clipboard().text() == "" and not holds_a_copy()


def test_someone_elses_copy_is_left_alone(qapp):
    set_rich_text("ours", "<p>ours</p>")
    QApplication.clipboard().setText("the officer copied something else since")
    assert not clear_ours()
    assert QApplication.clipboard().text() == "the officer copied something else since"
    assert not holds_a_copy()


def test_process_with_a_rich_copy_exits_cleanly():
    """Qt used to destroy the Python-made QMimeData after Python had shut down: exit 139."""
    done = subprocess.run([sys.executable, "-c", SCRIPT], cwd=ROOT, capture_output=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr.decode(errors="replace")[-2000:]
