"""What a map says, in words: the message of an exported map's title and the finding its alt
text and the window's description of the map lead with.

From the same `MapLayer` the map is coloured by (choropleth.map_layer), so the words and the
colours agree: how many of a cluster's small areas fall in the highest class (or are
significantly worse than the county), or where the chosen cluster stands among the clusters.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from desktop.core.format import format_value
from desktop.core.maps import classify
from desktop.core.maps.choropleth import MapLayer
from desktop.core.model import MAP_CLUSTERS, Bundle, Indicator, Significance
from desktop.core.plotting.annotate import Finding

SHARE_WORDS = {3: "third", 4: "quarter", 5: "fifth", 6: "sixth", 7: "seventh", 8: "eighth",
               9: "ninth"}


def _value(indicator: Indicator, value: float) -> str:
    return format_value(value, indicator.value_type, indicator.unit)


def _range(indicator: Indicator, values: np.ndarray, names: Sequence[str], what: str) -> str:
    """"small areas range from 2.1% in Worcester 010A to 9.8% in Redditch 004C"."""
    shown = np.flatnonzero(np.isfinite(values))
    if shown.size == 0:
        return f"no {what} has a value that can be shown"
    low, high = shown[np.argmin(values[shown])], shown[np.argmax(values[shown])]
    return (f"{what} range from {_value(indicator, values[low])} in {names[low]!s} to "
            f"{_value(indicator, values[high])} in {names[high]!s}")


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _rank(values: np.ndarray, row: int) -> str:
    """"the 3rd highest of 12 clusters" (or the highest, or the lowest)."""
    shown = values[np.isfinite(values)]
    above = int((shown > values[row]).sum())
    if above == 0:
        return f"the highest of {shown.size} clusters"
    if above == shown.size - 1:
        return f"the lowest of {shown.size} clusters"
    return f"the {_ordinal(above + 1)} highest of {shown.size} clusters"


def _in_top(layer: MapLayer, rows: np.ndarray) -> tuple[int, str]:
    """How many of `rows` are in the map's most telling class, and what that class is."""
    c = layer.classification
    if c.categories:
        worse = [k for k, cat in enumerate(c.categories)
                 if cat in (Significance.WORSE.value, Significance.HIGHER.value)]
        if not worse:
            return 0, ""
        top = worse[0]
        return (int((c.class_index[rows] == top).sum()),
                f"significantly {c.categories[top]} than the county")
    top = c.k - 1
    share = SHARE_WORDS.get(c.k) if c.scheme == "quantiles" and not c.zero_class else None
    where = (f"in the county's highest {share} ({c.labels[top]})" if share
             else f"in the highest class ({c.labels[top]})")
    return int((c.class_index[rows] == top).sum()), where


def map_finding(indicator: Indicator, layer: MapLayer, names: Sequence[str],
                clusters: Sequence[object], level: str, cluster: str | None = None) -> Finding:
    """The message of a map of `layer` whose rows are `names` (areas or clusters), each in
    the cluster given by `clusters` (for the cluster map, the clusters themselves), with
    `cluster` outlined (None: the whole county)."""
    values = np.asarray(layer.values, float)
    c = layer.classification
    if level == MAP_CLUSTERS:
        spread = _range(indicator, values, names, "clusters")
        spread = spread[:1].upper() + spread[1:]
        if cluster in names and np.isfinite(values[list(names).index(cluster)]):
            row = list(names).index(cluster)
            title = f"{cluster} {_value(indicator, values[row])}, {_rank(values, row)}"
            return Finding(title, f"{title}. {spread}.")
        return Finding(spread, f"{spread}.")
    if cluster is None or c.k == 0:
        spread = _range(indicator, values, names, "small areas")
        spread = spread[:1].upper() + spread[1:]
        return Finding(spread, f"{spread}.")
    rows = np.flatnonzero(np.asarray(clusters, dtype=object) == cluster)
    count, where = _in_top(layer, rows)
    title = (f"{count} of the {len(rows)} small areas in {cluster} are {where}" if where
             else f"The small areas of {cluster}")
    inside = _range(indicator, values[rows], [str(names[i]) for i in rows], "they")
    hidden = int((c.class_index[rows] == classify.SUPPRESSED).sum())
    suppressed = f"; {hidden} {'is' if hidden == 1 else 'are'} suppressed" if hidden else ""
    return Finding(title, f"{title}; {inside}{suppressed}.")


def bundle_map_finding(bundle: Bundle, indicator: Indicator, layer: MapLayer, level: str,
                       cluster: str | None, cluster_names: Sequence[str]) -> Finding:
    """`map_finding` for a map of `bundle`'s areas (by name), or of its clusters in
    `cluster_names` order (the drawn map's)."""
    if level == MAP_CLUSTERS:
        return map_finding(indicator, layer, list(cluster_names), list(cluster_names), level,
                           cluster)
    areas = bundle.areas
    names = areas["area_name" if "area_name" in areas.columns else "area_code"].to_numpy()
    return map_finding(indicator, layer, names, areas["cluster"].to_numpy(), level, cluster)
