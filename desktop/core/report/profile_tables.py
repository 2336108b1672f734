"""The tables of a cluster's Word profile: the potential issues, the most deprived small
areas, the cross-border pupils and the whole profile by theme, each with the meaning of the
markers it uses (and of its comparison column) written under it.

Every number comes from desktop.core.stats and is written with desktop.core.format, so a
hidden cell reads "[c]" exactly as on screen; desktop.core.report.document puts these tables
into the document.
"""

from __future__ import annotations

import pandas as pd
from docx.document import Document as DocumentType

from desktop.core.format import MISSING, format_interval, format_value, title_with_unit
from desktop.core.model import Bundle, Indicator
from desktop.core.plotting.palettes import SIGNIFICANCE_COLOURS
from desktop.core.report.tables import SIGNIFICANCE_COLUMN, profile_rows, table_notes
from desktop.core.report.word import add_table, add_table_notes
from desktop.core.stats.aggregate import Statistics
from desktop.core.stats.comparison import Comparison
from desktop.core.stats.crossborder import crossborder_section_rows
from desktop.core.stats.profile import most_deprived_areas
from desktop.core.stats.trend import trend_words

DEPRIVED_AREAS = 10
PROFILE_HEADER = ("Indicator", "Period", "Count", "Value", "95% CI", "County",
                  "Range of clusters", "Against county", "Trend")
PROFILE_WIDTHS = (4.35, 1.4, 1.1, 1.3, 2.2, 1.3, 2.2, 1.45, 1.7)  # cm: 17 cm between margins
POOLED_WIDTHS = (3.55, 2.2, *PROFILE_WIDTHS[2:])  # room for "2021/22 - 2023/24 combined"
ISSUE_WIDTHS = (7.0, 1.6, 1.8, 2.6, 1.8, 2.2)
POOLED_ISSUE_WIDTHS = (6.2, 2.4, *ISSUE_WIDTHS[2:])


def map_indicator(bundle: Bundle) -> Indicator:
    """The indicator the profile's map shows: the deprivation indicator, else the first."""
    manifest = bundle.manifest
    try:
        return manifest.indicator(manifest.deprivation_indicator or "")
    except KeyError:
        return manifest.indicators[0]


def intro(doc: DocumentType, text: str) -> None:
    """A paragraph kept on the page of the table or figure it introduces."""
    doc.add_paragraph(text).paragraph_format.keep_with_next = True


def cell_text(row: pd.Series, column: str, suppressed: bool = False) -> str:
    return format_value(row[column], row["value_type"], str(row["unit"] or ""), suppressed)


def table_with_notes(doc: DocumentType, bundle: Bundle, header, rows, widths, *,
           comparison: Comparison | None = None, **layout) -> None:
    """A table with the meaning of the markers it uses (and of its comparison column, when
    it has one) written under it."""
    add_table(doc, header, rows, widths, **layout)
    add_table_notes(doc, table_notes(bundle, (c for row in rows for c in row), comparison))


def issues_table(doc: DocumentType, bundle: Bundle, issues: pd.DataFrame, cluster: str,
                 comparison: Comparison, pool: int) -> None:
    rows = [[title_with_unit(r["title"], r["unit"]),
             str(r["period"]), cell_text(r, "value", r["suppressed"]),
             format_interval(r["lower95"], r["upper95"], r["value_type"], r["suppressed"]),
             cell_text(r, "county_value"), trend_words(r["trend"], r["polarity"], short=True)]
            for _, r in issues.iterrows()]
    table_with_notes(doc, bundle, ("Indicator", "Period", "Cluster", "95% CI", "County", "Trend"), rows,
              ISSUE_WIDTHS if pool == 1 else POOLED_ISSUE_WIDTHS, right_aligned=(2, 3, 4),
              caption=f"Potential issues: the indicators where {cluster} is significantly "
              f"worse than {comparison.benchmark}, with the cluster's value and 95% "
              "confidence interval, the county's value and the recent trend")


def deprived_table(doc: DocumentType, bundle: Bundle, stats: Statistics, cluster: str) -> None:
    areas = most_deprived_areas(bundle, stats, cluster, DEPRIVED_AREAS)
    if areas.empty:
        doc.add_paragraph("The bundle names no deprivation indicator, so areas are not ranked.")
        return
    indicator = map_indicator(bundle)
    intro(doc, f"The {len(areas)} small areas of the cluster with the highest "
           f"{indicator.title} (higher means more deprived); national decile 1 is "
           "the most deprived tenth of areas in England.")
    rows = [[r.area_code, r.area_name, format_value(r.value, indicator.value_type),
             format_value(r.decile, "count")] for r in areas.itertuples()]
    table_with_notes(doc, bundle, ("LSOA code", "Name", "Score", "National decile"), rows,
              (3.0, 6.0, 2.0, 2.5), right_aligned=(2, 3), keep_together=True,
              caption=f"The {len(areas)} most deprived small areas of {cluster}: "
              f"{indicator.title} and national decile")


def crossborder_tables(doc: DocumentType, bundle: Bundle, cluster: str) -> None:
    """Where the cluster's pupils live and where its children go to school (when flows exist;
    flows are by school cluster, so a custom area has none)."""
    if bundle.flows is None or bundle.flows.empty or cluster in bundle.custom_areas:
        return
    inflow, outflow, summary = crossborder_section_rows(bundle, cluster)
    doc.add_heading("Cross-border pupils", level=1)
    doc.add_paragraph(summary)
    for caption, table in ((f"Where the pupils of {cluster}'s schools live", inflow),
                           (f"Where the children living in {cluster} go to school", outflow)):
        table_with_notes(doc, bundle, tuple(table.columns), table.astype(str).values.tolist(),
                  (8.0, 3.0, 3.0), right_aligned=(1, 2), keep_together=True, caption=caption)


def profile_table(doc: DocumentType, bundle: Bundle, profile: pd.DataFrame, cluster: str,
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
    table_with_notes(doc, bundle, header, rows, PROFILE_WIDTHS if pool == 1 else POOLED_WIDTHS,
           comparison=comparison, right_aligned=(2, 3, 4, 5, 6), fills={7: fills},
           groups=groups,
           caption=f"Every indicator for {cluster}, by theme: its value and 95% confidence "
           f"interval, the county's value, the range of the clusters, the comparison with "
           f"{comparison.benchmark} and the recent trend")
