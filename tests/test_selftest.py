"""The self-test the built program runs (`ClusterAtlas --self-test`), run here in-process.

CI also runs it inside the frozen build (packaging/build.sh); these tests check that it passes
on the demo, that it fails with a reason when something is wrong, and that its file checks
really tell good exports from bad ones.
"""

from __future__ import annotations

import io
import sys
import tempfile

import docx
import pytest
from PIL import Image

from desktop import selftest
from desktop.selftest import DOCX_MISSING, PASSPHRASE_ENV, Report
from tests.conftest import DEMO_PASSPHRASE


def run_selftest() -> tuple[int, list[str]]:
    out = io.StringIO()
    code = selftest.run(out)
    return code, out.getvalue().splitlines()


def checks(lines: list[str], state: str) -> list[str]:
    return [line for line in lines if line.startswith(state)]


@pytest.mark.slow
def test_passes_on_the_demo_bundle(qapp, monkeypatch):
    monkeypatch.setenv(PASSPHRASE_ENV, DEMO_PASSPHRASE)
    code, lines = run_selftest()
    assert checks(lines, "FAIL") == []
    assert code == 0
    passed = "\n".join(checks(lines, "PASS"))
    for what in ("demo bundle present", "help page (Help > Making a bundle)",
                 "demo bundle opens", "main window renders",
                 "chart PNG records 300 dpi", "chart PNG is 16 cm wide", "profile .docx opens",
                 "profile .docx has a heading", "no error raised inside the window"):
        assert f"PASS  {what}" in passed
    assert "364 areas, 12 clusters" in passed
    assert lines[-1].startswith("self-test: OK, all ")


@pytest.mark.slow
def test_wrong_passphrase_fails_with_the_reason_and_no_dialog(qapp, monkeypatch):
    monkeypatch.setenv(PASSPHRASE_ENV, "not the passphrase")
    code, lines = run_selftest()
    assert code == 1
    failed = checks(lines, "FAIL")
    assert len(failed) == 1 and failed[0].startswith("FAIL  demo bundle opens: ")
    assert "passphrase" in failed[0].lower()
    assert lines[-1] == "self-test: FAILED, 1 of 9 checks failed"


def test_missing_passphrase_fails_before_starting_qt(monkeypatch):
    monkeypatch.delenv(PASSPHRASE_ENV, raising=False)
    code, lines = run_selftest()
    assert code == 1
    assert checks(lines, "FAIL") == [f"FAIL  passphrase given: set {PASSPHRASE_ENV} to the "
                                     "demo bundle's passphrase"]
    assert not any("Qt started" in line for line in lines)


def test_without_a_console_the_report_goes_to_a_file(monkeypatch, tmp_path):
    monkeypatch.delenv(PASSPHRASE_ENV, raising=False)
    monkeypatch.setattr(sys, "stdout", None)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    assert selftest.run() == 1
    text = (tmp_path / selftest.REPORT_FILE).read_text(encoding="utf-8")
    assert "PASS  demo bundle present" in text and "FAIL  passphrase given" in text


def write_png(path, dpi: int, width: int = 1890) -> None:
    image = Image.new("RGB", (width, 600), "white")
    for x in range(0, width, 40):  # some content: stripes of several colours
        image.paste((x % 255, 80, 200 - x % 200), (x, 100, x + 20, 500))
    image.save(path, dpi=(dpi, dpi))


def test_png_check_tells_300_dpi_from_screen_resolution(tmp_path):
    good, low = tmp_path / "good.png", tmp_path / "low.png"
    write_png(good, 300)
    write_png(low, 72, width=454)
    report = Report()
    selftest.check_png(report, good)
    assert report.failed == 0
    selftest.check_png(report, low)
    assert [line for ok, line in report.results if not ok] == [
        "FAIL  chart PNG records 300 dpi: dpi=(72, 72)",
        "FAIL  chart PNG is 16 cm wide: 454 px (expected 1890)"]


def test_docx_check_needs_a_heading(tmp_path):
    plain, titled = tmp_path / "plain.docx", tmp_path / "titled.docx"
    document = docx.Document()
    document.add_paragraph("Body text only")
    document.save(plain)
    document.add_heading("Redditch cluster profile", level=1)
    document.save(titled)
    report = Report()
    selftest.check_docx(report, titled)
    assert report.failed == 0
    assert "'Redditch cluster profile'" in report.results[-1][1]
    selftest.check_docx(report, plain)
    assert report.results[-1] == (False, "FAIL  profile .docx has a heading: none")


def test_not_a_docx_fails_to_open(tmp_path):
    broken = tmp_path / "broken.docx"
    broken.write_bytes(b"PK\x03\x04 not really a zip")
    report = Report()
    selftest.check_docx(report, broken)
    assert report.results[-1][0] is False
    assert report.results[-1][1].startswith("FAIL  profile .docx opens: ")


def test_a_build_without_the_docx_exporter_fails(monkeypatch, tmp_path):
    monkeypatch.setattr(selftest, "docx_exporter", lambda: None)
    report = Report()
    selftest.check_exports(report, lambda path: write_png(path, 300), None, None, "Redditch",
                           tmp_path)
    assert report.results[-1] == (False, f"FAIL  profile .docx export: {DOCX_MISSING}")
    assert report.failed == 1  # the chart checks before it passed


def test_a_failing_chart_export_is_reported_with_its_cause(monkeypatch, tmp_path):
    def broken_export(path):
        try:
            open(tmp_path / "missing" / "x.png", "rb")
        except OSError as exc:
            raise RuntimeError("could not draw") from exc

    monkeypatch.setattr(selftest, "docx_exporter", lambda: None)
    report = Report()
    selftest.check_exports(report, broken_export, None, None, "Redditch", tmp_path)
    line = report.results[0][1]
    assert line.startswith("FAIL  chart export: RuntimeError: could not draw at test_selftest.py")
    assert "caused by FileNotFoundError" in line


def test_the_app_flag_runs_the_self_test_before_any_window(monkeypatch):
    from desktop import app

    monkeypatch.setattr(selftest, "run", lambda: 7)
    assert app.main(["--self-test"]) == 7
