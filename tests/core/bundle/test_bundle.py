"""The bundle format: round trips, every failure a person can meet, and hostile archives.

Key derivation is deliberately slow: pyrage calibrates scrypt to about one second per encrypt
or decrypt on this machine (work factor 2^18-2^20). Tests that only concern the ZIP layer call
bundle_from_zip directly; the end-to-end and property tests keep their example counts small.
"""

from __future__ import annotations

import dataclasses
import io
import json
import os
import struct
import tempfile
import time
import tracemalloc
import zipfile

import geopandas as gpd
import pandas as pd
import pyarrow.parquet as pq
import pyrage
import pytest
import shapely
from geopandas.testing import assert_geodataframe_equal
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop.core import model
from desktop.core.bundle.archive import bundle_from_zip, bundle_to_zip, parquet_row_groups
from desktop.core.bundle.encrypted import read_bundle, write_bundle
from desktop.core.bundle.summary import summary_from_zip
from desktop.core.errors import (
    AtlasError,
    BundleContentError,
    Cancelled,
    DamagedBundle,
    NewerFormat,
    NotABundle,
    WrongPassphrase,
)
from desktop.core.tasks import Task
from tests.core.bundle_factory import make_bundle

PASSPHRASE = "correct horse battery staple"


@pytest.fixture(scope="module")
def sample() -> model.Bundle:
    return make_bundle(flows=True)


@pytest.fixture(scope="module")
def written(sample, tmp_path_factory) -> bytes:
    path = tmp_path_factory.mktemp("bundle") / "sample.atlas"
    write_bundle(sample, path, PASSPHRASE)
    return path.read_bytes()


def _file(tmp_path, data: bytes, name: str = "copy.atlas"):
    path = tmp_path / name
    path.write_bytes(data)
    return path


def _members(bundle: model.Bundle) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(bundle_to_zip(bundle))) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _zip(members: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=compression) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _parquet(df: pd.DataFrame) -> bytes:
    buffer = io.BytesIO()
    df.to_parquet(buffer)
    return buffer.getvalue()


def _manifest(members: dict[str, bytes]) -> dict:
    return json.loads(members["manifest.json"])


def _with_manifest(members: dict[str, bytes], **changes) -> dict[str, bytes]:
    manifest = _manifest(members) | changes
    return members | {"manifest.json": json.dumps(manifest).encode()}


def _sorted_values(df: pd.DataFrame) -> pd.DataFrame:
    """Keys as plain str (the reader gives them as Categorical of str), sorted."""
    keys = ["indicator_id", "period", "area_code"]
    return df.astype({k: "str" for k in keys}).sort_values(keys, ignore_index=True)


# --- round trip -------------------------------------------------------------------------------

def test_round_trip_preserves_manifest_tables_crs_and_geometry(sample, written, tmp_path):
    progress: list[tuple[float, str]] = []
    opened = read_bundle(_file(tmp_path, written), PASSPHRASE,
                         Task(lambda f, m: progress.append((f, m))))
    assert opened.manifest == sample.manifest
    assert opened.manifest.indicator("cin").disclosure_threshold == 3
    assert opened.manifest.indicator("fsm").value_type is model.ValueType.PROPORTION
    assert opened.manifest.deprivation_indicator == "imd_score"
    assert_geodataframe_equal(opened.areas, sample.areas, check_crs=True)
    assert_geodataframe_equal(opened.schools, sample.schools, check_crs=True)
    assert opened.areas.crs.to_epsg() == 27700
    assert list(opened.areas.index) == list(range(6))
    pd.testing.assert_frame_equal(opened.clusters, sample.clusters)
    pd.testing.assert_frame_equal(_sorted_values(opened.values), _sorted_values(sample.values))
    for key in ("indicator_id", "area_code", "period"):
        assert isinstance(opened.values[key].dtype, pd.CategoricalDtype)
        assert all(isinstance(c, str) for c in opened.values[key].cat.categories)
    pd.testing.assert_frame_equal(opened.flows, sample.flows)
    assert [f for f, _ in progress] == sorted(f for f, _ in progress)
    assert progress[-1][0] == 1.0
    assert any("decrypt" in m.lower() for _, m in progress)


def test_bundle_without_flows_reads_back_none(sample):
    bundle = make_bundle(flows=False)
    members = _members(bundle)
    assert "flows.parquet" not in members
    assert "flows" not in _manifest(members)["tables"]
    assert bundle_from_zip(bundle_to_zip(bundle), "x.atlas").flows is None


def test_indicator_basis_round_trips_and_old_manifests_read_without_it(sample):
    fsm = sample.manifest.indicator("fsm")
    twin = dataclasses.replace(fsm, id="fsm__school", title=fsm.title + " (by school)",
                               basis=model.BASIS_SCHOOL, basis_of="fsm")
    values = sample.values[sample.values["indicator_id"] == "fsm"].assign(
        indicator_id="fsm__school")
    indicators = tuple(dataclasses.replace(i, basis=model.BASIS_RESIDENCE) if i.id == "fsm"
                       else i for i in sample.manifest.indicators) + (twin,)
    bundle = dataclasses.replace(
        sample, manifest=dataclasses.replace(sample.manifest, indicators=indicators),
        values=pd.concat([sample.values, values], ignore_index=True))
    members = _members(bundle)
    listed = {i["id"]: i for i in _manifest(members)["indicators"]}
    assert (listed["fsm__school"]["basis"], listed["fsm__school"]["basis_of"]) == ("school", "fsm")
    opened = bundle_from_zip(bundle_to_zip(bundle), "x.atlas")
    assert opened.manifest == bundle.manifest
    assert opened.manifest.indicator("fsm").basis == "residence"
    # a manifest written before the keys existed reads as "no basis"
    old = [{k: v for k, v in i.items() if k not in ("basis", "basis_of")}
           for i in _manifest(members)["indicators"]]
    read = bundle_from_zip(_zip(_with_manifest(members, indicators=old)), "old.atlas")
    assert {(i.basis, i.basis_of) for i in read.manifest.indicators} == {("", "")}
    wrong = [i | {"basis": "home"} if i["id"] == "fsm" else i for i in old]
    with pytest.raises(BundleContentError, match='"basis" is \'home\''):
        bundle_from_zip(_zip(_with_manifest(members, indicators=wrong)), "bad.atlas")


def test_layout_manifest_and_values_row_groups(sample):
    members = _members(sample)
    assert list(members) == ["manifest.json", "areas.parquet", "clusters.parquet",
                             "schools.parquet", "values.parquet", "flows.parquet"]
    manifest = _manifest(members)
    assert manifest["format"] == model.FORMAT_NAME and manifest["format_version"] == 1
    assert manifest["crs"] == "EPSG:27700"
    assert manifest["indicators"][0]["value_type"] == "proportion"
    assert manifest["indicators"][0]["periods"] == ["2019/20", "2020/21", "2021/22"]
    assert manifest["tables"]["values"] == "values.parquet"
    values = pd.read_parquet(io.BytesIO(members["values.parquet"]))
    assert tuple(values.columns) == model.VALUE_COLUMNS
    assert values["indicator_id"].is_monotonic_increasing
    assert parquet_row_groups(members["values.parquet"]) == 3  # one per indicator
    geo = json.loads(pq.read_schema(io.BytesIO(members["areas.parquet"])).metadata[b"geo"])
    assert geo["primary_column"] == "geometry"
    assert geo["columns"]["geometry"]["encoding"] == "WKB"


def test_bundle_summary_is_the_inspect_json(sample):
    summary = summary_from_zip(bundle_to_zip(sample), "x.atlas").as_json()
    assert summary["areas"] == 6 and summary["schools"] == 2 and summary["flows"] == 6
    assert summary["clusters"] == [{"name": "Northtown", "areas": 3, "schools": 1},
                                   {"name": "Southvale", "areas": 3, "schools": 1}]
    assert summary["themes"] == ["Enjoy and achieve", "Stay safe", "Deprivation"]
    assert summary["indicators"][1] == {"id": "cin", "title": "Children in need",
                                        "theme": "Stay safe", "value_type": "count",
                                        "periods": ["2019/20", "2020/21", "2021/22"],
                                        "synthetic": True}
    assert json.loads(json.dumps(summary)) == summary
    assert summary_from_zip(bundle_to_zip(make_bundle()), "x.atlas").as_json()["flows"] is None


# --- writing ----------------------------------------------------------------------------------

def test_empty_passphrase_is_refused_and_nothing_written(sample, tmp_path):
    with pytest.raises(AtlasError, match="passphrase"):
        write_bundle(sample, tmp_path / "x.atlas", "")
    assert os.listdir(tmp_path) == []


def test_cancelled_write_leaves_no_file(sample, tmp_path):
    task = Task()
    task.cancel()
    with pytest.raises(Cancelled):
        write_bundle(sample, tmp_path / "x.atlas", PASSPHRASE, task)
    assert os.listdir(tmp_path) == []


# --- decryption failures ----------------------------------------------------------------------

def test_wrong_passphrase(written, tmp_path):
    with pytest.raises(WrongPassphrase, match="The passphrase is not right for copy.atlas"):
        read_bundle(_file(tmp_path, written), "Correct horse battery staple")


def _header_end(data: bytes) -> int:
    return data.index(b"\n--- ") + 1


@pytest.mark.parametrize("where", ["in-scrypt-stanza", "before-mac", "nonce", "middle", "last"])
def test_truncated_bundle_is_damaged(written, tmp_path, where):
    header_end = _header_end(written)
    cut = {"in-scrypt-stanza": 40, "before-mac": header_end, "nonce": header_end + 60,
           "middle": len(written) // 2, "last": len(written) - 1}[where]
    with pytest.raises(DamagedBundle, match="damaged or incomplete.*Ask for a fresh copy"):
        read_bundle(_file(tmp_path, written[:cut]), PASSPHRASE)


def test_flipped_bit_in_payload_is_damaged(written, tmp_path):
    data = bytearray(written)
    data[len(data) // 2] ^= 0x10
    with pytest.raises(DamagedBundle):
        read_bundle(_file(tmp_path, bytes(data)), PASSPHRASE)


@pytest.mark.parametrize("content", [b"", b"\x00\x01 random bytes" * 40,
                                     b"age-encryption.org/v2\n-> scrypt x 18\n"])
def test_not_an_age_file(tmp_path, content):
    with pytest.raises(NotABundle, match="copy.atlas is not a Cluster Atlas bundle"):
        read_bundle(_file(tmp_path, content), PASSPHRASE)


def test_unencrypted_zip_gets_a_hint(sample, tmp_path):
    with pytest.raises(NotABundle, match="unencrypted ZIP.*age -p"):
        read_bundle(_file(tmp_path, bundle_to_zip(sample)), PASSPHRASE)


def test_file_encrypted_to_a_key_is_not_a_bundle(tmp_path):
    recipient = pyrage.x25519.Identity.generate().to_public()
    data = pyrage.encrypt(b"PK\x03\x04 whatever", [recipient])
    with pytest.raises(NotABundle, match="encrypted to a key.*not with a passphrase"):
        read_bundle(_file(tmp_path, data), PASSPHRASE)


def test_missing_file_is_an_atlas_error(tmp_path):
    with pytest.raises(AtlasError, match="no such file"):
        read_bundle(tmp_path / "absent.atlas", PASSPHRASE)


def test_age_file_holding_something_else_is_not_a_bundle(tmp_path):
    data = pyrage.passphrase.encrypt(b"Dear diary, " * 100, PASSPHRASE)
    with pytest.raises(NotABundle, match="not a ZIP archive"):
        read_bundle(_file(tmp_path, data), PASSPHRASE)


def test_newer_format_version_asks_to_update(sample, tmp_path):
    payload = _zip(_with_manifest(_members(sample), format_version=99))
    data = pyrage.passphrase.encrypt(payload, PASSPHRASE)
    with pytest.raises(NewerFormat, match=r"newer version of Cluster Atlas \(format 99\); this "
                                          r"version reads formats up to 2\. Please update"):
        read_bundle(_file(tmp_path, data), PASSPHRASE)


def test_reading_creates_no_temporary_files(written, tmp_path, monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("read_bundle must not create temporary files")

    for name in ("mkstemp", "mkdtemp", "NamedTemporaryFile", "TemporaryFile",
                 "SpooledTemporaryFile", "TemporaryDirectory"):
        monkeypatch.setattr(tempfile, name, refuse)
    path = _file(tmp_path, written)
    # a temporary folder of the read's own (this process's and the key-derivation child's),
    # so other programs' temporary files cannot mask or fake what the read leaves
    private = tmp_path / "tmp"
    private.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(private))
    monkeypatch.setenv("TMPDIR", str(private))
    before_dir = set(os.listdir(tmp_path))
    assert len(read_bundle(path, PASSPHRASE).values) == 54
    assert set(os.listdir(tmp_path)) == before_dir
    assert os.listdir(private) == []


@pytest.mark.slow
@settings(max_examples=6, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_truncation_or_bit_flip_gives_an_atlas_error(written, tmp_path, data):
    """Each example that reaches the payload costs one key derivation (~1 s): kept small."""
    raw = bytearray(written)
    if data.draw(st.booleans(), label="truncate"):
        raw = raw[:data.draw(st.integers(0, len(raw) - 1), label="cut")]
    else:
        position = data.draw(st.integers(0, len(raw) - 1), label="byte")
        raw[position] ^= 1 << data.draw(st.integers(0, 7), label="bit")
    with pytest.raises(AtlasError):
        read_bundle(_file(tmp_path, bytes(raw)), PASSPHRASE)


# --- the ZIP inside: content errors (no encryption needed) ------------------------------------

def test_missing_table_is_named(sample):
    members = _members(sample)
    del members["values.parquet"]
    with pytest.raises(BundleContentError, match="x.atlas has no values.parquet"):
        bundle_from_zip(_zip(members), "x.atlas")


@pytest.mark.parametrize(("table", "column"), [("values", "period"), ("areas", "geometry"),
                                               ("areas", "area_code"), ("flows", "pupils")])
def test_missing_column_is_named(sample, table, column):
    members = _members(sample)
    df = getattr(sample, table).drop(columns=[column])
    buffer = io.BytesIO()
    (pd.DataFrame(df) if column == "geometry" else df).to_parquet(buffer)
    members[f"{table}.parquet"] = buffer.getvalue()
    with pytest.raises(BundleContentError, match=f"{table}.parquet has no column '{column}'"):
        bundle_from_zip(_zip(members), "x.atlas")


def test_wrong_column_type_is_named(sample):
    members = _members(sample)
    values = sample.values.astype({"numerator": "str"})
    members["values.parquet"] = _parquet(values)
    with pytest.raises(BundleContentError, match="values.parquet: column 'numerator' must hold "
                                                 "numbers"):
        bundle_from_zip(_zip(members), "x.atlas")


def test_duplicate_area_code_and_non_polygon_areas_are_refused(sample):
    members = _members(sample)
    dup = sample.areas.copy()
    dup.loc[1, "area_code"] = dup.loc[0, "area_code"]
    members["areas.parquet"] = _parquet(dup)
    with pytest.raises(BundleContentError, match="appears more than once in column 'area_code'"):
        bundle_from_zip(_zip(members), "x.atlas")
    points = sample.areas.copy()
    points["geometry"] = points.centroid
    members["areas.parquet"] = _parquet(points)
    with pytest.raises(BundleContentError, match="must hold polygons"):
        bundle_from_zip(_zip(members), "x.atlas")


def test_values_for_unlisted_indicator_or_period_are_refused(sample):
    members = _members(sample)
    values = sample.values.copy()
    values.loc[0, "period"] = "1999/00"
    members["values.parquet"] = _parquet(values)
    with pytest.raises(BundleContentError, match="period '1999/00' for indicator 'fsm'"):
        bundle_from_zip(_zip(members), "x.atlas")
    values.loc[0, "indicator_id"] = "mystery"
    members["values.parquet"] = _parquet(values)
    with pytest.raises(BundleContentError, match="mystery"):
        bundle_from_zip(_zip(members), "x.atlas")


@pytest.mark.parametrize(("change", "error", "message"), [
    ({"format": "something-else"}, NotABundle, "does not say"),
    ({"format_version": "one"}, BundleContentError, "format_version"),
    ({"indicators": [{"id": "fsm", "title": "x", "theme": "t", "value_type": "ratio"}]},
     BundleContentError, "value_type.*'ratio'"),
    ({"title": ""}, BundleContentError, '"title"'),
    ({"similar_clusters": ["imd_score"]}, BundleContentError, '"similar_clusters" must hold'),
    ({"similar_clusters": {"indicators": ["imd_score"], "count": -1}}, BundleContentError,
     "similar_clusters.count"),
])
def test_bad_manifest(sample, change, error, message):
    with pytest.raises(error, match=message):
        bundle_from_zip(_zip(_with_manifest(_members(sample), **change)), "x.atlas")


def test_not_a_zip_or_no_manifest(sample):
    with pytest.raises(NotABundle, match="not a ZIP archive"):
        bundle_from_zip(b"plain text", "x.atlas")
    members = _members(sample)
    del members["manifest.json"]
    with pytest.raises(NotABundle, match="no manifest.json"):
        bundle_from_zip(_zip(members), "x.atlas")
    with pytest.raises(BundleContentError, match="not valid UTF-8 JSON"):
        bundle_from_zip(_zip(members | {"manifest.json": b"{nope"}), "x.atlas")


def test_unknown_keys_columns_and_members_are_ignored(sample):
    members = _with_manifest(_members(sample), future_key={"anything": 1})
    values = sample.values.assign(comment="later versions may add columns")
    members["values.parquet"] = _parquet(values)
    members["notes/readme.txt"] = b"extra member"
    opened = bundle_from_zip(_zip(members), "x.atlas")
    assert tuple(opened.values.columns) == model.VALUE_COLUMNS


def test_hand_made_tables_are_normalised(sample):
    """Integers for counts, plain Parquet with WKB, and another CRS are all accepted."""
    members = _members(sample)
    flows = sample.flows.astype({"pupils": "int64"})
    members["flows.parquet"] = _parquet(flows)
    schools = pd.DataFrame(sample.schools.drop(columns="geometry")).assign(
        geometry=shapely.to_wkb(sample.schools.geometry.to_numpy()))
    members["schools.parquet"] = _parquet(schools.drop(columns=["phase", "pupils"]))
    members["areas.parquet"] = _parquet(sample.areas.to_crs("EPSG:4326"))
    opened = bundle_from_zip(_zip(members), "x.atlas")
    assert opened.flows["pupils"].dtype == "float64"
    assert opened.schools.crs == "EPSG:27700" and opened.schools["pupils"].isna().all()
    assert opened.schools.geom_equals(sample.schools.geometry).all()
    assert opened.areas.crs.to_epsg() == 27700
    assert opened.areas.geom_equals_exact(sample.areas.geometry, tolerance=0.01).all()
    summary = summary_from_zip(_zip(members), "x.atlas")  # inspect: schools without "phase",
    assert summary.counts["areas"] == 6 and summary.schools_per_cluster == {  # areas reprojected
        "Northtown": 1, "Southvale": 1}
    assert summary.areas_per_cluster == {"Northtown": 3, "Southvale": 3}


def test_the_summary_counts_what_opening_reads_and_refuses_what_it_refuses(sample):
    """`inspect` reads only what its checks and its summary need, with Arrow: the counts are
    those of the opened bundle, and a broken shape is refused with opening's message."""
    data = bundle_to_zip(sample)
    summary, opened = summary_from_zip(data, "x.atlas"), bundle_from_zip(data, "x.atlas")
    assert summary.counts == {"areas": len(opened.areas), "schools": len(opened.schools),
                              "values": len(opened.values), "flows": len(opened.flows)}
    assert summary.cluster_names == opened.cluster_names
    assert summary.areas_per_cluster == opened.areas["cluster"].value_counts().to_dict()
    assert summary.schools_per_cluster == opened.schools["cluster"].value_counts().to_dict()
    assert summary.unclustered_areas == opened.areas["cluster"].isna().sum() == 0
    members = _members(sample)
    bow_tie = shapely.Polygon([(0, 0), (10, 10), (10, 0), (0, 10)])
    areas = pd.DataFrame(sample.areas.drop(columns="geometry")).assign(
        geometry=shapely.to_wkb(sample.areas.geometry.to_numpy()))
    areas.loc[0, "geometry"] = shapely.to_wkb(bow_tie)
    areas.loc[1, "cluster"] = None
    members["areas.parquet"] = _parquet(areas)
    with pytest.raises(BundleContentError, match="not a valid polygon") as refused:
        summary_from_zip(_zip(members), "x.atlas")
    with pytest.raises(BundleContentError) as opening:
        bundle_from_zip(_zip(members), "x.atlas")
    assert str(refused.value) == str(opening.value)
    areas.loc[0, "geometry"] = shapely.to_wkb(sample.areas.geometry.iloc[0])
    members["areas.parquet"] = _parquet(areas)
    assert summary_from_zip(_zip(members), "x.atlas").unclustered_areas == 1


# --- hostile archives -------------------------------------------------------------------------

def _patch_central_sizes(data: bytes, member: str, uncompressed: int) -> bytes:
    """Rewrite a member's uncompressed size in the central directory (as a bomb would)."""
    raw = bytearray(data)
    needle = b"PK\x01\x02"
    pos = raw.find(needle)
    while pos >= 0:
        name_len = struct.unpack_from("<H", raw, pos + 28)[0]
        if raw[pos + 46:pos + 46 + name_len] == member.encode():
            struct.pack_into("<I", raw, pos + 24, uncompressed)
        pos = raw.find(needle, pos + 4)
    return bytes(raw)


def test_central_directory_claiming_gigabytes_is_refused_without_allocating(sample):
    data = _zip(_members(sample))
    for name in ("areas.parquet", "values.parquet"):  # 2 x 4 GiB - 2: over the 4 GiB limit
        data = _patch_central_sizes(data, name, 0xFFFFFFFE)
    tracemalloc.start()
    try:
        with pytest.raises(DamagedBundle, match="GiB"):
            bundle_from_zip(data, "bomb.atlas")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 20 * 1024**2


def test_deflate_bomb_is_refused_before_inflating(sample):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("manifest.json", _members(sample)["manifest.json"])
        with archive.open("values.parquet", "w") as member:
            zeros = bytes(1024**2)
            for _ in range(64):
                member.write(zeros)
    tracemalloc.start()
    try:
        with pytest.raises(DamagedBundle, match="would inflate"):
            bundle_from_zip(buffer.getvalue(), "bomb.atlas")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 20 * 1024**2


def test_member_larger_than_declared_is_damaged(sample):
    members = _members(sample)
    data = _zip(members, compression=zipfile.ZIP_STORED)
    data = _patch_central_sizes(data, "manifest.json", 10)
    with pytest.raises(DamagedBundle, match="manifest.json"):
        bundle_from_zip(data, "x.atlas")


def test_bad_crc_is_damaged(sample):
    members = _members(sample)
    data = bytearray(_zip(members, compression=zipfile.ZIP_STORED))
    offset = data.index(b'"title"')  # inside the stored manifest.json
    data[offset + 2] ^= 0x01
    with pytest.raises(DamagedBundle, match="manifest.json"):
        bundle_from_zip(bytes(data), "x.atlas")


def test_geo_tables_are_geodataframes(sample):
    opened = bundle_from_zip(bundle_to_zip(sample), "x.atlas")
    assert isinstance(opened.areas, gpd.GeoDataFrame)
    assert isinstance(opened.schools, gpd.GeoDataFrame)
    assert opened.areas.geometry.name == "geometry"


def test_the_decrypted_payload_goes_once_the_values_are_read(sample, monkeypatch):
    """Handed over in a list, the payload is let go before the geometry tables are decoded,
    so at England scale it never sits beside the decoded geometry and the values at once.
    Arrow's decoding threads may drop their last hold on it a moment after the values' read
    returns, so the next table waits up to a second for it to go: held by the program, it
    would not go at all."""
    from desktop.core.bundle import archive as bundle_io

    events: list[str] = []

    class Payload(bytes):
        def __del__(self) -> None:
            events.append("payload freed")

    real = bundle_io.decode_table

    def decode(table, data, where):
        deadline = time.monotonic() + 1.0
        while table != "values" and "payload freed" not in events and \
                time.monotonic() < deadline:
            time.sleep(0.005)
        events.append(table)
        return real(table, data, where)

    monkeypatch.setattr(bundle_io, "decode_table", decode)
    box = [Payload(bundle_to_zip(sample))]
    opened = bundle_from_zip(box, "x.atlas")
    assert box == []
    assert events.index("values") < events.index("payload freed") < events.index("areas")
    assert_geodataframe_equal(opened.areas, bundle_from_zip(bundle_to_zip(sample),
                                                            "x.atlas").areas)


# --- the complement rule and the format version -----------------------------------------------

def test_the_complement_rule_is_kept_and_raises_the_format_version(sample, tmp_path):
    """A bundle asking for the complement rule is written as format 2 (an older reader, which
    would ignore the rule and show what it hides, refuses it); others stay format 1."""
    manifest = sample.manifest
    ruled = dataclasses.replace(sample, manifest=dataclasses.replace(manifest, indicators=tuple(
        dataclasses.replace(i, disclosure_complement=i.id == "fsm")
        for i in manifest.indicators)))
    for bundle, version in ((sample, 1), (ruled, 2)):
        path = tmp_path / f"v{version}.atlas"
        write_bundle(bundle, path, PASSPHRASE)
        opened = read_bundle(path, PASSPHRASE)
        assert opened.manifest.format_version == version
        assert opened.manifest == bundle.manifest
    assert read_bundle(tmp_path / "v2.atlas", PASSPHRASE).manifest.indicator(
        "fsm").disclosure_complement


def test_an_old_manifest_without_the_rule_reads_as_off(sample, tmp_path):
    members = _members(sample)
    manifest = _manifest(members)
    assert manifest["format_version"] == 1
    assert all("disclosure_complement" not in i for i in manifest["indicators"])
    data = pyrage.passphrase.encrypt(_zip(members), PASSPHRASE)
    opened = read_bundle(_file(tmp_path, data), PASSPHRASE)
    assert not any(i.disclosure_complement for i in opened.manifest.indicators)


def test_a_complement_rule_that_is_not_true_or_false_is_refused(sample, tmp_path):
    members = _members(sample)
    manifest = _manifest(members)
    manifest["indicators"][0]["disclosure_complement"] = "yes"
    members = members | {"manifest.json": json.dumps(manifest).encode()}
    data = pyrage.passphrase.encrypt(_zip(members), PASSPHRASE)
    with pytest.raises(BundleContentError, match="disclosure_complement"):
        read_bundle(_file(tmp_path, data), PASSPHRASE)
