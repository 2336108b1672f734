"""Directly and indirectly standardised values of areas, clusters and the county from the
bundle's age bands (model.AGE_BAND_COLUMNS).

Events and populations are summed band by band over each cluster's areas and over the county,
then standardised (stats.dsr, stats.isr): a cluster's DSR is never an average of its areas'
DSRs. The reference rates of an ISR are the county's, band by band, in the same period. The
rest of the county (the county less a cluster) is summed the same way, for the two-sample
comparison. Cluster and county sums are made when the bundle opens; an area's values are made
for one indicator and period when they are asked for.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from desktop.core.standard_population import normalise_band, standard_population
from desktop.core.stats.dsr import band_terms, dsr_from_sums
from desktop.core.stats.isr import expected_counts, isr_from_sums
from desktop.core.stats.meta import DSR, ISR, STANDARDISED, IndicatorMeta, key_codes

VALUE_COLUMNS = ("value", "lower95", "upper95", "lower998", "upper998")


class AgeBands:
    """Band sums of every dsr and isr indicator-period: per slot (clusters, then the areas in
    no cluster) when the bundle opens, per area on demand."""

    def __init__(self, bands: pd.DataFrame | None, meta: IndicatorMeta, area_codes: pd.Index,
                 slot_of_area: np.ndarray, n_slots: int) -> None:
        self.meta, self.n_areas = meta, len(area_codes)
        n_per = len(meta.all_periods)
        self.compact: dict[int, int] = {}  # indicator-period code -> position in the sums
        if bands is None or not STANDARDISED[meta.kind].any():
            bands = pd.DataFrame({c: pd.Series(dtype=object) for c in
                                  ("indicator_id", "period", "area_code", "age_band")})
            bands["numerator"] = bands["denominator"] = pd.Series(dtype=float)
        ind = key_codes(bands["indicator_id"], pd.Index(meta.ids))
        per = key_codes(bands["period"], pd.Index(meta.all_periods))
        area = key_codes(bands["area_code"], area_codes)
        ind, per, area = (m[c] for c, m in (ind, per, area))
        keep = (ind >= 0) & (per >= 0) & (area >= 0)
        keep[keep] = STANDARDISED[meta.kind[ind[keep]]]
        labels, band = np.unique(bands["age_band"].to_numpy(object)[keep].astype(str),
                                 return_inverse=True)
        standard = standard_population()
        self.standard = np.array([standard.get(normalise_band(b), np.nan) for b in labels])
        ip = ind[keep].astype(np.int64) * n_per + per[keep]
        order = np.argsort(ip, kind="stable")
        self.ip, self.area, self.band = ip[order], area[keep][order], band.ravel()[order]
        # a band with no events given counts none, as PHEindicatormethods' na.zero
        self.x = np.nan_to_num(bands["numerator"].to_numpy(float)[keep][order])
        self.n = bands["denominator"].to_numpy(float)[keep][order]
        codes, starts = np.unique(self.ip, return_index=True)
        self.slices = dict(zip(codes.tolist(), zip(starts, [*starts[1:], self.ip.size])))
        self.compact = {int(c): k for k, c in enumerate(codes)}
        shape = (len(codes), n_slots, max(len(labels), 1))
        key = np.ravel_multi_index((np.searchsorted(codes, self.ip), slot_of_area[self.area],
                                    self.band), shape) if self.ip.size else np.zeros(0, int)
        self.sums = {c: np.bincount(key, w, minlength=int(np.prod(shape))).reshape(shape)
                     for c, w in (("x", self.x), ("n", self.n))}

    def __bool__(self) -> bool:
        return bool(self.compact)

    def _standardise(self, kinds: np.ndarray, ips: np.ndarray, x: np.ndarray, n: np.ndarray
                     ) -> dict[str, np.ndarray]:
        """VALUE_COLUMNS, "observed" events, "variance" (dsr) and "expected" (isr) of groups
        whose band sums are the rows of x and n (group, band), for indicator-periods `ips`."""
        county_x = self.sums["x"][ips].sum(axis=1)
        county_n = self.sums["n"][ips].sum(axis=1)
        used = county_n > 0  # the bands the indicator-period uses
        multiplier = self.meta.multiplier[np.array(list(self.compact))[ips] //
                                          len(self.meta.all_periods)]
        out = {c: np.full(kinds.size, np.nan) for c in (*VALUE_COLUMNS, "variance", "expected")}
        out["observed"] = np.where(used, x, 0).sum(axis=1)
        rows = np.flatnonzero(kinds == DSR)
        if rows.size:
            weighted, squared = band_terms(x[rows], n[rows], self.standard[None, :])
            done = dsr_from_sums(np.where(used[rows], x[rows], 0).sum(axis=1),
                                 np.where(used[rows], weighted, 0).sum(axis=1),
                                 np.where(used[rows], squared, 0).sum(axis=1),
                                 np.where(used[rows], self.standard, 0).sum(axis=1),
                                 multiplier[rows])
            for c in (*VALUE_COLUMNS, "variance"):
                out[c][rows] = done[c]
        rows = np.flatnonzero(kinds == ISR)
        if rows.size:
            expected = expected_counts(n[rows], county_x[rows], county_n[rows]).sum(axis=1)
            done = isr_from_sums(x[rows].sum(axis=1), expected, multiplier[rows])
            for c in VALUE_COLUMNS:
                out[c][rows] = done[c]
            out["expected"][rows] = expected
        return out

    def aggregates(self, ind: np.ndarray, ip: np.ndarray, slot: np.ndarray, county: np.ndarray
                   ) -> tuple[np.ndarray, dict[str, np.ndarray], dict[str, np.ndarray]]:
        """For aggregate rows (indicator `ind`, indicator-period code `ip`, cluster `slot`,
        `county` rows): the rows that are standardised, their columns, and for the clusters
        among them the same columns of the rest of the county (NaN on county rows)."""
        rows = np.flatnonzero(STANDARDISED[self.meta.kind[ind]]
                              & np.isin(ip, np.fromiter(self.compact, int)))
        ips = np.array([self.compact[int(c)] for c in ip[rows]], dtype=np.int64)
        kinds = self.meta.kind[ind[rows]]
        whole = {c: self.sums[c][ips].sum(axis=1) for c in ("x", "n")}
        own = {c: np.where(county[rows, None], whole[c],
                           self.sums[c][ips, np.where(county[rows], 0, slot[rows])])
               for c in ("x", "n")}
        rest = {c: np.where(county[rows, None], np.nan, whole[c] - own[c]) for c in ("x", "n")}
        return (rows, self._standardise(kinds, ips, own["x"], own["n"]),
                self._standardise(kinds, ips, rest["x"], rest["n"]))

    def pooled_values(self, codes: np.ndarray, matrix: np.ndarray) -> np.ndarray:
        """The value of groups of clusters pooled band by band, for indicator-period `codes`:
        group i of each code sums the clusters j with matrix[i, j] (clusters x clusters);
        one row per code, one column per group."""
        ips = np.array([self.compact[int(c)] for c in codes], dtype=np.int64)
        n_cl = matrix.shape[1]
        pooled = {c: np.einsum("ij,kjb->kib", matrix, self.sums[c][ips, :n_cl])
                  for c in ("x", "n")}
        kinds = self.meta.kind[np.asarray(codes) // len(self.meta.all_periods)]
        shape = (ips.size * matrix.shape[0], -1)
        out = self._standardise(np.repeat(kinds, matrix.shape[0]),
                                np.repeat(ips, matrix.shape[0]),
                                pooled["x"].reshape(shape), pooled["n"].reshape(shape))
        return out["value"].reshape(ips.size, matrix.shape[0])

    def areas(self, ip: int) -> dict[str, np.ndarray]:
        """VALUE_COLUMNS of every area (by position in the bundle) for one indicator-period;
        NaN for areas without bands."""
        start, stop = self.slices[ip]
        area, band = self.area[start:stop], self.band[start:stop]
        x = np.zeros((self.n_areas, self.standard.size))
        n = np.zeros_like(x)
        x[area, band], n[area, band] = self.x[start:stop], self.n[start:stop]
        given = np.zeros(self.n_areas, bool)
        given[area] = True
        kind = self.meta.kind[ip // len(self.meta.all_periods)]
        out = self._standardise(np.where(given, kind, -1), np.full(self.n_areas,
                                                                   self.compact[ip]), x, n)
        return {c: out[c] for c in VALUE_COLUMNS}
