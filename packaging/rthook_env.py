"""PyInstaller runtime hook: run before the app's own code in the frozen build.

Points every cache a library would write to at a folder of Cluster Atlas's own, so nothing
lands inside the application folder (which may be read-only on a council laptop), no user's
personal matplotlib configuration changes how exports look, and nothing is ever fetched:
- matplotlib keeps only its font list in MPLCONFIGDIR (no bundle data ever goes there). It is
  kept per user so the list is built once, not on every start (PyInstaller's own hook would use
  a fresh temporary folder each time, which costs a second or two at every launch);
- PROJ may cache downloaded grids: network access is switched off and its writable folder is
  the same cache;
- Python writes no bytecode next to the frozen modules.
"""

import os
import sys
import tempfile


def _cache_root() -> str:
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA") or os.path.join(os.path.expanduser("~"), "AppData",
                                                               "Local")
        return os.path.join(base, "ClusterAtlas", "cache")
    if sys.platform == "darwin":
        return os.path.join(os.path.expanduser("~"), "Library", "Caches", "ClusterAtlas")
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "ClusterAtlas")


def _writable_dir(path: str) -> str | None:
    try:
        os.makedirs(path, exist_ok=True)
        probe = tempfile.NamedTemporaryFile(dir=path, prefix=".probe-")
        probe.close()
        return path
    except OSError:
        return None


def _configure() -> None:
    cache = _writable_dir(_cache_root()) or tempfile.mkdtemp(prefix="cluster-atlas-cache-")
    mpl = _writable_dir(os.path.join(cache, "matplotlib")) or tempfile.mkdtemp(prefix="mpl-")
    os.environ["MPLCONFIGDIR"] = mpl
    os.environ["PROJ_NETWORK"] = "OFF"
    os.environ["PROJ_USER_WRITABLE_DIRECTORY"] = os.path.join(cache, "proj")
    os.environ["PYTHONDONTWRITEBYTECODE"] = "1"
    sys.dont_write_bytecode = True


_configure()
