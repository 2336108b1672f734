"""The window on a council laptop's screen: 1366x768, and 1920x1080 at 150% (1280x720);
and with the system's text at 200% (an officer with low vision) on 1920x1080 and 1366x768.

Each screen runs the real window on the demo bundle in a process of its own
(tests/gui/window_probe.py), since a Qt application picks its screen when it starts: the
offscreen platform is given a screen of the size (its `configfile` option), and
QT_SCALE_FACTOR the scaling. Text at 200% is a doubled application font, as Windows' Text
size setting gives it to Qt (window_probe.scale_text). The shortcut test needs a real X server
(Xvfb), where a text box claims Ctrl+E and Ctrl+K as a Linux desktop's does.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tests.conftest import ROOT

SCREENS = {  # name: (width, height, QT_SCALE_FACTOR)
    "1366x768": (1366, 768, "1"),
    "1920x1080 at 150%": (1920, 1080, "1.5"),
}
TITLE_CHARS = 30
PROBE_TIMEOUT = 300


def run_probe(scenario: str, env: dict[str, str], prefix: tuple[str, ...] = (),
              args: tuple[str, ...] = ()) -> dict:
    done = subprocess.run([*prefix, sys.executable, "-m", "tests.gui.window_probe", scenario,
                           *args],
                          cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT), **env},
                          capture_output=True, text=True, timeout=PROBE_TIMEOUT)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def offscreen(width: int, height: int, tmp_path_factory) -> str:
    """QT_QPA_PLATFORM for an offscreen screen of this size (96 dpi)."""
    config = tmp_path_factory.mktemp("screen") / "screen.json"
    config.write_text(json.dumps({"windowFrameMargins": False, "screens": [
        {"name": "laptop", "x": 0, "y": 0, "width": width, "height": height,
         "logicalDpi": 96, "logicalBaseDpi": 96}]}))
    return f"offscreen:configfile={config}"


@pytest.fixture(scope="module", params=list(SCREENS))
def seen(request, tmp_path_factory) -> dict:
    width, height, scale = SCREENS[request.param]
    return run_probe("layout", {"QT_QPA_PLATFORM": offscreen(width, height, tmp_path_factory),
                                "QT_SCALE_FACTOR": scale})


def test_the_first_window_fills_the_screen_and_no_more(seen):
    width, height = seen["screen"][2:]
    assert width <= 1366 and height <= 768  # the logical size: 1280x720 at 150%
    assert seen["fits"] and seen["maximised"]
    assert seen["frame"] == seen["screen"]
    assert seen["minimum"][0] <= width and seen["minimum"][1] <= height


def test_every_toolbar_control_is_in_view_without_an_overflow_menu(seen):
    bar = seen["toolbar"]
    assert bar["qtoolbars"] == 0  # no QToolBar, so no ">>" extension to hide behind
    names = [c["name"] for c in bar["controls"]]
    assert {"Cluster", "Indicator", "Period", "Step through the periods", "Basis",
            "Classification", "Number of classes", "Palette"} <= set(names)
    assert all(c["visible"] and c["inside"] for c in bar["controls"]), bar["controls"]
    assert bar["rows"] <= 3  # wrapped, at the cost of a row's height at most


def test_hovering_the_map_moves_or_resizes_nothing(seen):
    assert len(seen["hover"]["longest_readout"]) > 40  # long texts were shown
    assert seen["hover"]["changed"] == []


def test_the_indicator_names_show_at_least_30_characters(seen):
    profile = seen["profile"]
    assert profile["fewest_characters"] > 0 and profile["cut_short"] == []
    assert {"Lowest", "Highest"} <= set(profile["hidden"])  # gave way to the names
    assert not profile["scrolls_sideways"]


def test_the_bar_chart_names_every_cluster_apart(seen):
    bars = seen["bars"]
    assert bars["names"] == bars["clusters"] and len(bars["names"]) == 12
    assert bars["overlaps"] == 0 and bars["font_sizes"] == [8.0]


def test_zoom_to_cluster_shows_the_whole_cluster(seen):
    assert seen["zoom"] and all(v == 0.0 for v in seen["zoom"].values()), seen["zoom"]


def test_window_commands_work_while_typing_in_the_search_box():
    """With the cursor in the search box, Ctrl+E exports the chart (the box took it for "end
    of line") and Ctrl+K zooms to the cluster (the box took it for "delete to the end"): the
    text and the cursor stay as they were."""
    done = run_probe("shortcuts", {"QT_QPA_PLATFORM": "xcb"},
                     ("xvfb-run", "-a", "-s", "-screen 0 1366x768x24"))
    assert done["platform"] == "xcb" and done["focus_in_search"]
    assert done["export_asked"] == ["Export chart"]
    assert done["zoomed"]
    assert done["search_text"] == "admissions" and done["cursor"] == 3


# --- text at 200% -----------------------------------------------------------------------------
TEXT_SCREENS = {  # name: (width, height, text scale)
    "1920x1080, text at 200%": (1920, 1080, 2),
    "1366x768, text at 200%": (1366, 768, 2),
    "1366x768, text at 100%": (1366, 768, 1),
}
DIALOGS = {"passphrase", "custom area", "about"}


@pytest.fixture(scope="module", params=list(TEXT_SCREENS))
def texts(request, tmp_path_factory) -> dict:
    width, height, scale = TEXT_SCREENS[request.param]
    seen = run_probe("text_fit", {"QT_QPA_PLATFORM": offscreen(width, height, tmp_path_factory),
                                  "QT_SCALE_FACTOR": "1"}, args=(str(scale),))
    seen["asked"] = (width, height, scale)
    return seen


def test_no_text_is_cut_in_the_window_or_its_dialogs(texts):
    """Every label, button, combo box, line edit, tab, header section, menu title and the
    status line, on every tab and chart, shows its whole text; a text cut on purpose ("…")
    shows it whole in its tooltip (the profile's and the grid's long indicator names)."""
    assert texts["checked"] > 150  # every tab, chart and table was measured
    assert texts["clipped"] == [], texts["clipped"]
    assert all(e["widget"].startswith(("QHeaderView", "UprightHeader"))
               for e in texts["elided"]), texts["elided"]
    assert set(texts["dialogs"]) == DIALOGS
    for name, dialog in texts["dialogs"].items():
        assert dialog["checked"] >= 1 and dialog["clipped"] == [], (name, dialog["clipped"])


def test_the_window_and_its_dialogs_fit_the_screen_with_large_text(texts):
    width, height, scale = texts["asked"]
    system, asked, used = texts["font_points"]
    assert asked == used == pytest.approx(system * scale)
    assert texts["screen"] == [width, height]
    assert texts["fits"] and texts["minimum"][0] <= width and texts["minimum"][1] <= height
    assert texts["outside"] == []  # no control past the window's edge (scroll areas apart)
    for name, dialog in texts["dialogs"].items():
        assert dialog["fits"] and dialog["outside"] == [], name


def test_the_map_and_profile_stay_usable_with_large_text(texts):
    """On a 1366x768 laptop at 200% the toolbar wraps onto more rows and the panes share
    what is left: the map and the profile table still show enough to work with."""
    map_width, map_height = texts["map"]
    assert map_width >= 150 and map_height >= 150
    assert texts["profile_rows_shown"] >= 3
