"""The inequalities chart: the indicator in each national IMD decile of the county's small areas,
with the chosen cluster's deciles beside the county's, 95% whiskers and the slope index of
inequality drawn as the fitted line across the deciles (stats.inequality; Fingertips'
Inequalities tab).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from desktop.core.charts.common import axis_label, fmt, nonnegative_axis
from desktop.core.charts.options import ChartOptions
from desktop.core.errors import AtlasError
from desktop.core.format import MISSING, format_value
from desktop.core.model import NOT_APPLICABLE, SUPPRESSED, Bundle, Indicator
from desktop.core.plotting.annotate import annotate_chart
from desktop.core.plotting.style import (
    CLUSTER_COLOUR,
    COUNTY_COLOUR,
    MUTED_TEXT,
    prepare_axes,
    style_context,
)
from desktop.core.stats.inequality import DecileInequality, inequality

if TYPE_CHECKING:
    from desktop.core.stats.table import Statistics

EXPLANATION = ("Bars show each tenth of areas from most deprived (1) to least (10); a steep "
               "line means a big gap between them.")
COUNTY_FILL = "#b8b8b8"
WIDTH = 0.38


def sii_words(indicator: Indicator, found: DecileInequality) -> str:
    """"SII 12.3 (95% CI 9.8 to 14.9)" or why there is none."""
    if found.result is None:
        return f"no SII: {found.reason}"
    low, high = found.result.sii_limits.get(0.95, (np.nan, np.nan))
    return (f"SII {fmt(indicator, found.result.sii)} (95% CI {fmt(indicator, low)} to "
            f"{fmt(indicator, high)})")


def inequality_chart(ax: Axes, indicator: Indicator, period: str, county: DecileInequality | None,
                     cluster: DecileInequality | None = None, cluster_name: str | None = None,
                     reason: str = "") -> Axes:
    """County deciles (grey) and, when given, the cluster's (blue), each with its SII line."""
    prepare_axes(ax)
    groups = [g for g in ((county, COUNTY_FILL, COUNTY_COLOUR, "County"),
                          (cluster, CLUSTER_COLOUR, CLUSTER_COLOUR, cluster_name)) if g[0]]
    with style_context():
        if not groups:
            ax.set_axis_off()
            ax.text(0.5, 0.5, f"No inequality chart: {reason}.", ha="center", va="center",
                    wrap=True, color=MUTED_TEXT, transform=ax.transAxes, gid="no-chart")
        offsets = (-WIDTH / 2, WIDTH / 2) if len(groups) == 2 else (0.0,)
        handles, values = [], []
        for (found, fill, line, name), offset in zip(groups, offsets):
            handles += _group(ax, indicator, found, fill, line, name, offset)
            values.append(found.deciles[["value", "lower95", "upper95"]].to_numpy(float))
        if groups:
            ax.set_xticks(np.arange(1, 11), labels=["1\nmost\ndeprived", *map(str, range(2, 10)),
                                                    "10\nleast\ndeprived"])
            ax.set_xlim(0.4, 10.6)
            ax.grid(axis="x", visible=False)
            ax.set_xlabel("National IMD decile of the small areas")
            ax.set_ylabel(axis_label(indicator))
            nonnegative_axis(ax, np.concatenate([v.ravel() for v in values]), "y")
            ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1))
        annotate_chart(ax, indicator.title, f"{period}. {EXPLANATION}",
                       _notes(indicator, groups), indicator.source, indicator.synthetic)
    return ax


def _group(ax: Axes, indicator: Indicator, found: DecileInequality, fill: str, line: str,
           name: str, offset: float) -> list:
    table = found.deciles
    x = table["decile"].to_numpy(float) + offset
    value = table["value"].to_numpy(float)
    drawn = np.isfinite(value)
    ax.bar(x[drawn], value[drawn], width=WIDTH if offset else 0.7, color=fill,
           edgecolor="#4d4d4d", linewidth=0.4, zorder=2, gid=f"bars:{name}")
    lower, upper = table["lower95"].to_numpy(float), table["upper95"].to_numpy(float)
    ci = drawn & np.isfinite(lower) & np.isfinite(upper)
    if ci.any():
        ax.errorbar(x[ci], value[ci], yerr=[value[ci] - lower[ci], upper[ci] - value[ci]],
                    fmt="none", ecolor="#262626", elinewidth=0.8, capsize=2, zorder=4)
    for xi in x[table["suppressed"].to_numpy(bool)]:
        ax.annotate(SUPPRESSED, xy=(xi, 0), xycoords=("data", "axes fraction"), xytext=(0, 3),
                    textcoords="offset points", ha="center", va="bottom", color=MUTED_TEXT,
                    fontsize=7, gid=f"suppressed:{name}")
    handles = [Patch(facecolor=fill, edgecolor="#4d4d4d", linewidth=0.4, label=name)]
    fitted = found.fitted()
    shown = np.isfinite(fitted)
    if shown.any():
        ax.plot(x[shown], fitted[shown], color=line, linestyle="--" if name == "County"
                else "-", linewidth=1.4, zorder=5, gid=f"sii:{name}")
        sii = fmt(indicator, found.result.sii)
        handles.append(Line2D([], [], color=line, linestyle="--" if name == "County" else "-",
                              label=f"{name}: slope, SII {sii}"))
    return handles


def _notes(indicator: Indicator, groups: list) -> list[str]:
    notes = [f"{name}: {sii_words(indicator, found)}." for found, _, _, name in groups]
    notes.append("The slope index of inequality (SII) is the modelled gap between the most "
                 "and the least deprived ends, by PHEindicatormethods' phe_sii: positive when "
                 "values rise towards the less deprived areas. Whiskers show 95% confidence "
                 "intervals.")
    if any(found.deciles["suppressed"].any() for found, *_ in groups):
        notes.append(f"{SUPPRESSED} suppressed: small numbers, or to protect small numbers "
                     "elsewhere.")
    return notes


def inequality_table(indicator: Indicator, period: str, county: DecileInequality | None,
                     cluster: DecileInequality | None = None, cluster_name: str | None = None,
                     reason: str = "") -> pd.DataFrame:
    """One row per decile (areas, value and 95% interval of the county, then of the cluster),
    then the SII of each."""
    groups = [(g, n) for g, n in ((county, "County"), (cluster, cluster_name)) if g]
    columns = ["Decile"]
    for _, name in groups:
        columns += [f"{name} areas", f"{name} value", f"{name} 95% CI"]
    rows = []
    for k in range(10):
        row = [str(k + 1)]
        for found, _ in groups:
            d = found.deciles.iloc[k]
            hidden = bool(d["suppressed"])
            row += [format_value(d["areas"], "count"), fmt(indicator, d["value"], hidden),
                    _interval(indicator, d["lower95"], d["upper95"], hidden)]
        rows.append(row)
    last = ["Slope index of inequality"]
    for found, _ in groups:
        result = found.result
        low, high = (result.sii_limits[0.95] if result is not None else (np.nan, np.nan))
        last += [NOT_APPLICABLE, fmt(indicator, result.sii) if result is not None else MISSING,
                 _interval(indicator, low, high, False)]
    rows.append(last)
    return pd.DataFrame(rows, columns=columns)


def _interval(indicator: Indicator, lower: float, upper: float, hidden: bool) -> str:
    if hidden:
        return SUPPRESSED
    if not (np.isfinite(lower) and np.isfinite(upper)):
        return MISSING
    return f"{fmt(indicator, lower)} to {fmt(indicator, upper)}"


def inequality_inputs(bundle: Bundle, statistics: Statistics, indicator: Indicator, period: str,
                      cluster: str | None, options: ChartOptions) -> dict:
    """The county's deciles and the chosen cluster's (or only the county's without one, or a
    reason when the bundle has no IMD deciles)."""
    base = {"indicator": indicator, "period": period, "cluster_name": cluster}
    try:
        county = inequality(bundle, statistics, indicator.id, period, single=options.single)
        own = (inequality(bundle, statistics, indicator.id, period, cluster,
                          single=options.single) if cluster else None)
    except AtlasError as error:
        return {**base, "county": None, "cluster": None, "reason": str(error).rstrip(".")}
    return {**base, "county": county, "cluster": own}
