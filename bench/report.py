"""Turn bench/run.py's results into a printed table and docs/benchmarks.md.

The hand-written explanation of the misses lives in bench/notes.md and is included verbatim,
so rerunning the benchmark refreshes every figure without losing the analysis.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

NOTES = Path(__file__).resolve().parent / "notes.md"
COMMAND = ".venv/bin/python bench/run.py"
# measurement -> (county target, England target, unit); seconds unless the unit says MB.
# The second round's (issue 20; open keeps the first round's, which the second does not change)
TARGETS = {
    "switch": (0.03, 0.06, "s"), "open": (1.0, 5.0, "s"), "first_window": (0.8, 0.8, "s"),
    "memory": (400.0, 2500.0, "MB"), "docx_one": (1.0, None, "s"), "docx_all": (8.0, None, "s"),
    "inspect": (0.5, 0.5, "s"), "unresponsive": (0.1, 0.1, "s"),
}


def _get(tree: dict, *keys):
    for key in keys:
        if not isinstance(tree, dict) or key not in tree:
            return None
        tree = tree[key]
    return tree


def rows(report: dict, scale: str) -> list[tuple[str, dict | None, dict | None, str | None]]:
    """(label, ours, naive, target key) for one scale; summaries are median/min/max dicts."""
    s = report["scales"][scale]
    naive_switch = _get(s, "naive", "switch")
    out = [
        ("Key derivation alone (scrypt, same in both)", _get(s, "open", "kdf"), None, None),
        ("Open beyond key derivation: decrypt + parse + (statistics ∥ map geometry)",
         _get(s, "open", "beyond"),
         _get(s, "open", "naive"), "open"),
        ("  of which decrypt (beyond scrypt)", _get(s, "open", "decrypt"), None, None),
        ("  of which parse (ZIP + Parquet, checks)", _get(s, "open", "parse"), None, None),
        ("  statistics on its own (compute_statistics)", _get(s, "open", "aggregate"), None,
         None),
        ("  map geometry on its own (prepare_geometry); the two run side by side",
         _get(s, "open", "geometry"), None, None),
        ("`cluster-atlas inspect` beyond key derivation (a process of its own)",
         _get(s, "inspect", "beyond"), None, "inspect"),
        ("  its own CPU time (the key derivation's child apart)", _get(s, "inspect", "cpu"),
         None, None),
        ("Open in the window, passphrase to painted (incl. scrypt)",
         _get(s, "gui", "open_in_window"), None, None),
        ("  the longest the window did not respond meanwhile (one turn of its event loop)",
         _get(s, "gui", "open_unresponsive"), None, "unresponsive"),
        ("Indicator switch until painted (map, profile, chart)", _get(s, "gui", "switch"),
         naive_switch, "switch"),
        ("Period switch until painted", _get(s, "gui", "period"), naive_switch, "switch"),
        ("  map alone: classify, recolour, draw", _get(s, "gui", "map"), naive_switch, None),
        ("  chart alone: show_for (draws)", _get(s, "gui", "chart"), None, None),
        ("  profile alone: select row, paint", _get(s, "gui", "profile"), None, None),
        ("Hover hit-test and hover text", _get(s, "gui", "hover"),
         _get(s, "naive", "hit_test"), None),
        ("Picking on the map: start (inside points of every area)",
         _get(s, "gui", "pick_start"), None, None),
        ("  a rectangle over a tenth of the map: areas picked, outlines set",
         _get(s, "gui", "pick_rectangle"), None, None),
        ("  a lasso over a tenth of the map: areas picked, outlines set",
         _get(s, "gui", "pick_lasso"),
         None, None),
        (".docx profile of one cluster", _get(s, "gui", "docx_one"), None, "docx_one"),
        (".docx profiles of all clusters", _get(s, "gui", "docx_all"), None, "docx_all"),
    ]
    return [r for r in out if r[1] is not None]


def _fmt(seconds: float) -> str:
    if seconds < 0.001:
        return f"{seconds * 1e6:.0f} µs"
    if seconds < 1:
        return f"{seconds * 1e3:.1f} ms"
    return f"{seconds:.2f} s"


def _cell(summary: dict | None) -> str:
    if summary is None:
        return "–"
    if summary.get("runs", 1) == 1:
        return f"{_fmt(summary['median'])} (1 run)"
    return (f"{_fmt(summary['median'])} ({_fmt(summary['min'])}–{_fmt(summary['max'])}, "
            f"{summary['runs']} runs)")


def _ratio(ours: dict | None, naive: dict | None) -> str:
    if not ours or not naive or ours["median"] <= 0:
        return ""
    return f"{naive['median'] / ours['median']:.1f}×"


def _steady_rss(s: dict) -> float | None:
    """The window process's resident memory after opening or after the switches, whichever
    is more (the second round's memory target; the key derivation's child apart)."""
    readings = [_get(s, "gui", k, "rss_mb") for k in ("memory_open", "memory_switched")]
    return max(readings) if all(r is not None for r in readings) else None


def targets(report: dict) -> list[tuple[str, str, float, float, str]]:
    """(what, scale, measured, target, unit) for every target with a figure."""
    out = []
    for scale, s in report["scales"].items():
        col = 0 if scale == "county" else 1
        figures = {"switch": _get(s, "gui", "switch", "median"),
                   "open": _get(s, "open", "beyond", "median"),
                   "inspect": _get(s, "inspect", "beyond", "median"),
                   "unresponsive": _get(s, "gui", "open_unresponsive", "median"),
                   "memory": _steady_rss(s),
                   "docx_one": _get(s, "gui", "docx_one", "median"),
                   "docx_all": _get(s, "gui", "docx_all", "median")}
        for key, value in figures.items():
            target = TARGETS[key][col]
            if value is not None and target is not None:
                out.append((key, scale, value, target, TARGETS[key][2]))
    fw = _get(report, "first_window", "ours", "median")
    if fw is not None:
        out.append(("first_window", "-", fw, TARGETS["first_window"][0], "s"))
    return out


LABELS = {"switch": "Indicator switch (median)", "open": "Open beyond key derivation",
          "memory": "Resident memory of the window, steady", "first_window": "First window after launch",
          "docx_one": ".docx of one cluster", "docx_all": ".docx of all clusters",
          "inspect": "`inspect` beyond key derivation",
          "unresponsive": "Longest the window does not respond while opening"}


def _target_line(what, scale, value, target, unit) -> tuple[str, ...]:
    shown = (lambda v: f"{v:,.0f} MB") if unit == "MB" else _fmt
    met = value <= target
    verdict = "met" if met else f"**missed** by {shown(value - target)} ({value / target:.1f}×)"
    return (LABELS[what], scale, shown(value), f"under {shown(target)}", verdict)


def render_table(report: dict) -> str:
    lines = []
    for scale in report["scales"]:
        lines.append(f"\n== {scale} ==")
        lines.append(f"{'measurement':58} {'ours':>42} {'naive':>42} ratio")
        for label, ours, naive, _ in rows(report, scale):
            lines.append(f"{label:58} {_cell(ours):>42} {_cell(naive):>42} {_ratio(ours, naive)}")
        s = report["scales"][scale]
        opened, switched = _get(s, "gui", "memory_open"), _get(s, "gui", "memory_switched")
        if opened and switched:
            lines.append(f"{'Window process alone (VmRSS/VmHWM, no key derivation)':58} "
                         f"{opened['rss_mb']:,.0f} MB opened, {switched['rss_mb']:,.0f} MB "
                         f"after the switches; peak {switched['hwm_mb']:,.0f} MB")
        peaks = s.get("open_memory")
        if peaks:
            lines.append(f"{'Open beyond key derivation, peak (VmHWM): ours / naive':58} "
                         f"{peaks['ours']['peak_mb']:,.0f} / {peaks['naive']['peak_mb']:,.0f} "
                         f"MB (libraries alone {peaks['ours']['before_mb']:,.0f} MB)")
        lines.append(f"{'Peak memory: window / open / naive / scrypt alone':58} "
                     f"{s['gui_peak_mb']:,.0f} / {s['open_peak_mb']:,.0f} / "
                     f"{s['naive_peak_mb']:,.0f} / {s.get('kdf_peak_mb', 0):,.0f} MB")
    fw = report["first_window"]
    lines.append(f"\nFirst window after launch: {_cell(fw['ours'])}; naive imports: "
                 f"{_cell(fw['naive'])}; ours built (toolbar and views): "
                 f"{_cell(fw.get('ours_complete'))}")
    for scale, s in report["scales"].items():
        if "inspect" in s:
            lines.append(f"inspect ({scale}) imported: {' '.join(s['inspect']['imported'])}")
    lines.append("\nTargets:")
    for t in targets(report):
        lines.append("  " + " | ".join(_target_line(*t)).replace("**", ""))
    lines.append(f"\nTotal {report['total_seconds']:.0f} s")
    return "\n".join(lines)


def render_markdown(report: dict) -> str:
    m = report["machine"]
    when = report.get("when") or dt.datetime.now().strftime("%Y-%m-%d %H:%M")
    out = [
        "# Benchmarks", "",
        f"Latest run: {when}, `{COMMAND}` (all of it took {report['total_seconds'] / 60:.1f} "
        "minutes, bundles already generated). Regenerate the bundles with "
        "`.venv/bin/python bench/generate.py` (about 1 minute; `bench/run.py` does it when "
        "they are missing); `--quick` runs the county scale only and leaves this page alone.",
        "", "## Machine", "",
        f"- {m['cpus']} CPUs (`nproc`), {m['cpu']}, {m['ram_gb']:.0f} GB RAM",
        f"- {m['system']}, Python {m['python']}, Qt offscreen platform",
        f"- shared with other work during the run: load average "
        f"{m['load'][0]:.1f} at the start, {m['load_after'][0]:.1f} at the end, so medians "
        "are the figures to read and maxima are noisy", "",
        "## What is measured", "",
        "Each figure is the median over repeated runs, with min and max, in a fresh worker "
        "process per group (`bench/worker.py`); the naive baseline runs in the same benchmark "
        "run on the same bundle and geometry. Peak memory is each worker's `ru_maxrss` "
        "(from `os.wait4`). The bundles are synthetic (`bench/synthetic.py`): Voronoi areas "
        "with about 100 vertices each, k-means clusters, 250 indicators of every value type. "
        "County scale: 364 areas, 12 clusters, 10 periods (910,000 value rows), written as "
        "an input folder and packed with `desktop.core.pack.build.pack`. England scale: 33,000 "
        "areas, 150 clusters, 5 periods (41.25 million value rows), written from the Bundle "
        "built in code with `desktop.core.bundle.encrypted.write_bundle` (a 41-million-row CSV would "
        "take minutes to write and parse and exercises nothing the county pack does not).", "",
        "- *Indicator switch until painted*: `session.set_indicator` in the real MainWindow, "
        "then the event loop runs until no canvas has a draw pending and the window has "
        "painted: map recolour (above 5,000 areas: the id raster recoloured) and legend, "
        "profile row, chart redraw (blitted over a kept background). Naive: `ax.clear(); "
        "gdf.plot(column=..., legend=True)` and a draw on a figure the size of the window's "
        "map.",
        "- *Open*: reading, decrypting, parsing, then `compute_statistics` and preparing the "
        "screen map's geometry (`shapes.prepare_geometry`) side by side on the two cores, as "
        "the opening worker does (`workspace.derive`; each is also timed alone), with the key "
        "derivation measured alone in each run (age-decrypting the bundle cut after its "
        "first payload chunk: scrypt at the bundle's own work factor, then a failure on the "
        "missing end) and subtracted from that run (clamped at zero: scrypt's swing on a "
        "shared machine is larger than decrypting the payload). Naive: the same decryption, then "
        "`read_parquet` of the tables, a merge and two `groupby().sum()` (no checks, "
        "intervals, significance, suppression or trends).",
        "- *Hover*: `MapArtists.area_at` (STRtree) plus the hover text, at random points. "
        "Naive: `GeoSeries.contains(point)` over every area.",
        ("- *First window*: from starting `python` to the first paint event of the shown "
         "MainWindow, started as `desktop.app` starts it (the cover and menus first, the rest "
         "built once they have painted), and to its first paint once built. Naive: the whole "
         "window built before it shows, after importing geopandas, mapclassify and pyplot "
         "first."),
        ("- *inspect*: `cluster-atlas inspect` in a fresh process, start to exit, less the key "
         "derivation timed alone just before it."), "",
    ]
    for scale in report["scales"]:
        s = report["scales"][scale]
        out += [f"## {scale.title()} scale", "",
                "| measurement | ours: median (min–max) | naive: median (min–max) "
                "| naive ÷ ours |",
                "|---|---|---|---|"]
        for label, ours, naive, _ in rows(report, scale):
            out.append(f"| {label.strip()} | {_cell(ours)} | {_cell(naive)} | "
                       f"{_ratio(ours, naive)} |")
        opened, switched = _get(s, "gui", "memory_open"), _get(s, "gui", "memory_switched")
        if opened and switched:
            out += [f"| Window process alone, resident (VmRSS): opened / after the switches "
                    f"| {opened['rss_mb']:,.0f} / {switched['rss_mb']:,.0f} MB | | |",
                    f"| Window process alone, its peak (VmHWM; key derivation apart) | "
                    f"{switched['hwm_mb']:,.0f} MB | | |"]
        peaks = s.get("open_memory")
        if peaks:
            out.append(f"| Open beyond key derivation, each in its own process: peak (VmHWM; "
                       f"libraries alone {peaks['ours']['before_mb']:,.0f} MB) | "
                       f"{peaks['ours']['peak_mb']:,.0f} MB | {peaks['naive']['peak_mb']:,.0f} "
                       f"MB | |")
        out += [f"| Peak memory (window with the bundle open and switched) | "
                f"{s['gui_peak_mb']:,.0f} MB | {s['naive_peak_mb']:,.0f} MB (naive plots) | |",
                f"| Peak memory of the open worker (ours and naive opens) | "
                f"{s['open_peak_mb']:,.0f} MB | | |",
                f"| Peak memory of a process that only derives the key (scrypt) | "
                f"{s.get('kdf_peak_mb', 0):,.0f} MB | same | |", ""]
    fw = report["first_window"]
    out += ["## Start-up", "",
            "| measurement | ours | naive imports first | naive ÷ ours |", "|---|---|---|---|",
            f"| First window after launch | {_cell(fw['ours'])} | {_cell(fw['naive'])} | "
            f"{_ratio(fw['ours'], fw['naive'])} |",
            (f"| The same window built (toolbar and views), painted | "
             f"{_cell(fw.get('ours_complete'))} | | |"), "",
            "## Targets", "", "| target | scale | measured | target | result |",
            "|---|---|---|---|---|"]
    for t in targets(report):
        out.append("| " + " | ".join(_target_line(*t)) + " |")
    missing = [k for k in ("docx_one", "docx_all")
               if not any(t[0] == k for t in targets(report))]
    if missing:
        out += ["", "The .docx exports are not measured: no cluster-profile exporter "
                "(`desktop.core.export_docx`) exists in the tree yet; `bench/gui_tasks.py` "
                "times it as soon as it does."]
    out += [""]
    if NOTES.exists():
        out += [NOTES.read_text(encoding="utf-8").rstrip(), ""]
    return "\n".join(out)
