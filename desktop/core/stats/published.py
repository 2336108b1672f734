"""What the statistics publish about one indicator and period, as a Publication to audit.

Every count-based number the window and the exports show comes from the same rows: each area's,
each cluster's and the county's count (on the map, in hover texts, the profile, the charts and
their tables), with its denominator beside it. The attacker is assumed to know every shown count
exactly (a value with its interval gives the count away) and every denominator, and that
clusters are the sums of their areas and the county the sum of the clusters and the areas in no
cluster; a proportion's count is at most its denominator. Built from the statistics' public
accessors only, with hidden counts unknown, so the audit sees what a reader sees.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from desktop.core.disclosure.publication import Publication, PublicationBuilder
from desktop.core.disclosure.rule import required_width
from desktop.core.model import COUNTY, Bundle, Indicator, ValueType
from desktop.core.stats.table import Statistics

COUNTED = (ValueType.PROPORTION, ValueType.RATE, ValueType.COUNT)


def is_counted(indicator: Indicator) -> bool:
    """Whether the indicator's numbers are counts that suppression protects."""
    return ValueType(indicator.value_type) in COUNTED


def hierarchy_publication(bundle: Bundle, stats: Statistics, indicator: Indicator,
                          period: str) -> Publication:
    """Areas, clusters and the county of one counted indicator and period, with their sums."""
    return hierarchy_builder(bundle, stats, indicator, period)[0].build()


def hierarchy_builder(bundle: Bundle, stats: Statistics, indicator: Indicator, period: str
                      ) -> tuple[PublicationBuilder, np.ndarray]:
    """The cells and sums of `hierarchy_publication`, still open for more tables that cut
    across them, and each area's cell (bundle order; -1 for an area with no count)."""
    threshold = bundle.manifest.threshold_for(indicator)
    proportion = ValueType(indicator.value_type) is ValueType.PROPORTION
    builder = PublicationBuilder()
    builder.table(f"{indicator.title} ({indicator.id}), {period}")

    def cells(frame: pd.DataFrame, kind: str) -> tuple[np.ndarray, np.ndarray]:
        hidden = frame["suppressed"].to_numpy(bool)
        count = frame["numerator"].to_numpy(float)
        present = hidden | ~np.isnan(count)
        den = frame["denominator"].to_numpy(float)[present]
        upper = np.where(proportion & ~np.isnan(den), den, np.inf)
        index = builder.add_cells(count[present], hidden[present],
                                  [f"{indicator.id} {period}, "
                                   + ("the county" if code == COUNTY else f"{kind} {code}")
                                   for code in frame.index[present]],
                                  upper=upper, protect=required_width(threshold, upper))
        return index, present

    area_index, area_present = cells(stats.area_values(indicator.id, period), "area")
    levels = stats.cluster_values(indicator.id, period)
    agg_index, agg_present = cells(levels, "cluster")
    position = {code: i for code, i in zip(levels.index[agg_present], agg_index)}
    home = bundle.areas["cluster"].astype(object).to_numpy()[area_present]
    county = position.get(COUNTY)
    clusters = [c for c in position if c != COUNTY]
    for name in clusters:
        builder.add_sum(position[name], area_index[home == name])
    if county is not None:
        loose = area_index[pd.isna(home) | ~np.isin(home, clusters)]
        builder.add_sum(county, [*(position[c] for c in clusters), *loose])
    area_cell = np.full(area_present.size, -1, np.int64)
    area_cell[area_present] = area_index
    return builder, area_cell


def hierarchy_publications(bundle: Bundle, stats: Statistics) -> list[Publication]:
    """One Publication per counted indicator and period of the bundle."""
    return [hierarchy_publication(bundle, stats, ind, period)
            for ind in bundle.manifest.indicators if is_counted(ind)
            for period in stats.periods(ind.id)]
