"""Suite-wide guards: Qt runs offscreen, no test may reach the network, weak passphrases
are allowed, and the journal of export folders lives in a temporary folder.

The suite packs many small bundles with short passphrases ("pass phrase"), so it switches off
the strength check of new passphrases (desktop.core.bundle.passphrase.ALLOW_WEAK_ENV), here
and in every child process; tests/core/bundle/test_passphrase.py turns it back on to attack it.
"""

from __future__ import annotations

import atexit
import os
import shutil
import socket
import tempfile
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("MPLBACKEND", "Agg")
os.environ["CLUSTER_ATLAS_TESTS_ALLOW_WEAK_PASSPHRASES"] = "1"
# the journal of export folders (desktop.core.leftovers) goes to a folder of the test run's own
os.environ["CLUSTER_ATLAS_STATE_DIR"] = tempfile.mkdtemp(prefix="cluster-atlas-state-")
atexit.register(shutil.rmtree, os.environ["CLUSTER_ATLAS_STATE_DIR"], ignore_errors=True)

ROOT = Path(__file__).resolve().parent.parent
DEMO_BUNDLE = ROOT / "data" / "worcestershire-demo.atlas"
DEMO_PASSPHRASE = "orchard-lantern-42"


class NetworkAccessBlocked(RuntimeError):
    pass


_real_connect = socket.socket.connect
_real_connect_ex = socket.socket.connect_ex


def _guard(sock: socket.socket, address) -> None:
    # Local sockets (the X server, D-Bus) are allowed; anything over IP is not.
    if sock.family == getattr(socket, "AF_UNIX", None):
        return
    raise NetworkAccessBlocked(f"Test tried to open a network connection to {address!r}")


def _guarded_connect(self, address):
    _guard(self, address)
    return _real_connect(self, address)


def _guarded_connect_ex(self, address):
    _guard(self, address)
    return _real_connect_ex(self, address)


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    monkeypatch.setattr(socket.socket, "connect", _guarded_connect)
    monkeypatch.setattr(socket.socket, "connect_ex", _guarded_connect_ex)
    monkeypatch.setattr(socket, "create_connection", _blocked_create_connection)
    monkeypatch.setattr(socket, "getaddrinfo", _blocked_getaddrinfo)
    yield


def _blocked_create_connection(address, *args, **kwargs):
    raise NetworkAccessBlocked(f"Test tried to open a network connection to {address!r}")


_real_getaddrinfo = socket.getaddrinfo


def _blocked_getaddrinfo(host, *args, **kwargs):
    if host in (None, "localhost", "127.0.0.1", "::1"):
        return _real_getaddrinfo(host, *args, **kwargs)
    raise NetworkAccessBlocked(f"Test tried to resolve {host!r}")


def block_network_in_this_process() -> None:
    """Block the network for a whole process: a subprocess a test runs (tests/gui/
    window_probe.py), where the per-test fixture above does not reach."""
    socket.socket.connect = _guarded_connect
    socket.socket.connect_ex = _guarded_connect_ex
    socket.create_connection = _blocked_create_connection
    socket.getaddrinfo = _blocked_getaddrinfo


@pytest.fixture(scope="session")
def demo_bundle_path() -> Path:
    if not DEMO_BUNDLE.exists():
        pytest.fail(f"{DEMO_BUNDLE} is missing: rebuild it with `python data/build_demo.py`")
    return DEMO_BUNDLE


@pytest.fixture(scope="session")
def demo_bundle(demo_bundle_path):
    from desktop.core.bundle.encrypted import read_bundle

    return read_bundle(demo_bundle_path, DEMO_PASSPHRASE)


@pytest.fixture(scope="session")
def stats(demo_bundle):
    """The demo bundle's statistics, computed once for every test that reads them."""
    from desktop.core.stats.aggregate import compute_statistics

    return compute_statistics(demo_bundle)


@pytest.fixture(scope="session")
def demo_pooled(demo_bundle, stats):
    """The demo bundle pooled as the product publishes it (the latest 3 periods combined),
    once for every test that reads it: each pooling audits every window (about 13 s)."""
    from desktop.core.stats.pooling import PUBLISHED_POOL, pool_periods

    return pool_periods(demo_bundle, stats, PUBLISHED_POOL)
