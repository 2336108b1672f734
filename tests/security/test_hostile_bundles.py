"""Hostile bundles beyond tests/core/bundle/test_bundle.py: re-zipped archives with altered members,
archives whose size records lie, manifests built to crash or stall the reader, and a property
test over random re-zip mutations. Every case must end in an AtlasError (or a valid bundle,
when a mutation happens to be harmless) within the time and memory budget: never a traceback,
a hang or a runaway allocation.

These work on the decrypted ZIP layer (bundle_from_zip): age authenticates the ciphertext, so
these are the files a passphrase holder could hand-make, or a bug could write. Truncation and
bit flips of the encrypted file are in tests/core/bundle/test_bundle.py.
"""

from __future__ import annotations

import dataclasses
import io
import json
import zipfile

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop.core import model
from desktop.core.bundle import age_process
from desktop.core.bundle.age_header import MAX_WORK_FACTOR, check_passphrase_header
from desktop.core.bundle.archive import bundle_from_zip, bundle_to_zip
from desktop.core.bundle.encrypted import read_bundle
from desktop.core.bundle.summary import summary_from_zip
from desktop.core.bundle.tables import encode_table
from desktop.core.errors import (
    BundleContentError,
    DamagedBundle,
    NewerFormat,
    NotABundle,
    RefusedBundle,
)
from desktop.core.stats.aggregate import compute_statistics
from desktop.core.stats.bundle_audit import audit_bundle
from desktop.core.stats.crossborder import flow_matrices
from desktop.core.stats.pooling import PUBLISHED_POOL, pool_periods
from tests.core.bundle_factory import make_bundle
from tests.security.hostile import (
    HEADER_BOMBS,
    age_file,
    areas_parquet,
    members_of,
    outcome_within_budget,
    rezip,
    scrypt_stanza,
    set_declared_size,
    set_directory_offset,
    set_method,
    with_geo_crs,
)

SAMPLE = make_bundle(flows=True)
ZIP = bundle_to_zip(SAMPLE)
MEMBERS = members_of(ZIP)
MANIFEST = json.loads(MEMBERS["manifest.json"])
TABLES = [name for name in MEMBERS if name.endswith(".parquet")]


def _manifest(**changes) -> dict[str, bytes]:
    return MEMBERS | {"manifest.json": json.dumps(MANIFEST | changes).encode()}


def _indicator(**changes) -> dict[str, bytes]:
    first = MANIFEST["indicators"][0] | changes
    return _manifest(indicators=[first, *MANIFEST["indicators"][1:]])


def _shapes(change: dict[int, object]) -> list:
    shapes = list(SAMPLE.areas.geometry)
    for i, shape in change.items():
        shapes[i] = shape
    return shapes


X0, Y0 = 385_000.0, 255_000.0
BOW_TIE = shapely.Polygon([(X0, Y0), (X0 + 1000, Y0 + 1000), (X0 + 1000, Y0), (X0, Y0 + 1000)])


def _open(data: bytes):
    return outcome_within_budget(lambda: bundle_from_zip(data, "hostile.atlas"))


def _summarise(data: bytes):
    return outcome_within_budget(lambda: summary_from_zip(data, "hostile.atlas"))


# (id, archive bytes, expected error, words in the message)
CASES = [
    # manifests built to crash or stall the reader
    ("manifest nested 100,000 deep", rezip(MEMBERS | {"manifest.json": b"[" * 100_000}),
     BundleContentError, "manifest.json"),
    ("manifest nested deep but closed",
     rezip(MEMBERS | {"manifest.json": b"[" * 50_000 + b"]" * 50_000}),
     BundleContentError, "nested too deeply"),
    ("60,000 indicators", rezip(_manifest(indicators=[
        MANIFEST["indicators"][0] | {"id": f"i{i}"} for i in range(60_000)])),
     BundleContentError, "does not list"),
    ("5,000 copies of one indicator", rezip(_manifest(
        indicators=[MANIFEST["indicators"][0]] * 5_000), zipfile.ZIP_STORED),
     BundleContentError, "more than once"),
    ("threshold 10^400", rezip(_manifest(disclosure_threshold=10**400)),
     BundleContentError, "disclosure_threshold"),
    ("indicator threshold -1", rezip(_indicator(disclosure_threshold=-1)),
     BundleContentError, "disclosure_threshold"),
    ("multiplier 1e400 (infinite)", rezip(_indicator(multiplier=1e400)),
     BundleContentError, "multiplier"),
    ("multiplier NaN", rezip(MEMBERS | {"manifest.json": json.dumps(
        MANIFEST | {"indicators": [MANIFEST["indicators"][0] | {"multiplier": float("nan")},
                                   *MANIFEST["indicators"][1:]]}).encode()}),
     BundleContentError, "multiplier"),
    ("multiplier negative", rezip(_indicator(multiplier=-100)), BundleContentError, "multiplier"),
    ("periods not text", rezip(_indicator(periods=[2019, 2020])), BundleContentError, "periods"),
    ("manifest in UTF-16", rezip(MEMBERS | {"manifest.json": json.dumps(MANIFEST).encode(
        "utf-16")}), BundleContentError, "UTF-8"),
    ("manifest is a list", rezip(MEMBERS | {"manifest.json": b"[]"}), NotABundle, "format"),
    # wrongly versioned
    ("format_version 0", rezip(_manifest(format_version=0)), BundleContentError, "format_version"),
    ("format_version 1.0", rezip(_manifest(format_version=1.0)), BundleContentError,
     "format_version"),
    ("format_version true", rezip(_manifest(format_version=True)), BundleContentError,
     "format_version"),
    ("format_version null", rezip(_manifest(format_version=None)), BundleContentError,
     "format_version"),
    ("format_version newer", rezip(_manifest(format_version=model.FORMAT_VERSION + 1)),
     NewerFormat, "Please update"),
    ("format_version 10^100", rezip(_manifest(format_version=10**100)), NewerFormat,
     "Please update"),
    # re-zipped archives with altered members
    ("second manifest.json appended", rezip([*MEMBERS.items(), (
        "manifest.json", json.dumps(MANIFEST | {"title": "Spoofed"}).encode())]),
     DamagedBundle, "same name"),
    ("second values.parquet appended", rezip([*MEMBERS.items(), (
        "values.parquet", MEMBERS["areas.parquet"])]), DamagedBundle, "same name"),
    ("values swapped for areas", rezip(MEMBERS | {"values.parquet": MEMBERS["areas.parquet"]}),
     BundleContentError, "values.parquet has no column 'indicator_id'"),
    ("areas swapped for values", rezip(MEMBERS | {"areas.parquet": MEMBERS["values.parquet"]}),
     BundleContentError, "areas.parquet has no column"),
    ("manifest as a table", rezip(MEMBERS | {"schools.parquet": MEMBERS["manifest.json"]}),
     BundleContentError, "not a readable Parquet file"),
    ("table emptied", rezip(MEMBERS | {"clusters.parquet": b""}), BundleContentError,
     "clusters.parquet"),
    ("table cut in half", rezip(MEMBERS | {"values.parquet": MEMBERS["values.parquet"][:3000]}),
     BundleContentError, "values.parquet"),
    ("Parquet footer flipped", rezip(MEMBERS | {"areas.parquet": MEMBERS["areas.parquet"][:-12]
                                                + b"\xff" + MEMBERS["areas.parquet"][-11:]}),
     BundleContentError, "areas.parquet"),
    ("table pointed at the manifest", rezip(_manifest(tables=MANIFEST["tables"] | {
        "values": "manifest.json"})), BundleContentError, "manifest.json"),
    ("table pointed outside the archive", rezip(_manifest(tables=MANIFEST["tables"] | {
        "values": "../../etc/passwd"})), BundleContentError, "no ../../etc/passwd"),
    ("tables not a mapping", rezip(_manifest(tables=["values.parquet"])), BundleContentError,
     "tables"),
    ("members renamed", rezip({name.upper(): data for name, data in MEMBERS.items()}),
     NotABundle, "no manifest.json"),
    # archives whose size records lie, or that use methods we do not read
    ("central directory: values smaller than it is",
     set_declared_size(rezip(MEMBERS), "values.parquet", 100), DamagedBundle, "values.parquet"),
    ("central directory: values larger than it is",
     set_declared_size(rezip(MEMBERS), "values.parquet", len(MEMBERS["values.parquet"]) + 999),
     DamagedBundle, "values.parquet"),
    ("central directory: manifest 3.9 GiB",
     set_declared_size(rezip(MEMBERS), "manifest.json", 0xF0000000), DamagedBundle, "inflate"),
    ("local header disagrees with the directory",
     set_declared_size(rezip(MEMBERS, zipfile.ZIP_STORED), "manifest.json", 5, local=True),
     None, None),  # the reader trusts the central directory and the CRC, and both are right
    ("compression method 99 (AES)", set_method(rezip(MEMBERS), 99), BundleContentError,
     "cannot be read"),
    ("compression method 6 (implode)", set_method(rezip(MEMBERS), 6), BundleContentError,
     "cannot be read"),
    ("ZIP cut before its directory", rezip(MEMBERS)[:-30], NotABundle, "not a ZIP archive"),
    ("end record: directory past the end", set_directory_offset(rezip(MEMBERS), len(ZIP) + 99),
     DamagedBundle, "outside the archive"),  # was "negative seek value"
    ("end record: directory at 4 GiB", set_directory_offset(rezip(MEMBERS), 0xFFFFFF00),
     DamagedBundle, "outside the archive"),
    # shapes the map and the exports cannot draw (each was a crash dialog in the window)
    ("a self-intersecting (bow-tie) area", rezip(MEMBERS | {"areas.parquet": areas_parquet(
        SAMPLE.areas, _shapes({0: BOW_TIE}))}), BundleContentError,
     "'E01000001' has a boundary that is not a valid polygon (Self-intersection"),
    ("an area with an infinite coordinate", rezip(MEMBERS | {"areas.parquet": areas_parquet(
        SAMPLE.areas, _shapes({1: shapely.Polygon([(X0, Y0), (np.inf, Y0), (X0, Y0 + 9)])}))}),
     BundleContentError, "'E01000002' has coordinates that are not finite"),
    ("every area empty", rezip(MEMBERS | {"areas.parquet": areas_parquet(
        SAMPLE.areas, [shapely.Polygon()] * len(SAMPLE.areas))}), BundleContentError,
     "'E01000001' has an empty shape"),
    ("no areas at all", rezip(MEMBERS | {"areas.parquet": areas_parquet(SAMPLE.areas.iloc[:0])}),
     BundleContentError, "holds no areas"),
    ("a school at infinity", rezip(MEMBERS | {"schools.parquet": encode_table(
        "schools", SAMPLE.schools.set_geometry(gpd.GeoSeries(
            [shapely.Point(np.inf, Y0)] * len(SAMPLE.schools), crs=27700)))}),
     BundleContentError, "has coordinates that are not finite"),
    ("GeoParquet CRS metadata that pyproj cannot read", rezip(MEMBERS | {
        "areas.parquet": with_geo_crs(MEMBERS["areas.parquet"],
                                      {"id": {"authority": "EPSG", "code": 999999}})}),
     BundleContentError, "coordinate reference system that cannot be read"),
    ("GeoParquet CRS metadata of the wrong type", rezip(MEMBERS | {
        "areas.parquet": with_geo_crs(MEMBERS["areas.parquet"], [1, 2, 3])}),
     BundleContentError, "areas.parquet"),
    ("a table declared 1.1 GiB (ratio under the bomb check)", set_declared_size(
        rezip(MEMBERS | {"flows.parquet": np.random.default_rng(1).bytes(6 * 1024**2)},
              zipfile.ZIP_STORED), "flows.parquet", int(1.1 * 1024**3)),
     DamagedBundle, "more than the 1 GiB one table may be"),
]


@pytest.mark.parametrize("data, error, words", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_hostile_archive_gives_a_clear_error_within_budget(data, error, words):
    result, raised = _open(data)
    if error is None:
        assert raised is None and len(result.values) == len(SAMPLE.values)
        return
    assert isinstance(raised, error), f"{type(raised).__name__}: {raised}"
    assert words in str(raised)
    assert str(raised).startswith("hostile.atlas")
    assert "Traceback" not in str(raised)


@pytest.mark.parametrize("data, error, words", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_inspect_refuses_every_hostile_archive_as_opening_does(data, error, words):
    """`inspect` reads less than opening (summary), but refuses the same archives, with the
    same message, and summarises those that open."""
    summary, raised = _summarise(data)
    if error is None:
        assert raised is None and summary.counts["values"] == len(SAMPLE.values)
        return
    opening = _open(data)[1]
    assert type(raised) is type(opening) and str(raised) == str(opening)


def test_duplicate_member_is_refused_even_when_both_copies_agree():
    """Which copy a tool reads differs between tools; an archive with two is never ours."""
    _, raised = _open(rezip([*MEMBERS.items(), ("flows.parquet", MEMBERS["flows.parquet"])]))
    assert isinstance(raised, DamagedBundle)


# --- property test over random re-zip mutations ------------------------------------------------

def _mutate(members: list[tuple[str, bytes]], op: str, index: int, where: float,
            bit: int) -> list[tuple[str, bytes]]:
    name, data = members[index % len(members)]
    pos = int(where * max(len(data) - 1, 0))
    others = [m for i, m in enumerate(members) if i != index % len(members)]
    if op == "drop":
        return others
    if op == "truncate":
        return others + [(name, data[:pos])]
    if op == "flip":
        flipped = bytearray(data)
        if flipped:
            flipped[pos] ^= 1 << bit
        return others + [(name, bytes(flipped))]
    if op == "swap":
        return others + [(name, members[(index + 1) % len(members)][1])]
    if op == "duplicate":
        return members + [(name, data)]
    if op == "rename":
        return others + [(name + ".old", data)]
    if op == "garbage":
        return others + [(name, bytes(range(256)) * (1 + pos % 7))]
    raise AssertionError(op)


mutation = st.tuples(st.sampled_from(["drop", "truncate", "flip", "swap", "duplicate", "rename",
                                      "garbage"]),
                     st.integers(0, 50), st.floats(0, 1), st.integers(0, 7))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutations=st.lists(mutation, min_size=1, max_size=3),
       stored=st.booleans())
def test_random_rezip_mutations_never_escape_as_tracebacks(mutations, stored):
    members = list(MEMBERS.items())
    for op, index, where, bit in mutations:
        members = _mutate(members, op, index, where, bit)
    data = rezip(members, zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED)
    result, raised = _open(data)
    summary, refused = _summarise(data)  # inspect: an AtlasError or a summary, never more
    if raised is None:  # a harmless mutation (a flip inside a data page): still a valid bundle
        assert set(result.values.columns) == set(model.VALUE_COLUMNS)
        assert result.areas.crs.to_epsg() == 27700
        assert refused is None and summary.counts["values"] == len(result.values)


# --- bundles that open must not crash the statistics either -----------------------------------

finite_or_not = st.one_of(st.floats(allow_nan=True, allow_infinity=True),
                          st.sampled_from([0.0, -1.0, 1e308, -0.0, 5e-324]))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_hostile_numbers_in_an_opened_bundle_never_crash_the_statistics(data):
    """Values a hand-made bundle may hold (negative, infinite, NaN, huge) are computed or
    refused with an AtlasError; the statistics never raise anything else, and nor does the
    disclosure audit of what they publish (it reports what it cannot check)."""
    values = SAMPLE.values.copy()
    n = len(values)
    for column in ("numerator", "denominator", "value"):
        rows = data.draw(st.lists(st.integers(0, n - 1), max_size=6, unique=True), label=column)
        replacement = data.draw(st.lists(finite_or_not, min_size=len(rows), max_size=len(rows)),
                                label=f"{column} values")
        array = values[column].to_numpy(dtype=float).copy()
        array[rows] = replacement
        values[column] = array
    members = MEMBERS | {"values.parquet": _values_parquet(values)}

    flows = SAMPLE.flows.copy()
    rows = data.draw(st.lists(st.integers(0, len(flows) - 1), max_size=2, unique=True))
    pupils = flows["pupils"].to_numpy(dtype=float).copy()
    pupils[rows] = data.draw(st.lists(finite_or_not, min_size=len(rows), max_size=len(rows)))
    flows["pupils"] = pupils

    def open_and_compute():
        bundle = bundle_from_zip(rezip(members), "hostile.atlas")
        with np.errstate(all="ignore"):
            return bundle, compute_statistics(bundle)

    opened, raised = outcome_within_budget(open_and_compute)
    if raised is None:
        bundle, stats = opened
        shown = stats.table.loc[~stats.table["suppressed"]]
        assert len(shown) > 0
        hostile = dataclasses.replace(bundle, flows=flows)
        with np.errstate(all="ignore"):
            found, _ = outcome_within_budget(lambda: audit_bundle(hostile, stats))
        # every suppressed number was checked (or reported as not checked)
        hidden_flows = sum(int(m.hidden_numbers.sum()) for m in flow_matrices(hostile).values())
        # and the published pooling's hidden cells (windows of one period are single periods)
        with np.errstate(all="ignore"):
            pooled = pool_periods(hostile, stats, PUBLISHED_POOL).statistics.table
        hidden_pooled = int((pooled["suppressed"]
                             & pooled["period"].astype(str).str.endswith(" combined")).sum())
        assert found.pooled_suppressed == hidden_pooled
        assert found.suppressed == (int(stats.table["suppressed"].sum()) + hidden_flows
                                    + hidden_pooled)


def _values_parquet(values: pd.DataFrame) -> bytes:
    return encode_table("values", values)


# --- age header bombs: refused before any key derivation ----------------------------------------

@pytest.mark.parametrize("data, error, words", [c[1:] for c in HEADER_BOMBS],
                         ids=[c[0] for c in HEADER_BOMBS])
def test_header_bomb_is_refused_before_any_key_derivation(tmp_path, monkeypatch, data, error,
                                                          words):
    """A work factor of 2^22 made pyrage allocate 4 GiB (or abort the app), and 20,000 scrypt
    stanzas took 114 s; the header is now read first and no key derivation starts."""
    def no_key_derivation(*args, **kwargs):
        raise AssertionError("a key derivation was started for a refused header")

    monkeypatch.setattr(age_process, "_run", no_key_derivation)
    path = tmp_path / "hostile.atlas"
    path.write_bytes(data)
    _, raised = outcome_within_budget(lambda: read_bundle(path, "a passphrase"))
    assert type(raised).__name__ == error, f"{type(raised).__name__}: {raised}"
    assert words in str(raised) and str(raised).startswith("hostile.atlas")


def test_real_age_headers_pass_the_check():
    """pyrage's own header (the work factor it calibrated) and the limits: just at the cap."""
    import pyrage

    real = pyrage.passphrase.encrypt(b"x", "pass phrase")
    assert 10 <= check_passphrase_header(real, "x.atlas") <= MAX_WORK_FACTOR
    assert check_passphrase_header(age_file(scrypt_stanza(MAX_WORK_FACTOR)), "x.atlas") == 21
    with pytest.raises(RefusedBundle):
        check_passphrase_header(age_file(scrypt_stanza(MAX_WORK_FACTOR + 1)), "x.atlas")


def test_a_member_is_read_into_one_buffer_of_its_size():
    """An 18 MB member inflating to 3.5 GiB failed with MemoryError: chunks were kept, then
    joined (twice the size at the peak). Now one buffer of the declared size is filled."""
    import tracemalloc

    from desktop.core.bundle.members import read_member

    size = 48 * 1024**2
    archive = zipfile.ZipFile(io.BytesIO(rezip({"big.bin": bytes(size)})))
    tracemalloc.start()
    try:
        data = read_member(archive, "big.bin", "x.atlas")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert len(data) == size and not any(data[::4096])
    assert peak < size * 1.15, f"peak {peak / size:.2f} times the member"
