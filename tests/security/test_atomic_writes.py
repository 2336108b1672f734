"""Every writer (bundle, pack, figure and table exports) writes atomically: interrupted at any
point, it leaves the previous file byte for byte and no temporary file; a read-only or full
destination gives an ExportError naming the file. A new writer is one entry in WRITERS.

The machine runs tests as root, for whom permissions do not stop writes, so read-only and full
disks are simulated at the system call that fails on a real one (EROFS, ENOSPC).
"""

from __future__ import annotations

import errno
import os
import shutil
from pathlib import Path

import pytest

from desktop.core import atomic
from desktop.core.bundle import age_process
from desktop.core.bundle.encrypted import write_bundle
from desktop.core.charts.tables import chart_figure
from desktop.core.errors import ExportError
from desktop.core.pack.build import pack
from desktop.core.plotting.style import export_figure
from desktop.core.report.tables import export_profile_csv, export_profile_xlsx
from tests.core.bundle_factory import make_bundle
from tests.core.pack_helpers import EXAMPLE

SAMPLE = make_bundle()


@pytest.fixture(autouse=True)
def fast_encryption(monkeypatch):
    monkeypatch.setattr(age_process, "encrypt",
                        lambda data, passphrase, task=None: b"age:" + data)


def _profile():
    from desktop.core.stats.aggregate import compute_statistics
    from desktop.core.stats.profile import cluster_profile

    return cluster_profile(SAMPLE, compute_statistics(SAMPLE), SAMPLE.cluster_names[0])


def _figure():
    from desktop.core.charts.tables import chart_inputs
    from desktop.core.stats.aggregate import compute_statistics

    ind = SAMPLE.manifest.indicators[0]
    inputs = chart_inputs("bars", SAMPLE, compute_statistics(SAMPLE), ind, ind.latest_period,
                          None)
    return chart_figure("bars", **inputs)


def _data_table(path: Path) -> None:
    from desktop.core.report.data_table import data_table, export_data_table
    from desktop.core.stats.aggregate import compute_statistics

    export_data_table(data_table(SAMPLE, compute_statistics(SAMPLE)), path, ("notes",))


def _pack(path: Path) -> None:
    folder = path.parent / "input"
    if not folder.exists():
        shutil.copytree(EXAMPLE, folder)
    pack(folder, path, "pass phrase")


# name -> (file name, write to a path)
WRITERS = {
    "bundle": ("x.atlas", lambda p: write_bundle(SAMPLE, p, "pass phrase")),
    "pack": ("x.atlas", _pack),
    "figure png": ("x.png", lambda p: export_figure(_figure(), p, dpi=50)),
    "figure svg": ("x.svg", lambda p: export_figure(_figure(), p)),
    "profile csv": ("x.csv", lambda p: export_profile_csv(SAMPLE, _profile(),
                                                          SAMPLE.cluster_names[0], p)),
    "profile xlsx": ("x.xlsx", lambda p: export_profile_xlsx(SAMPLE, _profile(),
                                                             SAMPLE.cluster_names[0], p)),
    "data table csv": ("x.csv", _data_table),
    "data table xlsx": ("x.xlsx", _data_table),
}


def _files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.is_file())


@pytest.mark.parametrize("name", list(WRITERS))
@pytest.mark.parametrize("interruption", [KeyboardInterrupt, MemoryError])
def test_interrupted_write_keeps_the_previous_file(tmp_path, monkeypatch, name, interruption):
    file_name, write = WRITERS[name]
    dest = tmp_path / file_name
    dest.write_bytes(b"the previous, good file")

    def interrupted(src, dst):
        assert Path(src).parent == dest.parent and Path(src).stat().st_size > 0
        raise interruption()

    monkeypatch.setattr(atomic.os, "replace", interrupted)
    with pytest.raises(interruption):
        write(dest)
    assert dest.read_bytes() == b"the previous, good file"
    assert _files(tmp_path) == [file_name], "a temporary file was left behind"


@pytest.mark.parametrize("name", list(WRITERS))
@pytest.mark.parametrize("code, words", [(errno.EROFS, "Read-only file system"),
                                         (errno.ENOSPC, "No space left on device")])
def test_read_only_or_full_destination_is_a_clear_error(tmp_path, monkeypatch, name, code,
                                                        words):
    file_name, write = WRITERS[name]
    dest = tmp_path / file_name
    dest.write_bytes(b"the previous, good file")

    def failing(src, dst):
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(atomic.os, "replace", failing)
    with pytest.raises(ExportError) as err:
        write(dest)
    assert str(dest) in str(err.value) and words in str(err.value)
    assert dest.read_bytes() == b"the previous, good file"
    assert _files(tmp_path) == [file_name]


@pytest.mark.parametrize("name", list(WRITERS))
def test_no_temporary_file_can_be_made_is_a_clear_error(tmp_path, monkeypatch, name):
    file_name, write = WRITERS[name]

    def refuse(*args, **kwargs):
        raise OSError(errno.EROFS, os.strerror(errno.EROFS))

    monkeypatch.setattr(atomic.tempfile, "mkstemp", refuse)
    with pytest.raises(ExportError, match="Choose a folder you can write to"):
        write(tmp_path / file_name)
    assert not (tmp_path / file_name).exists()


def test_missing_folder_is_a_clear_error(tmp_path):
    with pytest.raises(ExportError, match="does not exist"):
        atomic.write_bytes_atomic(tmp_path / "gone" / "x.bin", b"data")
