"""manifest.json of a bundle: to and from plain JSON (see docs/bundle-format.md).

Kept apart from the table code so the format's one piece of metadata can be read, written and
tested on its own. Unknown keys are ignored so that older readers accept additive changes; a
change an older reader must not ignore raises the format version the writer puts in.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Mapping
from typing import Any

from desktop.core import model
from desktop.core.errors import BundleContentError, NewerFormat, NotABundle
from desktop.core.model import Indicator, Manifest, Polarity, ValueType
from desktop.core.text import clean

MANIFEST_FILE = "manifest.json"
MAX_WHOLE = 10**9  # thresholds are small counts; larger ones are hostile or mistaken
_TEXT_KEYS = ("created", "producer", "geography_vintage", "attribution", "licence", "description",
              "contact")


# What a format 1 reader does not know: a bundle that uses it is format 2, so an older Cluster
# Atlas says "please update" instead of failing on it (value types) or ignoring it (the
# complement rule, which would show counts it must hide).
FORMAT_2_TYPES = frozenset({ValueType.DSR, ValueType.ISR})


def format_version_for(manifest: Manifest) -> int:
    """The oldest format version that says everything the manifest asks for: 1, or 2 when an
    indicator is a standardised rate or ratio or uses the complement rule."""
    if any(ValueType(i.value_type) in FORMAT_2_TYPES or i.disclosure_complement
           for i in manifest.indicators):
        return 2
    return 1


def manifest_to_dict(manifest: Manifest, tables: Mapping[str, str]) -> dict[str, Any]:
    """The JSON object written as manifest.json; `tables` maps table name to file name."""
    return {
        "format": model.FORMAT_NAME,
        "format_version": format_version_for(manifest),
        "title": manifest.title,
        "area_name": manifest.area_name,
        "created": manifest.created,
        "producer": manifest.producer,
        "geography_vintage": manifest.geography_vintage,
        "crs": model.BUNDLE_CRS,
        "attribution": manifest.attribution,
        "licence": manifest.licence,
        "disclosure_threshold": int(manifest.disclosure_threshold),
        "description": manifest.description,
        "contact": manifest.contact,
        "deprivation_indicator": manifest.deprivation_indicator,
        **({"similar_clusters": {"indicators": list(manifest.similar_indicators),
                                 "count": int(manifest.similar_count)}}
           if manifest.similar_indicators else {}),
        "indicators": [_indicator_to_dict(ind) for ind in manifest.indicators],
        "tables": dict(tables),
    }


def _indicator_to_dict(ind: Indicator) -> dict[str, Any]:
    return {
        "id": ind.id,
        "title": ind.title,
        "theme": ind.theme,
        "value_type": ValueType(ind.value_type).value,
        "polarity": Polarity(ind.polarity).value,
        "multiplier": float(ind.multiplier),
        "unit": ind.unit,
        "definition": ind.definition,
        "source": ind.source,
        "synthetic": bool(ind.synthetic),
        "disclosure_threshold": (None if ind.disclosure_threshold is None
                                 else int(ind.disclosure_threshold)),
        **({"disclosure_complement": True} if ind.disclosure_complement else {}),
        "periods": list(ind.periods),
        "basis": ind.basis,
        "basis_of": ind.basis_of,
    }


def encode_manifest(manifest: Manifest, tables: Mapping[str, str]) -> bytes:
    return json.dumps(manifest_to_dict(manifest, tables), ensure_ascii=False,
                      indent=2).encode("utf-8")


def decode_manifest(data: bytes, name: str) -> tuple[Manifest, dict[str, Any]]:
    """Parse manifest.json bytes into a Manifest and the raw JSON object.

    Raises NotABundle when it is not our format, NewerFormat for a newer format version and
    BundleContentError for a malformed manifest; `name` is the bundle's file name for messages.
    """
    try:
        raw = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise BundleContentError(f"{name}: manifest.json is not valid UTF-8 JSON ({exc}).") from exc
    except RecursionError:  # a hostile manifest nested thousands of levels deep
        raise BundleContentError(f"{name}: manifest.json is nested too deeply to be a "
                                 "manifest.") from None
    if not isinstance(raw, dict) or raw.get("format") != model.FORMAT_NAME:
        raise NotABundle(f"{name} is not a Cluster Atlas bundle: its manifest.json does not say "
                         f'"format": "{model.FORMAT_NAME}".')
    version = raw.get("format_version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise BundleContentError(f"{name}: manifest.json has no valid format_version "
                                 f"(found {version!r}; expected a whole number such as 1).")
    if version > model.FORMAT_VERSION:
        raise NewerFormat(f"{name} was made by a newer version of Cluster Atlas (format "
                          f"{version}); this version reads formats up to {model.FORMAT_VERSION}. "
                          "Please update Cluster Atlas.")
    where = f"{name}: manifest.json"
    indicators = raw.get("indicators")
    if not isinstance(indicators, list):
        raise BundleContentError(f'{where} has no "indicators" list.')
    parsed = tuple(_indicator_from_dict(item, i, where) for i, item in enumerate(indicators))
    duplicates = sorted(i for i, n in Counter(ind.id for ind in parsed).items() if n > 1)
    if duplicates:
        raise BundleContentError(f"{where} lists indicator ids more than once: "
                                 f"{', '.join(duplicates)}.")
    threshold = raw.get("disclosure_threshold", model.DEFAULT_DISCLOSURE_THRESHOLD)
    manifest = Manifest(
        title=_text(raw, "title", where, required=True),
        area_name=_text(raw, "area_name", where, required=True),
        indicators=parsed,
        disclosure_threshold=_whole(threshold, "disclosure_threshold", where),
        crs=model.BUNDLE_CRS,
        format_version=version,
        deprivation_indicator=_text(raw, "deprivation_indicator", where) or None,
        **_similar(raw, where),
        **{key: _text(raw, key, where) for key in _TEXT_KEYS},
    )
    return manifest, raw


def _similar(raw: Mapping[str, Any], where: str) -> dict[str, Any]:
    """similar_indicators and similar_count from the optional "similar_clusters" object."""
    similar = raw.get("similar_clusters")
    if similar is None:
        return {}
    indicators = similar.get("indicators") if isinstance(similar, dict) else None
    if not isinstance(indicators, list) or not all(isinstance(i, str) for i in indicators):
        raise BundleContentError(f'{where}: "similar_clusters" must hold a list of indicator '
                                 'ids as "indicators".')
    return {"similar_indicators": tuple(clean(i) for i in indicators),
            "similar_count": _whole(similar.get("count", 0), "similar_clusters.count", where)}


def _indicator_from_dict(item: Any, index: int, where: str) -> Indicator:
    if not isinstance(item, dict):
        raise BundleContentError(f"{where}: indicator {index + 1} is not a JSON object.")
    label = f"{where}: indicator {item.get('id', index + 1)!s}"
    periods = item.get("periods", [])
    if not isinstance(periods, list) or not all(isinstance(p, str) for p in periods):
        raise BundleContentError(f'{label}: "periods" must be a list of text labels.')
    threshold = item.get("disclosure_threshold")
    multiplier = item.get("multiplier", 1.0)
    if (isinstance(multiplier, bool) or not isinstance(multiplier, int | float)
            or not math.isfinite(multiplier) or multiplier <= 0):
        raise BundleContentError(f'{label}: "multiplier" must be a number above 0.')
    return Indicator(
        id=_text(item, "id", label, required=True),
        title=_text(item, "title", label, required=True),
        theme=_text(item, "theme", label, required=True),
        value_type=_enum(ValueType, item.get("value_type"), "value_type", label),
        polarity=_enum(Polarity, item.get("polarity", Polarity.NO_JUDGEMENT.value), "polarity",
                       label),
        multiplier=float(multiplier),
        unit=_text(item, "unit", label),
        definition=_text(item, "definition", label),
        source=_text(item, "source", label),
        synthetic=bool(item.get("synthetic", False)),
        disclosure_threshold=(None if threshold is None
                              else _whole(threshold, "disclosure_threshold", label)),
        disclosure_complement=_boolean(item, "disclosure_complement", label),
        periods=tuple(clean(p) for p in periods),
        basis=_basis(item, label),
        basis_of=_text(item, "basis_of", label),
    )


def _boolean(item: Mapping[str, Any], key: str, label: str) -> bool:
    value = item.get(key, False)
    if not isinstance(value, bool):
        raise BundleContentError(f'{label}: "{key}" must be true or false (found '
                                 f"{str(value)[:20]}).")
    return value


def _basis(item: Mapping[str, Any], label: str) -> str:
    """The indicator's basis: "" (absent, as in older bundles), "residence" or "school"."""
    basis = _text(item, "basis", label)
    if basis and basis not in model.BASES:
        raise BundleContentError(f'{label}: "basis" is {basis!r}; expected one of '
                                 f'{", ".join(model.BASES)} (or leave it out).')
    return basis


def _text(raw: Mapping[str, Any], key: str, where: str, required: bool = False) -> str:
    value = raw.get(key)
    if value is None and not required:
        return ""
    if not isinstance(value, str) or (required and not value):
        raise BundleContentError(f'{where}: "{key}" must be {"non-empty " if required else ""}'
                                 f"text (found {clean(repr(value))[:80]}).")
    return clean(value)


def _whole(value: Any, key: str, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_WHOLE:
        raise BundleContentError(f'{where}: "{key}" must be a whole number from 0 to '
                                 f"{MAX_WHOLE:,} (found {str(value)[:20]}).")
    return value


def _enum(enum: type, value: Any, key: str, where: str):
    try:
        return enum(value)
    except ValueError:
        allowed = ", ".join(member.value for member in enum)
        raise BundleContentError(f'{where}: "{key}" is {value!r}; expected one of {allowed}.') \
            from None
