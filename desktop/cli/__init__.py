"""The `cluster-atlas` command line on top of the core: main puts the commands together;
bundle_commands (pack, inspect) and export_commands (export-profile, export-chart) each add
theirs; common holds the passphrase, progress and exit codes they share. Never imports Qt.
"""
