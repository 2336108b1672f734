"""The Go to box: type a school's name or URN, a postcode, a small area's code or name, a
cluster or an indicator; pick one of the matches offered (or press Enter for the first) and
the window goes there. Everything is found in the open bundle's own tables
(desktop.core.find), offline. Ctrl+G puts the cursor in it (Ctrl+F stays the profile's
indicator search)."""

from __future__ import annotations

from PySide6.QtCore import QStringListModel, Qt, Signal
from PySide6.QtWidgets import QCompleter, QWidget

from desktop.core.find import Finder, Match
from desktop.gui.text_room import PlaceholderEdit


class GoToBox(PlaceholderEdit):  # as wide as "School, postcode, area… (Ctrl+G)"
    chosen = Signal(object)  # the core.find.Match picked
    not_found = Signal(str)  # what to say when nothing matches

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("go_to_box")
        self.setPlaceholderText("School, postcode, area… (Ctrl+G)")
        self.setAccessibleName("Go to")
        self.setAccessibleDescription("Find a school by name or URN, a postcode, a small "
                                      "area, a cluster or an indicator, and go there")
        self.setClearButtonEnabled(True)
        self.finder: Finder | None = None
        self._matches: dict[str, Match] = {}
        self.model = QStringListModel(self)
        self.completer = QCompleter(self.model, self)
        self.completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self.completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.completer.setMaxVisibleItems(12)
        self.completer.activated[str].connect(self._pick)
        self.setCompleter(self.completer)
        self.textEdited.connect(self._offer)
        self.returnPressed.connect(self._enter)
        self.setEnabled(False)

    def set_finder(self, finder: Finder | None) -> None:
        """Search this bundle's tables (None: no bundle open; the box empties and greys)."""
        self.finder = finder
        self._matches.clear()
        self.model.setStringList([])
        self.clear()
        self.setEnabled(finder is not None)

    def matches(self, text: str) -> list[Match]:
        return [] if self.finder is None or not text.strip() else self.finder.find(text)

    def _offer(self, text: str) -> None:
        found = self.matches(text)
        self._matches = {m.text: m for m in found}
        self.model.setStringList(list(self._matches))
        if found:
            self.completer.complete()

    def _pick(self, text: str) -> None:
        match = self._matches.get(text)
        if match is not None:
            self.chosen.emit(match)
            self.completer.popup().hide()
            self.setText(match.label)
            self.selectAll()

    def _enter(self) -> None:
        """Enter: the highlighted match, else the best one; or say nothing matched."""
        popup = self.completer.popup()
        current = popup.currentIndex() if popup.isVisible() else None
        if current is not None and current.isValid():
            self._pick(current.data())
            return
        found = self.matches(self.text())
        if found:
            self._matches.setdefault(found[0].text, found[0])
            self._pick(found[0].text)
        elif self.finder is not None and self.text().strip():
            self.not_found.emit(self.finder.nothing_found(self.text()))

    def focus(self) -> None:
        """Ctrl+G: the cursor in the box, its text selected."""
        self.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.selectAll()
