"""Screenshots of the real window on the demo bundle, for the README.

Run under Xvfb with the screen of a council laptop, 1366x768; the window fits itself to the
screen as it does on first use:
    xvfb-run -a -s "-screen 0 1366x768x24" .venv/bin/python docs/make_screenshots.py
Writes docs/screenshots/*.png.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import QEventLoop, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from desktop.gui import settings  # noqa: E402

OUT = ROOT / "docs" / "screenshots"


def wait(ms: int) -> None:
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def main() -> int:
    settings.use_settings_file(OUT / ".screenshot-settings.ini")
    app = QApplication.instance() or QApplication(sys.argv[:1])
    # after the application exists: the tests' conftest makes Qt default to offscreen
    sys.path.insert(0, str(ROOT / "tests"))
    from conftest import DEMO_PASSPHRASE  # the published demo passphrase
    from desktop.gui.main_window import MainWindow

    window = MainWindow()  # fitted to the screen: maximised on a 1366x768 one
    window.show()
    window.opener.ask_passphrase = lambda *args: DEMO_PASSPHRASE
    window.open_bundle(ROOT / "data" / "worcestershire-demo.atlas")
    while not window.session.is_open:
        wait(200)
    s = window.session
    s.set_cluster("Redditch" if "Redditch" in s.bundle.cluster_names else s.bundle.cluster_names[0])
    neet = next((i.id for i in s.bundle.manifest.indicators if "neet" in i.id.lower()), s.indicator_id)
    s.set_indicator(neet)
    wait(800)
    window.grab().save(str(OUT / "main-window.png"))
    for tab, name, ms in ((window.issues_view, "potential-issues", 400),
                          (window.compare_view, "compare-clusters", 400),
                          (window.crossborder_view, "cross-border", 600)):
        window.tabs.setCurrentWidget(tab)
        wait(ms)
        window.grab().save(str(OUT / f"{name}.png"))
    window.tabs.setCurrentWidget(window.profile_view)
    s.set_classification(scheme="significance")
    wait(400)
    window.grab().save(str(OUT / "significance-map.png"))
    window.close()
    (OUT / ".screenshot-settings.ini").unlink(missing_ok=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
