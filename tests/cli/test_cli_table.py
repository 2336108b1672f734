"""export-table: the statistics as a machine-readable CSV or XLSX, checked against the core
and read back the way an analyst would (pandas, openpyxl)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook

from desktop.cli import common
from desktop.cli.main import main
from desktop.core.model import COUNTY, SUPPRESSED
from desktop.core.report.data_table import DATA_COLUMNS
from desktop.core.stats.comparison import Comparison
from desktop.core.stats.profile import indicators_for_basis
from tests.conftest import DEMO_PASSPHRASE

CLUSTER = "Stourport"


@pytest.fixture
def opened(monkeypatch, demo_bundle):
    """The session's demo bundle stands in for a decryption per command."""
    monkeypatch.setenv(common.PASSPHRASE_ENV, DEMO_PASSPHRASE)
    monkeypatch.setattr(common, "open_bundle", lambda path: demo_bundle)


def _read(path) -> pd.DataFrame:
    return pd.read_csv(path, keep_default_na=False, na_values=[""])


def test_one_cluster_latest_periods(opened, demo_bundle, stats, tmp_path, capsys):
    out = tmp_path / "stourport.csv"
    assert main(["export-table", "x.atlas", "--cluster", CLUSTER, "-o", str(out)]) == 0
    table = _read(out)
    assert tuple(table.columns) == DATA_COLUMNS  # pandas reads the header past the BOM
    shown = indicators_for_basis(demo_bundle)
    assert len(table) == 2 * len(shown)
    assert list(table["cluster"].unique()) == [CLUSTER, demo_bundle.manifest.area_name]
    assert list(table["level"].unique()) == ["cluster", "county"]
    assert f"{len(table)} rows" in capsys.readouterr().out
    own = table[table["level"] == "cluster"].set_index("indicator_id")
    for ind in shown:
        row, core = own.loc[ind.id], stats.cluster_values(ind.id, ind.latest_period).loc[CLUSTER]
        assert row["period"] == ind.latest_period
        if core["suppressed"]:
            assert row[["count", "denominator", "value", "lower_95", "upper_99_8"]].isna().all()
            assert row["note"].startswith(SUPPRESSED)
            continue
        for ours, theirs in (("value", "value"), ("lower_95", "lower95"),
                             ("upper_99_8", "upper998")):
            if np.isfinite(core[theirs]):
                assert row[ours] == pytest.approx(core[theirs], rel=1e-12), (ind.id, ours)
            else:
                assert np.isnan(row[ours])
        assert row["significance"] == Comparison().label(core["significance"])
        result = stats.trend_result(ind.id, CLUSTER)
        assert (row["trend_method"] if isinstance(row["trend_method"], str) else "") == \
            result.method
        assert row["trend"].split(" and ")[0].lower() == result.trend.value.split(" and ")[0]
    assert (table.loc[table["level"] == "county", "significance"].isna()).all()


def test_all_clusters_all_periods_at_99_8_against_the_rest(opened, demo_bundle, stats,
                                                          tmp_path):
    out = tmp_path / "all.xlsx"
    assert main(["export-table", "x.atlas", "--all-clusters", "--all-periods", "--level",
                 "99.8", "--against", "rest-of-county", "-o", str(out)]) == 0
    book = load_workbook(out)
    assert book.sheetnames == ["Data", "Notes"]
    rows = list(book["Data"].iter_rows(values_only=True))
    table = pd.DataFrame(rows[1:], columns=rows[0])
    assert tuple(table.columns) == DATA_COLUMNS
    shown = indicators_for_basis(demo_bundle)
    assert len(table) == (len(demo_bundle.cluster_names) + 1) * sum(
        len(stats.periods(i.id)) for i in shown)
    # rows of one cluster and indicator are in period order, oldest first
    one = table[(table["cluster"] == CLUSTER) & (table["indicator_id"] == "year6_obese")]
    assert list(one["period"]) == list(stats.periods("year6_obese"))
    strict = stats.with_comparison(Comparison(99.8, "rest"))
    clusters = table[table["level"] == "cluster"]
    labels = set(clusters["significance"]) - {None}
    assert labels <= {"Better 99.8%", "Worse 99.8%", "Higher 99.8%", "Lower 99.8%",
                      "Similar", "Not compared"} and "Worse 99.8%" in labels
    last = clusters[(clusters["indicator_id"] == "year6_obese")
                    & (clusters["period"] == stats.periods("year6_obese")[-1])]
    for _, row in last.iterrows():
        verdict = strict.cluster_values("year6_obese", row["period"]).loc[row["cluster"],
                                                                          "significance"]
        assert row["significance"] == strict.comparison.label(verdict)
        assert row["trend"] and row["trend_method"] == "chi-squared test for trend"
    notes = "\n".join(r[0] for r in book["Notes"].iter_rows(values_only=True))
    assert "rest of the county at 99.8% confidence" in notes and SUPPRESSED in notes
    counts = [r[rows[0].index("count")] for r in rows[1:]]
    assert all(isinstance(c, int) for c in counts if c is not None)  # whole numbers stay so


def test_nothing_suppressed_leaks_into_the_table(opened, demo_bundle, stats, tmp_path):
    out = tmp_path / "all.csv"
    assert main(["export-table", "x.atlas", "--all-clusters", "--all-periods",
                 "-o", str(out)]) == 0
    table = _read(out)
    aggregates = stats.aggregate_table
    hidden = aggregates[aggregates["suppressed"]]
    assert len(hidden) > 0
    for _, row in hidden.head(200).iterrows():
        name = demo_bundle.manifest.area_name if row["code"] == COUNTY else row["code"]
        match = table[(table["cluster"] == name) & (table["indicator_id"] == row["indicator_id"])
                      & (table["period"] == row["period"])]
        if match.empty:  # the other basis
            continue
        assert match["note"].iloc[0].startswith(SUPPRESSED)
        assert match[["count", "denominator", "value", "lower_95", "upper_95", "lower_99_8",
                      "upper_99_8"]].isna().all(axis=None)


@pytest.mark.parametrize(("args", "words"), [
    (["--cluster", "Nowhere"], "no cluster called 'Nowhere'"),
    (["--cluster", CLUSTER, "--level", "90"], "invalid choice"),
])
def test_bad_requests_are_clean_errors(opened, tmp_path, capsys, args, words):
    out = tmp_path / "t.csv"
    assert main(["export-table", "x.atlas", *args, "-o", str(out)]) == common.EXIT_ERROR
    assert words in capsys.readouterr().err and not out.exists()


def test_a_wrong_suffix_is_refused_before_decrypting(tmp_path, capsys):
    assert main(["export-table", "missing.atlas", "--all-clusters", "-o",
                 str(tmp_path / "t.txt")]) == common.EXIT_ERROR
    assert "ending in .csv or .xlsx" in capsys.readouterr().err


def test_export_profile_and_chart_take_the_level(opened, tmp_path):
    from docx import Document

    out = tmp_path / "p.docx"
    assert main(["export-profile", "x.atlas", "--cluster", CLUSTER, "--level", "99.8",
                 "-o", str(out)]) == 0
    words = "\n".join(p.text for p in Document(str(out)).paragraphs)
    assert "99.8% confidence" in words
    chart = tmp_path / "c.svg"
    assert main(["export-chart", "x.atlas", "--indicator", "year6_obese", "--chart", "bars",
                 "--against", "rest-of-county", "-o", str(chart)]) == 0
    assert "rest of the county" in chart.read_text(encoding="utf-8")
