"""Cross-border flows against counts computed by hand from the demo bundle's flows."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest

from desktop.core.errors import AtlasError
from desktop.core.model import OUTSIDE, SUPPRESSED
from desktop.core.stats import crossborder as cb


def _by_hand(bundle, period):
    flows = bundle.flows[bundle.flows["period"] == period]
    lookup = dict(zip(bundle.areas["area_code"], bundle.areas["cluster"]))
    home = flows["home_area_code"].map(lambda c: lookup.get(c, cb.OUTSIDE_LABEL))
    return flows.assign(home=home)


def test_latest_period_is_default(demo_bundle):
    assert cb.flow_matrix(demo_bundle).period == sorted(set(demo_bundle.flows["period"]))[-1]


@pytest.mark.parametrize("cluster", ["Malvern", "Redditch", "Tenbury & Martley"])
def test_inflow_and_outflow_match_groupby(demo_bundle, cluster):
    period = "2022/23"
    flows = _by_hand(demo_bundle, period)
    matrix = cb.flow_matrix(demo_bundle, period)
    expected_in = flows[flows["school_cluster"] == cluster].groupby("home")["pupils"].sum()
    expected_out = flows[flows["home"] == cluster].groupby("school_cluster")["pupils"].sum()
    for table, expected in ((cb.inflow(matrix, cluster), expected_in),
                            (cb.outflow(matrix, cluster), expected_out)):
        table = table.set_index("place")
        total = expected.sum()
        assert table.loc["Total", "pupils"] == total
        for place, row in table.drop(index="Total").iterrows():
            count = expected.get(place, 0.0)
            if row["suppressed"]:
                assert np.isnan(row["pupils"]) and np.isnan(row["share"])
            else:
                assert row["pupils"] == count
                assert row["share"] == pytest.approx(100 * count / total)
            if 1 <= count <= demo_bundle.manifest.disclosure_threshold:
                assert row["suppressed"]


def test_no_hidden_cell_is_alone_in_any_equation(demo_bundle):
    for period in cb.flow_periods(demo_bundle):
        m = cb.flow_matrix(demo_bundle, period)
        assert m.hidden.any()
        rows = m.hidden.sum(axis=1) + m.row_hidden
        cols = m.hidden.sum(axis=0) + m.col_hidden
        assert not np.any(rows == 1) and not np.any(cols == 1)
        assert m.row_hidden.sum() + m.total_hidden != 1
        assert m.col_hidden.sum() + m.total_hidden != 1


def test_secondary_suppression_spans_both_directions(demo_bundle):
    """One small flow hidden: a second cell in its row and in its column must hide too."""
    areas = demo_bundle.areas
    home_a = areas.loc[areas["cluster"] == "Malvern", "area_code"].iloc[0]
    home_b = areas.loc[areas["cluster"] == "Evesham", "area_code"].iloc[0]
    flows = pd.DataFrame({
        "school_cluster": ["Malvern", "Malvern", "Evesham", "Evesham", "Malvern"],
        "home_area_code": [home_a, home_b, home_a, home_b, OUTSIDE],
        "period": ["2030"] * 5, "pupils": [500.0, 3.0, 40.0, 600.0, 30.0]})
    bundle = dataclasses.replace(demo_bundle, flows=flows)
    m = cb.flow_matrix(bundle)
    hidden = {(m.schools[i], m.homes[j]) for i, j in zip(*np.nonzero(m.hidden))}
    assert ("Malvern", "Evesham") in hidden  # primary: 3 pupils
    assert sum(s == "Malvern" for s, _ in hidden) >= 2
    assert sum(h == "Evesham" for _, h in hidden) >= 2
    text_in, text_out, _ = cb.crossborder_section_rows(bundle, "Malvern")
    assert "3" not in set(text_in["Pupils"]) and SUPPRESSED in set(text_in["Pupils"])


def test_county_summary_by_hand(demo_bundle):
    period = "2023/24"
    flows = _by_hand(demo_bundle, period)
    summary = cb.county_summary(cb.flow_matrix(demo_bundle, period))
    outside = flows.loc[flows["home"] == cb.OUTSIDE_LABEL, "pupils"].sum()
    assert summary.living_outside == pytest.approx(100 * outside / flows["pupils"].sum())
    resident = flows[flows["home"] != cb.OUTSIDE_LABEL]
    crossing = resident.loc[resident["home"] != resident["school_cluster"], "pupils"].sum()
    assert summary.crossing == pytest.approx(100 * crossing / resident["pupils"].sum())
    assert f"{summary.living_outside:.1f}%" in summary.sentence()


def test_section_rows_are_formatted_strings(demo_bundle):
    inflow, outflow, text = cb.crossborder_section_rows(demo_bundle, "Malvern")
    assert list(inflow.columns) == ["Pupils living in", "Pupils", "Share"]
    assert inflow.iloc[-1].tolist()[0] == "Total" and inflow.iloc[-1]["Share"] == "100.0%"
    assert cb.OUTSIDE_LABEL in set(inflow["Pupils living in"])
    assert cb.OUTSIDE_LABEL not in set(outflow["Attending school in"])
    assert all(isinstance(v, str) for v in inflow.to_numpy().ravel())
    assert "Malvern" in text and "lived outside the county" in text


def test_missing_flows_and_unknown_period(demo_bundle):
    with pytest.raises(AtlasError):
        cb.flow_matrix(dataclasses.replace(demo_bundle, flows=None))
    with pytest.raises(AtlasError, match="2001"):
        cb.flow_matrix(demo_bundle, "2001")


def _flows(bundle, table: dict[tuple[str, str], float], period: str = "2030"):
    """A bundle whose flows are `table`: (school cluster, home cluster or OUTSIDE) -> pupils,
    each home cluster's pupils living in its first area."""
    areas = bundle.areas
    first = {c: areas.loc[areas["cluster"] == c, "area_code"].iloc[0]
             for c in bundle.cluster_names}
    rows = [(school, OUTSIDE if home == OUTSIDE else first[home], period, float(n))
            for (school, home), n in table.items()]
    flows = pd.DataFrame(rows, columns=["school_cluster", "home_area_code", "period", "pupils"])
    return dataclasses.replace(bundle, flows=flows)


def test_every_place_is_listed_and_zero_reads_0(demo_bundle):
    matrix = cb.flow_matrix(demo_bundle)
    inflow, outflow, _ = cb.crossborder_section_rows(demo_bundle, "Malvern")
    assert list(inflow["Pupils living in"]) == [*matrix.homes, "Total"]
    assert list(outflow["Attending school in"]) == [*matrix.schools, "Total"]
    r = matrix.schools.index("Malvern")
    zeros = [h for h, n, hid in zip(matrix.homes, matrix.pupils[r], matrix.hidden[r])
             if n == 0 and not hid]
    assert zeros, "the demo has places sending no pupils to Malvern"
    shown = inflow.set_index("Pupils living in")
    assert all(shown.loc[z, "Pupils"] == "0" for z in zeros)


def test_shares_of_a_hidden_total_are_hidden(demo_bundle):
    """Malvern's schools have 4 pupils: the total is hidden, and with it every share of it,
    which would otherwise give the total away (113 = 34.1% and 141 = 42.6% admit one total)."""
    names = demo_bundle.cluster_names
    table = {(s, h): 40.0 + 7 * i + 3 * j for i, s in enumerate(names)
             for j, h in enumerate(names) if s != "Malvern"}
    table.update({("Malvern", "Malvern"): 3.0, ("Malvern", "Evesham"): 1.0})
    bundle = _flows(demo_bundle, table)
    matrix = cb.flow_matrix(bundle)
    assert matrix.row_hidden[names.index("Malvern")]
    rows = cb.inflow(matrix, "Malvern")
    assert rows["share_suppressed"].all() and rows["share"].isna().all()
    text_in, _, _ = cb.crossborder_section_rows(bundle, "Malvern")
    assert set(text_in["Share"]) == {SUPPRESSED}
    assert cb.audit_publication(matrix).passed


def test_every_period_of_the_demo_audits_clean(demo_bundle):
    for period, matrix in cb.flow_matrices(demo_bundle).items():
        result = cb.audit_publication(matrix)
        assert result.passed and result.cells.size == matrix.hidden_numbers.sum() > 0, period


def test_the_county_sentence_says_only_what_may_be_printed():
    summary = cb.CountySummary("2030", 1234, 4.04, 1000, 6.96)
    assert summary.sentence() == ("In 2030, 4.0% of the 1,234 pupils at the county's schools "
                                  "lived outside the county and 7.0% of the pupils living in "
                                  "a cluster attended a school in another cluster.")
    hidden_total = dataclasses.replace(summary, shown=(False, True, False))
    assert hidden_total.sentence() == ("In 2030, 4.0% of the pupils at the county's schools "
                                       "lived outside the county.")
    assert dataclasses.replace(summary, shown=(True, False, False)).sentence() == \
        "In 2030, the county's schools had 1,234 pupils."
    assert dataclasses.replace(summary, shown=(False, False, False)).sentence() == ""
