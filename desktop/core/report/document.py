"""A cluster profile as a Word document (.docx), for one cluster or all of them.

The document holds a title page, a summary written from the numbers, the potential issues,
the most deprived small areas, the map, charts of each potential issue (led by the cluster
map when its small areas are too few to map), the whole profile table by theme, notes on
suppression, pooling, methods and sources, and "About this document" (who made it, whom to
ask, the licence). It is built to GOV.UK's guidance on accessible documents (report.word):
headings in order, every table captioned, every picture with alt text that states its finding,
everything in reading order. With pooled periods
(stats.pooling) every number is the pooled one. Every number comes
from desktop.core.stats.profile and is written with desktop.core.format, so suppressed values read
"[c]" exactly as on screen, and every table has the meaning of the markers it uses written
under it. Each document is made in memory and written in one atomic step
(desktop.core.atomic), so no finished profile waits on disk under a hidden name: cancelling
one export leaves nothing behind, and cancelling the export of every cluster keeps the
profiles already complete and says which.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
from collections.abc import Callable
from pathlib import Path

import pandas as pd
from docx.document import Document as DocumentType
from docx.shared import Pt

from desktop.core.atomic import write_bytes_atomic
from desktop.core.charts.options import ChartOptions
from desktop.core.errors import Cancelled, ExportError
from desktop.core.model import BASIS_RESIDENCE, BASIS_SCHOOL, MAP_CLUSTERS, Bundle
from desktop.core.report.analysis import add_analysis
from desktop.core.report.batch import make_profiles
from desktop.core.report.figures import ReportFigures, add_figure
from desktop.core.report.profile_tables import (
    crossborder_tables,
    deprived_table,
    intro,
    issues_table,
    map_indicator,
    profile_table,
)
from desktop.core.report.tables import (
    suppression_note,
)
from desktop.core.report.text import (
    about_lines,
    cluster_description,
    cluster_sentence,
    data_notes,
    methods_notes,
    pooling_note,
    profile_title,
    source_notes,
    summary_sentence,
)
from desktop.core.report.word import (
    add_bullets,
    new_document,
)
from desktop.core.stats.aggregate import Statistics
from desktop.core.stats.comparison import Comparison
from desktop.core.stats.inequality import SinglePeriods
from desktop.core.stats.pooling import Pooled
from desktop.core.stats.profile import (
    cluster_profile,
    has_school_basis,
    potential_issues,
    summary_counts,
)
from desktop.core.tasks import Task

MAX_ISSUE_CHARTS = 6
Progress = Callable[[float, str], None]
BASIS_NOTES = {
    BASIS_RESIDENCE: "Indicators made from pupil records count each pupil in the small area "
                     "where they live, so a cluster's figures describe the children living in "
                     "its areas, wherever they go to school.",
    BASIS_SCHOOL: "Indicators made from pupil records count each pupil at their school, so a "
                  "cluster's figures describe the children attending its schools, wherever "
                  "they live.",
}


def profile_filename(cluster: str) -> str:
    """A safe file name for a cluster's profile: "Tenbury & Martley" -> tenbury-martley-..."""
    slug = re.sub(r"[^a-z0-9]+", "-", cluster.lower()).strip("-") or "cluster"
    return f"{slug}-profile.docx"


def _title_page(doc: DocumentType, bundle: Bundle, cluster: str, basis: str) -> None:
    manifest = bundle.manifest
    doc.add_paragraph(profile_title(bundle, cluster), style="Title")
    lead = doc.add_paragraph()
    lead.add_run(manifest.title).font.size = Pt(14)
    doc.add_paragraph(f"Compared with {manifest.area_name} as a whole. Produced on "
                      f"{_date(dt.date.today().isoformat())} from the data bundle of "
                      f"{_date(manifest.created)}.")
    description = cluster_description(bundle, cluster)
    if description:
        doc.add_paragraph(description)
    notes = data_notes(bundle, basis)
    if notes:
        doc.add_heading("Please note", level=1)
        add_bullets(doc, notes)


def _date(iso: str) -> str:
    """"2024-03-05..." as "5 March 2024" (the text as given when it is not a date)."""
    try:
        day = dt.date.fromisoformat(iso[:10])
    except ValueError:
        return iso
    return f"{day.day} {day:%B %Y}"


def _notes(doc: DocumentType, bundle: Bundle, basis: str, comparison: Comparison,
           pool: int) -> None:
    manifest = bundle.manifest
    doc.add_heading("Notes", level=1)
    if has_school_basis(bundle):
        doc.add_heading("Where pupils are counted", level=2)
        doc.add_paragraph(BASIS_NOTES[basis])
    doc.add_heading("Small numbers", level=2)
    doc.add_paragraph(suppression_note(bundle))
    doc.add_paragraph("Counts are hidden so that no hidden count can be worked out, or narrowed "
                      "to a range narrower than the threshold, from this profile together with "
                      "every other table, chart and profile made from the same data bundle, "
                      "however they are combined (see the Cluster Atlas guide to disclosure "
                      "control).")
    if pool > 1:
        doc.add_heading("Pooled periods", level=2)
        doc.add_paragraph(pooling_note(pool))
    doc.add_heading("Methods", level=2)
    add_bullets(doc, methods_notes(comparison))
    doc.add_heading("Sources", level=2)
    add_bullets(doc, [*source_notes(bundle), f"Boundaries: {manifest.geography_vintage}"])


def _about(doc: DocumentType, bundle: Bundle, cluster: str) -> None:
    """Who made the document, whom to ask about it, how it may be used and how it was made
    accessible: the last section, as GOV.UK publications end."""
    manifest = bundle.manifest
    doc.add_heading("About this document", level=1)
    for line in about_lines(manifest, cluster, _date(dt.date.today().isoformat()),
                            _date(manifest.created)):
        doc.add_paragraph(line)


def _charts(doc: DocumentType, stats: Statistics, cluster: str, issues: pd.DataFrame,
            figures: ReportFigures, progress: Progress, counter: list[int], pool: int) -> None:
    """Bars across clusters and the trend of each potential issue (or deprivation if none),
    after the cluster map where the issue's small areas are too few to map."""
    manifest = figures.bundle.manifest
    if issues.empty:
        doc.add_heading("Chart", level=1)
        intro(doc, "With no potential issues to chart, this chart shows deprivation across "
               "the clusters.")
        charted = [map_indicator(figures.bundle)]
    else:
        doc.add_heading("Charts of the potential issues", level=1) \
            .paragraph_format.page_break_before = True
        charted = [manifest.indicator(i) for i in issues["indicator_id"].head(MAX_ISSUE_CHARTS)]
        if len(issues) > len(charted):
            intro(doc, f"The first {len(charted)} of the {len(issues)} potential issues, "
                   "each across all clusters and over time.")
    for k, indicator in enumerate(charted):
        progress(0.2 + 0.6 * k / len(charted), f"{cluster}: {indicator.title}")
        if not issues.empty:
            doc.add_heading(indicator.title, level=2)
            if figures.too_few_areas(indicator):
                add_figure(doc, figures.map_picture(indicator, cluster, MAP_CLUSTERS, pool),
                           counter)
        add_figure(doc, figures.chart_picture("bars", indicator, cluster), counter)
        if len(stats.periods(indicator.id)) > 1:
            add_figure(doc, figures.chart_picture("trend", indicator, cluster), counter)


def build_profile(bundle: Bundle, stats: Statistics, cluster: str, figures: ReportFigures,
                  progress: Progress, basis: str = BASIS_RESIDENCE, pool: int = 1
                  ) -> DocumentType:
    """The whole document for one cluster; `progress(fraction, message)` may cancel. Pupil
    indicators are counted on `basis` (where pupils live, or where they go to school), as in
    the window the export was made from. `pool` > 1: bundle and stats are pooled periods'
    (Pooled.bundle, Pooled.statistics), and the text says so."""
    if cluster not in bundle.cluster_names:
        raise ExportError(f"There is no cluster called {cluster!r} in this bundle; choose one "
                          f"of {', '.join(bundle.cluster_names)}.")
    profile = cluster_profile(bundle, stats, cluster, basis=basis)
    issues = potential_issues(profile)
    comparison = stats.comparison
    doc = new_document(profile_title(bundle, cluster), bundle.manifest.title)
    counter = [0]
    _title_page(doc, bundle, cluster, basis)

    doc.add_heading("Summary", level=1)
    doc.add_paragraph(f"{cluster_sentence(bundle, cluster)} "
                      + summary_sentence(summary_counts(profile),
                                         int(profile["suppressed"].sum()), comparison))
    doc.add_heading("Potential issues", level=1)
    if issues.empty:
        doc.add_paragraph(f"No indicator is significantly worse than {comparison.benchmark} "
                          f"({comparison.level_text} confidence) in this cluster.")
    else:
        intro(doc, f"Indicators where the cluster is significantly worse than "
               f"{comparison.benchmark} at {comparison.level_text} confidence, the largest "
               "relative difference from the county first.")
        issues_table(doc, bundle, issues, cluster, comparison, pool)
    doc.add_heading("Most deprived small areas", level=1)
    deprived_table(doc, bundle, stats, cluster)

    crossborder_tables(doc, bundle, cluster)

    progress(0.1, f"{cluster}: map")
    doc.add_heading("Map", level=1)
    add_figure(doc, figures.map_picture(map_indicator(bundle), cluster, pool=pool), counter)

    _charts(doc, stats, cluster, issues, figures, progress, counter, pool)
    add_analysis(doc, bundle, stats, cluster, issues, figures, progress, counter)

    progress(0.85, f"{cluster}: profile table")
    doc.add_heading("Profile: all indicators", level=1).paragraph_format.page_break_before = True
    when = (f"its latest {pool} periods combined" if pool > 1 else "its latest period")
    intro(doc, f"Each indicator in {when}, grouped by theme. {comparison.method} "
           f"Verdicts read \"Better {comparison.level_text}\", \"Worse "
           f"{comparison.level_text}\" and so on; the range runs from the lowest to the "
           "highest cluster; the trend is the recent trend (- where it cannot be calculated); "
           "† marks synthetic data. The markers are explained under the table.")
    profile_table(doc, bundle, profile, cluster, comparison, pool)
    _notes(doc, bundle, basis, comparison, pool)
    _about(doc, bundle, cluster)
    return doc


def profile_docx(bundle: Bundle, stats: Statistics, cluster: str, figures: ReportFigures,
                 progress: Progress, basis: str = BASIS_RESIDENCE, pool: int = 1) -> bytes:
    """`build_profile`'s document as .docx bytes (report.batch gives it to its helper)."""
    buffer = io.BytesIO()
    build_profile(bundle, stats, cluster, figures, progress, basis, pool).save(buffer)
    return buffer.getvalue()


def _shown(bundle: Bundle, statistics: Statistics, pooled: Pooled | None
           ) -> tuple[Bundle, Statistics, ReportFigures]:
    """The bundle and statistics a profile shows (`pooled` periods, judged as the single
    periods were: the same level and benchmark), and the figures drawn from them."""
    if pooled is None:
        return bundle, statistics, ReportFigures(bundle, statistics)
    single = SinglePeriods(bundle, statistics, pooled.windows)
    judged = pooled.statistics.with_comparison(statistics.comparison)
    return (pooled.bundle, judged,
            ReportFigures(pooled.bundle, judged, options=ChartOptions(single=single)))


def export_profile_docx(bundle: Bundle, statistics: Statistics, cluster: str,
                        path: str | os.PathLike, task: Task | None = None,
                        basis: str = BASIS_RESIDENCE, pooled: Pooled | None = None) -> None:
    """Write one cluster's profile to `path` (.docx): made in memory, then written atomically;
    from `pooled` periods of the bundle when given."""
    task = task or Task()
    pool = 1 if pooled is None else pooled.n
    bundle, statistics, figures = _shown(bundle, statistics, pooled)
    try:
        data = profile_docx(bundle, statistics, cluster, figures, task.report, basis, pool)
        task.report(0.95, f"Writing {Path(path).name}")
        write_bytes_atomic(path, data)
        task.report(1.0, "Done")
    finally:
        figures.close()


def export_all_profiles(bundle: Bundle, statistics: Statistics, folder: str | os.PathLike,
                        task: Task | None = None, basis: str = BASIS_RESIDENCE,
                        pooled: Pooled | None = None) -> list[Path]:
    """One profile per cluster into `folder` (made if it does not exist yet; from `pooled`
    periods when given), each in place as soon as it is complete. Once some are written,
    cancelling (or Ctrl+C) keeps them and says so in the Cancelled message; a folder it made
    is removed again when nothing went in."""
    task = task or Task()
    pool = 1 if pooled is None else pooled.n
    bundle, statistics, figures = _shown(bundle, statistics, pooled)
    folder = Path(folder)
    made = _make_folder(folder)
    clusters = bundle.cluster_names
    written: list[Path] = []

    def deliver(cluster: str, data: bytes) -> None:
        path = folder / profile_filename(cluster)
        write_bytes_atomic(path, data)
        written.append(path)

    try:
        make_profiles(profile_docx, figures, (basis, pool), task, deliver)
        task.report(1.0, f"Saved {len(written)} profiles")
    except (Cancelled, KeyboardInterrupt):
        if not written:
            _remove_if_empty(folder, made)
            raise
        raise Cancelled(f"Cancelled after {len(written)} of {len(clusters)} profiles: "
                        f"{', '.join(p.name for p in written)} "
                        f"{'was' if len(written) == 1 else 'were'} written to {folder}; the "
                        "others were not.") from None
    except BaseException:
        _remove_if_empty(folder, made)
        raise
    finally:
        figures.close()
    order = {profile_filename(cluster): k for k, cluster in enumerate(clusters)}
    return sorted(written, key=lambda path: order[path.name])


def _remove_if_empty(folder: Path, made: bool) -> None:
    if made and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()


def _make_folder(folder: Path) -> bool:
    """Make `folder` (and any missing parents) unless it exists; True when it was made."""
    if folder.is_dir():
        return False
    if folder.exists():
        raise ExportError(f"Cannot write profiles into {folder}: it is a file, not a folder.")
    try:
        folder.mkdir(parents=True)
    except OSError as exc:
        raise ExportError(f"Cannot make the folder {folder}: {exc.strerror or exc}.") from exc
    return True
