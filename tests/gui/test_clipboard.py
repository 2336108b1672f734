import subprocess
import sys

from PySide6.QtWidgets import QApplication

from desktop.gui.clipboard import release, set_rich_text
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


def test_rich_copy_reaches_the_clipboard_and_release_keeps_the_text(qapp):
    set_rich_text("a\tb", "<table><tr><td>a</td><td>b</td></tr></table>")
    mime = QApplication.clipboard().mimeData()
    assert mime.hasHtml() and "<td>a</td>" in mime.html()
    release()
    assert QApplication.clipboard().text() == "a\tb"


def test_process_with_a_rich_copy_exits_cleanly():
    """Qt used to destroy the Python-made QMimeData after Python had shut down: exit 139."""
    done = subprocess.run([sys.executable, "-c", SCRIPT], cwd=ROOT, capture_output=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr.decode(errors="replace")[-2000:]
