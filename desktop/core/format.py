"""How numbers are written on screen and in every export, in one place.

Suppressed cells always come out as model.SUPPRESSED ("[c]"), missing ones as MISSING ("[x]")
and figures that do not apply as NOT_APPLICABLE ("[z]"), so no view or export can show a
number that should be hidden by formatting it itself; `marker_notes` gives the lines that
explain the markers a table uses, written under it.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np

from desktop.core.model import (
    NOT_APPLICABLE,
    NOT_AVAILABLE,
    SUPPRESSED,
    Significance,
    ValueType,
)

MISSING = NOT_AVAILABLE


def _is_missing(value: object) -> bool:
    """No number to show: None, NaN, text, or an infinity (an overflow from absurd inputs,
    which no reader should take for a value)."""
    if value is None:
        return True
    try:
        return not math.isfinite(float(value))  # type: ignore[arg-type]
    except (TypeError, ValueError, OverflowError):
        return True


def decimals_for(value_type: ValueType | str, value: float) -> int:
    """1 dp for percentages, rates, means and scores (2 dp below 1); counts are whole numbers
    unless they are not (aggregated weights), then 1 dp."""
    kind = ValueType(value_type)
    if kind is ValueType.COUNT:
        return 0 if float(value).is_integer() else 1
    if kind.is_weighted_mean and abs(value) < 1:
        return 2
    return 1


def decimals_for_values(value_type: ValueType | str, values: np.ndarray) -> int:
    """The most decimals `decimals_for` gives any of `values` (NaN ignored), from the two
    values that decide it: the smallest in size (a mean below 1) and a fractional one (a
    count that is not whole)."""
    values = np.asarray(values, dtype=float)
    values = values[np.isfinite(values)]
    if not values.size:
        return 0
    deciding = [values[np.argmin(np.abs(values))], *values[values != np.round(values)][:1]]
    return max(decimals_for(value_type, float(v)) for v in deciding)


def format_value(value: object, value_type: ValueType | str, unit: str = "",
                 suppressed: bool = False) -> str:
    """A value as people read it: "23.4%", "1,234", "56.7", "[c]" when suppressed, "[x]" when
    missing.

    Only a "%" unit is written after the number; longer units ("per 1,000") belong in titles
    and column headers.
    """
    if suppressed:
        return SUPPRESSED
    if _is_missing(value):
        return MISSING
    number = float(value)  # type: ignore[arg-type]
    text = f"{number:,.{decimals_for(value_type, number)}f}"
    return f"{text}%" if unit.strip() == "%" else text


def format_interval(lower: object, upper: object, value_type: ValueType | str,
                    suppressed: bool = False) -> str:
    """"12.3 to 14.5" for an interval; "[c]" when suppressed; "[z]" for means and scores, which
    have none; "[x]" when either end is missing."""
    if suppressed:
        return SUPPRESSED
    if ValueType(value_type).is_weighted_mean:
        return NOT_APPLICABLE
    if _is_missing(lower) or _is_missing(upper):
        return MISSING
    return (f"{format_value(lower, value_type)} to "
            f"{format_value(upper, value_type)}")


SIGNIFICANCE_LABELS: dict[Significance, str] = {
    Significance.BETTER: "Better than county",
    Significance.SIMILAR: "Similar to county",
    Significance.WORSE: "Worse than county",
    Significance.HIGHER: "Higher than county",
    Significance.LOWER: "Lower than county",
    Significance.NOT_COMPARED: "Not compared",
}


def title_with_unit(title: str, unit: str) -> str:
    """"Children in need (per 1,000)": the unit after the title unless it is "%" (written with
    each value) or already said by the title ("IMD score", not "IMD score (score)")."""
    unit = (unit or "").strip()
    if not unit or unit == "%" or unit.lower() in title.lower():
        return title
    return f"{title} ({unit})"


def suppression_meaning(threshold: str = "the disclosure threshold") -> str:
    """What "[c]" stands for, with the threshold in words ("5", "5 (or the indicator's own)")."""
    return (f"{SUPPRESSED} confidential: not shown to protect the people counted: a count from "
            f"1 to {threshold}, every figure made from it, and any other count that would let "
            "it be worked out")


MARKER_MEANINGS = {
    NOT_AVAILABLE: f"{NOT_AVAILABLE} not available: there is no value for it",
    NOT_APPLICABLE: f"{NOT_APPLICABLE} not applicable: the figure does not exist here (a "
                    "mean's or score's count, an interval the input gives no spread for, the "
                    "county compared with itself)",
}


def marker_notes(cells: Iterable[object], threshold: str = "the disclosure threshold"
                 ) -> list[str]:
    """One line for each marker that occurs in `cells` (any texts: a table's cells), in the
    order [c], [x], [z]."""
    text = "\n".join(str(c) for c in cells)
    meanings = {SUPPRESSED: suppression_meaning(threshold), **MARKER_MEANINGS}
    return [f"{meaning}." for marker, meaning in meanings.items() if marker in text]
