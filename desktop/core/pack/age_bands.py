"""Age bands of standardised indicators (dsr, isr) in the values files, checked and split out.

A dsr or isr indicator gives one values row per area, period and age band, with the band's
events (numerator) and population (denominator) and the band in `age_band`
(docs/input-format.md). Every area and period of an indicator must give the same bands, so
that clusters and the county add up band by band; a dsr's bands must be bands of the 2013
European Standard Population. The bands go to the bundle's age_bands table, and each area and
period keeps one values row with the total events and population (for suppression and counts);
its value is made from the bands when the bundle opens (desktop.core.stats.standardised).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from desktop.core.errors import InputError
from desktop.core.model import AGE_BAND_COLUMNS, ValueType
from desktop.core.pack.read import FILE, ROW, fail_first, no_duplicates, optional_text
from desktop.core.standard_population import normalise_band, standard_population

BANDED_TYPES = (ValueType.DSR.value, ValueType.ISR.value)
KEYS = ["indicator_id", "area_code", "period"]


def check_band_column(frame: pd.DataFrame, banded: pd.Series, value_type: pd.Series
                      ) -> pd.Series:
    """The age band of each row (normalised; None for rows of other types), checked."""
    band = optional_text(frame, "age_band")
    fail_first(frame, band.ne("") & ~banded, "age_band is only for dsr and isr indicators; "
               "leave it blank here.", "age_band")
    fail_first(frame, band.eq("") & banded, "the age band is blank: dsr and isr indicators "
               "give one row per age band.", "age_band")
    normalised = band.map(normalise_band)
    standard = standard_population()
    fail_first(frame, value_type.eq(ValueType.DSR.value) & ~normalised.isin(list(standard)),
               "age band {value} is not a band of the 2013 European Standard Population ("
               + ", ".join(standard) + ").", "age_band")
    return normalised.where(banded, None).astype(object)


def split_age_bands(values: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    """(values with one summed row per area and period of each banded indicator, the age
    bands or None); duplicate bands and areas or periods short of a band are refused."""
    if "age_band" not in values.columns:
        return values, None
    banded = values["age_band"].notna().to_numpy()
    plain = values.loc[~banded].drop(columns="age_band")
    if not banded.any():
        return plain, None
    bands = values.loc[banded]
    no_duplicates(bands, [*KEYS, "age_band"], "age band")
    _check_complete(bands)
    totals = bands.groupby(KEYS, sort=False).agg(
        numerator=("numerator", "sum"), denominator=("denominator", "sum"),
        **{FILE: (FILE, "first"), ROW: (ROW, "first")}).reset_index()
    totals["value"] = np.nan
    combined = pd.concat([plain, totals], ignore_index=True)
    age_bands = bands[list(AGE_BAND_COLUMNS)].reset_index(drop=True)
    return combined, age_bands


def _check_complete(bands: pd.DataFrame) -> None:
    """Every area and period of an indicator gives every band the indicator uses."""
    wanted = bands.groupby("indicator_id", sort=False)["age_band"].unique()
    groups = bands.groupby(KEYS, sort=False)
    given = groups["age_band"].nunique()
    expected = given.index.get_level_values("indicator_id").map(wanted.map(len))
    short = given.to_numpy() < expected.to_numpy()
    if not short.any():
        return
    indicator_id, area, period = given.index[int(np.argmax(short))]
    rows = bands[(bands["indicator_id"] == indicator_id) & (bands["area_code"] == area)
                 & (bands["period"] == period)]
    missing = [b for b in wanted[indicator_id] if b not in set(rows["age_band"])]
    first = rows.iloc[0]
    raise InputError(f"{indicator_id} for {area} in {period} has no row for age band "
                     f"{', '.join(missing)}, which other areas or periods of the indicator "
                     "give: every area and period needs the same age bands (0 events where "
                     "there were none).", file=str(first[FILE]), row=int(first[ROW]),
                     column="age_band")
