"""`cluster-atlas export-profile` and `export-chart`: Word profiles and print-ready charts
without a window (for automation, scheduled reports and tests).

Put together with the other commands by desktop/cli/main.py. The passphrase comes from
CLUSTER_ATLAS_PASSPHRASE or a prompt, as for every command that reads a bundle.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from desktop.cli.common import (
    EXIT_OK,
    add_cluster_choice,
    add_comparison_options,
    add_pool_option,
    check_cluster,
    check_suffix,
    neighbour_spec,
    open_statistics,
    passphrase_note,
    pooled_periods,
    progress_task,
)
from desktop.core.errors import AtlasError, ExportError
from desktop.core.model import MAP_AREAS, MAP_CLUSTERS, MAP_LEVELS

CHART_KINDS = ("bars", "trend", "distribution", "funnel", "inequality", "scatter", "neighbours",
               "map")
CHART_HEIGHT_RATIO = {"bars": 0.6, "trend": 0.55, "distribution": 0.45, "funnel": 0.6,
                      "inequality": 0.6, "scatter": 0.6, "neighbours": 0.55}  # height / width


def _run_export_brief(args: argparse.Namespace) -> int:
    """--school URN: the one-page brief."""
    from desktop.core.report.brief import export_brief_docx

    if args.pool != 1:
        raise AtlasError("--pool is not offered with --school: a school brief shows the "
                         "latest single period.")
    bundle, stats = open_statistics(args)
    task = progress_task()
    try:
        export_brief_docx(bundle, stats, args.school, args.output, task)
    finally:
        sys.stderr.write("\n")
    print(f"Wrote {args.output}")
    return EXIT_OK


def _custom_areas(args: argparse.Namespace, bundle, stats):
    """--areas FILE: the bundle and statistics with the file's custom areas as clusters, and
    the name of the first (the one profiled)."""
    from desktop.core.stats.custom_areas import from_csv
    from desktop.core.stats.custom_stats import with_custom_areas

    path = Path(args.areas)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise AtlasError(f"Cannot read {path}: {exc.strerror or exc}.") from exc
    areas, report = from_csv(data, bundle, path.stem)
    for line in report:
        sys.stderr.write(f"{line}\n")
    if len(areas) > 1:
        raise AtlasError(f"{path} holds {len(areas)} custom areas "
                         f"({', '.join(a.name for a in areas)}); give a file of one.")
    bundle, stats = with_custom_areas(bundle, stats, areas)
    return bundle, stats, areas[0].name


def _run_export_profile(args: argparse.Namespace) -> int:
    from desktop.core.report.document import export_all_profiles, export_profile_docx

    if not args.all_clusters:
        check_suffix(args.output, (".docx",))
    folder = Path(args.output) if args.all_clusters else Path(args.output).parent
    # before the slow decryption, not after it; --all-clusters makes its folder when missing
    if args.all_clusters and folder.exists() and not folder.is_dir():
        raise ExportError(f"Cannot write profiles into {folder}: it is a file, not a folder.")
    if not args.all_clusters and not folder.is_dir():
        raise ExportError(f"Cannot write {args.output}: the folder {folder} does not exist.")
    if args.school:
        return _run_export_brief(args)
    bundle, stats = open_statistics(args)
    plain = bundle, stats
    if args.areas:
        bundle, stats, args.cluster = _custom_areas(args, bundle, stats)
    check_cluster(bundle, args.cluster)
    pooled = pooled_periods(bundle, stats, args.pool, plain)
    task = progress_task()
    try:
        if args.all_clusters:
            paths = export_all_profiles(bundle, stats, args.output, task, args.basis, pooled)
        else:
            export_profile_docx(bundle, stats, args.cluster, args.output, task, args.basis,
                                pooled)
            paths = [Path(args.output)]
    finally:
        sys.stderr.write("\n")
    for path in paths:
        print(f"Wrote {path}")
    return EXIT_OK


def _run_export_chart(args: argparse.Namespace) -> int:
    from desktop.core.plotting.style import EXPORT_FORMATS

    check_suffix(args.output, tuple(EXPORT_FORMATS))
    if args.width_cm <= 0 or args.width_cm > 100:
        raise AtlasError(f"--width-cm must be between 0 and 100, not {args.width_cm}.")
    if args.map_level != MAP_AREAS and args.chart != "map":
        raise AtlasError("--map-level is for --chart map only.")
    if (args.versus or args.small_areas) and args.chart != "scatter":
        raise AtlasError("--versus and --small-areas are for --chart scatter only.")
    bundle, stats = open_statistics(args)
    check_cluster(bundle, args.cluster)
    for given in (args.indicator, args.versus):
        if given and given not in {ind.id for ind in bundle.manifest.indicators}:
            raise AtlasError(f"There is no indicator {given!r} in this bundle; "
                             "`cluster-atlas inspect BUNDLE` lists them.")
    pooled = pooled_periods(bundle, stats, args.pool)
    single = None
    if pooled is not None:
        from desktop.core.stats.inequality import SinglePeriods

        single = SinglePeriods(bundle, stats, pooled.windows)
        bundle, stats = pooled.bundle, pooled.statistics.with_comparison(stats.comparison)
    indicator = bundle.manifest.indicator(args.indicator)
    periods = stats.periods(indicator.id)
    period = args.period or indicator.latest_period
    if pooled is not None and args.period and period not in periods:
        period = pooled.window_of(indicator.id, args.period) or period  # a period's window
    if period not in periods:
        raise AtlasError(f"{indicator.id} has no period {period!r}; its periods are: "
                         f"{', '.join(periods)}.")
    if args.chart == "map":
        from desktop.core.maps.export import MapOptions, export_map

        export_map(bundle, stats, indicator.id, args.output, period=period,
                   cluster=args.cluster, width_cm=args.width_cm,
                   options=MapOptions(level=args.map_level, pool=args.pool))
    else:
        from desktop.core.charts.describe import chart_description
        from desktop.core.charts.options import ChartOptions
        from desktop.core.charts.tables import chart_figure, chart_inputs
        from desktop.core.plotting.annotate import figure_title
        from desktop.core.plotting.style import export_figure

        options = ChartOptions(versus=args.versus,
                               scatter_level=MAP_AREAS if args.small_areas else MAP_CLUSTERS,
                               neighbours=neighbour_spec(args, bundle), single=single)
        inputs = chart_inputs(args.chart, bundle, stats, indicator, period, args.cluster,
                              options)
        figure = chart_figure(args.chart, args.width_cm,
                              args.width_cm * CHART_HEIGHT_RATIO[args.chart], **inputs)
        export_figure(figure, args.output, args.width_cm, title=figure_title(figure),
                      description=chart_description(args.chart, **inputs))
    print(f"Wrote {args.output}")
    return EXIT_OK


def add_export_profile(commands: argparse._SubParsersAction) -> None:
    p = commands.add_parser(
        "export-profile", help="write a cluster's, custom area's or school's profile in Word",
        description="Write a cluster's profile (summary, potential issues, map, charts, the "
        "full table and notes) as a .docx, or one per cluster into a folder; a custom "
        "area's profile from a CSV of area codes or postcodes; or a school's one-page "
        "brief. " + passphrase_note())
    which = add_cluster_choice(p, "the cluster to profile",
                               "profile every cluster; -o is then a folder (made if missing)")
    which.add_argument("--school", metavar="URN",
                       help="write the one-page brief of the school with this URN: where its "
                       "pupils live, their areas' top five potential issues")
    which.add_argument("--areas", metavar="CODES.csv",
                       help="profile a custom area: a CSV with an area_code (or postcode) "
                       "column, or one code per line; custom_area names it (default: the "
                       "file's name)")
    p.add_argument("-o", "--output", required=True, metavar="OUT.docx|DIR",
                   help="the .docx to write (or the folder, with --all-clusters)")
    add_pool_option(p)
    p.set_defaults(run=_run_export_profile)


def add_export_chart(commands: argparse._SubParsersAction) -> None:
    p = commands.add_parser(
        "export-chart", help="write one chart or the map as PNG, SVG or PDF",
        description="Write one indicator's chart or map at print size: PNG at 300 dpi (the "
        "dpi recorded in the file), SVG or PDF by the output's extension. "
        + passphrase_note())
    p.add_argument("bundle", metavar="BUNDLE", help="the .atlas bundle file")
    p.add_argument("--indicator", required=True, metavar="ID", help="the indicator's id")
    p.add_argument("--chart", required=True, choices=CHART_KINDS,
                   help="bars: all clusters; trend: a cluster over time; distribution: its "
                   "small areas; funnel: every cluster against its size, with control "
                   "limits; inequality: by IMD decile, with the slope index of inequality; "
                   "scatter: against a second indicator (--versus); neighbours: a cluster "
                   "and its similar clusters; map: the small areas (or, with --map-level "
                   "clusters, the clusters) on a map")
    p.add_argument("--cluster", metavar="NAME",
                   help="the cluster to highlight, chart or zoom to (trend, distribution and "
                   "neighbours take the first cluster when none is given)")
    p.add_argument("--versus", metavar="ID",
                   help="with --chart scatter: the second indicator (default: the bundle's "
                   "deprivation indicator)")
    p.add_argument("--small-areas", action="store_true",
                   help="with --chart scatter: plot every small area, not the clusters")
    p.add_argument("--period", metavar="P",
                   help="the period (default: the latest); with --pool, a pooled period or "
                   "any single period in it")
    p.add_argument("--map-level", choices=MAP_LEVELS, default=MAP_AREAS,
                   help="with --chart map: colour the small areas (the default) or whole "
                   "clusters, each named")
    p.add_argument("--width-cm", type=float, default=16.0, metavar="CM",
                   help="printed width in centimetres (default 16, a Word page)")
    p.add_argument("-o", "--output", required=True, metavar="OUT.png|svg|pdf",
                   help="the file to write")
    add_comparison_options(p)
    add_pool_option(p)
    p.set_defaults(run=_run_export_chart)


EXPORT_COMMANDS = [add_export_profile, add_export_chart]
