"""Where a school's pupils live: its pupils by home area in one period, protected.

From the bundle's `school_pupils` table (counted from the pupil records at pack time,
docs/input-format.md). A school is a small population, so its table of home areas is
protected like every other table of counts (docs/disclosure.md): a home area's count from 1 to
the disclosure threshold is hidden, and secondary suppression (desktop.core.disclosure.protect)
hides more until the audit passes against everything the table prints: each shown area's
count, the school's total, the pupils living outside the county (one more cell) and the share
living outside the school's cluster (a rounded percentage, itself hidden when its count or the
rest is from 1 to the threshold). `publication` gives the same table to the bundle's audit
(`cluster-atlas audit`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from desktop.core.disclosure.protect import protect
from desktop.core.disclosure.publication import Publication, PublicationBuilder
from desktop.core.disclosure.rule import required_width
from desktop.core.errors import SchoolError
from desktop.core.model import OUTSIDE, Bundle
from desktop.core.stats.suppression import primary_mask

SHARE_DECIMALS = 0  # shares of a school's pupils are printed as whole percentages
HOME_COLUMNS = ("home_area_code", "pupils", "hidden", "in_cluster")


@dataclass(frozen=True, eq=False)
class SchoolHomes:
    """One school's pupils by home area in one period.

    homes: one row per home area with pupils (OUTSIDE last when any live outside the county),
    columns HOME_COLUMNS, largest first: `pupils` is the true count (never print a hidden
    one), `hidden` whether it is suppressed, `in_cluster` whether the area is in the school's
    cluster. outside_cluster: the share (0-1) of pupils living outside the cluster (outside the
    county included), NaN when hidden or when the school is in no cluster.
    """

    school_id: str
    name: str
    cluster: str | None
    period: str
    total: float
    homes: pd.DataFrame
    outside_cluster: float
    threshold: int

    @property
    def shown(self) -> pd.DataFrame:
        """The home areas whose counts may be printed."""
        return self.homes[~self.homes["hidden"]]

    @property
    def outside_county(self) -> float:
        """The share living outside the county: 0 when none, NaN when hidden."""
        row = self.homes[self.homes["home_area_code"] == OUTSIDE]
        if row.empty:
            return 0.0
        return np.nan if bool(row["hidden"].iloc[0]) else float(row["pupils"].iloc[0]) / self.total

    @property
    def hidden_pupils(self) -> float:
        """Pupils of the hidden home areas together (published: the total less the shown)."""
        return float(self.homes.loc[self.homes["hidden"], "pupils"].sum())


def school_row(bundle: Bundle, school_id: str) -> pd.Series:
    """The schools table's row of `school_id`; SchoolError when the bundle has no such school."""
    rows = bundle.schools[bundle.schools["school_id"].astype(str) == str(school_id)]
    if rows.empty:
        raise SchoolError(f"There is no school with URN {school_id} in this bundle; find it "
                          "by name in the Go to box, or `cluster-atlas inspect BUNDLE`.")
    return rows.iloc[0]


def pupil_periods(bundle: Bundle) -> tuple[str, ...]:
    """The periods of the school pupil counts, oldest first (empty without the table)."""
    if bundle.school_pupils is None or bundle.school_pupils.empty:
        return ()
    return tuple(sorted(bundle.school_pupils["period"].astype(str).unique()))


def _counts(bundle: Bundle, school_id: str, period: str | None) -> tuple[str, pd.Series]:
    periods = pupil_periods(bundle)
    if not periods:
        raise SchoolError("This bundle holds no pupils by school (it was packed without pupil "
                          "records), so it has no school profiles.")
    period = periods[-1] if period is None else period
    if period not in periods:
        raise SchoolError(f"The school pupil counts have no period {period!r}; they have "
                          f"{', '.join(periods)}.")
    table = bundle.school_pupils
    rows = table[(table["school_id"].astype(str) == str(school_id))
                 & (table["period"].astype(str) == period)]
    known = set(bundle.areas["area_code"].astype(str))
    code = rows["home_area_code"].astype(str).where(
        rows["home_area_code"].astype(str).isin(known), OUTSIDE)
    counts = rows["pupils"].astype(float).groupby(code.to_numpy()).sum()
    counts = counts[counts > 0]
    if counts.empty:
        raise SchoolError(f"No pupils of URN {school_id} are recorded in {period}.")
    return period, counts


def school_homes(bundle: Bundle, school_id: str, period: str | None = None) -> SchoolHomes:
    """The school's protected table of home areas (period None: the latest)."""
    row = school_row(bundle, school_id)
    period, counts = _counts(bundle, school_id, period)
    cluster = row["cluster"] if isinstance(row["cluster"], str) and row["cluster"] else None
    codes = counts.index.astype(str)
    order = np.lexsort((codes.to_numpy(), -counts.to_numpy(), codes == OUTSIDE))
    pupils = counts.to_numpy(float)[order]
    codes = codes.to_numpy()[order]
    members = set(bundle.areas.loc[bundle.members(cluster), "area_code"].astype(str)) \
        if cluster else set()
    in_cluster = np.isin(codes, list(members))
    threshold = int(bundle.manifest.disclosure_threshold)
    total = float(pupils.sum())
    away = float(pupils[~in_cluster].sum())
    share_hidden = cluster is None or bool(
        primary_mask(np.array([away, total - away]), threshold).any())
    hidden = primary_mask(pupils, threshold)
    too_few = SchoolError(f"{row['name']} has too few pupils recorded in {period} to show "
                          f"where they live without revealing small numbers.")
    if primary_mask(np.array([total]), threshold)[0]:
        raise too_few
    if hidden.any() or not share_hidden:
        def build(mask: np.ndarray) -> Publication:
            return publication(str(school_id), codes, pupils, mask, in_cluster,
                               None if share_hidden else away / total, threshold)
        cost = np.append(pupils, 10 * total)  # the total is hidden last
        cells, _ = protect(build, np.append(hidden, False), cost)
        if cells[-1]:  # nothing can be shown that keeps the small numbers safe
            raise too_few
        hidden = cells[:-1]
    homes = pd.DataFrame({"home_area_code": codes, "pupils": pupils, "hidden": hidden,
                          "in_cluster": in_cluster}, columns=list(HOME_COLUMNS))
    return SchoolHomes(str(school_id), str(row["name"]), cluster, period, total, homes,
                       np.nan if share_hidden else away / total, threshold)


def publication(school_id: str, codes: np.ndarray, pupils: np.ndarray, hidden: np.ndarray,
                in_cluster: np.ndarray, outside_cluster: float | None, threshold: int
                ) -> Publication:
    """What a school's table of home areas prints, as linear constraints: each home area's
    count and then the total, each hidden where `hidden` (one flag per area, one for the total), the total as
    their sum, and the rounded share living outside the cluster when it is printed."""
    builder = PublicationBuilder()
    builder.table(f"pupils of {school_id} by home area")
    mask = np.asarray(hidden, bool)
    total = float(pupils.sum())
    parts = builder.add_cells(pupils, mask[:-1],
                              [f"pupils of {school_id} living in {c}" for c in codes],
                              upper=total, protect=required_width(threshold, total))
    whole = builder.add_cells([total], mask[-1:], [f"pupils of {school_id}"])
    builder.add_sum(int(whole[0]), parts)
    if outside_cluster is not None:
        shown = round(100.0 * outside_cluster, SHARE_DECIMALS)
        builder.add_share({int(k): 1.0 for k in parts[~in_cluster]}, {int(whole[0]): 1.0},
                          shown, SHARE_DECIMALS)
    return builder.build()


def school_publications(bundle: Bundle) -> list[Publication]:
    """Every school's table of home areas in the latest period, as printed (for the audit);
    a school with too few pupils to show prints none."""
    periods = pupil_periods(bundle)
    if not periods:
        return []
    ids = bundle.school_pupils.loc[bundle.school_pupils["period"].astype(str) == periods[-1],
                                   "school_id"].astype(str).unique()
    out = []
    for school_id in ids:
        if not (bundle.schools["school_id"].astype(str) == school_id).any():
            continue
        try:
            homes = school_homes(bundle, school_id)
        except SchoolError:  # too few pupils: nothing of the school is published
            continue
        table = homes.homes
        share = None if np.isnan(homes.outside_cluster) else homes.outside_cluster
        out.append(publication(school_id, table["home_area_code"].to_numpy(),
                               table["pupils"].to_numpy(float),
                               np.append(table["hidden"].to_numpy(bool), False),
                               table["in_cluster"].to_numpy(bool), share, homes.threshold))
    return out
