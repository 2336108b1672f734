"""Benchmark measurements that need no window: opening a bundle, and the naive baselines.

Each function runs inside its own worker process (bench/worker.py) so its peak memory is its
own, and returns a JSON-able dict of timing summaries (bench.timing.summary).
"""

from __future__ import annotations

import io
import time
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pyrage

from bench.timing import repeat, summary


def key_derivation(data: bytes, passphrase: str) -> float:
    """Seconds for scrypt alone, at the bundle's own work factor: age-decrypting the bundle
    cut after its header and first payload chunk runs the key derivation and the header MAC,
    then fails on the missing last chunk without decrypting anything else."""
    end = data.index(b"\n", data.index(b"\n--- ") + 1) + 1
    cut = data[:end + 16 + 64 * 1024 + 15]
    start = time.perf_counter()
    try:
        pyrage.passphrase.decrypt(cut, passphrase)
    except pyrage.DecryptError as exc:
        if "Decryption failed" in str(exc):
            raise  # a wrong passphrase: scrypt ran but the figure would not mean what it says
    else:
        raise AssertionError("a truncated bundle decrypted")
    return time.perf_counter() - start


def open_bundle(path: Path, passphrase: str, runs: int) -> dict:
    """Our open (read, decrypt, parse, compute_statistics) step by step, against a naive open
    of the same decrypted bytes (pandas/geopandas read of the tables, groupby sums, no
    intervals). Scrypt is timed alone in each run just before the open and subtracted from
    that run's decryption."""
    from desktop.core.bundle.archive import bundle_from_zip
    from desktop.core.bundle.encrypted import check_age_header, decrypt
    from desktop.core.geometry.display import SCREEN_SIMPLIFY_METRES
    from desktop.core.maps import shapes
    from desktop.core.stats.aggregate import compute_statistics
    from desktop.core.workspace import derive

    steps: dict[str, list[float]] = {k: [] for k in ("kdf", "decrypt", "parse", "aggregate",
                                                     "geometry", "beyond", "naive")}
    for _ in range(runs):
        kdf = key_derivation(path.read_bytes(), passphrase)
        start = time.perf_counter()
        binary = check_age_header(path.read_bytes(), path.name)
        payload = decrypt(binary, passphrase, path.name)
        t_dec = time.perf_counter()
        bundle = bundle_from_zip(payload, path.name)
        t_parse = time.perf_counter()
        derived = derive(bundle)  # statistics and map geometry side by side, as the app does
        t_derive = time.perf_counter()
        del derived
        # each on its own, for the breakdown rows
        t0 = time.perf_counter()
        stats = compute_statistics(bundle)
        t_agg = time.perf_counter()
        geometry = shapes.prepare_geometry(bundle.areas, bundle.schools,
                                           simplify=SCREEN_SIMPLIFY_METRES,
                                           display=bundle.display)
        t_geo = time.perf_counter()
        del bundle, stats, geometry
        # scrypt's own run-to-run swing is larger than the payload's decryption: clamp at 0
        steps["kdf"].append(kdf)
        steps["decrypt"].append(max(0.0, t_dec - start - kdf))
        steps["parse"].append(t_parse - t_dec)
        steps["aggregate"].append(t_agg - t0)
        steps["geometry"].append(t_geo - t_agg)
        steps["beyond"].append(steps["decrypt"][-1] + t_derive - t_dec)
        start = time.perf_counter()
        _naive_open(payload)  # the same decrypted bytes: decryption costs both the same
        steps["naive"].append(steps["decrypt"][-1] + time.perf_counter() - start)
        del payload, binary
    return {k: summary(v) for k, v in steps.items()}


def open_peak(path: Path, passphrase: str, naive: bool) -> dict:
    """The memory of one open, ours or naive, in a process of its own: the key derivation runs
    in its child process (age_process), so this process's high-water mark (VmHWM) is the open
    beyond it: the decrypted payload, then parsing and, for ours, the statistics and the map's
    geometry. `before_mb`: resident memory with the libraries imported, before the open."""
    import geopandas  # noqa: F401  (both opens need it; imported before the baseline)

    from bench.timing import own_memory_mb
    from desktop.core.bundle.archive import bundle_from_zip
    from desktop.core.bundle.encrypted import check_age_header, decrypt
    from desktop.core.workspace import derive

    before = own_memory_mb()["rss_mb"]
    payload = decrypt(check_age_header(path.read_bytes(), path.name), passphrase, path.name)
    if naive:
        kept = _naive_open(payload)
    else:
        bundle = bundle_from_zip(payload, path.name)
        del payload
        kept = (bundle, derive(bundle))
    after = own_memory_mb()
    del kept
    return {"before_mb": before, "peak_mb": after["hwm_mb"], "rss_mb": after["rss_mb"]}


def _naive_open(payload: bytes) -> pd.DataFrame:
    """Parse and sum the decrypted ZIP the simplest way: no checks, no intervals."""
    import geopandas as gpd

    with zipfile.ZipFile(io.BytesIO(payload)) as archive:
        areas = gpd.read_parquet(io.BytesIO(archive.read("areas.parquet")))
        values = pd.read_parquet(io.BytesIO(archive.read("values.parquet")))
    merged = values.merge(areas[["area_code", "cluster"]], on="area_code")
    sums = merged.groupby(["indicator_id", "period", "cluster"])[
        ["numerator", "denominator"]].sum()
    county = merged.groupby(["indicator_id", "period"])[["numerator", "denominator"]].sum()
    return pd.concat([sums, county])


def _value_columns(path: Path, passphrase: str, n: int):
    """The areas and the first n indicators' latest values as plain columns (naive maps)."""
    from desktop.core.bundle.encrypted import read_bundle

    bundle = read_bundle(path, passphrase)
    inds = bundle.manifest.indicators[:n]
    values = bundle.values
    gdf = bundle.areas[["area_code", "geometry"]].copy()
    for ind in inds:
        rows = values[(values["indicator_id"] == ind.id) & (values["period"] == ind.periods[-1])]
        v = (rows["numerator"] / rows["denominator"] * ind.multiplier
             if ind.value_type.has_ratio else rows["numerator"]
             if ind.value_type.value == "count" else rows["value"])
        gdf[ind.id] = gdf["area_code"].map(pd.Series(v.to_numpy(), index=rows["area_code"]))
    return gdf, [ind.id for ind in inds]


def naive_plot(path: Path, passphrase: str, runs: int, size: tuple[float, float]) -> dict:
    """`ax.clear(); gdf.plot(column=...)` and a draw, per indicator, on a figure the size of
    the on-screen map; and a naive hit-test (GeoSeries.contains over every area)."""
    import shapely
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    gdf, columns = _value_columns(path, passphrase, runs + 1)
    fig = Figure(figsize=size, dpi=100)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()

    def switch(i: int) -> None:
        ax.clear()
        gdf.plot(column=columns[i], ax=ax, legend=True)
        fig.canvas.draw()

    switch(runs)  # warm-up: imports and caches
    plot = repeat(switch, runs)
    points = _random_points(gdf.total_bounds, 50)
    hits = repeat(lambda i: np.flatnonzero(gdf.geometry.contains(points[i])), len(points))
    del shapely
    return {"switch": plot, "hit_test": hits}


def _random_points(bounds, n: int):
    import shapely

    rng = np.random.default_rng(7)
    minx, miny, maxx, maxy = bounds
    return shapely.points(rng.uniform(minx, maxx, n), rng.uniform(miny, maxy, n))


# Runs the command line as `cluster-atlas` does, then writes on stderr's last line its own CPU
# seconds (the key derivation's child apart) and the heavy libraries it imported.
_COMMAND = ("import atexit, runpy, sys, time\n"
            "def report():\n"
            "    names = ('geopandas', 'matplotlib', 'PySide6', 'pyproj', 'scipy', 'pandas')\n"
            "    sys.stderr.write(f'\\nCOMMAND {time.process_time()} ' + ' '.join(\n"
            "        n for n in names if n in sys.modules) + '\\n')\n"
            "atexit.register(report)\n"
            "runpy.run_module('desktop.cli', run_name='__main__')\n")


def inspect_command(path: Path, passphrase: str, runs: int) -> dict:
    """`cluster-atlas inspect BUNDLE` in a fresh Python each run, from starting the process to
    its end, with the key derivation timed alone just before and subtracted (clamped at zero);
    the command's own CPU seconds (which a loaded machine inflates less than wall time); and
    the heavy libraries it imported."""
    import os
    import subprocess
    import sys

    env = {**os.environ, "CLUSTER_ATLAS_PASSPHRASE": passphrase}
    beyond, totals, cpu, imported = [], [], [], []
    for _ in range(runs):
        kdf = key_derivation(path.read_bytes(), passphrase)
        start = time.perf_counter()
        done = subprocess.run([sys.executable, "-c", _COMMAND, "inspect", str(path)], env=env,
                              cwd=Path(__file__).resolve().parent.parent, capture_output=True,
                              text=True, check=True)
        totals.append(time.perf_counter() - start)
        beyond.append(max(totals[-1] - kdf, 0.0))
        seconds, *imported = done.stderr.rstrip("\n").rpartition("\nCOMMAND ")[2].split()
        cpu.append(float(seconds))
    return {"beyond": summary(beyond), "total": summary(totals), "cpu": summary(cpu),
            "imported": imported}
