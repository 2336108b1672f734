"""Finding what an officer types: a school by name or URN, a postcode, a small area by code or
name, a cluster, a custom area or an indicator, in one box, offline.

`Finder` indexes an open bundle once (its postcodes sorted, so a prefix is found by binary
search among a county's 25,000 or England's 2.6 million as quickly as among ten); `find` then
ranks what matches: exact codes first (a URN, a full postcode, an LSOA code), then names that
start with the text, then names that contain it. Nothing is looked up anywhere but in the
bundle's own tables.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from desktop.core.model import Bundle
from desktop.core.postcodes import looks_like_postcode, normalise_one

SCHOOL, POSTCODE, AREA, CLUSTER, CUSTOM, INDICATOR = (
    "school", "postcode", "area", "cluster", "custom area", "indicator")
KINDS = (SCHOOL, POSTCODE, AREA, CLUSTER, CUSTOM, INDICATOR)
LIMIT = 30  # matches offered at most
POSTCODE_SHOWN = 10  # postcodes offered for a partial postcode
EXACT, PREFIX, WORD, CONTAINS = range(4)  # how well a text matches, best first


@dataclass(frozen=True)
class Match:
    """One thing found: its kind (KINDS), its key (school_id, postcode, area code, cluster or
    custom area name, indicator id), the words shown for it, and where it is: an area code
    (a postcode's or a school's area) and a point (x, y in British National Grid)."""

    kind: str
    key: str
    label: str
    detail: str = ""
    area_code: str | None = None
    point: tuple[float, float] | None = None

    @property
    def text(self) -> str:
        """The match as one line: "Pershore High School · school, URN 116953, Pershore"."""
        return f"{self.label} · {self.detail}" if self.detail else self.label


def _ranks(text: str, names: pd.Series) -> np.ndarray:
    """_rank of each of `names` (lower case), -1 for no match: vectorised, for a county's or
    England's small areas on every key press."""
    contains = names.str.contains(text, regex=False).to_numpy(bool)
    word = names.str.contains(r"\b" + re.escape(text), regex=True).to_numpy(bool)
    prefix = names.str.startswith(text).to_numpy(bool)
    exact = (names == text).to_numpy(bool)
    return np.select([exact, prefix, word, contains], [EXACT, PREFIX, WORD, CONTAINS], -1)


def _found(text: str, names: pd.Series, exact: np.ndarray | None = None
           ) -> list[tuple[int, int]]:
    """(position, rank) of each of `names` that matches; `exact` marks more exact matches (an
    indicator's id)."""
    if names.empty:
        return []
    ranks = _ranks(text, names)
    if exact is not None:
        ranks = np.where(exact, EXACT, ranks)
    return [(int(k), int(ranks[k])) for k in np.flatnonzero(ranks >= 0)]


class Finder:
    """What an open bundle can be searched for, indexed once."""

    def __init__(self, bundle: Bundle, custom_names: tuple[str, ...] = ()) -> None:
        self.bundle = bundle
        self.custom_names = tuple(custom_names)
        areas = bundle.areas
        self._area_codes = areas["area_code"].astype(str).to_numpy()
        self._area_names = areas["area_name"].astype(str).to_numpy()
        self._area_lower = pd.Series(self._area_names).str.lower()
        self._code_lower = pd.Series(self._area_codes).str.lower()
        self._area_cluster = areas["cluster"].astype(object).to_numpy()
        schools = bundle.schools
        self._school_ids = schools["school_id"].astype(str).to_numpy()
        self._school_names = schools["name"].astype(str).to_numpy()
        self._school_lower = pd.Series(self._school_names).str.lower()
        self._clusters = [str(c) for c in bundle.cluster_names]
        self._cluster_lower = pd.Series(self._clusters, dtype=object).str.lower()
        self._custom_lower = pd.Series(self.custom_names, dtype=object).str.lower()
        self._indicators = bundle.manifest.indicators
        self._indicator_lower = pd.Series([i.title for i in self._indicators],
                                          dtype=object).str.lower()
        self._school_cluster = schools["cluster"].astype(object).to_numpy()
        self._school_xy = np.column_stack([schools.geometry.x, schools.geometry.y]) \
            if len(schools) else np.zeros((0, 2))
        self._school_area = self._locate_schools()
        postcodes = bundle.postcodes
        if postcodes is None or postcodes.empty:
            self._postcodes = np.array([], dtype=object)
            self._postcode_rows = np.array([], dtype=np.int64)
        else:
            compact = postcodes["postcode"].astype(str).str.replace(" ", "").to_numpy()
            order = np.argsort(compact, kind="stable")
            self._postcodes, self._postcode_rows = compact[order], order

    def _locate_schools(self) -> np.ndarray:
        """The area each school stands in (None outside every area)."""
        if not len(self._school_ids):
            return np.array([], dtype=object)
        import shapely

        tree = shapely.STRtree(self.bundle.areas.geometry.to_numpy())
        school, area = tree.query(self.bundle.schools.geometry.to_numpy(), predicate="within")
        out = np.full(len(self._school_ids), None, dtype=object)
        out[school[::-1]] = self._area_codes[area[::-1]]  # the first area where several hold it
        return out

    @property
    def has_postcodes(self) -> bool:
        return self._postcodes.size > 0

    def find(self, text: str, limit: int = LIMIT) -> list[Match]:
        """What `text` may mean, best first (at most `limit`)."""
        text = " ".join(text.split())
        if not text:
            return []
        low = text.lower()
        ranked: list[tuple[int, int, Match]] = []  # (rank, kind order, match)

        def add(rank: int, match: Match) -> None:
            ranked.append((rank, KINDS.index(match.kind), match))

        ranks = np.where(np.char.lower(self._school_ids.astype(str)) == low, EXACT,
                         _ranks(low, self._school_lower))
        for k in np.flatnonzero(ranks >= 0):
            add(int(ranks[k]), self.school(int(k)))
        for match in self.postcode_matches(text):
            add(EXACT if match.key.replace(" ", "") == text.upper().replace(" ", "") else PREFIX,
                match)
        ranks = _ranks(low, self._area_lower)
        ranks = np.where(self._code_lower.to_numpy() == low, EXACT, ranks)
        if len(low) >= 3:
            ranks = np.where((ranks < 0) & self._code_lower.str.startswith(low).to_numpy(bool),
                             PREFIX, ranks)
        for k in np.flatnonzero(ranks >= 0)[:10 * limit]:
            add(int(ranks[k]), self._area(int(k)))
        for k in _found(low, self._cluster_lower):
            add(k[1], Match(CLUSTER, self._clusters[k[0]], self._clusters[k[0]], "cluster"))
        for k in _found(low, self._custom_lower):
            name = self.custom_names[k[0]]
            add(k[1], Match(CUSTOM, name, name, "custom area"))
        ids = np.array([i.id.lower() for i in self._indicators], dtype=object)
        for k in _found(low, self._indicator_lower, exact=ids == low):
            ind = self._indicators[k[0]]
            add(k[1], Match(INDICATOR, ind.id, ind.title, f"indicator, {ind.theme}"))
        ranked.sort(key=lambda r: (r[0], r[1], r[2].label.lower()))
        return [match for _, _, match in ranked[:limit]]

    def school(self, k: int) -> Match:
        cluster = self._school_cluster[k]
        where = f", {cluster}" if isinstance(cluster, str) and cluster else ""
        return Match(SCHOOL, str(self._school_ids[k]), str(self._school_names[k]),
                     f"school, URN {self._school_ids[k]}{where}", self._school_area[k],
                     tuple(float(v) for v in self._school_xy[k]))

    def _area(self, k: int) -> Match:
        cluster = self._area_cluster[k]
        where = f", {cluster}" if isinstance(cluster, str) and cluster else ""
        return Match(AREA, str(self._area_codes[k]), str(self._area_names[k]),
                     f"small area {self._area_codes[k]}{where}", str(self._area_codes[k]))

    def postcode_matches(self, text: str) -> list[Match]:
        """The bundle's postcodes starting with `text` (spaces ignored): one for a full
        postcode, the first POSTCODE_SHOWN for a part of one of at least three characters."""
        compact = text.upper().replace(" ", "")
        if len(compact) < 3 or not self.has_postcodes or not compact[0].isalpha():
            return []
        start = int(np.searchsorted(self._postcodes, compact, side="left"))
        stop = int(np.searchsorted(self._postcodes, compact + "\uffff", side="left"))
        return [self._postcode(row) for row in self._postcode_rows[start:min(stop, start
                                                                             + POSTCODE_SHOWN)]]

    def _postcode(self, row: int) -> Match:
        table = self.bundle.postcodes
        code = str(table["area_code"].iat[row])
        x, y = table["easting"].iat[row], table["northing"].iat[row]
        k = np.flatnonzero(self._area_codes == code)
        name = f"{self._area_names[k[0]]} ({code})" if k.size else code
        cluster = self._area_cluster[k[0]] if k.size else None
        where = f", {cluster}" if isinstance(cluster, str) and cluster else ""
        return Match(POSTCODE, str(table["postcode"].iat[row]), str(table["postcode"].iat[row]),
                     f"postcode in {name}{where}", code,
                     (float(x), float(y)) if np.isfinite(x) and np.isfinite(y) else None)

    def nothing_found(self, text: str) -> str:
        """Why `text` found nothing, in words for the search box."""
        text = " ".join(text.split())
        if looks_like_postcode(text):
            if not self.has_postcodes:
                return ("This bundle holds no postcode table (it was packed without "
                        "postcodes.csv), so postcodes cannot be found.")
            return (f"{normalise_one(text)} is not a postcode in this bundle's areas "
                    f"({self.bundle.manifest.area_name}).")
        return (f"Nothing matches \u201c{text}\u201d: type part of a school's name or its URN, "
                "a postcode, a small area's code or name, a cluster or an indicator.")
