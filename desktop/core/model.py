"""The data model: what a bundle holds once it is open.

Everything here is immutable by convention: frozen dataclasses for metadata and DataFrames that
the core never modifies in place after loading. Table column names are defined once here and
used by the bundle reader, the pack command, the statistics and the views.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # geopandas is heavy; the type is only needed for annotations
    import geopandas as gpd
    import numpy as np
    import pandas as pd

FORMAT_NAME = "cluster-atlas-bundle"
FORMAT_VERSION = 2  # the newest format this version reads; writers write the oldest that fits
BUNDLE_CRS = "EPSG:27700"
DEFAULT_DISCLOSURE_THRESHOLD = 5
COUNTY = "County"  # the code used for the whole-area level in aggregated tables
OUTSIDE = "OUTSIDE"  # home area code for pupils who live outside the bundle's areas
BASIS_RESIDENCE = "residence"  # pupils counted in the area where they live
BASIS_SCHOOL = "school"  # pupils counted in the area where their school stands
BASES = (BASIS_RESIDENCE, BASIS_SCHOOL)
MAP_AREAS, MAP_CLUSTERS = "areas", "clusters"  # what the map colours: small areas or clusters
MAP_LEVELS = (MAP_AREAS, MAP_CLUSTERS)
CUSTOM_AREAS = "custom_areas"  # Bundle.extras key: custom areas shown beside the clusters

# What is shown in place of a number, on screen and in every export: the Government Analysis
# Function's symbols for tables ("Symbols in tables, definitions and their use"), explained
# under every table that uses them (desktop.core.format.marker_notes).
SUPPRESSED = "[c]"  # confidential: suppressed to protect the people counted
NOT_AVAILABLE = "[x]"  # not available: the source has no value for it
NOT_APPLICABLE = "[z]"  # not applicable: the figure does not exist for it (a mean's count)
SYNTHETIC_LABEL = "synthetic, for demonstration"


class ValueType(str, Enum):
    PROPORTION = "proportion"  # numerator / denominator x multiplier; Wilson score interval
    RATE = "rate"  # numerator / denominator x multiplier; Byar's / exact Poisson interval
    COUNT = "count"  # numerator; Byar's / exact Poisson interval
    MEAN = "mean"  # value weighted by denominator when aggregated; an interval from sd or se
    SCORE = "score"  # as mean (e.g. IMD score, population-weighted)
    DSR = "dsr"  # directly standardised rate from age bands (Dobson; ESP 2013) x multiplier
    ISR = "isr"  # indirectly standardised ratio from age bands: observed / expected x multiplier

    @property
    def has_ratio(self) -> bool:
        return self in (ValueType.PROPORTION, ValueType.RATE)

    @property
    def is_weighted_mean(self) -> bool:
        return self in (ValueType.MEAN, ValueType.SCORE)

    @property
    def is_standardised(self) -> bool:
        """Made from age-band counts and populations (docs/input-format.md, age bands)."""
        return self in (ValueType.DSR, ValueType.ISR)


class Significance(str, Enum):
    """A cluster (or area) against its benchmark at a confidence level (stats.comparison:
    95% against the county unless the officer chose otherwise)."""

    BETTER = "better"
    SIMILAR = "similar"
    WORSE = "worse"
    HIGHER = "higher"  # significantly higher, for indicators with no polarity
    LOWER = "lower"
    NOT_COMPARED = "not compared"  # no interval, suppressed, or no county value


class Trend(str, Enum):
    """Recent trend over the five most recent valid periods, as Fingertips (stats.trend)."""

    INCREASING = "increasing"
    DECREASING = "decreasing"
    NO_CHANGE = "no significant change"
    CANNOT = "cannot be calculated"


class Polarity(str, Enum):
    HIGHER_IS_BETTER = "higher_is_better"
    HIGHER_IS_WORSE = "higher_is_worse"
    NO_JUDGEMENT = "no_judgement"


@dataclass(frozen=True)
class Indicator:
    """Metadata of one indicator; `periods` are in chronological order, oldest first."""

    id: str
    title: str
    theme: str
    value_type: ValueType
    polarity: Polarity = Polarity.NO_JUDGEMENT
    multiplier: float = 1.0
    unit: str = ""
    definition: str = ""
    source: str = ""
    synthetic: bool = False
    disclosure_threshold: int | None = None  # None: the bundle's threshold applies
    # the complement rule: a proportion whose denominator minus numerator is from 1 to the
    # threshold is suppressed too (docs/disclosure.md)
    disclosure_complement: bool = False
    periods: tuple[str, ...] = ()
    # Where pupils are counted: BASIS_RESIDENCE (the area they live in), BASIS_SCHOOL (the area
    # their school stands in) or "" when the idea does not apply (e.g. area statistics).
    basis: str = ""
    basis_of: str = ""  # for a school-basis indicator: the id of its residence-basis twin

    @property
    def latest_period(self) -> str | None:
        return self.periods[-1] if self.periods else None


@dataclass(frozen=True)
class Manifest:
    """manifest.json of a bundle (see docs/bundle-format.md)."""

    title: str
    area_name: str
    created: str  # ISO 8601 timestamp
    producer: str
    geography_vintage: str
    attribution: str
    licence: str
    indicators: tuple[Indicator, ...]
    disclosure_threshold: int = DEFAULT_DISCLOSURE_THRESHOLD
    crs: str = BUNDLE_CRS
    # the version a bundle was read as; the writer puts in the oldest version that says all
    # the manifest asks for (bundle.manifest.format_version_for), so it is no part of equality
    format_version: int = field(default=1, compare=False)
    description: str = ""
    deprivation_indicator: str | None = None  # id used for "most deprived areas" (e.g. IMD score)
    contact: str = ""  # who answers questions about the data (printed in every profile)
    # context indicators that find each cluster's similar clusters, and how many (0: default)
    similar_indicators: tuple[str, ...] = ()
    similar_count: int = 0

    def indicator(self, indicator_id: str) -> Indicator:
        for ind in self.indicators:
            if ind.id == indicator_id:
                return ind
        raise KeyError(indicator_id)

    def threshold_for(self, indicator: Indicator) -> int:
        if indicator.disclosure_threshold is None:
            return self.disclosure_threshold
        return indicator.disclosure_threshold

    @property
    def themes(self) -> tuple[str, ...]:
        """Themes in the order they first appear in the indicator list."""
        return tuple(dict.fromkeys(ind.theme for ind in self.indicators))


# Columns of each table. Required columns must be present; optional ones may be absent or null.
AREA_COLUMNS = ("area_code", "area_name", "district", "cluster", "geometry")
CLUSTER_COLUMNS = ("cluster", "description")
SCHOOL_COLUMNS = ("school_id", "name", "cluster", "phase", "school_type", "pupils", "geometry")
VALUE_COLUMNS = ("indicator_id", "area_code", "period", "numerator", "denominator", "value")
# Optional columns of the values table, present only when some row of a mean or score gives
# them: the standard deviation behind the area's mean, or the standard error of its value.
SPREAD_COLUMNS = ("sd", "se")
# Age-band counts and populations of directly and indirectly standardised indicators.
AGE_BAND_COLUMNS = ("indicator_id", "area_code", "period", "age_band", "numerator",
                    "denominator")
FLOW_COLUMNS = ("school_cluster", "home_area_code", "period", "pupils")
# Pupils of each school by home area and period (OUTSIDE beyond the bundle's areas), counted
# from the pupil records while packing: a school's own profile weighs its pupils' home areas.
SCHOOL_PUPIL_COLUMNS = ("school_id", "home_area_code", "period", "pupils")
# Every postcode of the pack's lookup that lies in the bundle's areas (not only pupils'), for
# finding a postcode and for custom areas made from postcode lists; easting and northing (British
# National Grid) where the lookup gave them.
POSTCODE_COLUMNS = ("postcode", "area_code", "easting", "northing")

# The statistics table (desktop.core.stats.aggregate): one row per indicator, period, level and code.
# level is "area", "cluster" or "county" (code COUNTY). Suppressed rows have every number
# blanked (NaN) except the denominator, so no consumer can leak them by accident.
STAT_COLUMNS = ("indicator_id", "period", "level", "code", "numerator", "denominator", "value",
                "lower95", "upper95", "lower998", "upper998", "suppressed", "significance")

# A cluster profile (desktop.core.stats.profile): one row per indicator, in theme order.
PROFILE_COLUMNS = ("indicator_id", "theme", "title", "period", "unit", "value_type", "polarity",
                   "count", "denominator", "value", "lower95", "upper95", "county_value",
                   "county_lower95", "county_upper95", "lowest", "lowest_cluster", "highest",
                   "highest_cluster", "significance", "trend", "suppressed", "synthetic")

TABLE_FILES = {
    "areas": "areas.parquet",
    "clusters": "clusters.parquet",
    "schools": "schools.parquet",
    "values": "values.parquet",
    "flows": "flows.parquet",  # optional
    "age_bands": "age_bands.parquet",  # optional: for dsr and isr indicators
    "display": "display.parquet",  # optional: simplified shapes for the screen map
    "school_pupils": "school_pupils.parquet",  # optional: pupils by school and home area
    "postcodes": "postcodes.parquet",  # optional: postcode -> area lookup
}
OPTIONAL_TABLES = frozenset({"flows", "display", "age_bands", "school_pupils", "postcodes"})
DISPLAY_COLUMNS = ("area_code", "geometry")


@dataclass(frozen=True, eq=False)
class Bundle:
    """An open bundle: its manifest and its tables, all in memory.

    areas: GeoDataFrame in EPSG:27700, one row per area, columns AREA_COLUMNS (cluster may be
        null for an area in no cluster); ordered as in the bundle, index 0..n-1.
    clusters: one row per cluster, columns CLUSTER_COLUMNS, in display order.
    schools: GeoDataFrame of points in EPSG:27700, columns SCHOOL_COLUMNS.
    values: long table, columns VALUE_COLUMNS (and SPREAD_COLUMNS when a mean or score gives
        them); numerator/denominator/value are float (NaN when missing): float64, or float32
        in tables of millions of rows where that holds every number exactly (widen before
        arithmetic); period is a string label listed in the indicator's `periods`. Rows of
        dsr and isr indicators hold the area's total events and population; their values
        come from `age_bands`.
    flows: pupils by the cluster of their school and their home area (OUTSIDE for outside the
        bundle's areas), or None when the bundle carries no flows.
    display: GeoDataFrame (DISPLAY_COLUMNS) of the areas' shapes simplified for the screen
        map, in the areas' order (desktop.core.geometry.display), or None: only large maps
        carry one, and write_bundle makes it when it is missing.
    age_bands: events (numerator) and population (denominator) by age band of every area row
        of the dsr and isr indicators, columns AGE_BAND_COLUMNS, or None when there are none.
    school_pupils: pupils of each school by home area (OUTSIDE beyond the areas) and period,
        columns SCHOOL_PUPIL_COLUMNS, or None (bundles packed without pupil records).
    postcodes: postcodes in the bundle's areas, columns POSTCODE_COLUMNS, postcodes written
        as desktop.core.postcodes.normalise writes them, or None.
    """

    manifest: Manifest
    areas: "gpd.GeoDataFrame"
    clusters: "pd.DataFrame"
    schools: "gpd.GeoDataFrame"
    values: "pd.DataFrame"
    flows: "pd.DataFrame | None" = None
    display: "gpd.GeoDataFrame | None" = None
    age_bands: "pd.DataFrame | None" = None
    school_pupils: "pd.DataFrame | None" = None
    postcodes: "pd.DataFrame | None" = None
    extras: dict = field(default_factory=dict)

    @property
    def cluster_names(self) -> tuple[str, ...]:
        return tuple(self.clusters["cluster"].tolist())

    @property
    def custom_areas(self) -> dict[str, tuple[str, ...]]:
        """Custom areas shown beside the clusters (name -> area codes), listed after them in
        `clusters` (desktop.core.stats.custom_stats); empty for a bundle as packed."""
        return self.extras.get(CUSTOM_AREAS, {})

    def members(self, name: str) -> "np.ndarray":
        """Which areas (bundle order) make up the cluster or custom area `name`."""
        codes = self.custom_areas.get(name)
        if codes is not None:
            return self.areas["area_code"].isin(codes).to_numpy(bool)
        return (self.areas["cluster"] == name).fillna(False).to_numpy(bool)
