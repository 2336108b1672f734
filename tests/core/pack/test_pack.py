"""pack: the example input folder read, aggregated, written and read back; every bad input
named by file, row and column."""

from __future__ import annotations

import csv
import json
from collections import Counter

import geopandas as gpd
import numpy as np
import openpyxl
import pandas as pd
import pytest
from pyproj import Transformer

from desktop.core.bundle.encrypted import read_bundle
from desktop.core.errors import Cancelled, InputError
from desktop.core.model import BUNDLE_CRS, OUTSIDE, Polarity, ValueType
from desktop.core.pack.build import pack, read_inputs
from desktop.core.pack.tables import order_periods
from desktop.core.tasks import Task
from tests.core.pack_helpers import (
    EXAMPLE,
    append_row,
    copy_example,
    read_rows,
    set_cell,
    write_rows,
)

# Where each example postcode lies, checked by hand on the map of the six LSOAs.
HOME = {"WR5 2AJ": "E01032285", "WR5 2BQ": "E01032285", "WR5 1DH": "E01032294",
        "WR5 1ER": "E01032294", "WR5 3AP": "E01032283", "WR5 3DW": "E01032283",
        "WR5 2BZ": "E01032284", "WR5 2HR": "E01032284", "WR5 3PQ": "E01032325",
        "WR5 3UE": "E01032325", "WR5 3BB": "E01032326", "WR5 3HE": "E01032326",
        "DY13 0RN": OUTSIDE, "GL20 6AQ": OUTSIDE}
NORTH = {"E01032285", "E01032294", "E01032284"}
SCHOOL_CLUSTER = {"116859": "Worcester North", "131534": "Worcester North",
                  "148183": "Worcester South"}
# The LSOA each example school stands in, checked by hand on the same map.
SCHOOL_AREA = {"116859": "E01032284", "131534": "E01032294", "148183": "E01032283"}


@pytest.fixture(scope="module")
def example():
    return read_inputs(EXAMPLE)


def pupil_records() -> list[dict]:
    with open(EXAMPLE / "pupils.csv", encoding="utf-8") as fh:
        records = list(csv.DictReader(fh))
    for r in records:  # normalise by hand: 'wr52aj' -> 'WR5 2AJ'
        compact = r["postcode"].upper().replace(" ", "")
        r["home"] = HOME[compact[:-3] + " " + compact[-3:]]
    return records


def test_example_tables(example):
    m = example.manifest
    assert m.title == "Worcester example cluster profiles"
    assert m.producer.startswith("Cluster Atlas ")
    assert m.created.endswith("+00:00") and m.created[:4].isdigit()
    assert m.deprivation_indicator == "imd_score"
    assert list(example.areas.columns) == ["area_code", "area_name", "district", "cluster",
                                           "geometry"]
    assert len(example.areas) == 6
    assert set(example.areas.loc[example.areas["cluster"] == "Worcester North", "area_code"]) \
        == NORTH
    assert example.cluster_names == ("Worcester North", "Worcester South")
    assert example.clusters["description"].str.startswith("Illustrative").all()
    ind = {i.id: i for i in m.indicators}
    assert ind["children_in_need"].value_type is ValueType.RATE
    assert ind["children_in_need"].polarity is Polarity.HIGHER_IS_WORSE
    assert ind["children_in_need"].multiplier == 10000
    assert ind["good_level_development"].periods == ("2019/20", "2020/21", "2021/22")
    assert ind["fsm"].periods == ("2020/21", "2021/22")
    assert all(i.synthetic for i in m.indicators)


def test_ratio_values_are_computed_from_counts(example):
    v = example.values.set_index(["indicator_id", "area_code", "period"])
    row = v.loc[("children_in_need", "E01032285", "2019/20")]
    assert (row["numerator"], row["denominator"]) == (10, 350)
    assert row["value"] == pytest.approx(10 / 350 * 10000)
    score = v.loc[("imd_score", "E01032284", "2020/21")]
    assert score["value"] == 17.29 and score["denominator"] == 1632
    assert np.isnan(score["numerator"])


def test_boundaries_are_reprojected_to_british_national_grid(example):
    assert example.areas.crs == BUNDLE_CRS
    raw = json.loads((EXAMPLE / "boundaries.geojson").read_text())
    lon, lat = raw["features"][0]["geometry"]["coordinates"][0][0]
    e, n = Transformer.from_crs("EPSG:4326", BUNDLE_CRS, always_xy=True).transform(lon, lat)
    first = example.areas.geometry.iloc[0]
    x, y = first.exterior.coords[0]
    assert (x, y) == pytest.approx((e, n), abs=0.01)
    assert 380_000 < x < 390_000 and 250_000 < y < 257_000


def test_boundaries_in_other_formats_give_the_same_areas(tmp_path, example):
    folder = copy_example(tmp_path)
    gdf = gpd.read_file(folder / "boundaries.geojson").to_crs(BUNDLE_CRS)
    (folder / "boundaries.geojson").unlink()
    gdf.to_file(folder / "boundaries.gpkg", driver="GPKG")
    areas = read_inputs(folder).areas
    assert list(areas["area_code"]) == list(example.areas["area_code"])
    assert areas.geometry.geom_equals_exact(example.areas.geometry, tolerance=0.01).all()


def test_pupil_records_are_aggregated_by_area_and_period(example):
    expected: dict[tuple, list[int]] = {}
    for r in pupil_records():
        if r["home"] == OUTSIDE:
            continue
        counts = expected.setdefault((r["period"], r["home"]), [0, 0, 0])
        counts[0] += 1
        counts[1] += int(r["fsm"])
        counts[2] += int(r["sen_support"])
    v = example.values
    for flag, pos in (("fsm", 1), ("sen_support", 2)):
        got = v[v["indicator_id"] == flag]
        assert len(got) == len(expected)
        for row in got.itertuples():
            counts = expected[(row.period, row.area_code)]
            assert (row.numerator, row.denominator) == (counts[pos], counts[0])
            assert row.value == pytest.approx(counts[pos] / counts[0] * 100)
    # one case counted on paper: 2021/22 in E01032285 has 7 pupils (P0021, P0022, P0024, P0026,
    # P0030, P0035, P0036), 3 with free school meals (P0022, P0024, P0036)
    fsm = v[(v["indicator_id"] == "fsm") & (v["area_code"] == "E01032285")
            & (v["period"] == "2021/22")].iloc[0]
    assert (fsm["numerator"], fsm["denominator"]) == (3, 7)


def test_flag_indicators_have_school_basis_twins(example):
    ind = {i.id: i for i in example.manifest.indicators}
    ids = [i.id for i in example.manifest.indicators]
    assert ids.index("fsm__school") == ids.index("fsm") + 1  # the twin follows its indicator
    twin, home = ind["fsm__school"], ind["fsm"]
    assert (home.basis, home.basis_of) == ("residence", "")
    assert (twin.basis, twin.basis_of) == ("school", "fsm")
    assert twin.title == "Pupils eligible for free school meals (by school)"
    assert (twin.theme, twin.value_type, twin.polarity, twin.multiplier, twin.periods) == (
        home.theme, home.value_type, home.polarity, home.multiplier, home.periods)
    assert ind["imd_score"].basis == ""  # not from pupil records: no basis
    # one case counted on paper: in 2021/22 Red Hill (116859, standing in E01032284) has 10
    # pupils, P0021-24, P0026, P0030, P0032, P0035, P0039 and P0040 (who lives outside the
    # county); free school meals: P0022, P0024; SEN support: P0023, P0024
    v = example.values.set_index(["indicator_id", "area_code", "period"])
    fsm = v.loc[("fsm__school", "E01032284", "2021/22")]
    assert (fsm["numerator"], fsm["denominator"]) == (2, 10)
    assert fsm["value"] == pytest.approx(20.0)
    assert v.loc[("sen_support__school", "E01032284", "2021/22"), "numerator"] == 2
    # every record counts once per period in the school basis, those living outside included
    twins = example.values[example.values["indicator_id"] == "fsm__school"]
    assert twins.groupby("period")["denominator"].sum().to_dict() == {"2020/21": 20,
                                                                      "2021/22": 20}
    assert set(twins["area_code"]) == set(SCHOOL_AREA.values())


def test_school_outside_every_area_counts_in_the_nearest_area(tmp_path):
    folder = copy_example(tmp_path)
    set_cell(folder / "schools.csv", 4, "northing", "250000")  # Cherry Orchard, moved south
    set_cell(folder / "schools.csv", 4, "cluster", "Worcester South")
    values = read_inputs(folder).values
    twins = values[values["indicator_id"] == "fsm__school"]
    # the nearest of the six LSOAs to (385637, 250000) is E01032326, the southernmost
    assert set(twins["area_code"]) == {"E01032284", "E01032294", "E01032326"}


def test_an_indicator_id_taken_by_a_twin_is_refused(tmp_path):
    folder = copy_example(tmp_path)
    rows = read_rows(folder / "indicators.csv")
    append_row(folder / "indicators.csv", ["fsm__school"] + rows[-1][1:])
    with pytest.raises(InputError, match="'fsm__school' is taken"):
        read_inputs(folder)


def test_flows_count_pupils_by_school_cluster_and_home_area(example):
    expected = Counter((SCHOOL_CLUSTER[r["school_id"]], r["home"], r["period"])
                       for r in pupil_records())
    flows = example.flows
    got = {(r.school_cluster, r.home_area_code, r.period): r.pupils for r in flows.itertuples()}
    assert got == dict(expected)
    assert flows["pupils"].sum() == 40
    outside = flows.loc[flows["home_area_code"] == OUTSIDE, "pupils"].sum()
    assert outside == sum(1 for r in pupil_records() if r["home"] == OUTSIDE) == 7


def test_no_pupil_level_data_enters_the_bundle(example):
    records = pupil_records()
    secrets = {r["pupil_id"] for r in records} | {r["postcode"] for r in records} | set(HOME)
    for name in ("areas", "clusters", "schools", "values", "flows"):
        table = getattr(example, name)
        assert not {"pupil_id", "postcode"} & set(table.columns)
        cells = set(table.drop(columns="geometry", errors="ignore").astype(str).to_numpy().ravel())
        assert not (cells & secrets), name
    # rows: 3 file indicators x 6 areas x 3 periods, then 2 flags per (period, home area) met
    # and their 2 school-basis twins per (period, school area) met
    homes = {(r["period"], r["home"]) for r in records if r["home"] != OUTSIDE}
    at_school = {(r["period"], SCHOOL_AREA[r["school_id"]]) for r in records}
    assert len(example.values) == 54 + 2 * len(homes) + 2 * len(at_school)


def test_school_clusters_come_from_the_area_they_stand_in(tmp_path, example):
    schools = example.schools.set_index("school_id")
    assert schools["cluster"].to_dict() == SCHOOL_CLUSTER
    assert schools.crs == BUNDLE_CRS
    folder = copy_example(tmp_path)
    set_cell(folder / "schools.csv", 2, "cluster", "Worcester South")  # an explicit cluster wins
    set_cell(folder / "schools.csv", 3, "cluster", "")  # Fort Royal: located in E01032294
    assert read_inputs(folder).schools["cluster"].tolist() == [
        "Worcester South", "Worcester North", "Worcester South"]


def test_schools_in_longitude_latitude(tmp_path, example):
    folder = copy_example(tmp_path)
    rows = read_rows(folder / "schools.csv")
    to_wgs = Transformer.from_crs(BUNDLE_CRS, "EPSG:4326", always_xy=True)
    rows[0][-2:] = ["longitude", "latitude"]
    for r in rows[1:]:
        r[-2:] = [repr(c) for c in to_wgs.transform(float(r[-2]), float(r[-1]))]
    write_rows(folder / "schools.csv", rows)
    got = read_inputs(folder).schools
    assert got.geometry.distance(example.schools.geometry).max() < 0.01


def test_xlsx_inputs_read_like_csv(tmp_path, example):
    folder = copy_example(tmp_path)
    for stem in ("indicators", "values/children"):
        rows = read_rows(folder / f"{stem}.csv")
        book = openpyxl.Workbook()
        for r in rows:  # numbers as numbers, as Excel stores them
            book.active.append([float(c) if c.replace(".", "").isdigit() else c for c in r])
        book.save(folder / f"{stem}.xlsx")
        (folder / f"{stem}.csv").unlink()
    bundle = read_inputs(folder)
    assert bundle.manifest.indicators == example.manifest.indicators
    key = ["indicator_id", "area_code", "period"]
    pd.testing.assert_frame_equal(bundle.values.sort_values(key).reset_index(drop=True),
                                  example.values.sort_values(key).reset_index(drop=True))


def test_xlsx_errors_name_the_spreadsheet_row(tmp_path):
    folder = copy_example(tmp_path)
    book = openpyxl.Workbook()
    for r in read_rows(folder / "values" / "children.csv"):
        book.active.append(r)
    book.active["D5"] = "n/a"
    book.save(folder / "values" / "children.xlsx")
    (folder / "values" / "children.csv").unlink()
    with pytest.raises(InputError) as err:
        read_inputs(folder)
    assert (err.value.file, err.value.row, err.value.column) == (
        "values/children.xlsx", 5, "numerator")


def test_periods_sort_naturally_only_when_they_start_with_a_year():
    assert order_periods(["2020/21", "2019/20", "2020/21"]) == ("2019/20", "2020/21")
    assert order_periods(["2021 Q10", "2021 Q2"]) == ("2021 Q2", "2021 Q10")
    assert order_periods(["Summer", "Autumn", "Spring"]) == ("Summer", "Autumn", "Spring")


def test_pack_round_trip(tmp_path, example):
    out = tmp_path / "example.atlas"
    seen = []
    pack(EXAMPLE, out, "correct horse", Task(lambda f, m: seen.append(f)))
    assert seen == sorted(seen) and seen[-1] == 1.0
    back = read_bundle(out, "correct horse")
    assert back.manifest.indicators == example.manifest.indicators
    assert back.cluster_names == example.cluster_names
    assert back.areas.crs == BUNDLE_CRS
    assert back.flows["pupils"].sum() == 40
    assert len(back.values) == len(example.values)


def test_failed_pack_leaves_an_existing_bundle_untouched(tmp_path):
    out = tmp_path / "out" / "good.atlas"
    out.parent.mkdir()
    pack(EXAMPLE, out, "pw")
    before = out.read_bytes()
    folder = copy_example(tmp_path)
    set_cell(folder / "values" / "children.csv", 3, "numerator", "-4")
    with pytest.raises(InputError):
        pack(folder, out, "pw")
    assert out.read_bytes() == before
    with pytest.raises(InputError):
        pack(folder, out.parent / "new.atlas", "pw")
    assert sorted(p.name for p in out.parent.iterdir()) == ["good.atlas"]


def test_cancelled_pack_writes_nothing(tmp_path):
    task = Task()
    task.cancel()
    with pytest.raises(Cancelled):
        pack(EXAMPLE, tmp_path / "x.atlas", "pw", task)
    assert list(tmp_path.iterdir()) == []


def test_created_and_producer_can_be_given(tmp_path):
    folder = copy_example(tmp_path)
    with open(folder / "bundle.toml", "a", encoding="utf-8") as fh:
        fh.write('created = 2024-09-01T09:00:00Z\nproducer = "Research team"\n')
    manifest = read_inputs(folder).manifest
    assert (manifest.created, manifest.producer) == ("2024-09-01T09:00:00+00:00",
                                                     "Research team")


def test_the_similar_clusters_setting_reaches_the_manifest(tmp_path):
    from desktop.core.bundle.manifest import decode_manifest, encode_manifest

    folder = copy_example(tmp_path)
    (folder / "bundle.toml").write_text((EXAMPLE / "bundle.toml").read_text()
                                        + 'similar_indicators = ["imd_score", "fsm"]\n'
                                        + "similar_count = 1\n")
    manifest = read_inputs(folder).manifest
    assert (manifest.similar_indicators, manifest.similar_count) == (("imd_score", "fsm"), 1)
    raw = encode_manifest(manifest, {})
    assert json.loads(raw)["similar_clusters"] == {"indicators": ["imd_score", "fsm"],
                                                   "count": 1}
    assert decode_manifest(raw, "x.atlas")[0] == manifest
    # a bundle without the setting writes none, and reads back without it
    plain = read_inputs(EXAMPLE).manifest
    assert "similar_clusters" not in json.loads(encode_manifest(plain, {}))
    assert decode_manifest(encode_manifest(plain, {}), "x.atlas")[0].similar_indicators == ()


def test_the_complement_rule_is_read_per_indicator(tmp_path):
    """`disclosure_complement` in indicators.csv (off when absent or blank) reaches the
    manifest, the school twin of a pupil flag included, and the written bundle is format 2."""
    folder = copy_example(tmp_path)
    rows = read_rows(folder / "indicators.csv")
    fsm = next(k for k, r in enumerate(rows) if r[0] == "fsm") + 1
    set_cell(folder / "indicators.csv", fsm, "disclosure_complement", "yes")
    out = tmp_path / "ruled.atlas"
    bundle = pack(folder, out, "a passphrase for the test")
    ruled = {i.id for i in bundle.manifest.indicators if i.disclosure_complement}
    assert ruled == {"fsm", "fsm__school"}
    opened = read_bundle(out, "a passphrase for the test")
    assert opened.manifest.format_version == 2
    assert {i.id for i in opened.manifest.indicators if i.disclosure_complement} == ruled
