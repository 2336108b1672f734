"""Slow down guessing: after several wrong passphrases in a row, each attempt waits longer.

The age key derivation (scrypt) already costs about a second per try; the throttle adds a
growing pause after `free_attempts` failures so a shoulder-surfer or a colleague at an
unattended laptop cannot try many passphrases quickly.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class AttemptThrottle:
    free_attempts: int = 5
    base_delay_s: float = 2.0
    max_delay_s: float = 60.0
    failures: int = 0

    def record_failure(self) -> None:
        self.failures += 1

    def record_success(self) -> None:
        self.failures = 0

    def delay_before_next(self) -> float:
        """Seconds to wait before the next attempt is allowed."""
        extra = self.failures - self.free_attempts + 1
        if extra <= 0:
            return 0.0
        return min(self.base_delay_s * 2 ** (extra - 1), self.max_delay_s)
