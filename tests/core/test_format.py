"""Display formatting shared by every screen and export."""

from __future__ import annotations

import math

import numpy as np
import pytest

from desktop.core.format import MISSING, format_interval, format_value, marker_notes
from desktop.core.model import NOT_APPLICABLE, SUPPRESSED, ValueType


@pytest.mark.parametrize(("value", "kind", "unit", "expected"), [
    (12.345, ValueType.PROPORTION, "%", "12.3%"),
    (1234.56, "rate", "per 10,000", "1,234.6"),
    (1234567.0, ValueType.COUNT, "", "1,234,567"),
    (12.5, ValueType.COUNT, "", "12.5"),
    (23.456, ValueType.SCORE, "", "23.5"),
    (0.4567, ValueType.MEAN, "", "0.46"),
    (0.0, ValueType.PROPORTION, "%", "0.0%"),
])
def test_values(value, kind, unit, expected):
    assert format_value(value, kind, unit) == expected


def test_suppressed_beats_everything_and_missing_is_x():
    """The Government Analysis Function's symbols: [c] confidential, [x] not available."""
    assert format_value(3.0, ValueType.COUNT, "", suppressed=True) == SUPPRESSED == "[c]"
    assert format_value(np.nan, ValueType.COUNT, "", suppressed=True) == SUPPRESSED
    assert format_value(np.nan, ValueType.RATE) == MISSING == "[x]"
    assert format_value(None, ValueType.RATE) == MISSING


def test_intervals():
    assert format_interval(1.234, 5.678, ValueType.RATE) == "1.2 to 5.7"
    assert format_interval(1.0, np.nan, ValueType.RATE) == MISSING
    assert format_interval(1.0, 2.0, ValueType.RATE, suppressed=True) == SUPPRESSED
    # means and scores have no interval at all: not applicable, [z]
    assert format_interval(np.nan, np.nan, ValueType.SCORE) == NOT_APPLICABLE == "[z]"
    assert format_interval(np.nan, np.nan, ValueType.MEAN, suppressed=True) == SUPPRESSED


def test_marker_notes_explain_only_the_markers_used_in_order():
    notes = marker_notes(["12.3", "[z]", "1 to 2", "[c]"], "5")
    assert [n[:3] for n in notes] == ["[c]", "[z]"]
    assert "a count from 1 to 5" in notes[0] and notes[1].endswith(".")
    assert marker_notes(["12.3", "Worse than county"]) == []


@pytest.mark.parametrize("kind", list(ValueType))
def test_an_overflowed_value_reads_as_missing_not_inf(kind):
    """Absurd inputs (1e308 counts in a hostile bundle) overflow to infinity: shown as "[x]",
    never as "inf%" or "-inf to inf" (means and scores have no interval: "[z]")."""
    no_interval = NOT_APPLICABLE if ValueType(kind).is_weighted_mean else MISSING
    assert format_value(math.inf, kind, "%") == MISSING
    assert format_value(-math.inf, kind) == MISSING
    assert format_interval(-math.inf, math.inf, kind) == no_interval
    assert format_interval(1.0, math.inf, kind) == no_interval
    assert format_value(10**400, kind) == MISSING  # an int too large for a float


@pytest.mark.parametrize(("kind", "values", "expected"), [
    (ValueType.PROPORTION, [4.21, 12.17, np.nan], 1),
    (ValueType.COUNT, [0.0, 6.0, 12.0], 0),
    (ValueType.COUNT, [3.0, 4.5, 6.0], 1),  # aggregated weights: not whole
    (ValueType.MEAN, [0.4, 3.2], 2),  # a mean below 1 takes two
    (ValueType.SCORE, [], 0),
])
def test_decimals_for_values_is_the_most_any_value_is_written_with(kind, values, expected):
    from desktop.core.format import decimals_for, decimals_for_values

    assert decimals_for_values(kind, np.array(values)) == expected
    finite = [v for v in values if np.isfinite(v)]
    assert expected == max((decimals_for(kind, v) for v in finite), default=0)
