"""The PySide6 window: session state, workers, and one file per view or dialog."""
