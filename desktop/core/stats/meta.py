"""Indicator metadata as arrays, and integer codes of the values table's key columns.

The statistics are computed vectorised over every indicator and period at once, so each
indicator's value type, multiplier, polarity and disclosure rules are kept here as arrays
indexed by indicator position, with the order of every indicator's periods. Shared by the
aggregation (stats.aggregate), the lazily computed area rows (stats.area_stats) and the
statistics table (stats.table); it depends on the data model only.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from desktop.core.model import Bundle, Polarity, ValueType

KINDS = tuple(v.value for v in ValueType)
PROPORTION, RATE, COUNT, MEAN, SCORE, DSR, ISR = range(7)  # kind codes: positions in KINDS
# What each kind code is, as lookup arrays indexed by kind: counted kinds sum a numerator and
# are suppressed; ratio kinds need a numerator and a denominator in every row; weighted kinds
# are denominator-weighted means of the areas' values; standardised kinds come from age bands.
COUNTED = np.isin(np.arange(len(KINDS)), [PROPORTION, RATE, COUNT, DSR, ISR])
RATIO = np.isin(np.arange(len(KINDS)), [PROPORTION, RATE, DSR, ISR])
WEIGHTED = np.isin(np.arange(len(KINDS)), [MEAN, SCORE])
STANDARDISED = np.isin(np.arange(len(KINDS)), [DSR, ISR])


class IndicatorMeta:
    """Indicator metadata as arrays indexed by indicator position, and the period orders."""

    def __init__(self, bundle: Bundle) -> None:
        manifest = bundle.manifest
        indicators = manifest.indicators
        self.ids = tuple(ind.id for ind in indicators)
        self.kind = np.array([KINDS.index(ValueType(i.value_type).value) for i in indicators],
                             dtype=np.int8)
        self.multiplier = np.array([i.multiplier for i in indicators], dtype=float)
        self.polarity = np.array([Polarity(i.polarity).value for i in indicators], dtype=object)
        self.polarity_code = np.array([list(Polarity).index(Polarity(i.polarity))
                                       for i in indicators], dtype=np.int8)
        self.threshold = np.array([manifest.threshold_for(i) for i in indicators], dtype=float)
        self.complement = np.array([i.disclosure_complement for i in indicators], dtype=bool)
        declared = pd.Index(list(dict.fromkeys(p for i in indicators for p in i.periods)))
        codes, position = key_codes(bundle.values["period"], declared)
        stray = np.flatnonzero(position[:-1] < 0)  # codes of periods no indicator declares
        undeclared = (codes < 0).any() or (stray.size > 0 and np.isin(codes, stray).any())
        found = found_periods(bundle.values) if undeclared else {}
        self.periods: dict[str, tuple[str, ...]] = {
            i.id: tuple(dict.fromkeys([*i.periods, *found.get(i.id, ())])) for i in indicators}
        self.all_periods = tuple(dict.fromkeys(p for ps in self.periods.values() for p in ps))
        lookup = {p: j for j, p in enumerate(self.all_periods)}
        self.position = np.full((len(self.ids), len(self.all_periods)), -1, dtype=np.int64)
        for i, ind_id in enumerate(self.ids):
            for k, period in enumerate(self.periods[ind_id]):
                self.position[i, lookup[period]] = k
        self.n_periods = np.array([len(self.periods[i]) for i in self.ids], dtype=np.int64)


def found_periods(values: pd.DataFrame) -> dict[str, list[str]]:
    """Periods present for each indicator, in order of first appearance (vectorised)."""
    ind_codes, ind_names = pd.factorize(values["indicator_id"])
    per_codes, per_names = pd.factorize(values["period"])
    ok = (ind_codes >= 0) & (per_codes >= 0)
    present = np.bincount(ind_codes[ok] * len(per_names) + per_codes[ok],
                          minlength=len(ind_names) * len(per_names)) > 0
    present = present.reshape(len(ind_names), len(per_names))
    labels = np.array([str(p) for p in per_names], dtype=object)
    return {str(name): list(labels[present[i]]) for i, name in enumerate(ind_names)}


def key_codes(column: pd.Series, labels: pd.Index) -> tuple[np.ndarray, np.ndarray]:
    """Integer codes of a key column and the position in `labels` of each code, with a final
    -1 so that missing values (code -1) map to -1 too."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        codes, names = column.array.codes, column.cat.categories
    else:
        codes, names = pd.factorize(column)
    mapping = labels.get_indexer(pd.Index(names).astype(str))
    return codes, np.append(mapping, -1).astype(np.int32)
