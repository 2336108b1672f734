"""Colour-blind-safe palettes for map classes, significance and missing or suppressed areas.

The class palettes are ColorBrewer schemes (through matplotlib's colormaps) that ColorBrewer marks
colour-blind safe, and beside them the Government Analysis Function's sequential blues (its
"Data visualisation: colours in charts" guidance,
https://analysisfunction.civilservice.gov.uk/policy-store/data-visualisation-colours-in-charts/,
whose hex values the Scottish Government's sgplot package also publishes), which government
publications are asked to use. The guidance gives three tints; a map of more classes takes
colours evenly between them. Sequential palettes skip the near-white end so the lightest class
never looks like an area with no data. Significance uses blue for better and vermillion for worse (Okabe-Ito
colours, which differ in hue and lightness for every common colour-vision deficiency) and the
Fingertips light/dark blues for higher/lower where higher is neither better nor worse.
"""

from __future__ import annotations

import numpy as np
from matplotlib import colormaps
from matplotlib.colors import Colormap, LinearSegmentedColormap, to_rgba, to_rgba_array

# The Analysis Function's colours (source above): its main categorical palette in the order
# the guidance asks for, its sequential tints (dark to light) and its focus pair.
AF_DARK_BLUE, AF_TURQUOISE, AF_DARK_PINK, AF_ORANGE = "#12436D", "#28A197", "#801650", "#F46A25"
AF_DARK_GREY, AF_LIGHT_PURPLE = "#3D3D3D", "#A285D1"
AF_MID_BLUE, AF_LIGHT_BLUE, AF_GREY = "#2073BC", "#6BACE6", "#BFBFBF"
AF_CATEGORICAL = (AF_DARK_BLUE, AF_TURQUOISE, AF_DARK_PINK, AF_ORANGE, AF_DARK_GREY,
                  AF_LIGHT_PURPLE)
AF_SEQUENTIAL = (AF_DARK_BLUE, AF_MID_BLUE, AF_LIGHT_BLUE)
AF_FOCUS = (AF_DARK_BLUE, AF_GREY)
AF_BLUES = "AF blues"

PALETTES: dict[str, str] = {
    "Blues": "sequential", "Greens": "sequential", "Purples": "sequential",
    "Oranges": "sequential", "YlGnBu": "sequential", "YlOrRd": "sequential",
    "PuBu": "sequential", "BuPu": "sequential", AF_BLUES: "sequential",
    "RdBu": "diverging", "PuOr": "diverging", "BrBG": "diverging", "RdYlBu": "diverging",
}
# where each palette comes from, for the palette chooser and the documentation
PALETTE_SOURCES: dict[str, str] = {
    **{name: "ColorBrewer" for name in PALETTES if name != AF_BLUES},
    AF_BLUES: "Government Analysis Function",
}
DEFAULT_SEQUENTIAL = "Blues"
DEFAULT_DIVERGING = "RdBu"
# the palettes that are not matplotlib's: light to dark along 0..1, like a ColorBrewer one
_OWN_COLORMAPS: dict[str, Colormap] = {
    AF_BLUES: LinearSegmentedColormap.from_list(AF_BLUES, AF_SEQUENTIAL[::-1]),
}

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


def colormap(name: str) -> Colormap:
    """The colour map of a palette in PALETTES, light (0) to dark (1) or diverging."""
    if name not in PALETTES:
        raise KeyError(f"unknown palette {name!r}")
    return _OWN_COLORMAPS.get(name) or colormaps[name]


def palette_label(name: str) -> str:
    """How the palette chooser names a palette: "Blues (ColorBrewer)"."""
    return f"{name} ({PALETTE_SOURCES[name]})"


def palette_colours(name: str, k: int, start: float | None = None) -> np.ndarray:
    """k colours (k x 4 RGBA) sampled evenly from a palette, light to dark, from `start`
    (0..1 along the palette) when given. ColorBrewer's near-white end is skipped; the
    Analysis Function's lightest tint is no near-white, so its palette is used whole."""
    if name not in PALETTES:
        raise KeyError(f"unknown palette {name!r}")
    if k <= 0:
        return np.empty((0, 4))
    if name in _OWN_COLORMAPS:
        lo, hi = 0.0, 1.0
    else:
        lo, hi = (0.15, 0.95) if PALETTES[name] == "sequential" else (0.05, 0.95)
    lo = lo if start is None else start
    stops = np.linspace(lo, hi, k) if k > 1 else np.array([(lo + hi) / 2])
    return colormap(name)(stops)


def significance_colours(categories: tuple[str, ...]) -> np.ndarray:
    """The colour of each significance class, in the order of `Classification.categories`."""
    return to_rgba_array([SIGNIFICANCE_COLOURS[c] for c in categories])


def needs_white_text(colour: str) -> bool:
    """Whether white text reads better than black on this fill (WCAG relative luminance)."""
    r, g, b = (int(colour.lstrip("#")[i:i + 2], 16) / 255 for i in (0, 2, 4))
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in (r, g, b)]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2] < 0.18
