"""Pupil-level records aggregated to areas while packing, and cross-border flows.

Pupil records (with their postcodes and any pupil ids) live only inside this module's
functions: what leaves is counts per period and area, pupils per school cluster, home area and
period, and pupils per school, home area and period. Nothing at pupil level ever enters the
bundle. The postcode lookup enters it whole (its postcodes in the areas), never narrowed to
the pupils' postcodes.
"""

from __future__ import annotations

from typing import NamedTuple

import geopandas as gpd
import numpy as np
import pandas as pd

from desktop.core.errors import InputError
from desktop.core.model import (
    BUNDLE_CRS,
    FLOW_COLUMNS,
    OUTSIDE,
    POSTCODE_COLUMNS,
    SCHOOL_PUPIL_COLUMNS,
    ValueType,
)
from desktop.core.pack.geo import locate
from desktop.core.pack.read import (
    FILE,
    ROW,
    fail_first,
    no_duplicates,
    require_columns,
    require_text,
    to_number,
)
from desktop.core.pack.tables import SCHOOL_SUFFIX
from desktop.core.postcodes import normalise


def postcode_lookup(frame: pd.DataFrame, areas: gpd.GeoDataFrame) -> pd.DataFrame:
    """Every postcode of the lookup (written as desktop.core.postcodes.normalise writes it)
    with its area (OUTSIDE beyond the boundaries) and its point where the lookup gives one.

    The lookup gives `area_code` directly (a blank or foreign code means outside the
    boundaries) or `easting`/`northing`, located in the boundaries.
    """
    require_text(frame, "postcode")
    frame = frame.assign(postcode=normalise(frame["postcode"]))
    no_duplicates(frame, ["postcode"], "postcode")
    has_point = "easting" in frame.columns and "northing" in frame.columns
    if "area_code" in frame.columns:
        home = frame["area_code"].where(frame["area_code"].isin(areas["area_code"]), OUTSIDE)
        x = to_number(frame, "easting") if has_point else np.nan
        y = to_number(frame, "northing") if has_point else np.nan
    else:
        require_columns(frame, ["easting", "northing"],
                        what="or an area_code column to place each postcode")
        x = to_number(frame, "easting", required=True)
        y = to_number(frame, "northing", required=True)
        points = gpd.GeoSeries(gpd.points_from_xy(x, y), index=frame.index, crs=BUNDLE_CRS)
        home = locate(points, areas).fillna(OUTSIDE)
    return pd.DataFrame({"postcode": frame["postcode"].to_numpy(dtype=object),
                         "area_code": home.to_numpy(dtype=object),
                         "easting": np.broadcast_to(np.asarray(x, dtype=float), len(frame)),
                         "northing": np.broadcast_to(np.asarray(y, dtype=float), len(frame))})


def postcode_table(lookup: pd.DataFrame) -> pd.DataFrame:
    """The bundle's postcodes table (POSTCODE_COLUMNS): the lookup's postcodes that lie in
    the areas. All of them, not only pupils' ones, so the table says nothing about where
    pupils live."""
    inside = lookup[lookup["area_code"].ne(OUTSIDE)]
    return inside[list(POSTCODE_COLUMNS)].reset_index(drop=True)


def flag_columns(frame: pd.DataFrame, indicators: pd.DataFrame) -> dict[str, str]:
    """Column name -> indicator id for the pupils columns named after indicators (any case)."""
    by_lower = dict(zip(indicators["id"].str.lower(), indicators.index))
    flags = {}
    for col in frame.columns:
        if col in by_lower:
            row = indicators.loc[by_lower[col]]
            if row["value_type"] != ValueType.PROPORTION.value:
                raise InputError(f"column '{col}' is named after indicator {row['id']!r}, whose "
                                 f"value_type is {row['value_type']}; pupil flags can only feed "
                                 "proportion indicators.", file=str(frame[FILE].iloc[0]),
                                 row=1, column=col)
            twin = row["id"] + SCHOOL_SUFFIX
            if twin in set(indicators["id"]):
                clash = indicators.loc[indicators["id"] == twin].iloc[0]
                raise InputError(f"indicator id {twin!r} is taken by the school-basis values "
                                 f"of the pupil flag {row['id']!r}; rename it.",
                                 file=str(clash[FILE]), row=int(clash[ROW]), column="id")
            flags[col] = row["id"]
    return flags


def school_areas(schools: gpd.GeoDataFrame, areas: gpd.GeoDataFrame) -> pd.Series:
    """school_id -> the area its point stands in; the nearest area for a school outside them.

    Pupils are placed here for the school-basis twins of the flag indicators.
    """
    located = locate(schools.geometry, areas)
    outside = located.isna()
    if outside.any():
        lost = gpd.GeoDataFrame(geometry=schools.geometry[outside], crs=schools.crs)
        near = gpd.sjoin_nearest(lost, areas[["area_code", "geometry"]], how="left")
        near = near[~near.index.duplicated(keep="first")]["area_code"]
        located = located.where(~outside, near.reindex(located.index))
    return pd.Series(located.to_numpy(), index=schools["school_id"].to_numpy(), dtype="str")


def _flag_values(records: pd.DataFrame, flags: dict[str, str], multipliers: pd.Series,
                 suffix: str = "") -> list[pd.DataFrame]:
    """Values of each flag indicator (id + suffix) from records with period, area_code, flags.

    Per period and area: denominator = records placed there, numerator = sum of the flag.
    """
    grouped = records.groupby(["period", "area_code"], sort=False)
    denominator = grouped.size()
    parts = []
    for col, indicator_id in flags.items():
        numerator = grouped[col].sum().astype("float64")
        parts.append(pd.DataFrame({
            "indicator_id": indicator_id + suffix,
            "area_code": numerator.index.get_level_values("area_code"),
            "period": numerator.index.get_level_values("period"),
            "numerator": numerator.to_numpy(),
            "denominator": denominator.to_numpy(dtype="float64"),
            "value": (numerator / denominator * multipliers[indicator_id]).to_numpy(),
        }))
    return parts


class PupilTables(NamedTuple):
    """What pupil records become: values of the flag indicators (None without flags), the
    cross-border flows, pupils by school and home area, and the flag indicators' ids."""

    values: pd.DataFrame | None
    flows: pd.DataFrame
    school_pupils: pd.DataFrame
    flag_ids: list[str]


def _counted(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """Rows of `frame` counted by `columns` into a whole-number "pupils" column."""
    counts = frame.groupby(columns, sort=False).size().rename("pupils").reset_index()
    counts["pupils"] = counts["pupils"].astype("int64")
    return counts


def aggregate_pupils(frame: pd.DataFrame, lookup: pd.DataFrame, indicators: pd.DataFrame,
                     areas: gpd.GeoDataFrame, schools: gpd.GeoDataFrame) -> PupilTables:
    """The pupil records counted, with their postcodes placed by the lookup (postcode_lookup).

    Per period and area: denominator = records living there, numerator = sum of each 0/1 flag.
    Each flag also gets a school-basis twin (id + SCHOOL_SUFFIX) counting the records by the
    area their school stands in, pupils living outside the boundaries included.
    Flows count pupils by their school's cluster and home area (OUTSIDE beyond the boundaries);
    pupils at a school in no cluster are left out of the flows. School pupils count them by
    their school and home area, every school included.
    """
    for col in ("period", "postcode", "school_id"):
        require_text(frame, col)
    flags = flag_columns(frame, indicators)
    for col in flags:
        fail_first(frame, ~frame[col].isin(["0", "1"]), "{value} is not a flag: write 1 for "
                   "yes and 0 for no.", col)
    fail_first(frame, ~frame["school_id"].isin(pd.Index(schools["school_id"])),
               "unknown school_id {value}: it is not in the schools table.", "school_id")
    postcode = normalise(frame["postcode"])
    home = postcode.map(pd.Series(lookup["area_code"].to_numpy(),
                                  index=lookup["postcode"].to_numpy()))
    fail_first(frame, home.isna(), "postcode {value} is not in the postcode lookup.", "postcode")

    records = pd.DataFrame({"period": frame["period"], "area_code": home})
    for col in flags:
        records[col] = frame[col].astype("int64")
    multipliers = indicators.set_index("id")["multiplier"]
    at_school = records.assign(area_code=frame["school_id"].map(school_areas(schools, areas)))
    parts = (_flag_values(records[records["area_code"].ne(OUTSIDE)], flags, multipliers)
             + _flag_values(at_school, flags, multipliers, SCHOOL_SUFFIX))
    values = pd.concat(parts, ignore_index=True) if parts else None

    school_cluster = frame["school_id"].map(schools.set_index("school_id")["cluster"])
    moves = pd.DataFrame({"school_cluster": school_cluster, "home_area_code": home,
                          "period": frame["period"]}).dropna(subset=["school_cluster"])
    flows = _counted(moves, list(moves.columns))[list(FLOW_COLUMNS)]
    by_school = _counted(pd.DataFrame({"school_id": frame["school_id"], "home_area_code": home,
                                       "period": frame["period"]}),
                         ["school_id", "home_area_code", "period"])
    return PupilTables(values, flows, by_school[list(SCHOOL_PUPIL_COLUMNS)], list(flags.values()))


def parse_flows(frame: pd.DataFrame, clusters: pd.DataFrame, area_codes: pd.Index
                ) -> pd.DataFrame:
    """A ready-made flows table (FLOW_COLUMNS), checked."""
    for col in ("school_cluster", "home_area_code", "period"):
        require_text(frame, col)
    fail_first(frame, ~frame["school_cluster"].isin(pd.Index(clusters["cluster"])),
               "cluster {value} is not a cluster of the clusters lookup.", "school_cluster")
    fail_first(frame, ~frame["home_area_code"].isin(area_codes.append(pd.Index([OUTSIDE]))),
               f"unknown area code {{value}}: use an area of the boundaries or {OUTSIDE}.",
               "home_area_code")
    pupils = to_number(frame, "pupils", required=True)
    fail_first(frame, pupils.lt(0) | (pupils % 1 != 0),
               "pupils must be a whole number, 0 or more.", "pupils")
    no_duplicates(frame, ["school_cluster", "home_area_code", "period"], "flow")
    flows = frame[["school_cluster", "home_area_code", "period"]].assign(
        pupils=pupils.astype("int64"))
    return flows.reset_index(drop=True)
