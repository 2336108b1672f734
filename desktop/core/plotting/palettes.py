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
    "not compared": "#E4E4E4",  # far paler than the suppressed fill (#A0A0A0), not hatched
}


class NoData:
    """How areas without a class look: a fill colour and a hatch the legend repeats.

    Suppressed is a mid grey, well apart from the pale "not compared" class of a significance
    map (the screen, which cannot afford hatching, tells them apart by lightness alone), and
    hatched in every export."""

    MISSING_COLOUR = to_rgba("#FFFFFF")
    MISSING_HATCH = "...."
    SUPPRESSED_COLOUR = to_rgba("#A0A0A0")
    SUPPRESSED_HATCH = "////"
    HATCH_COLOUR = "#474747"


def palette_colours(name: str, k: int, start: float | None = None) -> np.ndarray:
    """k colours (k x 4 RGBA) sampled evenly from a ColorBrewer palette, light to dark, from
    `start` (0..1 along the palette) when given."""
    if name not in PALETTES:
        raise KeyError(f"unknown palette {name!r}")
    if k <= 0:
        return np.empty((0, 4))
    lo, hi = (0.15, 0.95) if PALETTES[name] == "sequential" else (0.05, 0.95)
    lo = lo if start is None else start
    stops = np.linspace(lo, hi, k) if k > 1 else np.array([(lo + hi) / 2])
    return colormaps[name](stops)


def significance_colours(categories: tuple[str, ...]) -> np.ndarray:
    """The colour of each significance class, in the order of `Classification.categories`."""
    return to_rgba_array([SIGNIFICANCE_COLOURS[c] for c in categories])


def needs_white_text(colour: str) -> bool:
    """Whether white text reads better than black on this fill (WCAG relative luminance)."""
    r, g, b = (int(colour.lstrip("#")[i:i + 2], 16) / 255 for i in (0, 2, 4))
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in (r, g, b)]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2] < 0.18
