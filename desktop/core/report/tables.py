"""A cluster profile as a table for people: CSV, XLSX and a clipboard copy (TSV plus HTML).

Every export formats numbers with desktop.core.format, so a suppressed cell reads "[c]" exactly
as on screen; counts and denominators of suppressed rows are never written. Each file starts
with a header block (title, cluster, period, source and licence, the synthetic-data label
where it applies) and has notes under the table (what the comparison means and what each
marker it uses stands for: [c], [x], [z]), so a table pasted or opened on its own still says
what it is.
"""

from __future__ import annotations

import csv
import html
import os
from dataclasses import dataclass

import pandas as pd

from desktop.core.atomic import atomic_open, write_bytes_atomic
from desktop.core.format import (
    MISSING,
    format_interval,
    format_value,
    marker_notes,
    suppression_meaning,
)
from desktop.core.model import NOT_APPLICABLE, SYNTHETIC_LABEL, Bundle, ValueType
from desktop.core.plotting.palettes import SIGNIFICANCE_COLOURS, needs_white_text
from desktop.core.report.text import profile_title
from desktop.core.stats.comparison import DEFAULT, REST, SIMILAR, Comparison
from desktop.core.stats.trend import trend_words

COLUMNS = ("Theme", "Indicator", "Unit", "Period", "Count", "Denominator", "Value",
           "95% CI", "County", "Lowest cluster", "Highest cluster", "Compared with county",
           "Trend")
SIGNIFICANCE_COLUMN = "Compared with county"
_COUNTED = {ValueType.PROPORTION.value, ValueType.RATE.value, ValueType.COUNT.value,
            ValueType.DSR.value, ValueType.ISR.value}


def headings(comparison: Comparison = DEFAULT) -> tuple[str, ...]:
    """COLUMNS as a table shows them: the comparison column says against what."""
    return tuple(comparison.column if c == SIGNIFICANCE_COLUMN else c for c in COLUMNS)


def _count(value: object, value_type: str, suppressed: bool) -> str:
    """Numerators and denominators only where they mean something (not for means and scores),
    and never for a suppressed row."""
    if value_type not in _COUNTED:
        return NOT_APPLICABLE
    return format_value(value, ValueType.COUNT, "", suppressed)


def _extreme(value: object, cluster: object, value_type: str, unit: str) -> str:
    text = format_value(value, value_type, unit)
    return text if text == MISSING or not isinstance(cluster, str) else f"{text} ({cluster})"


def profile_rows(profile: pd.DataFrame, comparison: Comparison = DEFAULT) -> pd.DataFrame:
    """The profile (PROFILE_COLUMNS) as display strings, columns COLUMNS, one row per indicator:
    significance in Fingertips' words at the comparison's level ("Worse 99.8%"), the trend
    judged by polarity ("Increasing and getting worse").

    Kept alongside: `significance` (the raw key, for colouring) and `synthetic`.
    """
    rows = []
    for rec in profile.to_dict("records"):
        kind, unit, hidden = str(rec["value_type"]), str(rec["unit"] or ""), bool(
            rec["suppressed"])
        title = str(rec["title"]) + (" †" if rec["synthetic"] else "")
        rows.append([
            rec["theme"], title, "" if unit == "%" else unit, str(rec["period"] or MISSING),
            _count(rec["count"], kind, hidden), _count(rec["denominator"], kind, hidden),
            format_value(rec["value"], kind, unit, hidden),
            format_interval(rec["lower95"], rec["upper95"], kind, hidden),
            format_value(rec["county_value"], kind, unit),
            _extreme(rec["lowest"], rec["lowest_cluster"], kind, unit),
            _extreme(rec["highest"], rec["highest_cluster"], kind, unit),
            comparison.label(str(rec["significance"])),
            trend_words(str(rec["trend"]), str(rec["polarity"])),
            str(rec["significance"]), bool(rec["synthetic"])])
    return pd.DataFrame(rows, columns=[*COLUMNS, "significance", "synthetic"])


def threshold_words(bundle: Bundle) -> str:
    """The disclosure threshold(s) of the bundle in words: "5", or "5 (or the indicator's own
    threshold)" when some indicator has its own."""
    manifest = bundle.manifest
    limits = sorted({manifest.threshold_for(ind) for ind in manifest.indicators})
    return (str(limits[0]) if len(limits) == 1 else
            f"{manifest.disclosure_threshold} (or the indicator's own threshold)")


def suppression_note(bundle: Bundle) -> str:
    """What "[c]" stands for, with the disclosure threshold(s) of the bundle."""
    return suppression_meaning(threshold_words(bundle)) + "."


def table_notes(bundle: Bundle, cells, comparison: Comparison | None = DEFAULT) -> list[str]:
    """The notes written under a table whose cells are `cells`: what the comparison column
    means (when the table has one) and what each marker used stands for."""
    notes = [f"{comparison.column}: {comparison.method}"] if comparison is not None else []
    return notes + marker_notes(cells, threshold_words(bundle))


def period_note(profile: pd.DataFrame, period: str | None = None) -> str:
    if period is not None:
        return f"Period: {period}"
    periods = profile["period"].dropna().astype(str).unique()
    if len(periods) == 1:
        return f"Period: {periods[0]}"
    return "Period: the latest period of each indicator (shown in the Period column)"


def header_lines(bundle: Bundle, profile: pd.DataFrame, cluster: str,
                 period: str | None = None, comparison: Comparison = DEFAULT) -> list[str]:
    """The header block every table export starts with."""
    manifest = bundle.manifest
    against = {REST: "the rest of " + manifest.area_name,
               SIMILAR: comparison.peers.basis if comparison.peers else ""}.get(
        comparison.against, manifest.area_name + " (the county)")
    lines = [f"{manifest.title}: {profile_title(bundle, cluster)}",
             f"Cluster: {cluster}, compared with {against} at {comparison.level_text} "
             "confidence",
             period_note(profile, period)]
    if bool(profile["synthetic"].any()):
        lines.append(f"† Data: {SYNTHETIC_LABEL}: these figures describe no real child or "
                     "school.")
    lines += [f"Sources: {manifest.attribution}", f"Licence: {manifest.licence}"]
    return lines


def _table(profile: pd.DataFrame, comparison: Comparison) -> pd.DataFrame:
    return profile_rows(profile, comparison)[list(COLUMNS)]


def export_profile_csv(bundle: Bundle, profile: pd.DataFrame, cluster: str,
                       path: str | os.PathLike, period: str | None = None,
                       comparison: Comparison = DEFAULT) -> None:
    """The header block, a blank line, the table, a blank line and its notes; UTF-8 with a
    BOM so Excel reads "£"."""
    table = _table(profile, comparison)
    with atomic_open(path, "w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        for line in header_lines(bundle, profile, cluster, period, comparison):
            writer.writerow([line])
        writer.writerow([])
        writer.writerow(headings(comparison))
        writer.writerows(table.itertuples(index=False, name=None))
        writer.writerow([])
        for line in table_notes(bundle, table.to_numpy().ravel(), comparison):
            writer.writerow([line])


def export_profile_xlsx(bundle: Bundle, profile: pd.DataFrame, cluster: str,
                        path: str | os.PathLike, period: str | None = None,
                        comparison: Comparison = DEFAULT) -> None:
    """One sheet: the header block, then the table with a frozen header row and filter, its
    "Compared with county" cells filled with the significance colours, then its notes."""
    from openpyxl import Workbook  # lazily: the window shows tables long before an export
    from openpyxl.styles import Alignment, Font, PatternFill

    from desktop.core.report.xlsx import workbook_bytes

    rows = profile_rows(profile, comparison)
    book = Workbook()
    sheet = book.active
    sheet.title = "Profile"
    header = header_lines(bundle, profile, cluster, period, comparison)
    for r, line in enumerate(header, start=1):
        sheet.cell(r, 1, line).font = Font(bold=r == 1, size=14 if r == 1 else 10)
    top = len(header) + 2
    for c, name in enumerate(headings(comparison), start=1):
        cell = sheet.cell(top, c, name)
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor="1F4E79")
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    numeric = {"Count", "Denominator", "Value", "95% CI", "County"}
    sig_col = COLUMNS.index(SIGNIFICANCE_COLUMN) + 1
    for r, rec in enumerate(rows.itertuples(index=False), start=top + 1):
        for c, name in enumerate(COLUMNS, start=1):
            cell = sheet.cell(r, c, rec[c - 1])
            if name in numeric:
                cell.alignment = Alignment(horizontal="right")
        colour = SIGNIFICANCE_COLOURS.get(rec.significance, SIGNIFICANCE_COLOURS["not compared"])
        sig_cell = sheet.cell(r, sig_col)
        sig_cell.fill = PatternFill("solid", fgColor=colour.lstrip("#"))
        if needs_white_text(colour):
            sig_cell.font = Font(color="FFFFFF")
    notes = table_notes(bundle, rows[list(COLUMNS)].to_numpy().ravel(), comparison)
    for r, line in enumerate(notes, start=top + len(rows) + 2):
        sheet.cell(r, 1, line).font = Font(size=10)
    widths = (20, 48, 14, 10, 10, 12, 10, 18, 10, 26, 26, 22, 22)
    for c, width in enumerate(widths, start=1):
        sheet.column_dimensions[sheet.cell(1, c).column_letter].width = width
    sheet.freeze_panes = sheet.cell(top + 1, 3)
    sheet.auto_filter.ref = f"A{top}:{sheet.cell(top + len(rows), len(COLUMNS)).coordinate}"
    sheet.print_title_rows = f"{top}:{top}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    write_bytes_atomic(path, workbook_bytes(book))  # openpyxl's own save leaves temp files


@dataclass(frozen=True)
class ClipboardTable:
    """The same table twice: TSV for plain-text targets, HTML that Word and Excel paste with
    its formatting."""

    text: str
    html: str


def clipboard_table(table: pd.DataFrame, caption: str = "", notes: tuple[str, ...] = (),
                    fills: dict[str, list[str | None]] | None = None) -> ClipboardTable:
    """Any table of display strings (a profile, a chart's table) ready for the clipboard.

    `fills` maps a column name to one background colour (or None) per row.
    """
    columns = [str(c) for c in table.columns]
    cells = table.astype(str).to_numpy().tolist()
    tsv = [caption] if caption else []
    tsv += ["\t".join(columns), *("\t".join(_tsv_cell(v) for v in row) for row in cells)]
    tsv += list(notes)
    head = "".join(f'<th style="{_TH}">{html.escape(c)}</th>' for c in columns)
    body = []
    for i, row in enumerate(cells):
        tds = []
        for name, value in zip(columns, row):
            fill = (fills or {}).get(name, [None] * len(cells))[i]
            style = _TD
            if fill:
                style += f"background:{fill};" + ("color:#FFFFFF;" if needs_white_text(fill)
                                                  else "")
            tds.append(f'<td style="{style}">{html.escape(value)}</td>')
        body.append(f"<tr>{''.join(tds)}</tr>")
    parts = ['<table style="border-collapse:collapse;font-family:Arial,sans-serif;'
             'font-size:9pt">']
    if caption:
        parts.append(f'<caption style="text-align:left;font-weight:bold">'
                     f'{html.escape(caption)}</caption>')
    parts += [f"<thead><tr>{head}</tr></thead>", f"<tbody>{''.join(body)}</tbody>", "</table>"]
    parts += [f'<p style="font-size:8pt">{html.escape(n)}</p>' for n in notes]
    return ClipboardTable("\n".join(tsv) + "\n", "".join(parts))


_TH = ("border:1px solid #808080;padding:2px 4px;background:#1F4E79;color:#FFFFFF;"
       "text-align:left")
_TD = "border:1px solid #BFBFBF;padding:2px 4px;"


def _tsv_cell(value: str) -> str:
    return value.replace("\t", " ").replace("\n", " ")


def profile_clipboard(bundle: Bundle, profile: pd.DataFrame, cluster: str,
                      period: str | None = None,
                      comparison: Comparison = DEFAULT) -> ClipboardTable:
    """The profile table for pasting into Word or Excel, with its header block as notes."""
    rows = profile_rows(profile, comparison)
    header = header_lines(bundle, profile, cluster, period, comparison)
    fills = {comparison.column: [SIGNIFICANCE_COLOURS.get(s) for s in rows["significance"]]}
    table = rows[list(COLUMNS)].set_axis(list(headings(comparison)), axis=1)
    notes = (*table_notes(bundle, table.to_numpy().ravel(), comparison), *header[1:])
    return clipboard_table(table, caption=header[0], notes=notes, fills=fills)
