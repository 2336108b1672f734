"""The clipboard: what Cluster Atlas copies there, and taking it back on lock and quit.

Copies carry hints that ask clipboard managers not to keep a history of them (Windows'
clipboard history and cloud clipboard, KDE's Klipper); other managers may still keep one,
which SECURITY.md says. `clear_ours` empties the clipboard when it still holds our last copy
(never someone else's): the window calls it when it locks, and it runs when the app quits
(aboutToQuit, and at interpreter exit as a fallback). Clearing before Python stops also keeps
Qt from destroying a Python-made QMimeData after Python has shut down (a crash at exit).
"""

from __future__ import annotations

import atexit

from PySide6.QtCore import QCoreApplication, QMimeData
from PySide6.QtGui import QGuiApplication, QImage

_WINDOWS_FORMAT = 'application/x-qt-windows-mime;value="{}"'
_ZERO = b"\x00\x00\x00\x00"
PRIVACY_HINTS = {
    _WINDOWS_FORMAT.format("ExcludeClipboardContentFromMonitorProcessing"): b"",
    _WINDOWS_FORMAT.format("CanIncludeInClipboardHistory"): _ZERO,
    _WINDOWS_FORMAT.format("CanUploadToCloudClipboard"): _ZERO,
    "x-kde-passwordManagerHint": b"secret",
}
_held: dict[str, object] = {}


def set_rich_text(text: str, html: str) -> None:
    """Plain text (tab-separated for Excel) and HTML (formatted for Word) in one copy."""
    mime = QMimeData()
    mime.setText(text)
    mime.setHtml(html)
    _put(mime, text)


def set_text(text: str) -> None:
    mime = QMimeData()
    mime.setText(text)
    _put(mime, text)


def set_image(image: QImage) -> None:
    mime = QMimeData()
    mime.setImageData(image)
    _put(mime, "")


def _put(mime: QMimeData, text: str) -> None:
    for kind, data in PRIVACY_HINTS.items():
        mime.setData(kind, data)
    QGuiApplication.clipboard().setMimeData(mime)
    if not _held:
        atexit.register(clear_ours)
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(clear_ours)
    _held.update(mime=mime, text=text)


def holds_a_copy() -> bool:
    """Whether this module still keeps anything of the last copy."""
    return bool(_held)


def clear_ours() -> bool:
    """Empty the clipboard if it still holds our last copy; forget the copy either way.
    True when something of ours was cleared."""
    mime, text = _held.pop("mime", None), _held.pop("text", "")
    if mime is None or QCoreApplication.instance() is None:
        return False
    clipboard = QGuiApplication.clipboard()
    current = clipboard.mimeData()
    ours = current is mime or (bool(text) and current is not None and current.text() == text)
    if ours:
        clipboard.clear()
    return ours
