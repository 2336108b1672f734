"""`export-profile --school URN` (the one-page brief) and `--areas CODES.csv` (a custom area's
profile) on the demo bundle."""

from __future__ import annotations

import os
import subprocess

import pytest
from docx import Document

from desktop.cli import common
from desktop.cli.main import main
from desktop.core.report import document as report
from desktop.core.stats.custom_areas import CustomArea, to_csv
from desktop.core.stats.school_homes import school_homes
from tests.conftest import DEMO_PASSPHRASE

URNS = ("139001", "117012")  # a primary school, and a large school drawing on 130 areas


@pytest.fixture
def opened(monkeypatch, demo_bundle):
    monkeypatch.setenv(common.PASSPHRASE_ENV, DEMO_PASSPHRASE)
    monkeypatch.setattr(common, "open_bundle", lambda path: demo_bundle)


def _pages(docx, folder) -> int:
    profile = folder / "lo-profile"  # its own profile: safe beside other LibreOffice runs
    subprocess.run(["soffice", f"-env:UserInstallation=file://{profile}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(folder), str(docx)],
                   check=True, capture_output=True, timeout=180,
                   env={**os.environ, "HOME": str(folder)})
    info = subprocess.run(["pdfinfo", str(docx.with_suffix(".pdf"))], check=True,
                          capture_output=True, text=True).stdout
    return int(next(line.split()[-1] for line in info.splitlines()
                    if line.startswith("Pages:")))


@pytest.mark.slow
@pytest.mark.parametrize("urn", URNS)
def test_the_school_brief_is_one_printed_page(opened, demo_bundle, tmp_path, capsys, urn):
    out = tmp_path / "brief.docx"
    assert main(["export-profile", "demo.atlas", "--school", urn, "-o", str(out)]) == 0
    assert f"Wrote {out}" in capsys.readouterr().out
    doc = Document(str(out))
    homes = school_homes(demo_bundle, urn)
    assert doc.paragraphs[0].text == homes.name
    text = "\n".join(p.text for p in doc.paragraphs)
    assert f"URN {urn}" in text and homes.cluster in text
    assert doc.inline_shapes[0]._inline.docPr.get("descr").startswith("Map of the small areas")
    where = doc.tables[-1]
    shown = {f"{p:,.0f}" for p in homes.shown["pupils"]}
    for row in where.rows[1:]:
        label, pupils = row.cells[0].text, row.cells[1].text
        if "(" in label:  # a single small area: only a count the protected table shows
            assert pupils in shown
    assert where.rows[-1].cells[1].text == f"{homes.total:,.0f}"
    assert _pages(out, tmp_path) == 1


def test_an_unknown_school_is_a_clean_error(opened, tmp_path, capsys):
    assert main(["export-profile", "demo.atlas", "--school", "1", "-o",
                 str(tmp_path / "b.docx")]) == common.EXIT_ERROR
    assert "no school with URN 1" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_a_custom_area_file_is_profiled_like_a_cluster(opened, demo_bundle, tmp_path,
                                                       monkeypatch, capsys):
    monkeypatch.setattr(report, "MAX_ISSUE_CHARTS", 0)  # the charts are tested elsewhere
    codes = tuple(demo_bundle.areas.loc[demo_bundle.areas["cluster"] == "Bewdley", "area_code"])
    csv = tmp_path / "codes.csv"
    csv.write_text(to_csv([CustomArea("Riverside", codes)]), encoding="utf-8")
    out = tmp_path / "riverside.docx"
    assert main(["export-profile", "demo.atlas", "--areas", str(csv), "-o", str(out)]) == 0
    doc = Document(str(out))
    assert doc.paragraphs[0].text == "Riverside: custom area profile"
    body = "\n".join(p.text for p in doc.paragraphs)
    assert f"covers {len(codes)} small areas" in body
    assert "Cross-border pupils" not in body  # flows are by school cluster
    assert f"{len(codes)} small areas" in capsys.readouterr().err


def test_a_custom_area_is_profiled_over_pooled_periods(opened, demo_bundle, tmp_path,
                                                        monkeypatch):
    monkeypatch.setattr(report, "MAX_ISSUE_CHARTS", 0)  # the charts are tested elsewhere
    codes = tuple(demo_bundle.areas.loc[demo_bundle.areas["cluster"] == "Bewdley", "area_code"])
    csv = tmp_path / "codes.csv"
    csv.write_text(to_csv([CustomArea("Riverside", codes)]), encoding="utf-8")
    out = tmp_path / "riverside.docx"
    assert main(["export-profile", "demo.atlas", "--areas", str(csv), "--pool", "3", "-o",
                 str(out)]) == 0
    doc = Document(str(out))
    assert doc.paragraphs[0].text == "Riverside: custom area profile"
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    assert any(text.endswith("combined") for text in cells)
