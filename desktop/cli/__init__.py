"""The `cluster-atlas` command line on top of the core: main puts the commands together;
bundle_commands (pack, inspect), export_commands (export-profile, export-chart) and
audit_command (audit) each add theirs; common holds the passphrase, progress and exit codes
they share. Never imports Qt.
"""
