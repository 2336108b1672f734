"""Significance colours, words and symbols shared by the profile, issues and compare views.

The colours come from desktop.core.plotting.palettes, so the tables match the map (colour-blind safe:
blue for better, vermillion for worse). Colour is never the only signal: every coloured cell also carries a word or a one-letter symbol, and its tooltip the
full word, so the views work for colour-blind readers and in greyscale prints.
"""

from __future__ import annotations

from PySide6.QtGui import QColor

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

SPINE_RANGE_HEX = "#C8C8C8"  # the bar from the lowest to the highest cluster
COUNTY_LINE_HEX = "#1F1F7A"  # the county (benchmark) line at the centre of a spine chart
THEME_ROW_HEX = "#EEF1F5"  # background of the theme header rows

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


def text_colour_on(background: QColor) -> QColor:
    """Black or white, whichever reads better on `background` (WCAG relative luminance)."""

    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    lum = (0.2126 * channel(background.redF()) + 0.7152 * channel(background.greenF())
           + 0.0722 * channel(background.blueF()))
    # Contrast against black is (L + 0.05) / 0.05, against white 1.05 / (L + 0.05).
    return QColor("#000000") if (lum + 0.05) ** 2 > 0.0525 else QColor("#FFFFFF")


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
