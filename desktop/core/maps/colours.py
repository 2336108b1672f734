"""Colours of map classes: one fill per area, and diverging class colours centred on the county.

The palettes themselves (desktop.core.plotting.palettes) know nothing of classifications; this
module turns a `Classification` into the colours the map draws.
"""

from __future__ import annotations

import numpy as np

from desktop.core.maps.classify import SUPPRESSED, Classification
from desktop.core.model import Polarity
from desktop.core.plotting.palettes import (
    DEFAULT_DIVERGING,
    DEFAULT_SEQUENTIAL,
    NoData,
    colormap,
    palette_colours,
)


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
    cmap = colormap(name)
    centre = int(np.searchsorted(bins, county_value, side="left"))  # k when above every class
    steps = np.arange(k) - centre
    reach = max(centre, k - 1 - centre, 1)
    direction = -1.0 if polarity is Polarity.HIGHER_IS_WORSE else 1.0
    return cmap(0.5 + direction * 0.45 * steps / reach)


ZERO_STOP, GRADED_START = 0.12, 0.4  # where a sequential palette's zero class and the classes
# above zero sit: the zeros pale, the first class above them clearly darker


def zero_class_colours(name: str, k: int) -> np.ndarray:
    """Sequential colours when class 0 holds the zeros alone: a pale zero class, then k - 1
    classes from well beyond it, so one event never looks like none."""
    return np.vstack([colormap(name)(ZERO_STOP), palette_colours(name, k - 1, GRADED_START)])


def face_colours(classification: Classification, class_colours: np.ndarray) -> np.ndarray:
    """One RGBA row per area: its class colour, or the missing/suppressed fill."""
    table = np.vstack([np.asarray(class_colours, float).reshape(-1, 4),
                       NoData.MISSING_COLOUR, NoData.SUPPRESSED_COLOUR])
    index = classification.class_index
    rows = np.where(index >= 0, index, np.where(index == SUPPRESSED, len(table) - 1,
                                                 len(table) - 2))
    return table[rows]
