"""The `cluster-atlas` command line on top of the core: main puts the commands together;
bundle_commands (pack, inspect), export_commands (export-profile, export-chart),
table_commands (export-table) and audit_command (audit) each add theirs; common holds what they
share (the passphrase, progress, opening a bundle and its statistics, the comparison and
pooling options, exit codes). Never imports Qt.
"""
