"""What each chart says, in words: the message its title states and the finding its alt text
leads with.

The Government Analysis Function's guidance on charts asks for a title that states the main
message ("Redditch is significantly worse than the county") above a subtitle that says what
is measured, where and when; its accessibility guidance asks for alt text that gives the
finding, not the chart's name ("Redditch 4.1%, significantly worse than the county's 3.3%").
Both come from here, from the numbers the chart is drawn from, so the title, the window's
accessible description and the Word document's alt text cannot disagree. The functions take
the frames the charts prepare (`bars.ordered_clusters`, `trend.series_values`,
`distribution.finite_values`) and never draw.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import numpy as np
import pandas as pd

from desktop.core.charts.common import fmt
from desktop.core.model import Indicator, Significance, Trend
from desktop.core.plotting.annotate import Finding
from desktop.core.stats.comparison import COUNTY, DEFAULT, Comparison
from desktop.core.stats.trend import trend_words

JUDGED = (Significance.BETTER, Significance.WORSE, Significance.HIGHER, Significance.LOWER)
# a short word beside each bar: colour is never the only sign of a verdict
VERDICT_WORDS = {Significance.BETTER: "Better", Significance.WORSE: "Worse",
                 Significance.SIMILAR: "Similar", Significance.HIGHER: "Higher",
                 Significance.LOWER: "Lower", Significance.NOT_COMPARED: ""}


def _n(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def _are(count: int) -> str:
    return "is" if count == 1 else "are"


def verdict_word(significance: Significance | str) -> str:
    """"Worse", "Similar" ... ("" when not compared): the word beside a bar."""
    try:
        return VERDICT_WORDS[Significance(significance)]
    except ValueError:
        return ""


def _against(name: str, value: str, sig: Significance, county: str,
             comparison: Comparison) -> str:
    """"Redditch 4.1%, significantly worse than the county's 3.3% (95% confidence)"."""
    if sig in JUDGED:
        phrase = f"significantly {sig.value} than"
    elif sig is Significance.SIMILAR:
        phrase = "similar to"
    else:
        return f"{name} {value}; the county {county} (not compared)"
    level = f" ({comparison.level_text} confidence)" if sig in JUDGED else ""
    if comparison.against == COUNTY:
        return f"{name} {value}, {phrase} the county's {county}{level}"
    return f"{name} {value}, {phrase} {comparison.benchmark}{level}; the county {county}"


def _rank(name: str, values: pd.Series) -> str:
    """", the highest of the 12 clusters" when `name` has the highest (or lowest) value."""
    shown = values.dropna()
    if len(shown) < 2 or name not in shown.index:
        return ""
    if shown[name] == shown.max():
        return f", the highest of the {len(shown)} clusters"
    if shown[name] == shown.min():
        return f", the lowest of the {len(shown)} clusters"
    return ""


def _overview(indicator: Indicator, frame: pd.DataFrame, comparison: Comparison) -> str:
    """How many clusters are significantly worse (or better, higher, lower), or the range."""
    total = len(frame)
    counts = Counter(frame["significance"])  # 0 for a verdict no cluster has
    benchmark = comparison.benchmark
    if counts[Significance.HIGHER] or counts[Significance.LOWER]:
        higher, lower = counts[Significance.HIGHER], counts[Significance.LOWER]
        return (f"{higher} of {total} clusters {_are(higher)} significantly higher than "
                f"{benchmark} and {lower} lower")
    for sig in (Significance.WORSE, Significance.BETTER):
        if counts[sig]:
            return (f"{counts[sig]} of {total} clusters {_are(counts[sig])} significantly "
                    f"{sig.value} than {benchmark}")
    if counts[Significance.SIMILAR]:
        return f"No cluster is significantly different from {benchmark}"
    values = frame["value"].dropna()
    if values.empty:
        return f"No cluster has a value that can be shown for {indicator.title}"
    low, high = values.idxmin(), values.idxmax()
    return (f"Values range from {fmt(indicator, values[low])} in {low} to "
            f"{fmt(indicator, values[high])} in {high}")


def bar_finding(indicator: Indicator, frame: pd.DataFrame, county_value: float,
                highlight: str | None = None, comparison: Comparison = DEFAULT) -> Finding:
    """The message of a bar chart of every cluster (`frame`: bars.ordered_clusters), led by
    the `highlight` cluster when it has a value that was compared."""
    overview = _overview(indicator, frame, comparison)
    county = fmt(indicator, county_value)
    if highlight not in frame.index or not np.isfinite(frame.at[highlight, "value"]):
        hidden = highlight in frame.index and bool(frame.at[highlight, "suppressed"])
        lead = (f"{highlight}'s value is suppressed (small numbers). " if hidden else "")
        return Finding(overview, f"{lead}{overview}; the county {county}.")
    sig = Significance(frame.at[highlight, "significance"])
    value = fmt(indicator, frame.at[highlight, "value"])
    rank = _rank(highlight, frame["value"])
    sentence = f"{_against(highlight, value, sig, county, comparison)}{rank}. {overview}."
    if sig in JUDGED:
        return Finding(f"{highlight} is significantly {sig.value} than {comparison.benchmark}"
                       f"{rank}", sentence)
    if sig is Significance.SIMILAR:
        return Finding(f"{highlight} is similar to {comparison.benchmark}{rank}", sentence)
    return Finding(overview, sentence)


def _change(name: str, periods: Sequence[str], values: np.ndarray, indicator: Indicator) -> str:
    """"Stourport rose from 14.2% in 2018 to 36.1% in 2023" over the valid values."""
    valid = np.flatnonzero(np.isfinite(values))
    if valid.size == 0:
        return ""
    first, last = valid[0], valid[-1]
    v0, v1 = fmt(indicator, values[first]), fmt(indicator, values[last])
    if first == last:
        return f"{name} {v1} in {periods[last]}"
    if v0 == v1:
        return f"{name} stayed at {v1} from {periods[first]} to {periods[last]}"
    verb = "rose" if values[last] > values[first] else "fell"
    return f"{name} {verb} from {v0} in {periods[first]} to {v1} in {periods[last]}"


def trend_finding(indicator: Indicator, cluster_name: str, periods: Sequence[str],
                  cluster: pd.DataFrame, county: pd.DataFrame,
                  trend: Trend | str | None = None) -> Finding:
    """The message of a trend chart (`cluster`, `county`: trend.series_values by period)."""
    title = _change(cluster_name, periods, cluster["value"].to_numpy(float), indicator)
    if not title:
        title = f"No value of {cluster_name} can be shown: suppressed or missing"
    parts = [title]
    county_change = _change("the county", periods, county["value"].to_numpy(float), indicator)
    if county_change:
        parts.append(county_change)
    if trend is not None and Trend(trend) is not Trend.CANNOT:
        parts.append(f"recent trend: {trend_words(trend, indicator.polarity).lower()}")
    return Finding(title, "; ".join(parts) + ".")


def distribution_finding(indicator: Indicator, cluster_name: str, cluster_values: np.ndarray,
                         county_values: np.ndarray, suppressed: int = 0) -> Finding:
    """The message of the small-area distribution (finite values of the cluster's areas and
    the county's; `suppressed`: the cluster's suppressed areas)."""
    hidden = (f"; {_n(suppressed, 'area')} of {cluster_name} {_are(suppressed)} suppressed"
              if suppressed else "")
    if cluster_values.size == 0:
        title = f"None of {cluster_name}'s small areas has a value that can be shown"
        return Finding(title, f"{title}{hidden}.")
    low, high = fmt(indicator, cluster_values.min()), fmt(indicator, cluster_values.max())
    median = fmt(indicator, float(np.median(cluster_values)))
    title = (f"{cluster_name}'s {_n(cluster_values.size, 'small area')} range from {low} to "
             f"{high}, median {median}" if cluster_values.size > 1 else
             f"{cluster_name}'s one small area shown has {low}")
    county = (f", against a median of {fmt(indicator, float(np.median(county_values)))} across "
              f"the county's {_n(county_values.size, 'small area')}" if county_values.size
              else "")
    return Finding(title, f"{title}{county}{hidden}.")
