"""The 2013 European Standard Population, shipped as data, and how age bands are written.

Directly standardised rates weight each age band's rate by the band's share of a standard
population; Fingertips uses the 2013 European Standard Population (ESP 2013), read here from
resources/standard-populations/esp2013.csv (its source is in SOURCE.md beside it). Age-band
labels are compared after `normalise_band`, so "00-04", "0 - 4" and "0-4" are the same band.
Used by pack (to check the bands of an input) and by the statistics (to weight them).
"""

from __future__ import annotations

import csv
import functools
import re

from desktop.core.resources import resource_path

ESP2013 = "esp2013"
_NUMBER = re.compile(r"\d+")


def normalise_band(label: object) -> str:
    """An age band as the standard population writes it: "00-04" -> "0-4", "90 +" -> "90+"."""
    text = re.sub(r"\s+", "", str(label))
    return _NUMBER.sub(lambda m: str(int(m.group())), text)


@functools.cache
def standard_population(name: str = ESP2013) -> dict[str, float]:
    """Age band -> standard population, in the file's order (youngest first)."""
    with open(resource_path(f"standard-populations/{name}.csv"), encoding="utf-8",
              newline="") as fh:
        return {normalise_band(row["age_band"]): float(row["population"])
                for row in csv.DictReader(fh)}
