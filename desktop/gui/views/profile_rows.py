"""The cells of one profile row: texts, tooltips, sort keys and spine data, computed once.

Kept apart from the item model so the model only looks things up. Numbers are written by
desktop.core.format (the same function as every export), so "[c]", "[x]" and "[z]" mean the same
here as in every table exported.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from PySide6.QtGui import QColor

from desktop.core.format import format_interval, format_value
from desktop.core.model import NOT_AVAILABLE, SUPPRESSED, SYNTHETIC_LABEL, Polarity
from desktop.gui import colours

COLUMNS = ("Indicator", "Period", "Count", "Value", "95% CI", "County", "Lowest", "Highest",
           "Significance", "Trend", "Spine", "Over time")
(COL_TITLE, COL_PERIOD, COL_COUNT, COL_VALUE, COL_CI, COL_COUNTY, COL_LOWEST, COL_HIGHEST,
 COL_SIGNIFICANCE, COL_TREND, COL_SPINE, COL_SPARKLINE) = range(len(COLUMNS))
NUMERIC_COLUMNS = frozenset({COL_COUNT, COL_VALUE, COL_CI, COL_COUNTY, COL_LOWEST, COL_HIGHEST})
SYNTHETIC_MARK = "†"
SUPPRESSION_TIP = (f"{SUPPRESSED} Confidential: the count is small (at or below the disclosure "
                   "threshold), or would let a small count be worked out, so it and the values "
                   "derived from it are not shown, to protect the people counted.")
HEADER_TIPS = {
    COL_COUNT: "Numerator for the cluster (the number of children or events)",
    COL_VALUE: "The cluster's value",
    COL_CI: "95% confidence interval of the cluster's value",
    COL_COUNTY: "The county's value, the benchmark",
    COL_LOWEST: "Lowest value among all clusters",
    COL_HIGHEST: "Highest value among all clusters",
    COL_SIGNIFICANCE: ("The cluster against the county, or the rest of the county, at the "
                       "confidence level chosen in the toolbar (Significance)"),
    COL_TREND: "Recent trend over the five most recent valid periods, as Fingertips",
    COL_SPINE: ("Spine chart: the cluster (dot) against the range of all clusters (grey bar), "
                "county at the centre line; worse or lower to the left, better or higher to "
                "the right"),
    COL_SPARKLINE: "The cluster's value over every period, oldest on the left (gaps: "
                   "suppressed or missing)",
}
BASIS_TIPS = {
    "residence": "Basis: where pupils live (each pupil counted in their home area)",
    "school": "Basis: where pupils go to school (each pupil counted where their school stands)",
}
_SIGNIFICANCE_TIPS = {
    "better": "Significantly better than the county",
    "similar": "Not significantly different from the county",
    "worse": "Significantly worse than the county",
    "higher": "Significantly higher than the county (neither better nor worse)",
    "lower": "Significantly lower than the county (neither better nor worse)",
    "not compared": "Not compared: no confidence interval, a suppressed count or no county value",
}


@dataclass(frozen=True)
class SpineData:
    """What the spine delegate draws for one indicator; `reverse` puts high values on the left."""

    value: float
    county: float
    lowest: float
    highest: float
    colour: QColor
    reverse: bool

    def half_width(self) -> float:
        """Half the scale: the widest deviation from the county, so every mark fits."""
        spread = [abs(v - self.county) for v in (self.value, self.lowest, self.highest)
                  if math.isfinite(v)]
        widest = max(spread, default=0.0)
        return widest if widest > 0 else 1.0

    def position(self, v: float) -> float:
        """`v` on a -1 (left) to 1 (right) scale, county at 0."""
        x = (v - self.county) / self.half_width()
        return -x if self.reverse else x


@dataclass(frozen=True)
class ProfileRow:
    indicator_id: str
    theme: str
    texts: tuple[str, ...]
    tips: tuple[str, ...]
    keys: tuple[object, ...]
    significance: str
    haystack: str
    spine: SpineData | None
    sparkline: tuple[float, ...] | None = None  # values over the periods, oldest first


def _num(v: object) -> float:
    try:
        f = float(v)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return math.nan
    return f


def _spine_words(spine: SpineData | None, fmt) -> str:
    """The spine chart in words, for its tooltip and for assistive technology."""
    if spine is None:
        return "No spine chart: a count, a suppressed value or no county value."
    return (f"Spine chart: the cluster {fmt(spine.value)} against the clusters' range from "
            f"{fmt(spine.lowest)} to {fmt(spine.highest)}, the county {fmt(spine.county)}.")


def _sparkline_words(values, fmt) -> str:
    """The cluster's values over time in words (the "Over time" cell's little line)."""
    values = [] if values is None else [float(v) for v in values]
    shown = [v for v in values if math.isfinite(v)]
    if not shown:
        return "Over time: no value shown in any period."
    gaps = len(values) - len(shown)
    hidden = f"; {gaps} {'period' if gaps == 1 else 'periods'} suppressed or missing" \
        if gaps else ""
    return (f"Over time: {len(values)} periods, from {fmt(shown[0])} in the first shown to "
            f"{fmt(shown[-1])} in the last{hidden}.")


def build_row(rec: dict) -> ProfileRow:
    """Texts, tooltips and sort keys of one profile row."""
    vtype, unit = str(rec["value_type"]), str(rec["unit"] or "")
    suppressed = bool(rec["suppressed"])
    value, lo, hi = _num(rec["value"]), _num(rec["lower95"]), _num(rec["upper95"])
    county, c_lo, c_hi = (_num(rec["county_value"]), _num(rec["county_lower95"]),
                          _num(rec["county_upper95"]))
    lowest, highest, count = _num(rec["lowest"]), _num(rec["highest"]), _num(rec["count"])

    def fmt(v: float, hidden: bool = False) -> str:
        return format_value(v, vtype, unit, hidden)

    def interval(a: float, b: float, hidden: bool) -> str:
        return format_interval(a, b, vtype, hidden)

    sig = colours.normalise_significance(rec["significance"])
    trend = str(rec["trend"])
    title = str(rec["title"])
    synthetic = bool(rec["synthetic"])
    unit_note = f" ({unit})" if unit else ""
    title_tip = f"{title}{unit_note}\n{rec['indicator_id']} · {rec['theme']}"
    if synthetic:
        title_tip += f"\n{SYNTHETIC_MARK} {SYNTHETIC_LABEL}"
    basis_tip = BASIS_TIPS.get(str(rec.get("basis") or ""), "")
    period_tip = f"{rec['period']}\n{basis_tip}" if basis_tip else str(rec["period"])
    if basis_tip:
        title_tip += f"\n{basis_tip}"
    denominator = _num(rec["denominator"])
    count_tip = format_value(count, "count", "", False)
    if suppressed:
        count_tip = SUPPRESSION_TIP
    elif math.isfinite(count) and math.isfinite(denominator):
        count_tip += f" of {format_value(denominator, 'count', '', False)}"
    value_tip = (SUPPRESSION_TIP if suppressed else f"{fmt(value)}{unit_note}"
                 + (f"\nCount: {count_tip}" if math.isfinite(count) else ""))
    county_tip = f"County {fmt(county)}{unit_note}, 95% CI {interval(c_lo, c_hi, False)}"
    reverse = str(rec["polarity"]) == Polarity.HIGHER_IS_WORSE.value
    spine = None
    # A cluster's count against the county's total is no comparison: counts get no spine.
    if (not suppressed and vtype != "count" and math.isfinite(value)
            and math.isfinite(county)):
        spine = SpineData(value, county, lowest, highest, colours.significance_colour(sig),
                          reverse)
    texts = (
        f"{title} {SYNTHETIC_MARK}" if synthetic else title,
        str(rec["period"]),
        format_value(count, "count", "", suppressed),
        fmt(value, suppressed),
        interval(lo, hi, suppressed),
        fmt(county),
        fmt(lowest),
        fmt(highest),
        rec.get("significance_label") or colours.significance_word(sig),
        colours.TREND_SYMBOLS.get(trend, NOT_AVAILABLE),
        "",
        "",
    )
    tips = (
        title_tip, period_tip, count_tip, value_tip,
        SUPPRESSION_TIP if suppressed else "95% confidence interval",
        county_tip,
        f"Lowest cluster: {rec['lowest_cluster']} ({fmt(lowest)})",
        f"Highest cluster: {rec['highest_cluster']} ({fmt(highest)})",
        rec.get("significance_tip") or _SIGNIFICANCE_TIPS[sig],
        f"Trend: {rec.get('trend_label') or trend}",
        _spine_words(spine, fmt),
        _sparkline_words(rec.get("sparkline"), fmt),
    )
    spine_key = spine.position(value) if spine else math.nan
    keys = (title.casefold(), str(rec["period"]), count, value, lo, county, lowest, highest,
            float(colours.SIGNIFICANCE_RANK[sig]), trend, spine_key, trend)
    haystack = f"{title}\n{rec['indicator_id']}\n{rec['theme']}".casefold()
    line = rec.get("sparkline")
    sparkline = tuple(float(v) for v in line) if line is not None else None
    return ProfileRow(str(rec["indicator_id"]), str(rec["theme"]), texts, tips, keys, sig, haystack,
                spine, sparkline)
