"""Disclosure control, swept over the whole demo bundle and every table export.

1. Statistics: for every indicator, period and level (areas, clusters, county), no count from
   1 to the threshold is visible, a hidden row hides every number derived from its count, and
   no hidden count can be worked out from the visible ones. The last is checked as an attacker
   would: the sums "cluster = its areas" and "county = clusters + areas in no cluster" form a
   linear system in the hidden counts; a hidden count is recoverable exactly when its unit
   vector lies in the row space of that system (rank test). The true counts come from the raw
   values, summed here with pandas, independently of desktop.core.stats.aggregate.
2. Exports: each export format, for every cluster, writes "[c]" wherever the statistics hide a
   row, and never a count from 1 to the threshold, and explains the markers it uses under the
   table. A new format is one entry in EXPORTS.
"""

from __future__ import annotations

import csv
import html
import re
from collections.abc import Callable
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest

from desktop.core.charts.tables import chart_inputs, chart_table
from desktop.core.format import MISSING
from desktop.core.model import COUNTY, NOT_APPLICABLE, SUPPRESSED, Bundle, ValueType
from desktop.core.report import tables as tables_export
from desktop.core.stats.profile import cluster_profile
from desktop.core.stats.suppression import BLANKED

COUNTED = {ValueType.PROPORTION, ValueType.RATE, ValueType.COUNT}


@pytest.fixture(scope="module")
def profiles(demo_bundle, stats) -> dict[str, pd.DataFrame]:
    return {c: cluster_profile(demo_bundle, stats, c) for c in demo_bundle.cluster_names}


def _thresholds(bundle: Bundle) -> pd.Series:
    m = bundle.manifest
    return pd.Series({i.id: m.threshold_for(i) for i in m.indicators})


def _counted_ids(bundle: Bundle) -> set[str]:
    return {i.id for i in bundle.manifest.indicators if ValueType(i.value_type) in COUNTED}


def test_no_small_count_is_visible_and_hidden_rows_hide_everything(demo_bundle, stats):
    table = stats.table
    counted = table["indicator_id"].astype(str).isin(_counted_ids(demo_bundle)).to_numpy()
    limit = table["indicator_id"].astype(str).map(_thresholds(demo_bundle)).to_numpy(float)
    num = table["numerator"].to_numpy(float)
    hidden = table["suppressed"].to_numpy(bool)
    small = counted & (num >= 1) & (num <= limit)
    assert not (small & ~hidden).any(), table[small & ~hidden].head()
    assert table.loc[hidden, list(BLANKED)].isna().all().all()
    assert (table.loc[hidden, "significance"].astype(str) == "not compared").all()
    # the sweep is not vacuous: the demo has hidden cells at every level
    assert set(table.loc[hidden, "level"].astype(str)) >= {"area", "cluster"}


def _true_counts(bundle: Bundle, stats) -> pd.DataFrame:
    """Numerators of every area, cluster and the county, summed from the raw values."""
    kind = {i.id: ValueType(i.value_type) for i in bundle.manifest.indicators}
    values = bundle.values[bundle.values["indicator_id"].isin(_counted_ids(bundle))].copy()
    is_count = values["indicator_id"].map(kind).eq(ValueType.COUNT)
    values["n"] = values["numerator"].where(~(is_count & values["numerator"].isna()),
                                            values["value"])
    ratio = ~is_count
    values.loc[ratio & values["denominator"].isna(), "n"] = np.nan
    values = values.dropna(subset=["n"])
    cluster_of = bundle.areas.set_index("area_code")["cluster"]
    values["cluster"] = values["area_code"].map(cluster_of)
    keys = ["indicator_id", "period"]
    areas = values.assign(level="area", code=values["area_code"])
    clusters = (values.dropna(subset=["cluster"]).groupby(keys + ["cluster"], as_index=False)
                ["n"].sum().rename(columns={"cluster": "code"}).assign(level="cluster"))
    county = values.groupby(keys, as_index=False)["n"].sum().assign(level="county",
                                                                     code=COUNTY)
    return pd.concat([areas[keys + ["level", "code", "n", "cluster"]], clusters, county],
                     ignore_index=True)


def _recoverable(group: pd.DataFrame) -> list[str]:
    """Hidden codes of one indicator and period that the sums determine exactly.

    Unknowns are the hidden counts; each sum gives one equation in them (visible counts move
    to the constant side). An unknown is determined exactly when every vector of the system's
    null space is zero in its position.
    """
    hidden = group["hidden"].to_numpy(bool)
    if not hidden.any():
        return []
    level = group["level"].to_numpy(str)[hidden]
    code = group["code"].to_numpy(str)[hidden]
    home = group["cluster"].to_numpy(object)[hidden]
    names = sorted(set(group.loc[group["level"] == "cluster", "code"].astype(str)))
    system = np.zeros((1 + len(names), hidden.sum()))
    unclustered = (level == "area") & pd.isna(home)
    system[0] = np.select([level == "county", (level == "cluster") | unclustered], [1, -1], 0)
    for i, name in enumerate(names, start=1):
        system[i] = np.select([(level == "cluster") & (code == name),
                               (level == "area") & (home == name)], [1, -1], 0)
    _, singular, vt = np.linalg.svd(system)
    rank = int((singular > 1e-9).sum())
    null = vt[rank:]
    determined = np.all(np.abs(null) < 1e-9, axis=0)
    return [str(c) for c in code[determined]]


def test_no_hidden_count_can_be_recovered_by_subtraction(demo_bundle, stats):
    truth = _true_counts(demo_bundle, stats)
    shown = stats.table[["indicator_id", "period", "level", "code", "suppressed"]].astype(
        {"indicator_id": str, "period": str, "level": str, "code": str})
    merged = truth.merge(shown, on=["indicator_id", "period", "level", "code"], how="left",
                         validate="one_to_one")
    assert merged["suppressed"].notna().all(), "a counted row is missing from the statistics"
    merged["hidden"] = merged["suppressed"].astype(bool)
    with_hidden = merged.groupby(["indicator_id", "period"])["hidden"].transform("any")
    merged = merged[with_hidden].sort_values(["indicator_id", "period"], kind="stable")
    leaks, systems = [], 0
    for (ind, period), group in merged.groupby(["indicator_id", "period"], sort=False):
        systems += 1
        leaks += [(ind, period, code) for code in _recoverable(group)]
    assert systems > 50, "the demo should exercise many systems with hidden cells"
    assert leaks == [], f"recoverable by subtraction: {leaks[:10]}"


def test_the_recovery_check_finds_a_planted_leak():
    """The check is not vacuous: a hidden cluster beside a visible county and sibling is found,
    with its areas (each the only area of its cluster); hiding the sibling too protects them."""
    group = pd.DataFrame({
        "level": ["area", "area", "cluster", "cluster", "county"],
        "code": ["a1", "a2", "North", "South", COUNTY],
        "cluster": ["North", "South", np.nan, np.nan, np.nan],
        "hidden": [True, True, True, False, False]})
    assert _recoverable(group) == ["a1", "a2", "North"]
    group["hidden"] = [True, True, True, True, False]
    assert _recoverable(group) == []


# --- exports ----------------------------------------------------------------------------------

def _read_csv(bundle, profile, cluster, folder: Path) -> pd.DataFrame:
    path = folder / "profile.csv"
    tables_export.export_profile_csv(bundle, profile, cluster, path)
    with open(path, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    return _table_after_header(rows)


def _read_xlsx(bundle, profile, cluster, folder: Path) -> pd.DataFrame:
    path = folder / "profile.xlsx"
    tables_export.export_profile_xlsx(bundle, profile, cluster, path)
    book = openpyxl.load_workbook(path, read_only=True)
    rows = [["" if v is None else str(v) for v in r] for r in book.active.iter_rows(
        values_only=True)]
    book.close()
    return _table_after_header(rows)


def _read_clipboard(bundle, profile, cluster, folder: Path) -> pd.DataFrame:
    copied = tables_export.profile_clipboard(bundle, profile, cluster)
    tsv = _table_after_header([line.split("\t") for line in copied.text.splitlines()])
    cells = re.findall(r"<t[dh](?:\s[^>]*)?>(.*?)</t[dh]>", copied.html, flags=re.S)
    width = len(tables_export.COLUMNS)
    start = cells.index("Theme")
    grid = [[html.unescape(re.sub("<[^>]+>", "", c)) for c in cells[i:i + width]]
            for i in range(start, len(cells) - width + 1, width)]
    from_html = pd.DataFrame(grid[1:], columns=grid[0])
    pd.testing.assert_frame_equal(from_html.iloc[:len(tsv)].reset_index(drop=True),
                                  tsv.reset_index(drop=True), check_dtype=False)
    return tsv


def _table_after_header(rows: list[list[str]]) -> pd.DataFrame:
    """The table under its "Theme" header, up to the first empty row; the one-cell lines after
    the header (the notes under the table) are kept as the frame's `notes`."""
    start = next(i for i, r in enumerate(rows) if r and r[0] == "Theme")
    header = rows[start]
    end = next((i for i in range(start + 1, len(rows)) if not any(rows[i])), len(rows))
    body = [r[:len(header)] for r in rows[start + 1:end] if len(r) >= len(header)]
    frame = pd.DataFrame(body, columns=header)
    frame.attrs["notes"] = [r[0] for r in rows[start + 1:] if r and r[0] and not any(r[1:])]
    return frame


# format -> writes the cluster's profile and reads its table back as text cells
EXPORTS: dict[str, Callable[..., pd.DataFrame]] = {
    "csv": _read_csv,
    "xlsx": _read_xlsx,
    "clipboard (TSV and HTML)": _read_clipboard,
}


@pytest.mark.parametrize("fmt", list(EXPORTS))
def test_every_cluster_export_shows_c_where_hidden_and_no_small_count(
        demo_bundle, profiles, tmp_path, fmt):
    limits = _thresholds(demo_bundle)
    hidden_seen = 0
    for cluster, profile in profiles.items():
        table = EXPORTS[fmt](demo_bundle, profile, cluster, tmp_path)
        assert len(table) == len(profile)
        for rec, (_, row) in zip(profile.to_dict("records"), table.iterrows()):
            assert row["Indicator"].startswith(rec["title"])
            if rec["suppressed"]:
                hidden_seen += 1
                assert (row["Count"], row["Value"], row["95% CI"]) == (SUPPRESSED,) * 3, \
                    (cluster, rec["title"], dict(row))
            elif ValueType(rec["value_type"]) in COUNTED and row["Count"] not in (
                    NOT_APPLICABLE, MISSING):
                count = float(row["Count"].replace(",", ""))
                assert not 1 <= count <= limits[rec["indicator_id"]], (cluster, rec["title"])
        notes = "\n".join(table.attrs["notes"])
        assert f"{SUPPRESSED} confidential" in notes and "a count from 1 to 5" in notes, fmt
    assert hidden_seen > 0, "the demo has hidden cluster cells; the sweep must meet some"


def test_chart_tables_show_c_for_every_hidden_cluster(demo_bundle, stats):
    """Bars of every indicator, and the trend of every cluster with a hidden period."""
    checked = 0
    for ind in demo_bundle.manifest.indicators:
        period = ind.latest_period
        values = stats.cluster_values(ind.id, period)
        bars = chart_table("bars", **chart_inputs("bars", demo_bundle, stats, ind, period, None))
        hidden = values.index[values["suppressed"].to_numpy(bool)]
        for name in hidden:
            row = bars[bars["Cluster"] == ("County" if name == COUNTY else name)].iloc[0]
            assert row["Value"] == SUPPRESSED and row["Lower 95% CI"] == SUPPRESSED
            checked += 1
        for cluster in demo_bundle.cluster_names:
            series = stats.series(ind.id, cluster, "cluster")
            if not series["suppressed"].any():
                continue
            trend = chart_table("trend", **chart_inputs("trend", demo_bundle, stats, ind, period,
                                                        cluster))
            for p in series.index[series["suppressed"].to_numpy(bool)]:
                assert trend.loc[trend["Period"] == p, f"{cluster} value"].iloc[0] == SUPPRESSED
                checked += 1
    assert checked > 0
