"""The profile's analysis pages: the cluster's similar clusters, and for its first potential
issue that is not itself a measure of deprivation the funnel plot (is the value unusual for the
cluster's size?) and the values by deprivation decile (does the indicator follow
deprivation?), each introduced in plain words.

The pictures come from the same charts as the window and export-chart (report.figures), the
similar clusters from stats.neighbours with the bundle's setting.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
from docx.document import Document as DocumentType

from desktop.core.errors import AtlasError
from desktop.core.format import format_value, title_with_unit
from desktop.core.model import NOT_APPLICABLE, Bundle, Indicator, ValueType
from desktop.core.report.figures import ReportFigures, add_figure
from desktop.core.report.profile_tables import intro, table_with_notes
from desktop.core.stats.funnel import STATISTIC_OF
from desktop.core.stats.inequality import DECILE_INDICATOR
from desktop.core.stats.neighbours import bundle_spec, similar_clusters
from desktop.core.stats.table import Statistics

Progress = Callable[[float, str], None]
FIRST_WIDTH_CM = 1.3  # the rank column; the name takes what the context columns leave
FUNNEL_WORDS = ("A funnel plot of the first potential issue. Small clusters' values wander "
                "further from the county's by chance than large ones', so the limits fan out "
                "to the left; a cluster outside them differs from the county by more than "
                "chance would explain at its size.")
INEQUALITY_WORDS = ("The same indicator in each tenth of small areas by national deprivation, "
                    "from the most deprived (1) to the least (10), in the county and in the "
                    "cluster. The slope index of inequality (SII) is the modelled gap between "
                    "the two ends: the steeper the line, the larger the gap.")


def add_analysis(doc: DocumentType, bundle: Bundle, stats: Statistics, cluster: str,
                 issues: pd.DataFrame, figures: ReportFigures, progress: Progress,
                 counter: list[int]) -> None:
    """The heading "Compared like with like" and what can be said under it."""
    doc.add_heading("Compared like with like", level=1)
    _similar(doc, bundle, stats, cluster)
    indicator = analysed_issue(bundle, issues)
    if indicator is None:
        return
    kind = ValueType(indicator.value_type)
    progress(0.82, f"{cluster}: {indicator.title}, funnel and deprivation")
    pages = []
    if kind in STATISTIC_OF:
        pages.append(("funnel", f"Is {cluster} unusual for its size?", FUNNEL_WORDS))
    if any(i.id == DECILE_INDICATOR for i in bundle.manifest.indicators):
        pages.append(("inequality", "Does it follow deprivation?", INEQUALITY_WORDS))
    for chart, question, words in pages:
        doc.add_heading(f"{question} {indicator.title}", level=2)
        intro(doc, words)
        add_figure(doc, figures.chart_picture(chart, indicator, cluster), counter)


def analysed_issue(bundle: Bundle, issues: pd.DataFrame) -> Indicator | None:
    """The first potential issue outside the deprivation indicator's theme (deprivation by
    deprivation decile says nothing new), or None."""
    manifest = bundle.manifest
    try:
        deprivation = manifest.indicator(manifest.deprivation_indicator or "").theme
    except KeyError:
        deprivation = None
    for indicator_id in issues["indicator_id"]:
        indicator = manifest.indicator(indicator_id)
        if indicator.theme != deprivation and indicator.id != DECILE_INDICATOR:
            return indicator
    return None


def _similar(doc: DocumentType, bundle: Bundle, stats: Statistics, cluster: str) -> None:
    doc.add_heading("Similar clusters", level=2)
    try:
        found = similar_clusters(bundle, stats, bundle_spec(bundle))
    except AtlasError as error:
        doc.add_paragraph(f"Similar clusters are not shown: {error}")
        return
    nearest = found.nearest(cluster)
    if nearest.empty:
        doc.add_paragraph(f"{cluster} cannot be placed among the clusters: it has no value of "
                          "a context indicator.")
        return
    intro(doc, f"The {len(nearest)} clusters most like {cluster} by "
              f"{found.basis().split(' by ', 1)[1]}, nearest first. The distance adds up how "
              "far apart two clusters are in each of these, each measured in standard "
              "deviations across the clusters (as CIPFA's nearest neighbours model does): "
              "the smaller, the more alike. Comparing a cluster with these, rather than with "
              "the whole county, compares like with like.")
    context = list(found.indicators)
    rows = [[NOT_APPLICABLE, f"{cluster} (this cluster)", NOT_APPLICABLE,
             *(_context(found, cluster, c) for c in context)]]
    rows += [[str(r.rank), r.cluster, f"{r.distance:.2f}",
              *(_context(found, r.cluster, c) for c in context)]
             for r in nearest.itertuples()]
    header = ("Rank", "Cluster", "Distance",
              *(title_with_unit(c.title, c.unit) for c in context))
    rest = (17.0 - FIRST_WIDTH_CM - 4.0 - 1.8) / max(len(context), 1)
    table_with_notes(doc, bundle, header, rows,
                     (FIRST_WIDTH_CM, 4.0, 1.8, *([rest] * len(context))),
                     right_aligned=tuple(range(2, 3 + len(context))), keep_together=True,
                     caption=f"The {len(nearest)} clusters most like {cluster}, nearest first: "
                     "their distance and their values of the indicators that measure it")


def _context(found, cluster: str, indicator) -> str:
    return format_value(found.context.at[cluster, indicator.id], indicator.value_type,
                        indicator.unit)
