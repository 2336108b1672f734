"""How strong a new bundle's passphrase is, and a strong one to suggest.

A copied bundle is protected only by its passphrase against offline guessing, so `pack` and
the New bundle dialog refuse a passphrase that zxcvbn (Dropbox's estimator: dictionaries,
names, keyboard patterns, repeats, dates, l33t) scores below MIN_SCORE, with zxcvbn's own
warning and advice and a generated suggestion: six words from the EFF long word list
(resources/wordlists), drawn with `secrets`, about 77 bits.

The test suite packs many small bundles with short passphrases: with the environment variable
ALLOW_WEAK_ENV set to 1 (tests/conftest.py does, and nothing else may) the check is skipped.
Opening a bundle is never refused for its passphrase.
"""

from __future__ import annotations

import functools
import os
import secrets
from collections.abc import Iterable
from dataclasses import dataclass

from desktop.core.errors import WeakPassphrase
from desktop.core.resources import resource_path

# zxcvbn's 4: "very unguessable", at least 10^10 guesses; 3 (10^8) falls to a GPU rig that
# tries thousands of scrypt keys a second within days
MIN_SCORE = 4
MEASURED_CHARACTERS = 72  # zxcvbn's own limit; a longer passphrase is at least as strong
ALLOW_WEAK_ENV = "CLUSTER_ATLAS_TESTS_ALLOW_WEAK_PASSPHRASES"
WORD_LIST = "wordlists/eff_large_wordlist.txt"
SUGGESTED_WORDS = 6
LABELS = ("very weak", "weak", "fair", "good", "strong")
# what an attacker with a copy of the bundle does: zxcvbn's slow-hash case, 10^4 guesses a second
ATTACK = "offline_slow_hashing_1e4_per_second"


@dataclass(frozen=True)
class Strength:
    score: int  # 0 (very weak) .. 4 (strong)
    crack_time: str  # e.g. "3 hours": at 10,000 guesses a second
    warning: str
    advice: tuple[str, ...]

    @property
    def label(self) -> str:
        return LABELS[self.score]

    @property
    def acceptable(self) -> bool:
        return self.score >= MIN_SCORE

    @property
    def guessed_in(self) -> str:
        """"in about 3 hours", "in less than a second", "in centuries"."""
        if self.crack_time.startswith(("less than", "centuries")):
            return f"in {self.crack_time}"
        return f"in about {self.crack_time}"


def measure(passphrase: str, context: Iterable[str] = ()) -> Strength:
    """zxcvbn's estimate; `context` holds words an attacker would try first (file name, title)."""
    import zxcvbn

    words = [w for w in context if w][:20]
    result = zxcvbn.zxcvbn(passphrase[:MEASURED_CHARACTERS], user_inputs=words)
    feedback = result["feedback"]
    return Strength(int(result["score"]), str(result["crack_times_display"][ATTACK]),
                    str(feedback.get("warning") or ""), tuple(feedback.get("suggestions") or ()))


def weak_allowed() -> bool:
    """True only where the test suite switched the check off (ALLOW_WEAK_ENV=1)."""
    return os.environ.get(ALLOW_WEAK_ENV) == "1"


def explain(strength: Strength) -> str:
    """Why a passphrase is refused and what to do, in a few sentences."""
    sentences = [f"This passphrase is {strength.label}: someone with a copy of the bundle could "
                 f"guess it {strength.guessed_in} (at 10,000 guesses a second)",
                 strength.warning, *strength.advice]
    text = " ".join(s if s.endswith((".", "!", "?")) else s + "." for s in sentences if s)
    return (f"{text} Several random words are strong and easy to remember, for example: "
            f"{suggest_passphrase()}")


def check_new_passphrase(passphrase: str, context: Iterable[str] = ()) -> None:
    """Raise WeakPassphrase unless `passphrase` is strong enough to protect a bundle."""
    if not passphrase:
        raise WeakPassphrase("Choose a passphrase to protect the bundle; it cannot be empty.")
    if weak_allowed():
        return
    strength = measure(passphrase, context)
    if not strength.acceptable:
        raise WeakPassphrase(explain(strength))


@functools.cache
def word_list() -> tuple[str, ...]:
    words = resource_path(WORD_LIST).read_text(encoding="utf-8").split()
    return tuple(dict.fromkeys(words))


def suggest_passphrase(words: int = SUGGESTED_WORDS) -> str:
    """`words` words drawn uniformly with `secrets`, separated by spaces."""
    pool = word_list()
    return " ".join(secrets.choice(pool) for _ in range(words))
