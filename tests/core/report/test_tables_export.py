"""The profile as CSV, XLSX and clipboard TSV/HTML: same texts as the core's formatting, the
header block, and no suppressed number anywhere."""

from __future__ import annotations

import csv
from html.parser import HTMLParser

import pytest
from openpyxl import load_workbook

from desktop.core.errors import ExportError
from desktop.core.format import format_interval, format_value
from desktop.core.model import SUPPRESSED, SYNTHETIC_LABEL
from desktop.core.plotting.palettes import SIGNIFICANCE_COLOURS
from desktop.core.report.tables import (
    COLUMNS,
    clipboard_table,
    export_profile_csv,
    export_profile_xlsx,
    header_lines,
    profile_clipboard,
    profile_rows,
    table_notes,
)
from desktop.core.stats.profile import cluster_profile

CLUSTER = "Stourport"
SUPPRESSED_ID = "low_birth_weight"  # 9 births of 243 in Stourport: hidden (secondary)


@pytest.fixture(scope="module")
def profile(demo_bundle, stats):
    return cluster_profile(demo_bundle, stats, CLUSTER)


def raw_numbers(bundle, indicator_id: str, period: str, cluster: str) -> dict[str, float]:
    """The hidden numerator, denominator and value, summed straight from the bundle's values."""
    codes = bundle.areas.loc[bundle.areas["cluster"] == cluster, "area_code"]
    v = bundle.values
    rows = v[(v["indicator_id"] == indicator_id) & (v["period"] == period)
             & v["area_code"].isin(codes)]
    num, den = float(rows["numerator"].sum()), float(rows["denominator"].sum())
    return {"numerator": num, "denominator": den, "value": 100 * num / den}


def forbidden_texts(bundle, profile, indicator_id: str, cluster: str) -> set[str]:
    row = profile.set_index("indicator_id").loc[indicator_id]
    raw = raw_numbers(bundle, indicator_id, row["period"], cluster)
    assert 0 < raw["numerator"] and bool(row["suppressed"])  # the case really is suppressed
    texts = set()
    for key in ("numerator", "denominator"):
        texts |= {format_value(raw[key], "count"), str(int(raw[key])), f"{raw[key]:.1f}"}
    texts.add(format_value(raw["value"], "proportion", "%"))
    return texts


def test_rows_are_the_core_formatting(profile):
    rows = profile_rows(profile)
    assert len(rows) == len(profile)
    for (_, rec), (_, text) in zip(profile.iterrows(), rows.iterrows()):
        hidden = bool(rec["suppressed"])
        assert text["Value"] == format_value(rec["value"], rec["value_type"], rec["unit"], hidden)
        assert text["95% CI"] == format_interval(rec["lower95"], rec["upper95"],
                                                 rec["value_type"], hidden)
        assert text["County"] == format_value(rec["county_value"], rec["value_type"], rec["unit"])
        assert text["Theme"] == rec["theme"] and text["Period"] == rec["period"]
        if hidden:
            assert text["Count"] == text["Denominator"] == SUPPRESSED
    worse = rows[rows["significance"] == "worse"]
    assert not worse.empty and set(worse["Compared with county"]) == {"Worse 95%"}


def test_means_and_scores_get_no_count(profile):
    rows = profile_rows(profile).set_index(profile["indicator_id"])
    assert rows.loc["imd_score", "Count"] == "[z]"  # its summed "numerator" means nothing
    assert rows.loc["child_share", "Count"] == format_value(
        profile.set_index("indicator_id").loc["child_share", "count"], "count")


def test_header_block_says_what_the_table_is(demo_bundle, profile):
    lines = header_lines(demo_bundle, profile, CLUSTER)
    text = "\n".join(lines)
    assert demo_bundle.manifest.title in lines[0] and CLUSTER in lines[0]
    assert SYNTHETIC_LABEL in text
    assert demo_bundle.manifest.licence in text and demo_bundle.manifest.attribution in text
    assert "latest period of each indicator" in text  # the demo mixes 2019, 2023, 2023/24


def test_notes_under_the_table_explain_its_markers(demo_bundle, profile):
    rows = profile_rows(profile)[list(COLUMNS)].to_numpy().ravel()
    notes = table_notes(demo_bundle, rows)
    assert notes[0].startswith("Compared with county:")
    assert notes[1].startswith(f"{SUPPRESSED} confidential") and "a count from 1 to 5" in notes[1]
    assert [n[:3] for n in notes[1:]] == ["[c]", "[x]", "[z]"]  # the demo uses all three


def read_csv_table(path) -> tuple[list[str], list[list[str]], list[str]]:
    """Header lines, table rows and the notes under the table."""
    with open(path, encoding="utf-8-sig", newline="") as fh:
        lines = list(csv.reader(fh))
    top = lines.index(list(COLUMNS))
    end = lines.index([], top)
    return ([line[0] for line in lines[:top] if line], lines[top + 1:end],
            [line[0] for line in lines[end + 1:]])


def test_csv_round_trip(demo_bundle, profile, tmp_path):
    out = tmp_path / "profile.csv"
    export_profile_csv(demo_bundle, profile, CLUSTER, out)
    header, rows, notes = read_csv_table(out)
    assert header == header_lines(demo_bundle, profile, CLUSTER)
    expected = profile_rows(profile)[list(COLUMNS)].to_numpy()
    assert rows == expected.tolist()
    assert notes == table_notes(demo_bundle, expected.ravel())
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")  # Excel reads the BOM as UTF-8


def test_exports_say_the_comparison_they_show(demo_bundle, stats, tmp_path):
    from desktop.core.report.tables import headings
    from desktop.core.stats.comparison import Comparison

    strict = stats.with_comparison(Comparison(99.8, "rest"))
    profile = cluster_profile(demo_bundle, strict, CLUSTER)
    out = tmp_path / "strict.csv"
    export_profile_csv(demo_bundle, profile, CLUSTER, out, comparison=strict.comparison)
    with open(out, encoding="utf-8-sig", newline="") as fh:
        lines = list(csv.reader(fh))
    top = lines.index(list(headings(strict.comparison)))
    assert "Compared with rest of county" in lines[top]
    assert any("at 99.8% confidence" in line[0] for line in lines[:top] if line)
    body = lines[top + 1:lines.index([], top)]  # the table ends at the blank line before its notes
    verdicts = {row[lines[top].index("Compared with rest of county")] for row in body}
    assert "Worse 99.8%" in verdicts and not any("95%" in v for v in verdicts)
    clip = profile_clipboard(demo_bundle, profile, CLUSTER, comparison=strict.comparison)
    assert "Compared with rest of county" in clip.text.splitlines()[1]


def xlsx_table(path) -> tuple[list[str], list[list[str]], object]:
    """(header lines, table rows, sheet) and the row of the table's header; the notes follow
    the table after an empty row."""
    sheet = load_workbook(path).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    top = next(i for i, row in enumerate(values) if row[:len(COLUMNS)] == list(COLUMNS))
    end = next(i for i in range(top, len(values)) if not any(values[i]))
    return ([r[0] for r in values[:top] if r[0]], values[top + 1:end], sheet), top


def test_xlsx_round_trip_with_significance_fills(demo_bundle, profile, tmp_path):
    out = tmp_path / "profile.xlsx"
    export_profile_xlsx(demo_bundle, profile, CLUSTER, out)
    (header, rows, sheet), top = xlsx_table(out)
    expected = profile_rows(profile)
    assert header == header_lines(demo_bundle, profile, CLUSTER)
    assert [[("" if v is None else v) for v in r] for r in rows] == \
        expected[list(COLUMNS)].to_numpy().tolist()
    column = COLUMNS.index("Compared with county") + 1
    for i, sig in enumerate(expected["significance"]):
        fill = sheet.cell(top + 2 + i, column).fill.fgColor.rgb
        assert fill[-6:] == SIGNIFICANCE_COLOURS[sig].lstrip("#").upper()
    assert sheet.freeze_panes == f"C{top + 2}"


def test_suppressed_value_is_nowhere_in_csv_or_xlsx(demo_bundle, profile, tmp_path):
    forbidden = forbidden_texts(demo_bundle, profile, SUPPRESSED_ID, CLUSTER)
    position = profile.index[profile["indicator_id"] == SUPPRESSED_ID][0]
    export_profile_csv(demo_bundle, profile, CLUSTER, tmp_path / "p.csv")
    export_profile_xlsx(demo_bundle, profile, CLUSTER, tmp_path / "p.xlsx")
    csv_row = read_csv_table(tmp_path / "p.csv")[1][position]
    (_, xlsx_rows, _), _ = xlsx_table(tmp_path / "p.xlsx")
    for cells in (csv_row, xlsx_rows[position]):
        assert "Low birth weight" in str(cells[1])
        assert not forbidden & {str(c) for c in cells}
        assert [cells[COLUMNS.index(c)] for c in ("Count", "Denominator", "Value", "95% CI")] \
            == [SUPPRESSED] * 4


def test_clipboard_has_tsv_and_html(demo_bundle, stats):
    profile = cluster_profile(demo_bundle, stats, "Tenbury & Martley")
    clip = profile_clipboard(demo_bundle, profile, "Tenbury & Martley")
    lines = clip.text.splitlines()
    header = header_lines(demo_bundle, profile, "Tenbury & Martley")
    assert lines[0] == header[0] and lines[1].split("\t") == list(COLUMNS)
    table = [line.split("\t") for line in lines[2:2 + len(profile)]]
    expected = profile_rows(profile)[list(COLUMNS)].to_numpy()
    assert table == expected.tolist()
    assert lines[2 + len(profile):] == [*table_notes(demo_bundle, expected.ravel()), *header[1:]]

    class Cells(HTMLParser):
        def __init__(self):
            super().__init__()
            self.rows, self.styles = [], []

        def handle_starttag(self, tag, attrs):
            if tag == "tr":
                self.rows.append([])
            if tag in ("td", "th"):
                self.styles.append(dict(attrs).get("style", ""))

        def handle_data(self, data):
            if self.rows and self.get_starttag_text().startswith(("<td", "<th")):
                self.rows[-1].append(data)

    parser = Cells()
    parser.feed(clip.html)
    assert parser.rows[0] == list(COLUMNS) and len(parser.rows) == len(profile) + 1
    assert "Tenbury &amp; Martley" in clip.html and "Tenbury & Martley" not in clip.html
    worse = SIGNIFICANCE_COLOURS["worse"]
    assert any(f"background:{worse}" in s for s in parser.styles)


def test_clipboard_table_of_any_frame():
    import pandas as pd

    frame = pd.DataFrame({"Cluster": ["A\tB", "C"], "Value": ["1.0", SUPPRESSED]})
    clip = clipboard_table(frame, caption="Cap", fills={"Value": [None, "#D55E00"]})
    assert clip.text == "Cap\nCluster\tValue\nA B\t1.0\nC\t[c]\n"
    assert clip.html.count("<tr>") == 3 and "color:#FFFFFF" in clip.html


@pytest.mark.parametrize("where", ["missing-folder", "file-as-folder"])
def test_unwritable_path_is_an_export_error_naming_it(demo_bundle, profile, tmp_path, where):
    if where == "file-as-folder":
        (tmp_path / "file.txt").write_text("x")
        folder = tmp_path / "file.txt"
    else:
        folder = tmp_path / "no-such-folder"
    for export, name in ((export_profile_csv, "p.csv"), (export_profile_xlsx, "p.xlsx")):
        with pytest.raises(ExportError, match=name):
            export(demo_bundle, profile, CLUSTER, folder / name)
    assert sorted(p.name for p in tmp_path.iterdir()) == (
        ["file.txt"] if where == "file-as-folder" else [])
