"""Put rich content (plain text plus HTML) on the clipboard without crashing at exit.

A QMimeData made in Python and handed to the clipboard is destroyed by Qt's own clean-up
after Python has shut down, which segfaults on the way out. So the rich copy is swapped for
plain text before Python stops (on aboutToQuit, and at interpreter exit as a fallback): the
table is still on the clipboard, as tab-separated text, after Cluster Atlas closes.
"""

from __future__ import annotations

import atexit

from PySide6.QtCore import QCoreApplication, QMimeData
from PySide6.QtGui import QGuiApplication

_held: dict[str, object] = {}


def set_rich_text(text: str, html: str) -> None:
    mime = QMimeData()
    mime.setText(text)
    mime.setHtml(html)
    QGuiApplication.clipboard().setMimeData(mime)
    if not _held:
        atexit.register(release)
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(release)
    _held.update(mime=mime, text=text)


def release() -> None:
    """Replace our rich copy with plain text made by Qt itself, if it is still ours."""
    mime, text = _held.pop("mime", None), _held.pop("text", "")
    if mime is None or QCoreApplication.instance() is None:
        return
    clipboard = QGuiApplication.clipboard()
    if clipboard.mimeData() is mime or clipboard.ownsClipboard():
        clipboard.setText(str(text))
