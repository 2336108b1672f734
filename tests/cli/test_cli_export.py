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
        # a chart's title states its message about the cluster; the map's names the indicator
        assert ("Year 6: prevalence of obesity" if chart == "map" else "Stourport"
                ) in image.info["Title"]
        assert "Year 6: prevalence of obesity" in image.info["Description"]  # the alt text


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
    (["--indicator", "year6_obese", "--chart", "scatter", "--versus", "nope"],
     "no indicator 'nope'"),
    (["--indicator", "year6_obese", "--chart", "funnel", "--versus", "imd_score"],
     "for --chart scatter only"),
    (["--indicator", "year6_obese", "--chart", "bars", "--against", "similar-clusters",
      "--context", "imd_score,nope"], "no indicator nope"),
    (["--indicator", "year6_obese", "--chart", "neighbours", "--similar", "12"],
     "from 1 to 11 similar clusters"),
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


def test_export_chart_cluster_map(opened, tmp_path):
    out = tmp_path / "neet-clusters.png"
    assert main(["export-chart", "demo.atlas", "--indicator", "neet_16_17", "--chart", "map",
                 "--map-level", "clusters", "--cluster", "Redditch", "-o", str(out)]) == 0
    with Image.open(out) as image:
        assert "for each cluster of" in image.info["Description"]
        assert "Redditch cluster is outlined" in image.info["Description"]


def test_pooled_chart_and_period_by_window_or_single_period(opened, demo_pooled, tmp_path):
    """--pool 3: the latest window by default; a single period picks its window."""
    from desktop.core.format import format_value

    first, latest = tmp_path / "first.png", tmp_path / "latest.png"
    assert main(["export-chart", "demo.atlas", "--indicator", "neet_16_17", "--chart",
                 "map", "--pool", "3", "-o", str(latest)]) == 0
    assert main(["export-chart", "demo.atlas", "--indicator", "neet_16_17", "--chart",
                 "bars", "--pool", "3", "--period", "2019/20", "-o", str(first)]) == 0
    with Image.open(latest) as image:
        assert "2021/22 - 2023/24 combined" in image.info["Description"]
        assert "Too few areas" not in image.info["Description"]
    pooled = demo_pooled.statistics.cluster_values(
        "neet_16_17", "2018/19 - 2020/21 combined")
    with Image.open(first) as image:  # the bars of the window holding 2019/20
        for cluster in ("Bromsgrove", "Redditch"):
            value = format_value(pooled.at[cluster, "value"], "proportion", "%")
            assert f"{cluster} {value}" in image.info["Description"]


def test_pooled_profile_says_so_in_the_table_and_the_notes(opened, tmp_path, monkeypatch):
    monkeypatch.setattr(report, "MAX_ISSUE_CHARTS", 0)
    out = tmp_path / "redditch.docx"
    assert main(["export-profile", "demo.atlas", "--cluster", "Redditch", "--pool", "3",
                 "-o", str(out)]) == 0
    document = Document(str(out))
    body = "\n".join(p.text for p in document.paragraphs)
    assert "Each indicator in its latest 3 periods combined" in body
    assert "Pooled periods" in body and "latest 3 periods" in body
    periods = {row.cells[1].text for table in document.tables for row in table.rows[1:]}
    assert "2021/22 - 2023/24 combined" in periods and "2019" in periods


@pytest.mark.parametrize("args, message", [
    (["--pool", "9"], "periods are pooled in 3s only (--pool 3), not '9'"),
    (["--pool", "2"], "could be subtracted to reveal a hidden count"),
    (["--pool", "three"], "periods are pooled in 3s only (--pool 3), not 'three'"),
    (["--map-level", "wards"], "invalid choice: 'wards'"),
])
def test_bad_pool_and_level_are_named(opened, tmp_path, capsys, args, message):
    out = tmp_path / "x.png"
    assert main(["export-chart", "demo.atlas", "--indicator", "neet_16_17", "--chart", "map",
                 *args, "-o", str(out)]) == common.EXIT_ERROR
    assert message in capsys.readouterr().err and not out.exists()


def test_map_level_is_for_maps_only(opened, tmp_path, capsys):
    assert main(["export-chart", "demo.atlas", "--indicator", "neet_16_17", "--chart", "bars",
                 "--map-level", "clusters", "-o", str(tmp_path / "x.png")]) == common.EXIT_ERROR
    assert "--map-level is for --chart map only" in capsys.readouterr().err


@pytest.mark.parametrize("chart, words", [
    ("funnel", "control limits around the county value"),
    ("inequality", "most deprived tenth of areas (1)"),
    ("scatter", "against Index of Multiple Deprivation 2019: score"),
    ("neighbours", "Stourport"),
])
def test_export_the_analysis_charts_with_alt_text(opened, tmp_path, chart, words):
    out = tmp_path / f"{chart}.png"
    assert main(["export-chart", "demo.atlas", "--indicator", "children_in_need", "--chart",
                 chart, "--cluster", "Stourport", "-o", str(out)]) == 0
    with Image.open(out) as image:
        assert image.width == 1890
        assert tuple(round(d) for d in image.info["dpi"]) == (300, 300)
        assert image.info["Title"] == "Children in need"
        assert words in image.info["Description"]


def test_scatter_of_small_areas_against_a_chosen_indicator(opened, tmp_path):
    out = tmp_path / "scatter.svg"
    assert main(["export-chart", "demo.atlas", "--indicator", "ks4_em_grade5", "--chart",
                 "scatter", "--versus", "income_deprivation", "--small-areas",
                 "-o", str(out)]) == 0
    text = out.read_text()
    assert "Income deprivation" in text and "Small areas" in text


def test_bars_against_similar_clusters_judge_differently(opened, tmp_path):
    descriptions = []
    for against in ("county", "similar-clusters"):
        out = tmp_path / f"{against}.png"
        assert main(["export-chart", "demo.atlas", "--indicator", "children_in_need",
                     "--chart", "bars", "--against", against, "--similar", "3",
                     "-o", str(out)]) == 0
        with Image.open(out) as image:
            descriptions.append(image.info["Description"])
    assert descriptions[0] != descriptions[1] and "95%)" in descriptions[1]
