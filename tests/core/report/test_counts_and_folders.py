"""One indicator count in every place, and "Export all" making its folder (issue 15, item 9)."""

from __future__ import annotations

import re

import pytest
from docx import Document

from desktop.core.errors import Cancelled, ExportError
from desktop.core.model import BASIS_RESIDENCE, BASIS_SCHOOL
from desktop.core.report import document as report
from desktop.core.report.text import data_notes, summary_sentence
from desktop.core.stats.profile import cluster_profile, indicators_for_basis, summary_counts
from desktop.core.tasks import Task


@pytest.mark.parametrize("basis", [BASIS_RESIDENCE, BASIS_SCHOOL])
def test_the_title_page_and_the_summary_count_the_indicators_the_profile_shows(
        demo_bundle, stats, basis):
    """89 indicators in the manifest are 86 on a basis (three pupil indicators have a twin
    counted where pupils go to school): the synthetic note said "77 of the 89" beside a
    summary "Of 86 indicators"; both now count what the profile table shows."""
    shown = indicators_for_basis(demo_bundle, basis)
    profile = cluster_profile(demo_bundle, stats, "Redditch", basis=basis)
    assert len(demo_bundle.manifest.indicators) > len(shown) == len(profile)
    summary = summary_sentence(summary_counts(profile))
    assert summary.startswith(f"Of {len(shown)} indicators")
    note = next(n for n in data_notes(demo_bundle, basis) if " indicators are " in n)
    synthetic = sum(ind.synthetic for ind in shown)
    assert re.match(rf"{synthetic} of the {len(shown)} indicators ", note)


def test_export_all_makes_a_folder_that_does_not_exist_yet(demo_bundle, stats, tmp_path,
                                                           monkeypatch):
    monkeypatch.setattr(report, "MAX_ISSUE_CHARTS", 0)
    folder = tmp_path / "profiles" / "spring term"
    paths = report.export_all_profiles(demo_bundle, stats, folder)
    assert folder.is_dir() and sorted(folder.iterdir()) == sorted(paths)
    assert Document(str(paths[0])).paragraphs[0].text.endswith("cluster profile")


def test_a_cancelled_export_all_takes_away_the_folder_it_made(demo_bundle, stats, tmp_path,
                                                              monkeypatch):
    """Cancelled before the first profile is complete: nothing was written, so the folder it
    made goes too (once a profile is complete it stays, with its folder: test_leftovers)."""
    monkeypatch.setattr(report, "MAX_ISSUE_CHARTS", 0)
    task = Task(lambda _fraction, _message: task.cancel())
    with pytest.raises(Cancelled) as cancelled:
        report.export_all_profiles(demo_bundle, stats, tmp_path / "new", task)
    assert "profiles:" not in str(cancelled.value)  # none is named as kept
    assert list(tmp_path.iterdir()) == []


def test_export_all_into_a_file_says_so(demo_bundle, stats, tmp_path):
    blocker = tmp_path / "profiles"
    blocker.write_text("not a folder")
    with pytest.raises(ExportError, match="is a file, not a folder"):
        report.export_all_profiles(demo_bundle, stats, blocker)
