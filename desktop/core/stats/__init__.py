"""The statistics: everything computed from a bundle's numbers, as PHE/Fingertips does it.

intervals holds the confidence-interval formulas (Wilson, Byar, exact Poisson, t); meta the
indicator metadata as arrays; aggregate sums areas to clusters and the county and applies
suppression (suppression) and trends (trend) to give the read-only `table.Statistics`, whose
area rows area_stats computes on demand; what needs more than summed numerators and
denominators comes from estimates: means with an sd or se (means) and standardised rates from
age bands (dsr, isr, standardised). comparison says at which level and against what clusters
are judged, verdicts judges them (two_sample for the rest of the county, peer_benchmark for
a cluster's similar clusters, which neighbours finds); inequality and sii give the slope index
of inequality across IMD deciles, decile_disclosure keeps its decile counts from revealing a
hidden one; funnel gives funnel plot limits, correlation how two indicators go together;
pooling combines periods (Fingertips' pooled periods) through the same pipeline, with linked
keeping its suppression consistent with the single periods'; profile, changes, sparklines and
crossborder are the tables views and reports ask of it. Arrays and DataFrames in, immutable
results out; docs/methods.md gives every method and its source. Imports only the foundation
modules: no bundle reading, plotting or Qt.
"""
