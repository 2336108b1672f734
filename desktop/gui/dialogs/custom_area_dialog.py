"""Areas > New custom area: a name and a list of small area codes or postcodes, pasted, typed
or loaded from a file; postcodes become areas by the documented share rule
(desktop.core.stats.custom_areas). What the list made is shown before the area is kept."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop.core.errors import CustomAreaError
from desktop.core.model import Bundle
from desktop.core.stats.custom_areas import (
    DEFAULT_MIN_SHARE,
    MAX_CSV_BYTES,
    CustomArea,
    make_custom_area,
)
from desktop.gui.text_room import text_size

LIST_FILTER = "Lists of codes or postcodes (*.csv *.txt);;All files (*)"


class CustomAreaDialog(QDialog):
    """Asks for one custom area; `area` and `report` are set when accepted."""

    def __init__(self, bundle: Bundle, taken: tuple[str, ...], codes: tuple[str, ...] = (),
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("New custom area")
        self.bundle, self.taken = bundle, taken
        self.area: CustomArea | None = None
        self.report: list[str] = []
        self.name = QLineEdit()
        self.name.setAccessibleName("Name of the custom area")
        self.entries = QPlainTextEdit("\n".join(codes))
        self.entries.setAccessibleName("Small area codes or postcodes")
        self.entries.setPlaceholderText("One small area code (e.g. E01032134) or postcode "
                                        "(e.g. WR5 2AA) per line, or pasted from a "
                                        "spreadsheet column")
        self.share = QSpinBox()
        self.share.setRange(0, 100)
        self.share.setSuffix("%")
        self.share.setValue(round(100 * DEFAULT_MIN_SHARE))
        self.share.setAccessibleName("Share of an area's postcodes that must be listed")
        self.share.setToolTip("A small area is included when at least this share of its "
                              "postcodes is listed (0%: any listed postcode)")
        load = QPushButton("&Load a file…")
        load.clicked.connect(self._load)
        form = QFormLayout()
        form.addRow("&Name", self.name)
        form.addRow("&Codes or postcodes", self.entries)
        form.addRow("", load)
        form.addRow("&Postcode rule", self.share)
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #B00020")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self._make)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)
        self.resize(text_size(self, 87, 30))  # characters and lines: grows with the text

    def _load(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Load a list", "", LIST_FILTER)
        if path:
            self.load_text(Path(path))

    def load_text(self, path: Path) -> None:
        """Put a file's lines in the box (a file too large or not text says so)."""
        try:
            if path.stat().st_size > MAX_CSV_BYTES:
                raise CustomAreaError(f"{path.name} is larger than a list of codes can be.")
            self.entries.setPlainText(path.read_bytes().decode("utf-8-sig"))
            if not self.name.text():
                self.name.setText(path.stem)
        except (OSError, UnicodeDecodeError, CustomAreaError) as exc:
            self.problem.setText(str(exc) if isinstance(exc, CustomAreaError) else
                                 f"Cannot read {path.name}: save it as CSV UTF-8 or text.")

    def _make(self) -> None:
        try:
            self.area, self.report = make_custom_area(
                self.name.text(), self.entries.toPlainText(), self.bundle,
                self.share.value() / 100.0, self.taken)
        except CustomAreaError as exc:
            self.problem.setText(str(exc))
            return
        self.accept()
