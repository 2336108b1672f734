"""One look for every chart: the shared matplotlib style, figures and figure export.

The screen and every export draw with the same plot functions onto figures made here, inside
the style in `resources/cluster-atlas.mplstyle`. Never pyplot: figures are plain
`matplotlib.figure.Figure` objects, so nothing depends on a global backend or figure manager.
"""

from __future__ import annotations

import contextlib
import io
import os
import threading
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from typing import IO

import matplotlib
import matplotlib.style
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from desktop.core.atomic import atomic_path
from desktop.core.errors import ExportError
from desktop.core.resources import resource_path

STYLE_FILE = "cluster-atlas.mplstyle"
CM_PER_INCH = 2.54
EXPORT_FORMATS = {".png": "png", ".svg": "svg", ".pdf": "pdf"}

# Significance colours are shared with the map: desktop.core.plotting.palettes.SIGNIFICANCE_COLOURS.
HIGHLIGHT_COLOUR = "#000000"
COUNTY_COLOUR = "#333333"
CLUSTER_COLOUR = "#1f4e79"
MUTED_TEXT = "#595959"


@lru_cache(maxsize=1)
def style_params() -> dict:
    """The rcParams of the shared style file, read once."""
    return dict(matplotlib.rc_params_from_file(str(resource_path(STYLE_FILE)),
                                               use_default_template=False))


# rcParams are one global dict: an export worker and the GUI thread each entering rc_context
# would save and restore each other's values, and could leave the style in force for good.
# One thread at a time applies the style (re-entrant: style blocks nest).
_STYLE_LOCK = threading.RLock()


@contextlib.contextmanager
def style_context() -> Iterator[None]:
    """Apply the shared style for the artists created (and figures drawn) inside the block."""
    with _STYLE_LOCK, matplotlib.rc_context(style_params()):
        yield


def prepare_axes(ax: Axes) -> Axes:
    """Clear `ax` and give it the shared style, whatever style was in force when it was made.

    Axes read rcParams when created (spines) or when their ticks are first made (often at draw
    time, outside any style context), so a chart restyles its Axes before drawing.
    """
    with style_context():
        rc = matplotlib.rcParams
        ax.clear()
        for name, spine in ax.spines.items():
            spine.set_visible(rc[f"axes.spines.{name}"])
            spine.set_edgecolor(rc["axes.edgecolor"])
            spine.set_linewidth(rc["axes.linewidth"])
            spine.get_spine_transform()  # places the spine now: placing it later resets ticks
        ax.set_axisbelow(rc["axes.axisbelow"])
        ax.set_facecolor(rc["axes.facecolor"])
        # ax.clear() made the tick lists lazy: make the first tick now, in the style; every
        # later tick copies its look from it
        for axis in (ax.xaxis, ax.yaxis):
            axis.majorTicks[0]  # noqa: B018
    return ax


def forget_drawn_text() -> None:
    """Empty matplotlib's caches of drawn text: the size of every string it measured (cluster
    names, titles, figures) and parsed math stay there after the figures are gone. Called when
    the window locks or closes a bundle."""
    from matplotlib import mathtext, text

    # matplotlib keeps one lru_cache of text sizes per renderer, in a default argument
    renderers = (text._get_text_metrics_function.__defaults__ or ({},))[0]
    for metrics in list(renderers.values()):
        metrics.cache_clear()
    renderers.clear()
    mathtext.MathTextParser._parse_cached.cache_clear()


def new_figure(width_cm: float = 16.0, height_cm: float = 10.0) -> Figure:
    """A fresh Figure (no pyplot) in the shared style, sized in centimetres."""
    with style_context():
        return Figure(figsize=(width_cm / CM_PER_INCH, height_cm / CM_PER_INCH),
                      layout="constrained")


def export_figure(figure: Figure, path: str | os.PathLike, width_cm: float = 16.0,
                  dpi: int = 300, *, title: str | None = None,
                  description: str | None = None) -> None:
    """Write `figure` as PNG, SVG or PDF (by the extension) at `width_cm`, atomically.

    The height keeps the figure's aspect ratio; the width is rounded to a whole number of
    pixels at `dpi` so a 16 cm PNG at 300 dpi is exactly 1890 pixels wide and records 300 dpi.
    `title` and `description` (alt text) go into the file's metadata.
    """
    dest = Path(path)
    fmt = EXPORT_FORMATS.get(dest.suffix.lower())
    if fmt is None:
        raise ExportError(f"Cannot write {dest}: choose a file name ending in "
                          f"{', '.join(EXPORT_FORMATS)}.")
    with atomic_path(dest) as tmp:
        save_figure(figure, tmp, fmt, width_cm, dpi, _metadata(fmt, title, description))


def save_figure(figure: Figure, target: str | os.PathLike | IO[bytes], fmt: str,
                width_cm: float = 16.0, dpi: int = 300, metadata: dict | None = None) -> None:
    """savefig at print size to a path or binary file, then give the figure its size back.

    Width and height are rounded to whole pixels at `dpi` (Agg would truncate 1889.76 to 1889).
    """
    old_size = figure.get_size_inches()
    width_px = round(width_cm / CM_PER_INCH * dpi)
    height_px = round(width_px * old_size[1] / old_size[0])
    try:
        figure.set_size_inches(width_px / dpi, height_px / dpi, forward=False)
        with style_context():
            figure.savefig(target, format=fmt, dpi=dpi, metadata=metadata)
    finally:
        figure.set_size_inches(*old_size, forward=False)


def png_bytes(figure: Figure, width_cm: float = 16.0, dpi: int = 300,
              title: str | None = None) -> bytes:
    """The figure as PNG bytes at print size (for the clipboard and Word documents)."""
    buffer = io.BytesIO()
    save_figure(figure, buffer, "png", width_cm, dpi, _metadata("png", title, None))
    return buffer.getvalue()


def _metadata(fmt: str, title: str | None, description: str | None) -> dict[str, str]:
    keys = {"png": ("Title", "Description"), "svg": ("Title", "Description"),
            "pdf": ("Title", "Subject")}[fmt]
    return {key: text for key, text in zip(keys, (title, description)) if text}
