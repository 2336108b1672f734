"""export-profile and export-chart through cli.main, with the passphrase from the environment."""

from __future__ import annotations

import pytest
from docx import Document
from PIL import Image

from desktop.cli import common
from desktop.cli.main import main
from desktop.core.report import document as report
from tests.conftest import DEMO_PASSPHRASE


@pytest.fixture
def env(monkeypatch):
    monkeypatch.setenv(common.PASSPHRASE_ENV, DEMO_PASSPHRASE)


@pytest.fixture
def opened(monkeypatch, demo_bundle, env):
    """Skip the repeated decryption: the session's demo bundle stands in for open_bundle."""
    monkeypatch.setattr(common, "open_bundle", lambda path: demo_bundle)


def test_export_profile_decrypts_with_the_env_passphrase(demo_bundle_path, env, tmp_path,
                                                         capsys):
    out = tmp_path / "bewdley.docx"
    assert main(["export-profile", str(demo_bundle_path), "--cluster", "Bewdley",
                     "-o", str(out)]) == 0
    assert Document(str(out)).paragraphs[0].text == "Bewdley cluster profile"
    assert f"Wrote {out}" in capsys.readouterr().out


def test_wrong_passphrase_is_a_clean_error(demo_bundle_path, monkeypatch, tmp_path, capsys):
    monkeypatch.setenv(common.PASSPHRASE_ENV, "not-it")
    assert main(["export-profile", str(demo_bundle_path), "--cluster", "Bewdley",
                     "-o", str(tmp_path / "x.docx")]) == common.EXIT_ERROR
    assert capsys.readouterr().err.startswith("error:")
    assert list(tmp_path.iterdir()) == []


def test_export_all_clusters_into_a_folder(demo_bundle, opened, tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(report, "MAX_ISSUE_CHARTS", 0)  # the charts are tested elsewhere
    assert main(["export-profile", "demo.atlas", "--all-clusters", "-o",
                     str(tmp_path)]) == 0
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == sorted(report.profile_filename(c) for c in demo_bundle.cluster_names)
    assert capsys.readouterr().out.count("Wrote ") == len(names)


@pytest.mark.parametrize("chart", ["bars", "trend", "distribution", "map"])
def test_export_chart_png_at_300_dpi(opened, tmp_path, chart):
    out = tmp_path / f"{chart}.png"
    assert main(["export-chart", "demo.atlas", "--indicator", "year6_obese", "--chart",
                     chart, "--cluster", "Stourport", "-o", str(out)]) == 0
    with Image.open(out) as image:
        assert image.width == 1890  # 16 cm at 300 dpi
        assert tuple(round(d) for d in image.info["dpi"]) == (300, 300)
        assert "Year 6: prevalence of obesity" in image.info["Title"]
        assert len(image.info["Description"]) > 40  # alt text in the file


def test_export_chart_svg_pdf_width_and_period(opened, tmp_path):
    svg, pdf = tmp_path / "bars.svg", tmp_path / "map.pdf"
    assert main(["export-chart", "demo.atlas", "--indicator", "ks2_rwm_expected",
                     "--chart", "bars", "--period", "2019/20", "--width-cm", "12",
                     "-o", str(svg)]) == 0
    text = svg.read_text()
    assert text.lstrip().startswith("<?xml") and 'width="340.' in text  # 12 cm in points
    assert main(["export-chart", "demo.atlas", "--indicator", "imd_score", "--chart",
                     "map", "-o", str(pdf)]) == 0
    assert pdf.read_bytes().startswith(b"%PDF")


@pytest.mark.parametrize("args, message", [
    (["--indicator", "nope", "--chart", "bars"], "no indicator 'nope'"),
    (["--indicator", "imd_score", "--chart", "bars", "--period", "1066"], "no period '1066'"),
    (["--indicator", "imd_score", "--chart", "trend", "--cluster", "Atlantis"],
     "no cluster called 'Atlantis'"),
])
def test_export_chart_bad_choices_are_named(opened, tmp_path, capsys, args, message):
    out = tmp_path / "x.png"
    assert main(["export-chart", "demo.atlas", *args, "-o", str(out)]) == common.EXIT_ERROR
    assert message in capsys.readouterr().err
    assert not out.exists()


@pytest.mark.parametrize("command", [
    ["export-chart", "demo.atlas", "--indicator", "imd_score", "--chart", "map"],
    ["export-profile", "demo.atlas", "--cluster", "Bewdley"],
])
def test_unwritable_output_names_the_path(opened, tmp_path, capsys, command):
    suffix = ".png" if command[0] == "export-chart" else ".docx"
    missing = tmp_path / "no-such-folder" / f"out{suffix}"
    assert main([*command, "-o", str(missing)]) == common.EXIT_ERROR
    assert str(missing) in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_wrong_extensions_are_refused(opened, tmp_path, capsys):
    assert main(["export-chart", "demo.atlas", "--indicator", "imd_score", "--chart",
                     "bars", "-o", str(tmp_path / "x.jpg")]) == common.EXIT_ERROR
    assert main(["export-profile", "demo.atlas", "--cluster", "Bewdley", "-o",
                     str(tmp_path / "x.pdf")]) == common.EXIT_ERROR
    assert capsys.readouterr().err.count("choose a file name ending in") == 2


def test_cluster_or_all_clusters_is_required(opened, capsys):
    assert main(["export-profile", "demo.atlas", "-o", "x.docx"]) == common.EXIT_ERROR
    assert "--cluster" in capsys.readouterr().err


def test_export_profile_on_the_school_basis(opened, tmp_path, monkeypatch):
    monkeypatch.setattr(report, "MAX_ISSUE_CHARTS", 0)
    out = tmp_path / "bewdley.docx"
    assert main(["export-profile", "demo.atlas", "--cluster", "Bewdley", "--basis",
                     "school", "-o", str(out)]) == 0
    body = "\n".join(p.text for p in Document(str(out)).paragraphs)
    assert report.BASIS_NOTES["school"] in body


def test_an_unknown_basis_is_refused_by_name(opened, tmp_path, capsys):
    assert main(["export-profile", "demo.atlas", "--cluster", "Bewdley", "--basis", "home",
                     "-o", str(tmp_path / "x.docx")]) != 0
    assert "invalid choice: 'home' (choose from 'residence', 'school')" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []
