"""What the map shows for one indicator and period: classes, colours, hover texts and, when
too few areas have a value to say anything, a warning.

The map shows small areas or whole clusters (mapplot.MAP_LEVELS); `level_values` gives the
rows of either, and the screen and every map export call `map_layer` on them, so the two can
never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from desktop.core.format import MISSING, decimals_for_values, format_interval, format_value
from desktop.core.maps.classify import Classification, classify
from desktop.core.maps.colours import polarity_colours, zero_class_colours
from desktop.core.model import (
    COUNTY,
    MAP_AREAS,
    MAP_CLUSTERS,
    Indicator,
    Polarity,
    ValueType,
)
from desktop.core.plotting.palettes import PALETTES, palette_colours, significance_colours
from desktop.core.stats.comparison import DEFAULT, Comparison
from desktop.core.stats.table import Statistics

MIN_MAPPED = 10  # fewer areas with a value to tell apart than this (and under half) is no map


@dataclass(frozen=True, eq=False)
class MapLayer:
    classification: Classification
    class_colours: np.ndarray  # k x 4 RGBA, one per class
    values: np.ndarray  # aligned with the level's rows; NaN where missing or suppressed
    warning: str | None = None  # too few values to map (few_values_warning)


def level_values(statistics: Statistics, indicator_id: str, period: str, level: str,
                 cluster_names: tuple[str, ...] = ()) -> tuple[pd.DataFrame, float]:
    """The statistics of the rows the map colours, and the county value: every area in
    bundle order, or every cluster in `cluster_names` order (the drawn clusters')."""
    clusters = statistics.cluster_values(indicator_id, period)
    county = float(clusters.loc[COUNTY, "value"])
    if level == MAP_CLUSTERS:
        return clusters.reindex(list(cluster_names)), county
    return statistics.area_values(indicator_id, period), county


def few_values_warning(classification: Classification, level: str, pooled: bool
                       ) -> str | None:
    """"Too few areas to map at this level ..." when fewer than MIN_MAPPED areas (and under
    half of them) have a value the classes tell apart, with what to try instead."""
    total = len(classification.class_index)
    graded = classification.n_graded
    if graded >= MIN_MAPPED or graded * 2 >= total:
        return None
    what = ("a value compared with the county" if classification.categories else
            "a value above zero" if classification.zero_class else "a value")
    hidden = (f"; {classification.n_suppressed:,} are suppressed"
              if classification.n_suppressed else "")
    tries = [t for t, ok in (("the cluster map", level == MAP_AREAS),
                             ("pooled periods", not pooled)) if ok]
    advice = f" Try {' or '.join(tries)}." if tries else ""
    if level == MAP_CLUSTERS:
        return f"Too few clusters to map: {graded} of {total} have {what}{hidden}.{advice}"
    return (f"Too few areas to map at this level: {graded} of {total:,} small areas have "
            f"{what}{hidden}.{advice}")


def map_layer(indicator: Indicator, values: pd.DataFrame, county_value: float,
              scheme: str, k: int, palette: str, comparison: Comparison = DEFAULT, *,
              level: str = MAP_AREAS, pooled: bool = False) -> MapLayer:
    """Classify the values of one level's rows (level_values) and colour the classes.

    A diverging palette is centred on the county value and oriented by polarity (better is
    blue with RdBu); a sequential one runs light to dark with the values; the significance
    scheme uses the fixed better/similar/worse colours, labelled at the level that judged
    them ("Worse 99.8%"). Class labels have the decimals the profile table gives the values
    (more only where class edges would otherwise read alike). `pooled` says whether the
    periods are pooled already (the warning then does not suggest it).
    """
    shown = values["value"].to_numpy(dtype=float)
    classification = classify(shown, scheme, k,
                              significance=values["significance"].astype(str).to_numpy(),
                              suppressed=values["suppressed"].to_numpy(dtype=bool),
                              decimals=decimals_for_values(indicator.value_type, shown))
    if scheme == "significance":
        classification = replace(classification, labels=tuple(
            comparison.label(c) for c in classification.categories))
        colours = significance_colours(classification.categories)
    elif PALETTES.get(palette) == "diverging":
        colours = polarity_colours(classification, county_value, Polarity(indicator.polarity),
                                   palette)
    elif classification.zero_class:
        colours = zero_class_colours(palette, classification.k)
    else:
        colours = palette_colours(palette, classification.k)
    if scheme == "significance" and indicator.value_type == ValueType.COUNT:
        warning = ("Counts are not compared with the county (a cluster's count is part of "
                   "it): choose another classification.")
    else:
        warning = few_values_warning(classification, level, pooled)
    return MapLayer(classification, colours, shown, warning)


def hover_text(indicator: Indicator, values: pd.DataFrame, position: int, name: str,
               cluster: str | None = None, *, compared: Comparison | None = None) -> str:
    """"Worcester 010A · Worcester North · 23.4% (95% CI 18.0 to 29.6)" for one area, or with
    a `compared` comparison "Bromsgrove cluster · 2.3% (95% CI 2.0 to 2.7) · better 95%"."""
    row = values.iloc[position]
    suppressed = bool(row["suppressed"])
    value = format_value(row["value"], indicator.value_type, indicator.unit, suppressed)
    parts = [name]
    if cluster:
        parts.append(cluster)
    text = value
    interval = format_interval(row["lower95"], row["upper95"], indicator.value_type, suppressed)
    if not suppressed and interval != MISSING:
        text += f" (95% CI {interval})"
    if suppressed:
        text += " (confidential: small numbers)"
    parts.append(text)
    if compared is not None and not suppressed:
        parts.append(compared.label(str(row["significance"])).lower())
    return " · ".join(parts)
