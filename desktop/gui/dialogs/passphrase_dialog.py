"""Ask for a bundle's passphrase: masked, with the reason for a retry shown in words."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QLineEdit, QVBoxLayout, QWidget

from desktop.gui import colours
from desktop.gui.text_room import text_size


class PassphraseDialog(QDialog):
    def __init__(self, file_name: str, error: str = "", wait_seconds: float = 0.0,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Passphrase")
        self.setModal(True)
        layout = QVBoxLayout(self)
        prompt = QLabel(f"Enter the passphrase for <b>{_escape(file_name)}</b>:")
        prompt.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(prompt)
        self.edit = QLineEdit()
        self.edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.edit.setAccessibleName("Passphrase")
        layout.addWidget(self.edit)
        prompt.setBuddy(self.edit)
        self.error_label = QLabel(error)
        self.error_label.setWordWrap(True)
        colours.set_text_colour(self.error_label, colours.ERROR_HEX)
        self.error_label.setVisible(bool(error))
        layout.addWidget(self.error_label)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self._accept_if_given)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(text_size(self, 63, 0).width())  # grows with the text size
        if wait_seconds > 0:
            self._hold(wait_seconds)

    def _hold(self, seconds: float) -> None:
        """Disable OK for a while after repeated wrong passphrases."""
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(False)
        self.error_label.setText(self.error_label.text()
                                 + f"\nToo many wrong attempts: wait {seconds:.0f} s.")
        self.error_label.setVisible(True)
        QTimer.singleShot(int(seconds * 1000), lambda: ok.setEnabled(True))

    def _accept_if_given(self) -> None:
        if self.edit.text():
            self.accept()

    def passphrase(self) -> str:
        return self.edit.text()


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def ask_passphrase(parent: QWidget | None, file_name: str, error: str = "",
                   wait_seconds: float = 0.0) -> str | None:
    """Show the dialog; the passphrase, or None if the officer cancelled."""
    dialog = PassphraseDialog(file_name, error, wait_seconds, parent)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    text = dialog.passphrase()
    dialog.edit.clear()
    return text
