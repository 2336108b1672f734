"""Every cluster's profile made by this process and a helper process (report.batch): the same
documents as made here alone, returned in cluster order, and a helper that dies is replaced by
this process."""

from __future__ import annotations

import os

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


MADE_HERE: list[str] = []


def _name_only(bundle, statistics, cluster, figures, progress, *options) -> bytes:
    """A stand-in profile: the cluster's name (the helper is given it by name)."""
    MADE_HERE.append(cluster)
    return cluster.encode()


def _dies(cluster: str) -> bytes:
    """What a helper killed mid-profile (out of memory) looks like to the pool."""
    os._exit(9)
