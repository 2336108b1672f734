"""How a postcode is written, so that a lookup, a pasted list and a typed search all agree.

A UK postcode is an outward code (area and district, 2 to 4 characters) and an inward code (a
digit and two letters). People write them in any case and spacing ("wr52aj", "WR5  2AJ"): every
place that compares postcodes first writes them as "WR5 2AJ", upper case with one space before
the inward code. Nothing is checked against a register: a lookup may hold synthetic codes
("ZZ99 1AA") and a search is only ever matched against the bundle's own table.
"""

from __future__ import annotations

import re

import pandas as pd

INWARD = 3  # characters of the inward code: a digit and two letters
SHORTEST = 5  # "W11AA": anything shorter is left as it is, without a space
# outward code (letter(s), digit(s), optional letter or digit), inward code: loose on purpose
POSTCODE = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]?[0-9][A-Z]{2}$")


def normalise(postcodes: pd.Series) -> pd.Series:
    """Upper case with one space before the inward code: 'wr52aj' and 'WR5  2AJ' -> 'WR5 2AJ'.
    Text shorter than any postcode is left compact."""
    compact = postcodes.astype("str").str.upper().str.replace(r"\s+", "", regex=True)
    return compact.where(compact.str.len() < SHORTEST,
                         compact.str[:-INWARD] + " " + compact.str[-INWARD:])


def normalise_one(text: str) -> str:
    """One postcode written as `normalise` writes it."""
    return str(normalise(pd.Series([text])).iloc[0])


def looks_like_postcode(text: str) -> bool:
    """Whether `text` has the shape of a full UK postcode (any case and spacing)."""
    return bool(POSTCODE.match(re.sub(r"\s+", "", text.upper())))
