"""A cluster profile as a Word document (.docx), for one cluster or all of them.

The document holds a title page, a summary written from the numbers, the potential issues,
the most deprived small areas, the map, charts of each potential issue, the whole profile
table by theme, and notes on suppression, methods, sources and the licence. Every number comes
from desktop.core.stats.profile and is written with desktop.core.format, so suppressed values read
"[c]" exactly as on screen, and every table has the meaning of the markers it uses written under
it. Files are written atomically; cancelling leaves nothing behind.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
from collections.abc import Callable
from pathlib import Path

import pandas as pd
from docx.document import Document as DocumentType
from docx.shared import Pt

from desktop.core.atomic import atomic_path
from desktop.core.errors import ExportError
from desktop.core.format import MISSING, format_interval, format_value, title_with_unit
from desktop.core.model import BASIS_RESIDENCE, BASIS_SCHOOL, Bundle, Indicator, Trend
from desktop.core.plotting.palettes import SIGNIFICANCE_COLOURS
from desktop.core.report.figures import Picture, ReportFigures
from desktop.core.report.tables import profile_rows, suppression_note, table_notes
from desktop.core.report.text import (
    cluster_description,
    cluster_sentence,
    data_notes,
    methods_notes,
    source_notes,
    summary_sentence,
)
from desktop.core.report.word import (
    add_bullets,
    add_picture,
    add_table,
    add_table_notes,
    new_document,
)
from desktop.core.stats.aggregate import Statistics
from desktop.core.stats.crossborder import crossborder_section_rows
from desktop.core.stats.profile import (
    cluster_profile,
    has_school_basis,
    most_deprived_areas,
    potential_issues,
    summary_counts,
)
from desktop.core.tasks import Task

MAX_ISSUE_CHARTS = 6
DEPRIVED_AREAS = 10
TREND_WORDS = {Trend.INCREASING.value: "Increasing", Trend.DECREASING.value: "Decreasing",
               Trend.NO_CHANGE.value: "No change", Trend.CANNOT.value: MISSING}
PROFILE_HEADER = ("Indicator", "Period", "Count", "Value", "95% CI", "County",
                  "Range of clusters", "Against county", "Trend")
PROFILE_WIDTHS = (4.35, 1.4, 1.1, 1.3, 2.2, 1.3, 2.2, 1.45, 1.7)  # cm: 17 cm between margins
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


def _figure(doc: DocumentType, picture: Picture, counter: list[int]) -> None:
    counter[0] += 1
    add_picture(doc, picture.png, picture.alt_text, picture.caption, counter[0])


def _title_page(doc: DocumentType, bundle: Bundle, cluster: str) -> None:
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
    notes = data_notes(bundle)
    if notes:
        heading = doc.add_paragraph()
        heading.add_run("Please note").bold = True
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


def _table(doc: DocumentType, bundle: Bundle, header, rows, widths, *, comparison=False,
           **layout) -> None:
    """A table with the meaning of the markers it uses written under it."""
    add_table(doc, header, rows, widths, **layout)
    add_table_notes(doc, table_notes(bundle, (c for row in rows for c in row), comparison))


def _issues_table(doc: DocumentType, bundle: Bundle, issues: pd.DataFrame) -> None:
    rows = [[title_with_unit(r["title"], r["unit"]),
             str(r["period"]), _cell(r, "value", r["suppressed"]),
             format_interval(r["lower95"], r["upper95"], r["value_type"], r["suppressed"]),
             _cell(r, "county_value"), TREND_WORDS.get(str(r["trend"]), str(r["trend"]))]
            for _, r in issues.iterrows()]
    _table(doc, bundle, ("Indicator", "Period", "Cluster", "95% CI", "County", "Trend"), rows,
           (7.0, 1.6, 1.8, 2.6, 1.8, 2.2), right_aligned=(2, 3, 4))


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
    _table(doc, bundle, ("LSOA code", "Name", "Score", "National decile"), rows,
           (3.0, 6.0, 2.0, 2.5), right_aligned=(2, 3), keep_together=True)


def _crossborder(doc: DocumentType, bundle: Bundle, cluster: str) -> None:
    """Where the cluster's pupils live and where its children go to school (when flows exist)."""
    if bundle.flows is None or bundle.flows.empty:
        return
    inflow, outflow, summary = crossborder_section_rows(bundle, cluster)
    doc.add_heading("Cross-border pupils", level=1)
    doc.add_paragraph(summary)
    for caption, table in ((f"Where the pupils of {cluster}'s schools live", inflow),
                           (f"Where the children living in {cluster} go to school", outflow)):
        _intro(doc, caption + ".")
        _table(doc, bundle, tuple(table.columns), table.astype(str).values.tolist(),
               (8.0, 3.0, 3.0), right_aligned=(1, 2), keep_together=True)


def _profile_table(doc: DocumentType, bundle: Bundle, profile: pd.DataFrame) -> None:
    texts = profile_rows(profile)
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
                     text["significance"].capitalize(), TREND_WORDS.get(text["Trend"], text["Trend"])])
    fills = [SIGNIFICANCE_COLOURS.get(s) for s in texts["significance"]]
    _table(doc, bundle, PROFILE_HEADER, rows, PROFILE_WIDTHS, right_aligned=(2, 3, 4, 5, 6),
           fills={7: fills}, groups=groups, comparison=True)


def _notes(doc: DocumentType, bundle: Bundle, basis: str) -> None:
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
    doc.add_heading("Methods", level=2)
    add_bullets(doc, methods_notes())
    doc.add_heading("Sources", level=2)
    add_bullets(doc, source_notes(bundle))
    doc.add_heading("Licence and attribution", level=2)
    doc.add_paragraph(manifest.attribution)
    doc.add_paragraph(f"Licence: {manifest.licence}.")
    doc.add_paragraph(f"Boundaries: {manifest.geography_vintage}. Produced with "
                      f"{manifest.producer or 'Cluster Atlas'}.")


def _charts(doc: DocumentType, stats: Statistics, cluster: str, issues: pd.DataFrame,
            figures: ReportFigures, progress: Progress, counter: list[int]) -> None:
    """Bars across clusters and the trend of each potential issue (or deprivation if none)."""
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
        _figure(doc, figures.chart_picture("bars", indicator, cluster), counter)
        if len(stats.periods(indicator.id)) > 1:
            _figure(doc, figures.chart_picture("trend", indicator, cluster), counter)


def build_profile(bundle: Bundle, stats: Statistics, cluster: str, figures: ReportFigures,
                  progress: Progress, basis: str = BASIS_RESIDENCE) -> DocumentType:
    """The whole document for one cluster; `progress(fraction, message)` may cancel. Pupil
    indicators are counted on `basis` (where pupils live, or where they go to school), as in
    the window the export was made from."""
    if cluster not in bundle.cluster_names:
        raise ExportError(f"There is no cluster called {cluster!r} in this bundle; choose one "
                          f"of {', '.join(bundle.cluster_names)}.")
    profile = cluster_profile(bundle, stats, cluster, basis=basis)
    issues = potential_issues(profile)
    doc = new_document(f"{cluster} cluster profile", bundle.manifest.title)
    counter = [0]
    _title_page(doc, bundle, cluster)

    doc.add_heading("Summary", level=1)
    doc.add_paragraph(f"{cluster_sentence(bundle, cluster)} "
                      + summary_sentence(summary_counts(profile),
                                         int(profile["suppressed"].sum())))
    doc.add_heading("Potential issues", level=1)
    if issues.empty:
        doc.add_paragraph("No indicator is significantly worse than the county in this cluster.")
    else:
        _intro(doc, "Indicators where the cluster is significantly worse than the county, "
               "the largest relative difference first.")
        _issues_table(doc, bundle, issues)
    doc.add_heading("Most deprived small areas", level=1)
    _deprived_table(doc, bundle, stats, cluster)

    _crossborder(doc, bundle, cluster)

    progress(0.1, f"{cluster}: map")
    doc.add_heading("Map", level=1)
    _figure(doc, figures.map_picture(map_indicator(bundle), cluster), counter)

    _charts(doc, stats, cluster, issues, figures, progress, counter)

    progress(0.85, f"{cluster}: profile table")
    doc.add_heading("Profile: all indicators", level=1).paragraph_format.page_break_before = True
    _intro(doc, "Each indicator in its latest period, grouped by theme. \"Against "
           "county\" uses the cluster's 95% confidence interval; the range runs "
           "from the lowest to the highest cluster; † marks synthetic data. The markers are "
           "explained under the table.")
    _profile_table(doc, bundle, profile)
    _notes(doc, bundle, basis)
    return doc


def _save(doc: DocumentType, path: Path) -> None:
    try:
        doc.save(path)
    except OSError as exc:
        raise ExportError(f"Cannot write {path}: {exc.strerror or exc}.") from exc


def export_profile_docx(bundle: Bundle, statistics: Statistics, cluster: str,
                        path: str | os.PathLike, task: Task | None = None,
                        basis: str = BASIS_RESIDENCE) -> None:
    """Write one cluster's profile to `path` (.docx), atomically."""
    task = task or Task()
    figures = ReportFigures(bundle, statistics)
    try:
        with atomic_path(path) as tmp:
            doc = build_profile(bundle, statistics, cluster, figures, task.report, basis)
            task.report(0.95, f"Writing {Path(path).name}")
            _save(doc, tmp)
        task.report(1.0, "Done")
    finally:
        figures.close()


def export_all_profiles(bundle: Bundle, statistics: Statistics, folder: str | os.PathLike,
                        task: Task | None = None, basis: str = BASIS_RESIDENCE) -> list[Path]:
    """One profile per cluster into `folder`; all files appear together at the end, and a
    cancelled or failed export leaves none of them behind."""
    task = task or Task()
    folder = Path(folder)
    if not folder.is_dir():
        raise ExportError(f"Cannot write profiles into {folder}: it is not an existing folder.")
    clusters = bundle.cluster_names
    paths = [folder / profile_filename(name) for name in clusters]
    figures = ReportFigures(bundle, statistics)
    try:
        with contextlib.ExitStack() as stack:
            for k, (cluster, path) in enumerate(zip(clusters, paths)):
                tmp = stack.enter_context(atomic_path(path))

                def progress(fraction: float, message: str, k: int = k) -> None:
                    task.report((k + fraction) / len(clusters), message)

                _save(build_profile(bundle, statistics, cluster, figures, progress, basis), tmp)
            task.report(1.0, f"Saving {len(paths)} profiles")
    finally:
        figures.close()
    return paths
