"""Disclosure control that survives an attack: what published tables reveal, and the audit.

`publication` writes what a set of tables tells a reader as linear constraints on whole counts
(shown and hidden cells, sums, rounded percentages, bounds); `audit` solves the attacker's
problem for every hidden cell with HiGHS (scipy's `milp`) and says which cells an attacker could
pin or narrow; `certify` proves cells protected without the solver from other tables that print
the same, with moves `flows` finds as maximum flows where every hidden cell is in two sums;
`rule` is the protection rule they check; `protect` hides more cells of a table until
its audit passes.

It sits below the statistics in the core's layers (pyproject.toml): it knows nothing of
indicators, clusters or bundles, only of cells and relations, so the statistics can use it for
secondary suppression (the cross-border tables) and for checking every table they publish,
while the vectorised area -> cluster -> county suppression stays in desktop.core.stats.
Imports only numpy, scipy and the core's foundation modules.
"""
