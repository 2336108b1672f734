"""age in a child process: a round trip through the pipe, Cancel during the key derivation,
and a child that dies (out of memory, killed) as a clear message. Real pyrage, real scrypt."""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
import time

import pytest

from desktop.core.bundle import age_process
from desktop.core.errors import AtlasError, Cancelled, WrongPassphrase
from desktop.core.tasks import Task

PASSPHRASE = "pass phrase"


@pytest.fixture(scope="module")
def encrypted() -> tuple[bytes, bytes]:
    plain = os.urandom(3 * age_process.CHUNK + 12345)  # several chunks each way
    return plain, bytes(age_process.encrypt(plain, PASSPHRASE))


def test_round_trip_through_the_child(encrypted):
    plain, data = encrypted
    assert data.startswith(b"age-encryption.org/v1\n-> scrypt ")
    assert bytes(age_process.decrypt(data, PASSPHRASE, "x.atlas")) == plain
    with pytest.raises(WrongPassphrase, match="not right for x.atlas"):
        age_process.decrypt(data, "Pass phrase", "x.atlas")
    assert multiprocessing.active_children() == []


def _later(seconds: float, action) -> None:
    threading.Timer(seconds, action).start()


def test_cancel_stops_the_key_derivation(encrypted):
    _, data = encrypted
    task = Task()
    _later(0.3, task.cancel)
    start = time.perf_counter()
    with pytest.raises(Cancelled):
        age_process.decrypt(data, PASSPHRASE, "x.atlas", task)
    assert time.perf_counter() - start < 1.0  # the derivation alone takes over a second
    assert multiprocessing.active_children() == []


def test_a_child_that_dies_is_a_clear_message(encrypted):
    _, data = encrypted

    def kill_child():
        for child in multiprocessing.active_children():
            os.kill(child.pid, signal.SIGKILL)

    _later(0.5, kill_child)
    with pytest.raises(AtlasError, match="stopped unexpectedly.*short of memory"):
        age_process.decrypt(data, PASSPHRASE, "x.atlas")
    assert multiprocessing.active_children() == []
