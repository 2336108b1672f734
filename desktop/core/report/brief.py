"""A one-page school brief for Word, to print before a visit: the school and its cluster, a map
of where its pupils live, its top five potential issues and a short table of its pupils' home
areas, with the markers explained.

Every number comes from desktop.core.stats.school_homes (the protected table of home areas)
and desktop.core.stats.school_profile (the pupil-weighted mix of those areas), written with
desktop.core.format, so hidden cells read [c] as everywhere else. Made in memory and written
in one atomic step.
"""

from __future__ import annotations

import datetime as dt
import io
import os
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from desktop.core.atomic import write_bytes_atomic
from desktop.core.format import format_interval, format_value, title_with_unit
from desktop.core.maps.homes import draw_homes
from desktop.core.model import NOT_APPLICABLE, SUPPRESSED, Bundle, Significance
from desktop.core.plotting.palettes import SIGNIFICANCE_COLOURS
from desktop.core.plotting.style import new_figure, style_context
from desktop.core.report.tables import table_notes
from desktop.core.stats.school_homes import SchoolHomes, school_homes, school_row
from desktop.core.stats.school_profile import school_profile
from desktop.core.stats.table import Statistics
from desktop.core.tasks import Task

if TYPE_CHECKING:
    from docx.document import Document as DocumentType

TOP_ISSUES = 5
HOME_ROWS = 5
MAP_WIDTH_CM, MAP_HEIGHT_CM = 15.0, 8.0
ISSUE_HEADER = ("Indicator", "Period", "Pupils' areas", "95% CI", "County", "Cluster",
                "Against county", "Against cluster")
ISSUE_WIDTHS = (5.0, 1.4, 1.6, 2.3, 1.4, 1.4, 1.95, 1.95)
HOME_HEADER = ("Where pupils live", "Pupils", "Share")
HOME_WIDTHS = (9.0, 2.0, 2.0)
REPORT_DPI = 200


def school_issues(profile: pd.DataFrame) -> pd.DataFrame:
    """The school's potential issues: significantly worse than the county, the largest
    relative difference first."""
    worse = profile[profile["significance"] == Significance.WORSE.value]
    with np.errstate(divide="ignore", invalid="ignore"):
        gap = (worse["value"] - worse["county_value"]).abs() / worse["county_value"].abs()
    return worse.loc[gap.sort_values(ascending=False, kind="stable").index]


def _share(value: float) -> str:
    return SUPPRESSED if not np.isfinite(value) else f"{value:.0%}"


def home_rows(bundle: Bundle, homes: SchoolHomes) -> list[list[str]]:
    """The largest shown home areas, the rest of the county together, and outside it."""
    names = dict(zip(bundle.areas["area_code"].astype(str),
                     bundle.areas["area_name"].astype(str)))
    inside = homes.homes[homes.homes["home_area_code"].isin(names)]
    shown = inside[~inside["hidden"]].head(HOME_ROWS)
    rows = [[f"{names[c]} ({c})" + ("" if in_cluster else ", outside the cluster"),
             f"{p:,.0f}", f"{p / homes.total:.0%}"]
            for c, p, in_cluster in zip(shown["home_area_code"], shown["pupils"],
                                        shown["in_cluster"])]
    rest = float(inside["pupils"].sum() - shown["pupils"].sum())
    others = len(inside) - len(shown)
    outside = homes.homes[~homes.homes["home_area_code"].isin(set(names))]
    area = bundle.manifest.area_name
    if not outside.empty and not np.isfinite(homes.outside_county):
        # a hidden count outside the county is never the difference of printed ones
        rest += float(outside["pupils"].sum())
        rows.append([f"{others:,} other small areas, and outside {area}", f"{rest:,.0f}",
                     f"{rest / homes.total:.0%}"])
        outside = outside.iloc[0:0]
    elif others:
        rows.append([f"{others:,} other small areas in {area}", f"{rest:,.0f}",
                     f"{rest / homes.total:.0%}"])
    if not outside.empty:
        pupils = float(outside["pupils"].sum())
        rows.append([f"Outside {area}", f"{pupils:,.0f}", f"{pupils / homes.total:.0%}"])
    rows.append(["All pupils", f"{homes.total:,.0f}", "100%"])
    return rows


def _map_png(bundle: Bundle, homes: SchoolHomes, school_xy: tuple[float, float]) -> bytes:
    figure = new_figure(MAP_WIDTH_CM, MAP_HEIGHT_CM)
    figure.set_layout_engine("none")  # the map's Axes and legend are placed by hand
    with style_context():
        ax = figure.add_axes((0.0, 0.0, 0.62, 1.0))
        draw_homes(ax, bundle, homes, school_xy)
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png", dpi=REPORT_DPI)
    return buffer.getvalue()


def school_rows(profile: pd.DataFrame, comparison) -> list[list[str]]:
    """A school profile's rows as printed (ISSUE_HEADER): hidden values read [c], a count's
    value, which has no pupil-weighted mean, [z]."""
    def value(row: pd.Series, column: str, own: bool = False) -> str:
        if own and not row["applicable"]:
            return NOT_APPLICABLE
        return format_value(row[column], row["value_type"], str(row["unit"] or ""),
                            own and bool(row["suppressed"]))

    return [[title_with_unit(row["title"], str(row["unit"] or "")), str(row["period"]),
             value(row, "value", own=True),
             NOT_APPLICABLE if not row["applicable"] else
             format_interval(row["lower"], row["upper"], row["value_type"],
                             bool(row["suppressed"])),
             value(row, "county_value"), value(row, "cluster_value"),
             comparison.label(row["significance"]), comparison.label(row["vs_cluster"])]
            for _, row in profile.iterrows()]


def school_summary(bundle: Bundle, homes: SchoolHomes) -> str:
    """Who the school is and where its pupils live, in two sentences."""
    school = school_row(bundle, homes.school_id)
    kind = ", ".join(str(v) for v in (school.get("phase"), school.get("school_type"))
                     if isinstance(v, str) and v)
    cluster = f"in the {homes.cluster} cluster" if homes.cluster else "in no cluster"
    return (f"URN {homes.school_id}{', ' + kind if kind else ''}, {cluster}. "
            f"{homes.total:,.0f} pupils recorded in {homes.period}; "
            f"{_share(homes.outside_cluster)} live outside its cluster and "
            f"{_share(homes.outside_county)} outside {bundle.manifest.area_name}.")


def build_brief(bundle: Bundle, stats: Statistics, school_id: str) -> DocumentType:
    """The one-page brief of the school with URN `school_id`."""
    # lazily: the window shows a school's rows (school_rows) long before a brief is made
    from docx.shared import Pt

    from desktop.core.report.word import add_picture, add_table, add_table_notes, new_document

    school = school_row(bundle, school_id)
    homes = school_homes(bundle, school_id)
    profile = school_profile(bundle, stats, homes)
    comparison = stats.comparison
    manifest = bundle.manifest
    doc = new_document(f"{homes.name}: school brief", manifest.title)
    doc.sections[0].top_margin = doc.sections[0].bottom_margin = doc.sections[0].left_margin
    title = doc.add_paragraph(f"{homes.name}", style="Title")
    title.runs[0].font.size = Pt(18)
    doc.add_paragraph(f"{school_summary(bundle, homes)} {manifest.title}, produced "
                      f"{dt.date.today().day} {dt.date.today():%B %Y}.")
    point = school.geometry
    add_picture(doc, _map_png(bundle, homes, (point.x, point.y)),
                f"Map of the small areas where {homes.name}'s pupils live, shaded by their "
                f"share of its {homes.total:,.0f} pupils in {homes.period}; the school is the "
                "star.", f"Where the pupils of {homes.name} live ({homes.period}); the star "
                "marks the school. Areas with few pupils are not shaded.", 1, MAP_WIDTH_CM)
    issues = school_issues(profile)
    heading = doc.add_paragraph()
    heading.add_run("Potential issues of its pupils' home areas (at most "
                    f"{TOP_ISSUES}, the largest difference from the county first)").bold = True
    if issues.empty:
        doc.add_paragraph(f"No indicator of its pupils' home areas is significantly worse "
                          f"than {comparison.benchmark} at {comparison.level_text} confidence.")
    else:
        top = issues.head(TOP_ISSUES)
        rows = school_rows(top, comparison)
        fills = {k: [SIGNIFICANCE_COLOURS.get(v) for v in top[column]]
                 for k, column in ((6, "significance"), (7, "vs_cluster"))}
        add_table(doc, ISSUE_HEADER, rows, ISSUE_WIDTHS, fills=fills, keep_together=True,
                  caption=f"The indicators most worse than the county for the pupils of "
                  f"{homes.name}")
        add_table_notes(doc, [
            (f"Of {int(profile['applicable'].sum())} indicators, {len(issues)} are "
             "significantly worse than the county for this school's pupils' home areas. Each "
             "value is the pupil-weighted mean of the values of the small areas its pupils "
             f"live in, from published figures only; its interval at {comparison.level_text} "
             "is compared with the county's and the cluster's values."),
            *table_notes(bundle, (c for row in rows for c in row), None)])
    home = home_rows(bundle, homes)
    add_table(doc, HOME_HEADER, home, HOME_WIDTHS, right_aligned=(1, 2), keep_together=True,
              caption=f"Where the pupils of {homes.name} live ({homes.period})")
    shares = [_share(homes.outside_cluster), _share(homes.outside_county)]  # the lead's too
    add_table_notes(doc, table_notes(bundle, [*shares, *(c for row in home for c in row)], None)
                    + [(f"Areas with {homes.threshold} or fewer of the school's pupils are "
                        "counted only among the other areas, so no small count is shown.")])
    return doc


def export_brief_docx(bundle: Bundle, stats: Statistics, school_id: str,
                      path: str | os.PathLike, task: Task | None = None) -> None:
    """Write the brief of the school with URN `school_id` to `path` (.docx), atomically."""
    task = task or Task()
    task.report(0.1, "Where the pupils live")
    doc = build_brief(bundle, stats, school_id)
    task.report(0.9, "Writing the brief")
    buffer = io.BytesIO()
    doc.save(buffer)
    write_bytes_atomic(path, buffer.getvalue())
    task.report(1.0, "Done")
