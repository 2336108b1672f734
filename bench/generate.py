"""Write the benchmark bundles to bench/out/: `python bench/generate.py [--scale county|england]`.

County scale goes the way a research officer's bundle goes: an input folder (CSV, GeoJSON,
bundle.toml as docs/input-format.md describes) packed by desktop.core.pack.build.pack. England scale
(41 million value rows) is written from the Bundle built in code through
desktop.core.bundle.encrypted.write_bundle, the writer pack itself ends with: a 41-million-row CSV would
take minutes to write and parse and proves nothing pack's county run does not.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.synthetic import SCALES, Scale, make_bundle  # noqa: E402
from desktop.core.model import Bundle  # noqa: E402

OUT = ROOT / "bench" / "out"
BENCH_PASSPHRASE = "benchmark-passphrase"  # synthetic data; the bundles are throwaway


def bundle_path(scale: str) -> Path:
    return OUT / f"{scale}.atlas"


def write_input_folder(bundle: Bundle, folder: Path) -> None:
    """The pack input folder that describes `bundle` (docs/input-format.md)."""
    if folder.exists():
        shutil.rmtree(folder)
    (folder / "values").mkdir(parents=True)
    m = bundle.manifest
    toml = {"title": m.title, "area_name": m.area_name, "geography_vintage": m.geography_vintage,
            "attribution": m.attribution, "licence": m.licence, "producer": m.producer,
            "description": m.description, "deprivation_indicator": m.deprivation_indicator}
    (folder / "bundle.toml").write_text(
        "".join(f"{k} = {json.dumps(v)}\n" for k, v in toml.items()), encoding="utf-8")
    import pandas as pd

    pd.DataFrame([{"id": i.id, "title": i.title, "theme": i.theme,
                   "value_type": i.value_type.value, "polarity": i.polarity.value,
                   "multiplier": i.multiplier, "unit": i.unit, "definition": i.definition,
                   "source": i.source, "synthetic": i.synthetic} for i in m.indicators]
                 ).to_csv(folder / "indicators.csv", index=False)
    bundle.areas[["area_code", "area_name", "district", "geometry"]].to_file(
        folder / "boundaries.geojson", driver="GeoJSON")
    bundle.areas[["area_code", "cluster"]].to_csv(folder / "clusters.csv", index=False)
    bundle.clusters.to_csv(folder / "cluster_names.csv", index=False)
    schools = pd.DataFrame(bundle.schools.drop(columns="geometry"))
    schools["easting"], schools["northing"] = bundle.schools.geometry.x, bundle.schools.geometry.y
    schools.to_csv(folder / "schools.csv", index=False)
    values = bundle.values
    # rows an officer would leave out: no value for the area and period
    values.to_csv(folder / "values" / "values.csv", index=False, float_format="%.10g",
                  na_rep="")


def generate(scale: Scale, log=print) -> dict[str, float]:
    """Write bench/out/<scale>.atlas; returns timings in seconds by step."""
    from desktop.core.bundle.encrypted import write_bundle
    from desktop.core.pack.build import pack

    OUT.mkdir(parents=True, exist_ok=True)
    times: dict[str, float] = {}
    start = time.perf_counter()
    bundle = make_bundle(scale)
    times["build in code"] = time.perf_counter() - start
    log(f"{scale.name}: {len(bundle.areas):,} areas, {len(bundle.clusters)} clusters, "
        f"{len(bundle.values):,} value rows built in {times['build in code']:.1f} s")
    target = bundle_path(scale.name)
    if scale.name == "county":
        folder = OUT / "county-input"
        start = time.perf_counter()
        write_input_folder(bundle, folder)
        times["write input folder"] = time.perf_counter() - start
        start = time.perf_counter()
        pack(folder, target, BENCH_PASSPHRASE)
        times["pack"] = time.perf_counter() - start
    else:
        start = time.perf_counter()
        write_bundle(bundle, target, BENCH_PASSPHRASE)
        times["write_bundle"] = time.perf_counter() - start
    log(f"{scale.name}: wrote {target} ({target.stat().st_size / 1e6:.1f} MB); " +
        ", ".join(f"{k} {v:.1f} s" for k, v in times.items()))
    return times


def ensure(scale: str, log=print) -> Path:
    """The bundle for `scale`, generated first when it is not there yet."""
    path = bundle_path(scale)
    if not path.exists():
        generate(SCALES[scale], log)
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=[*SCALES, "all"], default="all")
    args = parser.parse_args(argv)
    for name in SCALES if args.scale == "all" else [args.scale]:
        generate(SCALES[name])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
