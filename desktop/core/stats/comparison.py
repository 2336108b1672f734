"""How clusters are compared: at which confidence level, and against what.

Fingertips compares an area with its benchmark at 95% or 99.8% confidence and labels the
result "Better 95%", "Worse 99.8%", "Similar" or "Not compared"; the same words are used here in
every legend and table, so a reader always sees which level decided. Beyond Fingertips, a
cluster may be compared against the rest of the county (the county without the cluster) by a
two-sample method (stats.two_sample), since a large cluster is part of the county it would
otherwise be compared with; or against its most similar clusters (stats.neighbours), whose
pooled value is then the benchmark (stats.peer_benchmark), to compare like with like. Small
areas are always compared with the county.
"""

from __future__ import annotations

from dataclasses import dataclass

from desktop.core.model import Significance

LEVELS = (95.0, 99.8)  # the confidence levels offered, in per cent
COUNTY, REST, SIMILAR = "county", "rest", "similar"  # what a cluster is compared against
AGAINST = (COUNTY, REST, SIMILAR)
AGAINST_WORDS = {COUNTY: "the county", REST: "the rest of the county",
                 SIMILAR: "its similar clusters"}
AGAINST_CHOICES = {"county": COUNTY, "rest-of-county": REST,  # command-line spellings
                   "similar-clusters": SIMILAR}
COLUMNS = {COUNTY: "Compared with county", REST: "Compared with rest of county",
           SIMILAR: "Compared with similar clusters"}


@dataclass(frozen=True)
class Peers:
    """Each cluster's similar clusters, the benchmark of the SIMILAR comparison: `groups[i]`
    names the peers of `clusters[i]` (empty when it has none); `basis` says how they were
    chosen ("the 5 most similar clusters by ...")."""

    clusters: tuple[str, ...]
    groups: tuple[tuple[str, ...], ...]
    basis: str
_JUDGED = {Significance.BETTER, Significance.WORSE, Significance.HIGHER, Significance.LOWER}


def level_text(level: float) -> str:
    """95.0 -> "95%", 99.8 -> "99.8%"."""
    return f"{level:g}%"


def parse_level(text: str | float) -> float:
    """"95", "99.8", "95%" or a number -> one of LEVELS; ValueError otherwise."""
    level = float(str(text).strip().rstrip("%"))
    if level not in LEVELS:
        raise ValueError(f"the confidence level must be 95 or 99.8, not {text}")
    return level


@dataclass(frozen=True)
class Comparison:
    """A confidence level (95 or 99.8) and a benchmark (COUNTY, REST, or SIMILAR with the
    `peers` of every cluster); hashable, so the statistics keep one set of verdicts per
    comparison."""

    level: float = 95.0
    against: str = COUNTY
    peers: Peers | None = None

    def __post_init__(self) -> None:
        if self.level not in LEVELS:
            raise ValueError(f"level must be one of {LEVELS}, not {self.level!r}")
        if self.against not in AGAINST:
            raise ValueError(f"against must be one of {AGAINST}, not {self.against!r}")
        if (self.against == SIMILAR) != (self.peers is not None):
            raise ValueError("peers are given with, and only with, against=SIMILAR")

    @property
    def fraction(self) -> float:
        return self.level / 100.0

    @property
    def level_text(self) -> str:
        return level_text(self.level)

    @property
    def limits(self) -> tuple[str, str]:
        """The statistics columns of the interval at this level."""
        return ("lower95", "upper95") if self.level == 95.0 else ("lower998", "upper998")

    def label(self, significance: Significance | str) -> str:
        """Fingertips' words: "Better 95%", "Worse 99.8%", "Similar", "Not compared"."""
        try:
            sig = Significance(significance)
        except ValueError:
            sig = Significance.NOT_COMPARED
        word = sig.value[:1].upper() + sig.value[1:]
        return f"{word} {self.level_text}" if sig in _JUDGED else word

    def describe(self, significance: Significance | str) -> str:
        """A sentence for a tooltip: "Significantly worse than the rest of the county at
        99.8% confidence"."""
        try:
            sig = Significance(significance)
        except ValueError:
            sig = Significance.NOT_COMPARED
        if sig is Significance.NOT_COMPARED:
            return ("Not compared: a count, no confidence interval, a suppressed value or no "
                    "value to compare with")
        if sig is Significance.SIMILAR:
            return (f"Not significantly different from {self.benchmark} at {self.level_text} "
                    "confidence")
        return (f"Significantly {sig.value} than {self.benchmark} at {self.level_text} "
                "confidence")

    def labels(self) -> dict[Significance, str]:
        return {s: self.label(s) for s in Significance}

    @property
    def benchmark(self) -> str:
        """"the county" or "the rest of the county"."""
        return AGAINST_WORDS[self.against]

    @property
    def column(self) -> str:
        """A table heading: "Compared with county", "... rest of county" or "... similar
        clusters"."""
        return COLUMNS[self.against]

    @property
    def against_column(self) -> str:
        """A narrow table heading: "Against county" or "Against rest of county"."""
        return self.column.replace("Compared with", "Against")

    @property
    def heading(self) -> str:
        """"Compared with the county at 95% confidence", for legends and notes."""
        return f"Compared with {self.benchmark} at {self.level_text} confidence"

    @property
    def method(self) -> str:
        """How a verdict is reached, in one sentence for notes under tables and in reports."""
        if self.against == COUNTY:
            return (f"A cluster is significantly higher or lower than the county when the county "
                    f"value lies outside the cluster's {self.level_text} confidence interval.")
        if self.against == SIMILAR:
            return (f"A cluster is compared with {self.peers.basis}: significantly higher or "
                    "lower when their pooled value (their counts and denominators summed, or "
                    "their age bands for standardised rates) lies outside the cluster's "
                    f"{self.level_text} confidence interval. A cluster is not compared when a "
                    "similar cluster's value is suppressed or missing. Small areas are still "
                    "compared with the county.")
        return (f"A cluster is compared with the rest of the county (the county without the "
                f"cluster) by a two-sample test at {self.level_text} confidence: Newcombe's "
                "interval for a difference of proportions, the exact conditional test for a "
                "ratio of rates or standardised ratios, Welch's t-test or a z-test for means "
                "and scores, and a z-test on the log ratio of directly standardised rates. "
                "Small areas are still compared with the county.")


DEFAULT = Comparison()
