"""An openpyxl workbook as bytes, without openpyxl's temporary files.

openpyxl writes each worksheet's XML (every value of the table) to a file in the system temp
folder before zipping it, even when the workbook is saved to memory, and deletes it only
afterwards: a killed export left the profile's figures there. Its WorksheetWriter can write to
memory instead; this writer asks it to, and the workbook is zipped in memory, for
desktop.core.atomic to write in one step.
"""

from __future__ import annotations

import datetime as dt
import io
from zipfile import ZIP_DEFLATED, ZipFile

from openpyxl.drawing.spreadsheet_drawing import SpreadsheetDrawing
from openpyxl.workbook import Workbook
from openpyxl.writer import excel


class _MemoryWriter(excel.ExcelWriter):
    """openpyxl's ExcelWriter with each worksheet written to memory (regular workbooks only)."""

    def write_worksheet(self, ws) -> None:
        ws._drawing = SpreadsheetDrawing()
        ws._drawing.charts = ws._charts
        ws._drawing.images = ws._images
        writer = excel.WorksheetWriter(ws, out=io.BytesIO())
        writer.write()
        ws._rels = writer._rels
        self._archive.writestr(ws.path[1:], writer.read())
        self.manifest.append(ws)


def workbook_bytes(book: Workbook) -> bytes:
    """The .xlsx file of `book`, made in memory only."""
    if book.write_only:
        raise ValueError("write-only workbooks stream through temporary files")
    book.properties.modified = dt.datetime.now(tz=dt.timezone.utc).replace(tzinfo=None)
    buffer = io.BytesIO()
    with ZipFile(buffer, "w", ZIP_DEFLATED, allowZip64=True) as archive:
        _MemoryWriter(book, archive).write_data()
    return buffer.getvalue()
