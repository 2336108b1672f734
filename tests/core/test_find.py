"""Find: schools, postcodes, small areas, clusters and indicators of the demo bundle, offline
(the suite's guard fails any test that touches the network)."""

from __future__ import annotations

import dataclasses

import geopandas as gpd
import pandas as pd
import pytest

from desktop.core.find import AREA, CLUSTER, INDICATOR, POSTCODE, SCHOOL, Finder
from desktop.core.postcodes import looks_like_postcode, normalise, normalise_one
from tests.conftest import ROOT

NSPD = ROOT / "data" / "sources" / "worcs_postcodes_nspd_nov2025.csv"  # the demo's source


@pytest.fixture(scope="module")
def finder(demo_bundle):
    return Finder(demo_bundle, custom_names=("Malvern Link project",))


def test_postcodes_are_written_one_way():
    assert normalise(pd.Series(["wr52aj", " WR5  2AJ ", "b14 5sl", "W1"])).tolist() == [
        "WR5 2AJ", "WR5 2AJ", "B14 5SL", "W1"]
    assert normalise_one("dy130rn") == "DY13 0RN"
    assert looks_like_postcode("wr10 1ab") and looks_like_postcode("W1A1AA")
    assert not looks_like_postcode("Pershore") and not looks_like_postcode("E01032285")


def test_a_postcode_is_found_in_its_area_offline(finder, demo_bundle):
    """The area the bundle gives a postcode is where the ONS point lies (checked apart)."""
    found = finder.find("wr10 1ab")
    assert [m.kind for m in found] == [POSTCODE]
    match = found[0]
    source = pd.read_csv(NSPD)
    nspd = source.set_index(normalise(source["pcd"])).loc["WR10 1AB"]
    point = gpd.GeoSeries(gpd.points_from_xy([nspd["oseast1m"]], [nspd["osnrth1m"]]),
                          crs="EPSG:27700")
    inside = demo_bundle.areas[demo_bundle.areas.contains(point.iloc[0])]
    assert match.key == "WR10 1AB" and match.area_code == inside["area_code"].iloc[0]
    assert match.point == (nspd["oseast1m"], nspd["osnrth1m"])
    assert inside["cluster"].iloc[0] in match.detail


def test_part_of_a_postcode_offers_a_few(finder):
    found = finder.find("WR10 1")
    assert 1 < len(found) <= 10
    assert all(m.kind == POSTCODE and m.key.startswith("WR10 1") for m in found)


def test_a_postcode_outside_the_areas_says_so(finder, demo_bundle):
    assert finder.find("ZZ99 1AA") == []  # a demo pupil's synthetic postcode outside the county
    assert finder.nothing_found("zz99 1aa") == ("ZZ99 1AA is not a postcode in this bundle's "
                                                "areas (Worcestershire).")
    bare = Finder(dataclasses.replace(demo_bundle, postcodes=None))
    assert bare.find("WR10 1AB") == []
    assert "holds no postcode table" in bare.nothing_found("WR10 1AB")


def test_a_school_by_name_or_urn(finder, demo_bundle):
    school = demo_bundle.schools.set_index("school_id").loc["136925"]
    by_name = finder.find("pershore high")[0]
    by_urn = finder.find("136925")[0]
    assert by_name == by_urn
    assert by_urn.kind == SCHOOL and by_urn.label == school["name"]
    assert by_urn.point == (school.geometry.x, school.geometry.y)
    area = demo_bundle.areas.set_index("area_code").loc[by_urn.area_code]
    assert area.geometry.contains(school.geometry)
    assert school["cluster"] in by_urn.detail


def test_small_areas_clusters_and_indicators(finder, demo_bundle):
    assert [(m.kind, m.key) for m in finder.find("E01032285")] == [(AREA, "E01032285")]
    names = finder.find("redditch 004")
    assert names and all(m.kind == AREA and m.label.startswith("Redditch 004") for m in names)
    first = finder.find("pershore")[0]
    assert (first.kind, first.key) == (CLUSTER, "Pershore")  # the exact name first
    obesity = [m for m in finder.find("obesity") if m.kind == INDICATOR]
    assert obesity and all("obesity" in m.label.lower() for m in obesity)
    assert finder.find("malvern link")[0].kind == "custom area"


def test_nothing_found_says_what_to_type(finder):
    assert finder.find("qqqq") == []
    assert "type part of a school's name" in finder.nothing_found("qqqq")
