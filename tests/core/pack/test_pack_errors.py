"""pack: each kind of bad input is refused with a message naming file, row and column."""

from __future__ import annotations

import csv
import json
import tempfile
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop.core.errors import InputError
from desktop.core.pack.build import read_inputs
from desktop.core.pack.read import read_table
from desktop.core.pack.tables import parse_indicators, parse_values
from tests.core.pack_helpers import EXAMPLE, append_row, copy_example, drop_column, set_cell

CHILDREN = "values/children.csv"


def _geojson_property(folder: Path, feature: int, key: str, value) -> None:
    path = folder / "boundaries.geojson"
    data = json.loads(path.read_text())
    data["features"][feature]["properties"][key] = value
    path.write_text(json.dumps(data))


def _unlink(name):
    return lambda f: (f / name).unlink()


def _write(name, content: bytes):
    return lambda f: (f / name).write_bytes(content)


# (id, change to the example folder, file, row, column, words the message must contain)
CASES = [
    ("missing file", _unlink("clusters.csv"), None, None, None, "clusters.csv"),
    ("missing column", lambda f: drop_column(f / "indicators.csv", "theme"),
     "indicators.csv", 1, "theme", "missing"),
    ("text numerator", lambda f: set_cell(f / CHILDREN, 3, "numerator", "ten"),
     CHILDREN, 3, "numerator", "'ten' is not a number"),
    ("negative count", lambda f: set_cell(f / CHILDREN, 5, "numerator", "-1"),
     CHILDREN, 5, "numerator", "negative"),
    ("numerator above denominator", lambda f: set_cell(f / CHILDREN, 4, "numerator", "21"),
     CHILDREN, 4, "numerator", "larger than the denominator"),
    ("zero denominator", lambda f: set_cell(f / CHILDREN, 7, "denominator", "0"),
     CHILDREN, 7, "denominator", "more than 0"),
    ("blank numerator", lambda f: set_cell(f / CHILDREN, 7, "numerator", ""),
     CHILDREN, 7, "numerator", "blank"),
    ("duplicate key", lambda f: append_row(f / CHILDREN, ["children_in_need", "E01032294",
                                                           "2020/21", "1", "300"]),
     CHILDREN, 38, None, "already appears in values/children.csv row 11"),
    ("duplicate area code", lambda f: _geojson_property(f, 1, "area_code", "E01032285"),
     "boundaries.geojson", 2, "area_code", "duplicate area code"),
    ("unknown area in values", lambda f: set_cell(f / "values/deprivation.csv", 6, "area_code",
                                                  "E01999999"),
     "values/deprivation.csv", 6, "area_code", "'E01999999'"),
    ("unknown area in clusters", lambda f: set_cell(f / "clusters.csv", 4, "area_code", "X1"),
     "clusters.csv", 4, "area_code", "not in the boundaries"),
    ("duplicate area in clusters", lambda f: set_cell(f / "clusters.csv", 3, "area_code",
                                                      "E01032285"),
     "clusters.csv", 3, "area_code", "row 2"),
    ("unknown indicator", lambda f: set_cell(f / CHILDREN, 9, "indicator_id", "cin"),
     CHILDREN, 9, "indicator_id", "unknown indicator 'cin'"),
    ("bad value_type", lambda f: set_cell(f / "indicators.csv", 3, "value_type", "ratio"),
     "indicators.csv", 3, "value_type", "proportion, rate, count"),
    ("bad polarity", lambda f: set_cell(f / "indicators.csv", 2, "polarity", "good"),
     "indicators.csv", 2, "polarity", "higher_is_better"),
    ("bad complement rule", lambda f: set_cell(f / "indicators.csv", 3,
                                               "disclosure_complement", "maybe"),
     "indicators.csv", 3, "disclosure_complement", "true or false"),
    ("empty values file", _write(CHILDREN, b""), CHILDREN, None, None, "empty"),
    ("header only", _write("cluster_names.csv", b"cluster,description\n"),
     "cluster_names.csv", None, None, "no data rows"),
    ("not UTF-8", _write("cluster_names.csv", "cluster\nWorcester Nörth\n".encode("cp1252")),
     "cluster_names.csv", None, None, "CSV UTF-8"),
    ("damaged xlsx", _write("values/extra.xlsx", b"PK\x03\x04 not really a workbook"),
     "values/extra.xlsx", None, None, "Excel workbook"),
    ("flag not 0/1", lambda f: set_cell(f / "pupils.csv", 12, "fsm", "2"),
     "pupils.csv", 12, "fsm", "not a flag"),
    ("unknown postcode", lambda f: set_cell(f / "pupils.csv", 9, "postcode", "WR9 9ZZ"),
     "pupils.csv", 9, "postcode", "'WR9 9ZZ' is not in the postcode lookup"),
    ("unknown school", lambda f: set_cell(f / "pupils.csv", 30, "school_id", "999"),
     "pupils.csv", 30, "school_id", "unknown school_id '999'"),
    ("flag for a rate", lambda f: set_cell(f / "indicators.csv", 5, "value_type", "rate"),
     "pupils.csv", 1, "fsm", "proportion"),
    ("cluster not named", lambda f: set_cell(f / "clusters.csv", 7, "cluster", "Worcester"),
     "clusters.csv", 7, "cluster", "not listed in cluster_names.csv"),
    ("unknown school cluster", lambda f: set_cell(f / "schools.csv", 2, "cluster", "Nowhere"),
     "schools.csv", 2, "cluster", "'Nowhere'"),
    ("value for a pupil flag", lambda f: append_row(f / CHILDREN, ["fsm", "E01032285",
                                                                    "2019/20", "1", "2"]),
     CHILDREN, 38, "indicator_id", "pupil records"),
    ("toml typo", lambda f: (f / "bundle.toml").write_text(
        (EXAMPLE / "bundle.toml").read_text() + 'titel = "x"\n'),
     "bundle.toml", None, None, "unknown setting 'titel'"),
    ("similar clusters of an unknown indicator", lambda f: (f / "bundle.toml").write_text(
        (EXAMPLE / "bundle.toml").read_text() + 'similar_indicators = ["imd", "fsm"]\n'),
     "bundle.toml", None, None, "similar_indicators names 'imd'"),
    ("similar count without indicators", lambda f: (f / "bundle.toml").write_text(
        (EXAMPLE / "bundle.toml").read_text() + "similar_count = 3\n"),
     "bundle.toml", None, None, "given with similar_indicators"),
    ("indicator without values", lambda f: append_row(f / "indicators.csv",
                                                      ["neet", "NEET", "Achieve", "proportion"]),
     "indicators.csv", 7, "id", "no values"),
]


@pytest.mark.parametrize("change, file, row, column, words", [c[1:] for c in CASES],
                         ids=[c[0] for c in CASES])
def test_bad_input_is_named_by_file_row_and_column(tmp_path, change, file, row, column, words):
    folder = copy_example(tmp_path)
    change(folder)
    with pytest.raises(InputError) as err:
        read_inputs(folder)
    e = err.value
    assert (e.file, e.row, e.column) == (file, row, column), str(e)
    assert words in str(e)
    if file:
        assert str(e).startswith(file)


def test_boundaries_without_a_crs_are_refused(tmp_path):
    folder = copy_example(tmp_path)
    gdf = gpd.read_file(folder / "boundaries.geojson").to_crs(27700).set_crs(None,
                                                                            allow_override=True)
    (folder / "boundaries.geojson").unlink()
    with pytest.warns(UserWarning, match="crs"):
        gdf.to_file(folder / "boundaries.shp")
    assert not (folder / "boundaries.prj").exists()
    with pytest.raises(InputError, match=r"boundaries.shp: .*coordinate reference system.*\.prj"):
        read_inputs(folder)


def test_two_versions_of_one_table_are_refused(tmp_path):
    folder = copy_example(tmp_path)
    (folder / "clusters.xlsx").write_bytes(b"")
    with pytest.raises(InputError, match="clusters.csv and clusters.xlsx"):
        read_inputs(folder)


def test_blank_lines_keep_spreadsheet_row_numbers(tmp_path):
    folder = copy_example(tmp_path)
    path = folder / CHILDREN
    lines = path.read_text().splitlines()
    lines.insert(3, "")  # a blank line becomes row 4; the old row 4 is now row 5
    lines[4] = lines[4].rsplit(",", 1)[0] + ",x"
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(InputError) as err:
        read_inputs(folder)
    assert (err.value.row, err.value.column) == (5, "denominator")


# --- property test: the values parser never fails other than with an InputError -----------

SPEC = parse_indicators(read_table(EXAMPLE / "indicators.csv"))
AREAS = ["E01032285", "E01032294"]
numberish = st.one_of(st.text(max_size=8), st.integers(0, 60).map(str),
                      st.from_regex(r"\A-?[0-9]{0,4}(\.[0-9]{0,3})?(e[+-]?[0-9]{1,3})?\Z"),
                      st.sampled_from(["", "nan", "inf", "-0", "1,000", "12%", " 7 ", "1e999"]))
value_rows = st.lists(st.tuples(st.sampled_from(list(SPEC["id"]) + ["nope"]),
                                st.sampled_from(AREAS), st.sampled_from(["2019", "2020"]),
                                numberish, numberish, numberish), min_size=1, max_size=6)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=value_rows)
def test_values_parser_gives_a_valid_table_or_an_input_error(rows):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "values.csv"
        with open(path, "w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(["indicator_id", "area_code", "period", "numerator", "denominator",
                             "value"])
            writer.writerows(rows)
        try:
            values = parse_values(read_table(path), SPEC, AREAS)
        except InputError as exc:
            assert exc.file == "values.csv"
            return
    meta = SPEC.set_index("id")
    kind = values["indicator_id"].map(meta["value_type"])
    ratio = kind.isin(["proportion", "rate"])
    assert len(values) == len([r for r in rows if any(c.strip() for c in r)])
    assert np.isfinite(values["value"]).all()
    assert (values["numerator"].dropna() >= 0).all()
    assert (values["denominator"].dropna() > 0).all()
    assert values.loc[ratio, "denominator"].notna().all()
    prop = kind.eq("proportion")
    assert (values.loc[prop, "numerator"] <= values.loc[prop, "denominator"]).all()
    assert pd.api.types.is_float_dtype(values["value"])
