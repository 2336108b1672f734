"""The hostile run: files built to freeze, crash or exhaust the app, handed to the command line
and to the window as an officer would receive them (encrypted, with the right passphrase, or
header bombs needing none). Each ends with a clear message or a bundle, never a traceback,
within 10 s, and the app's process never grows past 2 GB.

The key derivation runs in a child process whose memory the work factor decides (pyrage picks
it by timing the writing machine: 2^20 is 1 GiB, 2^21 2 GiB); its peak is held to what the
largest accepted work factor needs (age_header.MAX_WORK_FACTOR), and the app's own peak (the
high-water mark of its memory, VmHWM, without its children) to 2 GB.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from desktop.core.bundle import age_process
from desktop.core.bundle.age_header import MAX_WORK_FACTOR, scrypt_memory
from tests.conftest import ROOT
from tests.security.hostile import HEADER_BOMBS, rezip
from tests.security.test_hostile_bundles import CASES, MANIFEST, MEMBERS

PASS = "pass phrase"
HANG_S = 10.0
MEMORY_KIB = 2 * 10**9 // 1024  # 2 GB: the app's own process
KDF_KIB = (scrypt_memory(MAX_WORK_FACTOR) + 256 * 2**20) // 1024  # scrypt plus an interpreter
# Runs the command line, then writes its own peak and its children's (KiB) on stderr's last line.
# Its own is VmHWM, the high-water mark of the memory it maps after starting: ru_maxrss would
# also count the test run's memory, which a forked child shares until it starts Python.
PEAKS = ("import atexit, resource, runpy, sys\n"
         "def peaks():\n"
         "    own = next(int(line.split()[1]) for line in open('/proc/self/status')\n"
         "               if line.startswith('VmHWM:'))\n"
         "    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
         "    sys.stderr.write(f'\\nPEAKS {own} {kids}\\n')\n"
         "atexit.register(peaks)\n"
         "runpy.run_module('desktop.cli', run_name='__main__')\n")
ENCRYPTED = ("a self-intersecting (bow-tie) area", "an area with an infinite coordinate",
             "every area empty", "no areas at all",
             "GeoParquet CRS metadata that pyproj cannot read",
             "end record: directory past the end",
             "a table declared 1.1 GiB (ratio under the bomb check)",
             "manifest nested 100,000 deep")


@pytest.fixture(scope="module")
def hostile_files(tmp_path_factory) -> dict[str, Path]:
    """Header bombs as they are, the rest encrypted to PASS (a real key derivation each)."""
    folder = tmp_path_factory.mktemp("hostile")
    payloads = {name: data for name, data, *_ in CASES if name in ENCRYPTED}
    payloads["a lone surrogate, control characters and 300 characters in the title"] = rezip(
        MEMBERS | {"manifest.json": json.dumps(
            MANIFEST | {"title": "Clusters \ud800\x07 " + "t" * 300}).encode()})
    files = {}
    for i, (name, data) in enumerate(payloads.items()):
        files[name] = folder / f"encrypted-{i:02d}.atlas"
        files[name].write_bytes(bytes(age_process.encrypt(data, PASS)))
    for i, (name, data, *_) in enumerate(HEADER_BOMBS):
        files[name] = folder / f"bomb-{i:02d}.atlas"
        files[name].write_bytes(data)
    return files


def _run(args: list[str], cwd: Path | None = None) -> tuple[int, str, str, float]:
    """Exit code, stdout, stderr and seconds of a child process."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "CLUSTER_ATLAS_PASSPHRASE": PASS,
           "QT_QPA_PLATFORM": "offscreen"}
    start = time.perf_counter()
    done = subprocess.run([sys.executable, *args], env=env, cwd=cwd or ROOT,
                          capture_output=True, text=True, timeout=600)
    return done.returncode, done.stdout, done.stderr, time.perf_counter() - start


def _peaks(err: str) -> tuple[int, int, str]:
    """(own peak, children's peak) in KiB from the PEAKS line, and stderr without it."""
    head, _, line = err.rstrip("\n").rpartition("\nPEAKS ")
    own, kids = (int(x) for x in line.split())
    return own, kids, head.lstrip("\n")


def test_the_command_line_survives_every_hostile_file(hostile_files):
    for name, path in hostile_files.items():
        code, out, err, seconds = _run(["-c", PEAKS, "inspect", str(path)])
        own, kids, err = _peaks(err)
        assert code in (0, 2), f"{name}: exit {code}\n{err[-2000:]}"
        assert "Traceback" not in err, f"{name}: {err[-2000:]}"
        assert seconds < HANG_S + 3, f"{name}: {seconds:.1f} s"  # + Python's own start
        assert (code == 0) == ("title" in name), f"{name}: {err}"
        if code == 2:
            assert err.startswith("error: ") and path.name in err, f"{name}: {err}"
        assert own < MEMORY_KIB, f"{name}: {own / 1024:.0f} MiB"
        assert kids < KDF_KIB, f"{name}: key derivation {kids / 1024:.0f} MiB"


def test_exporting_a_profile_of_the_bundle_with_the_hostile_title(hostile_files, tmp_path):
    path = hostile_files["a lone surrogate, control characters and 300 characters in the title"]
    code, out, err, _ = _run(["-m", "desktop.cli", "export-profile", str(path),
                                 "--cluster", "Northtown", "-o", str(tmp_path / "p.docx")])
    assert code == 0 and "Traceback" not in err, err[-2000:]
    assert (tmp_path / "p.docx").stat().st_size > 10_000


def test_the_window_survives_every_hostile_file(hostile_files, tmp_path):
    code, out, err, _ = _run(["-m", "tests.security.officer_scenario", "open-each", PASS,
                                 *map(str, hostile_files.values())], cwd=tmp_path)
    assert code == 0 and "Traceback" not in err, err[-3000:]
    result = json.loads(out.strip().splitlines()[-1])
    names = {str(path): name for name, path in hostile_files.items()}
    assert len(result["outcomes"]) == len(hostile_files) and result["network"] == []
    for outcome in result["outcomes"]:
        name = names[outcome["file"]]
        kinds = [kind for kind, _ in outcome["ended"]]
        assert "crashed" not in kinds, f"{name}: {outcome['ended']}"
        assert kinds == (["opened"] if "title" in name else ["failed"]), f"{name}: {kinds}"
        assert outcome["seconds"] < HANG_S, f"{name}: {outcome['seconds']:.1f} s"
    assert result["peak_kib"] < MEMORY_KIB, f"{result['peak_kib'] / 1024:.0f} MiB"
    assert result["children_peak_kib"] < KDF_KIB, \
        f"key derivation {result['children_peak_kib'] / 1024:.0f} MiB"
