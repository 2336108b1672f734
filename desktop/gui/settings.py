"""Application settings over QSettings (INI), with one table of defaults and typed reads.

Only layout, preferences, recent file paths and custom areas (names and public area codes,
desktop.core.stats.custom_areas) are stored: never a passphrase, never a value from a bundle. Tests point the settings at a temporary file with `use_settings_file`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, QSettings

DEFAULTS: dict[str, Any] = {
    "recent_files": [],
    "idle_lock_minutes": 10,
    "classification": "quantiles",
    "classes": 5,
    "palette": "Blues",
    "map_level": "areas",
    "window/geometry": QByteArray(),
    "window/main_splitter": QByteArray(),
    "window/left_splitter": QByteArray(),
    "profile/hidden_columns": [],  # column names hidden by the officer's choice
    "profile/shown_columns": [],  # column names shown by choice even when names then scroll
    "export/width_cm": 16.0,
    "export/last_folder": "",
    # custom areas, one entry each: "bundle title<TAB>name<TAB>area codes separated by spaces"
    "custom_areas": [],
}
MAX_RECENT = 8

_settings_file: str | None = None


def use_settings_file(path: str | Path | None) -> None:
    """Store settings in `path` (an INI file) instead of the platform location."""
    global _settings_file
    _settings_file = str(path) if path is not None else None


def _qsettings() -> QSettings:
    if _settings_file is not None:
        return QSettings(_settings_file, QSettings.Format.IniFormat)
    return QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope,
                     "ClusterAtlas", "Cluster Atlas")


def settings_path() -> str:
    return _qsettings().fileName()


def get(key: str) -> Any:
    default = DEFAULTS[key]
    value = _qsettings().value(key, default)
    if isinstance(default, bool):
        return str(value).lower() in ("1", "true", "yes")
    if isinstance(default, int):
        try:
            return int(value)
        except (TypeError, ValueError):
            return default
    if isinstance(default, float):
        try:
            return float(value)
        except (TypeError, ValueError):
            return default
    if isinstance(default, list):
        if value in (None, ""):
            return []
        return [value] if isinstance(value, str) else [str(v) for v in value]
    if isinstance(default, QByteArray):
        return value if isinstance(value, QByteArray) else default
    return "" if value is None else str(value)


def set(key: str, value: Any) -> None:  # noqa: A001 - mirrors QSettings
    if key not in DEFAULTS:
        raise KeyError(key)
    s = _qsettings()
    s.setValue(key, value)
    s.sync()


def recent_files() -> list[str]:
    return get("recent_files")


def add_recent_file(path: str | Path) -> list[str]:
    path = str(Path(path).resolve())
    files = [path] + [f for f in recent_files() if f != path]
    set("recent_files", files[:MAX_RECENT])
    return files[:MAX_RECENT]


def remove_recent_file(path: str | Path) -> None:
    set("recent_files", [f for f in recent_files() if f != str(path)])


def custom_areas_for(bundle_title: str) -> list[tuple[str, tuple[str, ...]]]:
    """The custom areas saved for bundles of this title: (name, area codes)."""
    out = []
    for entry in get("custom_areas"):
        title, _, rest = entry.partition("\t")
        name, _, codes = rest.partition("\t")
        if title == bundle_title and name and codes:
            out.append((name, tuple(codes.split())))
    return out


def save_custom_areas(bundle_title: str, areas: list[tuple[str, tuple[str, ...]]]) -> None:
    """Keep these custom areas for bundles of this title (replacing the ones saved before)."""
    kept = [e for e in get("custom_areas") if e.partition("\t")[0] != bundle_title]
    set("custom_areas", kept + [f"{bundle_title}\t{name}\t{' '.join(codes)}"
                                for name, codes in areas])
