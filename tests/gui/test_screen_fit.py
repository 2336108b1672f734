"""The window on a council laptop's screen: 1366x768, and 1920x1080 at 150% (1280x720).

Each screen runs the real window on the demo bundle in a process of its own
(tests/gui/window_probe.py), since a Qt application picks its screen when it starts: the
offscreen platform is given a screen of the size (its `configfile` option), and
QT_SCALE_FACTOR the scaling. The shortcut test needs a real X server (Xvfb), where a text
box claims Ctrl+E and Ctrl+K as a Linux desktop's does.
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


def run_probe(scenario: str, env: dict[str, str], prefix: tuple[str, ...] = ()) -> dict:
    done = subprocess.run([*prefix, sys.executable, "-m", "tests.gui.window_probe", scenario],
                          cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT), **env},
                          capture_output=True, text=True, timeout=PROBE_TIMEOUT)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module", params=list(SCREENS))
def seen(request, tmp_path_factory) -> dict:
    width, height, scale = SCREENS[request.param]
    config = tmp_path_factory.mktemp("screen") / "screen.json"
    config.write_text(json.dumps({"windowFrameMargins": False, "screens": [
        {"name": "laptop", "x": 0, "y": 0, "width": width, "height": height,
         "logicalDpi": 96, "logicalBaseDpi": 96}]}))
    return run_probe("layout", {"QT_QPA_PLATFORM": f"offscreen:configfile={config}",
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
