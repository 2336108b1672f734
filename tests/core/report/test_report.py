"""The Word profile: read back with python-docx and checked against the core's numbers."""

from __future__ import annotations

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.table import Table

from desktop.core.errors import Cancelled, ExportError
from desktop.core.format import format_interval, format_value
from desktop.core.model import NOT_APPLICABLE, SUPPRESSED
from desktop.core.plotting.palettes import SIGNIFICANCE_COLOURS
from desktop.core.report import batch
from desktop.core.report import document as report
from desktop.core.report.text import summary_sentence
from desktop.core.stats.comparison import DEFAULT, Comparison
from desktop.core.stats.profile import (
    cluster_profile,
    most_deprived_areas,
    potential_issues,
    summary_counts,
)
from desktop.core.stats.trend import trend_words
from desktop.core.tasks import Task
from tests.core.report.test_tables_export import SUPPRESSED_ID, forbidden_texts

CLUSTER = "Stourport"


@pytest.fixture(scope="module")
def profile(demo_bundle, stats):
    return cluster_profile(demo_bundle, stats, CLUSTER)


@pytest.fixture(scope="module")
def document(demo_bundle, stats, tmp_path_factory):
    out = tmp_path_factory.mktemp("report") / "stourport.docx"
    report.export_profile_docx(demo_bundle, stats, CLUSTER, out)
    return Document(str(out))


def texts(table) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in table.rows]


def table_after(document, heading: str):
    """The first table that follows the heading `heading` in the body."""
    body = document.element.body
    seen = False
    for child in body.iterchildren():
        if child.tag == qn("w:p") and child.text == heading:
            seen = True
        elif seen and child.tag == qn("w:tbl"):
            return Table(child, document)
    raise AssertionError(f"no table after {heading!r}")


def test_headings_in_order(document):
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading 1")]
    assert headings == ["Please note", "Summary", "Potential issues",
                        "Most deprived small areas", "Cross-border pupils", "Map",
                        "Charts of the potential issues", "Compared like with like",
                        "Profile: all indicators", "Notes", "About this document"]
    assert document.paragraphs[0].text == f"{CLUSTER} cluster profile"


def test_page_is_a4_portrait_with_2cm_margins(document):
    section = document.sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)
    assert {round(getattr(section, f"{s}_margin").cm, 2)
            for s in ("left", "right", "top", "bottom")} == {2.0}


def test_summary_is_written_from_the_counts(document, profile):
    counts = summary_counts(profile)
    summary = next(p.text for p in document.paragraphs if p.text.startswith("The Stourport"))
    assert summary_sentence(counts, int(profile["suppressed"].sum())) in summary
    assert f"Of {len(profile)} indicators, {counts['worse']} are significantly worse" in summary


def test_potential_issues_table_matches_the_core(document, profile):
    issues = potential_issues(profile)
    rows = texts(table_after(document, "Potential issues"))
    assert rows[0][:5] == ["Indicator", "Period", "Cluster", "95% CI", "County"]
    assert len(rows) - 1 == len(issues) > 0
    for row, (_, rec) in zip(rows[1:], issues.iterrows()):
        assert row[0].startswith(rec["title"])
        assert row[2] == format_value(rec["value"], rec["value_type"], rec["unit"])
        assert row[3] == format_interval(rec["lower95"], rec["upper95"], rec["value_type"])
        assert row[4] == format_value(rec["county_value"], rec["value_type"], rec["unit"])


def test_most_deprived_areas_table(document, demo_bundle, stats):
    areas = most_deprived_areas(demo_bundle, stats, CLUSTER, 10)
    rows = texts(table_after(document, "Most deprived small areas"))
    assert [r[0] for r in rows[1:]] == list(areas["area_code"])
    assert [r[2] for r in rows[1:]] == [format_value(v, "score") for v in areas["value"]]


def is_theme_row(row: list[str]) -> bool:
    """A theme's row: its name in the first cell, the others empty (never merged cells)."""
    return bool(row[0]) and not any(row[1:])


def profile_table_rows(document) -> tuple[list[list[str]], list[str]]:
    """Data rows of the profile table and the theme rows in order."""
    rows = texts(table_after(document, "Profile: all indicators"))
    themes = [r[0] for r in rows[1:] if is_theme_row(r)]
    return [r for r in rows[1:] if not is_theme_row(r)], themes


def test_profile_table_rows_match_the_profile(document, profile, demo_bundle):
    rows, themes = profile_table_rows(document)
    assert themes == list(demo_bundle.manifest.themes)
    assert len(rows) == len(profile)
    for row, (_, rec) in zip(rows, profile.iterrows()):
        hidden = bool(rec["suppressed"])
        assert row[0].startswith(rec["title"])
        assert row[1] == rec["period"]
        assert row[3] == format_value(rec["value"], rec["value_type"], rec["unit"], hidden)
        assert row[4] == format_interval(rec["lower95"], rec["upper95"], rec["value_type"],
                                         hidden)
        assert row[5] == format_value(rec["county_value"], rec["value_type"], rec["unit"])
        assert row[7] == DEFAULT.label(rec["significance"])  # "Worse 95%"
        assert row[8] == trend_words(rec["trend"], rec["polarity"], short=True)


def test_profile_table_is_shaded_compact_and_repeats_its_header(document, profile):
    table = table_after(document, "Profile: all indicators")
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    sizes = {run.font.size for row in table.rows[:6] for cell in row.cells
             for p in cell.paragraphs for run in p.runs}
    assert sizes == {Pt(8)}
    widths = sum(column.width for column in table.columns)
    assert abs(widths - Cm(17)) < Cm(0.05)  # exactly the text width between 2 cm margins
    data = [row for row in table.rows[1:] if not is_theme_row([c.text for c in row.cells])]
    for row, sig in zip(data, profile["significance"]):
        fill = row.cells[7]._tc.tcPr.find(qn("w:shd")).get(qn("w:fill"))
        assert fill == SIGNIFICANCE_COLOURS[sig].lstrip("#").upper()


def test_suppressed_value_appears_nowhere_in_the_docx(document, demo_bundle, profile):
    forbidden = forbidden_texts(demo_bundle, profile, SUPPRESSED_ID, CLUSTER)
    rows, _ = profile_table_rows(document)
    row = rows[int(profile.index[profile["indicator_id"] == SUPPRESSED_ID][0])]
    assert row[0].startswith("Low birth weight")
    assert row[2:5] == [SUPPRESSED] * 3
    assert not forbidden & set(row)


def _too_few_areas(stats, indicator_id: str) -> bool:
    """Fewer than 10 small areas with a shown value above zero (and the zeros common)."""
    values = stats.area_values(indicator_id, stats.periods(indicator_id)[-1])["value"]
    return (values > 0).sum() < 10 and (values == 0).sum() >= 3


def test_images_have_alt_text_and_captions(document, profile, stats):
    shapes = document.inline_shapes
    issues = potential_issues(profile).head(report.MAX_ISSUE_CHARTS)
    trends = sum(len(stats.periods(i)) > 1 for i in issues["indicator_id"])
    sparse = sum(_too_few_areas(stats, i) for i in issues["indicator_id"])
    assert 0 < trends < len(issues)  # income deprivation (one period) gets no trend chart
    assert sparse == 1
    # the map, a cluster map per issue whose small areas are too few, bars per issue, trends,
    # then a funnel plot and the deciles of the first issue beyond deprivation
    assert len(shapes) == 1 + sparse + len(issues) + trends + 2
    for shape in shapes:
        descr = shape._inline.docPr.get("descr")
        assert descr and len(descr) > 40
        assert abs(shape.width - Cm(16)) < Cm(0.01)
    assert shapes[0]._inline.docPr.get("descr").startswith("Map of Index of Multiple")
    captions = [p for p in document.paragraphs
                if p.style.name == "Caption" and p.text.startswith("Figure")]
    assert len(captions) == len(shapes)
    for number, caption in enumerate(captions, start=1):
        field = caption._p.find(qn("w:fldSimple"))  # Word numbers captions with SEQ fields
        assert "SEQ Figure" in field.get(qn("w:instr"))
        assert field.find(qn("w:r")).find(qn("w:t")).text == str(number)
        assert "Source:" in caption.text
    assert captions[1].text.startswith(
        f"Figure : {issues['title'].iat[0]}, {issues['period'].iat[0]}")


def test_an_issue_too_rare_for_its_small_areas_leads_with_the_cluster_map(document, profile,
                                                                         stats):
    """Its subsection opens with the map of every cluster (Stourport outlined), then the
    bars and trend, as for the other issues."""
    issues = potential_issues(profile).head(report.MAX_ISSUE_CHARTS)
    title = next(r.title for r in issues.itertuples() if _too_few_areas(stats, r.indicator_id))
    body = list(document.element.body.iterchildren())
    start = next(k for k, el in enumerate(body) if el.tag == qn("w:p") and el.xpath(
        "string(.)") == title and "Heading" in _style_name(document, el))
    following = [el.xpath("string(.)") for el in body[start + 1:start + 8]
                 if el.tag == qn("w:p")]
    cluster_caption = next(t for t in following if t.startswith("Figure"))
    assert f"every cluster, {CLUSTER} outlined" in cluster_caption
    alts = [s._inline.docPr.get("descr") for s in document.inline_shapes]
    cluster_maps = [a for a in alts if "for each cluster of" in a]
    assert len(cluster_maps) == 1 and "each named on the map" in cluster_maps[0]
    assert f"the {CLUSTER} cluster is outlined" in cluster_maps[0]


def _style_name(document, element) -> str:
    from docx.text.paragraph import Paragraph

    return Paragraph(element, document).style.name


def test_notes_carry_methods_suppression_and_licence(document, demo_bundle):
    text = "\n".join(p.text for p in document.paragraphs)
    for words in ("Wilson", "Byar", "exact Poisson", "95%", "trend", "a count from 1 to 5",
                  demo_bundle.manifest.attribution, demo_bundle.manifest.licence,
                  "illustrative", "synthetic, for demonstration"):
        assert words.lower() in text.lower(), words


def test_unknown_cluster_and_unwritable_paths(demo_bundle, stats, tmp_path):
    with pytest.raises(ExportError, match="no cluster called 'Atlantis'"):
        report.export_profile_docx(demo_bundle, stats, "Atlantis", tmp_path / "a.docx")
    missing = tmp_path / "missing" / "x.docx"
    with pytest.raises(ExportError, match=str(missing)):
        report.export_profile_docx(demo_bundle, stats, CLUSTER, missing)
    (tmp_path / "file").write_text("")
    with pytest.raises(ExportError, match="file"):
        report.export_all_profiles(demo_bundle, stats, tmp_path / "file")
    assert [p.name for p in tmp_path.iterdir()] == ["file"]


def test_export_all_cancelled_keeps_the_complete_profiles_only(demo_bundle, stats, tmp_path,
                                                               monkeypatch):
    """Each profile is in place as soon as it is complete (none waits under a hidden name for
    the others): cancelling in the second keeps the first, complete, and says so (made in
    this process alone: with a helper, which profile is complete first is a race)."""
    monkeypatch.setattr(report, "MAX_ISSUE_CHARTS", 1)
    monkeypatch.setattr(batch, "HELPERS", 0)
    seen = []

    def progress(fraction, message):
        seen.append(fraction)
        if fraction > 1.05 / len(demo_bundle.cluster_names):  # into the second cluster
            task.cancel()

    task = Task(progress)
    with pytest.raises(Cancelled) as err:
        report.export_all_profiles(demo_bundle, stats, tmp_path, task)
    first = report.profile_filename(demo_bundle.cluster_names[0])
    assert [p.name for p in tmp_path.iterdir()] == [first]  # no .part file
    assert f"{first} was written" in str(err.value) and "1 of 12" in str(err.value)
    assert Document(str(tmp_path / first)).paragraphs
    assert seen == sorted(seen)


def test_export_all_cancelled_in_the_first_leaves_nothing(demo_bundle, stats, tmp_path):
    task = Task(lambda fraction, message: task.cancel())
    with pytest.raises(Cancelled, match="nothing was written"):
        report.export_all_profiles(demo_bundle, stats, tmp_path, task)
    assert list(tmp_path.iterdir()) == []


def test_export_all_writes_one_profile_per_cluster(demo_bundle, stats, tmp_path, monkeypatch):
    monkeypatch.setattr(report, "MAX_ISSUE_CHARTS", 0)
    progress = []
    paths = report.export_all_profiles(demo_bundle, stats, tmp_path,
                                       Task(lambda f, m: progress.append(f)))
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p in paths)
    assert len(paths) == len(demo_bundle.cluster_names)
    assert tmp_path / "tenbury-martley-profile.docx" in paths
    for path, cluster in zip(paths, demo_bundle.cluster_names):
        assert Document(str(path)).paragraphs[0].text == f"{cluster} cluster profile"
    assert progress[-1] == 1.0


def test_crossborder_section_matches_the_flows(document, demo_bundle):
    from desktop.core.stats.crossborder import crossborder_section_rows

    inflow, outflow, summary = crossborder_section_rows(demo_bundle, CLUSTER)
    assert any(summary in p.text for p in document.paragraphs)
    rows = texts(table_after(document, "Cross-border pupils"))
    assert rows[0] == list(inflow.columns)
    assert rows[1:] == inflow.astype(str).values.tolist()
    assert any(r[0] == "Total" for r in rows[1:])


def test_the_profile_counts_pupils_on_the_basis_chosen(demo_bundle, stats, document, tmp_path):
    """Exported from the window on "where pupils go to school", the table holds the school
    twins (their own numbers) instead of the residence ones, and the notes say which basis."""
    out = tmp_path / "school.docx"
    report.export_profile_docx(demo_bundle, stats, CLUSTER, out, basis="school")
    school = Document(str(out))

    def rows(doc) -> dict[str, list[str]]:
        table = table_after(doc, "Profile: all indicators")
        return {r[0]: r for r in texts(table)[1:]}

    by_school, by_home = rows(school), rows(document)
    twin = demo_bundle.manifest.indicator("pupils_fsm__school")
    home = demo_bundle.manifest.indicator("pupils_fsm")
    school_row = next(r for title, r in by_school.items() if title.startswith(twin.title))
    home_row = next(r for title, r in by_home.items() if title.startswith(home.title))
    assert not any(t.startswith(twin.title) for t in by_home)
    expected = cluster_profile(demo_bundle, stats, CLUSTER, basis="school").set_index(
        "indicator_id").loc[twin.id]
    assert school_row[3] == format_value(expected["value"], twin.value_type, twin.unit,
                                         bool(expected["suppressed"]))
    assert school_row[3] != home_row[3]
    body = "\n".join(p.text for p in school.paragraphs)
    assert report.BASIS_NOTES["school"] in body
    assert report.BASIS_NOTES["residence"] in "\n".join(p.text for p in document.paragraphs)


def _judged_profile(demo_bundle, judged, tmp_path) -> tuple:
    """The profile exported from statistics judged another way, and its text."""
    out = tmp_path / "judged.docx"
    report.export_profile_docx(demo_bundle, judged, CLUSTER, out)
    document = Document(str(out))
    return document, "\n".join(p.text for p in document.paragraphs)


def test_the_profile_says_which_level_and_benchmark_decided(demo_bundle, stats, tmp_path):
    strict = stats.with_comparison(Comparison(99.8, "rest"))
    document, words = _judged_profile(demo_bundle, strict, tmp_path)
    assert "worse than the rest of the county at 99.8% confidence" in words
    assert "two-sample test at 99.8% confidence" in words
    rows = texts(table_after(document, "Profile: all indicators"))
    assert rows[0][7] == "Against rest of county"
    profile = cluster_profile(demo_bundle, strict, CLUSTER)
    data, _ = profile_table_rows(document)
    assert [r[7] for r in data] == [strict.comparison.label(s) for s in profile["significance"]]
    assert any(r[7] == "Worse 99.8%" for r in data) and not any("95%" in r[7] for r in data)


def test_the_similar_clusters_and_the_first_issue_compared_like_with_like(document, demo_bundle,
                                                                         stats, profile):
    from desktop.core.report.analysis import analysed_issue
    from desktop.core.stats.neighbours import bundle_spec, similar_clusters

    nearest = similar_clusters(demo_bundle, stats, bundle_spec(demo_bundle)).nearest(CLUSTER)
    table = table_after(document, "Similar clusters")
    rows = texts(table)
    assert rows[0][:3] == ["Rank", "Cluster", "Distance"]
    note = table._tbl.getnext()  # the [z] of the cluster's own rank and distance, explained
    assert "".join(note.itertext()).startswith(f"{NOT_APPLICABLE} ")
    assert rows[1][:3] == [NOT_APPLICABLE, f"{CLUSTER} (this cluster)", NOT_APPLICABLE]
    assert [r[1] for r in rows[2:]] == list(nearest["cluster"])
    assert [r[2] for r in rows[2:]] == [f"{d:.2f}" for d in nearest["distance"]]
    issue = analysed_issue(demo_bundle, potential_issues(profile))
    assert issue.theme != "Deprivation"
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading 2")]
    assert f"Is {CLUSTER} unusual for its size? {issue.title}" in headings
    assert f"Does it follow deprivation? {issue.title}" in headings
    alts = [s._inline.docPr.get("descr") for s in document.inline_shapes]
    assert alts[-2].startswith(f"Funnel plot of {issue.title}")
    assert alts[-1].startswith(f"Bar chart by deprivation decile of {issue.title}")


def test_a_profile_against_similar_clusters_says_so(demo_bundle, stats, tmp_path):
    from desktop.core.stats.comparison import SIMILAR
    from desktop.core.stats.neighbours import bundle_spec, similar_clusters

    peers = similar_clusters(demo_bundle, stats, bundle_spec(demo_bundle)).peers()
    judged = stats.with_comparison(Comparison(95.0, SIMILAR, peers))
    document, words = _judged_profile(demo_bundle, judged, tmp_path)
    assert "worse than its similar clusters at 95% confidence" in words
    assert "A cluster is compared with the 5 most similar clusters by" in words
    assert texts(table_after(document, "Profile: all indicators"))[0][7] == \
        "Against similar clusters"
