"""Synthetic children's indicators, correlated with real deprivation (see catalogue.py).

Each indicator follows a logistic (proportions) or log-linear (rates, counts) model of the
area's standardised log IMD 2019 score, an area random effect, a gentle yearly trend and, for
a few, an extra cluster trend; counts are then drawn binomially or from a Poisson.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .catalogue import (CLUSTER_TRENDS, DENOMINATORS, PROPORTION_SCALE, SPECS,
                        rate_scale)

FIRST_YEAR, N_PERIODS = 2018, 6
ACADEMIC_THEMES = ("Enjoy and achieve", "Achieve economic well-being")
SOURCE = "Synthetic, for demonstration (Cluster Atlas demo data)"
SYNTHETIC_NOTE = "Synthetic, for demonstration."
POLARITY = {"+": "higher_is_better", "-": "higher_is_worse", "0": "no_judgement"}


def period_labels(academic: bool) -> list[str]:
    """Six periods, oldest first: academic years 2018/19.. or calendar years 2018.."""
    years = range(FIRST_YEAR, FIRST_YEAR + N_PERIODS)
    return [f"{y}/{(y + 1) % 100:02d}" if academic else str(y) for y in years]


def child_population(areas: pd.DataFrame) -> np.ndarray:
    """Children aged 0-15 per area and period (areas x periods): mid-2015 counts grown at
    each area's real 2015-2019 population growth rate."""
    growth = (areas["pop_mid2019"] / areas["pop_total_mid2015"]).to_numpy() ** 0.25
    years = np.arange(FIRST_YEAR, FIRST_YEAR + N_PERIODS) - 2015
    return areas["pop_0_15_mid2015"].to_numpy()[:, None] * growth[:, None] ** years


def deprivation_z(areas: pd.DataFrame) -> np.ndarray:
    """Standardised log IMD score: the driver of every synthetic indicator."""
    x = np.log(areas["imd_score"].to_numpy())
    return (x - x.mean()) / x.std()


def metadata_row(spec: tuple) -> dict:
    """indicators.csv row of one synthetic indicator."""
    theme, ind_id, title, vtype, pol, denom, base = spec[:7]
    if vtype == "proportion":
        multiplier, unit = PROPORTION_SCALE
    elif vtype == "rate":
        multiplier, unit = rate_scale(base)
    elif vtype == "count":
        multiplier, unit = 1, "events"
    else:
        multiplier, unit = 1, "points"
    what = DENOMINATORS[denom][1]
    if vtype == "count":
        definition = f"{title}: number of events in the period (among {what})."
    elif vtype == "mean":
        definition = f"{title}: mean over {what}, weighted by their number."
    else:
        definition = f"{title}: numerator over {what}, {unit}."
    return {"id": ind_id, "title": title, "theme": theme, "value_type": vtype,
            "polarity": POLARITY[pol], "multiplier": multiplier, "unit": unit,
            "definition": f"{definition} {SYNTHETIC_NOTE}", "source": SOURCE,
            "synthetic": "true"}


def _draw(spec: tuple, rng: np.random.Generator, z: np.ndarray, kids: np.ndarray,
          cluster: np.ndarray) -> pd.DataFrame:
    """Long table (area index, period index, numerator, denominator, value) of one indicator."""
    _, ind_id, _, vtype, _, denom, base, slope, trend, sd = spec
    n_areas, n_periods = kids.shape
    t = np.arange(n_periods) - (n_periods - 1) / 2
    slopes = np.full(n_areas, trend)
    for name, extra in CLUSTER_TRENDS.get(ind_id, {}).items():
        slopes[cluster == name] += extra
    effect = slope * z[:, None] + rng.normal(0, sd, n_areas)[:, None] + slopes[:, None] * t
    denominator = rng.poisson(kids * DENOMINATORS[denom][0])
    numerator = np.full(kids.shape, np.nan)
    value = np.full(kids.shape, np.nan)
    if vtype == "proportion":
        p = 1 / (1 + np.exp(-(np.log(base / (1 - base)) + effect)))
        numerator = rng.binomial(denominator, p).astype(float)
    elif vtype in ("rate", "count"):
        numerator = rng.poisson(denominator * base * np.exp(effect)).astype(float)
    else:
        noise = rng.normal(0, 1, kids.shape) * abs(slope) / np.sqrt(np.maximum(denominator, 1))
        value = np.round(base + effect + noise * 3, 2)
    areas_i, periods_i = np.indices(kids.shape)
    out = pd.DataFrame({"area": areas_i.ravel(), "period": periods_i.ravel(),
                        "numerator": numerator.ravel(), "denominator": denominator.ravel(),
                        "value": value.ravel()})
    if vtype == "count":
        out["denominator"] = np.nan
        return out
    return out[out["denominator"] > 0]


def synthetic_indicators(areas: pd.DataFrame, cluster: pd.Series,
                         rng: np.random.Generator) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(indicators.csv rows, values rows) of every synthetic indicator in SPECS."""
    z, kids = deprivation_z(areas), child_population(areas)
    codes = areas["area_code"].to_numpy()
    frames = []
    for spec in SPECS:
        drawn = _draw(spec, rng, z, kids, cluster.to_numpy())
        labels = np.array(period_labels(spec[0] in ACADEMIC_THEMES))
        drawn.insert(0, "indicator_id", spec[1])
        drawn["area_code"] = codes[drawn.pop("area").to_numpy()]
        drawn["period"] = labels[drawn["period"].to_numpy()]
        frames.append(drawn)
    values = pd.concat(frames, ignore_index=True)
    meta = pd.DataFrame([metadata_row(s) for s in SPECS])
    return meta, values[["indicator_id", "area_code", "period", "numerator", "denominator",
                         "value"]]
