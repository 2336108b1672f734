"""The indicator metadata and values tables of a pack input folder, checked cell by cell."""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import replace

import numpy as np
import pandas as pd

from desktop.core.errors import InputError
from desktop.core.model import (
    BASIS_RESIDENCE,
    BASIS_SCHOOL,
    SPREAD_COLUMNS,
    Indicator,
    Polarity,
    ValueType,
)
from desktop.core.pack.age_bands import BANDED_TYPES, check_band_column, split_age_bands
from desktop.core.pack.read import (
    FILE,
    ROW,
    fail_first,
    limit_text,
    natural_key,
    no_duplicates,
    optional_text,
    require_columns,
    require_text,
    to_number,
)

TRUE_WORDS = frozenset({"true", "yes", "y", "1"})
FALSE_WORDS = frozenset({"false", "no", "n", "0", ""})
VALUE_TYPES = tuple(v.value for v in ValueType)
MEAN_TYPES = (ValueType.MEAN.value, ValueType.SCORE.value)
POLARITIES = tuple(p.value for p in Polarity)
YEAR_FIRST = re.compile(r"^\d{4}")
SCHOOL_SUFFIX = "__school"  # id of a pupil flag's school-basis twin: fsm -> fsm__school
SCHOOL_TITLE = " (by school)"


def parse_indicators(frame: pd.DataFrame) -> pd.DataFrame:
    """Indicator metadata: one checked row per indicator, keeping `_file`/`_row` for messages."""
    ids = require_text(frame, "id")
    fail_first(frame, ~ids.str.fullmatch(r"[A-Za-z0-9_-]+"),
               "indicator id {value} may only contain letters, digits, '_' and '-'.", "id")
    no_duplicates(frame, ["id"], "indicator id")
    title, theme = require_text(frame, "title"), require_text(frame, "theme")
    value_type = require_text(frame, "value_type").str.lower()
    fail_first(frame, ~value_type.isin(VALUE_TYPES),
               f"value_type {{value}} is not one of {', '.join(VALUE_TYPES)}.", "value_type")
    polarity = optional_text(frame, "polarity").str.lower().replace("", Polarity.NO_JUDGEMENT.value)
    fail_first(frame, ~polarity.isin(POLARITIES),
               f"polarity {{value}} is not one of {', '.join(POLARITIES)}.", "polarity")
    multiplier = to_number(frame, "multiplier", required=False).fillna(1.0)
    fail_first(frame, multiplier.le(0), "the multiplier must be more than 0.", "multiplier")
    threshold = to_number(frame, "disclosure_threshold", required=False)
    fail_first(frame, threshold.lt(0) | (threshold.notna() & (threshold % 1 != 0)),
               "disclosure_threshold must be a whole number, 0 or more.", "disclosure_threshold")
    for column, field in (("title", "indicator title"), ("theme", "theme"), ("unit", "unit"),
                          ("definition", "definition"), ("source", "source")):
        limit_text(frame, column, field)
    return pd.DataFrame({
        "id": ids, "title": title, "theme": theme, "value_type": value_type,
        "polarity": polarity, "multiplier": multiplier,
        "unit": optional_text(frame, "unit"), "definition": optional_text(frame, "definition"),
        "source": optional_text(frame, "source"), "synthetic": _flag(frame, "synthetic"),
        "disclosure_threshold": threshold,
        "disclosure_complement": _flag(frame, "disclosure_complement"),
        FILE: frame[FILE], ROW: frame[ROW],
    }).reset_index(drop=True)


def _flag(frame: pd.DataFrame, column: str) -> pd.Series:
    """An optional true/false column (also yes/no, y/n, 1/0; blank is false)."""
    text = optional_text(frame, column).str.lower()
    fail_first(frame, ~text.isin(TRUE_WORDS | FALSE_WORDS),
               f"{column} must be true or false (yes/no, 1/0), not {{value}}.", column)
    return text.isin(TRUE_WORDS)


def parse_values(frame: pd.DataFrame, indicators: pd.DataFrame,
                 area_codes: Collection[str]) -> pd.DataFrame:
    """One values file as VALUE_COLUMNS, the optional `sd`, `se` and `age_band` (+ `_file`,
    `_row`), every row checked.

    Proportions and rates need numerator and denominator, counts a numerator, means and scores
    a value (the denominator, when given, is their weight, or with `sd` the number of values).
    Ratio values are computed here from numerator / denominator x multiplier, never taken from
    the file. Rows of standardised indicators (dsr, isr) give one age band each, with its
    events and population; their value is made from the bands when the bundle opens.
    """
    require_columns(frame, ["indicator_id", "area_code", "period"])
    for col in ("indicator_id", "area_code", "period"):
        require_text(frame, col)
    limit_text(frame, "period", "period")
    meta = indicators.set_index("id")
    known = frame["indicator_id"].isin(meta.index)
    fail_first(frame, ~known, "unknown indicator {value}: it is not an id in the indicators "
               "table.", "indicator_id")
    fail_first(frame, ~frame["area_code"].isin(pd.Index(list(area_codes))),
               "unknown area code {value}: it is not in the boundaries.", "area_code")
    vtype = frame["indicator_id"].map(meta["value_type"])
    banded = vtype.isin(BANDED_TYPES)
    ratio = vtype.isin([ValueType.PROPORTION.value, ValueType.RATE.value]) | banded
    needs_numerator = ratio | vtype.eq(ValueType.COUNT.value)
    needs_value = vtype.isin(MEAN_TYPES)
    for col, needed, kind in (("numerator", needs_numerator, "proportion, rate and count"),
                              ("denominator", ratio, "proportion and rate"),
                              ("value", needs_value, "mean and score"),
                              ("age_band", banded, "dsr and isr")):
        if needed.any() and col not in frame.columns:
            first = frame.loc[needed, "indicator_id"].iloc[0]
            require_columns(frame, [col], what=f"needed for {kind} indicators such as {first!r}")
    numerator = to_number(frame, "numerator", required=False)
    denominator = to_number(frame, "denominator", required=False)
    value = to_number(frame, "value", required=False)
    fail_first(frame, needs_numerator & numerator.isna(), "the numerator is blank; leave the "
               "row out when there is no value.", "numerator")
    fail_first(frame, ratio & denominator.isna(), "the denominator is blank; proportions and "
               "rates need one.", "denominator")
    fail_first(frame, needs_value & value.isna(), "the value is blank; leave the row out when "
               "there is no value.", "value")
    fail_first(frame, numerator.lt(0), "the numerator {value} is negative; counts are 0 or "
               "more.", "numerator")
    fail_first(frame, denominator.le(0), "the denominator {value} must be more than 0.",
               "denominator")
    fail_first(frame, vtype.eq(ValueType.PROPORTION.value) & numerator.gt(denominator),
               "the numerator is larger than the denominator, which a proportion cannot be.",
               "numerator")
    spread = {col: _spread(frame, col, needs_value) for col in SPREAD_COLUMNS}
    fail_first(frame, spread["sd"].notna() & denominator.isna(), "an sd needs the number of "
               "values behind the mean in the denominator column.", "denominator")
    band = check_band_column(frame, banded, vtype)
    multiplier = frame["indicator_id"].map(meta["multiplier"]).astype("float64")
    computed = np.where(banded, np.nan, np.where(ratio, numerator / denominator * multiplier,
                                                 np.where(needs_numerator, numerator, value)))
    return pd.DataFrame({
        "indicator_id": frame["indicator_id"], "area_code": frame["area_code"],
        "period": frame["period"], "numerator": numerator, "denominator": denominator,
        "value": pd.Series(computed, index=frame.index, dtype="float64"), **spread,
        "age_band": band, FILE: frame[FILE], ROW: frame[ROW],
    })


def _spread(frame: pd.DataFrame, column: str, mean_rows: pd.Series) -> pd.Series:
    """The optional sd or se column: 0 or more, and only on rows of means and scores."""
    numbers = to_number(frame, column, required=False)
    fail_first(frame, numbers.notna() & ~mean_rows, f"{column} is only for means and scores "
               "(a standard deviation or standard error); leave it blank here.", column)
    fail_first(frame, numbers.lt(0), f"the {column} {{value}} is negative.", column)
    return numbers


def combine_values(parts: list[pd.DataFrame], indicators: pd.DataFrame
                   ) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    """All values files together as (values, age bands or None): duplicate (indicator, area,
    period) keys refused, age bands checked and summed into one values row per area and
    period (pack.age_bands), and each mean's rows weighted and spread alike."""
    values = pd.concat(parts, ignore_index=True)
    for column in (*SPREAD_COLUMNS, "age_band"):
        if column not in values.columns:
            values[column] = np.nan if column in SPREAD_COLUMNS else None
    values, age_bands = split_age_bands(values)
    no_duplicates(values, ["indicator_id", "area_code", "period"], "value")
    means = values["indicator_id"].map(indicators.set_index("id")["value_type"]).isin(MEAN_TYPES)
    for column, what in (("denominator", "a denominator (its weight)"),
                         ("sd", "an sd"), ("se", "an se")):
        _all_or_none(values, means, column, what)
    gives_sd = values.groupby("indicator_id", sort=False)["sd"].transform("count") > 0
    fail_first(values, values["se"].notna() & gives_sd, "this indicator gives both sd and se "
               "in its rows; give one of them.", "se")
    return values, age_bands


def _all_or_none(values: pd.DataFrame, means: pd.Series, column: str, what: str) -> None:
    """Every row of a mean or score gives `column`, or none does: a cluster cannot be
    weighted (or given an interval) from some of its areas only."""
    some = values.groupby("indicator_id", sort=False)[column].transform("count") > 0
    fail_first(values, means & some & values[column].isna(), f"the {column} is blank, but "
               f"other rows of this indicator give {what}: give it in every row of the "
               "indicator, or in none.", column)


def order_periods(labels: list[str]) -> tuple[str, ...]:
    """Periods oldest first: labels that all start with a year sort naturally ('2019/20' <
    '2020/21', '2021 Q2' < '2021 Q10'); any others keep their order of first appearance."""
    unique = list(dict.fromkeys(labels))
    if unique and all(YEAR_FIRST.match(p) for p in unique):
        return tuple(sorted(unique, key=natural_key))
    return tuple(unique)


def build_indicators(spec: pd.DataFrame, values: pd.DataFrame) -> tuple[Indicator, ...]:
    """Indicator objects in metadata order, each with the periods found in `values`.

    An indicator whose school-basis twin (id + SCHOOL_SUFFIX) has values is marked as residence
    basis and followed by the twin, which shares its metadata.
    """
    by_indicator = values.groupby("indicator_id", sort=False)["period"].unique()
    result = []
    for row in spec.to_dict("records"):
        if row["id"] not in by_indicator.index:
            raise InputError(f"indicator {row['id']!r} has no values: add rows for it in "
                             "values/ (or a flag column in pupils), or remove it.",
                             file=row[FILE], row=int(row[ROW]), column="id")
        threshold = row["disclosure_threshold"]
        result.append(Indicator(
            id=row["id"], title=row["title"], theme=row["theme"],
            value_type=ValueType(row["value_type"]), polarity=Polarity(row["polarity"]),
            multiplier=float(row["multiplier"]), unit=row["unit"],
            definition=row["definition"], source=row["source"],
            synthetic=bool(row["synthetic"]),
            disclosure_threshold=None if pd.isna(threshold) else int(threshold),
            disclosure_complement=bool(row["disclosure_complement"]),
            periods=order_periods(list(by_indicator[row["id"]])),
        ))
        twin_id = row["id"] + SCHOOL_SUFFIX
        if twin_id in by_indicator.index:
            home = replace(result[-1], basis=BASIS_RESIDENCE)
            result[-1] = home
            result.append(replace(home, id=twin_id, title=home.title + SCHOOL_TITLE,
                                  basis=BASIS_SCHOOL, basis_of=home.id,
                                  periods=order_periods(list(by_indicator[twin_id]))))
    return tuple(result)
