"""The statistics as a machine-readable table (CSV or XLSX) for Excel, R or pandas.

One row per cluster (and the county), indicator and period: the latest period of each
indicator, or every period oldest first. Numbers are numbers, at full precision; columns are
snake_case (DATA_COLUMNS). What is not shown is marked the way the Word profile marks it: a
suppressed row's count, denominator, value and limits are empty and its `note` starts with the
suppression marker; a row without a value says so in `note`. Significance is at the
comparison's level (Fingertips' words, "Worse 99.8%"), trend and trend_method are given on
each indicator's latest period. This is also how the statistics are checked from outside.
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Sequence

import numpy as np
import pandas as pd

from desktop.core.atomic import atomic_open, write_bytes_atomic
from desktop.core.format import MISSING
from desktop.core.model import BASIS_RESIDENCE, COUNTY, SUPPRESSED, SYNTHETIC_LABEL, Bundle
from desktop.core.stats.aggregate import Statistics
from desktop.core.stats.profile import indicators_for_basis
from desktop.core.stats.trend import trend_words

DATA_COLUMNS = ("level", "cluster", "indicator_id", "indicator", "theme", "value_type",
                "period", "count", "denominator", "value", "lower_95", "upper_95",
                "lower_99_8", "upper_99_8", "significance", "trend", "trend_method", "note")
_NUMBERS = {"numerator": "count", "denominator": "denominator", "value": "value",
            "lower95": "lower_95", "upper95": "upper_95", "lower998": "lower_99_8",
            "upper998": "upper_99_8"}
_NO_COUNTS = ("mean", "score")  # as in the Word profile: their denominator is a weight
SUPPRESSED_NOTE = f"{SUPPRESSED} suppressed: small numbers"
MISSING_NOTE = f"{MISSING} no value"


def data_table(bundle: Bundle, statistics: Statistics, clusters: Sequence[str] | None = None,
               all_periods: bool = False, basis: str = BASIS_RESIDENCE) -> pd.DataFrame:
    """DATA_COLUMNS for `clusters` (all of them when None) and the county, the indicators
    shown on `basis` in profile order, judged by `statistics.comparison`."""
    names = list(bundle.cluster_names if clusters is None else clusters)
    indicators = indicators_for_basis(bundle, basis)
    keys = pd.DataFrame(
        [(ind.id, period, period == ind.latest_period) for ind in indicators
         for period in (statistics.periods(ind.id) if all_periods else ind.periods[-1:])],
        columns=["indicator_id", "period", "latest"])
    grid = pd.concat([keys.assign(code=code) for code in [*names, COUNTY]], ignore_index=True)
    found = statistics.aggregate_table.astype({c: str for c in ("code", "indicator_id",
                                                                "period")})
    rows = grid.merge(found, how="left", on=["code", "indicator_id", "period"])
    trends = statistics.trends.astype({"indicator_id": str, "code": str})
    rows = rows.merge(trends[["indicator_id", "code", "trend", "method", "reason"]],
                      how="left", on=["indicator_id", "code"])
    meta = {ind.id: ind for ind in indicators}
    ind = rows["indicator_id"].map(meta)
    kind = ind.map(lambda i: i.value_type.value)
    county = rows["code"].eq(COUNTY).to_numpy()
    suppressed = rows["suppressed"].fillna(False).astype(bool).to_numpy()
    table = pd.DataFrame({
        "level": np.where(county, "county", "cluster"),
        "cluster": np.where(county, bundle.manifest.area_name, rows["code"]),
        "indicator_id": rows["indicator_id"], "indicator": ind.map(lambda i: i.title),
        "theme": ind.map(lambda i: i.theme), "value_type": kind, "period": rows["period"]})
    for theirs, ours in _NUMBERS.items():
        numbers = rows[theirs].astype(float).to_numpy().copy()
        numbers[suppressed] = np.nan
        if ours in ("count", "denominator"):
            numbers[kind.isin(_NO_COUNTS).to_numpy()] = np.nan
        table[ours] = numbers
    labels = {s: statistics.comparison.label(s) for s in rows["significance"].dropna().unique()}
    table["significance"] = np.where(county, "", rows["significance"].map(labels).fillna(""))
    latest = rows["latest"].to_numpy()
    words = [trend_words(t, i.polarity) if isinstance(t, str) else ""
             for t, i in zip(rows["trend"], ind)]
    table["trend"] = np.where(latest, words, "")
    table["trend_method"] = np.where(latest, rows["method"].fillna(""), "")
    table["note"] = _notes(suppressed, np.isfinite(table["value"].to_numpy(float)),
                           np.where(latest, rows["reason"].fillna(""), ""),
                           ind.map(lambda i: i.synthetic).to_numpy(bool))
    for column in ("count", "denominator"):
        if np.all(np.mod(table[column].dropna(), 1) == 0):
            table[column] = table[column].astype("Int64")
    return table[list(DATA_COLUMNS)]


def _notes(suppressed: np.ndarray, has_value: np.ndarray, trend_reason: np.ndarray,
           synthetic: np.ndarray) -> list[str]:
    notes = []
    for hidden, value, reason, made_up in zip(suppressed, has_value, trend_reason, synthetic):
        parts = [SUPPRESSED_NOTE] if hidden else [] if value else [MISSING_NOTE]
        if reason:
            parts.append(f"trend: {reason}")
        if made_up:
            parts.append(SYNTHETIC_LABEL)
        notes.append("; ".join(parts))
    return notes


def export_data_table(table: pd.DataFrame, path: str | os.PathLike,
                      notes: Sequence[str] = ()) -> None:
    """Write `table` as CSV (UTF-8 with a BOM, so Excel reads it; pandas and R too) or XLSX
    (by the file's extension): the CSV holds the table alone, the XLSX a "Data" sheet and a
    "Notes" sheet with `notes` (what the columns and markers mean, sources, the licence)."""
    if str(path).lower().endswith(".xlsx"):
        _write_xlsx(table, path, notes)
        return
    with atomic_open(path, "w", encoding="utf-8-sig", newline="") as fh:
        table.to_csv(fh, index=False, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)


def _write_xlsx(table: pd.DataFrame, path: str | os.PathLike, notes: Sequence[str]) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = "Data"
    sheet.append(list(table.columns))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for record in table.itertuples(index=False, name=None):
        sheet.append([None if (v is pd.NA or (isinstance(v, float) and np.isnan(v))) else
                      (int(v) if isinstance(v, np.integer) else v) for v in record])
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    notes_sheet = book.create_sheet("Notes")
    for line in notes:
        notes_sheet.append([line])
    buffer = io.BytesIO()  # made in memory: no library temp file beside the export
    book.save(buffer)
    write_bytes_atomic(path, buffer.getvalue())


def table_notes(bundle: Bundle, statistics: Statistics) -> list[str]:
    """What a reader of the table needs besides the numbers."""
    manifest = bundle.manifest
    comparison = statistics.comparison
    return [manifest.title,
            (f"Clusters of {manifest.area_name}; level \"county\" is {manifest.area_name} "
             "as a whole."),
            f"significance: {comparison.heading}. {comparison.method}",
            "lower_95 ... upper_99_8: confidence limits at 95% and 99.8%.",
            ("trend: the recent trend up to the indicator's latest period, on that period's "
             "row; trend_method says how it was tested."),
            (f"note: {SUPPRESSED_NOTE} (count, denominator, value and limits left empty so "
             f"that no person can be identified); {MISSING_NOTE}; why a trend cannot be "
             f"calculated; \"{SYNTHETIC_LABEL}\" for synthetic data."),
            ("count and denominator are left empty for means and scores (their denominator "
             "is a weight)."),
            f"Sources: {manifest.attribution}", f"Licence: {manifest.licence}"]
