"""Custom areas: a named set of small areas that is not a cluster (a ward, a locality, a
regeneration area, a project's postcodes), and the small CSV that shares one.

A custom area is its name and its area codes, nothing else: no value, count or postcode is
kept with it, in the settings or in its CSV, so it can be saved and sent to a colleague freely.
It is made from area codes (typed, pasted, loaded or picked on the map) or from postcodes, which
are turned into areas by one rule: **a small area is included when at least `min_share` of its
postcodes (those of the bundle's postcode table) are listed** (50% by default: most of it; 0
includes every area holding a listed postcode). The rule and what it did are reported, so the
officer sees which areas a list became.

Its statistics (desktop.core.stats.custom_stats) are a cluster's, from the same sums.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field

import pandas as pd

from desktop.core.errors import CustomAreaError
from desktop.core.model import COUNTY, Bundle
from desktop.core.postcodes import looks_like_postcode, normalise
from desktop.core.text import TEXT_LIMITS, clean

DEFAULT_MIN_SHARE = 0.5
CSV_COLUMNS = ("custom_area", "area_code")
NAME_LIMIT = TEXT_LIMITS["cluster"]
MAX_CSV_BYTES = 5 * 1024**2  # a custom-area file of every LSOA in England is about 1.5 MB
SPLIT = re.compile(r"[\n\r,;\t]+")


@dataclass(frozen=True)
class CustomArea:
    """A named set of small areas (codes in bundle order)."""

    name: str
    area_codes: tuple[str, ...]


@dataclass(frozen=True)
class Listed:
    """What a pasted or loaded list holds: area codes, postcodes (normalised) and the entries
    that are neither."""

    area_codes: tuple[str, ...] = ()
    postcodes: tuple[str, ...] = ()
    unknown: tuple[str, ...] = ()


@dataclass(frozen=True)
class Made:
    """The areas a list became, and the report of how."""

    area_codes: tuple[str, ...]
    report: list[str] = field(default_factory=list)


def check_name(name: str, bundle: Bundle, taken: tuple[str, ...] = ()) -> str:
    """A custom area's name, cleaned; CustomAreaError when blank, too long, or the name of a
    cluster, a small area or another custom area (`taken`)."""
    name = " ".join(clean(str(name)).split())
    if not name:
        raise CustomAreaError("Give the custom area a name.")
    if len(name) > NAME_LIMIT:
        raise CustomAreaError(f"A custom area's name may be at most {NAME_LIMIT} characters.")
    clusters = set(bundle.cluster_names) - set(bundle.custom_areas)
    if (name in clusters or name == COUNTY
            or name in set(bundle.areas["area_code"].astype(str))):
        raise CustomAreaError(f"{name} is already the name of a cluster or small area; "
                              "choose another name.")
    if name in taken:
        raise CustomAreaError(f"There is already a custom area called {name}.")
    return name


def read_list(text: str, bundle: Bundle) -> Listed:
    """Area codes and postcodes from pasted or loaded text: one per line, or separated by
    commas, semicolons or tabs (a spreadsheet column pastes as lines). A header such as
    "area_code" or "postcode" is skipped."""
    codes = set(bundle.areas["area_code"].astype(str))
    found, postcodes, unknown = [], [], []
    for piece in SPLIT.split(text):
        entry = " ".join(piece.split())
        if not entry or entry.lower() in ("area_code", "postcode", "lsoa", "custom_area"):
            continue
        words = entry.split()
        if entry in codes or entry.upper() in codes:
            found.append(entry if entry in codes else entry.upper())
        elif looks_like_postcode(entry):
            postcodes.append(entry)
        elif len(words) > 1 and all(w in codes for w in words):
            found.extend(words)
        else:
            unknown.append(entry)
    written = tuple(normalise(pd.Series(postcodes, dtype=object))) if postcodes else ()
    return Listed(tuple(dict.fromkeys(found)), tuple(dict.fromkeys(written)), tuple(unknown))


def areas_from_list(listed: Listed, bundle: Bundle,
                    min_share: float = DEFAULT_MIN_SHARE) -> Made:
    """The small areas a list makes (codes as listed; postcodes by the share rule), in bundle
    order, with a report; CustomAreaError when it makes none."""
    if not 0.0 <= min_share <= 1.0:
        raise CustomAreaError("The share of postcodes must be from 0% to 100%.")
    chosen = set(listed.area_codes)
    report = []
    if listed.area_codes:
        report.append(f"{len(listed.area_codes):,} small area codes listed.")
    if listed.postcodes:
        chosen |= _by_share(listed.postcodes, bundle, min_share, report)
    if listed.unknown:
        shown = ", ".join(listed.unknown[:5]) + (" …" if len(listed.unknown) > 5 else "")
        report.append(f"{len(listed.unknown):,} entries are neither a small area of this "
                      f"bundle nor a postcode and were left out: {shown}.")
    order = bundle.areas["area_code"].astype(str)
    codes = tuple(order[order.isin(chosen)])
    if not codes:
        raise CustomAreaError("The list makes no small area of this bundle. " + " ".join(report))
    report.append(f"The custom area is {len(codes):,} small areas.")
    return Made(codes, report)


def _by_share(postcodes: tuple[str, ...], bundle: Bundle, min_share: float,
              report: list[str]) -> set[str]:
    """Areas where at least `min_share` of the bundle's postcodes are listed (any listed
    postcode when 0)."""
    table = bundle.postcodes
    if table is None or table.empty:
        raise CustomAreaError("This bundle holds no postcode table (it was packed without "
                              "postcodes.csv), so postcodes cannot be turned into areas; "
                              "list small area codes instead.")
    listed = table["postcode"].isin(postcodes)
    missing = len(postcodes) - int(listed.sum())
    per_area = table.groupby("area_code")["postcode"].size()
    hits = table.loc[listed].groupby("area_code")["postcode"].size()
    share = (hits / per_area.reindex(hits.index)).fillna(0.0)
    passed = share[(share >= min_share) & (hits > 0)] if min_share > 0 else share[hits > 0]
    rule = (f"at least {min_share:.0%} of its postcodes listed" if min_share > 0
            else "any listed postcode")
    report.append(f"{int(listed.sum()):,} postcodes found in {len(hits):,} small areas; "
                  f"{len(passed):,} of them have {rule} and are included.")
    if missing:
        report.append(f"{missing:,} postcodes are not in this bundle's postcode table (outside "
                      f"{bundle.manifest.area_name}, or mistyped) and were left out.")
    return set(passed.index.astype(str))


def make_custom_area(name: str, text: str, bundle: Bundle,
                     min_share: float = DEFAULT_MIN_SHARE, taken: tuple[str, ...] = ()
                     ) -> tuple[CustomArea, list[str]]:
    """A custom area from a name and a pasted list, with the report of what the list made."""
    name = check_name(name, bundle, taken)
    made = areas_from_list(read_list(text, bundle), bundle, min_share)
    return CustomArea(name, made.area_codes), made.report


def to_csv(areas: list[CustomArea]) -> str:
    """custom_area,area_code: one row per small area of each custom area."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for area in areas:
        writer.writerows((area.name, code) for code in area.area_codes)
    return out.getvalue()


def from_csv(data: bytes, bundle: Bundle, default_name: str, *,
             min_share: float = DEFAULT_MIN_SHARE, taken: tuple[str, ...] = ()
             ) -> tuple[list[CustomArea], list[str]]:
    """Custom areas from a CSV: `custom_area` (optional: `default_name` when absent) and
    `area_code` or `postcode` columns (any case), or a single column of codes or postcodes
    without a header. Area codes not in this bundle are refused, naming them; postcodes follow
    the share rule."""
    if len(data) > MAX_CSV_BYTES:
        raise CustomAreaError(f"The file is {len(data) / 1024**2:.0f} MB; a custom-area file "
                              f"may be at most {MAX_CSV_BYTES // 1024**2} MB.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CustomAreaError("The file is not UTF-8 text; save it as CSV UTF-8.") from exc
    rows = [r for r in csv.reader(io.StringIO(text)) if any(c.strip() for c in r)]
    if not rows:
        raise CustomAreaError("The file is empty.")
    header = [c.strip().lower() for c in rows[0]]
    entry = next((c for c in ("area_code", "postcode") if c in header), None)
    if entry is None:
        groups = {default_name: "\n".join(r[0] for r in rows)}
    else:
        name_at, at = (header.index("custom_area") if "custom_area" in header else None,
                       header.index(entry))
        groups = {}
        for row in rows[1:]:
            name = row[name_at].strip() if name_at is not None and name_at < len(row) \
                else default_name
            groups.setdefault(name or default_name, []).append(row[at] if at < len(row) else "")
        groups = {k: "\n".join(v) for k, v in groups.items()}
    made, report, names = [], [], list(taken)
    for name, listed_text in groups.items():
        listed = read_list(listed_text, bundle)
        if entry == "area_code" and listed.unknown:
            raise CustomAreaError(
                f"{len(listed.unknown):,} codes of {name} are not small areas of this bundle "
                f"({', '.join(listed.unknown[:5])}): it may be for another area or geography.")
        area, lines = make_custom_area(name, listed_text, bundle, min_share, tuple(names))
        made.append(area)
        names.append(area.name)
        report += [f"{area.name}: {line}" for line in lines]
    return made, report
