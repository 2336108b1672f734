"""pack: the pupils of each school by home area, and the postcode table, from the example
input folder; both survive the bundle file, and neither carries a pupil's record."""

from __future__ import annotations

import csv
from collections import Counter

import geopandas as gpd
import pandas as pd
import pytest

from desktop.core.bundle.encrypted import read_bundle
from desktop.core.errors import InputError
from desktop.core.model import OUTSIDE
from desktop.core.pack.build import pack, read_inputs
from tests.core.pack.test_pack import pupil_records
from tests.core.pack_helpers import EXAMPLE, append_row, copy_example


@pytest.fixture(scope="module")
def example():
    return read_inputs(EXAMPLE)


def test_school_pupils_count_records_by_school_home_area_and_period(example):
    expected = Counter((r["school_id"], r["home"], r["period"]) for r in pupil_records())
    got = {(r.school_id, r.home_area_code, r.period): r.pupils
           for r in example.school_pupils.itertuples()}
    assert got == dict(expected)
    assert example.school_pupils["pupils"].sum() == 40
    assert (example.school_pupils["home_area_code"] == OUTSIDE).sum() > 0


def test_a_clusters_school_pupils_add_up_to_its_flows(example):
    cluster_of = example.schools.set_index("school_id")["cluster"]
    summed = (example.school_pupils.assign(school_cluster=lambda f: f["school_id"].map(
        cluster_of)).groupby(["school_cluster", "home_area_code", "period"])["pupils"].sum())
    flows = example.flows.set_index(["school_cluster", "home_area_code", "period"])["pupils"]
    pd.testing.assert_series_equal(summed.sort_index(), flows.sort_index(), check_names=False,
                                   check_dtype=False)


def test_postcode_table_is_the_whole_lookup_inside_the_areas(example):
    with open(EXAMPLE / "postcodes.csv", encoding="utf-8") as fh:
        lookup = pd.DataFrame(list(csv.DictReader(fh)))
    points = gpd.GeoDataFrame(lookup, crs="EPSG:27700", geometry=gpd.points_from_xy(
        lookup["easting"].astype(float), lookup["northing"].astype(float)))
    placed = gpd.sjoin(points, example.areas[["area_code", "geometry"]], predicate="within")
    expected = dict(zip(placed["postcode"].str.replace(" ", "").str.upper(),
                        placed["area_code"]))
    table = example.postcodes
    assert dict(zip(table["postcode"].str.replace(" ", ""), table["area_code"])) == expected
    assert len(table) == 26  # 28 in the lookup, 2 of them outside the six LSOAs
    assert {"DY13 0RN", "GL20 6AQ"}.isdisjoint(set(table["postcode"]))
    assert table["postcode"].str.fullmatch(r"[A-Z0-9]{2,4} [0-9][A-Z]{2}").all()
    used = {r["postcode"].upper().replace(" ", "") for r in pupil_records()}
    assert len(set(table["postcode"].str.replace(" ", "")) - used) >= 12  # not only pupils'


def test_no_pupil_record_enters_the_school_table(example):
    ids = {r["pupil_id"] for r in pupil_records()}
    assert list(example.school_pupils.columns) == ["school_id", "home_area_code", "period",
                                                   "pupils"]
    assert not ids & set(example.school_pupils.astype(str).to_numpy().ravel())


def test_postcodes_without_pupil_records(tmp_path):
    folder = copy_example(tmp_path)
    (folder / "pupils.csv").unlink()
    for flag in ("fsm", "sen_support"):  # indicators fed only by the pupil flags
        with open(folder / "indicators.csv", encoding="utf-8") as fh:
            rows = [r for r in csv.reader(fh) if r[0] != flag]
        with open(folder / "indicators.csv", "w", encoding="utf-8", newline="") as fh:
            csv.writer(fh).writerows(rows)
    bundle = read_inputs(folder)
    assert bundle.school_pupils is None and bundle.flows is None
    assert len(bundle.postcodes) == 26


def test_every_lookup_row_is_checked(tmp_path):
    folder = copy_example(tmp_path)
    row = append_row(folder / "postcodes.csv", ["WR5 9ZZ", "east", "253000"])
    with pytest.raises(InputError) as caught:
        read_inputs(folder)
    assert caught.value.row == row and caught.value.column == "easting"


def test_both_tables_survive_the_bundle_file(tmp_path, example):
    out = tmp_path / "example.atlas"
    pack(EXAMPLE, out, "correct horse")
    back = read_bundle(out, "correct horse")
    pd.testing.assert_frame_equal(
        back.school_pupils.sort_values(["school_id", "home_area_code", "period"])
        .reset_index(drop=True),
        example.school_pupils.astype({"pupils": float})
        .sort_values(["school_id", "home_area_code", "period"]).reset_index(drop=True),
        check_dtype=False)
    assert back.postcodes["postcode"].tolist() == example.postcodes["postcode"].tolist()
    assert back.postcodes["easting"].notna().all()
