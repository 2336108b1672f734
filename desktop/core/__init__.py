"""The Qt-free core: everything the window, the command line and the tests share.

Subpackages, from the bottom layer up (pyproject.toml's import-linter contracts enforce it):
geometry (shapes), bundle (the encrypted file format), pack (input folder to bundle), stats
(intervals, aggregation, suppression, significance, trends, profiles), plotting (the shared
chart style, palettes and figure texts), maps and charts (drawn onto a given Axes), report (Word,
CSV, XLSX and clipboard tables) and workspace (an opened bundle with its statistics). The
modules at this level (model, errors, format, tasks, atomic, resources, bigarrays) are the
foundation every layer may import; they import no subpackage. Nothing here imports PySide6:
the core must run on a machine without a display. docs/architecture.md draws the whole.
"""
