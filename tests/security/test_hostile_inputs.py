"""Malformed pack inputs, generated: every case ends in an InputError naming the file, within
the time and memory budget, and leaves no output file (nor a temporary one) behind.

tests/core/pack/test_pack_errors.py checks each hand-written bad input's exact message; here
hypothesis combines corruptions (wrong encodings, random bytes, wrong types, duplicate keys,
unknown area codes, negative counts, numerators above denominators, empty files, XLSX with
dates, booleans and formulas) on real files of the example folder and runs the whole `pack`.
Key derivation is replaced by a stand-in for speed: nothing in these checks depends on it, and
an input that survives the checks is still written through the real atomic path.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import shutil
import tempfile
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop.core.bundle import age_process
from desktop.core.errors import InputError
from desktop.core.pack.build import pack
from tests.core.pack_helpers import EXAMPLE
from tests.security.hostile import outcome_within_budget

CSV_FILES = ["values/children.csv", "values/deprivation.csv", "clusters.csv", "indicators.csv",
             "schools.csv", "pupils.csv", "postcodes.csv", "cluster_names.csv"]
NUMERIC = {"numerator", "denominator", "value", "multiplier", "pupils", "fsm", "easting",
           "northing", "latitude", "longitude"}
KEYS = {"area_code", "indicator_id", "id", "school_id", "postcode", "cluster"}


@pytest.fixture(autouse=True)
def fast_encryption(monkeypatch):
    """A stand-in for age so a valid input costs milliseconds, not a key derivation."""
    monkeypatch.setattr(age_process, "encrypt",
                        lambda data, passphrase, task=None: b"age:" + data)


def _rows(path: Path) -> list[list[str]]:
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.reader(fh))


def _csv(rows: list[list]) -> str:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue()


def _cell_edit(rows, draw, value_kind):
    header = rows[0]
    row = draw(st.integers(1, len(rows) - 1))
    col = draw(st.sampled_from(range(len(header))))
    values = {
        "negative": st.sampled_from(["-1", "-0.5", "-1e9"]),
        "huge": st.sampled_from(["1e308", "1e999", "99999999999999999999999"]),
        "text": st.text(min_size=1, max_size=12),
        "unknown key": st.sampled_from(["E01999999", "X", "", "NaN", "None", "e01032285"]),
        "blank": st.just(""),
    }[value_kind]
    rows[row][col] = draw(values)
    return rows


def _corrupt_csv(path: Path, draw) -> None:
    rows = _rows(path)
    kind = draw(st.sampled_from(["latin-1", "utf-16", "random bytes", "empty", "header only",
                                 "duplicate row", "numerator above denominator", "negative",
                                 "huge", "text", "unknown key", "blank", "extra field",
                                 "unbalanced quote", "drop column"]))
    if kind == "latin-1":
        rows[1][0] = rows[1][0] + "é"
        path.write_bytes(_csv(rows).encode("latin-1"))
    elif kind == "utf-16":
        path.write_bytes(_csv(rows).encode("utf-16"))
    elif kind == "random bytes":
        path.write_bytes(draw(st.binary(min_size=1, max_size=400)))
    elif kind == "empty":
        path.write_bytes(b"")
    elif kind == "header only":
        path.write_text(_csv(rows[:1]))
    elif kind == "duplicate row":
        path.write_text(_csv(rows + [rows[draw(st.integers(1, len(rows) - 1))]]))
    elif kind == "numerator above denominator":
        if "numerator" in rows[0] and "denominator" in rows[0]:
            n, d = rows[0].index("numerator"), rows[0].index("denominator")
            row = draw(st.integers(1, len(rows) - 1))
            rows[row][n], rows[row][d] = "50", "10"
        path.write_text(_csv(rows))
    elif kind in ("negative", "huge", "text", "unknown key", "blank"):
        path.write_text(_csv(_cell_edit(rows, draw, kind)))
    elif kind == "extra field":
        rows[draw(st.integers(1, len(rows) - 1))].append("surplus")
        path.write_text(_csv(rows))
    elif kind == "unbalanced quote":
        text = _csv(rows)
        cut = draw(st.integers(0, len(text) - 1))
        path.write_text(text[:cut] + '"' + text[cut:])
    elif kind == "drop column":
        i = draw(st.integers(0, len(rows[0]) - 1))
        path.write_text(_csv([r[:i] + r[i + 1:] for r in rows]))


def _as_xlsx(path: Path, draw) -> None:
    """Replace a CSV with a workbook whose cells have Excel's own types, some of them wrong."""
    rows = _rows(path)
    book = openpyxl.Workbook()
    sheet = book.active
    odd = st.sampled_from([dt.datetime(2020, 1, 31), True, False, "=1/0", "=A1+1", 3.5e300,
                           -7, None, "  ", "١٢"])
    for r, row in enumerate(rows):
        cells = list(row)
        if r and draw(st.booleans()):
            cells[draw(st.integers(0, len(cells) - 1))] = draw(odd)
        sheet.append([(float(c) if isinstance(c, str) and _is_number(c) else c) for c in cells])
    if draw(st.booleans()):
        book.create_sheet("Second").append(["ignored"])
    path.unlink()
    book.save(path.with_suffix(".xlsx"))


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_malformed_inputs_end_in_an_input_error_and_no_output(data):
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "input"
        shutil.copytree(EXAMPLE, folder)
        for name in data.draw(st.lists(st.sampled_from(CSV_FILES), min_size=1, max_size=2,
                                       unique=True), label="files"):
            if data.draw(st.booleans(), label="as xlsx") and name != "postcodes.csv":
                _as_xlsx(folder / name, data.draw)
            else:
                _corrupt_csv(folder / name, data.draw)
        out_dir = Path(tmp) / "out"
        out_dir.mkdir()
        output = out_dir / "bundle.atlas"
        before = sorted(p.relative_to(folder) for p in folder.rglob("*"))
        result, error = outcome_within_budget(lambda: pack(folder, output, "pass phrase"))
        assert sorted(p.relative_to(folder) for p in folder.rglob("*")) == before, \
            "pack changed its input folder"
        if error is None:  # the corruption was harmless (a text cell in a free-text column)
            assert os.listdir(out_dir) == ["bundle.atlas"]
            assert len(result.values) > 0
            return
        assert isinstance(error, InputError), f"{type(error).__name__}: {error}"
        assert error.file, f"the message names no file: {error}"
        assert os.listdir(out_dir) == [], "a failed pack left a file behind"


def test_failed_pack_keeps_the_previous_bundle_byte_for_byte(tmp_path):
    folder = tmp_path / "input"
    shutil.copytree(EXAMPLE, folder)
    output = tmp_path / "bundle.atlas"
    pack(folder, output, "pass phrase")
    good = output.read_bytes()
    (folder / "values" / "children.csv").write_bytes("indicator_id\nNörth\n".encode("utf-16"))
    with pytest.raises(InputError, match="UTF-8"):
        pack(folder, output, "pass phrase")
    assert output.read_bytes() == good
    assert sorted(os.listdir(tmp_path)) == ["bundle.atlas", "input"]
