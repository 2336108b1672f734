"""What the officer hands on: a cluster's profile as a Word document (document, with word's
python-docx helpers, figures' pictures and text's sentences) and the profile table as CSV, XLSX
and a clipboard copy (tables).

The top of the core's drawing layers: may import maps, charts, plotting, stats and the
foundation.
"""
