"""The Word profile is an accessible public document (issue 21): British English, no merged
cells, a caption on every table, alt text that states the finding, everything in reading order
and an "About this document" with the contact and the licence. Read back from the .docx."""

from __future__ import annotations

import dataclasses
import re

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph

from desktop.core.format import format_value
from desktop.core.report import document as report
from desktop.core.stats.profile import cluster_profile, potential_issues

CLUSTER = "Stourport"
CONTACT = "Research team, research@example.gov.uk, 01905 000000"
WP_ANCHOR = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}anchor"
WP_INLINE = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}inline"


@pytest.fixture(scope="module")
def contact_bundle(demo_bundle):
    return dataclasses.replace(
        demo_bundle, manifest=dataclasses.replace(demo_bundle.manifest, contact=CONTACT))


@pytest.fixture(scope="module")
def document(contact_bundle, stats, tmp_path_factory):
    out = tmp_path_factory.mktemp("accessible") / "stourport.docx"
    report.export_profile_docx(contact_bundle, stats, CLUSTER, out)
    return Document(str(out))


def body(document) -> list:
    return list(document.element.body.iterchildren())


def test_the_document_is_in_british_english(document):
    defaults = document.styles.element.find(qn("w:docDefaults"))
    lang = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:lang')}")
    assert lang.get(qn("w:val")) == "en-GB"
    assert document.core_properties.language == "en-GB"
    # no style or run says otherwise
    for element in (document.styles.element, document.element):
        assert {el.get(qn("w:val")) for el in element.iter(qn("w:lang"))} <= {"en-GB"}


def test_no_table_merges_or_splits_cells(document):
    assert len(document.tables) >= 5
    for table in document.tables:
        xml = table._tbl
        assert not list(xml.iter(qn("w:gridSpan")))
        assert not list(xml.iter(qn("w:vMerge"))) and not list(xml.iter(qn("w:hMerge")))
        columns = len(xml.tblGrid.findall(qn("w:gridCol")))
        assert {len(tr.findall(qn("w:tc"))) for tr in xml.findall(qn("w:tr"))} == {columns}


def test_every_table_has_a_caption_above_it_and_alt_text(document):
    """"Table n: what it holds" just before each table (a numbered SEQ field Word can list),
    the same words as the table's alt text title, and a header row repeated on each page."""
    elements = body(document)
    tables = [k for k, el in enumerate(elements) if el.tag == qn("w:tbl")]
    assert tables
    for number, k in enumerate(tables, start=1):
        caption = Paragraph(elements[k - 1], document)
        assert caption.style.name == "Caption"
        assert caption.paragraph_format.keep_with_next
        field = elements[k - 1].find(qn("w:fldSimple"))
        assert "SEQ Table" in field.get(qn("w:instr"))
        assert field.find(f"{qn('w:r')}/{qn('w:t')}").text == str(number)
        match = re.fullmatch(r"Table : (.{20,})", caption.text)  # python-docx skips fields
        assert match, caption.text
        tbl_pr = elements[k].find(qn("w:tblPr"))
        assert tbl_pr.find(qn("w:tblCaption")).get(qn("w:val")) == match.group(1)
        cells = [[tc.xpath("string(.)") for tc in tr.findall(qn("w:tc"))]
                 for tr in elements[k].findall(qn("w:tr"))[1:]]
        rows = sum(any(row[1:]) for row in cells)  # data rows, not the groups' headings
        assert tbl_pr.find(qn("w:tblDescription")).get(qn("w:val")).startswith(f"{rows} rows")
        header = elements[k].find(qn("w:tr"))
        assert header.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is not None
    captions = [Paragraph(elements[k - 1], document).text for k in tables]
    assert any(f"where {CLUSTER} is significantly worse than the county" in c
               for c in captions)
    assert captions[-1].startswith(f"Table : Every indicator for {CLUSTER}, by theme")


def test_table_properties_keep_the_schemas_order(document):
    """Word reads a table's properties in the order its schema gives; out of order it may
    call the file damaged."""
    order = ["tblStyle", "tblpPr", "tblOverlap", "bidiVisual", "tblStyleRowBandSize",
             "tblStyleColBandSize", "tblW", "jc", "tblCellSpacing", "tblInd", "tblBorders",
             "shd", "tblLayout", "tblCellMar", "tblLook", "tblCaption", "tblDescription"]
    for table in document.tables:
        tags = [child.tag.split("}")[1] for child in table._tbl.tblPr]
        assert tags == sorted(tags, key=order.index)


def test_alt_text_states_the_finding(document, contact_bundle, stats):
    """Each potential issue's bar chart says how the cluster compares, with both numbers;
    the map says how many of the cluster's areas are in the highest class."""
    alts = [shape._inline.docPr.get("descr") for shape in document.inline_shapes]
    profile = cluster_profile(contact_bundle, stats, CLUSTER)
    issues = potential_issues(profile).head(report.MAX_ISSUE_CHARTS)
    bars = [a for a in alts if a.startswith("Bar chart of")]
    assert len(bars) == len(issues)
    for alt, issue in zip(bars, issues.itertuples()):
        value = format_value(issue.value, issue.value_type, issue.unit)
        county = format_value(issue.county_value, issue.value_type, issue.unit)
        assert (f"{CLUSTER} {value}, significantly worse than the county's {county} (95% "
                "confidence)") in alt
    assert re.search(rf"\. \d+ of the \d+ small areas in {CLUSTER} are in the county's "
                     r"highest fifth", alts[0])
    trends = [a for a in alts if a.startswith("Line chart of")]
    assert trends and all(re.search(rf"{CLUSTER} (rose|fell|stayed)", a) for a in trends)


def test_reading_order_is_the_documents_order(document):
    """Pictures sit in line with the text (a floating one is read out of place), each
    followed by its caption; headings run Title, then level 1 and 2 without skipping."""
    xml = document.element.body
    assert not list(xml.iter(WP_ANCHOR))
    elements = body(document)
    pictures = [k for k, el in enumerate(elements) if list(el.iter(WP_INLINE))]
    assert len(pictures) == len(document.inline_shapes)
    for k in pictures:
        assert Paragraph(elements[k + 1], document).text.startswith("Figure ")
    levels = [int(p.style.name[-1]) if p.style.name.startswith("Heading") else 0
              for p in document.paragraphs
              if p.style.name == "Title" or p.style.name.startswith("Heading")]
    assert document.paragraphs[0].style.name == "Title" and levels[0] == 0
    assert levels.count(0) == 1
    assert all(b <= a + 1 for a, b in zip(levels, levels[1:]))


def about(document) -> list[str]:
    texts = [p.text for p in document.paragraphs]
    return texts[texts.index("About this document") + 1:]


def test_about_this_document_names_the_contact_and_the_licence(document, contact_bundle):
    heading = [p for p in document.paragraphs if p.style.name == "Heading 1"][-1]
    assert heading.text == "About this document"
    lines = about(document)
    manifest = contact_bundle.manifest
    assert lines[0].startswith(f"This profile of the {CLUSTER} cluster was made with")
    assert f"Contact: {CONTACT}. Ask there for this document in another format" in lines[1]
    assert lines[2] == f"Licence: {manifest.licence}. {manifest.attribution}"
    assert "screen reader" in lines[3]


def test_without_a_contact_the_producer_is_named(demo_bundle, stats, tmp_path):
    out = tmp_path / "no-contact.docx"
    bundle = dataclasses.replace(
        demo_bundle, manifest=dataclasses.replace(demo_bundle.manifest, contact=""))
    report.export_profile_docx(bundle, stats, CLUSTER, out)
    lines = about(Document(str(out)))
    assert f"Contact: {bundle.manifest.producer}, who made the data bundle" in lines[1]
