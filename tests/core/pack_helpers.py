"""Helpers shared by the pack and CLI tests: a writable copy of the example input folder and
small editors for its CSV files."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

from tests.conftest import ROOT

EXAMPLE = ROOT / "docs" / "example-input"


def copy_example(tmp_path: Path) -> Path:
    folder = tmp_path / "input"
    shutil.copytree(EXAMPLE, folder)
    return folder


def read_rows(path: Path) -> list[list[str]]:
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.reader(fh))


def write_rows(path: Path, rows: list[list[str]]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(rows)


def set_cell(path: Path, row: int, column: str, value: str) -> None:
    """Set one cell, `row` counted as a spreadsheet does (header is row 1); a new column is
    added, blank in the other rows."""
    rows = read_rows(path)
    if column not in rows[0]:
        rows = [r + [column if k == 0 else ""] for k, r in enumerate(rows)]
    rows[row - 1][rows[0].index(column)] = value
    write_rows(path, rows)


def append_row(path: Path, row: list[str]) -> int:
    """Append a data row; returns its spreadsheet row number."""
    rows = read_rows(path) + [row]
    write_rows(path, rows)
    return len(rows)


def drop_column(path: Path, column: str) -> None:
    rows = read_rows(path)
    i = rows[0].index(column)
    write_rows(path, [r[:i] + r[i + 1:] for r in rows])
