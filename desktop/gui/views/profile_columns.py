"""Which columns of the profile table to show at a given width (no Qt: plain numbers in).

On a laptop the profile pane is about 800 pixels wide: all twelve columns leave the indicator
names about twenty characters, and five rows then read "Hospital admissions...". So the names
come first: while they would get less than their minimum, the columns that matter least give
way, in GIVE_WAY order (the spine chart draws the lowest and highest clusters, the value's
tooltip gives the count, the trend column sums up the sparkline). The officer decides too: a
column hidden by choice stays hidden, one shown by choice stays shown even when the names then
have to scroll sideways.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

from desktop.gui.views.profile_rows import (
    COL_COUNT,
    COL_HIGHEST,
    COL_LOWEST,
    COL_PERIOD,
    COL_SPARKLINE,
    COL_TITLE,
)

GIVE_WAY = (COL_LOWEST, COL_HIGHEST, COL_COUNT, COL_SPARKLINE, COL_PERIOD)
TITLE_CHARS = 30  # the least of an indicator's name the table shows before columns give way


@dataclass(frozen=True)
class ColumnChoice:
    """The officer's choices: columns hidden and columns shown on purpose (by index)."""

    hidden: frozenset[int] = frozenset()
    shown: frozenset[int] = frozenset()

    def toggled(self, column: int, on: bool) -> ColumnChoice:
        """The choice after the officer turns `column` on or off."""
        if on:
            return ColumnChoice(self.hidden - {column}, self.shown | {column})
        return ColumnChoice(self.hidden | {column}, self.shown - {column})


def hidden_columns(widths: Mapping[int, int], available: int, title_min: int,
                   choice: ColumnChoice = ColumnChoice(),
                   give_way: Sequence[int] = GIVE_WAY) -> frozenset[int]:
    """The columns to hide: those hidden by choice, then as many of `give_way` (in order,
    skipping those shown by choice) as leave the title `title_min` of the `available`
    width. `widths` holds every column's width but the title's."""
    hidden = set(choice.hidden) - {COL_TITLE}

    def title_room() -> int:
        return available - sum(w for c, w in widths.items() if c != COL_TITLE and c not in hidden)

    for column in give_way:
        if title_room() >= title_min:
            break
        if column not in choice.shown:
            hidden.add(column)
    return frozenset(hidden)


def given_way(hidden: Collection[int], choice: ColumnChoice) -> frozenset[int]:
    """The columns hidden for want of room rather than by choice (the menu says so)."""
    return frozenset(hidden) - choice.hidden
