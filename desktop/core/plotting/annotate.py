"""Titles, subtitles and notes of a figure, for every chart and the exported map, and the
`Finding` a title states.

A chart or map is one Axes on its own figure; its title, subtitle, notes, source and the
synthetic-data label are figure-level texts aligned with the figure's left edge and wrapped to
its width, so the screen and every export read the same.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable
from dataclasses import dataclass

import matplotlib
from matplotlib.axes import Axes
from matplotlib.text import Annotation

from desktop.core.model import SYNTHETIC_LABEL
from desktop.core.plotting.style import MUTED_TEXT, style_context
from desktop.core.text import ELLIPSIS

LEFT_MARGIN = 0.012  # figure fraction before the title and notes
# lines before a text is cut with an ellipsis: a 10,000-character title filled the chart
TITLE_LINES, SUBTITLE_LINES, NOTE_LINES = 3, 3, 4


@dataclass(frozen=True)
class Finding:
    """What a chart or map says: `title`, the message its title states; `sentence`, the
    finding with its numbers, for alt text and the window's description of it."""

    title: str
    sentence: str


def annotate_chart(ax: Axes, title: str, subtitle: str = "", notes: Iterable[str] = (),
                   source: str = "", synthetic: bool = False) -> None:
    """Title and subtitle at the top of the figure; notes, source and the synthetic label below.

    As the Government Analysis Function asks, `title` states the chart's message and
    `subtitle` what is measured, where and when (charts.findings writes the message).

    They are figure-level texts (suptitle and supxlabel) aligned with the figure's left edge,
    so constrained layout reserves their height without squeezing the axes to fit their width;
    lines are wrapped to the figure width. Meant for one chart (or map) per figure.
    """
    fig = ax.get_figure(root=True)
    width_pt = fig.get_figwidth() * 72
    with style_context():
        base = matplotlib.rcParams["font.size"]
        subtitle = (wrap_to_width(subtitle, width_pt, base * 0.55, SUBTITLE_LINES)
                    if subtitle else "")
        # The title's empty last lines, one per line of the smaller subtitle, reserve the
        # room where the subtitle is drawn, so the layout keeps it clear of the title.
        heading = (wrap_to_width(title, width_pt, base * 1.2 * 0.62, TITLE_LINES)
                   + "\n" * (subtitle.count("\n") + 1 if subtitle else 0))
        top = fig.suptitle(heading, x=LEFT_MARGIN, ha="left", fontsize=base * 1.2,
                           fontweight="bold")
        for old in [a for a in fig.artists if a.get_gid() == "subtitle"]:
            old.remove()
        if subtitle:
            # anchored to the title's bottom-left corner, inside its reserved empty lines
            fig.add_artist(Annotation(
                subtitle, xy=(0, 0), xycoords=top, xytext=(0, 2), textcoords="offset points",
                ha="left", va="bottom", color=MUTED_TEXT, gid="subtitle",
                annotation_clip=False)).set_in_layout(False)
        lines = [line for line in notes if line]
        if source:
            lines.append(f"Source: {source}")
        if synthetic:
            lines.append(f"Data: {SYNTHETIC_LABEL}.")
        small = base * 0.85
        fig.supxlabel("\n".join(wrap_to_width(line, width_pt, small * 0.55, NOTE_LINES)
                                for line in lines),
                      x=LEFT_MARGIN, ha="left", fontsize=small, color=MUTED_TEXT,
                      linespacing=1.4)


def figure_title(figure) -> str:
    """The title `annotate_chart` gave a figure, on one line (for alt text and file metadata)."""
    return " ".join(figure.get_suptitle().split())


def wrap_to_width(text: str, width_pt: float, char_pt: float, max_lines: int | None = None
                  ) -> str:
    """`text` wrapped to lines that fit `width_pt` at about `char_pt` per character, at most
    `max_lines` of them (the last then ends in an ellipsis)."""
    return textwrap.fill(text, max(20, int(width_pt * (1 - 2 * LEFT_MARGIN) / char_pt)),
                         max_lines=max_lines, placeholder=f" {ELLIPSIS}")
