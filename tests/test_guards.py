import importlib
import pkgutil
import socket
import subprocess
import sys

import pytest

from tests.conftest import ROOT, NetworkAccessBlocked


def test_core_imports_without_qt():
    """Every module of desktop.core imports with PySide6 absent from sys.modules."""
    code = (
        "import importlib, pkgutil, sys\n"
        "import desktop.core as core\n"
        "for m in pkgutil.walk_packages(core.__path__, 'desktop.core.'):\n"
        "    importlib.import_module(m.name)\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6'))\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == ""
    # and the walk really found the modules (a broken walk would pass vacuously)
    import desktop.core as core
    names = {m.name for m in pkgutil.walk_packages(core.__path__, "desktop.core.")}
    assert {"desktop.core.model", "desktop.core.errors", "desktop.core.bundle.encrypted"} <= names


def test_network_guard_blocks_inet_connections():
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        with pytest.raises(NetworkAccessBlocked):
            s.connect(("192.0.2.1", 80))
    finally:
        s.close()
    with pytest.raises(NetworkAccessBlocked):
        socket.create_connection(("example.org", 443))


def test_core_modules_importable():
    import desktop.core as core
    for m in pkgutil.walk_packages(core.__path__, "desktop.core."):
        importlib.import_module(m.name)
