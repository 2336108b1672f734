"""Interoperability with the standard `age` command, as docs/bundle-format.md promises.

`age` reads passphrases only from a terminal, so it runs on a pseudo-terminal here. These tests
fail (never skip) when /usr/bin/age is missing: scripts/setup.sh installs it.
"""

from __future__ import annotations

import io
import json
import os
import select
import shutil
import subprocess
import time
import zipfile
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
import shapely

from desktop.core import model
from desktop.core.bundle.encrypted import read_bundle, read_summary, write_bundle
from tests.core.bundle_factory import make_bundle

AGE = "/usr/bin/age"
PASSPHRASE = "plum orchard lantern 42"
LAYOUT = ["manifest.json", "areas.parquet", "clusters.parquet", "schools.parquet",
          "values.parquet", "flows.parquet"]
HANG_GUARD = 120.0  # seconds; only stops a wedged child, not a timing assertion


@pytest.fixture(scope="module")
def age() -> str:
    if not os.access(AGE, os.X_OK):
        pytest.fail(f"{AGE} is missing: run scripts/setup.sh to install the Debian 'age' "
                    "package these interoperability tests need.")
    return AGE


def run_age(args: list[str], passphrase: str, prompts: int, cwd: Path) -> tuple[int, str]:
    """Run age with a pty as its terminal, typing `passphrase` at each of `prompts` prompts."""
    master, slave = os.openpty()
    proc = subprocess.Popen(args, stdin=slave, stdout=slave, stderr=slave, cwd=cwd,
                            close_fds=True, start_new_session=True)
    os.close(slave)
    output, answered, deadline = b"", 0, time.monotonic() + HANG_GUARD
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([master], [], [], 0.1)
            if ready:
                try:
                    chunk = os.read(master, 4096)
                except OSError:  # the child closed the terminal
                    break
                if not chunk:
                    break
                output += chunk
                if answered < prompts and output.lower().count(b"passphrase") > answered:
                    os.write(master, passphrase.encode() + b"\n")
                    answered += 1
            elif proc.poll() is not None:
                break
        else:
            proc.kill()
        return proc.wait(timeout=10), output.decode("utf-8", "replace")
    finally:
        os.close(master)


def test_age_decrypts_a_bundle_to_the_documented_zip(age, tmp_path):
    write_bundle(make_bundle(flows=True), tmp_path / "written.atlas", PASSPHRASE)
    code, output = run_age([age, "-d", "-o", "out.zip", "written.atlas"], PASSPHRASE, 1,
                           tmp_path)
    assert code == 0, output
    with zipfile.ZipFile(tmp_path / "out.zip") as archive:
        assert archive.namelist() == LAYOUT
        assert archive.testzip() is None
        manifest = json.loads(archive.read("manifest.json").decode("utf-8"))
        values = pd.read_parquet(io.BytesIO(archive.read("values.parquet")))
    assert manifest["format"] == model.FORMAT_NAME and manifest["format_version"] == 1
    assert [i["id"] for i in manifest["indicators"]] == ["fsm", "cin", "imd_score"]
    assert tuple(values.columns) == model.VALUE_COLUMNS and len(values) == 54


def test_age_refuses_the_wrong_passphrase(age, tmp_path):
    write_bundle(make_bundle(), tmp_path / "written.atlas", PASSPHRASE)
    code, output = run_age([age, "-d", "-o", "out.zip", "written.atlas"], "not it", 1,
                           tmp_path)
    assert code != 0 and "incorrect passphrase" in output
    assert not (tmp_path / "out.zip").exists() or (tmp_path / "out.zip").stat().st_size == 0


def _hand_made_folder(folder: Path) -> list[str]:
    """The tables and manifest exactly as the worked example in docs/bundle-format.md."""
    gpd.GeoDataFrame(
        {"area_code": ["E01000001", "E01000002"], "area_name": ["North 001A", "North 001B"],
         "district": ["North", "North"], "cluster": ["Northtown", "Northtown"]},
        geometry=[shapely.box(385000, 255000, 386000, 256000),
                  shapely.box(386000, 255000, 387000, 256000)],
        crs="EPSG:27700").to_parquet(folder / "areas.parquet")
    pd.DataFrame({"cluster": ["Northtown"], "description": ["Illustrative"]}).to_parquet(
        folder / "clusters.parquet")
    gpd.GeoDataFrame({"school_id": ["100001"], "name": ["Northtown High"],
                      "cluster": ["Northtown"]}, geometry=[shapely.Point(385500, 255500)],
                     crs="EPSG:27700").to_parquet(folder / "schools.parquet")
    pd.DataFrame({"indicator_id": ["fsm", "fsm"], "area_code": ["E01000001", "E01000002"],
                  "period": ["2022/23", "2022/23"], "numerator": [12.0, 30.0],
                  "denominator": [100.0, 120.0], "value": [12.0, 25.0]}).to_parquet(
        folder / "values.parquet")
    manifest = {"format": "cluster-atlas-bundle", "format_version": 1,
                "title": "Hand-made bundle", "area_name": "Testshire",
                "licence": "Open Government Licence v3.0",
                "indicators": [{"id": "fsm", "title": "Free school meals",
                                "theme": "Enjoy and achieve", "value_type": "proportion",
                                "multiplier": 100, "unit": "%", "polarity": "higher_is_worse",
                                "periods": ["2022/23"]}]}
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    return ["manifest.json", "areas.parquet", "clusters.parquet", "schools.parquet",
            "values.parquet"]


def _zip_folder(folder: Path, members: list[str]) -> None:
    zip_cli = shutil.which("zip")
    if zip_cli:
        subprocess.run([zip_cli, "-X", "-q", "bundle.zip", *members], cwd=folder, check=True)
    else:
        with zipfile.ZipFile(folder / "bundle.zip", "w", zipfile.ZIP_DEFLATED) as archive:
            for member in members:
                archive.write(folder / member, member)


@pytest.mark.parametrize("armor", [False, True], ids=["binary", "armored"])
def test_hand_made_zip_encrypted_with_age_opens(age, tmp_path, armor):
    members = _hand_made_folder(tmp_path)
    _zip_folder(tmp_path, members)
    args = [age, "-p", *(["-a"] if armor else []), "-o", "hand-made.atlas", "bundle.zip"]
    code, output = run_age(args, PASSPHRASE, 2, tmp_path)
    assert code == 0, output
    data = (tmp_path / "hand-made.atlas").read_bytes()
    assert data.startswith(b"-----BEGIN AGE" if armor else b"age-encryption.org/v1\n-> scrypt ")

    bundle = read_bundle(tmp_path / "hand-made.atlas", PASSPHRASE)
    assert bundle.areas.crs == "EPSG:27700" and len(bundle.areas) == 2
    assert bundle.manifest.indicator("fsm").value_type is model.ValueType.PROPORTION
    assert bundle.values["numerator"].tolist() == [12.0, 30.0]
    assert bundle.flows is None
    # what inspect prints of it, read its own way (summary)
    assert read_summary(tmp_path / "hand-made.atlas", PASSPHRASE).as_json() == {
        "format_version": 1, "title": "Hand-made bundle", "area_name": "Testshire",
        "created": "", "areas": 2,
        "clusters": [{"name": "Northtown", "areas": 2, "schools": 1}],
        "indicators": [{"id": "fsm", "title": "Free school meals", "theme": "Enjoy and achieve",
                        "value_type": "proportion", "periods": ["2022/23"],
                        "synthetic": False}],
        "themes": ["Enjoy and achieve"], "schools": 1, "flows": None}
