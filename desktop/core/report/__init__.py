"""What the officer hands on: a cluster's profile as a Word document (document, with its tables
in profile_tables, word's python-docx helpers and column_widths, figures' pictures and text's
sentences; batch makes every cluster's profile with a helper process), the profile table as
CSV, XLSX (xlsx: made in memory) and a clipboard copy (tables), and the statistics as a
machine-readable table (data_table).

The top of the core's drawing layers: may import maps, charts, plotting, stats and the
foundation.
"""
