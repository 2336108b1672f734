"""The map: classification of area values (classify), class colours (colours), what one
indicator shows (choropleth), drawing onto a given Axes (mapplot), the area-id raster of
England-scale maps (raster), the exported map figure (export) and the cross-border flow map.

Draws the results of stats with plotting's style; may import geometry, stats, plotting and the
foundation, never charts or report (they sit beside and above it).
"""
