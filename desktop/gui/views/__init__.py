"""The window's views, one file each (map_view holds MapView), with the widgets, models and
delegates they are made of. A view reads the session and writes to it through its setters; it
never imports another view (an import-linter contract in pyproject.toml checks it).
"""
