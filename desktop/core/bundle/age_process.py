"""age encryption and decryption (and so the key derivation) in a separate process.

pyrage holds the GIL while scrypt runs (about a second by design, more for a hostile file), so
in a thread it freezes the window and Cancel does nothing. Each call here runs pyrage in a
fresh child process (multiprocessing's "spawn": safe beside Qt's threads, the same on Windows,
and in the PyInstaller build through freeze_support in main.py). The data and the passphrase
go to the child through a pipe and the result comes back through it in chunks, into one buffer
allocated once (an anonymous memory map): nothing touches the disk. Cancelling terminates the
child; a child that dies (out of memory, killed) is a clear AtlasError. scrypt's memory (up to
2 GiB at age_header.MAX_WORK_FACTOR) belongs to the child and is gone when it exits.

Callers must have checked the header (age_header) before decrypting: pyrage runs whatever key
derivation the header asks for.
"""

from __future__ import annotations

import mmap
import multiprocessing
from multiprocessing.connection import Connection

from desktop.core.errors import AtlasError, DamagedBundle, WrongPassphrase
from desktop.core.tasks import Task

CHUNK = 8 * 1024**2
POLL_S = 0.1  # how often the waiting thread looks at Cancel
WRONG_PASSPHRASE_ERRORS = ("Decryption failed",)  # pyrage's text when no stanza unwraps


def encrypt(data: bytes, passphrase: str, task: Task | None = None) -> mmap.mmap | bytes:
    """The age file of `data`, encrypted to `passphrase` (scrypt, pyrage's work factor)."""
    return _run("encrypt", data, passphrase, "the bundle", task or Task())


def decrypt(data: bytes, passphrase: str, name: str, task: Task | None = None
            ) -> mmap.mmap | bytes:
    """The plaintext of the age file `data` (whose header was checked), telling a wrong
    passphrase from a damaged file: pyrage fails with "Decryption failed" only when the scrypt
    stanza does not unwrap; a bad MAC or a chunk that fails authentication means damage."""
    return _run("decrypt", data, passphrase, name, task or Task())


def _run(op: str, data: bytes, passphrase: str, name: str, task: Task) -> mmap.mmap | bytes:
    context = multiprocessing.get_context("spawn")
    ours, theirs = context.Pipe()
    child = context.Process(target=_child, args=(theirs,), name="cluster-atlas-age",
                            daemon=True)
    child.start()
    theirs.close()
    try:
        ours.send((op, passphrase, len(data)))
        _send_chunks(ours, memoryview(data), task)
        while not ours.poll(POLL_S):
            task.check()
            if not child.is_alive() and not ours.poll(0):
                raise EOFError
        status, detail = ours.recv()
        if status == "ok":
            return _receive(ours, detail, task)
    except (EOFError, BrokenPipeError, ConnectionResetError):
        child.join(5)
        raise AtlasError(f"Key derivation for {name} stopped unexpectedly (exit code "
                         f"{child.exitcode}); the computer may be short of memory. Close other "
                         "programs and try again.") from None
    finally:
        ours.close()
        _stop(child)
    if status == "wrong":
        raise WrongPassphrase(f"The passphrase is not right for {name}. Check it and try again.")
    if status == "damaged":
        raise DamagedBundle(f"{name} is damaged or incomplete (it may have been truncated while "
                            "copying). Ask for a fresh copy.")
    raise AtlasError(f"{name} could not be {op}ed: {detail}")


def _send_chunks(conn: Connection, view: memoryview, task: Task) -> None:
    for start in range(0, len(view), CHUNK):
        task.check()
        conn.send_bytes(view[start:start + CHUNK])


def _receive(conn: Connection, size: int, task: Task | None = None) -> mmap.mmap | bytes:
    """`size` bytes sent in chunks, into one anonymous memory map (never a file)."""
    if size == 0:
        return b""
    buffer = mmap.mmap(-1, size)
    view = memoryview(buffer)
    try:
        filled = 0
        while filled < size:
            if task is not None:
                task.check()
            filled += conn.recv_bytes_into(view[filled:])
    finally:
        view.release()
    return buffer


def _stop(child: multiprocessing.process.BaseProcess) -> None:
    if child.is_alive():
        child.terminate()
        child.join(2)
    if child.is_alive():
        child.kill()
    child.join()


def _child(conn: Connection) -> None:
    """The child's whole life: receive, run pyrage, send the outcome and the result."""
    import pyrage

    op, passphrase, size = conn.recv()
    received = _receive(conn, size)
    data = bytes(received)
    del received
    try:
        if op == "encrypt":
            result = pyrage.passphrase.encrypt(data, passphrase)
        else:
            result = pyrage.passphrase.decrypt(data, passphrase)
    except pyrage.DecryptError as exc:
        wrong = str(exc).strip() in WRONG_PASSPHRASE_ERRORS
        conn.send(("wrong" if wrong else "damaged", ""))
        return
    except (pyrage.EncryptError, ValueError) as exc:
        conn.send(("error", str(exc)))
        return
    del data
    conn.send(("ok", len(result)))
    _send_chunks(conn, memoryview(result), Task())
    conn.close()
