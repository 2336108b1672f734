"""What every command shares: the passphrase (environment or prompt, never an argument),
progress on stderr, opening a bundle (and its statistics, compared as --level and --against
ask, against the similar clusters of --context and --similar), checking output names and
clusters, and the exit codes.

Passphrases come from the environment variable CLUSTER_ATLAS_PASSPHRASE or a prompt, never from
an argument (arguments show up in process lists and shell history).
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path

from desktop.core.errors import AtlasError
from desktop.core.model import BASES, BASIS_RESIDENCE, Bundle
from desktop.core.tasks import Task

PASSPHRASE_ENV = "CLUSTER_ATLAS_PASSPHRASE"
EXIT_OK, EXIT_ERROR, EXIT_CANCELLED = 0, 2, 130


def passphrase_for_reading(path: str) -> str:
    """The passphrase to open `path`: from the environment, else asked once."""
    if PASSPHRASE_ENV in os.environ:
        return os.environ[PASSPHRASE_ENV]
    return getpass.getpass(f"Passphrase for {path}: ")


def passphrase_for_writing(path: str) -> str:
    """A new passphrase for `path`: from the environment, else asked twice; a weak one is
    refused (before it is asked again) with the reason and a suggestion."""
    from desktop.core.bundle.passphrase import check_new_passphrase

    if PASSPHRASE_ENV in os.environ:
        passphrase = os.environ[PASSPHRASE_ENV]
        check_new_passphrase(passphrase, (Path(path).stem,))
        return passphrase
    passphrase = getpass.getpass(f"New passphrase for {path}: ")
    check_new_passphrase(passphrase, (Path(path).stem,))
    if getpass.getpass("Repeat the passphrase: ") != passphrase:
        raise AtlasError("The two passphrases do not match; nothing was written.")
    return passphrase


def progress_task() -> Task:
    """A Task that shows progress on one line of stderr."""
    def show(fraction: float, message: str) -> None:
        line = f"[{fraction:4.0%}] {message}"[:78]
        sys.stderr.write(f"\r{line:<78}")
        sys.stderr.flush()
    return Task(show)


def add_comparison_options(parser: argparse.ArgumentParser) -> None:
    """--level and --against: how clusters are compared (desktop.core.stats.comparison), and
    --similar and --context: how similar clusters are found (desktop.core.stats.neighbours)."""
    parser.add_argument("--level", choices=("95", "99.8"), default="95",
                        help="confidence level that decides better and worse (default 95, "
                        "as Fingertips; 99.8 is stricter)")
    parser.add_argument("--against", choices=("county", "rest-of-county", "similar-clusters"),
                        default="county",
                        help="compare each cluster with the whole county (the default, as "
                        "Fingertips), with the rest of the county, by a two-sample test, or "
                        "with its similar clusters taken together")
    parser.add_argument("--similar", type=int, metavar="N",
                        help="how many similar clusters each cluster has (default: the "
                        "bundle's setting, else 5)")
    parser.add_argument("--context", metavar="ID,ID,...",
                        help="the indicators that find similar clusters, e.g. "
                        "imd_score,total_population,population_density (default: the "
                        "bundle's setting)")


def neighbour_spec(args: argparse.Namespace, bundle: Bundle):
    """The similar-clusters context --context and --similar ask for (checked: an AtlasError
    says what is wrong), else the bundle's."""
    from desktop.core.stats.neighbours import NeighbourSpec, bundle_spec, check_spec

    own = bundle_spec(bundle)
    context, count = getattr(args, "context", None), getattr(args, "similar", None)
    if context is None and count is None:
        return own
    chosen = (tuple(i.strip() for i in context.split(",") if i.strip()) if context
              else own.indicators)
    return check_spec(bundle, NeighbourSpec(chosen, own.count if count is None else count))


def comparison_of(args: argparse.Namespace, bundle: Bundle, stats):
    """The Comparison the --level and --against options ask for (against similar clusters:
    those --context and --similar find)."""
    from desktop.core.stats.comparison import AGAINST_CHOICES, SIMILAR, Comparison, parse_level
    from desktop.core.stats.neighbours import similar_clusters

    level, against = parse_level(args.level), AGAINST_CHOICES[args.against]
    if against != SIMILAR:
        return Comparison(level, against)
    found = similar_clusters(bundle, stats, neighbour_spec(args, bundle))
    return Comparison(level, SIMILAR, found.peers())


def open_bundle(path: str) -> Bundle:
    """Read a bundle for a command, asking for its passphrase (shared by read-only commands)."""
    from desktop.core.bundle.encrypted import read_bundle

    return read_bundle(path, passphrase_for_reading(path))


def open_statistics(args: argparse.Namespace):
    """The bundle and its statistics, compared as --level and --against ask; imports kept
    here so `--help` stays fast."""
    from desktop.core.stats.aggregate import compute_statistics

    bundle = open_bundle(args.bundle)
    stats = compute_statistics(bundle)
    return bundle, stats.with_comparison(comparison_of(args, bundle, stats))


def check_suffix(path: str, allowed: tuple[str, ...]) -> None:
    if Path(path).suffix.lower() not in allowed:
        raise AtlasError(f"Cannot write {path}: choose a file name ending in "
                         f"{' or '.join(allowed)}.")


def check_cluster(bundle, cluster: str | None) -> None:
    if cluster is not None and cluster not in bundle.cluster_names:
        raise AtlasError(f"There is no cluster called {cluster!r}; the bundle's clusters are: "
                         f"{', '.join(bundle.cluster_names)}.")


def passphrase_note() -> str:
    return f"The passphrase is read from {PASSPHRASE_ENV} or asked for."


def add_cluster_choice(parser: argparse.ArgumentParser, one: str, every: str
                       ) -> argparse._MutuallyExclusiveGroup:
    """BUNDLE, then --cluster NAME or --all-clusters (one of them required), then the basis
    and comparison options: the arguments of the commands that write clusters' statistics.
    Returns the group of choices, for a command that offers more."""
    parser.add_argument("bundle", metavar="BUNDLE", help="the .atlas bundle file")
    which = parser.add_mutually_exclusive_group(required=True)
    which.add_argument("--cluster", metavar="NAME", help=one)
    which.add_argument("--all-clusters", action="store_true", help=every)
    add_basis_option(parser)
    add_comparison_options(parser)
    return which


def add_basis_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--basis", choices=BASES, default=BASIS_RESIDENCE,
                        help="count pupils where they live (residence, the default) or where "
                        "they go to school (school)")


def pool_count(text: str) -> int:
    """--pool: 1 (single periods) or the one pooling published, PUBLISHED_POOL (checked before
    decrypting): two poolings of one indicator could be subtracted to reveal a hidden count."""
    from desktop.core.stats.pooling import PUBLISHED_POOL

    if text.strip() not in ("1", str(PUBLISHED_POOL)):
        raise argparse.ArgumentTypeError(
            f"periods are pooled in {PUBLISHED_POOL}s only (--pool {PUBLISHED_POOL}), not "
            f"{text!r}: two poolings of one indicator published together could be subtracted "
            "to reveal a hidden count")
    return int(text)


def add_pool_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--pool", type=pool_count, default=1, metavar="N",
                        help="3: combine each indicator's latest 3 periods (and the 3 before, "
                        "...) as Fingertips pools small numbers, e.g. \"2021/22 - 2023/24 "
                        "combined\"; default 1: single periods. One pooling only: two could "
                        "be subtracted to reveal a hidden count")


def pooled_periods(bundle, stats, pool: int, plain=None):
    """The periods pooled in windows of `pool` (stats.pooling.Pooled), or None for single
    periods. `plain`: the bundle and statistics as opened, when `bundle` has custom areas."""
    if pool == 1:
        return None
    from desktop.core.stats.custom_stats import pool_with_custom_areas
    from desktop.core.stats.pooling import pool_periods

    return pool_with_custom_areas(pool_periods(*(plain or (bundle, stats)), pool),
                                  (bundle, stats))
