"""No network: the suite's guard (tests/conftest.py) stops any socket over IP, and the product's
own code imports nothing that talks to the network. (A whole GUI session opening no socket is
checked with an audit hook in test_no_disk_writes.)"""

from __future__ import annotations

import ast
import socket
import urllib.error
import urllib.request

import pytest

from tests.conftest import ROOT, NetworkAccessBlocked

NETWORK_MODULES = {"socket", "urllib.request", "http.client", "requests", "httpx", "aiohttp",
                   "ftplib", "smtplib", "xmlrpc.client", "urllib3", "websocket"}


def test_a_url_request_from_product_code_fails_in_tests():
    with pytest.raises((NetworkAccessBlocked, urllib.error.URLError)) as err:
        urllib.request.urlopen("http://192.0.2.1/data.csv", timeout=1)
    blocked = err.value if isinstance(err.value, NetworkAccessBlocked) else err.value.reason
    assert isinstance(blocked, NetworkAccessBlocked)


def test_udp_and_name_lookups_are_blocked_too():
    with pytest.raises(NetworkAccessBlocked):
        socket.getaddrinfo("example.org", 443)
    udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        with pytest.raises(NetworkAccessBlocked):
            udp.connect(("192.0.2.1", 53))
    finally:
        udp.close()


def test_local_unix_sockets_stay_allowed():
    """The X server and D-Bus are reached over AF_UNIX; the guard must not break Qt."""
    left, right = socket.socketpair(socket.AF_UNIX)
    try:
        left.sendall(b"ok")
        assert right.recv(2) == b"ok"
    finally:
        left.close()
        right.close()


def test_product_code_imports_no_network_module():
    found = []
    files = sorted((ROOT / "desktop").rglob("*.py"))
    assert len(files) > 30
    for path in files:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import) else
                     [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            found += [(path.name, n) for n in names
                      if n in NETWORK_MODULES or n.split(".")[0] in NETWORK_MODULES - {"urllib"}]
    assert found == []
