"""Nothing decrypted on disk: a whole session with the demo bundle, in a child process whose
home, temporary, cache, config, runtime and matplotlib folders are fresh, changes no file
anywhere we can watch except the settings file, and that holds no passphrase and nothing
from the bundle.

The first launch (with no bundle) may create caches (matplotlib's font list, the settings
file); the check is between the end of that launch and the end of the session, which opens
the bundle, uses every view, locks and quits (unlocking: see test_lock). Every file left in the watched folders
is also searched for the passphrase and the bundle's names and codes.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from desktop.core.model import COUNTY
from tests.conftest import DEMO_PASSPHRASE, ROOT

FOLDERS = ("home", "tmp", "cache", "config", "runtime", "mpl", "cwd", "bundle")


def snapshot(roots: dict[str, Path]) -> dict[str, tuple[int, int, str]]:
    files = {}
    for name, root in roots.items():
        for path in root.rglob("*"):
            if path.is_file():
                data = path.read_bytes()
                files[f"{name}/{path.relative_to(root)}"] = (len(data), path.stat().st_mtime_ns,
                                                             hashlib.sha256(data).hexdigest())
    return files


def run_scenario(phase: list[str], roots: dict[str, Path]) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("XDG_", "MPL"))}
    env.update(HOME=str(roots["home"]), TMPDIR=str(roots["tmp"]),
               XDG_CACHE_HOME=str(roots["cache"]), XDG_CONFIG_HOME=str(roots["config"]),
               XDG_RUNTIME_DIR=str(roots["runtime"]), MPLCONFIGDIR=str(roots["mpl"]),
               PYTHONPATH=str(ROOT), PYTHONDONTWRITEBYTECODE="1", QT_QPA_PLATFORM="offscreen")
    done = subprocess.run([sys.executable, "-m", "tests.security.officer_scenario", *phase],
                          cwd=roots["cwd"], env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "Traceback" not in done.stderr, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def _sensitive(bundle) -> list[str]:
    """Texts that must not appear in any file: passphrase, names, codes, titles, a few values."""
    m = bundle.manifest
    words = [DEMO_PASSPHRASE, m.title, *bundle.cluster_names,
             *bundle.areas["area_code"].astype(str), *bundle.areas["area_name"].astype(str),
             *(ind.title for ind in m.indicators), *bundle.schools["name"].astype(str)]
    return sorted({w for w in words if len(w) >= 6 and w != COUNTY})


@pytest.fixture(scope="module")
def session_run(demo_bundle_path, tmp_path_factory):
    base = tmp_path_factory.mktemp("officer")
    roots = {name: base / name for name in FOLDERS}
    for root in roots.values():
        root.mkdir(mode=0o700)
    bundle_copy = roots["bundle"] / "bundle.atlas"  # a neutral name: the path goes in recents
    shutil.copyfile(demo_bundle_path, bundle_copy)
    warm = run_scenario(["warm"], roots)
    before = snapshot(roots)
    used = run_scenario(["use", str(bundle_copy), DEMO_PASSPHRASE], roots)
    after = snapshot(roots)
    return roots, before, after, warm["network"] + used["network"]


def test_only_the_settings_file_changes(session_run):
    roots, before, after = session_run[:3]
    changed = sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k))
    settings = [k for k in changed if k.startswith("config/") and k.endswith(".ini")]
    assert changed == settings, f"files created or changed by the session: {changed}"
    assert len(settings) == 1, f"the session should have saved its layout: {changed}"
    assert "bundle/bundle.atlas" in after  # and the bundle itself was not touched
    assert before["bundle/bundle.atlas"] == after["bundle/bundle.atlas"]


def test_no_file_holds_the_passphrase_or_bundle_data(session_run, demo_bundle):
    roots = session_run[0]
    words = _sensitive(demo_bundle)
    assert len(words) > 400
    found = []
    for root in roots.values():
        for path in root.rglob("*"):
            if path.is_file() and path.name != "bundle.atlas":
                text = path.read_bytes().decode("utf-8", "replace")
                found += [(str(path), w) for w in words if w in text]
    assert found == []
    settings = next(roots["config"].rglob("*.ini")).read_text()
    assert "bundle.atlas" in settings  # the recent file is remembered: the file was searched


def test_the_session_never_tried_the_network(session_run):
    assert session_run[3] == []
