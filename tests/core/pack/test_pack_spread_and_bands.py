"""pack: means with sd or se, missing weights, and age bands of standardised indicators."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from desktop.core.bundle.encrypted import read_bundle, write_bundle
from desktop.core.errors import InputError
from desktop.core.pack.build import read_inputs
from tests.core.pack_helpers import append_row, copy_example, write_rows

AREAS = ("E01032285", "E01032294", "E01032283", "E01032284", "E01032325", "E01032326")
PERIODS = ("2019/20", "2020/21")
BANDS = ("0-4", "5-9", "10-14", "15-19")


def _add_indicator(folder: Path, ind_id: str, value_type: str, multiplier: str = "1") -> None:
    append_row(folder / "indicators.csv",
               [ind_id, ind_id.replace("_", " "), "Be healthy", value_type, "higher_is_worse",
                multiplier, "", "", "Synthetic example", "true"])


def _mean_rows(ind_id: str, spread: str | None = "sd") -> list[list[str]]:
    header = ["indicator_id", "area_code", "period", "value", "denominator"]
    rows = [header + ([spread] if spread else [])]
    for i, area in enumerate(AREAS):
        for t, period in enumerate(PERIODS):
            rows.append([ind_id, area, period, str(40 + i + t), str(30 + 5 * i)]
                        + ([str(8.0 + i / 2)] if spread else []))
    return rows


def _band_rows(ind_id: str, bands=BANDS) -> list[list[str]]:
    rows = [["indicator_id", "area_code", "period", "age_band", "numerator", "denominator"]]
    for i, area in enumerate(AREAS):
        for t, period in enumerate(PERIODS):
            for b, band in enumerate(bands):
                rows.append([ind_id, area, period, band, str(2 + i + b + t), str(300 + 20 * b)])
    return rows


@pytest.fixture
def folder(tmp_path) -> Path:
    folder = copy_example(tmp_path)
    _add_indicator(folder, "attainment", "mean")
    write_rows(folder / "values" / "attainment.csv", _mean_rows("attainment"))
    _add_indicator(folder, "admissions", "dsr", "100000")
    write_rows(folder / "values" / "admissions.csv", _band_rows("admissions"))
    return folder


def _fails(folder: Path, file: str, row: int, column: str | None, words: str) -> None:
    with pytest.raises(InputError) as caught:
        read_inputs(folder)
    error = caught.value
    assert (error.file, error.row, error.column) == (file, row, column), str(error)
    assert words in str(error)


def test_spread_and_bands_enter_the_bundle(folder, tmp_path):
    bundle = read_inputs(folder)
    values = bundle.values
    assert "sd" in values.columns and "se" not in values.columns
    attainment = values[values["indicator_id"] == "attainment"]
    assert attainment["sd"].notna().all() and len(attainment) == 12
    # one values row per area and period of the dsr, with the totals of its bands
    admissions = values[values["indicator_id"] == "admissions"].set_index(
        ["area_code", "period"])
    assert len(admissions) == 12 and admissions["value"].isna().all()
    first = admissions.loc[(AREAS[0], PERIODS[0])]
    assert first["numerator"] == sum(2 + b for b in range(4))
    assert first["denominator"] == sum(300 + 20 * b for b in range(4))
    bands = bundle.age_bands
    assert len(bands) == 12 * 4 and set(bands["age_band"]) == set(BANDS)
    # through the bundle format and back, as format 2 (a dsr is new in format 2)
    path = tmp_path / "out.atlas"
    write_bundle(bundle, path, "x")
    opened = read_bundle(path, "x")
    assert opened.manifest.format_version == 2
    reread = opened.values[opened.values["indicator_id"] == "attainment"]
    assert np.allclose(reread.set_index(["area_code", "period"])["sd"].sort_index(),
                       attainment.set_index(["area_code", "period"])["sd"].sort_index())
    assert opened.age_bands is not None and len(opened.age_bands) == 48


def test_a_bundle_without_them_stays_format_1(tmp_path):
    bundle = read_inputs(copy_example(tmp_path))
    assert bundle.age_bands is None and "sd" not in bundle.values.columns
    path = tmp_path / "plain.atlas"
    write_bundle(bundle, path, "x")
    opened = read_bundle(path, "x")
    assert opened.manifest.format_version == 1 and opened.age_bands is None
    assert not {"sd", "se"} & set(opened.values.columns)


def test_band_labels_are_normalised(folder):
    rows = _band_rows("admissions", ("00-04", "05-09", "10 - 14", "15-19"))
    write_rows(folder / "values" / "admissions.csv", rows)
    assert set(read_inputs(folder).age_bands["age_band"]) == set(BANDS)


def test_sd_is_only_for_means(folder):
    rows = _mean_rows("attainment")
    rows[1][0] = "children_in_need"
    rows[1][3:5] = ["", "350"]
    rows[1].insert(3, "5")  # no numerator column: add it
    rows[0].insert(3, "numerator")
    for row in rows[2:]:
        row.insert(3, "")
    write_rows(folder / "values" / "attainment.csv", rows)
    _fails(folder, "values/attainment.csv", 2, "sd", "only for means and scores")


@pytest.mark.parametrize(("spread", "edit", "row", "column", "words"), [
    ("sd", lambda rows: rows[3].__setitem__(-1, "-2"), 4, "sd", "negative"),
    ("sd", lambda rows: rows[5].__setitem__(4, ""), 6, "denominator", "number of values"),
    (None, lambda rows: rows[7].__setitem__(4, ""), 8, "denominator",
     "other rows of this indicator"),
    ("sd", lambda rows: rows[9].__setitem__(5, ""), 10, "sd",
     "other rows of this indicator give an sd"),
], ids=["negative sd", "sd without a count", "weight in some rows", "sd in some rows"])
def test_bad_means_are_refused(folder, spread, edit, row, column, words):
    rows = _mean_rows("attainment", spread=spread)
    edit(rows)
    write_rows(folder / "values" / "attainment.csv", rows)
    _fails(folder, "values/attainment.csv", row, column, words)


def test_sd_and_se_together_are_refused(folder):
    rows = _mean_rows("attainment")
    rows[0].append("se")
    for row in rows[1:]:
        row.append("")
    rows[12][-2], rows[12][-1] = "", "1.5"
    write_rows(folder / "values" / "attainment.csv", rows)
    with pytest.raises(InputError, match="give it in every row|both sd and se"):
        read_inputs(folder)


def test_age_band_only_for_standardised_types(folder):
    append_row(folder / "values" / "admissions.csv",
               ["children_in_need", AREAS[0], "2021/22", "0-4", "3", "300"])
    _fails(folder, "values/admissions.csv", 50, "age_band", "only for dsr and isr")


def test_a_dsr_row_needs_its_band(folder):
    rows = _band_rows("admissions")
    rows[3][3] = ""
    write_rows(folder / "values" / "admissions.csv", rows)
    _fails(folder, "values/admissions.csv", 4, "age_band", "the age band is blank")


def test_dsr_bands_are_bands_of_the_standard_population(folder):
    rows = _band_rows("admissions")
    for row in rows[1:]:
        row[3] = {"0-4": "0-3"}.get(row[3], row[3])
    write_rows(folder / "values" / "admissions.csv", rows)
    _fails(folder, "values/admissions.csv", 2, "age_band", "2013 European Standard Population")


def test_every_area_gives_every_band(folder):
    rows = _band_rows("admissions")
    del rows[6]  # the second area, first period, band 5-9
    write_rows(folder / "values" / "admissions.csv", rows)
    _fails(folder, "values/admissions.csv", 6, "age_band", "no row for age band 5-9")


def test_a_band_given_twice_is_refused(folder):
    append_row(folder / "values" / "admissions.csv",
               ["admissions", AREAS[0], PERIODS[0], "5-9", "1", "10"])
    _fails(folder, "values/admissions.csv", 50, None, "duplicate age band")
