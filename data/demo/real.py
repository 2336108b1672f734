"""Real indicators from the open data (IoD 2019, ONS population, Census 2011): one period each."""

from __future__ import annotations

import numpy as np
import pandas as pd

IOD = ("English Indices of Deprivation 2019 (MHCLG), LSOA 2011; "
       "Open Government Licence v3.0")
POP = "ONS small area population estimates, LSOA 2011; Open Government Licence v3.0"
CENSUS = "ONS Census 2011, table QS119EW; Open Government Licence v3.0"

# id, title, theme, value_type, polarity, multiplier, unit, period, source, definition,
# numerator column (or value column for mean/score), denominator column
REAL: tuple[tuple, ...] = (
    ("imd_score", "Index of Multiple Deprivation 2019: score", "Deprivation", "score",
     "higher_is_worse", 1, "score", "2019", IOD,
     "IMD 2019 score; clusters and the county are population-weighted means (mid-2015 "
     "population).", "imd_score", "pop_total_mid2015"),
    ("imd_decile", "Index of Multiple Deprivation 2019: national decile", "Deprivation",
     "score", "no_judgement", 1, "decile", "2019", IOD,
     "National IMD 2019 decile (1 = most deprived 10% of LSOAs in England); clusters and the "
     "county show the population-weighted mean decile.", "imd_decile", "pop_total_mid2015"),
    ("imd_most_deprived_20", "Population in the most deprived 20% of LSOAs nationally",
     "Deprivation", "proportion", "higher_is_worse", 100, "%", "2019", IOD,
     "Share of the mid-2015 population living in LSOAs in IMD 2019 deciles 1-2.",
     "pop_most_deprived", "pop_total_mid2015"),
    ("income_deprivation", "Income deprivation", "Deprivation", "proportion",
     "higher_is_worse", 100, "%", "2019", IOD,
     "People in income-deprived families (IoD 2019 income domain numerator) as a share of "
     "the mid-2015 population.", "income_numerator", "pop_total_mid2015"),
    ("idaci_approx", "Income deprivation affecting children (approximate)", "Deprivation",
     "proportion", "higher_is_worse", 100, "%", "2019", IOD,
     "IDACI numerator over children aged 0-15 (mid-2015): an approximation, not the published "
     "IDACI score. Numerators below 10 were suppressed in the source and are left blank.",
     "idaci_numerator", "pop_0_15_mid2015"),
    ("employment_deprivation", "Employment deprivation", "Deprivation", "proportion",
     "higher_is_worse", 100, "%", "2019", IOD,
     "Working-age people involuntarily out of work (IoD 2019 employment domain numerator) as a "
     "share of the mid-2015 working-age population.", "employment_numerator",
     "pop_working_age_mid2015"),
    ("households_deprived_2plus", "Households deprived in two or more dimensions",
     "Deprivation", "proportion", "higher_is_worse", 100, "%", "2011", CENSUS,
     "Households deprived in 2, 3 or 4 of the Census dimensions (employment, education, "
     "health and disability, housing).", "hh_dep_2plus", "hh_total"),
    ("child_population", "Children aged 0-15", "Population", "count", "no_judgement", 1,
     "children", "mid-2015", POP, "Resident children aged 0-15, mid-2015 estimate.",
     "pop_0_15_mid2015", None),
    ("total_population", "Total population", "Population", "count", "no_judgement", 1,
     "people", "mid-2019", POP, "Resident population, mid-2019 estimate.", "pop_mid2019",
     None),
    ("child_share", "Children aged 0-15 as a share of the population", "Population",
     "proportion", "no_judgement", 100, "%", "mid-2015", POP,
     "Children aged 0-15 over the total resident population, mid-2015.", "pop_0_15_mid2015",
     "pop_total_mid2015"),
    ("population_density", "Population density", "Population", "mean", "no_judgement", 1,
     "people per km²", "mid-2019", POP,
     "Residents per square kilometre (mid-2019); clusters and the county are weighted by "
     "land area, which gives their own density.", "people_per_sqkm", "area_sqkm"),
    ("distance_primary_km", "Road distance to a primary school", "Deprivation", "mean",
     "higher_is_worse", 1, "km", "2019", IOD,
     "Mean road distance to the nearest primary school (IoD 2019 geographical barriers), "
     "weighted by children aged 0-15.", "dist_primary_school_km", "pop_0_15_mid2015"),
)

_COLUMNS = ("id", "title", "theme", "value_type", "polarity", "multiplier", "unit", "period",
            "source", "definition")


def _derived(areas: pd.DataFrame) -> pd.DataFrame:
    """Columns the REAL table refers to that the sources do not hold as such."""
    hh = [f"hh_dep_dims_{k}_count" for k in range(5)]
    return areas.assign(
        pop_most_deprived=np.where(areas["imd_decile"] <= 2, areas["pop_total_mid2015"], 0),
        hh_dep_2plus=areas[hh[2:]].sum(axis=1),
        hh_total=areas[hh].sum(axis=1),
    )


def real_indicators(areas: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(indicators.csv rows, values rows) of the real indicators."""
    data = _derived(areas)
    meta, frames = [], []
    for spec in REAL:
        row = dict(zip(_COLUMNS, spec))
        numerator_col, denominator_col = spec[10], spec[11]
        meta.append({**{k: row[k] for k in _COLUMNS if k != "period"}, "synthetic": "false"})
        frame = pd.DataFrame({"indicator_id": row["id"], "area_code": data["area_code"],
                              "period": row["period"], "numerator": np.nan,
                              "denominator": np.nan, "value": np.nan})
        target = "value" if row["value_type"] in ("mean", "score") else "numerator"
        frame[target] = data[numerator_col].to_numpy(dtype=float)
        if denominator_col:
            frame["denominator"] = data[denominator_col].to_numpy(dtype=float)
        frames.append(frame.dropna(subset=[target]))
    return pd.DataFrame(meta), pd.concat(frames, ignore_index=True)
