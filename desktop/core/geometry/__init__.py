"""Area shapes as they are drawn: the coverage-preserving simplification of the screen map.

The lowest layer of the core beside the foundation modules: the bundle format stores the
simplified shapes of large maps and the maps draw them, so both import from here. Imports only
the foundation (model) and shapely/geopandas.
"""
