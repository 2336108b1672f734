"""Run the benchmarks and write docs/benchmarks.md: `python bench/run.py [--quick] [--scale S]`.

Each measurement runs in its own worker process (bench/worker.py), so peak memory is the
worker's own (os.wait4's ru_maxrss) and one scale's garbage never slows the other. Bundles
are generated into bench/out/ first when missing (bench/generate.py). --quick is county only.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.generate import ensure  # noqa: E402
from bench.report import render_markdown, render_table  # noqa: E402
from bench.timing import summary  # noqa: E402

WORKER = ROOT / "bench" / "worker.py"
DOC = ROOT / "docs" / "benchmarks.md"
LATEST = ROOT / "bench" / "out" / "latest.json"
# runs per measurement: (open, switches, naive plots); England runs are fewer but slow
RUNS = {"county": (3, 11, 5), "england": (2, 5, 3)}
FIRST_WINDOW_RUNS = 3


def worker(*args: str) -> tuple[dict, float, float]:
    """Run one worker; returns (its JSON, peak RSS in MB, wall seconds)."""
    start = time.time()
    with tempfile.TemporaryFile("w+") as err:
        proc = subprocess.Popen([sys.executable, str(WORKER), *args], stdout=subprocess.PIPE,
                                stderr=err, cwd=ROOT, text=True)
        out = proc.stdout.read()
        _, status, usage = os.wait4(proc.pid, 0)  # reaps it: ru_maxrss is this worker's own
        proc.returncode = os.waitstatus_to_exitcode(status)
        proc.stdout.close()
        if proc.returncode:
            err.seek(0)
            raise RuntimeError(f"worker {' '.join(args)} failed:\n{err.read()[-3000:]}")
    peak_kb = usage.ru_maxrss
    return json.loads(out.strip().splitlines()[-1]), peak_kb / 1024, time.time() - start


def first_window() -> dict:
    """From starting Python to the first paint (and to the first paint of the built window),
    ours and naive in turn, so both see the same load."""
    samples: dict[str, list[float]] = {"ours": [], "ours_complete": [], "naive": []}
    for _ in range(FIRST_WINDOW_RUNS):
        for task, key in (("first-window", "ours"), ("naive-first-window", "naive")):
            start = time.time()
            result, _peak, _wall = worker(task)
            samples[key].append(result["painted_at"] - start)
            if key == "ours":
                samples["ours_complete"].append(result["complete_at"] - start)
    return {key: summary(values) for key, values in samples.items()}


def run_scale(scale: str, log) -> dict:
    ensure(scale, log)
    n_open, n_switch, n_naive = RUNS[scale]
    results: dict = {}
    _, results["kdf_peak_mb"], _ = worker("kdf", "--scale", scale)
    log(f"{scale}: opening ({n_open} runs, with the naive open)")
    results["open"], results["open_peak_mb"], _ = worker("open", "--scale", scale,
                                                         "--runs", str(n_open))
    log(f"{scale}: the memory of opening, ours and naive each in its own process")
    results["open_memory"] = {which: worker(task, "--scale", scale)[0] for which, task in
                              (("ours", "open-peak"), ("naive", "naive-open-peak"))}
    log(f"{scale}: cluster-atlas inspect ({n_open} runs)")
    results["inspect"] = worker("inspect", "--scale", scale, "--runs", str(n_open))[0]
    log(f"{scale}: main window ({n_switch} switches)")
    args = ["gui", "--scale", scale, "--runs", str(n_switch)]
    if scale == "county":
        args.append("--exports")
    results["gui"], results["gui_peak_mb"], _ = worker(*args)
    size = [str(v) for v in results["gui"]["map_size_in"]]
    log(f"{scale}: naive GeoDataFrame.plot ({n_naive} runs)")
    results["naive"], results["naive_peak_mb"], _ = worker("naive", "--scale", scale, "--runs",
                                                           str(n_naive), "--size", *size)
    return results


def machine() -> dict:
    cpu = next((line.split(":", 1)[1].strip() for line in
                Path("/proc/cpuinfo").read_text().splitlines() if line.startswith("model name")),
               platform.processor())
    mem_kb = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
                  if line.startswith("MemTotal"))
    return {"cpus": os.cpu_count(), "cpu": cpu, "ram_gb": mem_kb / 1024**2,
            "python": platform.python_version(), "system": platform.platform(),
            "load": os.getloadavg()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="county scale only")
    parser.add_argument("--scale", choices=["county", "england"], help="one scale only")
    parser.add_argument("--no-doc", action="store_true", help="print only; leave the doc alone")
    parser.add_argument("--render", action="store_true",
                        help="rewrite docs/benchmarks.md from bench/out/latest.json, no runs")
    args = parser.parse_args(argv)
    if args.render:
        DOC.write_text(render_markdown(json.loads(LATEST.read_text())), encoding="utf-8")
        return 0
    scales = ["county"] if args.quick else [args.scale] if args.scale else ["county", "england"]

    def log(message: str) -> None:
        print(f"[{time.time() - started:6.1f} s] {message}", file=sys.stderr, flush=True)

    started = time.time()
    report = {"machine": machine(), "scales": {},
              "when": time.strftime("%Y-%m-%d %H:%M")}
    log("first window after launch")
    report["first_window"] = first_window()
    for scale in scales:
        report["scales"][scale] = run_scale(scale, log)
    report["total_seconds"] = time.time() - started
    report["machine"]["load_after"] = os.getloadavg()
    print(render_table(report))
    LATEST.parent.mkdir(exist_ok=True)
    LATEST.write_text(json.dumps(report, indent=1))
    if not args.no_doc and set(scales) == {"county", "england"}:
        DOC.write_text(render_markdown(report), encoding="utf-8")
        log(f"wrote {DOC.relative_to(ROOT)}")
    log("done")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
