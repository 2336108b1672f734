"""The statistics: everything computed from a bundle's numbers, as PHE/Fingertips does it.

intervals holds the confidence-interval formulas (Wilson, Byar, exact Poisson, t); meta the
indicator metadata as arrays; aggregate sums areas to clusters and the county and applies
suppression (suppression) and trends (trend) to give the read-only `table.Statistics`, whose
area rows area_stats computes on demand; pooling combines periods (Fingertips' pooled
periods) through the same pipeline, with linked keeping its suppression consistent with the
single periods'; profile, changes, sparklines and crossborder are the tables views and
reports ask of it. Arrays and DataFrames in, immutable results out. Imports
only the foundation modules: no bundle reading, plotting or Qt.
"""
