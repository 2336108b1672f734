"""Charts of one indicator, drawn onto a given Axes so the screen and every export share them:
bars across clusters (bars, updated in place by bar_update), the trend over periods (trend), the
distribution of small-area values (distribution), their shared parts (common) and the numbers
behind each chart as a table (tables).

May import stats, plotting and the foundation, never maps or report.
"""
