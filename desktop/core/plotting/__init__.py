"""One look for every figure: the shared matplotlib style (style), colour-blind-safe palettes
(palettes) and figure titles, subtitles and notes (annotate).

Below maps and charts, which both draw with it; imports only the foundation modules and
matplotlib (never pyplot).
"""
