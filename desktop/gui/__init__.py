"""The PySide6 window: the session (the one mutable thing), workers, and the views and dialogs.

views/ holds one file per view (with the widgets and models only that view uses); dialogs/ one
file per dialog. Views never import each other: view_sync turns session changes into view
updates and view events into session setters, and main_window puts them together. The GUI
calls the core; the core never imports from here.
"""
