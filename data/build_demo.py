"""Rebuild the Worcestershire demo bundle: `python data/build_demo.py`.

Writes a complete pack input folder (docs/input-format.md) from the real open data in
data/sources/ plus synthetic children's indicators and pupil records drawn from a fixed seed,
then packs it into data/worcestershire-demo.atlas with the demo passphrase. Two runs write
identical input files; the bundle bytes differ only because encryption is salted.

    python data/build_demo.py                      # rebuild the committed bundle
    python data/build_demo.py --inputs-only DIR    # write the input folder only, to inspect
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

DATA = Path(__file__).resolve().parent
ROOT = DATA.parent
for _path in (str(DATA), str(ROOT)):
    if _path not in sys.path:
        sys.path.insert(0, _path)

from demo import (
    SEED,  # noqa: E402
    sources,  # noqa: E402
)
from demo.clusters import assign_clusters, cluster_table, school_clusters  # noqa: E402
from demo.pupils import flag_indicators, outside_points, postcodes_in_areas, pupil_records  # noqa: E402
from demo.real import real_indicators  # noqa: E402
from demo.synthetic import (  # noqa: E402
    SOURCE,
    SYNTHETIC_NOTE,
    deprivation_z,
    synthetic_indicators,  # noqa: E402
)

DEMO_PASSPHRASE = "orchard-lantern-42"  # published in the README: this is demo data
OUTPUT = DATA / "worcestershire-demo.atlas"
INDICATOR_COLUMNS = ("id", "title", "theme", "value_type", "polarity", "multiplier", "unit",
                     "definition", "source", "synthetic")
THEME_ORDER = ("Population", "Deprivation", "Be healthy", "Stay safe", "Enjoy and achieve",
               "Make a positive contribution", "Achieve economic well-being")

BUNDLE_TOML = '''\
title = "Worcestershire school cluster profiles (demonstration)"
area_name = "Worcestershire"
geography_vintage = "LSOA 2011"
attribution = "Contains public sector information licensed under the Open Government Licence \
v3.0. Contains OS data © Crown copyright and database right. Children's indicators and pupil \
records are synthetic, for demonstration."
licence = "Open Government Licence v3.0 (real open data); synthetic data generated for this demo"
producer = "Cluster Atlas demo data (data/build_demo.py)"
contact = "Demonstration data: no one answers for it. A real bundle names its research team here."
description = "Real LSOA boundaries, IMD 2019, population, schools and postcodes for \
Worcestershire with synthetic children's indicators and twelve illustrative clusters. Synthetic \
figures are for demonstration only and describe no real child or school."
disclosure_threshold = 5
deprivation_indicator = "imd_score"
similar_indicators = ["imd_score", "total_population", "population_density"]
similar_count = 5
'''


def _number_text(value: float) -> str:
    if np.isnan(value):
        return ""
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def _write_csv(frame: pd.DataFrame, path: Path) -> None:
    """CSV with whole numbers written without a decimal point and blanks for missing."""
    out = frame.copy()
    for col in ("numerator", "denominator", "value", "easting", "northing"):
        if col in out:
            out[col] = out[col].astype(float).map(_number_text)
    path.parent.mkdir(parents=True, exist_ok=True)
    out.to_csv(path, index=False, lineterminator="\n")


def build_inputs(folder: Path, source_dir: Path = sources.SOURCES) -> dict[str, int]:
    """Write the whole pack input folder into `folder`; returns a few counts for the log."""
    rng_synthetic, rng_pupils = np.random.default_rng(SEED).spawn(2)
    folder.mkdir(parents=True, exist_ok=True)
    areas = sources.load_areas(source_dir)
    schools = sources.load_schools(source_dir)
    area_cluster = assign_clusters(areas, schools)
    schools["cluster"] = school_clusters(schools, areas, area_cluster)

    real_meta, real_values = real_indicators(areas)
    synth_meta, synth_values = synthetic_indicators(areas, area_cluster, rng_synthetic)
    meta = pd.concat([real_meta, synth_meta, flag_indicators(SOURCE, SYNTHETIC_NOTE)],
                     ignore_index=True)
    meta["order"] = meta["theme"].map({t: i for i, t in enumerate(THEME_ORDER)})
    meta = meta.sort_values("order", kind="stable")[list(INDICATOR_COLUMNS)]

    postcodes = postcodes_in_areas(sources.load_postcodes(source_dir), areas)
    outside = outside_points(sources.load_county(source_dir), areas)
    pupils = pupil_records(areas, area_cluster.to_numpy(), deprivation_z(areas), schools,
                           schools["cluster"].to_numpy(), postcodes, outside, rng_pupils)
    # the whole lookup, not only the pupils' postcodes: the bundle stores it for finding
    # postcodes and custom areas, and a lookup narrowed to pupils would say where they live
    lookup = pd.concat([postcodes[["postcode", "easting", "northing"]].assign(
        note="real postcode (ONS NSPD Nov 2025)"), outside], ignore_index=True)

    (folder / "bundle.toml").write_text(BUNDLE_TOML, encoding="utf-8")
    (folder / "boundaries.geojson").write_text(
        json.dumps(sources.boundary_geojson(source_dir), separators=(",", ":")),
        encoding="utf-8")
    _write_csv(meta, folder / "indicators.csv")
    _write_csv(real_values, folder / "values" / "real.csv")
    _write_csv(synth_values, folder / "values" / "synthetic.csv")
    _write_csv(pd.DataFrame({"area_code": areas["area_code"], "cluster": area_cluster}),
               folder / "clusters.csv")
    _write_csv(cluster_table(), folder / "cluster_names.csv")
    _write_csv(schools[["school_id", "name", "cluster", "phase", "school_type", "pupils",
                        "easting", "northing"]], folder / "schools.csv")
    _write_csv(pupils, folder / "pupils.csv")
    _write_csv(lookup, folder / "postcodes.csv")
    return {"areas": len(areas), "indicators": len(meta), "values": len(real_values)
            + len(synth_values), "pupils": len(pupils), "postcodes": len(lookup)}


def build_bundle(output: Path = OUTPUT) -> Path:
    """Generate the inputs in a temporary folder and pack them into `output`."""
    from desktop.core.pack.build import pack

    with tempfile.TemporaryDirectory(prefix="cluster-atlas-demo-") as tmp:
        counts = build_inputs(Path(tmp))
        print("inputs:", ", ".join(f"{v:,} {k}" for k, v in counts.items()))
        pack(tmp, output, DEMO_PASSPHRASE)
    return output


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--inputs-only", type=Path, metavar="DIR",
                        help="write the pack input folder to DIR and stop")
    parser.add_argument("-o", "--output", type=Path, default=OUTPUT,
                        help=f"bundle to write (default {OUTPUT.relative_to(ROOT)})")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    if args.inputs_only:
        counts = build_inputs(args.inputs_only)
        print("inputs:", ", ".join(f"{v:,} {k}" for k, v in counts.items()))
        print(f"wrote {args.inputs_only} in {time.perf_counter() - start:.1f} s")
    else:
        out = build_bundle(args.output)
        print(f"wrote {out} ({out.stat().st_size / 1e6:.1f} MB) in "
              f"{time.perf_counter() - start:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
