"""Classification of area values into map classes: a small registry of schemes.

Quantiles and equal intervals are mapclassify's (`Quantiles`, `EqualInterval`), computed here
with numpy the way mapclassify computes them: importing mapclassify 2.10 imports scikit-learn
(for its KMeans classifier), which cost the window 57 MB of resident memory and half a second
of opening for two one-line formulas. Natural breaks is the Fisher-Jenks optimum computed here
with numpy: mapclassify's version is pure Python without numba (116 ms for 364 values, 3.5 s
for 2,000), far over the 50 ms budget for switching an indicator. The tests check all three
against mapclassify (classes, counts and breaks). Significance is categorical: each area's
significance against the county becomes its class.

Rare events leave most small areas at zero: when zeros are common (ZERO_SHARE of the values
shown, and at least ZERO_MIN of them) and no value is negative, zero is a class of its own and
the other classes are formed on the values above zero, so the few areas with events are told
apart instead of sharing one class with the zeros.

Areas without a value get class MISSING (-1) and suppressed areas class SUPPRESSED (-2); the
legend counts them separately, under the table markers "[x]" and "[c]".
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from desktop.core import model
from desktop.core.errors import AtlasError

MISSING = -1
SUPPRESSED = -2
SUPPRESSED_LABEL = f"{model.SUPPRESSED} confidential: small numbers"
MISSING_LABEL = f"{model.NOT_AVAILABLE} not available: no value"
MIN_CLASSES, MAX_CLASSES = 3, 9
MAX_LABEL_DECIMALS = 3  # closer class edges than this read as equal in the legend
JENKS_SAMPLE = 1000  # natural breaks on more values run on this many evenly spaced order statistics
ZERO_SHARE, ZERO_MIN = 0.1, 3  # zeros this common (share of the values shown, and at least
# this many) take a class of their own


@dataclass(frozen=True, eq=False)
class Classification:
    """Classes of the areas' values; class_index is aligned with the values (-1/-2: no class)."""

    scheme: str
    class_index: np.ndarray
    labels: tuple[str, ...]
    counts: tuple[int, ...]
    bins: tuple[float, ...] = ()  # upper bound of each numeric class; empty for significance
    categories: tuple[str, ...] = ()  # significance keys of each class; empty for numeric
    n_missing: int = 0
    n_suppressed: int = 0
    zero_class: bool = False  # class 0 holds the zeros alone, the others the values above

    @property
    def n_graded(self) -> int:
        """Areas the classes tell apart: those with a value, less the zero class; for
        significance, those compared with the county."""
        if self.categories:
            return sum(n for cat, n in zip(self.categories, self.counts)
                       if cat != NOT_COMPARED)
        return sum(self.counts) - (self.counts[0] if self.zero_class else 0)

    @property
    def k(self) -> int:
        """The number of classes actually formed (may be below the k asked for)."""
        return len(self.labels)

    def label_of(self, area: int) -> str:
        """The legend text of the class an area falls in, e.g. for a hover tip."""
        cls = int(self.class_index[area])
        if cls == SUPPRESSED:
            return SUPPRESSED_LABEL
        if cls == MISSING:
            return MISSING_LABEL
        return self.labels[cls]


def format_number(x: float, decimals: int) -> str:
    return f"{x:,.{decimals}f}"


def label_decimals(edges: np.ndarray, at_least: int | None = None) -> int:
    """Decimals for class edges, at most MAX_LABEL_DECIMALS. Given `at_least` (the profile
    table's, so legend and table agree): the fewest from there that tell the edges apart.
    Otherwise enough for two significant digits of the closest edges; none for whole numbers."""
    distinct = np.unique(edges)
    if at_least is not None:
        for d in range(at_least, MAX_LABEL_DECIMALS):
            if np.unique(np.round(distinct, d)).size == distinct.size:
                return d
        return max(at_least, MAX_LABEL_DECIMALS)
    if np.all(distinct == np.round(distinct)):
        return 0
    steps = np.diff(distinct)
    step = float(steps.min()) if steps.size else abs(float(distinct[0]))
    return int(min(MAX_LABEL_DECIMALS, max(0, 1 - math.floor(math.log10(step)))))


def range_labels(lowest: float, bins: np.ndarray, decimals: int | None = None) -> tuple[str, ...]:
    """Legend texts "low – high" for classes with upper bounds `bins` starting at `lowest`,
    with `label_decimals(edges, decimals)` decimals."""
    edges = np.concatenate([[lowest], bins])
    d = label_decimals(edges, decimals)
    # a class holding one value (e.g. every zero) reads as that value, not "0 – 0"
    return tuple(format_number(hi, d) if format_number(lo, d) == format_number(hi, d)
                 else f"{format_number(lo, d)} – {format_number(hi, d)}"
                 for lo, hi in zip(edges[:-1], edges[1:]))


def _tie_aware_labels(y: np.ndarray, classes: np.ndarray, bins: np.ndarray,
                      lowest: float, decimals: int | None = None) -> tuple[str, ...]:
    """`range_labels`, except that a class of one repeated value reads as that value ("0",
    "100.0") and the class after it starts at its own smallest value ("2 – 6", not "0 – 6",
    which would seem to include the zeros)."""
    labels = list(range_labels(lowest, bins, decimals))
    d = label_decimals(np.concatenate([[lowest], bins]), decimals)
    single = [False] * len(bins)
    for c in range(len(bins)):
        members = y[classes == c]
        if not members.size:
            continue
        single[c] = members.min() == members.max()
        if single[c]:
            labels[c] = format_number(float(members[0]), d)
        elif c and single[c - 1]:
            labels[c] = f"{format_number(float(members.min()), d)} – {format_number(bins[c], d)}"
    return tuple(labels)


def _quantile_bins(y: np.ndarray, k: int) -> np.ndarray:
    """Quantile classes; a value so common that it fills whole quantiles (every zero of a rare
    event, every 100% of a near-universal one) takes a class of its own and the other values
    share the remaining classes, instead of collapsing the map to two classes."""
    step = 100.0 / k  # the percentiles of mapclassify.classifiers.quantile
    percentiles = np.arange(step, 100 + step, step)
    percentiles[-1] = min(percentiles[-1], 100.0)
    bins = np.unique(np.percentile(y, percentiles))  # linear, as scipy's scoreatpercentile
    if bins.size >= k or k < 2:
        return bins
    low, high = y.min(), y.max()
    for tied, rest, own_first in ((low, y[y > low], True), (high, y[y < high], False)):
        if (y == tied).sum() * k >= y.size and np.unique(rest).size >= 2:
            others = _quantile_bins(rest, k - 1)
            return np.concatenate([[tied], others] if own_first else [others, [tied]])
    return bins


def _equal_interval_bins(y: np.ndarray, k: int) -> np.ndarray:
    """k classes of equal width from the smallest value to the largest (mapclassify's
    EqualInterval: the same steps, the last class ending at the largest value)."""
    low, high = float(y.min()), float(y.max())
    width = (high - low) * 1.0 / k
    cuts = np.arange(low + width, high + width, width)[:k]
    cuts[-1] = high
    return cuts


def fisher_jenks_bins(y: np.ndarray, k: int) -> np.ndarray:
    """Upper bounds of the k classes minimising the within-class sum of squared deviations."""
    full = x = np.sort(np.asarray(y, dtype="f8"))
    if x.size > JENKS_SAMPLE:  # deterministic stand-in for sampling: evenly spaced ranks
        x = x[np.linspace(0, x.size - 1, JENKS_SAMPLE).round().astype(int)]
    n = x.size
    k = min(k, n)
    s1 = np.concatenate([[0.0], np.cumsum(x)])
    s2 = np.concatenate([[0.0], np.cumsum(x * x)])
    a = np.arange(n)[:, None]  # first value of a class
    b = np.arange(n)[None, :]  # last value of a class
    with np.errstate(divide="ignore", invalid="ignore"):
        ssd = (s2[b + 1] - s2[a]) - (s1[b + 1] - s1[a]) ** 2 / (b - a + 1)
    ssd = np.where(a <= b, ssd, np.inf)
    cost = ssd[0]
    starts = []
    for _ in range(1, k):
        total = cost[:-1, None] + ssd[1:]  # class begins at a >= 1, previous ends at a - 1
        best = total.argmin(axis=0)
        starts.append(best + 1)
        cost = total[best, np.arange(n)]
    bins = [x[-1]]
    end = n - 1
    for start in reversed(starts):
        a_j = int(start[end])
        if full is x:
            bins.append(x[a_j - 1])
        else:  # a sampled break moves to the widest gap between the two sampled neighbours
            between = full[np.searchsorted(full, x[a_j - 1]):np.searchsorted(full, x[a_j]) + 1]
            bins.append(between[np.diff(between).argmax()] if between.size > 1 else x[a_j - 1])
        end = a_j - 1
    return np.array(bins[::-1])


BinsFunction = Callable[[np.ndarray, int], np.ndarray]

SCHEMES: dict[str, tuple[str, BinsFunction | None]] = {
    "quantiles": ("Quantiles", _quantile_bins),
    "equal_interval": ("Equal intervals", _equal_interval_bins),
    "natural_breaks": ("Natural breaks (Jenks)", fisher_jenks_bins),
    "significance": ("Significance against the county", None),
}

# Significance classes in legend order; which three apply depends on the indicator's polarity.
JUDGED = ("better", "similar", "worse")
UNJUDGED = ("higher", "similar", "lower")
NOT_COMPARED = "not compared"


def scheme_title(scheme: str) -> str:
    return SCHEMES[scheme][0]


def classify(values: np.ndarray, scheme: str, k: int, significance: Sequence[str] | None = None,
             suppressed: np.ndarray | None = None,
             decimals: int | None = None) -> Classification:
    """Put each area into a class of `scheme`; fewer classes than k when the values allow fewer.
    Class labels have at least `decimals` decimals when given (the table's, from
    format.decimals_for_values), more only to tell class edges apart."""
    if scheme not in SCHEMES:
        raise AtlasError(f"Unknown classification '{scheme}'; choose one of: "
                         + ", ".join(SCHEMES))
    if not MIN_CLASSES <= int(k) <= MAX_CLASSES:
        raise AtlasError(f"Choose between {MIN_CLASSES} and {MAX_CLASSES} classes (not {k}).")
    values = np.asarray(values, dtype="f8")
    hidden = np.zeros(values.shape, bool) if suppressed is None else np.asarray(suppressed, bool)
    if scheme == "significance":
        if significance is None or len(significance) != len(values):
            raise ValueError("significance must give one entry per area")
        return _classify_significance(significance, hidden)
    valid = np.isfinite(values) & ~hidden
    index = np.full(values.shape, MISSING, dtype=np.int64)
    index[hidden] = SUPPRESSED
    y = values[valid]
    bins: np.ndarray = np.empty(0)
    labels: tuple[str, ...] = ()
    zeros = int((y == 0).sum())
    zero_class = bool(zeros >= max(ZERO_MIN, ZERO_SHARE * y.size) and y.min() == 0
                      and (y > 0).any())
    if y.size:
        graded = y[y > 0] if zero_class else y
        bins, labels = _numeric_classes(graded, scheme, int(k) - zero_class, decimals)
        if zero_class:
            bins, labels = np.r_[0.0, bins], ("0", *labels)
        index[valid] = np.searchsorted(bins, y, side="left")
    counts = np.bincount(index[valid], minlength=len(labels)) if labels else np.empty(0, int)
    return Classification(scheme, index, labels, tuple(int(c) for c in counts),
                          bins=tuple(float(b) for b in bins),
                          n_missing=int((~valid & ~hidden).sum()), n_suppressed=int(hidden.sum()),
                          zero_class=zero_class)


def _numeric_classes(y: np.ndarray, scheme: str, k: int, decimals: int | None = None
                     ) -> tuple[np.ndarray, tuple[str, ...]]:
    """Upper bounds and legend labels (at least `decimals` decimals) of at most k classes of
    `scheme` over the values y."""
    distinct = np.unique(y)
    if distinct.size == 1:
        bins = distinct
    else:
        bins = np.unique(SCHEMES[scheme][1](y, min(k, distinct.size)))
    bins[-1] = max(bins[-1], distinct[-1])  # guard against rounding below the maximum
    if scheme == "quantiles":
        return bins, _tie_aware_labels(y, np.searchsorted(bins, y, side="left"), bins,
                                       float(distinct[0]), decimals)
    return bins, range_labels(float(distinct[0]), bins, decimals)


def _significance_key(value: object) -> str:
    """'better', 'worse', ... from a Significance member, its value, or None/NaN (not compared)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return NOT_COMPARED
    return str(getattr(value, "value", value)).strip().lower() or NOT_COMPARED


def _classify_significance(significance: Sequence[str], hidden: np.ndarray) -> Classification:
    keys = np.array([_significance_key(s) for s in significance], dtype=object)
    unjudged = np.isin(keys, ("higher", "lower")).any() and not np.isin(keys, JUDGED[::2]).any()
    categories = UNJUDGED if unjudged else JUDGED
    unknown = set(keys) - set(categories) - {NOT_COMPARED}
    if unknown:
        raise ValueError(f"unexpected significance values: {sorted(unknown)}")
    if (keys[~hidden] == NOT_COMPARED).any():
        categories = categories + (NOT_COMPARED,)
    index = np.full(keys.shape, MISSING, dtype=np.int64)
    for i, cat in enumerate(categories):
        index[keys == cat] = i
    index[hidden] = SUPPRESSED
    counts = tuple(int((index == i).sum()) for i in range(len(categories)))
    return Classification("significance", index, tuple(c.capitalize() for c in categories),
                          counts, categories=categories, n_suppressed=int(hidden.sum()))
