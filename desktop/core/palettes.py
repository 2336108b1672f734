"""Colour-blind-safe palettes for map classes, significance and missing or suppressed areas.

The class palettes are ColorBrewer schemes (through matplotlib's colormaps) that ColorBrewer marks
colour-blind safe. Sequential palettes skip the near-white end so the lightest class never looks
like an area with no data. Significance uses blue for better and vermillion for worse (Okabe-Ito
colours, which differ in hue and lightness for every common colour-vision deficiency) and the
Fingertips light/dark blues for higher/lower where higher is neither better nor worse.
"""

from __future__ import annotations

import numpy as np
from matplotlib import colormaps
from matplotlib.colors import to_rgba, to_rgba_array

from desktop.core.classify import SUPPRESSED, Classification
from desktop.core.model import Polarity

PALETTES: dict[str, str] = {
    "Blues": "sequential", "Greens": "sequential", "Purples": "sequential",
    "Oranges": "sequential", "YlGnBu": "sequential", "YlOrRd": "sequential",
    "PuBu": "sequential", "BuPu": "sequential",
    "RdBu": "diverging", "PuOr": "diverging", "BrBG": "diverging", "RdYlBu": "diverging",
}
DEFAULT_SEQUENTIAL = "Blues"
DEFAULT_DIVERGING = "RdBu"

SIGNIFICANCE_COLOURS: dict[str, str] = {
    "better": "#0072B2",
    "similar": "#F0E4A0",
    "worse": "#D55E00",
    "higher": "#5555E6",
    "lower": "#BED2FF",
    "not compared": "#E4E4E4",  # lighter than the suppressed fill (#BDBDBD) on every map
}


class NoData:
    """How areas without a class look: a fill colour and a hatch the legend repeats."""

    MISSING_COLOUR = to_rgba("#FFFFFF")
    MISSING_HATCH = "...."
    SUPPRESSED_COLOUR = to_rgba("#BDBDBD")
    SUPPRESSED_HATCH = "////"
    HATCH_COLOUR = "#707070"


def palette_colours(name: str, k: int) -> np.ndarray:
    """k colours (k x 4 RGBA) sampled evenly from a ColorBrewer palette, light to dark."""
    if name not in PALETTES:
        raise KeyError(f"unknown palette {name!r}")
    if k <= 0:
        return np.empty((0, 4))
    lo, hi = (0.15, 0.95) if PALETTES[name] == "sequential" else (0.05, 0.95)
    stops = np.linspace(lo, hi, k) if k > 1 else np.array([(lo + hi) / 2])
    return colormaps[name](stops)


def significance_colours(categories: tuple[str, ...]) -> np.ndarray:
    """The colour of each significance class, in the order of `Classification.categories`."""
    return to_rgba_array([SIGNIFICANCE_COLOURS[c] for c in categories])


def polarity_colours(classification: Classification, county_value: float, polarity: Polarity,
                     name: str = DEFAULT_DIVERGING) -> np.ndarray:
    """Diverging class colours centred on the county value.

    The rule: the class whose range holds the county value takes the palette's neutral centre;
    each class further away takes one step more towards an end, with the same step size on both
    sides (so two classes equally far from the county are equally strong). The end a class goes
    to follows polarity: with RdBu, blue means better than the county and red worse, so for
    "higher is worse" the palette is reversed; with no judgement it is PuOr, purple for higher.
    Without a county value the palette is sequential instead.
    """
    k = classification.k
    bins = np.asarray(classification.bins)
    if k == 0 or bins.size == 0 or not np.isfinite(county_value):
        return palette_colours(DEFAULT_SEQUENTIAL, k)
    if polarity is Polarity.NO_JUDGEMENT and name == DEFAULT_DIVERGING:
        name = "PuOr"
    cmap = colormaps[name]
    centre = int(np.searchsorted(bins, county_value, side="left"))  # k when above every class
    steps = np.arange(k) - centre
    reach = max(centre, k - 1 - centre, 1)
    direction = -1.0 if polarity is Polarity.HIGHER_IS_WORSE else 1.0
    return cmap(0.5 + direction * 0.45 * steps / reach)


def face_colours(classification: Classification, class_colours: np.ndarray) -> np.ndarray:
    """One RGBA row per area: its class colour, or the missing/suppressed fill."""
    table = np.vstack([np.asarray(class_colours, float).reshape(-1, 4),
                       NoData.MISSING_COLOUR, NoData.SUPPRESSED_COLOUR])
    index = classification.class_index
    rows = np.where(index >= 0, index, np.where(index == SUPPRESSED, len(table) - 1,
                                                 len(table) - 2))
    return table[rows]
