"""Column widths for Word tables that never break a number.

Word (and LibreOffice) break a word that is wider than its column wherever they must: in a
1.1 cm Count column "268,466" printed as "268,46" over "6", and "Not compared" as "Not
compare" over "d". So the widths a table asks for are only a starting point: a number column
grows to its widest text, any column to its longest word, and the room comes from the widest
text column (the indicator names), which can wrap between words. Only when even that is not
enough do intervals wrap, between "12.3 to" and "14.5", never inside a number.

Texts are measured in the table's font (Arial), or Liberation Sans (the same widths), or
else matplotlib's DejaVu Sans, which is wider: a width measured here is never too small.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from functools import lru_cache

from matplotlib.font_manager import FontProperties, findfont
from matplotlib.textpath import TextToPath

CM_PER_PT = 2.54 / 72
INTERVAL_WORD = " to "  # where an interval ("12.3 to 14.5") may wrap when it must
SLACK_CM = 0.06  # for kerning and rounding between this measure and Word's


@lru_cache(maxsize=4)
def _font(family: str, bold: bool) -> FontProperties:
    weight = "bold" if bold else "normal"
    for name in (family, "Liberation Sans"):
        try:
            findfont(FontProperties(family=name, weight=weight), fallback_to_default=False)
        except ValueError:
            continue
        return FontProperties(family=name, weight=weight, size=1)
    return FontProperties(family="DejaVu Sans", weight=weight, size=1)


@lru_cache(maxsize=4096)
def _char_pt(char: str, family: str, bold: bool) -> float:
    """The advance of one character at 1 pt (kerning left out: a little wider, not narrower)."""
    width, _height, _descent = TextToPath().get_text_width_height_descent(
        char, _font(family, bold), ismath=False)
    return width


def text_width_cm(text: str, size_pt: float, family: str, bold: bool = False) -> float:
    return sum(_char_pt(c, family, bold) for c in text) * size_pt * CM_PER_PT


def fit_widths(header: Sequence[str], rows: Sequence[Sequence[str]], widths_cm: Sequence[float],
               numeric: Collection[int], *, size_pt: float, family: str,
               padding_cm: float) -> list[float]:
    """Widths (cm) with the same total as `widths_cm` that keep every number of the
    `numeric` columns on one line and every word whole, taking the room from the widest
    column of words; intervals wrap after "to" when that column has no room to give."""
    def width(text: str, bold: bool = False) -> float:
        return text_width_cm(text, size_pt, family, bold) + padding_cm + SLACK_CM

    def longest_word(k: int) -> float:
        words = [w for row in rows for w in str(row[k]).split()]
        return max([width(w) for w in words] + [width(w, bold=True) for w in header[k].split()])

    def whole(k: int, wrap_intervals: bool) -> float:
        """The widest line of column k: each text whole, or "12.3 to" and "14.5"."""
        lines = []
        for row in rows:
            text = str(row[k])
            if wrap_intervals and INTERVAL_WORD in text:
                first, rest = text.split(INTERVAL_WORD, 1)
                lines += [first + INTERVAL_WORD.rstrip(), rest]
            else:
                lines.append(text)
        return max((width(line) for line in lines), default=0.0)

    total = sum(widths_cm)
    words = [k for k in range(len(widths_cm)) if k not in numeric]
    flexible = max(words, key=lambda k: widths_cm[k]) if words else None
    for wrap_intervals in (False, True):
        needs = [max(longest_word(k), whole(k, wrap_intervals) if k in numeric else 0.0)
                 for k in range(len(widths_cm))]
        fitted = [max(w, need) for w, need in zip(widths_cm, needs)]
        if flexible is None:
            return fitted
        fitted[flexible] = total - (sum(fitted) - fitted[flexible])
        if fitted[flexible] >= needs[flexible]:
            return fitted
    fitted[flexible] = needs[flexible]  # wider than the page rather than a broken number
    return fitted
