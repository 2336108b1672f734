"""Word tables never break a number, and shade whole cells (issue 15, item 10)."""

from __future__ import annotations

import os
import re
import subprocess

import pytest
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
from docx.oxml.ns import qn

from desktop.core.report.column_widths import fit_widths, text_width_cm
from desktop.core.report.word import (
    CELL_MARGIN_CM,
    FONT,
    TABLE_FONT_PT,
    TEXT_WIDTH_CM,
    add_table,
    new_document,
    shade,
)

HEADER = ("Indicator", "Count", "Value", "95% CI", "Against county")
ROWS = [
    ["Children aged 0-15 in the most deprived fifth of small areas of the county", "268,466",
     "14,659", "14,422.6 to 14,898.3", "Not compared"],
    ["Hospital admissions caused by unintentional and deliberate injuries", "110", "7.3",
     "6.0 to 8.8", "Better"],
]
NUMERIC = (1, 2, 3)
ASKED = (9.5, 1.1, 1.3, 2.2, 1.45)  # what the report asked for: "268,466" broke in 1.1 cm


def cell_widths_cm(table) -> list[float]:
    return [cell.width.cm for cell in table.rows[1].cells]


def test_narrow_number_columns_grow_and_the_names_give_the_room():
    doc = new_document("Tables")
    table = add_table(doc, HEADER, ROWS, ASKED, right_aligned=NUMERIC, caption="Two indicators")
    widths = cell_widths_cm(table)
    assert sum(widths) == pytest.approx(sum(ASKED), abs=0.01)  # the page width is kept
    for k in NUMERIC:  # every number whole on one line, with the cell's margins
        widest = max(text_width_cm(row[k], TABLE_FONT_PT, FONT) for row in ROWS)
        assert widths[k] >= widest + 2 * CELL_MARGIN_CM
    compared = text_width_cm("compared", TABLE_FONT_PT, FONT)
    assert widths[4] >= compared + 2 * CELL_MARGIN_CM  # "Not compare" / "d" no more
    assert widths[0] < ASKED[0]  # the names wrap a little more instead


def test_intervals_wrap_after_to_only_when_the_names_have_no_room_left():
    rows = [["Population", "86,572", "86,572", "85,996.3 to 87,150.6", "Not compared"]]
    asked = (3.0, 1.0, 1.0, 2.0, TEXT_WIDTH_CM - 7.0)  # a words column with room to give
    roomy = fit_widths(HEADER, rows, asked, NUMERIC, size_pt=TABLE_FONT_PT, family=FONT,
                       padding_cm=2 * CELL_MARGIN_CM)
    assert roomy[3] >= text_width_cm(rows[0][3], TABLE_FONT_PT, FONT)  # on one line
    tight = fit_widths(HEADER, rows, (2.2, 1.0, 1.0, 2.0, 1.6), NUMERIC, size_pt=TABLE_FONT_PT,
                       family=FONT, padding_cm=2 * CELL_MARGIN_CM)
    assert text_width_cm("85,996.3 to", TABLE_FONT_PT, FONT) < tight[3] < \
        text_width_cm(rows[0][3], TABLE_FONT_PT, FONT)  # "85,996.3 to" over "87,150.6"


def test_shading_is_the_cells_own_and_in_schema_order():
    """Word reads a cell's properties in the schema's order: shading before the vertical
    alignment, or the fill may cover only the text's first line."""
    doc = new_document("Shading")
    table = doc.add_table(rows=1, cols=1)
    cell = table.rows[0].cells[0]
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    shade(cell, "#E7E6E6")
    tags = [child.tag for child in cell._tc.tcPr]
    assert tags.index(qn("w:shd")) < tags.index(qn("w:vAlign"))
    assert cell.paragraphs[0]._p.find(qn("w:pPr") + "/" + qn("w:shd")) is None


def test_libreoffice_prints_every_number_whole(tmp_path):
    """Rendered to PDF (LibreOffice, as an officer's copy would print), each number of a
    narrow column reads whole on one line and "Not compared" breaks only between words."""
    doc = new_document("Tables")
    add_table(doc, HEADER, ROWS, ASKED, right_aligned=NUMERIC, caption="Two indicators")
    path = tmp_path / "tables.docx"
    doc.save(path)
    profile = tmp_path / "lo-profile"  # its own profile: safe beside other LibreOffice runs
    subprocess.run(["soffice", f"-env:UserInstallation=file://{profile}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(path)],
                   check=True, capture_output=True, timeout=180,
                   env={**os.environ, "HOME": str(tmp_path)})
    text = subprocess.run(["pdftotext", "-layout", str(tmp_path / "tables.pdf"), "-"],
                          check=True, capture_output=True, text=True).stdout
    for number in ("268,466", "14,659", "14,422.6", "14,898.3", "110", "6.0 to 8.8"):
        assert number in text
    assert "Not" in text and "compared" in text
    assert re.search(r"compare(?!d)", text) is None  # never "Not compare" over "d"
