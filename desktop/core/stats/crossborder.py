"""Cross-border pupils: where the pupils of a cluster's schools live, and where the children
living in a cluster go to school, from the bundle's flows table.

The flows of one period form a matrix: school cluster by home cluster (plus "Outside the
county"), with row totals (pupils at a cluster's schools), column totals (children living in a
cluster who attend a school in the county) and a grand total. A cluster's inflow table is its
row, its outflow table its column. Small counts are suppressed over the whole matrix at once, so
a cell hidden in one cluster's table can never be recovered from another cluster's table or from
a total: primary suppression of 1..threshold, then secondary suppression over the row and the
column equations in turn until neither has an equation with exactly one hidden member.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from desktop.core.errors import AtlasError
from desktop.core.format import format_value
from desktop.core.model import OUTSIDE, Bundle, ValueType
from desktop.core.stats import suppression

OUTSIDE_LABEL = "Outside the county"
NO_CLUSTER_LABEL = "In no cluster"
TABLE_COLUMNS = ("place", "pupils", "share", "suppressed")


@dataclass(frozen=True, eq=False)
class FlowMatrix:
    """Pupils of one period by school cluster (rows) and home place (columns), with margins.

    hidden marks suppressed cells; row_hidden, col_hidden and total_hidden the margins.
    """

    period: str
    schools: tuple[str, ...]
    homes: tuple[str, ...]  # the clusters, then NO_CLUSTER_LABEL if used, then OUTSIDE_LABEL
    pupils: np.ndarray  # (len(schools), len(homes))
    hidden: np.ndarray
    row_hidden: np.ndarray
    col_hidden: np.ndarray
    total_hidden: bool

    @property
    def row_totals(self) -> np.ndarray:
        return self.pupils.sum(axis=1)

    @property
    def col_totals(self) -> np.ndarray:
        return self.pupils.sum(axis=0)


def flow_periods(bundle: Bundle) -> tuple[str, ...]:
    """Periods of the flows table in order of appearance (empty when the bundle has none)."""
    if bundle.flows is None:
        return ()
    return tuple(dict.fromkeys(str(p) for p in bundle.flows["period"]))


def _period(bundle: Bundle, period: str | None) -> str:
    periods = flow_periods(bundle)
    if not periods:
        raise AtlasError("This bundle carries no cross-border flows of pupils.")
    if period is None:
        return periods[-1]
    if period not in periods:
        raise AtlasError(f"The bundle has no cross-border flows for {period}; it has "
                         f"{', '.join(periods)}.")
    return period


def home_places(bundle: Bundle) -> pd.Series:
    """Home place of each flow row: the cluster of its home area, NO_CLUSTER_LABEL for an area
    in no cluster, OUTSIDE_LABEL for OUTSIDE and for codes that are not areas of the bundle."""
    areas = bundle.areas
    cluster_of = pd.Series(areas["cluster"].astype(object).to_numpy(),
                           index=areas["area_code"].astype(str).to_numpy())
    codes = bundle.flows["home_area_code"].astype(str)
    place = codes.map(cluster_of).astype(object)
    known = codes.isin(cluster_of.index) & (codes != OUTSIDE)
    place = place.where(~known | place.notna(), NO_CLUSTER_LABEL)
    return place.where(known, OUTSIDE_LABEL)


def flow_matrix(bundle: Bundle, period: str | None = None) -> FlowMatrix:
    """The suppressed flow matrix of one period (the latest by default)."""
    period = _period(bundle, period)
    flows = bundle.flows
    rows = flows["period"].astype(str) == period
    place = home_places(bundle)[rows]
    schools = tuple(str(c) for c in bundle.cluster_names)
    homes = list(schools)
    if (place == NO_CLUSTER_LABEL).any():
        homes.append(NO_CLUSTER_LABEL)
    homes.append(OUTSIDE_LABEL)
    i = pd.Index(schools).get_indexer(flows.loc[rows, "school_cluster"].astype(str))
    j = pd.Index(homes).get_indexer(place.astype(str))
    pupils_col = flows.loc[rows, "pupils"].to_numpy(dtype=float)
    ok = (i >= 0) & ~np.isnan(pupils_col)
    matrix = np.zeros((len(schools), len(homes)))
    np.add.at(matrix, (i[ok], j[ok]), pupils_col[ok])
    cells, rows_h, cols_h, total_h = _suppress(matrix, bundle.manifest.disclosure_threshold)
    return FlowMatrix(period, schools, tuple(homes), matrix, cells, rows_h, cols_h, total_h)


def _suppress(matrix: np.ndarray, threshold: int
              ) -> tuple[np.ndarray, np.ndarray, np.ndarray, bool]:
    """Primary and secondary suppression of a two-way table with its margins.

    Values are laid out as cells, row totals, column totals, grand total. The row pass sums
    cells into row totals and row totals into the grand total; the column pass does the same
    by columns. Each pass only hides more, so alternating them reaches a fixed point where no
    equation of either kind has exactly one hidden member.
    """
    n_r, n_c = matrix.shape
    values = np.concatenate([matrix.ravel(), matrix.sum(axis=1), matrix.sum(axis=0),
                             [matrix.sum()]])
    n_cells = n_r * n_c
    r_idx, c_idx = np.divmod(np.arange(n_cells), n_c)
    none = np.full(n_c, -1)
    # row pass: equations 0..n_r-1 are rows, n_r is the grand total over row totals
    row_child = np.concatenate([r_idx, np.full(n_r, n_r), none, [-1]])
    row_parent = np.concatenate([np.full(n_cells, -1), np.arange(n_r), none, [n_r]])
    col_child = np.concatenate([c_idx, np.full(n_r, -1), np.full(n_c, n_c), [-1]])
    col_parent = np.concatenate([np.full(n_cells + n_r, -1), np.arange(n_c), [n_c]])
    member = np.ones(values.size, dtype=bool)
    hidden = suppression.primary_mask(values, threshold)
    while True:
        before = hidden.copy()
        hidden = suppression.secondary_mask(hidden, values, member, row_child, row_parent,
                                            n_r + 1)
        hidden = suppression.secondary_mask(hidden, values, member, col_child, col_parent,
                                            n_c + 1)
        if np.array_equal(before, hidden):
            break
    cells = hidden[:n_cells].reshape(n_r, n_c)
    return (cells, hidden[n_cells:n_cells + n_r], hidden[n_cells + n_r:-1], bool(hidden[-1]))


def _table(places: tuple[str, ...], pupils: np.ndarray, hidden: np.ndarray, total: float,
           total_hidden: bool) -> pd.DataFrame:
    """Rows in the given order, then a "Total" row; share is percent of the total."""
    with np.errstate(invalid="ignore", divide="ignore"):
        share = pupils / total * 100.0 if total > 0 else np.full(pupils.shape, np.nan)
    frame = pd.DataFrame({"place": [*places, "Total"],
                          "pupils": np.append(pupils, total),
                          "share": np.append(share, 100.0 if total > 0 else np.nan),
                          "suppressed": np.append(hidden, total_hidden)})
    # a hidden count hides its share too; a total row may stay visible
    frame.loc[frame["suppressed"], ["pupils", "share"]] = np.nan
    return frame


def inflow(matrix: FlowMatrix, cluster: str) -> pd.DataFrame:
    """Pupils at the cluster's schools by where they live (columns TABLE_COLUMNS)."""
    r = matrix.schools.index(cluster)
    return _table(matrix.homes, matrix.pupils[r], matrix.hidden[r],
                  float(matrix.row_totals[r]), bool(matrix.row_hidden[r]))


def outflow(matrix: FlowMatrix, cluster: str) -> pd.DataFrame:
    """Children living in the cluster by the cluster of the school they attend."""
    c = matrix.homes.index(cluster)
    return _table(matrix.schools, matrix.pupils[:, c], matrix.hidden[:, c],
                  float(matrix.col_totals[c]), bool(matrix.col_hidden[c]))


@dataclass(frozen=True)
class CountySummary:
    """Shares (percent) for the whole county in one period."""

    period: str
    pupils: float  # pupils at the county's schools
    living_outside: float  # share of them who live outside the county
    resident: float  # pupils who live in a county cluster
    crossing: float  # share of those who attend a school in another cluster

    def sentence(self) -> str:
        return (f"In {self.period}, {self.living_outside:.1f}% of the {self.pupils:,.0f} pupils "
                f"at the county's schools lived outside the county, and "
                f"{self.crossing:.1f}% of the pupils living in a cluster attended a school in "
                f"another cluster.")


def county_summary(matrix: FlowMatrix) -> CountySummary:
    """Share living outside the county and share crossing cluster borders. Both come from
    large totals, so they are shown even where single cells are suppressed."""
    total = float(matrix.pupils.sum())
    outside = float(matrix.pupils[:, matrix.homes.index(OUTSIDE_LABEL)].sum())
    n = len(matrix.schools)
    resident_block = matrix.pupils[:, :n]
    resident = float(resident_block.sum())
    crossing = resident - float(np.trace(resident_block))
    with np.errstate(invalid="ignore", divide="ignore"):
        return CountySummary(matrix.period, total,
                             100.0 * outside / total if total else float("nan"),
                             resident, 100.0 * crossing / resident if resident else float("nan"))


def formatted(table: pd.DataFrame, place_title: str, keep_zero: bool = False) -> pd.DataFrame:
    """An inflow or outflow table as text for screen and Word: suppressed cells as "*" (through
    format_value), places with no pupils left out unless keep_zero."""
    keep = table["suppressed"] | (table["pupils"] > 0) | (table["place"] == "Total")
    if not keep_zero:
        table = table[keep]
    return pd.DataFrame({
        place_title: table["place"].astype(str).to_numpy(),
        "Pupils": [format_value(v, ValueType.COUNT, suppressed=s)
                   for v, s in zip(table["pupils"], table["suppressed"])],
        "Share": [format_value(v, ValueType.PROPORTION, "%", suppressed=s)
                  for v, s in zip(table["share"], table["suppressed"])]})


def cluster_sentence(matrix: FlowMatrix, cluster: str) -> str:
    """How many of the cluster's pupils come from elsewhere, and how many of its children go
    elsewhere; a part whose count is suppressed is left out rather than derived."""
    r, c = matrix.schools.index(cluster), matrix.homes.index(cluster)
    parts = []
    for total, total_hidden, phrase in (
            (matrix.row_totals[r], matrix.row_hidden[r],
             f"of the pupils at {cluster}'s schools live outside the cluster"),
            (matrix.col_totals[c], matrix.col_hidden[c],
             f"of the children living in {cluster} attend a school in another cluster")):
        if matrix.hidden[r, c] or total_hidden or total <= 0:
            continue
        parts.append(f"{100.0 * (total - matrix.pupils[r, c]) / total:.1f}% {phrase}")
    if not parts:
        return ""
    return f"In {matrix.period}, " + " and ".join(parts) + "."


def crossborder_section_rows(bundle: Bundle, cluster: str, period: str | None = None
                             ) -> tuple[pd.DataFrame, pd.DataFrame, str]:
    """What a report needs for a cluster's cross-border section: the inflow and outflow tables
    as formatted strings (suppression applied) and a summary paragraph (cluster and county)."""
    matrix = flow_matrix(bundle, period)
    text = " ".join(t for t in (cluster_sentence(matrix, cluster),
                                county_summary(matrix).sentence()) if t)
    return (formatted(inflow(matrix, cluster), "Pupils living in"),
            formatted(outflow(matrix, cluster), "Attending school in"), text)
