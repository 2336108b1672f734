"""Launch Cluster Atlas: `python main.py [BUNDLE]` (the demo bundle when none is given).

Guarded, and freeze_support first: key derivation runs in a child process started with
"spawn" (desktop.core.bundle.age_process), which imports this file again (it must not open a
second window) or, in the PyInstaller build, runs this executable again (freeze_support then
runs the child's work instead of the app).
"""

if __name__ == "__main__":
    import multiprocessing

    multiprocessing.freeze_support()
    from desktop.app import main

    raise SystemExit(main())
