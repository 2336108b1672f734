"""Building a bundle from a folder of inputs (docs/input-format.md): `read_inputs` and `pack`.

Everything is read and checked before anything is written, and the bundle is written
atomically, so a bad input leaves no file behind and never damages an existing bundle.
"""

from __future__ import annotations

import datetime as dt
import os
import tomllib
from pathlib import Path

import pandas as pd

from desktop import APP_NAME, __version__
from desktop.core.bundle.passphrase import check_new_passphrase
from desktop.core.errors import InputError
from desktop.core.model import (
    DEFAULT_DISCLOSURE_THRESHOLD,
    SPREAD_COLUMNS,
    VALUE_COLUMNS,
    Bundle,
    Manifest,
)
from desktop.core.pack.geo import (
    build_areas,
    build_clusters,
    parse_cluster_lookup,
    parse_schools,
    read_boundaries,
    read_geofile,
)
from desktop.core.pack.pupils import (
    aggregate_pupils,
    parse_flows,
    postcode_lookup,
    postcode_table,
)
from desktop.core.pack.read import FILE, ROW, display_name, fail_first, find_table, read_table
from desktop.core.pack.tables import (
    build_indicators,
    combine_values,
    parse_indicators,
    parse_values,
)
from desktop.core.tasks import Task
from desktop.core.text import TEXT_LIMITS, clean

SETTINGS_FILE = "bundle.toml"
REQUIRED_SETTINGS = ("title", "area_name", "geography_vintage", "attribution", "licence")
OPTIONAL_SETTINGS = ("producer", "contact", "description", "disclosure_threshold",
                     "deprivation_indicator", "similar_indicators", "similar_count", "created")
GEO_EXTENSIONS = (".geojson", ".gpkg", ".shp")


def read_settings(folder: Path) -> dict:
    """bundle.toml, with every required key present and no unknown key (typos are caught)."""
    path = folder / SETTINGS_FILE
    if not path.is_file():
        raise InputError(f"the required file {SETTINGS_FILE} is missing from {folder}.")
    try:
        settings = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise InputError("the file is not UTF-8 text; save it as UTF-8.",
                         file=SETTINGS_FILE) from exc
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"the file is not valid TOML: {exc}.", file=SETTINGS_FILE) from exc
    for key in settings:
        if key not in REQUIRED_SETTINGS + OPTIONAL_SETTINGS:
            raise InputError(f"unknown setting {key!r}. Known settings: "
                             f"{', '.join(REQUIRED_SETTINGS + OPTIONAL_SETTINGS)}.",
                             file=SETTINGS_FILE)
    for key in REQUIRED_SETTINGS:
        if not str(settings.get(key, "")).strip():
            raise InputError(f"the required setting {key!r} is missing or empty.",
                             file=SETTINGS_FILE)
    for key, value in settings.items():
        if isinstance(value, str):
            settings[key] = clean(value)
            if len(settings[key]) > TEXT_LIMITS.get(key, len(settings[key])):
                raise InputError(f"the setting {key!r} is {len(value):,} characters long; at "
                                 f"most {TEXT_LIMITS[key]} are allowed (docs/input-format.md "
                                 "lists each limit).", file=SETTINGS_FILE)
    threshold = settings.get("disclosure_threshold", DEFAULT_DISCLOSURE_THRESHOLD)
    if isinstance(threshold, bool) or not isinstance(threshold, int) or threshold < 0:
        raise InputError("disclosure_threshold must be a whole number, 0 or more.",
                         file=SETTINGS_FILE)
    return settings


def _similar_settings(settings: dict, ids: set[str]) -> tuple[tuple[str, ...], int]:
    """similar_indicators (indicator ids) and similar_count (a whole number from 1): the
    context that finds each cluster's similar clusters."""
    chosen = settings.get("similar_indicators", [])
    if not isinstance(chosen, list) or not all(isinstance(i, str) for i in chosen):
        raise InputError("similar_indicators must be a list of indicator ids, e.g. "
                         '["imd_score", "total_population"].', file=SETTINGS_FILE)
    unknown = [i for i in chosen if i not in ids]
    if unknown:
        raise InputError(f"similar_indicators names {', '.join(map(repr, unknown))}: not "
                         "an indicator id in indicators.", file=SETTINGS_FILE)
    count = settings.get("similar_count", 0)
    if isinstance(count, bool) or not isinstance(count, int) or count < 0 or \
            (count and not chosen):
        raise InputError("similar_count must be a whole number from 1, given with "
                         "similar_indicators.", file=SETTINGS_FILE)
    return tuple(chosen), count


def _timestamp(value: object | None) -> str:
    if value is None:
        return dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat()
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def _read_values(folder: Path, indicators: pd.DataFrame, area_codes: pd.Index,
                 task: Task) -> list[pd.DataFrame]:
    files = sorted(p for p in (folder / "values").glob("*")
                   if p.suffix.lower() in (".csv", ".xlsx") and not p.name.startswith("~$"))
    if not files:
        raise InputError(f"no values files: put one or more .csv or .xlsx files in "
                         f"{folder / 'values'}.")
    parts = []
    for i, path in enumerate(files):
        task.report(0.3 + 0.3 * i / len(files), f"Reading {path.name}")
        frame = read_table(path, display_name(path, folder))
        parts.append(parse_values(frame, indicators, area_codes))
    return parts


def read_inputs(input_dir: str | os.PathLike, task: Task | None = None) -> Bundle:
    """Read and check a pack input folder and return the Bundle it describes.

    Raises InputError (naming file, row and column) for any problem with the inputs.
    """
    task = task or Task()
    folder = Path(input_dir)
    if not folder.is_dir():
        raise InputError(f"the input folder {folder} does not exist.")

    def table(stem: str, required: bool = True, extensions=(".csv", ".xlsx")):
        path = find_table(folder, stem, extensions, required)
        if path is None:
            return None
        if path.suffix.lower() in GEO_EXTENSIONS:
            return read_geofile(path, path.name)
        return read_table(path, path.name)

    task.report(0.0, "Reading bundle.toml and indicators")
    settings = read_settings(folder)
    spec = parse_indicators(table("indicators"))
    task.report(0.1, "Reading boundaries")
    boundary_path = find_table(folder, "boundaries", GEO_EXTENSIONS)
    boundaries = read_boundaries(boundary_path, boundary_path.name)
    area_codes = pd.Index(boundaries["area_code"])
    task.report(0.2, "Reading clusters")
    lookup = parse_cluster_lookup(table("clusters"), area_codes)
    clusters = build_clusters(lookup, table("cluster_names", required=False))
    areas = build_areas(boundaries, lookup)
    value_parts = _read_values(folder, spec, area_codes, task)
    task.report(0.6, "Reading schools")
    schools = parse_schools(table("schools", extensions=(".csv", ".xlsx", ".geojson")),
                            areas, clusters)

    flows_frame = table("flows", required=False)
    pupils_frame = table("pupils", required=False)
    postcodes_frame = table("postcodes", required=pupils_frame is not None, extensions=(".csv",))
    postcode_rows = (None if postcodes_frame is None
                     else postcode_lookup(postcodes_frame, areas))
    flows = school_pupils = None
    if pupils_frame is not None:
        if flows_frame is not None:
            raise InputError("pupils and flows are both present: pupil records produce the "
                             "flows themselves, so remove one of them.",
                             file=str(flows_frame[FILE].iloc[0]))
        task.report(0.7, "Aggregating pupil records")
        counted = aggregate_pupils(pupils_frame, postcode_rows, spec, areas, schools)
        flows, school_pupils = counted.flows, counted.school_pupils
        for part in value_parts:
            fail_first(part, part["indicator_id"].isin(counted.flag_ids),
                       "indicator {value} comes from a flag column of the pupil records; give "
                       "its values in one place only.", "indicator_id")
        if counted.values is not None:
            value_parts.append(counted.values.assign(**{FILE: pupils_frame[FILE].iloc[0],
                                                        ROW: 0}))
    elif flows_frame is not None:
        flows = parse_flows(flows_frame, clusters, area_codes)

    task.report(0.85, "Checking values")
    values, age_bands = combine_values(value_parts, spec)
    indicators = build_indicators(spec, values)
    deprivation = settings.get("deprivation_indicator")
    if deprivation is not None and deprivation not in set(spec["id"]):
        raise InputError(f"deprivation_indicator {deprivation!r} is not an indicator id.",
                         file=SETTINGS_FILE)
    similar, count = _similar_settings(settings, set(spec["id"]))
    manifest = Manifest(
        title=settings["title"], area_name=settings["area_name"],
        created=_timestamp(settings.get("created")),
        producer=settings.get("producer") or f"{APP_NAME} {__version__}",
        geography_vintage=settings["geography_vintage"], attribution=settings["attribution"],
        licence=settings["licence"], indicators=indicators,
        disclosure_threshold=settings.get("disclosure_threshold", DEFAULT_DISCLOSURE_THRESHOLD),
        description=settings.get("description", ""), deprivation_indicator=deprivation,
        contact=settings.get("contact", ""),
        similar_indicators=similar, similar_count=count,
    )
    task.report(0.9, "Inputs checked")
    columns = [*VALUE_COLUMNS, *(c for c in SPREAD_COLUMNS if values[c].notna().any())]
    return Bundle(manifest=manifest, areas=areas, clusters=clusters, schools=schools,
                  values=values[columns].reset_index(drop=True), flows=flows,
                  age_bands=age_bands, school_pupils=school_pupils,
                  postcodes=None if postcode_rows is None else postcode_table(postcode_rows))


def pack(input_dir: str | os.PathLike, output: str | os.PathLike, passphrase: str,
         task: Task | None = None) -> Bundle:
    """Read `input_dir`, then write the encrypted bundle to `output` atomically."""
    from desktop.core.bundle.encrypted import (
        write_bundle,  # the format module; imported when writing
    )

    task = task or Task()
    check_new_passphrase(passphrase, (Path(output).stem,))  # before minutes of reading
    bundle = read_inputs(input_dir, task)
    task.report(0.9, f"Writing {Path(output).name}")
    # the writer's own 0..1 progress fills the last tenth; cancelling still reaches it
    write_bundle(bundle, output, passphrase, Task(lambda f, m: task.report(0.9 + 0.1 * f, m)))
    task.report(1.0, "Done")
    return bundle
