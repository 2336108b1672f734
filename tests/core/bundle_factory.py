"""A small, valid Bundle built in code, for tests across the suite.

Six 1 km square LSOA-like areas in EPSG:27700 (a 3 x 2 grid near Worcester), two clusters of
three areas, one school in each cluster, and three indicators over three periods:
  - `fsm` proportion (multiplier 100, higher is worse), with a small numerator (3) to suppress;
  - `cin` count (higher is worse), with counts below and above 10 (exact and Byar's intervals);
  - `imd_score` score weighted by population (the deprivation indicator).
Every indicator has all three periods, so trends can be computed for each.
Flows are optional (`flows=True`): pupils by school cluster and home area, including OUTSIDE.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from desktop.core import model
from desktop.core.model import Bundle, Indicator, Manifest, Polarity, ValueType

PERIODS = ("2019/20", "2020/21", "2021/22")
AREA_CODES = tuple(f"E0100{i:04d}" for i in range(1, 7))
CLUSTERS = ("Northtown", "Southvale")
ORIGIN = (385_000.0, 255_000.0)
SIDE = 1_000.0

INDICATORS = (
    Indicator(id="fsm", title="Pupils eligible for free school meals", theme="Enjoy and achieve",
              value_type=ValueType.PROPORTION, polarity=Polarity.HIGHER_IS_WORSE,
              multiplier=100.0, unit="%", definition="Pupils known to be eligible for FSM.",
              source="School census (synthetic)", synthetic=True, periods=PERIODS),
    Indicator(id="cin", title="Children in need", theme="Stay safe", value_type=ValueType.COUNT,
              polarity=Polarity.HIGHER_IS_WORSE, unit="children", source="CIN census",
              synthetic=True, disclosure_threshold=3, periods=PERIODS),
    Indicator(id="imd_score", title="IMD 2019 score", theme="Deprivation",
              value_type=ValueType.SCORE, polarity=Polarity.HIGHER_IS_WORSE,
              source="MHCLG English Indices of Deprivation 2019", periods=PERIODS),
)


def _squares() -> list[shapely.Polygon]:
    x0, y0 = ORIGIN
    return [shapely.box(x0 + col * SIDE, y0 + row * SIDE, x0 + (col + 1) * SIDE,
                        y0 + (row + 1) * SIDE) for row in range(2) for col in range(3)]


def _values() -> pd.DataFrame:
    """Deterministic values: one row per indicator, area and period."""
    n_areas, n_periods = len(AREA_CODES), len(PERIODS)
    area = np.tile(np.arange(n_areas), n_periods)
    period = np.repeat(np.arange(n_periods), n_areas)
    frames = []
    den = 100.0 + 20 * area + 5 * period
    num = np.round(den * (0.08 + 0.03 * area) + period).astype(float)
    num[0] = 3.0  # a small number that must be suppressed
    frames.append(("fsm", num, den, num / den * 100))
    cin = (2.0 + 4 * area + period).astype(float)
    frames.append(("cin", cin, np.full(len(area), np.nan), cin))
    score = 10.0 + 6.5 * area - 0.5 * period
    frames.append(("imd_score", np.full(len(area), np.nan), 1500.0 + 10 * area, score))
    return pd.concat([pd.DataFrame({
        "indicator_id": ind, "area_code": np.array(AREA_CODES)[area],
        "period": np.array(PERIODS)[period], "numerator": n, "denominator": d, "value": v,
    }) for ind, n, d, v in frames], ignore_index=True).astype(
        {"indicator_id": "str", "area_code": "str", "period": "str"})


def make_bundle(*, flows: bool = False, title: str = "Test county school clusters") -> Bundle:
    """A complete, valid Bundle with the tables typed as model.Bundle documents."""
    manifest = Manifest(
        title=title, area_name="Testshire", created="2024-01-15T10:30:00+00:00",
        producer="Cluster Atlas test suite", geography_vintage="LSOA 2011",
        attribution="Contains public sector information licensed under the OGL v3.0.",
        licence="Open Government Licence v3.0", indicators=INDICATORS,
        description="Six areas, two illustrative clusters.",
        deprivation_indicator="imd_score")
    areas = gpd.GeoDataFrame({
        "area_code": list(AREA_CODES),
        "area_name": [f"Testshire {i:03d}A" for i in range(1, 7)],
        "district": ["North District"] * 3 + ["South District"] * 3,
        "cluster": [CLUSTERS[0]] * 3 + [CLUSTERS[1]] * 3,
    }, geometry=_squares(), crs=model.BUNDLE_CRS).astype(
        {c: "str" for c in ("area_code", "area_name", "district", "cluster")})
    clusters = pd.DataFrame({"cluster": list(CLUSTERS),
                             "description": ["Schools around Northtown (illustrative)",
                                             "Schools around Southvale (illustrative)"]},
                            dtype="str")
    x0, y0 = ORIGIN
    schools = gpd.GeoDataFrame({
        "school_id": ["100001", "100002"], "name": ["Northtown High", "Southvale Academy"],
        "cluster": list(CLUSTERS), "phase": ["Secondary", "Secondary"],
        "school_type": ["Community school", "Academy"], "pupils": [910.0, 1205.0],
    }, geometry=[shapely.Point(x0 + 1500, y0 + 1500), shapely.Point(x0 + 500, y0 + 500)],
        crs=model.BUNDLE_CRS).astype(
        {c: "str" for c in ("school_id", "name", "cluster", "phase", "school_type")})
    flow_table = None
    if flows:
        flow_table = pd.DataFrame({
            "school_cluster": [CLUSTERS[0]] * 3 + [CLUSTERS[1]] * 3,
            "home_area_code": [AREA_CODES[0], AREA_CODES[3], model.OUTSIDE,
                               AREA_CODES[4], AREA_CODES[1], model.OUTSIDE],
            "period": [PERIODS[-1]] * 6,
            "pupils": [420.0, 12.0, 7.0, 515.0, 4.0, 21.0],
        }).astype({"school_cluster": "str", "home_area_code": "str", "period": "str"})
    return Bundle(manifest=manifest, areas=areas, clusters=clusters, schools=schools,
                  values=_values(), flows=flow_table)
