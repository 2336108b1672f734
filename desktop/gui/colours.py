"""Significance colours, words and symbols shared by the profile, issues and compare views.

The colours come from desktop.core.plotting.palettes, so the tables match the map (colour-blind safe:
blue for better, vermillion for worse). Colour is never the only signal: every coloured cell also carries a word or a one-letter symbol, and its tooltip the
full word, so the views work for colour-blind readers and in greyscale prints.

Everything else drawn takes its colours from the system's palette (light, dark or high
contrast), through the helpers here: no text box or chart cell keeps a white background or a
dark ink the theme did not choose.
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QWidget

from desktop.core.model import NOT_APPLICABLE, NOT_AVAILABLE, SUPPRESSED, Significance, Trend
from desktop.core.plotting.palettes import SIGNIFICANCE_COLOURS
from desktop.core.stats.comparison import DEFAULT, Comparison

SIGNIFICANCE_HEX: dict[str, str] = {s.value: SIGNIFICANCE_COLOURS[s.value] for s in Significance}
SIGNIFICANCE_WORDS: dict[str, str] = {s.value: s.value.capitalize() for s in Significance}
SIGNIFICANCE_SYMBOLS: dict[str, str] = {
    Significance.BETTER.value: "B",
    Significance.SIMILAR.value: "S",
    Significance.WORSE.value: "W",
    Significance.HIGHER.value: "H",
    Significance.LOWER.value: "L",
    Significance.NOT_COMPARED.value: NOT_APPLICABLE,
}
# Cells that hold no comparison because there is no value to compare: the table markers.
MARKER_WORDS: dict[str, str] = {
    SUPPRESSED: "Confidential: suppressed to protect small numbers",
    NOT_AVAILABLE: "Not available: no value",
}
# Sorting a significance column puts the most worrying first.
SIGNIFICANCE_RANK: dict[str, int] = {
    Significance.WORSE.value: 0,
    Significance.HIGHER.value: 1,
    Significance.LOWER.value: 2,
    Significance.SIMILAR.value: 3,
    Significance.BETTER.value: 4,
    Significance.NOT_COMPARED.value: 5,
}
TREND_SYMBOLS: dict[str, str] = {
    Trend.INCREASING.value: "↑",
    Trend.DECREASING.value: "↓",
    Trend.NO_CHANGE.value: "→",
    Trend.CANNOT.value: NOT_AVAILABLE,
}


_NOT_COMPARED = Significance.NOT_COMPARED.value


def normalise_significance(significance: object) -> str:
    """A significance value as one of the Significance strings; unknown or missing -> not compared."""
    text = str(getattr(significance, "value", significance)).strip().lower()
    return text if text in SIGNIFICANCE_HEX else _NOT_COMPARED


def significance_colour(significance: object) -> QColor:
    return QColor(SIGNIFICANCE_HEX[normalise_significance(significance)])


def significance_word(significance: object) -> str:
    return SIGNIFICANCE_WORDS[normalise_significance(significance)]


def significance_symbol(significance: object) -> str:
    return SIGNIFICANCE_SYMBOLS[normalise_significance(significance)]


def cell_symbol(cell: str) -> str:
    """A rug cell's text: its marker ("[c]", "[x]") or its significance symbol."""
    return cell if cell in MARKER_WORDS else significance_symbol(cell)


def cell_word(cell: str, comparison: Comparison = DEFAULT) -> str:
    """A rug cell's meaning in words, for its tooltip and accessible text: a marker's, or the
    verdict in Fingertips' words at the comparison's level ("Worse 99.8%")."""
    return MARKER_WORDS.get(cell) or comparison.label(cell)


def markers_html(skip: tuple[str, ...] = ()) -> str:
    """The table markers and what they stand for, for a view's legend line (but those in
    `skip`, which the line explains already)."""
    keys = ((SUPPRESSED, "confidential (small numbers)"), (NOT_AVAILABLE, "not available"),
            (NOT_APPLICABLE, "not applicable"))
    return " &nbsp; ".join(f"{marker} {words}".replace(" ", "&nbsp;") for marker, words in keys
                           if marker not in skip)


def luminance(colour: QColor) -> float:
    """WCAG relative luminance, 0 (black) to 1 (white)."""

    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    return (0.2126 * channel(colour.redF()) + 0.7152 * channel(colour.greenF())
            + 0.0722 * channel(colour.blueF()))


def contrast_ratio(a: QColor, b: QColor) -> float:
    """WCAG contrast ratio of two colours, 1 to 21 (4.5 is the minimum for text)."""
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def text_colour_on(background: QColor) -> QColor:
    """Black or white, whichever reads better on `background` (WCAG relative luminance)."""
    # Contrast against black is (L + 0.05) / 0.05, against white 1.05 / (L + 0.05).
    return QColor("#000000") if (luminance(background) + 0.05) ** 2 > 0.0525 else \
        QColor("#FFFFFF")


def mix(a: QColor, b: QColor, share: float) -> QColor:
    """`a` with `share` (0..1) of `b` mixed in."""
    return QColor.fromRgbF(*(x + (y - x) * share for x, y in zip(
        (a.redF(), a.greenF(), a.blueF()), (b.redF(), b.greenF(), b.blueF()))))


def readable_on(colour: str | QColor, background: QColor, minimum: float = 4.5) -> QColor:
    """`colour` for text on `background`, moved towards black or white (whichever the
    background is further from) until it reads at `minimum` contrast: a warning red stays
    red on a dark theme's background, only lighter."""
    colour = QColor(colour)
    end = text_colour_on(background)
    for step in range(21):
        shaded = mix(colour, end, step / 20)
        if contrast_ratio(shaded, background) >= minimum:
            return shaded
    return end


ERROR_HEX = "#b2182b"  # a red for error messages, made readable on the theme's background


def set_text_colour(widget: QWidget, colour: str | QColor | None) -> None:
    """Write `widget`'s text in `colour`, made readable on its theme's background (None:
    the theme's own text colour again)."""
    palette = QApplication.palette(widget)
    if colour is not None:
        palette.setColor(QPalette.ColorRole.WindowText, readable_on(
            colour, palette.color(QPalette.ColorRole.Window)))
    widget.setPalette(palette)


def theme_row_colours(palette: QPalette) -> tuple[QColor, QColor]:
    """A theme heading row's background and text in any system theme (light, dark or high
    contrast): the base tinted a little towards the text, and the text itself."""
    base, text = palette.color(QPalette.ColorRole.Base), palette.color(QPalette.ColorRole.Text)
    return mix(base, text, 0.1), text


def legend_html(with_symbols: bool = False, comparison: Comparison = DEFAULT) -> str:
    """A one-line rich-text legend of the significance categories: coloured chip, (symbol),
    Fingertips' word at the comparison's level ("Worse 99.8%")."""
    chips = []
    for sig in Significance:
        background = significance_colour(sig)
        fg = text_colour_on(background).name()
        label = significance_symbol(sig) if with_symbols else "&nbsp;&nbsp;"
        chips.append(f'<span style="background-color:{background.name()}; color:{fg};">'
                     f"&nbsp;{label}&nbsp;</span>&nbsp;{comparison.label(sig)}")
    text = f"{comparison.heading}: " + "&nbsp;&nbsp; ".join(chips)
    # with symbols the "not compared" chip shows its marker ([z]) already
    skip = (significance_symbol(Significance.NOT_COMPARED),)
    return text + "&nbsp;&nbsp; " + markers_html(skip) if with_symbols else text
