"""Building a bundle from a folder of inputs (docs/input-format.md): `build.pack`.

read parses CSV/XLSX cells as text and reports a bad cell with its file, row and column;
tables checks indicator metadata and values; geo reads boundaries, the area-to-cluster lookup
and schools; pupils aggregates pupil records to areas (no record enters a bundle) and flows.
Sits on top of bundle (it writes one) and the foundation; the statistics do not need it.
"""
