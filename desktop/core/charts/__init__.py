"""Charts of one indicator, drawn onto a given Axes so the screen and every export share them:
bars across clusters (bars, updated in place by bar_update), the trend over periods (trend), the
distribution of small-area values (distribution), and the analysis charts: the funnel plot
(funnel), values by deprivation decile with the slope index of inequality (inequality), two
indicators against each other (scatter) and the similar clusters (neighbours), each with its
table and inputs; what a chart needs besides the indicator (options), their shared parts
(common) and the registry of every chart with the numbers behind it as a table (tables).

May import stats, plotting and the foundation, never maps or report.
"""
