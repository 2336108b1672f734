"""GUI fixtures: settings in a temporary INI file, a scripted passphrase prompt, and message
boxes that fail the test instead of waiting for a click nobody will make."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QMessageBox

from desktop.gui import settings


class UnansweredMessageBox(AssertionError):
    """A modal message box opened that the test did not expect: in a test run it would wait
    for a click for ever (one such box once held CI for over an hour)."""


def _unanswered(*args, **_kwargs):
    text = next((a for a in reversed(args) if isinstance(a, str)), "")
    if isinstance(args[0] if args else None, QMessageBox):
        text = args[0].text()
    raise UnansweredMessageBox(f"a modal message box opened unanswered: {text!r}")


@pytest.fixture(autouse=True)
def message_boxes_never_wait(monkeypatch):
    """Tests that expect a box patch the call they expect (their monkeypatch comes later and
    wins); any other box fails the test at once with its text."""
    for name in ("warning", "critical", "information", "question", "about"):
        monkeypatch.setattr(QMessageBox, name, staticmethod(_unanswered))
    monkeypatch.setattr(QMessageBox, "exec", _unanswered)


@pytest.fixture(autouse=True)
def temporary_settings(tmp_path):
    path = tmp_path / "settings.ini"
    settings.use_settings_file(path)
    yield path
    settings.use_settings_file(None)


class ScriptedPassphrases:
    """Stands in for the passphrase dialog: answers from a list and records what was asked."""

    def __init__(self, *answers: str | None) -> None:
        self.answers = list(answers)
        self.calls: list[dict] = []

    def __call__(self, parent, file_name: str, error: str = "", wait_seconds: float = 0.0):
        self.calls.append({"file_name": file_name, "error": error, "wait": wait_seconds})
        return self.answers.pop(0) if self.answers else None


@pytest.fixture
def scripted():
    return ScriptedPassphrases
