"""The command line: main([...]) with the passphrase from the environment or a patched prompt."""

from __future__ import annotations

import json

import pytest

import desktop.core.pack.build as pack_module
from desktop.cli import common
from desktop.cli.main import main
from desktop.core.errors import Cancelled
from tests.core.pack_helpers import EXAMPLE, copy_example, set_cell

PASS = "a long example passphrase"


@pytest.fixture(scope="module")
def packed(tmp_path_factory):
    out = tmp_path_factory.mktemp("cli") / "example.atlas"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv(common.PASSPHRASE_ENV, PASS)
        assert main(["pack", str(EXAMPLE), "-o", str(out)]) == 0
    return out


def test_pack_reports_what_it_wrote(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv(common.PASSPHRASE_ENV, PASS)
    out = tmp_path / "x.atlas"
    assert main(["pack", str(EXAMPLE), "-o", str(out)]) == 0
    captured = capsys.readouterr()
    assert out.exists()
    assert "6 areas, 2 clusters, 7 indicators" in captured.out  # 5 + 2 school twins
    assert "\r" in captured.err and "[100%]" in captured.err  # progress on one line
    assert PASS not in captured.out + captured.err


def output(monkeypatch, capsys, *argv: str, status: int = 0) -> str:
    """What a command prints, run with the example's passphrase; it must exit with `status`."""
    monkeypatch.setenv(common.PASSPHRASE_ENV, PASS)
    assert main(list(argv)) == status
    return capsys.readouterr().out


def test_inspect_prints_a_readable_summary(packed, monkeypatch, capsys):
    out = output(monkeypatch, capsys, "inspect", str(packed))
    assert out.startswith("Worcester example cluster profiles\nArea: Worcester example\n")
    assert "Created: " in out
    assert "  Worcester North: 3 areas, 2 schools\n  Worcester South: 3 areas, 1 school\n" in out
    # indicators grouped by theme, in first-appearance order, with their periods
    enjoy = out.index("  Enjoy and achieve\n")
    assert out.index("good_level_development", enjoy) < out.index("sen_support", enjoy) \
        < out.index("  Stay safe\n")
    assert "fsm: Pupils eligible for free school meals (synthetic) [proportion; 2020/21, " \
           "2021/22]" in out
    assert "Cross-border flows: 18 rows" in out


def test_inspect_imports_no_map_chart_or_window_library(packed):
    """`inspect` lists the manifest and tables: a process of its own never imports geopandas,
    matplotlib, Qt, scipy or even pandas (issue 20: it reads with Arrow), and prints what the
    in-process command prints."""
    import os
    import subprocess
    import sys

    from tests.conftest import ROOT

    code = ("import atexit, runpy, sys\n"
            "atexit.register(lambda: sys.stderr.write('\\nIMPORTED ' + ' '.join(\n"
            "    m for m in ('geopandas', 'matplotlib', 'PySide6', 'scipy', 'pandas')\n"
            "    if m in sys.modules)))\n"
            "runpy.run_module('desktop.cli', run_name='__main__')\n")
    done = subprocess.run([sys.executable, "-c", code, "inspect", str(packed)], cwd=ROOT,
                          env={**os.environ, "PYTHONPATH": str(ROOT), common.PASSPHRASE_ENV: PASS},
                          capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stderr.rpartition("IMPORTED")[2].split() == []
    assert "  Worcester North: 3 areas, 2 schools\n" in done.stdout


def test_inspect_json(packed, monkeypatch, capsys):
    monkeypatch.setenv(common.PASSPHRASE_ENV, PASS)
    assert main(["inspect", str(packed), "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["format_version"] == 1
    assert summary["title"] == "Worcester example cluster profiles"
    assert summary["areas"] == 6
    assert [(c["name"], c["areas"]) for c in summary["clusters"]] == [
        ("Worcester North", 3), ("Worcester South", 3)]
    first = summary["indicators"][0]
    assert {k: first[k] for k in ("id", "title", "theme", "periods")} == {
        "id": "good_level_development", "title": "Good level of development at age 5",
        "theme": "Enjoy and achieve", "periods": ["2019/20", "2020/21", "2021/22"]}
    assert summary["schools"] == 3 and summary["flows"] == 18


def test_wrong_passphrase_is_an_error_without_traceback(packed, monkeypatch, capsys):
    monkeypatch.setenv(common.PASSPHRASE_ENV, "not it")
    assert main(["inspect", str(packed)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "passphrase" in err and "Traceback" not in err


def test_bad_input_names_file_row_and_column(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv(common.PASSPHRASE_ENV, PASS)
    folder = copy_example(tmp_path)
    set_cell(folder / "values" / "children.csv", 3, "numerator", "ten")
    assert main(["pack", str(folder), "-o", str(tmp_path / "x.atlas")]) == 2
    err = capsys.readouterr().err
    assert "error: values/children.csv, row 3, column 'numerator': 'ten' is not a number" in err
    assert not (tmp_path / "x.atlas").exists()


def test_prompted_passphrase_is_asked_twice(tmp_path, monkeypatch, capsys):
    monkeypatch.delenv(common.PASSPHRASE_ENV, raising=False)
    answers = iter([PASS, PASS])
    prompts = []
    monkeypatch.setattr(common.getpass, "getpass", lambda p: prompts.append(p) or next(answers))
    out = tmp_path / "x.atlas"
    assert main(["pack", str(EXAMPLE), "-o", str(out)]) == 0
    assert len(prompts) == 2 and out.exists()
    capsys.readouterr()
    monkeypatch.setattr(common.getpass, "getpass", lambda p: PASS)
    assert main(["inspect", str(out), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["areas"] == 6


@pytest.mark.parametrize("answers, words", [([PASS, PASS + "x"], "do not match"),
                                            (["", ""], "empty")])
def test_mismatched_or_empty_passphrase_is_refused(tmp_path, monkeypatch, capsys, answers,
                                                   words):
    monkeypatch.delenv(common.PASSPHRASE_ENV, raising=False)
    it = iter(answers)
    monkeypatch.setattr(common.getpass, "getpass", lambda p: next(it))
    assert main(["pack", str(EXAMPLE), "-o", str(tmp_path / "x.atlas")]) == 2
    assert words in capsys.readouterr().err
    assert not (tmp_path / "x.atlas").exists()


def test_empty_passphrase_from_the_environment_is_refused(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv(common.PASSPHRASE_ENV, "")
    assert main(["pack", str(EXAMPLE), "-o", str(tmp_path / "x.atlas")]) == 2
    assert "empty" in capsys.readouterr().err


@pytest.mark.parametrize("interruption", [KeyboardInterrupt(), Cancelled("Cancelled.")])
def test_interrupted_pack_exits_130(tmp_path, monkeypatch, capsys, interruption):
    monkeypatch.setenv(common.PASSPHRASE_ENV, PASS)

    def interrupted(*args, **kwargs):
        raise interruption
    monkeypatch.setattr(pack_module, "read_inputs", interrupted)
    assert main(["pack", str(EXAMPLE), "-o", str(tmp_path / "x.atlas")]) == 130
    assert "Traceback" not in capsys.readouterr().err
    assert not (tmp_path / "x.atlas").exists()


def test_usage_errors_and_no_passphrase_argument(capsys):
    assert main([]) == 2
    assert main(["pack", str(EXAMPLE)]) == 2  # -o is required
    assert main(["pack", str(EXAMPLE), "-o", "x.atlas", "--passphrase", "p"]) == 2
    assert "unrecognized arguments: --passphrase" in capsys.readouterr().err
    assert main(["--version"]) == 0
