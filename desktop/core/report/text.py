"""The words of a cluster profile, written from its numbers: summary, notes and methods.

Kept apart from the .docx layout so the sentences can be tested (and reused) on their own.
"""

from __future__ import annotations

import pandas as pd

from desktop import APP_NAME
from desktop.core.model import (
    BASIS_RESIDENCE,
    SYNTHETIC_LABEL,
    Bundle,
    Manifest,
    Significance,
)
from desktop.core.stats.comparison import DEFAULT, Comparison
from desktop.core.stats.profile import indicators_for_basis
from desktop.core.stats.trend import TREND_POINTS


def _n(count: int, word: str, plural: str | None = None) -> str:
    return f"{count} {word if count == 1 else (plural or word + 's')}"


def summary_sentence(counts: dict[str, int], suppressed: int = 0,
                     comparison: Comparison = DEFAULT) -> str:
    """"Of 86 indicators, 9 are significantly worse than the county at 95% confidence, 5
    better, ..." from desktop.core.stats.profile.summary_counts."""
    worse, better = counts[Significance.WORSE.value], counts[Significance.BETTER.value]
    similar = counts[Significance.SIMILAR.value]
    higher, lower = counts[Significance.HIGHER.value], counts[Significance.LOWER.value]
    verb = "is" if worse == 1 else "are"
    text = (f"Of {_n(counts['total'], 'indicator')}, {worse} {verb} significantly worse than "
            f"{comparison.benchmark} at {comparison.level_text} confidence, {better} "
            f"significantly better and {similar} similar")
    if higher or lower:
        text += (f"; {higher} {'is' if higher == 1 else 'are'} significantly higher and "
                 f"{lower} significantly lower where higher is neither better nor worse")
    not_compared = counts[Significance.NOT_COMPARED.value]
    text += f". {not_compared} {'is' if not_compared == 1 else 'are'} not compared"
    text += " (counts, scores without an interval, or values suppressed for small numbers)"
    if suppressed:
        text += f", of which {_n(suppressed, 'value')} {'is' if suppressed == 1 else 'are'} " \
                "suppressed"
    return text + "."


def profile_title(bundle: Bundle, cluster: str) -> str:
    """"Pershore cluster profile", or for a custom area "Town centre: custom area profile"."""
    if cluster in bundle.custom_areas:
        return f"{cluster}: custom area profile"
    return f"{cluster} cluster profile"


def cluster_sentence(bundle: Bundle, cluster: str) -> str:
    """How big the cluster (or custom area) is: its small areas and schools."""
    areas = int(bundle.members(cluster).sum())
    if cluster in bundle.custom_areas:
        return (f"The custom area {cluster} covers {_n(areas, 'small area')} (LSOAs) of "
                f"{bundle.manifest.area_name}.")
    schools = int((bundle.schools["cluster"] == cluster).fillna(False).sum())
    return (f"The {cluster} cluster covers {_n(areas, 'small area')} (LSOAs) of "
            f"{bundle.manifest.area_name} and {_n(schools, 'school')}.")


def cluster_description(bundle: Bundle, cluster: str) -> str:
    clusters = bundle.clusters.set_index("cluster")
    if "description" not in clusters or cluster not in clusters.index:
        return ""
    text = clusters.at[cluster, "description"]
    return "" if pd.isna(text) else str(text)


def data_notes(bundle: Bundle, basis: str = BASIS_RESIDENCE) -> list[str]:
    """The title page's warnings: illustrative clusters, synthetic data. Indicators are
    counted as the profile counts them (each pupil indicator once, on `basis`), so the title
    page, the summary and the window give one number."""
    notes = []
    if bundle.manifest.description:
        notes.append(bundle.manifest.description)
    described = " ".join(bundle.clusters.get("description", pd.Series(dtype=str))
                         .dropna().astype(str)).lower()
    if "illustrative" in described and "illustrative" not in " ".join(notes).lower():
        notes.append("The clusters are illustrative.")
    indicators = indicators_for_basis(bundle, basis)
    synthetic = [ind for ind in indicators if ind.synthetic]
    if synthetic:
        notes.append(f"{len(synthetic)} of the {len(indicators)} indicators "
                     f"are {SYNTHETIC_LABEL} (marked † in tables): they describe no real child "
                     "or school and must not be quoted as facts.")
    return notes


def methods_notes(comparison: Comparison = DEFAULT) -> list[str]:
    """How the numbers were made, in plain words (what an analyst needs to trust them)."""
    return [
        "Cluster and county values are summed from small-area numerators and denominators, "
        "never averaged from percentages; means and scores (such as the IMD score) are "
        "weighted by population; directly standardised rates (2013 European Standard "
        "Population) and indirectly standardised ratios (the county's rates as reference) "
        "are summed age band by age band.",
        "Confidence intervals: Wilson score intervals for proportions; Byar's method for "
        "counts and rates with 10 or more events and the exact Poisson (chi-squared) method "
        "below 10; Dobson's method for directly standardised rates; Student's t (from a "
        "standard deviation) or the normal distribution (from a standard error) for means and "
        "scores, as in the PHE/OHID Fingertips tools. Tables show 95% intervals.",
        f"Significance at {comparison.level_text} confidence: {comparison.method} Verdicts "
        "are judged by whether higher is better or worse; \"higher\" or \"lower\" where it "
        "is neither; otherwise \"similar\". Counts and values without an interval are not "
        "compared.",
        f"Recent trend, as Fingertips: the {TREND_POINTS} most recent valid values, a "
        "chi-squared test for trend for proportions and a regression weighted by the inverse "
        "variance for rates, significant at 99.8% only if the direction holds when any one "
        "value is left out; not calculated for other value types, for fewer values, or where "
        "a suppressed value breaks the run.",
        f"Potential issues are the indicators where the cluster is significantly worse than "
        f"{comparison.benchmark}, the largest relative difference from the county first.",
    ]


def pooling_note(pool: int) -> str:
    """How pooled periods were made, for the notes of a pooled export."""
    return (f"Values combine each indicator's latest {pool} periods, as Fingertips pools "
            "small numbers: numerators and denominators are summed over the periods before "
            "any value, interval, comparison or suppression is worked out (means and scores "
            "are weighted by their denominators); an indicator with fewer periods combines "
            "all it has. Earlier periods are pooled in the same way, without overlap. Trends "
            "are tested on the single periods. Pooled values are suppressed so that, read "
            "with the single-period figures, they reveal no hidden count.")


def source_notes(bundle: Bundle) -> list[str]:
    """Each distinct source once, with how many indicators come from it."""
    sources: dict[str, int] = {}
    for ind in bundle.manifest.indicators:
        if ind.source:
            sources[ind.source] = sources.get(ind.source, 0) + 1
    return [f"{source} ({_n(n, 'indicator')})" for source, n in sources.items()]



ACCESSIBILITY_NOTE = (
    "This document is made to be read with a screen reader or magnifier as well as on paper: "
    "its headings mark the sections, every table has a caption and a header row repeated on "
    "each page and no merged cells, and every map and chart has alt text stating what it "
    "shows, with its numbers in the tables or the alt text. Colour is never the only way a "
    "comparison is shown: the words \"Better\", \"Similar\" and \"Worse\" say it too.")


def about_lines(manifest: Manifest, cluster: str, made: str, bundle_date: str) -> list[str]:
    """"About this document": what made it and from what, whom to ask, the licence and how
    it is accessible. `made` and `bundle_date` are dates as people write them."""
    contact = (f"Contact: {manifest.contact}" if manifest.contact else
               f"Contact: {manifest.producer}, who made the data bundle")
    return [
        f"This profile of the {cluster} cluster was made with {APP_NAME} on {made} from the "
        f"data bundle \"{manifest.title}\" made by {manifest.producer} on {bundle_date}.",
        f"{contact.rstrip('.')}. Ask there for this document in another format or with any "
        "question about its figures.",
        f"Licence: {manifest.licence.rstrip('.')}. {manifest.attribution}",
        ACCESSIBILITY_NOTE,
    ]
