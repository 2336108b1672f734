"""The Qt-free core: bundle format, data model, statistics, classification, plotting, export.

Nothing below this package may import PySide6: the core is what the command line, the tests
and the window all share, and it must run on a machine without a display.
"""
