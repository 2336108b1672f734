"""What the map shows for one indicator and period: classes, colours and hover texts.

The screen and every map export call `map_layer`, so the two can never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from desktop.core.format import MISSING, format_interval, format_value
from desktop.core.maps.classify import Classification, classify
from desktop.core.maps.colours import polarity_colours
from desktop.core.model import Indicator, Polarity
from desktop.core.plotting.palettes import PALETTES, palette_colours, significance_colours


@dataclass(frozen=True, eq=False)
class MapLayer:
    classification: Classification
    class_colours: np.ndarray  # k x 4 RGBA, one per class
    values: np.ndarray  # aligned with the bundle's areas; NaN where missing or suppressed


def map_layer(indicator: Indicator, area_values: pd.DataFrame, county_value: float,
              scheme: str, k: int, palette: str) -> MapLayer:
    """Classify the areas' values and colour the classes.

    A diverging palette is centred on the county value and oriented by polarity (better is
    blue with RdBu); a sequential one runs light to dark with the values; the significance
    scheme uses the fixed better/similar/worse colours.
    """
    values = area_values["value"].to_numpy(dtype=float)
    suppressed = area_values["suppressed"].to_numpy(dtype=bool)
    significance = area_values["significance"].astype(str).to_numpy()
    classification = classify(values, scheme, k, significance=significance,
                              suppressed=suppressed)
    if scheme == "significance":
        colours = significance_colours(classification.categories)
    elif PALETTES.get(palette) == "diverging":
        colours = polarity_colours(classification, county_value, Polarity(indicator.polarity),
                                   palette)
    else:
        colours = palette_colours(palette, classification.k)
    return MapLayer(classification, colours, values)


def hover_text(indicator: Indicator, area_values: pd.DataFrame, position: int, name: str,
               cluster: str | None) -> str:
    """"Worcester 010A · Worcester North · 23.4% (95% CI 18.0 to 29.6)" for one area."""
    row = area_values.iloc[position]
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
    return " · ".join(parts)
