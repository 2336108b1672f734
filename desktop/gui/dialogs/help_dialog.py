"""Help > Making a bundle: a help page shipped with the program, shown inside it.

The page is the same Markdown file as in the repository (docs/input-format.md), copied into
every build by build.spec, so an installed copy has the help the New bundle dialog points to.
Cluster Atlas works offline: a web address in the page is shown to copy, never opened, and a
link to a shipped folder (the worked example) shows where that folder is on this computer.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from desktop.core.resources import INPUT_FORMAT, doc_path
from desktop.gui.text_room import text_size


class HelpDialog(QDialog):
    def __init__(self, page: Path, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.page = page
        self.text = QTextBrowser()
        self.text.setAccessibleName(title)
        self.text.setOpenLinks(False)
        self.text.setMarkdown(page.read_text(encoding="utf-8"))
        self.text.anchorClicked.connect(self._follow)
        self.link_note = QLabel()
        self.link_note.setWordWrap(True)
        self.link_note.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                               | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.link_note.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.link_note)
        layout.addWidget(buttons)
        self.resize(text_size(self, 127, 44))  # characters and lines: grows with the text

    @classmethod
    def input_format(cls, parent: QWidget | None = None) -> HelpDialog:
        """The page on the input folder that New bundle and `cluster-atlas pack` read."""
        return cls(doc_path(INPUT_FORMAT), "Making a bundle", parent)

    def _follow(self, url: QUrl) -> None:
        if url.scheme() in ("http", "https", "mailto"):
            self._note(f"Cluster Atlas works offline and opens no web pages. The address is: "
                       f"{url.toString()}")
        elif not url.path() and url.fragment():
            self.text.scrollToAnchor(url.fragment())
        else:
            target = (self.page.parent / url.path()).resolve()
            where = ("is on this computer at" if target.exists()
                     else "is not part of this installation; it would be at")
            self._note(f"{url.path()} {where}: {target}")

    def _note(self, text: str) -> None:
        self.link_note.setText(text)
        self.link_note.show()
