"""The window's dialogs, one file each: About, Changes since, Help, New bundle and the
passphrase. They may use the session and the workers, never the main window or the views.
"""
