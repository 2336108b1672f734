"""Exports that leave nothing behind, attacked: kill -9 and SIGTERM during an all-clusters
export (command line and window), then the sweep at the next start; no openpyxl temporary
file; a full disk named by the target, not the hidden temporary file.

Before: every finished profile waited as a hidden `.NAME.docx.*.part` (complete plaintext,
mode 0600) until the end, and kill -9, SIGTERM, a crash or a power cut left them for good.
"""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from docx import Document

from desktop.core import atomic, leftovers
from desktop.core.errors import ExportError
from desktop.core.report.document import export_profile_docx
from desktop.core.report.tables import export_profile_xlsx
from desktop.core.stats.profile import cluster_profile
from tests.conftest import DEMO_PASSPHRASE, ROOT
from tests.security.test_no_disk_writes import FOLDERS

TIMEOUT_S = 180


def _env(state: Path) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT), "CLUSTER_ATLAS_STATE_DIR": str(state),
            "CLUSTER_ATLAS_PASSPHRASE": DEMO_PASSPHRASE, "QT_QPA_PLATFORM": "offscreen"}


def _parts(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".part"))


def _profiles_are_complete(folder: Path) -> list[str]:
    names = sorted(p.name for p in folder.iterdir() if p.suffix == ".docx")
    for name in names:
        assert Document(str(folder / name)).paragraphs, name  # opens: complete, not cut
    return names


def _export_command(bundle: Path, out: Path, state: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "desktop.cli", "export-profile", str(bundle),
                             "--all-clusters", "-o", str(out)], env=_env(state),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _sweep_at_next_start(state: Path) -> None:
    """What any start does first: `cluster-atlas --version` sweeps, then prints and exits."""
    done = subprocess.run([sys.executable, "-m", "desktop.cli", "--version"], env=_env(state),
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr


def _wait_for(condition, timeout_s: float = TIMEOUT_S, every_s: float = 0.001) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(every_s)


def test_kill_9_during_the_export_then_the_sweep(demo_bundle_path, tmp_path):
    out, state = tmp_path / "profiles", tmp_path / "state"
    out.mkdir()
    child = _export_command(demo_bundle_path, out, state)
    try:  # kill the moment a temporary file is on disk (or, failing that, a profile)
        _wait_for(lambda: _parts(out) or any(out.glob("*.docx")) or child.poll() is not None)
        child.send_signal(signal.SIGKILL)
        child.wait(30)
    finally:
        child.kill()
    assert child.returncode == -signal.SIGKILL
    caught = _parts(out)
    assert caught, "the kill came between two files: nothing for the sweep to prove"
    journal = (state / leftovers.JOURNAL).read_text()
    assert journal.strip() == str(out.resolve())  # the folder alone: no file, no data
    _sweep_at_next_start(state)
    assert _parts(out) == []
    _profiles_are_complete(out)
    assert not (state / leftovers.JOURNAL).read_text().strip()  # clean: forgotten


def _terminate_after_the_first_profile(child: subprocess.Popen, out: Path) -> None:
    """SIGTERM once a profile is written (the export still running); then: the process ended
    with 128 + SIGTERM, no traceback, no temporary file (removed by the process itself,
    before any sweep) and only complete profiles."""
    try:
        _wait_for(lambda: any(out.glob("*.docx")) or child.poll() is not None)
        child.send_signal(signal.SIGTERM)
        child.wait(30)
    finally:
        child.kill()
    err = child.stderr.read()
    assert child.returncode == 128 + signal.SIGTERM, err[-3000:]
    assert "Traceback" not in err
    assert _parts(out) == []
    assert 1 <= len(_profiles_are_complete(out)) < 12


def test_sigterm_during_the_export_leaves_only_complete_profiles(demo_bundle_path, tmp_path):
    out, state = tmp_path / "profiles", tmp_path / "state"
    out.mkdir()
    _terminate_after_the_first_profile(_export_command(demo_bundle_path, out, state), out)


def test_sigterm_to_the_window_during_the_export(demo_bundle_path, tmp_path):
    roots = {name: tmp_path / name for name in FOLDERS}
    for root in roots.values():
        root.mkdir()
    out, state = roots["cwd"] / "profiles", tmp_path / "state"
    out.mkdir()
    env = _env(state) | {"HOME": str(roots["home"]), "TMPDIR": str(roots["tmp"]),
                         "XDG_CONFIG_HOME": str(roots["config"]),
                         "XDG_CACHE_HOME": str(roots["cache"]), "MPLCONFIGDIR": str(roots["mpl"])}
    child = subprocess.Popen([sys.executable, "-m", "tests.security.officer_scenario", "export",
                              str(demo_bundle_path), DEMO_PASSPHRASE, str(out)],
                             cwd=roots["cwd"], env=env, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
    _terminate_after_the_first_profile(child, out)


def test_the_sweep_removes_only_dead_runs_files(tmp_path):
    folder = tmp_path / "exports"
    folder.mkdir()
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True).stdout.strip()
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        files = {f".redditch-profile.docx.ca{dead}-abc123.part": False,  # dead writer: goes
                 f".bromsgrove-profile.docx.ca{sleeper.pid}-x9_z.part": True,  # live: stays
                 "notes.part": True, ".hidden.part": True, "redditch-profile.docx": True}
        for name in files:
            (folder / name).write_bytes(b"PK plaintext profile")
        leftovers.remember(folder)
        assert folder.resolve() in leftovers.remembered()
        removed = leftovers.sweep()
        assert [p.name for p in removed] == [f".redditch-profile.docx.ca{dead}-abc123.part"]
        assert sorted(p.name for p in folder.iterdir()) == sorted(n for n, k in files.items() if k)
        assert folder.resolve() in leftovers.remembered()  # a live writer's file: look again
    finally:
        sleeper.kill()
        sleeper.wait()
    leftovers.sweep()
    assert folder.resolve() not in leftovers.remembered()
    (folder.parent / "gone").mkdir()
    leftovers.remember(folder.parent / "gone")
    (folder.parent / "gone").rmdir()
    leftovers.sweep()  # a folder that is gone is forgotten, without an error
    assert (folder.parent / "gone").resolve() not in leftovers.remembered()


def test_the_xlsx_export_makes_no_temporary_file(demo_bundle, stats, tmp_path, monkeypatch):
    """openpyxl wrote the worksheet's XML (every value) to openpyxl.* in the temp folder."""
    import tempfile

    from openpyxl.worksheet import _writer

    def refuse(*args, **kwargs):
        raise AssertionError("a temporary file was made outside the destination folder")

    monkeypatch.setattr(_writer, "NamedTemporaryFile", refuse)
    monkeypatch.setattr(tempfile, "NamedTemporaryFile", refuse)
    before = set(os.listdir(tempfile.gettempdir()))
    cluster = demo_bundle.cluster_names[0]
    out = tmp_path / "p.xlsx"
    export_profile_xlsx(demo_bundle, cluster_profile(demo_bundle, stats, cluster), cluster, out)
    assert not [n for n in set(os.listdir(tempfile.gettempdir())) - before
                if n.startswith("openpyxl")]
    from openpyxl import load_workbook

    assert load_workbook(out).active.max_row > 20
    assert os.listdir(tmp_path) == ["p.xlsx"]


@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EIO])
def test_a_full_disk_names_the_target_not_the_temporary_file(demo_bundle, stats, tmp_path,
                                                             monkeypatch, code):
    def full(fd):
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(atomic.os, "fsync", full)
    out = tmp_path / "redditch.docx"
    with pytest.raises(ExportError) as err:
        export_profile_docx(demo_bundle, stats, demo_bundle.cluster_names[0], out)
    assert str(err.value) == f"Cannot write {out}: {os.strerror(code)}."
    assert ".part" not in str(err.value)
    assert os.listdir(tmp_path) == []
