"""The window's dialogs, one file each: About, Changes since, New bundle and the passphrase.
They may use the session and the workers, never the main window or the views.
"""
