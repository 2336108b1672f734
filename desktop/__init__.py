"""Cluster Atlas: an offline atlas of school clusters for council research officers.

Three parts, each importing only the ones after it: gui (the PySide6 window) and cli (the
`cluster-atlas` command line) are both thin layers over core (the Qt-free bundle format,
statistics, maps, charts and reports). app starts the window and selftest checks a build;
docs/architecture.md shows how a bundle file becomes a painted map and a Word page.
"""

__version__ = "0.1.0"
APP_NAME = "Cluster Atlas"
