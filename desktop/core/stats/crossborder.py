"""Cross-border pupils: where the pupils of a cluster's schools live, and where the children
living in a cluster go to school, from the bundle's flows table.

The flows of one period form a matrix: school cluster by home cluster (plus "In no cluster" and
"Outside the county"), with row totals (pupils at a cluster's schools), column totals (children
living in a cluster who attend a school in the county) and a grand total. A cluster's inflow
table is its row, its outflow table its column; every table lists every place, so a row left
out never says "none". Suppression covers the whole matrix and every printed share at once
(desktop.core.stats.flow_disclosure), so nothing hidden in one cluster's table can be worked
out from another's, from a share or from a sentence. Matrices are kept per open bundle, so
switching clusters does not suppress again.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import sparse

from desktop.core.disclosure.audit import Audit, audit
from desktop.core.disclosure.certify import cycle_moves
from desktop.core.disclosure.publication import Publication
from desktop.core.errors import AtlasError
from desktop.core.format import format_value
from desktop.core.model import OUTSIDE, Bundle, ValueType
from desktop.core.stats.flow_disclosure import (
    NO_CLUSTER_LABEL,
    OUTSIDE_LABEL,
    CountyShares,
    FlowLayout,
    flow_publication,
    suppress_flows,
)

TABLE_COLUMNS = ("place", "pupils", "share", "suppressed", "share_suppressed")
_MATRICES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # bundle -> {period: ...}


@dataclass(frozen=True, eq=False)
class FlowMatrix:
    """Pupils of one period by school cluster (rows) and home place (columns), with what is
    hidden: `hidden_numbers` in the layout's order (cells, row totals, the home clusters'
    column totals, the grand total) and which county shares may be printed."""

    layout: FlowLayout
    pupils: np.ndarray  # (len(schools), len(homes))
    hidden_numbers: np.ndarray
    shares: CountyShares
    threshold: int

    @property
    def period(self) -> str:
        return self.layout.period

    @property
    def schools(self) -> tuple[str, ...]:
        return self.layout.schools

    @property
    def homes(self) -> tuple[str, ...]:
        """The clusters, then NO_CLUSTER_LABEL if used, then OUTSIDE_LABEL."""
        return self.layout.homes

    @property
    def hidden(self) -> np.ndarray:
        n, m = self.pupils.shape
        return self.hidden_numbers[:n * m].reshape(n, m)

    @property
    def row_hidden(self) -> np.ndarray:
        n, m = self.pupils.shape
        return self.hidden_numbers[n * m:n * m + n]

    @property
    def col_hidden(self) -> np.ndarray:
        """Per home place; the columns with no printed total (outside the county, in no
        cluster) read False."""
        n, m = self.pupils.shape
        return np.concatenate([self.hidden_numbers[n * m + n:n * m + 2 * n],
                               np.zeros(m - n, dtype=bool)])

    @property
    def total_hidden(self) -> bool:
        return bool(self.hidden_numbers[-1])

    @property
    def row_totals(self) -> np.ndarray:
        return self.pupils.sum(axis=1)

    @property
    def col_totals(self) -> np.ndarray:
        return self.pupils.sum(axis=0)

    def publication(self) -> Publication:
        """Everything this period's tables and sentences print, for the audit."""
        return flow_publication(self.layout, self.pupils, self.hidden_numbers, self.threshold,
                                self.shares)

    def moves(self) -> sparse.csr_matrix:
        """Other tables that print the same, to spare the audit's solver (cycles of hidden
        cells)."""
        return cycle_moves(self.publication())


def audit_publication(matrix: FlowMatrix) -> Audit:
    """The attacker's ranges of the hidden numbers of one period's tables and sentences."""
    return audit(matrix.publication(), moves=matrix.moves())


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
    kept = _MATRICES.setdefault(bundle, {})
    if period not in kept:
        kept[period] = _flow_matrix(bundle, period)
    return kept[period]


def flow_matrices(bundle: Bundle) -> dict[str, FlowMatrix]:
    """Every period's suppressed matrix (none without flows): a bundle opening computes them
    once, off the window's thread."""
    return {period: flow_matrix(bundle, period) for period in flow_periods(bundle)}


def _flow_matrix(bundle: Bundle, period: str) -> FlowMatrix:
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
    layout = FlowLayout(period, schools, tuple(homes), len(homes) - 1)
    threshold = bundle.manifest.disclosure_threshold
    hidden, shares, _ = suppress_flows(layout, matrix, threshold)
    return FlowMatrix(layout, matrix, hidden, shares, threshold)


def _table(places: tuple[str, ...], pupils: np.ndarray, hidden: np.ndarray, total: float,
           total_hidden: bool) -> pd.DataFrame:
    """Every place in the given order, then a "Total" row; share is percent of the total, and
    is hidden with its count or with the total (a share of a hidden total would give the
    total away)."""
    with np.errstate(invalid="ignore", divide="ignore"):
        share = pupils / total * 100.0 if total > 0 else np.full(pupils.shape, np.nan)
    frame = pd.DataFrame({"place": [*places, "Total"],
                          "pupils": np.append(pupils, total),
                          "share": np.append(share, 100.0 if total > 0 else np.nan),
                          "suppressed": np.append(hidden, total_hidden)})
    frame["share_suppressed"] = frame["suppressed"] | total_hidden
    frame.loc[frame["suppressed"], "pupils"] = np.nan
    frame.loc[frame["share_suppressed"], "share"] = np.nan
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
    """Shares (percent) for the whole county in one period, and which of them may be printed
    (the grand total only when it is not suppressed, each share only when the audit allows)."""

    period: str
    pupils: float  # pupils at the county's schools
    living_outside: float  # share of them who live outside the county
    resident: float  # pupils who live in a county cluster
    crossing: float  # share of those who attend a school in another cluster
    shown: tuple[bool, bool, bool] = (True, True, True)  # pupils, living_outside, crossing

    def sentence(self) -> str:
        pupils_shown, outside_shown, crossing_shown = self.shown
        pupils = f"the {self.pupils:,.0f} pupils" if pupils_shown else "the pupils"
        parts = []
        if outside_shown:
            parts.append(f"{self.living_outside:.1f}% of {pupils} at the county's schools "
                         "lived outside the county")
        elif pupils_shown:
            parts.append(f"the county's schools had {self.pupils:,.0f} pupils")
        if crossing_shown:
            parts.append(f"{self.crossing:.1f}% of the pupils living in a cluster attended a "
                         "school in another cluster")
        return f"In {self.period}, " + " and ".join(parts) + "." if parts else ""


def county_summary(matrix: FlowMatrix) -> CountySummary:
    """Share living outside the county and share crossing cluster borders, with what may be
    printed of them."""
    total = float(matrix.pupils.sum())
    outside = float(matrix.pupils[:, matrix.homes.index(OUTSIDE_LABEL)].sum())
    n = len(matrix.schools)
    resident_block = matrix.pupils[:, :n]
    resident = float(resident_block.sum())
    crossing = resident - float(np.trace(resident_block))
    shown = (not matrix.total_hidden, matrix.shares.living_outside and total > 0,
             matrix.shares.crossing and resident > 0)
    with np.errstate(invalid="ignore", divide="ignore"):
        return CountySummary(matrix.period, total,
                             100.0 * outside / total if total else float("nan"),
                             resident, 100.0 * crossing / resident if resident else float("nan"),
                             shown)


def formatted(table: pd.DataFrame, place_title: str) -> pd.DataFrame:
    """An inflow or outflow table as text for screen and Word: every place, suppressed counts
    and shares as the suppression marker (through format_value)."""
    return pd.DataFrame({
        place_title: table["place"].astype(str).to_numpy(),
        "Pupils": [format_value(v, ValueType.COUNT, suppressed=s)
                   for v, s in zip(table["pupils"], table["suppressed"])],
        "Share": [format_value(v, ValueType.PROPORTION, "%", suppressed=s)
                  for v, s in zip(table["share"], table["share_suppressed"])]})


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
