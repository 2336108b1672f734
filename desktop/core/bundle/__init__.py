"""The bundle file format (docs/bundle-format.md): an age-encrypted ZIP of manifest.json and
Parquet/GeoParquet tables, read and written in memory only.

encrypted reads and writes the one file (age passphrase mode through pyrage, atomic writes),
archive the ZIP inside it (members: its members read as from a hostile archive), manifest the
JSON metadata, tables and columns each table to and from Parquet with the promised column
types, schema the tables' schemas and the checks every table must pass; summary what `inspect`
shows, read with Arrow and the same checks, without pandas; throttle slows repeated wrong
passphrases. May
import the foundation modules and geometry; never stats, maps, charts, report or pack.
"""
