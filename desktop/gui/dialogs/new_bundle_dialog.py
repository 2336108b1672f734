"""File > New bundle: pack a folder of inputs (docs/input-format.md, shown by the dialog's Help
button) into an encrypted bundle.

The same `desktop.core.pack.build.pack` as `cluster-atlas pack`, run in a worker with progress and
cancel; a bad input is shown as the message naming the file, row and column. The passphrase's
strength (desktop.core.bundle.passphrase, zxcvbn) shows as it is typed, a weak one is refused
with the reason, and "Suggest" fills in six random words the officer can see and write down.
"""

from __future__ import annotations

import gc
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.core.bundle.passphrase import (
    MIN_SCORE,
    check_new_passphrase,
    measure,
    suggest_passphrase,
)
from desktop.core.errors import WeakPassphrase
from desktop.core.pack.build import pack
from desktop.gui import colours
from desktop.gui.dialogs.help_dialog import HelpDialog
from desktop.gui.text_room import text_size
from desktop.gui.workers import Worker

STRENGTH_COLOURS = ("#b2182b", "#d6604d", "#b8860b", "#4d9221", "#1a7837")  # very weak..strong


def _path_row(edit: QLineEdit, choose, label: str = "Choose…") -> QHBoxLayout:
    row = QHBoxLayout()
    row.addWidget(edit, 1)
    button = QPushButton(label)
    button.clicked.connect(choose)
    row.addWidget(button)
    return row


def _label(text: str, buddy: QWidget) -> QLabel:
    """A form label whose Alt+letter moves to `buddy` (a row of several widgets gets none)."""
    label = QLabel(text)
    label.setBuddy(buddy)
    return label


def _pack_here(source: Path, output: Path, passphrase: str, task) -> None:
    """Pack, and let every object of the packing die in this (worker) thread.

    Packing reprojects with pyproj, whose objects belong to the thread's PROJ context;
    freeing them later on the GUI thread crashes. So nothing is returned and the garbage
    is collected here.
    """
    pack(source, output, passphrase, task)
    gc.collect()


class NewBundleDialog(QDialog):
    packed = Signal(str)  # the path of the new bundle

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("New bundle")
        self.worker: Worker | None = None
        self.input_edit = QLineEdit()
        self.input_edit.setAccessibleName("Input folder")
        self.output_edit = QLineEdit()
        self.output_edit.setAccessibleName("Bundle file")
        self.pass_edit = QLineEdit()
        self.again_edit = QLineEdit()
        for edit, name in ((self.pass_edit, "Passphrase"), (self.again_edit, "Passphrase again")):
            edit.setEchoMode(QLineEdit.EchoMode.Password)
            edit.setAccessibleName(name)
        self.pass_edit.textChanged.connect(self._show_strength)
        self.strength_bar = QProgressBar()
        self.strength_bar.setRange(0, 4)
        self.strength_bar.setTextVisible(False)
        self.strength_bar.setMaximumHeight(8)
        self.strength_bar.setAccessibleName("Passphrase strength")
        self.strength_label = QLabel()
        self.strength_label.setWordWrap(True)
        self.show_check = QCheckBox("&Show passphrases")
        self.show_check.toggled.connect(self._show_passphrases)
        form = QFormLayout()
        form.addRow(_label("&Input folder:", self.input_edit),
                    _path_row(self.input_edit, self._choose_input))
        form.addRow(_label("&Bundle file:", self.output_edit),
                    _path_row(self.output_edit, self._choose_output))
        form.addRow(_label("&Passphrase:", self.pass_edit),
                    _path_row(self.pass_edit, self.suggest, "Su&ggest"))
        strength = QVBoxLayout()
        strength.setSpacing(2)
        strength.addWidget(self.strength_bar)
        strength.addWidget(self.strength_label)
        form.addRow("Strength:", strength)
        form.addRow("&Again:", self.again_edit)
        form.addRow("", self.show_check)
        self.message = QLabel("The input folder holds bundle.toml, indicators, values/, "
                              "boundaries, clusters and schools: Help explains each file.")
        self.message.setWordWrap(True)
        self.progress = QProgressBar()
        self.progress.setRange(0, 1000)
        self.progress.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel
                                        | QDialogButtonBox.StandardButton.Help)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("&Pack")
        self.buttons.accepted.connect(self.start)
        self.buttons.rejected.connect(self._cancel_or_close)
        self.buttons.helpRequested.connect(lambda: HelpDialog.input_format(self).exec())
        self.output = ""  # the bundle written, once packing has succeeded
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.progress)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(text_size(self, 93, 0).width())  # grows with the text size
        self._show_strength("")

    # --- the passphrase -----------------------------------------------------------------
    def _context(self) -> tuple[str, ...]:
        """Words an attacker would try first: the bundle's and the input folder's names."""
        return (Path(self.output_edit.text()).stem, Path(self.input_edit.text()).name)

    def _show_strength(self, text: str) -> None:
        if not text:
            self.strength_bar.setValue(0)
            self.strength_label.setText(f"Use several random words; {MIN_SCORE} of 4 is needed.")
            colours.set_text_colour(self.strength_label, None)
            return
        strength = measure(text, self._context())
        colour = STRENGTH_COLOURS[strength.score]
        self.strength_bar.setValue(strength.score)
        self.strength_bar.setStyleSheet(f"QProgressBar::chunk {{ background: {colour}; }}")
        verdict = "" if strength.acceptable else " Too weak to protect a bundle."
        self.strength_label.setText(f"{strength.label.capitalize()} ({strength.score} of 4): "
                                    f"guessed {strength.guessed_in} by someone with a copy of "
                                    f"the bundle.{verdict}")
        colours.set_text_colour(self.strength_label, colour)

    def suggest(self) -> None:
        """Fill both fields with six random words, shown so they can be written down."""
        words = suggest_passphrase()
        self.pass_edit.setText(words)
        self.again_edit.setText(words)
        self.show_check.setChecked(True)
        self._say("Write the suggested passphrase down and give it to the bundle's users "
                  "separately from the bundle file.")

    def _show_passphrases(self, shown: bool) -> None:
        mode = QLineEdit.EchoMode.Normal if shown else QLineEdit.EchoMode.Password
        self.pass_edit.setEchoMode(mode)
        self.again_edit.setEchoMode(mode)

    def _choose_input(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Input folder")
        if folder:
            self.input_edit.setText(folder)
            if not self.output_edit.text():
                self.output_edit.setText(str(Path(folder).with_suffix(".atlas")))

    def _choose_output(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Bundle file", self.output_edit.text(),
                                              "Cluster Atlas bundles (*.atlas)")
        if path:
            self.output_edit.setText(path if path.endswith(".atlas") else path + ".atlas")

    def problem(self) -> str:
        """Why the form cannot be packed yet, or "" when it can."""
        if not Path(self.input_edit.text()).is_dir():
            return "Choose the folder that holds the inputs."
        if not self.output_edit.text().strip():
            return "Choose where to write the bundle."
        try:
            check_new_passphrase(self.pass_edit.text(), self._context())
        except WeakPassphrase as exc:
            return str(exc)
        if self.pass_edit.text() != self.again_edit.text():
            return "The two passphrases differ."
        return ""

    def start(self) -> None:
        problem = self.problem()
        if problem:
            self._say(problem, error=True)
            return
        source, output = Path(self.input_edit.text()), Path(self.output_edit.text())
        passphrase = self.pass_edit.text()
        self.pass_edit.clear()
        self.again_edit.clear()
        self.show_check.setChecked(False)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(False)
        self.progress.show()
        self.worker = Worker(lambda task: _pack_here(source, output, passphrase, task), self)
        self.worker.signals.progress.connect(
            lambda f, m: (self.progress.setValue(int(f * 1000)), self._say(m)))
        self.worker.signals.finished.connect(lambda _b: self._finish(str(output)))
        self.worker.signals.failed.connect(lambda exc: self._fail(str(exc)))
        self.worker.signals.cancelled.connect(self._fail)
        self.worker.signals.crashed.connect(self._fail)
        self.worker.start()

    def _say(self, text: str, error: bool = False) -> None:
        colours.set_text_colour(self.message, colours.ERROR_HEX if error else None)
        self.message.setText(text)

    def _release(self) -> None:
        if self.worker is not None:
            self.worker.dispose()
            self.worker = None
        self.progress.hide()
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(True)

    def _finish(self, output: str) -> None:
        self._release()
        self.output = output
        self.packed.emit(output)
        self.accept()

    def _fail(self, message: str) -> None:
        self._release()
        self._say(message, error=True)

    def _cancel_or_close(self) -> None:
        if self.worker is not None:
            self.worker.cancel()
        else:
            self.reject()
