"""Small in-memory bundles for core tests: a handful of areas, three clusters, every value type.

`make_bundle` builds a Bundle from explicit rows (for hand-checked cases); `sample_bundle` is a
ready-made one with several periods, deterministic numbers and a clearly worse cluster (East).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import geopandas as gpd
import numpy as np
import pandas as pd
from shapely.geometry import box

from desktop.core.model import (
    BUNDLE_CRS,
    VALUE_COLUMNS,
    Bundle,
    Indicator,
    Manifest,
    Polarity,
    ValueType,
)

# (area_code, area_name, cluster); A9 belongs to no cluster but counts towards the county.
AREAS: tuple[tuple[str, str, str | None], ...] = (
    ("A1", "Alpha", "North"), ("A2", "Bravo", "North"), ("A3", "Charlie", "North"),
    ("A4", "Delta", "South"), ("A5", "Echo", "South"), ("A6", "Foxtrot", "South"),
    ("A7", "Golf", "East"), ("A8", "Hotel", "East"), ("A9", "India", None),
)
CLUSTERS = ("North", "South", "East")  # display order, deliberately not alphabetical
YEARS = ("2019", "2020", "2021", "2022", "2023", "2024")


def make_bundle(indicators: Sequence[Indicator], values: Iterable[tuple] | pd.DataFrame, *,
                areas: Sequence[tuple[str, str, str | None]] = AREAS,
                clusters: Sequence[str] = CLUSTERS, threshold: int = 5,
                deprivation_indicator: str | None = None,
                age_bands: pd.DataFrame | None = None) -> Bundle:
    """A Bundle from rows (indicator_id, area_code, period, numerator, denominator, value);
    a DataFrame of values may add the sd or se column; `age_bands` (AGE_BAND_COLUMNS) feed
    dsr and isr indicators."""
    geometry = [box(i * 1000.0, 0.0, (i + 1) * 1000.0, 1000.0) for i in range(len(areas))]
    area_frame = gpd.GeoDataFrame(
        {"area_code": [a[0] for a in areas], "area_name": [a[1] for a in areas],
         "district": ["Testshire"] * len(areas), "cluster": [a[2] for a in areas]},
        geometry=geometry, crs=BUNDLE_CRS)
    value_frame = values if isinstance(values, pd.DataFrame) else \
        pd.DataFrame(list(values), columns=list(VALUE_COLUMNS))
    for column in ("numerator", "denominator", "value"):
        value_frame[column] = value_frame[column].astype(float)
    manifest = Manifest(
        title="Test bundle", area_name="Testshire", created="2024-01-01T00:00:00Z",
        producer="tests", geography_vintage="LSOA 2021", attribution="test data",
        licence="none", indicators=tuple(indicators), disclosure_threshold=threshold,
        deprivation_indicator=deprivation_indicator)
    schools = gpd.GeoDataFrame(
        {"school_id": ["S1"], "name": ["Test School"], "cluster": [clusters[0]],
         "phase": ["Secondary"], "school_type": ["Academy"], "pupils": [900]},
        geometry=gpd.points_from_xy([500.0], [500.0]), crs=BUNDLE_CRS)
    return Bundle(manifest=manifest, areas=area_frame,
                  clusters=pd.DataFrame({"cluster": list(clusters),
                                         "description": [f"{c} cluster" for c in clusters]}),
                  schools=schools, values=value_frame, age_bands=age_bands)


def indicator(id: str, value_type: ValueType, polarity: Polarity = Polarity.NO_JUDGEMENT, *,
              theme: str = "Be healthy", multiplier: float = 1.0, unit: str = "",
              periods: Sequence[str] = YEARS, **extra) -> Indicator:
    return Indicator(id=id, title=id.replace("_", " ").capitalize(), theme=theme,
                     value_type=value_type, polarity=polarity, multiplier=multiplier, unit=unit,
                     periods=tuple(periods), **extra)


SAMPLE_INDICATORS = (
    indicator("obese", ValueType.PROPORTION, Polarity.HIGHER_IS_WORSE, multiplier=100, unit="%"),
    indicator("cin_rate", ValueType.RATE, Polarity.HIGHER_IS_WORSE, theme="Stay safe",
              multiplier=10_000, unit="per 10,000", periods=YEARS[1:]),
    indicator("pupils", ValueType.COUNT, theme="Population", periods=YEARS[-2:]),
    indicator("good_level", ValueType.PROPORTION, Polarity.HIGHER_IS_BETTER, multiplier=100,
              unit="%", synthetic=True),
    indicator("attainment", ValueType.MEAN, Polarity.HIGHER_IS_BETTER, theme="Enjoy and achieve",
              periods=YEARS[-3:]),
    indicator("imd_score", ValueType.SCORE, Polarity.HIGHER_IS_WORSE, theme="Deprivation",
              periods=("2019",)),
    indicator("imd_decile", ValueType.SCORE, theme="Deprivation", periods=("2019",)),
)

# Per-area deprivation, 0 (least) to 1 (most); East (A7, A8) is the most deprived cluster.
_DEPRIVATION = np.array([0.2, 0.3, 0.1, 0.4, 0.35, 0.25, 0.9, 0.8, 0.5])


def sample_values() -> pd.DataFrame:
    """Deterministic values correlated with deprivation, with trends and some small counts."""
    rows = []
    for i, (code, _, _) in enumerate(AREAS):
        d = _DEPRIVATION[i]
        pupils = 1500 + 100 * i
        for t, year in enumerate(YEARS):
            rows.append(("obese", code, year, round(pupils * (0.12 + 0.2 * d + 0.02 * t)),
                         pupils, np.nan))
            good = round(pupils * (0.75 - 0.3 * d - 0.01 * t))
            rows.append(("good_level", code, year, good, pupils, np.nan))
            if t >= 1:  # small counts: some areas fall under the threshold
                rows.append(("cin_rate", code, year, round(2 + 30 * d * d) + (t % 2), pupils,
                             np.nan))
        for year in YEARS[-2:]:
            rows.append(("pupils", code, year, pupils, np.nan, np.nan))
        for t, year in enumerate(YEARS[-3:]):
            rows.append(("attainment", code, year, np.nan, 100 + 10 * i, 50 - 20 * d + t))
        rows.append(("imd_score", code, "2019", np.nan, pupils, 10 + 40 * d))
        rows.append(("imd_decile", code, "2019", np.nan, np.nan, float(10 - int(d * 9.99))))
    return pd.DataFrame(rows, columns=list(VALUE_COLUMNS))


def sample_bundle(**kwargs) -> Bundle:
    """The standard small test bundle (deprivation ranked by imd_score)."""
    kwargs.setdefault("deprivation_indicator", "imd_score")
    return make_bundle(SAMPLE_INDICATORS, sample_values(), **kwargs)
