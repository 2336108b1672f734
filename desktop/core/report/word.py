"""Small python-docx helpers for reports that look right in Word and pass its accessibility
checks: A4 pages in British English, captioned pictures with alt text, and compact tables with
a caption and alt text, a header row repeated on every page and no merged cells.

GOV.UK's guidance on accessible documents asks for the document's language, a caption for
every table, alt text for every picture and no merged or split cells (a screen reader reads a
table cell by cell and loses the grid where cells merge), so a group heading in a table is a
row of its own with the heading in its first cell. python-docx has no API for alt text,
table captions, repeated header rows, cell shading, caption numbers or the language, so those
few pieces of WordprocessingML are written here, once, in the order the schema gives them.
"""

from __future__ import annotations

import copy
import io
from collections.abc import Sequence

from docx import Document
from docx.document import Document as DocumentType
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.table import Table, _Cell, _Row

from desktop.core.plotting.palettes import needs_white_text
from desktop.core.report.column_widths import fit_widths
from desktop.core.text import shorten

PAGE_WIDTH_CM, PAGE_HEIGHT_CM, MARGIN_CM = 21.0, 29.7, 2.0
TEXT_WIDTH_CM = PAGE_WIDTH_CM - 2 * MARGIN_CM
IMAGE_WIDTH_CM = 16.0
TABLE_FONT_PT = 8
HEADER_FILL = "1F4E79"
GROUP_FILL = "E7E6E6"
FONT = "Arial"
CELL_MARGIN_CM = 0.08
CORE_PROPERTY_LIMIT = 255  # python-docx refuses a longer title (the OOXML limit)
FOOTER_TITLE_LIMIT = 120  # one footer line
LANGUAGE = "en-GB"  # British English: spelling, proofing and what a screen reader speaks


def new_document(title: str, subject: str = "") -> DocumentType:
    """An A4 portrait document in British English with 2 cm margins, Arial body text and a
    page-numbered footer."""
    doc = Document()
    _set_language(doc, LANGUAGE)
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(PAGE_WIDTH_CM), Cm(PAGE_HEIGHT_CM)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(MARGIN_CM))
    styles = doc.styles
    styles["Normal"].paragraph_format.space_after = Pt(4)
    for name, size in (("Normal", 10), ("Title", 24), ("Heading 1", 15), ("Heading 2", 12),
                       ("Caption", 8.5)):
        _set_font(styles[name], size)
    styles["Heading 1"].paragraph_format.space_before = Pt(14)
    styles["Caption"].font.color.rgb = RGBColor(0x40, 0x40, 0x40)
    styles["Caption"].font.italic = False
    styles["Caption"].font.bold = False
    styles["Caption"].paragraph_format.space_after = Pt(12)
    doc.core_properties.title = shorten(title, CORE_PROPERTY_LIMIT)
    doc.core_properties.subject = shorten(subject, CORE_PROPERTY_LIMIT)
    footer = section.footer.paragraphs[0]
    footer.text = f"{shorten(title, FOOTER_TITLE_LIMIT)} · page "
    _field(footer, "PAGE", "1")
    for run in footer.runs:
        run.font.size = Pt(8)
    return doc


def _set_language(doc: DocumentType, tag: str) -> None:
    """The language of every run (the default run properties every style inherits), of the
    theme fonts and of the document's properties. The template says en-US in all three."""
    doc.core_properties.language = tag
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    r_pr = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}")
    lang = r_pr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        r_pr.append(lang)
    for attr in ("w:val", "w:eastAsia"):
        lang.set(qn(attr), tag)
    theme_lang = doc.settings.element.find(qn("w:themeFontLang"))
    if theme_lang is not None:
        theme_lang.set(qn("w:val"), tag)


def _set_font(style, size: float) -> None:
    """Arial at `size` for a style, dropping the template's theme fonts that would win."""
    style.font.name = FONT
    style.font.size = Pt(size)
    fonts = style.element.rPr.rFonts
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)


def _field(paragraph, instruction: str, shown: str) -> None:
    """A simple Word field (page number, caption number) showing `shown` until updated."""
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), f" {instruction} ")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = shown
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def add_picture(doc: DocumentType, png: bytes, alt_text: str, caption: str,
                number: int | None = None, width_cm: float = IMAGE_WIDTH_CM) -> None:
    """A centred picture in line with the text (so it is read in its place) with alt text
    (the drawing's 'descr'), then "Figure n: caption" (n: the next figure's when None)."""
    paragraph = doc.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.keep_with_next = True
    shape = paragraph.add_run().add_picture(io.BytesIO(png), width=Cm(width_cm))
    doc_pr = shape._inline.docPr
    doc_pr.set("descr", alt_text)
    doc_pr.set("title", caption.split(".")[0][:250])
    add_caption(doc, "Figure", number, caption)


def add_caption(doc: DocumentType, label: str, number: int | None, text: str,
                keep_with_next: bool = False) -> None:
    """A Word caption ("Figure 3: ...") whose number is a SEQ field, so Word can list them;
    numbered after the captions of `label` already in `doc` when `number` is None.
    `keep_with_next`: the caption stands above what it names (a table's, as is usual)."""
    if number is None:
        number = 1 + sum(f" SEQ {label} " in f.get(qn("w:instr"), "")
                         for f in doc.element.body.iter(qn("w:fldSimple")))
    paragraph = doc.add_paragraph(style="Caption")
    if keep_with_next:  # above what it names (a table): close to it, apart from what was before
        paragraph.paragraph_format.keep_with_next = True
        paragraph.paragraph_format.space_before = Pt(10)
        paragraph.paragraph_format.space_after = Pt(3)
    paragraph.add_run(f"{label} ")
    _field(paragraph, f"SEQ {label} \\* ARABIC", str(number))
    paragraph.add_run(f": {text}")


# what may follow w:shd in a cell's properties (WordprocessingML keeps them in this order)
_AFTER_SHADING = ("w:noWrap", "w:tcMar", "w:textDirection", "w:tcFitText", "w:vAlign",
                  "w:hideMark", "w:headers", "w:cellIns", "w:cellDel", "w:cellMerge",
                  "w:tcPrChange")


def shade(cell: _Cell, fill: str) -> None:
    """Fill a whole table cell, every line of it, with a colour ("RRGGBB" or "#RRGGBB"): the
    cell's own shading (not its paragraph's or text's), in its place among the cell's
    properties, where Word reads it."""
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill.lstrip("#").upper())
    cell._tc.get_or_add_tcPr().insert_element_before(shd, *_AFTER_SHADING)


def _cell_margins(table: Table, cm: float) -> None:
    """Narrow left/right cell padding, so 8 pt text fits columns of a 17 cm table."""
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        edge = OxmlElement(f"w:{side}")
        edge.set(qn("w:w"), str(round(cm / 2.54 * 1440)))
        edge.set(qn("w:type"), "dxa")
        margins.append(edge)
    table._tbl.tblPr.insert_element_before(margins, "w:tblLook", "w:tblCaption",
                                           "w:tblDescription", "w:tblPrChange")


def _table_alt_text(table: Table, title: str, description: str) -> None:
    """The table's alt text (Word: Table Properties > Alt Text), which assistive technology
    reads before the cells: a title and a description."""
    tbl_pr = table._tbl.tblPr
    for tag, text in (("w:tblCaption", title), ("w:tblDescription", description)):
        element = OxmlElement(tag)
        element.set(qn("w:val"), shorten(text, CORE_PROPERTY_LIMIT))
        tbl_pr.insert_element_before(element, *(["w:tblDescription"] if tag == "w:tblCaption"
                                                 else []), "w:tblPrChange")


def _repeat_header(row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    tr_pr.append(header)


def _no_split(row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    tr_pr.append(OxmlElement("w:cantSplit"))


def _write(cell: _Cell, text: str, *, bold: bool = False, colour: str | None = None,
           right: bool = False, size: float = TABLE_FONT_PT, keep_with_next: bool = True) -> None:
    paragraph = cell.paragraphs[0]
    paragraph.paragraph_format.space_after = Pt(0)
    paragraph.paragraph_format.keep_with_next = keep_with_next
    if right:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    run = paragraph.add_run(text)
    run.font.size = Pt(size)
    run.bold = bold
    if colour:
        run.font.color.rgb = RGBColor.from_string(colour)


def add_table(doc: DocumentType, header: Sequence[str], rows: Sequence[Sequence[str]],
              widths_cm: Sequence[float], *, caption: str,
              right_aligned: Sequence[int] = (),
              fills: dict[int, Sequence[str | None]] | None = None,
              groups: dict[int, str] | None = None, keep_together: bool = False) -> Table:
    """A compact table under "Table n: `caption`": 8 pt text, a shaded header row repeated on
    each page, the caption and its size as the table's alt text.

    `widths_cm` are a starting point: column_widths.fit_widths widens a column whose numbers
    or words would break (right-aligned columns hold numbers) at the widest column's expense.
    `fills` maps a column to one fill colour (or None) per row; `groups` maps a row number to
    a heading (e.g. a theme) in the first cell of a shaded row of its own just before it;
    `keep_together` keeps a short table on one page.
    """
    groups = groups or {}
    add_caption(doc, "Table", None, caption, keep_with_next=True)
    widths_cm = fit_widths(header, rows, widths_cm, right_aligned, size_pt=TABLE_FONT_PT,
                           family=FONT, padding_cm=2 * CELL_MARGIN_CM)
    table = doc.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    _cell_margins(table, CELL_MARGIN_CM)
    _table_alt_text(table, caption, f"{len(rows)} rows under the headings "
                    f"{', '.join(header)}" + (f", grouped by {len(groups)} headings in rows of "
                                              "their own" if groups else "") + ".")
    head = table.rows[0]
    _repeat_header(head)
    widths = [Cm(w) for w in widths_cm]
    for column, width in zip(table.columns, widths):
        column.width = width  # the grid, which LibreOffice reads; Word reads the cells'
    for k, (cell, name) in enumerate(zip(head.cells, header)):
        cell.width = widths[k]
        _write(cell, name, bold=True, colour="FFFFFF", right=k in right_aligned)
        shade(cell, HEADER_FILL)
    cells = _CellCopies(table, widths)
    for i, values in enumerate(rows):
        if i in groups:  # a row of its own, never merged cells
            group = table.add_row()
            _no_split(group)
            for k, cell in enumerate(group.cells):
                cell.width = widths[k]
                _write(cell, groups[i] if k == 0 else "", bold=True)
                shade(cell, GROUP_FILL)
        tr = table._tbl.add_tr()
        _no_split(_Row(tr, table))
        values = [*values[:len(header)], *[""] * (len(header) - len(values))]  # a full row
        for k, text in enumerate(values):
            fill = (fills or {}).get(k, [None] * len(rows))[i]
            look = (k, k in right_aligned, "FFFFFF" if fill and needs_white_text(fill) else None,
                    keep_together and i < len(rows) - 1, fill)
            cells.put(tr, k, look, str(text))
    return table


class _CellCopies:
    """Body cells made by copying one cell of each look (column, alignment, colour, keeping,
    fill) and setting its text: the same XML as writing every cell through python-docx, whose
    generic element insertion took most of a profile's time (2,500 cells)."""

    def __init__(self, table: Table, widths: Sequence) -> None:
        self.table, self.widths = table, widths
        self.made: dict[tuple, object] = {}

    def put(self, tr, k: int, look: tuple, text: str) -> None:
        """The cell `k` of row `tr` (a w:tr holding cells 0..k-1) with `look` and `text`."""
        if look not in self.made:
            _, right, colour, keep_with_next, fill = look
            tc = tr.add_tc()
            cell = _Cell(tc, self.table)
            cell.width = self.widths[k]
            _write(cell, "", right=right, colour=colour, keep_with_next=keep_with_next)
            if fill:
                shade(cell, fill)
            self.made[look] = copy.deepcopy(tc)
        else:
            tc = copy.deepcopy(self.made[look])
            tr.append(tc)
        _Cell(tc, self.table).paragraphs[0].runs[0].text = text


def add_table_notes(doc: DocumentType, lines: Sequence[str]) -> None:
    """Notes written just under a table (what its markers mean), in the table's small type."""
    for k, line in enumerate(lines):
        paragraph = doc.add_paragraph()
        last = k == len(lines) - 1
        paragraph.paragraph_format.space_before = Pt(2 if k == 0 else 0)
        paragraph.paragraph_format.space_after = Pt(6 if last else 0)
        paragraph.paragraph_format.keep_with_next = not last  # the notes stay together
        paragraph.add_run(line).font.size = Pt(TABLE_FONT_PT)


def add_bullets(doc: DocumentType, items: Sequence[str]) -> None:
    for item in items:
        doc.add_paragraph(item, style="List Bullet")
