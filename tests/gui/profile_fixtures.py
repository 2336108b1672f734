"""Realistic profile, issues, deprived-areas and tartan tables, built in code for the GUI tests.

The numbers follow the shapes desktop.core.stats.profile produces (model.PROFILE_COLUMNS): a
proportion with Wilson intervals, rates per 1,000, an IMD score with no interval, a suppressed
small count and synthetic indicators, across the Every Child Matters themes.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from desktop.core.model import PROFILE_COLUMNS

CLUSTERS = ("Bromsgrove", "Droitwich", "Evesham", "Kidderminster", "Malvern", "Pershore",
            "Redditch North", "Redditch South", "Stourport", "Tenbury", "Upton", "Worcester")
NAN = float("nan")

# id, theme, title, value_type, unit, polarity, count, denominator, value, lower, upper,
# county value, lowest, highest, significance, trend, suppressed, synthetic
_ROWS = [
    ("pop_0_19", "Population", "Children and young people aged 0-19", "count", "", "no_judgement",
     14210, NAN, 14210, NAN, NAN, 11890, 3120, 21450, "not compared", "increasing", False, False),
    ("pop_bme", "Population", "Pupils from minority ethnic groups", "proportion", "%",
     "no_judgement", 812, 6150, 13.2, 12.4, 14.1, 10.2, 4.1, 22.8, "higher", "increasing",
     False, True),
    ("imd_score", "Deprivation", "IMD 2019 average score", "score", "", "higher_is_worse",
     NAN, NAN, 21.7, NAN, NAN, 17.1, 9.5, 31.2, "not compared", "cannot be calculated",
     False, False),
    ("idaci", "Deprivation", "Children in income-deprived families (IDACI)", "proportion", "%",
     "higher_is_worse", 1321, 7020, 18.8, 17.9, 19.7, 14.6, 7.2, 27.5, "worse",
     "no significant change", False, False),
    ("obesity_y6", "Be healthy", "Obese children in Year 6", "proportion", "%",
     "higher_is_worse", 171, 863, 19.8, 17.3, 22.6, 18.1, 12.4, 24.9, "similar",
     "no significant change", False, True),
    ("u18_conc", "Be healthy", "Under-18 conceptions", "rate", "per 1,000", "higher_is_worse",
     3, 1210, NAN, NAN, NAN, 16.4, 9.1, 28.3, "not compared", "cannot be calculated", True,
     True),
    ("breastfeed", "Be healthy", "Breastfeeding at 6-8 weeks", "proportion", "%",
     "higher_is_better", 402, 788, 51.0, 47.5, 54.5, 44.3, 31.0, 58.2, "better", "increasing",
     False, True),
    ("road_ksi", "Stay safe", "Children killed or seriously injured on roads", "rate",
     "per 100,000", "higher_is_worse", 11, 14210, 77.4, 38.6, 138.5, 52.0, 20.1, 95.7,
     "similar", "decreasing", False, True),
    ("cin", "Stay safe", "Children in need", "rate", "per 10,000", "higher_is_worse", 412,
     14210, 289.9, 262.7, 319.3, 231.4, 140.2, 402.6, "worse", "increasing", False, True),
    ("lac", "Stay safe", "Looked after children", "rate", "per 10,000", "higher_is_worse", 98,
     14210, 69.0, 56.0, 84.1, 61.2, 30.5, 99.0, "similar", "no significant change", False, True),
    ("ks2_rwm", "Enjoy and achieve", "Key Stage 2: reading, writing and maths expected standard",
     "proportion", "%", "higher_is_better", 498, 912, 54.6, 51.4, 57.8, 60.1, 48.2, 71.3,
     "worse", "no significant change", False, True),
    ("gcse_eng_maths", "Enjoy and achieve", "GCSE English and maths grade 4 or above",
     "proportion", "%", "higher_is_better", 611, 874, 69.9, 66.8, 72.9, 66.0, 55.1, 78.4,
     "better", "increasing", False, True),
    ("absence", "Enjoy and achieve", "Persistent absence", "proportion", "%", "higher_is_worse",
     1044, 8120, 12.9, 12.2, 13.6, 10.2, 6.8, 16.0, "worse", "increasing", False, True),
    ("exclusions", "Enjoy and achieve", "Fixed-period exclusions", "rate", "per 100",
     "higher_is_worse", 301, 8120, 3.7, 3.3, 4.1, 3.9, 1.8, 6.1, "similar", "decreasing",
     False, True),
    ("volunteer", "Make a positive contribution", "Young people volunteering", "proportion",
     "%", "higher_is_better", 188, 1020, 18.4, 16.2, 20.9, 17.7, 11.0, 25.5, "similar",
     "no significant change", False, True),
    ("yjs_first", "Make a positive contribution", "First-time entrants to youth justice", "rate",
     "per 100,000", "higher_is_worse", 14, 9870, 141.8, 77.5, 238.0, 180.3, 60.2, 310.9,
     "similar", "decreasing", False, True),
    ("neet", "Achieve economic well-being", "16-17 year olds not in education, employment or "
     "training", "proportion", "%", "higher_is_worse", 91, 1750, 5.2, 4.3, 6.3, 3.6, 1.9, 7.4,
     "worse", "no significant change", False, True),
    ("fsm", "Achieve economic well-being", "Pupils eligible for free school meals",
     "proportion", "%", "higher_is_worse", 1602, 8120, 19.7, 18.9, 20.6, 20.2, 8.9, 34.5,
     "similar", "increasing", False, False),
]


def make_profile() -> pd.DataFrame:
    """The Bromsgrove profile: 18 indicators in 7 themes, one suppressed, most synthetic."""
    rows = []
    rng = np.random.default_rng(7)
    for (iid, theme, title, vtype, unit, polarity, count, denom, value, lo, hi, county, lowest,
         highest, sig, trend, suppressed, synthetic) in _ROWS:
        low_cl, high_cl = rng.choice(CLUSTERS, size=2, replace=False)
        county_half = 0.15 * abs(county) / 10 if np.isfinite(lo) else NAN
        rows.append({
            "indicator_id": iid, "theme": theme, "title": title, "period": "2022/23",
            "unit": unit, "value_type": vtype, "polarity": polarity, "count": float(count),
            "denominator": float(denom), "value": float(value), "lower95": float(lo),
            "upper95": float(hi), "county_value": float(county),
            "county_lower95": county - county_half, "county_upper95": county + county_half,
            "lowest": float(lowest), "lowest_cluster": str(low_cl), "highest": float(highest),
            "highest_cluster": str(high_cl), "significance": sig, "trend": trend,
            "suppressed": suppressed, "synthetic": synthetic,
        })
    frame = pd.DataFrame(rows, columns=list(PROFILE_COLUMNS))
    return frame


def make_large_profile(n: int = 260) -> pd.DataFrame:
    """`n` indicators (the product's 250+), cycling the realistic rows with numbered ids."""
    base = make_profile()
    reps = -(-n // len(base))
    frame = pd.concat([base] * reps, ignore_index=True).iloc[:n].copy()
    frame["indicator_id"] = [f"{iid}_{i:03d}" for i, iid in enumerate(frame["indicator_id"])]
    frame["title"] = [f"{t} ({i // len(base) + 1})" for i, t in enumerate(frame["title"])]
    order = {t: k for k, t in enumerate(dict.fromkeys(base["theme"]))}
    return frame.sort_values("theme", key=lambda s: s.map(order), kind="stable").reset_index(
        drop=True)


def make_issues(profile: pd.DataFrame | None = None) -> pd.DataFrame:
    """Rows significantly worse than the county, most different first (relative difference)."""
    profile = make_profile() if profile is None else profile
    worse = profile[profile["significance"] == "worse"]
    diff = ((worse["value"] - worse["county_value"]) / worse["county_value"]).abs()
    return worse.loc[diff.sort_values(ascending=False).index].reset_index(drop=True)


def make_deprived() -> pd.DataFrame:
    """The most deprived LSOAs of the cluster, most deprived first."""
    return pd.DataFrame({
        "area_code": ["E01032155", "E01032160", "E01032149", "E01032171", "E01032158"],
        "area_name": ["Bromsgrove 009B", "Bromsgrove 010C", "Bromsgrove 008A",
                      "Bromsgrove 012D", "Bromsgrove 009E"],
        "value": [42.31, 36.80, 33.05, 29.96, 27.40],
        "decile": [1, 2, 2, 3, 3],
    })


def make_tartan() -> tuple[pd.DataFrame, pd.DataFrame]:
    """(tartan, indicators): significance of each cluster by indicator, and their metadata."""
    profile = make_profile()
    judged = np.array(["better", "similar", "worse", "similar"])
    unjudged = np.array(["higher", "similar", "lower", "similar"])
    rng = np.random.default_rng(11)
    picks = rng.integers(0, 4, size=(len(profile), len(CLUSTERS)))
    no_judgement = (profile["polarity"] == "no_judgement").to_numpy()[:, None]
    cells = np.where(no_judgement, unjudged[picks], judged[picks])
    tartan = pd.DataFrame(cells, index=pd.Index(profile["indicator_id"], name="indicator_id"),
                          columns=list(CLUSTERS))
    tartan.loc["u18_conc", "Tenbury"] = "not compared"
    tartan.loc["ks2_rwm", "Bromsgrove"] = "worse"
    indicators = profile[["indicator_id", "title", "theme"]].rename(columns={"indicator_id": "id"})
    return tartan, indicators
