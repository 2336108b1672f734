"""Text built to break the sinks, attacked: a lone surrogate (printing raised
UnicodeEncodeError), control characters (Word refused the document), a 300-character bundle
title (export-profile crashed on Word's 255-character core properties) and a 10,000-character
indicator title (the chart became unreadable). pack refuses text over the documented limits."""

from __future__ import annotations

import dataclasses
import io
import json
import zipfile

import pytest
from docx import Document

from desktop.cli.bundle_commands import describe
from desktop.core.bundle.archive import bundle_from_zip, bundle_to_zip
from desktop.core.bundle.summary import summary_from_zip
from desktop.core.charts.tables import chart_figure, chart_inputs
from desktop.core.errors import InputError
from desktop.core.pack.build import read_inputs
from desktop.core.plotting.annotate import SUBTITLE_LINES, TITLE_LINES
from desktop.core.report.document import export_profile_docx
from desktop.core.stats.aggregate import compute_statistics
from desktop.core.text import ELLIPSIS, TEXT_LIMITS, clean, shorten
from tests.core.bundle_factory import make_bundle
from tests.core.pack_helpers import copy_example, set_cell
from tests.security.hostile import members_of, rezip


def test_clean_and_shorten():
    assert clean("a\ud800b\x0bc\x00d\te\nf\x85") == "a\ufffdbcd\te\nf"
    assert shorten("x" * 300, 255) == "x" * 254 + ELLIPSIS and len(shorten("x" * 300, 255)) == 255
    assert shorten("short", 255) == "short"


def test_a_lone_surrogate_and_control_characters_in_the_manifest_are_cleaned(capsys):
    members = members_of(bundle_to_zip(make_bundle()))
    manifest = json.loads(members["manifest.json"])
    manifest["title"] = "Clusters \ud83d of \x07Worcs\x1b[31m"
    raw = json.dumps(manifest).encode()  # JSON carries the lone surrogate as an escape
    data = rezip(members | {"manifest.json": raw})
    bundle = bundle_from_zip(data, "x.atlas")
    assert bundle.manifest.title == "Clusters \ufffd of Worcs[31m"
    print(describe(summary_from_zip(data, "x.atlas")))  # used to raise UnicodeEncodeError
    assert "Clusters \ufffd of Worcs" in capsys.readouterr().out


def test_a_300_character_title_exports_a_profile(tmp_path):
    bundle = make_bundle(title="T" * 300)
    out = tmp_path / "p.docx"
    export_profile_docx(bundle, compute_statistics(bundle), bundle.cluster_names[0], out)
    doc = Document(str(out))
    assert len(doc.core_properties.subject) == 255
    assert doc.core_properties.subject.endswith(ELLIPSIS)
    assert any("T" * 300 in p.text for p in doc.paragraphs)  # the page itself keeps it all


def test_a_10000_character_indicator_title_is_cut_on_charts():
    bundle = make_bundle()
    first = dataclasses.replace(bundle.manifest.indicators[0], title="Very long words " * 625)
    manifest = dataclasses.replace(bundle.manifest,
                                   indicators=(first, *bundle.manifest.indicators[1:]))
    bundle = dataclasses.replace(bundle, manifest=manifest)
    inputs = chart_inputs("bars", bundle, compute_statistics(bundle), first,
                          first.latest_period, None)
    figure = chart_figure("bars", **inputs)
    # the title states the message; the indicator's name is in the subtitle, cut there
    title = figure.get_suptitle().rstrip()
    subtitle, = [a.get_text() for a in figure.artists if a.get_gid() == "subtitle"]
    assert "Very long words" not in title and len(title.splitlines()) <= TITLE_LINES
    assert subtitle.startswith("Very long words")
    assert len(subtitle.splitlines()) <= SUBTITLE_LINES and subtitle.rstrip().endswith(ELLIPSIS)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")  # draws, with room left for the chart


@pytest.mark.parametrize("file, row, column, field", [
    ("indicators.csv", 2, "title", "indicator title"),
    ("indicators.csv", 3, "definition", "definition"),
    ("clusters.csv", 2, "cluster", "cluster"),
    ("schools.csv", 2, "name", "school name"),
])
def test_pack_refuses_text_over_the_limit(tmp_path, file, row, column, field):
    folder = copy_example(tmp_path)
    limit = TEXT_LIMITS[field]
    set_cell(folder / file, row, column, "w" * (limit + 1))
    with pytest.raises(InputError) as err:
        read_inputs(folder)
    assert str(err.value).startswith(f"{file}, row {row}, column '{column}'")
    assert f"at most {limit} are allowed" in str(err.value)


def test_pack_refuses_a_long_bundle_title_and_drops_control_characters(tmp_path):
    folder = copy_example(tmp_path)
    settings = (folder / "bundle.toml").read_text()
    (folder / "bundle.toml").write_text(settings.replace(
        'title = "Worcester example cluster profiles"', f'title = "{"t" * 201}"'))
    with pytest.raises(InputError, match="bundle.toml: the setting 'title' is 201 characters"):
        read_inputs(folder)
    (folder / "bundle.toml").write_text(settings)
    set_cell(folder / "indicators.csv", 2, "definition", "Pupils\x0b known\x00 to be")
    indicator = read_inputs(folder).manifest.indicators[0]
    assert indicator.definition == "Pupils known to be"


def test_the_docx_of_a_bundle_with_control_characters_opens(tmp_path):
    """Word refuses a document holding a control character: the reader drops them."""
    members = members_of(bundle_to_zip(make_bundle()))
    manifest = json.loads(members["manifest.json"])
    manifest["indicators"][0]["title"] = "Free\x0c school\x1f meals"
    bundle = bundle_from_zip(rezip(members | {"manifest.json": json.dumps(manifest).encode()}),
                             "x.atlas")
    out = tmp_path / "p.docx"
    export_profile_docx(bundle, compute_statistics(bundle), bundle.cluster_names[0], out)
    with zipfile.ZipFile(out) as archive:
        body = archive.read("word/document.xml").decode()
    assert "Free school meals" in body
