"""Attacks on the passphrase of a new bundle: `pack` (core and command line) and write_bundle
refuse what zxcvbn finds guessable, with the reason and a suggestion, and write nothing; the
suggestion is six words of the shipped EFF list drawn with `secrets`. The suite's override
(tests/conftest.py) is switched off here, except where the override itself is under test."""

from __future__ import annotations

import pytest

from desktop.cli import common
from desktop.cli.main import main
from desktop.core.bundle import passphrase as pp
from desktop.core.bundle.encrypted import write_bundle
from desktop.core.errors import WeakPassphrase
from desktop.core.pack.build import pack
from desktop.core.resources import resource_path
from tests.conftest import DEMO_PASSPHRASE
from tests.core.bundle_factory import make_bundle
from tests.core.pack_helpers import EXAMPLE

WEAK = ["a", "password", "Password1!", "qwertyuiop", "pass phrase", "11111111111111",
        "worcester2024", "correcthorse", "Tr0ub4dor"]


@pytest.fixture(autouse=True)
def strength_checked(monkeypatch):
    monkeypatch.delenv(pp.ALLOW_WEAK_ENV, raising=False)


@pytest.mark.parametrize("weak", WEAK)
def test_pack_refuses_a_weak_passphrase_before_reading_anything(tmp_path, weak, monkeypatch):
    from desktop.core.pack import build

    def must_not_read(*args, **kwargs):
        raise AssertionError("the inputs were read before the passphrase was checked")

    monkeypatch.setattr(build, "read_inputs", must_not_read)
    with pytest.raises(WeakPassphrase) as err:
        pack(EXAMPLE, tmp_path / "x.atlas", weak)
    message = str(err.value)
    assert "could guess it in" in message and "for example:" in message
    suggestion = message.rsplit("for example: ", 1)[1].split()
    assert len(suggestion) == pp.SUGGESTED_WORDS
    assert set(suggestion) <= set(pp.word_list())
    assert list(tmp_path.iterdir()) == []


def test_the_file_name_makes_a_passphrase_weaker(tmp_path):
    """A passphrase built from the bundle's own name is guessed first."""
    strong_alone = pp.measure("kettering-atlas-2031")
    with_name = pp.measure("kettering-atlas-2031", ("kettering-atlas",))
    assert strong_alone.acceptable and not with_name.acceptable
    with pytest.raises(WeakPassphrase):
        pack(EXAMPLE, tmp_path / "kettering-atlas.atlas", "kettering-atlas-2031")


def test_write_bundle_refuses_a_weak_passphrase(tmp_path):
    with pytest.raises(WeakPassphrase):
        write_bundle(make_bundle(), tmp_path / "x.atlas", "letmein")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("empty", ["", None])
def test_an_empty_passphrase_is_refused(tmp_path, empty):
    with pytest.raises(WeakPassphrase, match="cannot be empty"):
        pack(EXAMPLE, tmp_path / "x.atlas", empty or "")


def test_the_command_line_refuses_a_weak_passphrase(tmp_path, monkeypatch, capsys):
    """`CLUSTER_ATLAS_PASSPHRASE=a cluster-atlas pack` used to succeed."""
    monkeypatch.setenv(common.PASSPHRASE_ENV, "a")
    assert main(["pack", str(EXAMPLE), "-o", str(tmp_path / "x.atlas")]) == 2
    err = capsys.readouterr().err
    assert "very weak" in err and "for example:" in err
    assert list(tmp_path.iterdir()) == []


def test_the_prompt_refuses_before_asking_again(tmp_path, monkeypatch, capsys):
    monkeypatch.delenv(common.PASSPHRASE_ENV, raising=False)
    asked = []
    monkeypatch.setattr(common.getpass, "getpass", lambda p: asked.append(p) or "password")
    assert main(["pack", str(EXAMPLE), "-o", str(tmp_path / "x.atlas")]) == 2
    assert len(asked) == 1 and "top-10 common password" in capsys.readouterr().err


def test_the_demo_passphrase_and_a_suggestion_are_strong():
    assert pp.measure(DEMO_PASSPHRASE, ("worcestershire-demo",)).acceptable
    pp.check_new_passphrase(DEMO_PASSPHRASE)
    for _ in range(20):
        pp.check_new_passphrase(pp.suggest_passphrase())


def test_suggestions_are_random_words_from_the_shipped_list():
    words = pp.word_list()
    assert len(words) == 7776 and len(set(words)) == 7776  # 12.9 bits a word
    assert (resource_path("wordlists") / "SOURCE.md").is_file()
    drawn = [pp.suggest_passphrase() for _ in range(200)]
    assert len(set(drawn)) == 200
    every_word = [w for phrase in drawn for w in phrase.split()]
    assert set(every_word) <= set(words)
    # 1,200 draws from 7,776 words: a generator stuck on part of the list would show here
    assert len(set(every_word)) > 1000


@pytest.mark.parametrize("value, allowed", [("1", True), ("0", False), ("yes", False),
                                            ("", False)])
def test_only_the_documented_override_lets_a_weak_passphrase_through(monkeypatch, value,
                                                                    allowed):
    monkeypatch.setenv(pp.ALLOW_WEAK_ENV, value)
    if allowed:
        pp.check_new_passphrase("a")
    else:
        with pytest.raises(WeakPassphrase):
            pp.check_new_passphrase("a")
