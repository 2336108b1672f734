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
"*" exactly as on screen. Each document is made in memory and written in one atomic step
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
from desktop.core.errors import Cancelled, ExportError
from desktop.core.format import MISSING, format_interval, format_value, title_with_unit
from desktop.core.model import BASIS_RESIDENCE, BASIS_SCHOOL, MAP_CLUSTERS, Bundle, Indicator
from desktop.core.plotting.palettes import SIGNIFICANCE_COLOURS
from desktop.core.report.figures import Picture, ReportFigures
from desktop.core.report.tables import SIGNIFICANCE_COLUMN, profile_rows, suppression_note
from desktop.core.report.text import (
    about_lines,
    cluster_description,
    cluster_sentence,
    data_notes,
    methods_notes,
    pooling_note,
    profile_table_intro,
    source_notes,
    summary_sentence,
)
from desktop.core.report.word import add_bullets, add_picture, add_table, new_document
from desktop.core.stats.aggregate import Statistics
from desktop.core.stats.comparison import Comparison
from desktop.core.stats.crossborder import crossborder_section_rows
from desktop.core.stats.pooling import Pooled
from desktop.core.stats.profile import (
    cluster_profile,
    has_school_basis,
    most_deprived_areas,
    potential_issues,
    summary_counts,
)
from desktop.core.stats.trend import trend_words
from desktop.core.tasks import Task

MAX_ISSUE_CHARTS = 6
DEPRIVED_AREAS = 10
PROFILE_HEADER = ("Indicator", "Period", "Count", "Value", "95% CI", "County",
                  "Range of clusters", "Against county", "Trend")
PROFILE_WIDTHS = (4.35, 1.4, 1.1, 1.3, 2.2, 1.3, 2.2, 1.45, 1.7)  # cm: 17 cm between margins
POOLED_WIDTHS = (3.55, 2.2, *PROFILE_WIDTHS[2:])  # room for "2021/22 - 2023/24 combined"
ISSUE_WIDTHS = (7.0, 1.6, 1.8, 2.6, 1.8, 2.2)
POOLED_ISSUE_WIDTHS = (6.2, 2.4, *ISSUE_WIDTHS[2:])
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


def map_indicator(bundle: Bundle) -> Indicator:
    """The indicator the profile's map shows: the deprivation indicator, else the first."""
    manifest = bundle.manifest
    try:
        return manifest.indicator(manifest.deprivation_indicator or "")
    except KeyError:
        return manifest.indicators[0]


def _intro(doc: DocumentType, text: str) -> None:
    """A paragraph kept on the page of the table or figure it introduces."""
    doc.add_paragraph(text).paragraph_format.keep_with_next = True


def _figure(doc: DocumentType, picture: Picture) -> None:
    add_picture(doc, picture.png, picture.alt_text, picture.caption)


def _title_page(doc: DocumentType, bundle: Bundle, cluster: str, basis: str) -> None:
    manifest = bundle.manifest
    doc.add_paragraph(f"{cluster} cluster profile", style="Title")
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


def _cell(row: pd.Series, column: str, suppressed: bool = False) -> str:
    return format_value(row[column], row["value_type"], str(row["unit"] or ""), suppressed)


def _issues_table(doc: DocumentType, issues: pd.DataFrame, cluster: str,
                  comparison: Comparison, pool: int) -> None:
    rows = [[title_with_unit(r["title"], r["unit"]),
             str(r["period"]), _cell(r, "value", r["suppressed"]),
             format_interval(r["lower95"], r["upper95"], r["value_type"], r["suppressed"]),
             _cell(r, "county_value"), trend_words(r["trend"], r["polarity"], short=True)]
            for _, r in issues.iterrows()]
    add_table(doc, ("Indicator", "Period", "Cluster", "95% CI", "County", "Trend"), rows,
              ISSUE_WIDTHS if pool == 1 else POOLED_ISSUE_WIDTHS, right_aligned=(2, 3, 4),
              caption=f"Potential issues: the indicators where {cluster} is significantly "
              f"worse than {comparison.benchmark}, with the cluster's value and 95% "
              "confidence interval, the county's value and the recent trend")


def _deprived_table(doc: DocumentType, bundle: Bundle, stats: Statistics, cluster: str) -> None:
    areas = most_deprived_areas(bundle, stats, cluster, DEPRIVED_AREAS)
    if areas.empty:
        doc.add_paragraph("The bundle names no deprivation indicator, so areas are not ranked.")
        return
    indicator = map_indicator(bundle)
    _intro(doc, f"The {len(areas)} small areas of the cluster with the highest "
           f"{indicator.title} (higher means more deprived); national decile 1 is "
           "the most deprived tenth of areas in England.")
    rows = [[r.area_code, r.area_name, format_value(r.value, indicator.value_type),
             format_value(r.decile, "count")] for r in areas.itertuples()]
    add_table(doc, ("LSOA code", "Name", "Score", "National decile"), rows,
              (3.0, 6.0, 2.0, 2.5), right_aligned=(2, 3), keep_together=True,
              caption=f"The {len(areas)} most deprived small areas of {cluster}: "
              f"{indicator.title} and national decile")


def _crossborder(doc: DocumentType, bundle: Bundle, cluster: str) -> None:
    """Where the cluster's pupils live and where its children go to school (when flows exist)."""
    if bundle.flows is None or bundle.flows.empty:
        return
    inflow, outflow, summary = crossborder_section_rows(bundle, cluster)
    doc.add_heading("Cross-border pupils", level=1)
    doc.add_paragraph(summary)
    for caption, table in ((f"Where the pupils of {cluster}'s schools live", inflow),
                           (f"Where the children living in {cluster} go to school", outflow)):
        add_table(doc, tuple(table.columns), table.astype(str).values.tolist(),
                  (8.0, 3.0, 3.0), right_aligned=(1, 2), keep_together=True, caption=caption)


def _profile_table(doc: DocumentType, profile: pd.DataFrame, cluster: str,
                   comparison: Comparison, pool: int) -> None:
    texts = profile_rows(profile, comparison)
    rows, groups = [], {}
    for i, (rec, text) in enumerate(zip(profile.to_dict("records"), texts.to_dict("records"))):
        if i == 0 or rec["theme"] != profile["theme"].iat[i - 1]:
            groups[i] = str(rec["theme"])
        kind, unit = rec["value_type"], str(rec["unit"] or "")
        spread = (f"{format_value(rec['lowest'], kind, unit)} to "
                  f"{format_value(rec['highest'], kind, unit)}"
                  if pd.notna(rec["lowest"]) else MISSING)
        rows.append([title_with_unit(text["Indicator"], text["Unit"]), text["Period"],
                     text["Count"], text["Value"], text["95% CI"], text["County"], spread,
                     text[SIGNIFICANCE_COLUMN],
                     trend_words(rec["trend"], rec["polarity"], short=True)])
    fills = [SIGNIFICANCE_COLOURS.get(s) for s in texts["significance"]]
    header = (*PROFILE_HEADER[:7], comparison.against_column, PROFILE_HEADER[8])
    add_table(doc, header, rows, PROFILE_WIDTHS if pool == 1 else POOLED_WIDTHS,
              right_aligned=(2, 3, 4, 5, 6), fills={7: fills}, groups=groups,
              caption=f"Every indicator for {cluster}, by theme: its value and 95% confidence "
              f"interval, the county's value, the range of the clusters, the comparison with "
              f"{comparison.benchmark} and the recent trend")


def _notes(doc: DocumentType, bundle: Bundle, basis: str, comparison: Comparison,
           pool: int) -> None:
    manifest = bundle.manifest
    doc.add_heading("Notes", level=1)
    if has_school_basis(bundle):
        doc.add_heading("Where pupils are counted", level=2)
        doc.add_paragraph(BASIS_NOTES[basis])
    doc.add_heading("Small numbers", level=2)
    doc.add_paragraph(suppression_note(bundle))
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
            figures: ReportFigures, progress: Progress, pool: int) -> None:
    """Bars across clusters and the trend of each potential issue (or deprivation if none),
    after the cluster map where the issue's small areas are too few to map."""
    manifest = figures.bundle.manifest
    if issues.empty:
        doc.add_heading("Chart", level=1)
        _intro(doc, "With no potential issues to chart, this chart shows deprivation across "
               "the clusters.")
        charted = [map_indicator(figures.bundle)]
    else:
        doc.add_heading("Charts of the potential issues", level=1) \
            .paragraph_format.page_break_before = True
        charted = [manifest.indicator(i) for i in issues["indicator_id"].head(MAX_ISSUE_CHARTS)]
        if len(issues) > len(charted):
            _intro(doc, f"The first {len(charted)} of the {len(issues)} potential issues, "
                   "each across all clusters and over time.")
    for k, indicator in enumerate(charted):
        progress(0.2 + 0.6 * k / len(charted), f"{cluster}: {indicator.title}")
        if not issues.empty:
            doc.add_heading(indicator.title, level=2)
            if figures.too_few_areas(indicator):
                _figure(doc, figures.map_picture(indicator, cluster, MAP_CLUSTERS, pool))
        _figure(doc, figures.chart_picture("bars", indicator, cluster))
        if len(stats.periods(indicator.id)) > 1:
            _figure(doc, figures.chart_picture("trend", indicator, cluster))


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
    doc = new_document(f"{cluster} cluster profile", bundle.manifest.title)
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
        _intro(doc, f"Indicators where the cluster is significantly worse than "
               f"{comparison.benchmark} at {comparison.level_text} confidence, the largest "
               "relative difference from the county first.")
        _issues_table(doc, issues, cluster, comparison, pool)
    doc.add_heading("Most deprived small areas", level=1)
    _deprived_table(doc, bundle, stats, cluster)

    _crossborder(doc, bundle, cluster)

    progress(0.1, f"{cluster}: map")
    doc.add_heading("Map", level=1)
    _figure(doc, figures.map_picture(map_indicator(bundle), cluster, pool=pool))

    _charts(doc, stats, cluster, issues, figures, progress, pool)

    progress(0.85, f"{cluster}: profile table")
    doc.add_heading("Profile: all indicators", level=1).paragraph_format.page_break_before = True
    _intro(doc, profile_table_intro(comparison, pool))
    _profile_table(doc, profile, cluster, comparison, pool)
    _notes(doc, bundle, basis, comparison, pool)
    _about(doc, bundle, cluster)
    return doc


def _docx_bytes(doc: DocumentType) -> bytes:
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def export_profile_docx(bundle: Bundle, statistics: Statistics, cluster: str,
                        path: str | os.PathLike, task: Task | None = None,
                        basis: str = BASIS_RESIDENCE, pooled: Pooled | None = None) -> None:
    """Write one cluster's profile to `path` (.docx): made in memory, then written atomically;
    from `pooled` periods of the bundle when given."""
    task = task or Task()
    pool = 1 if pooled is None else pooled.n
    if pooled is not None:  # judged as the single periods were: the same level and benchmark
        bundle, statistics = (pooled.bundle,
                              pooled.statistics.with_comparison(statistics.comparison))
    figures = ReportFigures(bundle, statistics)
    try:
        doc = build_profile(bundle, statistics, cluster, figures, task.report, basis, pool)
        task.report(0.95, f"Writing {Path(path).name}")
        write_bytes_atomic(path, _docx_bytes(doc))
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
    if pooled is not None:  # judged as the single periods were: the same level and benchmark
        bundle, statistics = (pooled.bundle,
                              pooled.statistics.with_comparison(statistics.comparison))
    folder = Path(folder)
    made = _make_folder(folder)
    clusters = bundle.cluster_names
    written: list[Path] = []
    figures = ReportFigures(bundle, statistics)
    try:
        for k, cluster in enumerate(clusters):
            def progress(fraction: float, message: str, k: int = k) -> None:
                task.report((k + fraction) / len(clusters), message)

            doc = build_profile(bundle, statistics, cluster, figures, progress, basis, pool)
            path = folder / profile_filename(cluster)
            write_bytes_atomic(path, _docx_bytes(doc))
            written.append(path)
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
    return written


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
