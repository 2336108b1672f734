"""Every cluster's profile made by this process and a helper process (report.batch): the same
documents as made here alone, returned in cluster order, and a helper that dies is replaced by
this process."""

from __future__ import annotations

import os
import time
from pathlib import Path

from docx import Document

from desktop.core.model import BASIS_RESIDENCE
from desktop.core.report import batch
from desktop.core.report import document as report
from desktop.core.report.figures import ReportFigures
from desktop.core.tasks import Task


def texts(path) -> list[str]:
    doc = Document(str(path))
    cells = [cell.text for table in doc.tables for row in table.rows for cell in row.cells]
    return [p.text for p in doc.paragraphs] + cells


def test_a_helper_makes_the_same_profiles(demo_bundle, stats, tmp_path):
    """Three clusters: this process makes the first, the helper the last (the middle one goes
    to whichever is free first); each reads as the profile made here alone."""
    clusters = demo_bundle.cluster_names[:3]
    assert batch.wants_helper(demo_bundle, len(clusters))
    progress, made = [], {}
    figures = ReportFigures(demo_bundle, stats)
    batch.make_profiles(report.profile_docx, figures, (BASIS_RESIDENCE, 1),
                        Task(lambda f, m: progress.append(f)), made.__setitem__, clusters)
    figures.close()
    assert sorted(made) == sorted(clusters)
    for cluster in clusters:
        (tmp_path / "helped.docx").write_bytes(made[cluster])
        report.export_profile_docx(demo_bundle, stats, cluster, tmp_path / "alone.docx")
        assert texts(tmp_path / "helped.docx") == texts(tmp_path / "alone.docx")
    assert progress == sorted(progress)


def test_a_helper_that_dies_is_replaced_by_this_process(demo_bundle, stats, monkeypatch):
    """The helper's profile fails as a killed process's would: its cluster is made here."""
    MADE_HERE.clear()
    monkeypatch.setattr(batch, "_helper_profile", _dies)
    delivered = {}
    batch.make_profiles(_name_only, ReportFigures(demo_bundle, stats), (), Task(),
                        lambda cluster, data: delivered.__setitem__(cluster, data))
    assert sorted(delivered) == sorted(demo_bundle.cluster_names)
    assert all(data == cluster.encode() for cluster, data in delivered.items())
    assert sorted(MADE_HERE) == sorted(demo_bundle.cluster_names)


def test_the_helper_is_given_its_next_cluster_while_this_process_is_busy(demo_bundle, stats,
                                                                          tmp_path, monkeypatch):
    """The helper does not wait for this process to finish the profile it is making: while
    this process holds its first cluster, the helper makes three or more from the back, one
    after the other (before, it was given one cluster per profile made here)."""
    MADE_HERE.clear()
    monkeypatch.setenv(HELPER_NOTES, str(tmp_path))  # the spawned helper inherits it
    monkeypatch.setattr(batch, "_helper_profile", _noted)
    clusters = list(demo_bundle.cluster_names[:6])
    delivered = {}
    batch.make_profiles(_held, ReportFigures(demo_bundle, stats), (), Task(),
                        delivered.__setitem__, clusters)
    here = len(MADE_HERE)  # the helper, quick, may have taken more from the back meanwhile
    assert MADE_HERE == clusters[:here] and here <= 3
    assert delivered == {**{c: c.encode() for c in clusters[:here]},
                         **{c: b"helper " + c.encode() for c in clusters[here:]}}


MADE_HERE: list[str] = []
HELPER_NOTES = "CLUSTER_ATLAS_TEST_HELPER_NOTES"


def _noted(cluster: str) -> bytes:
    """The helper's stand-in profile, noted in a file for this process to see."""
    (Path(os.environ[HELPER_NOTES]) / f"{len(os.listdir(os.environ[HELPER_NOTES]))}").touch()
    return b"helper " + cluster.encode()


def _held(bundle, statistics, cluster, figures, progress, *options) -> bytes:
    """This process's stand-in profile: the first is held until the helper has made three."""
    if not MADE_HERE:
        notes, deadline = Path(os.environ[HELPER_NOTES]), time.monotonic() + 300
        while len(list(notes.iterdir())) < 3:
            assert time.monotonic() < deadline, "the helper was not given its next clusters"
            time.sleep(0.05)
    return _name_only(bundle, statistics, cluster, figures, progress, *options)


def _name_only(bundle, statistics, cluster, figures, progress, *options) -> bytes:
    """A stand-in profile: the cluster's name (the helper is given it by name)."""
    MADE_HERE.append(cluster)
    return cluster.encode()


def _dies(cluster: str) -> bytes:
    """What a helper killed mid-profile (out of memory) looks like to the pool."""
    os._exit(9)
