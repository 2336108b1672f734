"""Whether each visible widget's text fits the room it is drawn in, measured as Qt draws it.

window_probe's `text_fit` scenario uses this on the real window with text at 200% (and 100%).
A text "fits" when its font metrics (mnemonic ampersands removed; rich text laid out by
QTextDocument, as QLabel lays it out) are no larger than the rectangle the widget's style
draws it in. A text may be cut only where the widget cuts it on purpose and shows it whole
in a tooltip: such cuts are listed as `elided`, every other one as `clipped`. A line edit's
placeholder is measured, and its text when the program shows a choice in it (an editable combo
box, a spin box, a read-only box); what an officer types scrolls in the box, as typing does.

Also measured: whether every control lies inside the window and the window inside the screen
(controls inside a scroll area count by their scroll area: scrolling is allowed).
"""

from __future__ import annotations

import math
import re

from PySide6.QtCore import QPoint, QRect, QSize
from PySide6.QtGui import (
    QFontMetricsF,
    Qt,  # QtCore's Qt and mightBeRichText, which lives in QtGui
    QTextDocument,
)
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractScrollArea,
    QAbstractSpinBox,
    QCheckBox,
    QComboBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenuBar,
    QPushButton,
    QRadioButton,
    QStyle,
    QStyleOptionComboBox,
    QStyleOptionFrame,
    QTabBar,
    QToolButton,
    QWidget,
)

from desktop.gui.views.compare_view import UprightHeader

CONTROLS = (QAbstractButton, QComboBox, QLineEdit, QAbstractSpinBox, QAbstractItemView, QTabBar)


def shown(text: str) -> str:
    """The text as drawn: "&&" is an ampersand, "&x" an underlined x."""
    return re.sub(r"&(.)", r"\1", text)


def advance(widget: QWidget, text: str) -> int:
    """The text's exact width, rounded up: Qt cuts a text even a fraction of a pixel over."""
    return math.ceil(QFontMetricsF(widget.font()).horizontalAdvance(text))


def name_of(widget: QWidget) -> str:
    """"QHeaderView:Potential issues": the widget's class and its (or its nearest named
    parent's) accessible name, to say where a cut text is."""
    named = widget
    while named is not None and not (named.accessibleName() or named.objectName()):
        named = named.parentWidget()
    name = "" if named is None else named.accessibleName() or named.objectName()
    return f"{type(widget).__name__}:{name}"


class Measure:
    """Collects the texts that do not fit: `clipped` (a defect) and `elided` (cut on purpose,
    whole in a tooltip), each with the room it had and the room it needed."""

    def __init__(self) -> None:
        self.clipped: list[dict] = []
        self.elided: list[dict] = []
        self.checked = 0
        self._seen: set[tuple] = set()  # measured already (the window is walked per tab)

    def result(self) -> dict:
        return {"checked": self.checked, "clipped": self.clipped, "elided": self.elided}

    def note(self, widget: QWidget, text: str, need: QSize, room: QSize,
             tooltip: str = "") -> None:
        key = (widget, text, room.width(), room.height())  # once per widget, text and room
        if key in self._seen or not text.strip():
            return
        self._seen.add(key)
        self.checked += 1
        if need.width() <= room.width() and need.height() <= room.height():
            return
        entry = {"widget": name_of(widget), "text": text[:120],
                 "need": [need.width(), need.height()], "room": [room.width(), room.height()]}
        whole = text.removesuffix("…").strip()
        (self.elided if whole and whole in tooltip else self.clipped).append(entry)

    # --- widgets ------------------------------------------------------------------------
    def window(self, top: QWidget) -> None:
        """Every visible widget of `top` (a window or a dialog)."""
        for widget in [top, *top.findChildren(QWidget)]:
            if not widget.isVisible():
                continue
            if isinstance(widget, QLabel):
                self.label(widget)
            elif isinstance(widget, QAbstractButton):
                self.button(widget)
            elif isinstance(widget, QComboBox) and not widget.isEditable():
                self.combo(widget)  # an editable one's line edit is measured as one
            elif isinstance(widget, QLineEdit):
                self.line_edit(widget)
            elif isinstance(widget, QTabBar):
                self.tab_bar(widget)
            elif isinstance(widget, QHeaderView):
                self.header(widget)
            elif isinstance(widget, QMenuBar):
                self.menu_bar(widget)

    def label(self, label: QLabel) -> None:
        text = label.text()
        if not text or not label.pixmap().isNull():
            return
        margin = label.margin()
        room = label.contentsRect().adjusted(margin, margin, -margin, -margin)
        if label.indent() > 0:
            room.setLeft(room.left() + label.indent())
        rich = label.textFormat() == Qt.TextFormat.RichText or (
            label.textFormat() == Qt.TextFormat.AutoText and Qt.mightBeRichText(text))
        if rich:
            doc = QTextDocument()
            doc.setDocumentMargin(0)
            doc.setDefaultFont(label.font())
            doc.setHtml(text)
            if label.wordWrap():
                doc.setTextWidth(room.width())
            need = QSize(int(doc.idealWidth() + 0.999), int(doc.size().height() + 0.999))
            plain = doc.toPlainText()
        else:
            plain = shown(text) if label.buddy() is not None else text
            flags = int(label.alignment()) | (int(Qt.TextFlag.TextWordWrap)
                                               if label.wordWrap() else 0)
            need = label.fontMetrics().boundingRect(
                QRect(0, 0, room.width(), 100_000), flags, plain).size()
        self.note(label, plain, need, room.size(), label.toolTip())

    def button(self, button: QAbstractButton) -> None:
        text = shown(button.text())
        if not text:
            return
        style, metrics = button.style(), button.fontMetrics()
        room = button.contentsRect().size()
        taken = 0
        if not button.icon().isNull():
            taken += button.iconSize().width() + 4
        if isinstance(button, (QCheckBox, QRadioButton)):
            check = isinstance(button, QCheckBox)
            taken += style.pixelMetric(QStyle.PixelMetric.PM_IndicatorWidth if check
                                       else QStyle.PixelMetric.PM_ExclusiveIndicatorWidth,
                                       None, button)
            taken += style.pixelMetric(QStyle.PixelMetric.PM_CheckBoxLabelSpacing if check
                                       else QStyle.PixelMetric.PM_RadioButtonLabelSpacing,
                                       None, button)
        else:
            taken += 2 * style.pixelMetric(QStyle.PixelMetric.PM_DefaultFrameWidth, None, button)
            has_menu = (isinstance(button, QPushButton) and button.menu() is not None) or (
                isinstance(button, QToolButton) and button.popupMode()
                == QToolButton.ToolButtonPopupMode.MenuButtonPopup)
            if has_menu:
                taken += style.pixelMetric(QStyle.PixelMetric.PM_MenuButtonIndicator, None,
                                           button)
        need = QSize(advance(button, text), metrics.height())
        self.note(button, text, need, QSize(room.width() - taken, room.height()),
                  button.toolTip())

    def combo(self, combo: QComboBox) -> None:
        option = QStyleOptionComboBox()
        option.initFrom(combo)
        option.editable = False
        option.frame = combo.hasFrame()
        option.currentText = combo.currentText()
        field = combo.style().subControlRect(QStyle.ComplexControl.CC_ComboBox, option,
                                             QStyle.SubControl.SC_ComboBoxEditField, combo)
        taken = 0 if combo.itemIcon(combo.currentIndex()).isNull() else (
            combo.iconSize().width() + 4)
        text = combo.currentText()
        need = QSize(advance(combo, text), combo.fontMetrics().height())
        self.note(combo, text, need, QSize(field.width() - taken, field.height()),
                  combo.toolTip())

    def line_edit(self, edit: QLineEdit) -> None:
        """As QLineEdit.paintEvent places its text: the style's contents rectangle, less the
        text margins, the buttons shown inside it (with their margin) and 2 pixels a side."""
        owner = edit.parentWidget()
        shown_choice = isinstance(owner, (QComboBox, QAbstractSpinBox)) or edit.isReadOnly()
        if edit.text() and not shown_choice:
            return  # the officer's own typing, which the box scrolls through as it is typed
        text = edit.text() or edit.placeholderText()
        style = edit.style()
        option = QStyleOptionFrame()
        option.initFrom(edit)
        option.rect = edit.rect()
        option.lineWidth = style.pixelMetric(QStyle.PixelMetric.PM_DefaultFrameWidth, None,
                                             edit) if edit.hasFrame() else 0
        room = style.subElementRect(QStyle.SubElement.SE_LineEditContents, option, edit)
        margins = edit.textMargins()
        width = room.width() - margins.left() - margins.right() - 2 * 2
        icon = style.pixelMetric(QStyle.PixelMetric.PM_SmallIconSize, None, edit)
        for side in edit.findChildren(QToolButton):  # the clear button and other actions
            if side.isVisibleTo(edit):
                width -= side.width() + icon // 4
        tooltip = edit.toolTip()
        if isinstance(owner, QComboBox):  # an editable combo's text: its tooltip counts
            tooltip = owner.toolTip()
        need = QSize(advance(edit, text), edit.fontMetrics().height())
        self.note(edit, text, need, QSize(width, room.height()), tooltip)

    def tab_bar(self, bar: QTabBar) -> None:
        """A tab is cut when it is narrower than the style makes a tab for its text (the bar
        elides then); tabs scrolled out of a crowded bar are reached by its arrows."""
        for i in range(bar.count()):
            if not bar.isTabVisible(i):
                continue
            text = shown(bar.tabText(i))
            self.note(bar, text, bar.tabSizeHint(i), bar.tabRect(i).size(), bar.tabToolTip(i))

    def header(self, header: QHeaderView) -> None:
        model = header.model()
        if model is None:
            return
        style, metrics = header.style(), header.fontMetrics()
        margin = style.pixelMetric(QStyle.PixelMetric.PM_HeaderMargin, None, header)
        horizontal = header.orientation() == Qt.Orientation.Horizontal
        for section in range(header.count()):
            if header.isSectionHidden(section):
                continue
            text = model.headerData(section, header.orientation(),
                                    Qt.ItemDataRole.DisplayRole)
            if not isinstance(text, str):
                continue
            lines = text.split("\n")
            need = QSize(max(advance(header, line) for line in lines) + 2 * margin,
                         metrics.height() * len(lines))
            if horizontal and header.isSortIndicatorShown() and \
                    header.sortIndicatorSection() == section:
                need.setWidth(need.width() + style.pixelMetric(
                    QStyle.PixelMetric.PM_HeaderMarkSize, None, header) + margin)
            size = header.sectionSize(section)
            room = QSize(size, header.height()) if horizontal else QSize(header.width(), size)
            if isinstance(header, UprightHeader):  # drawn bottom to top
                room = QSize(header.height(), size)
            tip = model.headerData(section, header.orientation(), Qt.ItemDataRole.ToolTipRole)
            self.note(header, text, need, room, tip if isinstance(tip, str) else "")

    def menu_bar(self, bar: QMenuBar) -> None:
        """Each menu's title inside the bar (not pushed into its ">>" extension)."""
        inside = bar.rect()
        for action in bar.actions():
            if not action.isVisible():
                continue
            text = shown(action.text())
            box = bar.actionGeometry(action)
            room = box.size() if inside.contains(box) else QSize(0, 0)
            need = QSize(advance(bar, text), bar.fontMetrics().height())
            self.note(bar, text, need, room)


def in_scroll_area(widget: QWidget, top: QWidget) -> bool:
    parent = widget.parentWidget()
    while parent is not None and parent is not top:
        if isinstance(parent, QAbstractScrollArea):
            return True
        parent = parent.parentWidget()
    return False


def outside(top: QWidget) -> list[str]:
    """The visible controls of `top` not wholly inside it (but for those in a scroll area)."""
    room = top.rect()
    return sorted({name_of(w) for w in top.findChildren(QWidget)
                   if isinstance(w, CONTROLS) and w.isVisible() and not in_scroll_area(w, top)
                   and not room.contains(QRect(w.mapTo(top, QPoint(0, 0)), w.size()))})


def fit(top: QWidget) -> dict:
    """Where `top` stands on its screen, and how large it must at least be."""
    available = top.screen().availableGeometry()
    frame = top.frameGeometry()
    hint = top.minimumSizeHint().expandedTo(top.minimumSize())
    return {"screen": [available.width(), available.height()],
            "frame": [frame.x(), frame.y(), frame.width(), frame.height()],
            "fits": available.contains(frame),
            "minimum": [hint.width(), hint.height()],
            "outside": outside(top)}

