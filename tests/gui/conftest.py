"""GUI fixtures: settings in a temporary INI file, and a scripted passphrase prompt."""

from __future__ import annotations

import pytest

from desktop.gui import settings


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
