"""Reading the pack input tables (CSV or XLSX) as text, and reporting bad cells precisely.

Every table is read as strings with two bookkeeping columns, `_file` (the name shown in
messages) and `_row` (the row number a spreadsheet user sees: the header is row 1, the first
data row is row 2). Typed conversion and checks are vectorised and report the FIRST offending
row, so a user fixes problems one message at a time in file order.
"""

from __future__ import annotations

import csv
import datetime as dt
import math
import re
from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pandas as pd

from desktop.core.errors import InputError
from desktop.core.text import TEXT_LIMITS, clean, needs_cleaning

FILE, ROW = "_file", "_row"
TABLE_EXTENSIONS = (".csv", ".xlsx")


def display_name(path: Path, root: Path | None = None) -> str:
    """The path as shown in messages: relative to the input folder where possible."""
    if root is not None:
        try:
            return path.relative_to(root).as_posix()
        except ValueError:
            pass
    return path.name


def find_table(folder: Path, stem: str, extensions: Iterable[str] = TABLE_EXTENSIONS,
               required: bool = True) -> Path | None:
    """The one file `stem.<ext>` in `folder`; an InputError if it is missing or ambiguous."""
    extensions = tuple(extensions)
    found = [folder / f"{stem}{ext}" for ext in extensions if (folder / f"{stem}{ext}").is_file()]
    if len(found) > 1:
        names = " and ".join(p.name for p in found)
        raise InputError(f"both {names} are present: keep only one of them.", file=stem)
    if not found:
        if required:
            wanted = " or ".join(f"{stem}{ext}" for ext in extensions)
            raise InputError(f"the required file {wanted} is missing from {folder}.")
        return None
    return found[0]


def read_table(path: Path, name: str | None = None) -> pd.DataFrame:
    """A CSV (UTF-8) or XLSX (first sheet) table as strings, with `_file` and `_row` columns.

    Column names are stripped and lower-cased; cells are stripped; blank rows are dropped.
    """
    name = name or path.name
    reader = _xlsx_rows if path.suffix.lower() == ".xlsx" else _csv_rows
    header, body = reader(path, name)
    columns = [str(c if c is not None else "").strip().lower() for c in header]
    if not any(columns):
        raise InputError("the file is empty: it needs a header row and data rows.", file=name)
    seen: set[str] = set()
    for col in columns:
        if col and col in seen:
            raise InputError("this column appears twice in the header.", file=name, row=1,
                             column=col)
        seen.add(col)
    keep = [i for i, c in enumerate(columns) if c]
    frame = pd.DataFrame({columns[i]: (body[i].astype("str").str.strip() if i in body.columns
                                       else pd.Series("", index=body.index, dtype="str"))
                          for i in keep}, index=body.index)
    frame = frame[frame.ne("").any(axis=1)] if len(frame.columns) else frame.iloc[:0]
    if frame.empty:
        raise InputError("the file has a header but no data rows.", file=name)
    frame[FILE] = name
    frame[ROW] = frame.index.to_numpy(dtype="int64")
    return frame.reset_index(drop=True)


_NOT_UTF8 = ("the file is not UTF-8 text. Save it as 'CSV UTF-8' from Excel, or as UTF-8 from "
             "your editor.")


def _csv_rows(path: Path, name: str) -> tuple[list, pd.DataFrame]:
    """Header cells and a text frame of the data, indexed by spreadsheet row number."""
    try:
        with open(path, encoding="utf-8-sig", newline="") as fh:
            header = next(csv.reader(fh), None)
        if header is None:
            raise InputError("the file is empty: it needs a header row and data rows.",
                             file=name)
        # one frame row per record (blank lines kept), as a spreadsheet counts rows
        body = pd.read_csv(path, header=None, skiprows=1, dtype="str", keep_default_na=False,
                           skip_blank_lines=False, encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(_NOT_UTF8, file=name) from exc
    except pd.errors.EmptyDataError:
        raise InputError("the file has a header but no data rows.", file=name) from None
    except (csv.Error, pd.errors.ParserError) as exc:
        raise InputError(f"the file is not valid CSV ({exc}); check quotes and that no row "
                         "has more fields than the header.", file=name) from exc
    body.index = body.index + 2
    body = body.fillna("")
    if needs_cleaning(path.read_text(encoding="utf-8-sig")):  # rare: skip the per-cell pass
        body = body.map(clean)
    return header, body


def _xlsx_rows(path: Path, name: str) -> tuple[list, pd.DataFrame]:
    """Header cells and a text frame of the first sheet, indexed by spreadsheet row number."""
    import openpyxl  # imported lazily: only needed for Excel inputs

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for damaged or non-Excel files
        raise InputError(f"the file cannot be read as an Excel workbook ({exc}). Save it again "
                         "from Excel as .xlsx, or export it as CSV UTF-8.", file=name) from exc
    try:
        rows = [[cell_text(v) for v in r] for r in book.worksheets[0].iter_rows(values_only=True)]
    finally:
        book.close()
    if not rows:
        raise InputError("the file is empty: it needs a header row and data rows.", file=name)
    body = pd.DataFrame(rows[1:], index=range(2, len(rows) + 1), dtype="str")
    return rows[0], body.fillna("")


def cell_text(value: object) -> str:
    """A cell as text; whole numbers stored by Excel as floats lose their '.0'."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        return str(int(value))
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    return clean(str(value)).strip()


def limit_text(frame: pd.DataFrame, column: str, field: str) -> None:
    """Refuse the first cell of `column` longer than the field's limit (TEXT_LIMITS)."""
    if column not in frame.columns:
        return
    limit = TEXT_LIMITS[field]
    lengths = frame[column].astype("str").str.len().to_numpy()
    long = lengths > limit
    if long.any():
        fail_first(frame, long, f"this {field} is {int(lengths[long][0]):,} characters long; at "
                   f"most {limit} are allowed (docs/input-format.md lists each limit).", column)


def fail_first(frame: pd.DataFrame, mask: pd.Series | np.ndarray, message: str,
               column: str | None = None) -> None:
    """Raise an InputError for the first row where `mask` is true; `{value}` in the message
    is replaced by that row's cell in `column`."""
    mask = np.asarray(mask, dtype=bool)
    if not mask.any():
        return
    pos = int(np.argmax(mask))
    row = frame.iloc[pos]
    value = row[column] if column is not None and column in frame.columns else ""
    raise InputError(message.replace("{value}", repr(value) if isinstance(value, str)
                                     else str(value)),
                     file=str(row[FILE]), row=int(row[ROW]), column=column)


def require_columns(frame: pd.DataFrame, columns: Iterable[str], *, what: str = "") -> None:
    """Raise an InputError naming the first required column that is absent."""
    for col in columns:
        if col not in frame.columns:
            name = str(frame[FILE].iloc[0])
            need = f" ({what})" if what else ""
            raise InputError(f"the required column '{col}' is missing{need}. The header row "
                             f"has: {', '.join(c for c in frame.columns if c not in (FILE, ROW))}.",
                             file=name, row=1, column=col)


def optional_text(frame: pd.DataFrame, column: str) -> pd.Series:
    """A text column, or blanks when the table does not have it."""
    if column in frame.columns:
        return frame[column]
    return pd.Series("", index=frame.index, dtype="str")


def require_text(frame: pd.DataFrame, column: str) -> pd.Series:
    """A text column in which every cell must be filled in."""
    require_columns(frame, [column])
    fail_first(frame, frame[column].eq(""), "this cell is blank; a value is required.", column)
    return frame[column]


def to_number(frame: pd.DataFrame, column: str, *, required: bool) -> pd.Series:
    """A numeric column as float (NaN where blank); text or infinite numbers are an InputError.

    `required` makes a blank cell an error too.
    """
    text = optional_text(frame, column)
    numbers = pd.to_numeric(text.where(text.ne(""), None), errors="coerce").astype("float64")
    bad = text.ne("") & ~np.isfinite(numbers.fillna(0.0))
    bad |= text.ne("") & numbers.isna()
    fail_first(frame, bad, "{value} is not a number. Write plain numbers such as 12 or 0.5 "
               "(no thousands separators, % signs or notes).", column)
    if required:
        fail_first(frame, text.eq(""), "this cell is blank; a number is required.", column)
    return numbers


def no_duplicates(frame: pd.DataFrame, keys: list[str], what: str) -> None:
    """Raise an InputError at the first row whose `keys` repeat an earlier row."""
    dup = frame.duplicated(subset=keys, keep="first")
    if dup.any():
        pos = int(np.argmax(dup.to_numpy()))
        key_values = tuple(frame.iloc[pos][k] for k in keys)
        earlier = frame[(frame[keys] == pd.Series(key_values, index=keys)).all(axis=1)].iloc[0]
        shown = ", ".join(f"{k} {v!r}" for k, v in zip(keys, key_values))
        fail_first(frame, dup, f"duplicate {what} ({shown}); it already appears in "
                   f"{earlier[FILE]} row {earlier[ROW]}.", keys[-1] if len(keys) == 1 else None)


def natural_key(label: str) -> tuple:
    """Sort key that orders embedded numbers numerically ('2019/20' < '2020/21')."""
    return tuple((0, int(tok), "") if tok.isdigit() else (1, 0, tok.casefold())
                 for tok in re.findall(r"\d+|\D+", label))
