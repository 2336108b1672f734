"""Generator of the Worcestershire demo bundle's input folder (see data/README.md).

Real open data is read from data/sources/; everything synthetic is drawn from one seeded
numpy generator so that two runs write identical files.
"""

SEED = 2008
